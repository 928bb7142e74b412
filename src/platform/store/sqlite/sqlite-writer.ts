// The SQLite write side: runs a batch of write operations in one transaction (group commit) on its own connection.
import type { DatabaseSync } from 'node:sqlite';
import { auditHash } from '../../../governance/audit/audit-hash.ts';
import type { AuditEntry, AuditRecord } from '../../../governance/audit/audit-log.ts';
import { ErrorCode, RxBridgeError } from '../../../kernel/errors.ts';
import { newId, type MessageId } from '../../../kernel/ids.ts';
import type {
  AppendResult,
  IncomingMessage,
  RetryPolicy,
  SettleOutcome,
  StoredMessage,
} from '../message-store.ts';
import { assertTransition, canReplay, type MessageState } from '../message-state.ts';
import type { NewTask, Task, TaskUpdate } from '../task-store.ts';
import { retryDelayMs, settleSteps } from '../settle-steps.ts';
import { SQLITE_UNFINISHED } from './migrations.ts';
import {
  isTransactionFatal,
  num,
  serializeError,
  str,
  toMessage,
  toTask,
  type Row,
  type SerializedError,
} from './sqlite-rows.ts';

/** A write operation as plain data, so it can be posted to the writer thread (structured clone). */
export type WriteOp =
  | { kind: 'append'; input: IncomingMessage }
  | { kind: 'claim'; worker: string; limit: number; leaseMs: number }
  | { kind: 'settle'; id: MessageId; worker: string; outcome: SettleOutcome }
  | { kind: 'replay'; id: MessageId; actor: string; reason: string }
  | { kind: 'prune'; before: number }
  | { kind: 'createTask'; task: NewTask }
  | { kind: 'updateTask'; id: string; change: TaskUpdate }
  | { kind: 'record'; entry: AuditEntry }
  /** Test hook (execRaw): raw SQL on the writer connection, which per-connection pragmas must reach. */
  | { kind: 'exec'; sql: string };

export type WriteValue =
  AppendResult | StoredMessage[] | AuditRecord | { task: Task; created: boolean } | Task | number | undefined;

export type WriteOutcome = { ok: true; value: WriteValue } | { ok: false; error: SerializedError };

/** Either one outcome per operation (the transaction committed), or why the whole batch was rolled back. */
export type BatchResult = { outcomes: WriteOutcome[] } | { failed: SerializedError };

function summaryJsonOf(input: IncomingMessage): string {
  return input.summary ? JSON.stringify(input.summary) : '{}';
}

function invalid(message: string): RxBridgeError {
  return new RxBridgeError(ErrorCode.InvalidInput, message);
}

/** Per-transaction state: the clock reading and the audit chain head. */
interface Batch {
  now: number;
  at: Date;
  auditSeq: number;
  auditHash: string;
  auditDirty: boolean;
}

export class SqliteWriter {
  readonly #db: DatabaseSync;
  readonly #retry: RetryPolicy;
  readonly #s: ReturnType<typeof prepareWriteStatements>;

  constructor(db: DatabaseSync, retry: RetryPolicy) {
    this.#db = db;
    this.#retry = retry;
    this.#s = prepareWriteStatements(db);
  }

