// Versioned SQLite schema for the Store bundle, applied at open and recorded in schema_migrations.
import type { DatabaseSync } from 'node:sqlite';
import { UNFINISHED_STATES } from '../message-state.ts';

export interface SqliteMigration {
  version: number;
  name: string;
  sql: string;
}

/** `state IN (...)` for the unfinished states; queries repeat it verbatim so SQLite can use the partial index. */
export const SQLITE_UNFINISHED = `state IN (${[...UNFINISHED_STATES].map((s) => `'${s}'`).join(', ')})`;

export const SQLITE_MIGRATIONS: readonly SqliteMigration[] = [
  {
    version: 1,
    name: 'messages, events, partition heads, tasks, audit log',
    sql: `
      CREATE TABLE messages (
        sequence INTEGER PRIMARY KEY AUTOINCREMENT,
        id TEXT NOT NULL UNIQUE,
        channel TEXT NOT NULL,
        format TEXT NOT NULL,
        idempotency_key TEXT NOT NULL,
        partition_key TEXT NOT NULL,
        raw BLOB NOT NULL,
        summary TEXT NOT NULL,
        type TEXT,
        ack TEXT,
        state TEXT NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0,
        next_attempt_at INTEGER,
        last_error TEXT,
        duplicate_of TEXT,
        lease_owner TEXT,
        lease_until INTEGER,
        received_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      );
      -- Only originals are unique; resends are kept as their own 'duplicate' rows.
      CREATE UNIQUE INDEX messages_idempotency ON messages (idempotency_key) WHERE duplicate_of IS NULL;
      CREATE INDEX messages_unfinished ON messages (partition_key, sequence) WHERE ${SQLITE_UNFINISHED};
      CREATE INDEX messages_partition ON messages (partition_key, sequence);
      CREATE INDEX messages_state ON messages (state, sequence);

      CREATE TABLE message_events (
        id INTEGER PRIMARY KEY,
        message_id TEXT NOT NULL REFERENCES messages (id) ON DELETE CASCADE,
        at INTEGER NOT NULL,
        from_state TEXT,
        to_state TEXT NOT NULL,
        actor TEXT NOT NULL,
        detail TEXT
      );
      CREATE INDEX message_events_message ON message_events (message_id, id);

      -- One row per partition with unfinished work: its oldest unfinished message and when it may be claimed.
      -- Claims read this small table instead of scanning every pending message.
      CREATE TABLE partition_heads (
        partition_key TEXT PRIMARY KEY,
        head_sequence INTEGER NOT NULL,
        ready_at INTEGER NOT NULL
      ) WITHOUT ROWID;
      CREATE INDEX partition_heads_order ON partition_heads (head_sequence, ready_at);

      CREATE TABLE tasks (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        id TEXT NOT NULL UNIQUE,
        key TEXT NOT NULL UNIQUE,
        type TEXT NOT NULL,
        priority TEXT NOT NULL,
        status TEXT NOT NULL,
        patient TEXT NOT NULL,
        site TEXT,
        source_message_id TEXT,
        due_at INTEGER,
        payload TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      );
      CREATE INDEX tasks_status ON tasks (status, seq);
      CREATE INDEX tasks_source_message ON tasks (source_message_id);

      CREATE TABLE audit_log (
        seq INTEGER PRIMARY KEY,
        at INTEGER NOT NULL,
        actor TEXT NOT NULL,
        action TEXT NOT NULL,
        category TEXT NOT NULL,
        patient TEXT,
        source TEXT NOT NULL,
        outcome TEXT NOT NULL,
        entity TEXT,
        detail TEXT,
        prev_hash TEXT NOT NULL,
        hash TEXT NOT NULL
      );
      CREATE INDEX audit_log_patient ON audit_log (patient, seq);
      CREATE INDEX audit_log_entity ON audit_log (entity, seq);
      -- The chain head: lets verify() notice rows removed from the end.
      CREATE TABLE audit_head (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        seq INTEGER NOT NULL,
        hash TEXT NOT NULL
      );
      INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, '${'0'.repeat(64)}');
      -- Append-only: the application never updates or deletes audit rows.
      CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
        BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
      CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
        BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
    `,
  },
  {
    version: 2,
    name: 'initial message event derived from the message row',
    // An append no longer writes a (NULL -> received|duplicate) event: events() derives it from channel, received_at
    // and duplicate_of. Every other event has a from_state, so this removes exactly the rows now derived.
    sql: `DELETE FROM message_events WHERE from_state IS NULL;`,
  },
  {
    version: 3,
    name: 'task review: assignee, version, work (decisions, comments, effects)',
    sql: `
      ALTER TABLE tasks ADD COLUMN assignee TEXT;
      ALTER TABLE tasks ADD COLUMN version INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE tasks ADD COLUMN work TEXT NOT NULL DEFAULT '{}';
      CREATE INDEX tasks_assignee ON tasks (assignee, status);
    `,
  },
  {
    version: 4,
    name: 'one partition index: messages_unfinished dropped, partition scans start at the head',
    // messages_unfinished held the same (partition_key, sequence) entries as messages_partition for unfinished
    // messages: a second random index page per append. The oldest unfinished message of a partition is found on
    // messages_partition from its partition head onwards, since nothing before the head is unfinished.
    sql: `DROP INDEX IF EXISTS messages_unfinished;`,
  },
];

/**
 * Applies the migrations not yet recorded, each in its own transaction; a no-op on an up-to-date database.
 * `migrations` is for tests that build a database as an older release left it.
 */
export function migrateSqlite(
  db: DatabaseSync,
  now: Date,
  migrations: readonly SqliteMigration[] = SQLITE_MIGRATIONS,
): number[] {
  db.exec(
    'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)',
  );
  const applied = new Set(
    db
      .prepare('SELECT version FROM schema_migrations')
      .all()
      .map((r) => Number(r.version)),
  );
  const done: number[] = [];
  for (const migration of migrations) {
    if (applied.has(migration.version)) continue;
    db.exec('BEGIN IMMEDIATE');
    try {
      // Re-check under the write lock: another process may have migrated meanwhile.
      if (db.prepare('SELECT 1 FROM schema_migrations WHERE version = ?').get(migration.version)) {
        db.exec('COMMIT');
        continue;
      }
      db.exec(migration.sql);
      db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(
        migration.version,
        migration.name,
        now.getTime(),
      );
      db.exec('COMMIT');
      done.push(migration.version);
    } catch (error) {
      db.exec('ROLLBACK');
      throw error;
    }
  }
  return done;
}
