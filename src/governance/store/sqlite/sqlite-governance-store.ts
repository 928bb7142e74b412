// SQLite adapter of the GovernanceStore: its own connection to the engine's database file (gov_* tables).
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import type {
  ApiKeyRecord,
  BreakGlassRecord,
  CheckpointRecord,
  ConsentRecord,
  GovernanceStore,
  SessionRecord,
  UserRecord,
} from '../../governance-store.ts';

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS gov_users (id TEXT PRIMARY KEY, username TEXT NOT NULL UNIQUE, doc TEXT NOT NULL);
  CREATE TABLE IF NOT EXISTS gov_sessions (
    id_hash TEXT PRIMARY KEY, user_id TEXT NOT NULL, created_at INTEGER NOT NULL,
    last_seen_at INTEGER NOT NULL, expires_at INTEGER NOT NULL);
  CREATE INDEX IF NOT EXISTS gov_sessions_user ON gov_sessions (user_id);
  CREATE TABLE IF NOT EXISTS gov_api_keys (id TEXT PRIMARY KEY, doc TEXT NOT NULL);
  CREATE TABLE IF NOT EXISTS gov_checkpoints (seq INTEGER PRIMARY KEY, doc TEXT NOT NULL);
  CREATE TABLE IF NOT EXISTS gov_consents (id TEXT PRIMARY KEY, patient_index TEXT NOT NULL, doc TEXT NOT NULL);
  CREATE INDEX IF NOT EXISTS gov_consents_patient ON gov_consents (patient_index);
  CREATE TABLE IF NOT EXISTS gov_break_glass (
    id TEXT PRIMARY KEY, user_id TEXT NOT NULL, granted_at INTEGER NOT NULL, expires_at INTEGER NOT NULL,
    doc TEXT NOT NULL);
  CREATE INDEX IF NOT EXISTS gov_break_glass_time ON gov_break_glass (granted_at);
  -- Checkpoints and break-glass grants are evidence: never changed or removed.
  CREATE TRIGGER IF NOT EXISTS gov_checkpoints_no_update BEFORE UPDATE ON gov_checkpoints
    BEGIN SELECT RAISE(ABORT, 'gov_checkpoints is append-only'); END;
  CREATE TRIGGER IF NOT EXISTS gov_checkpoints_no_delete BEFORE DELETE ON gov_checkpoints
    BEGIN SELECT RAISE(ABORT, 'gov_checkpoints is append-only'); END;
  CREATE TRIGGER IF NOT EXISTS gov_break_glass_no_update BEFORE UPDATE ON gov_break_glass
    BEGIN SELECT RAISE(ABORT, 'gov_break_glass is append-only'); END;
  CREATE TRIGGER IF NOT EXISTS gov_break_glass_no_delete BEFORE DELETE ON gov_break_glass
    BEGIN SELECT RAISE(ABORT, 'gov_break_glass is append-only'); END;