  /** Runs `ops` in one IMMEDIATE transaction stamped `now`; returns only after COMMIT (fsync with synchronous=FULL). */
  commit(ops: readonly WriteOp[], now: number): BatchResult {
    const db = this.#db;
    try {
      db.exec('BEGIN IMMEDIATE');
    } catch (error) {
      return { failed: serializeError(error) };
    }
    const outcomes: WriteOutcome[] = [];
    try {
      const head = this.#s.auditHead.get() as Row;
      const batch: Batch = {
        now,
        at: new Date(now),
        auditSeq: num(head.seq),
        auditHash: str(head.hash),
        auditDirty: false,
      };
      for (const op of ops) {
        // Appends and audit records validate nothing and write in a fixed order: no savepoint needed.
        if (op.kind === 'append') {
          // The summary is serialized before anything is written, so a summary that cannot be fails its own append.
          let summaryJson: string;
          try {
            summaryJson = summaryJsonOf(op.input);
          } catch (error) {
            outcomes.push({
              ok: false,
              error: serializeError(invalid(`summary cannot be stored: ${String(error)}`)),
            });
            continue;
          }
          outcomes.push({ ok: true, value: this.#append(batch, op.input, summaryJson) });
          continue;
        }
        if (op.kind === 'record') {
          outcomes.push({ ok: true, value: this.#appendAudit(batch, op.entry) });
          continue;
        }
        // Ops that validate then write several rows run inside a savepoint so a refusal undoes only them.
        const savedSeq = batch.auditSeq;
        const savedHash = batch.auditHash;
        db.exec('SAVEPOINT op');
        try {
          outcomes.push({ ok: true, value: this.#run(batch, op) });
          db.exec('RELEASE op');
        } catch (error) {
          // An error that may have ended the transaction fails the batch; any other (a refusal, a bad argument,
          // a value SQLite will not take) is undone to the savepoint and fails this operation only.
          if (!db.isTransaction || isTransactionFatal(error)) throw error;
          db.exec('ROLLBACK TO op');
          db.exec('RELEASE op');
          batch.auditSeq = savedSeq;
          batch.auditHash = savedHash;
          outcomes.push({ ok: false, error: serializeError(error) });
        }
      }
      if (batch.auditDirty) this.#s.setAuditHead.run(batch.auditSeq, batch.auditHash);
      db.exec('COMMIT');
    } catch (error) {
      if (db.isTransaction) db.exec('ROLLBACK');
      return { failed: serializeError(error) };
    }
    return { outcomes };
  }

  #run(batch: Batch, op: WriteOp): WriteValue {
    switch (op.kind) {
      case 'append':
        return this.#append(batch, op.input, summaryJsonOf(op.input));
      case 'record':
        return this.#appendAudit(batch, op.entry);
      case 'claim':
        return this.#claim(batch, op.worker, op.limit, op.leaseMs);
      case 'settle':
        this.#settle(batch, op.id, op.worker, op.outcome);
        return undefined;
      case 'replay':
        this.#replay(batch, op.id, op.actor, op.reason);
        return undefined;
      case 'prune':
        return Number(this.#s.prune.run(op.before).changes);
      case 'createTask':
        return this.#createTask(batch, op.task);
      case 'updateTask':
        return this.#updateTask(batch, op.id, op.change);
      case 'exec':
        this.#db.exec(op.sql);
        return undefined;
    }
  }

  #appendAudit(batch: Batch, entry: AuditEntry): AuditRecord {
    const seq = batch.auditSeq + 1;
    const prevHash = batch.auditHash;
    const hash = auditHash(prevHash, seq, batch.at, entry);
    this.#s.insertAudit.run(
      seq,
      batch.now,
      entry.actor,
      entry.action,
      entry.category,
      entry.patient ?? null,
      entry.source,
      entry.outcome,
      entry.entity ?? null,
      entry.detail ?? null,
      prevHash,
      hash,
    );
    batch.auditSeq = seq;
    batch.auditHash = hash;
    batch.auditDirty = true;
    return { ...entry, seq, at: batch.at, prevHash, hash };
  }

  /**
   * One message row, the partition head if the partition had none, one audit entry. The initial event is not
   * written: `events()` derives it from the message row (channel, received_at, duplicate_of).
   */
  #append(batch: Batch, input: IncomingMessage, summaryJson: string): AppendResult {
    const s = this.#s;
    const now = batch.now;
    const id = newId();
    const summary = input.summary ?? {};
    const actor = `system:${input.channel}`;
    // The unique index on original keys is the dedupe check: no insert means the key was seen before.
    const inserted = s.insertOriginal.run(
      id,
      input.channel,
      input.format,
      input.idempotencyKey,
      input.partitionKey,
      input.raw,
      summaryJson,
      summary.type ?? null,
      input.ack ?? null,
      now,
      now,
    );
    if (inserted.changes > 0) {
      const sequence = Number(inserted.lastInsertRowid);
      s.insertHeadIfAbsent.run(input.partitionKey, sequence);
      this.#appendAudit(batch, {
        actor,
        action: 'ingest',
        category: 'message',
        entity: id,
        patient: input.partitionKey,
        source: input.channel,
        outcome: 'success',
      });
      return { id, sequence, duplicate: false };
    }
    const original = str((s.findByKey.get(input.idempotencyKey) as Row).id);
    const sequence = Number(
      s.insertDuplicate.run(
        id,
        input.channel,
        input.format,
        input.idempotencyKey,
        input.partitionKey,
        input.raw,
        summaryJson,
        summary.type ?? null,
        input.ack ?? null,
        original,
        now,
        now,
      ).lastInsertRowid,
    );
    this.#appendAudit(batch, {
      actor,
      action: 'ingest',
      category: 'message',
      entity: id,
      patient: input.partitionKey,
      source: input.channel,
      outcome: 'success',
      detail: `duplicate of ${original}`,
    });
    return { id, sequence, duplicate: true, originalId: original };
  }

  /**
   * Keeps partition_heads in step: the oldest unfinished message of the partition and when it may be claimed.
   * `changed` is the sequence of the message whose state just changed. Nothing older than the current head is
   * unfinished, apart from that message (a replay), so the scan starts at the lower of the two.
   */
  #refreshHead(partitionKey: string, changed: number): void {
    const current = this.#s.getHead.get(partitionKey) as Row | undefined;
    const from = current ? Math.min(num(current.head_sequence), changed) : changed;
    const head = this.#s.oldestUnfinished.get(partitionKey, from) as Row | undefined;
    if (!head) {
      this.#s.deleteHead.run(partitionKey);
      return;
    }
    const readyAt =
      head.lease_until !== null
        ? num(head.lease_until)
        : head.state === 'failed' && head.next_attempt_at !== null
          ? num(head.next_attempt_at)
          : 0;
    this.#s.upsertHead.run(partitionKey, num(head.sequence), readyAt);
  }

  #claim(batch: Batch, worker: string, limit: number, leaseMs: number): StoredMessage[] {
    const now = batch.now;
    const until = now + leaseMs;
    const heads = this.#s.dueHeads.all(now, Math.max(0, Math.trunc(limit)));
    const claimed: StoredMessage[] = [];
    for (const head of heads) {
      const row = this.#s.leaseMessage.get(worker, until, now, num(head.head_sequence)) as Row | undefined;
      if (!row) continue;
      this.#s.setHeadReady.run(until, str(row.partition_key));
      claimed.push(toMessage(row));
    }
    return claimed;
  }

  #settle(batch: Batch, id: MessageId, worker: string, outcome: SettleOutcome): void {
    const s = this.#s;
    const row = s.getMessage.get(id) as Row | undefined;
    if (!row) throw new RxBridgeError(ErrorCode.NotFound, `message ${id} not found`);
    if (row.lease_owner !== worker) {
      throw new RxBridgeError(ErrorCode.Conflict, `message ${id} is not leased by ${worker}`);
    }
    const steps = settleSteps(str(row.state) as MessageState, outcome, num(row.attempts), this.#retry);
    const now = batch.now;
    for (const step of steps.events) s.insertEvent.run(id, now, step.from, step.to, worker, step.detail);
    const nextAttemptAt = steps.final === 'failed' ? now + retryDelayMs(this.#retry, steps.attempts) : null;
    s.settleMessage.run(steps.final, steps.attempts, nextAttemptAt, steps.lastError, now, id);
    this.#refreshHead(str(row.partition_key), num(row.sequence));
  }

  #replay(batch: Batch, id: MessageId, actor: string, reason: string): void {
    const s = this.#s;
    const row = s.getMessage.get(id) as Row | undefined;
    if (!row) throw new RxBridgeError(ErrorCode.NotFound, `message ${id} not found`);
    const from = str(row.state) as MessageState;
    if (!canReplay(from)) {
      throw new RxBridgeError(ErrorCode.IllegalTransition, `a ${from} message cannot be replayed`);
    }
    assertTransition(from, 'received');
    const now = batch.now;
    s.replayMessage.run(now, id);
    s.insertEvent.run(id, now, from, 'received', actor, reason);
    const partitionKey = str(row.partition_key);
    this.#refreshHead(partitionKey, num(row.sequence));
    // A later message of the partition may be in work right now: the replayed one waits for that lease to end (or
    // for its settle, which refreshes the head), so a partition never has two messages in work at once.
    const leased = s.latestLiveLease.get(partitionKey, num(row.sequence), now) as Row | undefined;
    if (leased && leased.until !== null) s.delayHead.run(num(leased.until), partitionKey);
    this.#appendAudit(batch, {
      actor,
      action: 'replay',
      category: 'message',
      entity: id,
      patient: str(row.partition_key),
      source: str(row.channel),
      outcome: 'success',
      detail: reason,
    });
  }

  #createTask(batch: Batch, task: NewTask): { task: Task; created: boolean } {
    const existing = this.#s.getTaskByKey.get(task.key) as Row | undefined;
    if (existing) return { task: toTask(existing), created: false };
    const now = batch.now;
    const row = this.#s.insertTask.get(
      newId(),
      task.key,
      task.type,
      task.priority,
      'open',
      JSON.stringify(task.patient),
      task.site ?? null,
      task.sourceMessageId ?? null,
      task.dueAt ? task.dueAt.getTime() : null,
      JSON.stringify(task.payload ?? null),
      now,
      now,
    ) as Row;
    return { task: toTask(row), created: true };
  }

  #updateTask(batch: Batch, id: string, change: TaskUpdate): Task {
    const row = this.#s.updateTask.get(
      change.status ?? null,
      change.assignee === undefined ? 0 : 1,
      change.assignee ?? null,
      change.priority ?? null,
      change.work === undefined ? null : JSON.stringify(change.work),
      batch.now,
      id,
      change.expectedVersion,
    ) as Row | undefined;
    if (row) return toTask(row);
    const current = this.#s.getTaskVersion.get(id) as Row | undefined;
    if (!current) throw new RxBridgeError(ErrorCode.NotFound, `no task ${id}`);
    throw new RxBridgeError(
      ErrorCode.Conflict,
      `task ${id} changed meanwhile (version ${num(current.version)}, expected ${change.expectedVersion})`,
    );
  }
}

const MESSAGE_COLUMNS = `id, channel, format, idempotency_key, partition_key, raw, summary, type, ack, state,
  duplicate_of, received_at, updated_at`;

function prepareWriteStatements(db: DatabaseSync) {
  return {
    auditHead: db.prepare('SELECT seq, hash FROM audit_head WHERE id = 1'),
    setAuditHead: db.prepare('UPDATE audit_head SET seq = ?, hash = ? WHERE id = 1'),
    insertAudit: db.prepare(
      `INSERT INTO audit_log (seq, at, actor, action, category, patient, source, outcome, entity, detail, prev_hash, hash)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    // The conflict target names the partial unique index (originals only); duplicates go through insertDuplicate.
    insertOriginal: db.prepare(
      `INSERT INTO messages (${MESSAGE_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'received', NULL, ?, ?)
       ON CONFLICT (idempotency_key) WHERE duplicate_of IS NULL DO NOTHING`,
    ),
    insertDuplicate: db.prepare(
      `INSERT INTO messages (${MESSAGE_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'duplicate', ?, ?, ?)`,
    ),
    findByKey: db.prepare('SELECT id FROM messages WHERE idempotency_key = ? AND duplicate_of IS NULL'),
    insertEvent: db.prepare(
      'INSERT INTO message_events (message_id, at, from_state, to_state, actor, detail) VALUES (?, ?, ?, ?, ?, ?)',
    ),
    insertHeadIfAbsent: db.prepare(
      'INSERT INTO partition_heads (partition_key, head_sequence, ready_at) VALUES (?, ?, 0) ON CONFLICT DO NOTHING',
    ),
    getHead: db.prepare('SELECT head_sequence FROM partition_heads WHERE partition_key = ?'),
    // Walks the partition in order from `sequence >= ?`; what it skips are finished messages after the head
    // (duplicates, or everything after a replayed old message).
    oldestUnfinished: db.prepare(
      `SELECT sequence, state, lease_until, next_attempt_at FROM messages INDEXED BY messages_partition
       WHERE partition_key = ? AND sequence >= ? AND ${SQLITE_UNFINISHED} ORDER BY sequence LIMIT 1`,
    ),
    deleteHead: db.prepare('DELETE FROM partition_heads WHERE partition_key = ?'),
    upsertHead: db.prepare(
      `INSERT INTO partition_heads (partition_key, head_sequence, ready_at) VALUES (?, ?, ?)
       ON CONFLICT (partition_key) DO UPDATE SET head_sequence = excluded.head_sequence, ready_at = excluded.ready_at`,
    ),
    dueHeads: db.prepare(
      'SELECT head_sequence FROM partition_heads WHERE ready_at <= ? ORDER BY head_sequence LIMIT ?',
    ),
    leaseMessage: db.prepare(
      `UPDATE messages SET lease_owner = ?, lease_until = ?, updated_at = ?
       WHERE sequence = ? AND ${SQLITE_UNFINISHED} RETURNING *`,
    ),
    setHeadReady: db.prepare('UPDATE partition_heads SET ready_at = ? WHERE partition_key = ?'),
    latestLiveLease: db.prepare(
      `SELECT MAX(lease_until) AS until FROM messages INDEXED BY messages_partition
       WHERE partition_key = ? AND sequence > ? AND lease_until > ?`,
    ),
    delayHead: db.prepare('UPDATE partition_heads SET ready_at = MAX(ready_at, ?) WHERE partition_key = ?'),
    getMessage: db.prepare('SELECT * FROM messages WHERE id = ?'),
    settleMessage: db.prepare(
      `UPDATE messages SET state = ?, attempts = ?, next_attempt_at = ?, last_error = ?, updated_at = ?,
         lease_owner = NULL, lease_until = NULL
       WHERE id = ?`,
    ),
    replayMessage: db.prepare(
      `UPDATE messages SET state = 'received', attempts = 0, next_attempt_at = NULL, last_error = NULL,
         lease_owner = NULL, lease_until = NULL, updated_at = ?
       WHERE id = ?`,
    ),
    prune: db.prepare(
      `DELETE FROM messages WHERE state IN ('done', 'duplicate', 'dead') AND received_at < ?`,
    ),
    getTaskByKey: db.prepare('SELECT * FROM tasks WHERE key = ?'),
    insertTask: db.prepare(
      `INSERT INTO tasks (id, key, type, priority, status, patient, site, source_message_id, due_at, payload,
         created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING *`,
    ),
    updateTask: db.prepare(
      `UPDATE tasks SET status = COALESCE(?, status), assignee = CASE WHEN ? THEN ? ELSE assignee END,
         priority = COALESCE(?, priority), work = COALESCE(?, work), updated_at = ?, version = version + 1
       WHERE id = ? AND version = ? RETURNING *`,
    ),
    getTaskVersion: db.prepare('SELECT version FROM tasks WHERE id = ?'),
  };
}