`;

type Row = Record<string, unknown>;

export function openSqliteGovernanceStore(path: string): GovernanceStore {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const db = new DatabaseSync(path);
  db.exec('PRAGMA busy_timeout = 5000');
  if (path !== ':memory:') {
    db.exec('PRAGMA journal_mode = WAL');
    db.exec('PRAGMA synchronous = FULL');
  }
  db.exec('BEGIN IMMEDIATE');
  try {
    db.exec(SCHEMA);
    db.exec('COMMIT');
  } catch (error) {
    db.exec('ROLLBACK');
    db.close();
    throw error;
  }
  const doc = <T>(row: Row | undefined): T | undefined =>
    row === undefined ? undefined : (JSON.parse(String(row.doc)) as T);
  const session = (row: Row | undefined): SessionRecord | undefined =>
    row === undefined
      ? undefined
      : {
          idHash: String(row.id_hash),
          userId: String(row.user_id),
          createdAt: Number(row.created_at),
          lastSeenAt: Number(row.last_seen_at),
          expiresAt: Number(row.expires_at),
        };
  let closed = false;
  const run = <T>(fn: () => T): Promise<T> => {
    if (closed) return Promise.reject(new Error('governance store is closed'));
    try {
      return Promise.resolve(fn());
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
  };
  const s = {
    putUser: db.prepare(
      'INSERT INTO gov_users (id, username, doc) VALUES (?, ?, ?) ON CONFLICT (id) DO UPDATE SET username = excluded.username, doc = excluded.doc',
    ),
    userByName: db.prepare('SELECT doc FROM gov_users WHERE username = ?'),
    userById: db.prepare('SELECT doc FROM gov_users WHERE id = ?'),
    users: db.prepare('SELECT doc FROM gov_users ORDER BY username'),
    putSession: db.prepare(
      'INSERT OR REPLACE INTO gov_sessions (id_hash, user_id, created_at, last_seen_at, expires_at) VALUES (?, ?, ?, ?, ?)',
    ),
    getSession: db.prepare('SELECT * FROM gov_sessions WHERE id_hash = ?'),
    touchSession: db.prepare('UPDATE gov_sessions SET last_seen_at = ? WHERE id_hash = ?'),
    removeSession: db.prepare('DELETE FROM gov_sessions WHERE id_hash = ?'),
    removeUserSessions: db.prepare('DELETE FROM gov_sessions WHERE user_id = ?'),
    putKey: db.prepare('INSERT OR REPLACE INTO gov_api_keys (id, doc) VALUES (?, ?)'),
    getKey: db.prepare('SELECT doc FROM gov_api_keys WHERE id = ?'),
    keys: db.prepare('SELECT doc FROM gov_api_keys ORDER BY id'),
    addCheckpoint: db.prepare('INSERT OR IGNORE INTO gov_checkpoints (seq, doc) VALUES (?, ?)'),
    checkpoints: db.prepare('SELECT doc FROM gov_checkpoints ORDER BY seq'),
    putConsent: db.prepare('INSERT OR REPLACE INTO gov_consents (id, patient_index, doc) VALUES (?, ?, ?)'),
    consents: db.prepare('SELECT doc FROM gov_consents WHERE patient_index = ? ORDER BY id'),
    addGrant: db.prepare(
      'INSERT INTO gov_break_glass (id, user_id, granted_at, expires_at, doc) VALUES (?, ?, ?, ?, ?)',
    ),
    grantsSince: db.prepare('SELECT doc FROM gov_break_glass WHERE granted_at >= ? ORDER BY granted_at'),
    activeGrant: db.prepare(
      'SELECT doc FROM gov_break_glass WHERE user_id = ? AND expires_at > ? ORDER BY expires_at DESC LIMIT 1',
    ),
  };
  return {
    users: {
      put: (u) => run(() => void s.putUser.run(u.id, u.username, JSON.stringify(u))),
      byUsername: (name) => run(() => doc<UserRecord>(s.userByName.get(name) as Row | undefined)),
      byId: (id) => run(() => doc<UserRecord>(s.userById.get(id) as Row | undefined)),
      list: () => run(() => s.users.all().map((r) => doc<UserRecord>(r) as UserRecord)),
    },
    sessions: {
      put: (x) =>
        run(() => void s.putSession.run(x.idHash, x.userId, x.createdAt, x.lastSeenAt, x.expiresAt)),
      get: (idHash) => run(() => session(s.getSession.get(idHash) as Row | undefined)),
      touch: (idHash, at) => run(() => void s.touchSession.run(at, idHash)),
      remove: (idHash) => run(() => void s.removeSession.run(idHash)),
      removeForUser: (userId) => run(() => void s.removeUserSessions.run(userId)),
    },
    apiKeys: {
      put: (k) => run(() => void s.putKey.run(k.id, JSON.stringify(k))),
      get: (id) => run(() => doc<ApiKeyRecord>(s.getKey.get(id) as Row | undefined)),
      list: () => run(() => s.keys.all().map((r) => doc<ApiKeyRecord>(r) as ApiKeyRecord)),
    },
    checkpoints: {
      add: (c) => run(() => void s.addCheckpoint.run(c.seq, JSON.stringify(c))),
      list: () => run(() => s.checkpoints.all().map((r) => doc<CheckpointRecord>(r) as CheckpointRecord)),
    },
    consents: {
      put: (c) => run(() => void s.putConsent.run(c.id, c.patientIndex, JSON.stringify(c))),
      forPatient: (index) =>
        run(() => s.consents.all(index).map((r) => doc<ConsentRecord>(r) as ConsentRecord)),
    },
    breakGlass: {
      add: (g) => run(() => void s.addGrant.run(g.id, g.userId, g.grantedAt, g.expiresAt, JSON.stringify(g))),
      since: (at) =>
        run(() => s.grantsSince.all(at).map((r) => doc<BreakGlassRecord>(r) as BreakGlassRecord)),
      active: (userId, now) =>
        run(() => doc<BreakGlassRecord>(s.activeGrant.get(userId, now) as Row | undefined)),
    },
    close: () => {
      if (!closed) {
        closed = true;
        db.close();
      }
      return Promise.resolve();
    },
  };
}
