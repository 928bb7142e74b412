// SQLite adapter of the Store bundle (embedded mode): node:sqlite, WAL, synchronous=FULL, group commit.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DatabaseSync, type SQLInputValue, type SQLOutputValue } from 'node:sqlite';
import { auditHash, GENESIS_HASH } from '../../../governance/audit/audit-hash.ts';
import type {
  AuditEntry,
  AuditFilter,
  AuditLog,
  AuditRecord,
  AuditVerifyResult,
} from '../../../governance/audit/audit-log.ts';
import { systemClock, type Clock } from '../../../kernel/clock.ts';
import { ErrorCode, RxBridgeError } from '../../../kernel/errors.ts';
import { newId, type MessageId, type TaskId } from '../../../kernel/ids.ts';
import {
  DEFAULT_RETRY_POLICY,
  type AppendResult,
  type IncomingMessage,
  type MessageEvent,
  type MessageFilter,
  type MessageFormat,
  type MessageStore,
  type MessageSummary,
  type RetryPolicy,
  type SettleOutcome,
  type StoredMessage,
} from '../message-store.ts';
import { assertTransition, canReplay, MESSAGE_STATES, type MessageState } from '../message-state.ts';
import type { Store } from '../store.ts';
import type {
  NewTask,
  Task,
  TaskFilter,
  TaskPatient,
  TaskPriority,
  TaskStatus,
  TaskStore,
} from '../task-store.ts';
import { migrateSqlite, SQLITE_UNFINISHED } from './migrations.ts';

export interface SqliteStoreOptions {
  /** File path, or ':memory:' for tests. The parent directory is created if missing. */
  path: string;
  clock?: Clock;
  retry?: RetryPolicy;
  /** How long a writer waits for another process's lock before failing with StoreUnavailable. */
  busyTimeoutMs?: number;
  /** Upper bound of operations committed together. */
  maxBatch?: number;
}

/** Group-commit counters: `commits` lower than `operations` means writes shared transactions. */
export interface StoreStats {
  commits: number;
  operations: number;
}

export interface SqliteStore extends Store {
  readonly kind: 'sqlite';
  stats(): StoreStats;
  /** Test hook: runs raw SQL (tamper tests, forcing a full disk). Never used by application code. */
  execRaw(sql: string): Promise<void>;
}

type Row = Record<string, SQLOutputValue>;

interface PendingOp {
  run: (batch: Batch) => unknown;
  /** Ops that validate then write several rows run inside a savepoint so a refusal undoes only them. */
  isolated: boolean;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

/** Per-transaction state: the clock reading and the audit chain head. */
interface Batch {
  now: Date;
  auditSeq: number;
  auditHash: string;
  auditDirty: boolean;
}

const DOMAIN_CODES: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  ErrorCode.IllegalTransition,
  ErrorCode.Conflict,
  ErrorCode.NotFound,
  ErrorCode.InvalidInput,
]);

/** SQLite primary result codes (https://www.sqlite.org/rescode.html). */
const SQLITE_FULL = 13;
const SQLITE_UNAVAILABLE = new Set([
  5 /* BUSY */, 6 /* LOCKED */, 8 /* READONLY */, 10 /* IOERR */, 14 /* CANTOPEN */,
]);

function mapSqliteError(error: unknown): Error {
  if (error instanceof RxBridgeError) return error;
  const errcode = (error as { errcode?: unknown }).errcode;
  if (typeof errcode === 'number') {
    const primary = errcode & 0xff;
    if (primary === SQLITE_FULL) {
      return new RxBridgeError(ErrorCode.StoreFull, 'database or disk is full', { cause: error });
    }
    if (SQLITE_UNAVAILABLE.has(primary)) {
      return new RxBridgeError(ErrorCode.StoreUnavailable, `sqlite store unavailable (code ${errcode})`, {
        cause: error,
      });
    }
  }
  return error instanceof Error ? error : new Error(String(error));
}

/** `WHERE` from the conditions whose value is given. */
function whereClause(conditions: readonly [string, SQLInputValue | undefined][]): {
  sql: string;
  params: SQLInputValue[];
} {
  const given = conditions.filter((c): c is [string, SQLInputValue] => c[1] !== undefined);
  return {
    sql: given.length > 0 ? `WHERE ${given.map((c) => c[0]).join(' AND ')}` : '',
    params: given.map((c) => c[1]),
  };
}

function str(v: SQLOutputValue | undefined): string {
  return typeof v === 'string' ? v : String(v);
}
function strOrNull(v: SQLOutputValue | undefined): string | null {
  return v === null || v === undefined ? null : str(v);
}
function num(v: SQLOutputValue | undefined): number {
  return Number(v);
}
function dateOrNull(v: SQLOutputValue | undefined): Date | null {
  return v === null || v === undefined ? null : new Date(Number(v));
}
function bytes(v: SQLOutputValue | undefined): Uint8Array {
  return v instanceof Uint8Array ? v : new Uint8Array(0);
}

function toMessage(r: Row): StoredMessage {
  return {
    id: str(r.id),
    sequence: num(r.sequence),
    channel: str(r.channel),
    format: str(r.format) as MessageFormat,
    idempotencyKey: str(r.idempotency_key),
    partitionKey: str(r.partition_key),
    raw: bytes(r.raw),
    summary: JSON.parse(str(r.summary)) as MessageSummary,
    ack: strOrNull(r.ack),
    state: str(r.state) as MessageState,
    attempts: num(r.attempts),
    nextAttemptAt: dateOrNull(r.next_attempt_at),
    lastError: strOrNull(r.last_error),
    duplicateOf: strOrNull(r.duplicate_of),
    receivedAt: new Date(num(r.received_at)),
    updatedAt: new Date(num(r.updated_at)),
  };
}

function toTask(r: Row): Task {
  return {
    id: str(r.id),
    key: str(r.key),
    type: str(r.type),
    priority: str(r.priority) as TaskPriority,
    status: str(r.status) as TaskStatus,
    patient: JSON.parse(str(r.patient)) as TaskPatient,
    site: strOrNull(r.site),
    sourceMessageId: strOrNull(r.source_message_id),
    dueAt: dateOrNull(r.due_at),
    payload: JSON.parse(str(r.payload)) as unknown,
    createdAt: new Date(num(r.created_at)),
    updatedAt: new Date(num(r.updated_at)),
  };
}

function toAuditRecord(r: Row): AuditRecord {
  const record: AuditRecord = {
    seq: num(r.seq),
    at: new Date(num(r.at)),
    actor: str(r.actor),
    action: str(r.action) as AuditRecord['action'],
    category: str(r.category),
    source: str(r.source),
    outcome: str(r.outcome) as AuditRecord['outcome'],
    prevHash: str(r.prev_hash),
    hash: str(r.hash),
  };
  if (r.patient !== null && r.patient !== undefined) record.patient = str(r.patient);
  if (r.entity !== null && r.entity !== undefined) record.entity = str(r.entity);
  if (r.detail !== null && r.detail !== undefined) record.detail = str(r.detail);
  return record;
}

/** Exponential backoff with ±20% jitter so retries of many partitions do not arrive together. */
export function retryDelayMs(
  policy: RetryPolicy,
  attempts: number,
  random: () => number = Math.random,
): number {
  const base = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, attempts - 1));
  return Math.round(base * (0.8 + 0.4 * random()));
}

/** Opens (creating if needed) the SQLite store and applies pending migrations. */
export function openSqliteStore(options: SqliteStoreOptions): Promise<SqliteStore> {
  try {
    return Promise.resolve(new SqliteStoreImpl(options).store);
  } catch (error) {
    return Promise.reject(mapSqliteError(error));
  }
}

class SqliteStoreImpl {
  readonly store: SqliteStore;
  readonly #db: DatabaseSync;
  readonly #clock: Clock;
  readonly #retry: RetryPolicy;
  readonly #maxBatch: number;
  readonly #s: ReturnType<typeof prepareStatements>;
  #queue: PendingOp[] = [];
  #scheduled = false;
  #closed = false;
  #commits = 0;
  #operations = 0;

  constructor(options: SqliteStoreOptions) {
    this.#clock = options.clock ?? systemClock;
    this.#retry = options.retry ?? DEFAULT_RETRY_POLICY;
    this.#maxBatch = options.maxBatch ?? 5_000;
    const memory = options.path === ':memory:' || options.path.startsWith('file:');
    if (!memory) mkdirSync(dirname(options.path), { recursive: true });
    this.#db = new DatabaseSync(options.path);
    try {
      // ARCHITECTURE §3 store before acknowledge: a commit returns only after the WAL is fsynced.
      this.#db.exec(`PRAGMA busy_timeout = ${Math.trunc(options.busyTimeoutMs ?? 5_000)}`);
      this.#db.exec('PRAGMA journal_mode = WAL');
      this.#db.exec('PRAGMA synchronous = FULL');
      this.#db.exec('PRAGMA foreign_keys = ON');
      migrateSqlite(this.#db, this.#clock.now());
      this.#s = prepareStatements(this.#db);
    } catch (error) {
      this.#db.close();
      throw error;
    }
    this.store = this.#buildStore();
  }

  #buildStore(): SqliteStore {
    const messages: MessageStore = {
      append: (input) => this.#write(false, (b) => this.#append(b, input)),
      claim: (worker, limit, leaseMs) => this.#write(true, (b) => this.#claim(b, worker, limit, leaseMs)),
      settle: (id, worker, outcome) => this.#write(true, (b) => this.#settle(b, id, worker, outcome)),
      get: (id) => this.#read(() => this.#get(id)),
      list: (filter) => this.#read(() => this.#listMessages(filter)),
      events: (id) => this.#read(() => this.#events(id)),
      replay: (id, actor, reason) => this.#write(true, (b) => this.#replay(b, id, actor, reason)),
      countByState: () => this.#read(() => this.#countByState()),
      prune: (before) => this.#write(true, () => this.#prune(before)),
    };
    const tasks: TaskStore = {
      create: (task) => this.#write(true, (b) => this.#createTask(b, task)),
      get: (id) => this.#read(() => this.#getTask(id)),
      list: (filter) => this.#read(() => this.#listTasks(filter)),
      count: (filter) => this.#read(() => this.#countTasks(filter)),
    };
    const audit: AuditLog = {
      record: (entry) => this.#write(false, (b) => this.#recordAudit(b, entry)),
      list: (filter) => this.#read(() => this.#listAudit(filter)),
      verify: () => this.#read(() => this.#verifyAudit()),
    };
    return {
      kind: 'sqlite',
      messages,
      tasks,
      audit,
      ping: () => this.#read(() => void this.#s.ping.get()),
      close: () => this.#close(),
      stats: () => ({ commits: this.#commits, operations: this.#operations }),
      execRaw: (sql) => this.#read(() => void this.#db.exec(sql)),
    };
  }

  // ---- plumbing: reads run at once; writes queue for the next group commit -------------------------------

  #unavailable(): RxBridgeError {
    return new RxBridgeError(ErrorCode.StoreUnavailable, 'store is closed');
  }

  #read<T>(fn: () => T): Promise<T> {
    if (this.#closed) return Promise.reject(this.#unavailable());
    try {
      return Promise.resolve(fn());
    } catch (error) {
      return Promise.reject(mapSqliteError(error));
    }
  }

  #write<T>(isolated: boolean, run: (batch: Batch) => T): Promise<T> {
    if (this.#closed) return Promise.reject(this.#unavailable());
    return new Promise<T>((resolve, reject) => {
      this.#queue.push({ run, isolated, resolve: resolve as (v: unknown) => void, reject });
      if (!this.#scheduled) {
        this.#scheduled = true;
        // setImmediate runs after the current I/O poll phase, so every socket read of this turn shares the commit.
        setImmediate(() => this.#flush());
      }
    });
  }

  #flush(): void {
    this.#scheduled = false;
    while (this.#queue.length > 0) {
      const ops = this.#queue.length <= this.#maxBatch ? this.#queue : this.#queue.slice(0, this.#maxBatch);
      this.#queue = ops === this.#queue ? [] : this.#queue.slice(this.#maxBatch);
      this.#commitBatch(ops);
    }
  }

  #commitBatch(ops: PendingOp[]): void {
    const outcomes: { ok: boolean; value: unknown }[] = [];
    const db = this.#db;
    try {
      db.exec('BEGIN IMMEDIATE');
    } catch (error) {
      for (const op of ops) op.reject(mapSqliteError(error));
      return;
    }
    try {
      const batch: Batch = { now: this.#clock.now(), auditSeq: 0, auditHash: '', auditDirty: false };
      const head = this.#s.auditHead.get() as Row;
      batch.auditSeq = num(head.seq);
      batch.auditHash = str(head.hash);
      for (const op of ops) {
        if (!op.isolated) {
          outcomes.push({ ok: true, value: op.run(batch) });
          continue;
        }
        const savedSeq = batch.auditSeq;
        const savedHash = batch.auditHash;
        db.exec('SAVEPOINT op');
        try {
          outcomes.push({ ok: true, value: op.run(batch) });
          db.exec('RELEASE op');
        } catch (error) {
          db.exec('ROLLBACK TO op');
          db.exec('RELEASE op');
          batch.auditSeq = savedSeq;
          batch.auditHash = savedHash;
          if (!(error instanceof RxBridgeError && DOMAIN_CODES.has(error.code))) throw error;
          outcomes.push({ ok: false, value: error });
        }
      }
      if (batch.auditDirty) this.#s.setAuditHead.run(batch.auditSeq, batch.auditHash);
      db.exec('COMMIT');
      this.#commits += 1;
      this.#operations += ops.length;
    } catch (error) {
      if (db.isTransaction) db.exec('ROLLBACK');
      const mapped = mapSqliteError(error);
      for (const op of ops) op.reject(mapped);
      return;
    }
    ops.forEach((op, i) => {
      const outcome = outcomes[i];
      if (outcome?.ok) op.resolve(outcome.value);
      else op.reject(outcome?.value instanceof Error ? outcome.value : new Error('operation failed'));
    });
  }

  #close(): Promise<void> {
    if (this.#closed) return Promise.resolve();
    // Pending writes were promised durability: commit them before closing.
    if (this.#queue.length > 0) this.#flush();
    this.#closed = true;
    this.#db.close();
    return Promise.resolve();
  }

  // ---- audit -------------------------------------------------------------------------------------------------

  #appendAudit(batch: Batch, entry: AuditEntry): AuditRecord {
    const seq = batch.auditSeq + 1;
    const at = batch.now;
    const prevHash = batch.auditHash;
    const hash = auditHash(prevHash, seq, at, entry);
    this.#s.insertAudit.run(
      seq,
      at.getTime(),
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
    return { ...entry, seq, at, prevHash, hash };
  }

  #recordAudit(batch: Batch, entry: AuditEntry): AuditRecord {
    return this.#appendAudit(batch, entry);
  }

  #listAudit(filter: AuditFilter): AuditRecord[] {
    const { sql: where, params } = whereClause([
      ['patient = ?', filter.patient],
      ['actor = ?', filter.actor],
      ['action = ?', filter.action],
      ['entity = ?', filter.entity],
      ['at >= ?', filter.since?.getTime()],
    ]);
    params.push(filter.limit ?? 100);
    const sql = `SELECT * FROM audit_log ${where} ORDER BY seq DESC LIMIT ?`;
    return this.#db
      .prepare(sql)
      .all(...params)
      .map((r) => toAuditRecord(r));
  }

  #verifyAudit(): AuditVerifyResult {
    let expectedSeq = 1;
    let prevHash = GENESIS_HASH;
    let checked = 0;
    const page = this.#db.prepare('SELECT * FROM audit_log WHERE seq >= ? ORDER BY seq LIMIT 5000');
    for (;;) {
      const rows = page.all(expectedSeq).map((r) => toAuditRecord(r));
      if (rows.length === 0) break;
      for (const record of rows) {
        const bad = checkAuditLink(record, expectedSeq, prevHash);
        if (bad) return { ok: false, checked, firstBadSeq: bad.seq, problem: bad.problem };
        checked += 1;
        prevHash = record.hash;
        expectedSeq = record.seq + 1;
      }
    }
    const head = this.#s.auditHead.get() as Row;
    if (num(head.seq) !== expectedSeq - 1 || str(head.hash) !== prevHash) {
      return { ok: false, checked, firstBadSeq: expectedSeq, problem: 'chain ends before the recorded head' };
    }
    return { ok: true, checked };
  }

  // ---- messages --------------------------------------------------------------------------------------------

  #append(batch: Batch, input: IncomingMessage): AppendResult {
    const s = this.#s;
    const now = batch.now.getTime();
    const id = newId();
    const original = s.findByKey.get(input.idempotencyKey) as Row | undefined;
    const duplicateOf = original ? str(original.id) : null;
    const state: MessageState = duplicateOf ? 'duplicate' : 'received';
    const summary = input.summary ?? {};
    const result = s.insertMessage.run(
      id,
      input.channel,
      input.format,
      input.idempotencyKey,
      input.partitionKey,
      input.raw,
      JSON.stringify(summary),
      summary.type ?? null,
      input.ack ?? null,
      state,
      duplicateOf,
      now,
      now,
    );
    const sequence = Number(result.lastInsertRowid);
    s.insertEvent.run(
      id,
      now,
      null,
      state,
      `system:${input.channel}`,
      duplicateOf ? `duplicate of ${duplicateOf}` : null,
    );
    if (!duplicateOf) s.insertHeadIfAbsent.run(input.partitionKey, sequence, 0);
    this.#appendAudit(batch, {
      actor: `system:${input.channel}`,
      action: 'ingest',
      category: 'message',
      entity: id,
      patient: input.partitionKey,
      source: input.channel,
      outcome: 'success',
      ...(duplicateOf ? { detail: `duplicate of ${duplicateOf}` } : {}),
    });
    return duplicateOf
      ? { id, sequence, duplicate: true, originalId: duplicateOf }
      : { id, sequence, duplicate: false };
  }

  /** Keeps partition_heads in step: the oldest unfinished message of the partition and when it may be claimed. */
  #refreshHead(partitionKey: string): void {
    const head = this.#s.oldestUnfinished.get(partitionKey) as Row | undefined;
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
    const now = batch.now.getTime();
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
    const now = batch.now.getTime();
    for (const step of steps.events) s.insertEvent.run(id, now, step.from, step.to, worker, step.detail);
    const nextAttemptAt = steps.final === 'failed' ? now + retryDelayMs(this.#retry, steps.attempts) : null;
    s.settleMessage.run(steps.final, steps.attempts, nextAttemptAt, steps.lastError, now, id);
    this.#refreshHead(str(row.partition_key));
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
    const now = batch.now.getTime();
    s.replayMessage.run(now, id);
    s.insertEvent.run(id, now, from, 'received', actor, reason);
    this.#refreshHead(str(row.partition_key));
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

  #get(id: MessageId): StoredMessage | undefined {
    const row = this.#s.getMessage.get(id) as Row | undefined;
    return row ? toMessage(row) : undefined;
  }

  #listMessages(filter: MessageFilter): StoredMessage[] {
    const { sql: where, params } = whereClause([
      ['state = ?', filter.state],
      ['channel = ?', filter.channel],
      ['partition_key = ?', filter.partitionKey],
      ['type = ?', filter.type],
      ['sequence < ?', filter.beforeSequence],
    ]);
    params.push(filter.limit ?? 100);
    const sql = `SELECT * FROM messages ${where} ORDER BY sequence DESC LIMIT ?`;
    return this.#db
      .prepare(sql)
      .all(...params)
      .map((r) => toMessage(r));
  }

  #events(id: MessageId): MessageEvent[] {
    return this.#s.listEvents.all(id).map((r) => ({
      messageId: str(r.message_id),
      at: new Date(num(r.at)),
      from: strOrNull(r.from_state) as MessageState | null,
      to: str(r.to_state) as MessageState,
      actor: str(r.actor),
      detail: strOrNull(r.detail),
    }));
  }

  #countByState(): Record<MessageState, number> {
    const counts = Object.fromEntries(MESSAGE_STATES.map((state) => [state, 0])) as Record<
      MessageState,
      number
    >;
    for (const r of this.#s.countByState.all()) counts[str(r.state) as MessageState] = num(r.n);
    return counts;
  }

  #prune(before: Date): number {
    return Number(this.#s.prune.run(before.getTime()).changes);
  }

  // ---- tasks ---------------------------------------------------------------------------------------------

  #createTask(batch: Batch, task: NewTask): { task: Task; created: boolean } {
    const existing = this.#s.getTaskByKey.get(task.key) as Row | undefined;
    if (existing) return { task: toTask(existing), created: false };
    const now = batch.now.getTime();
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

  #getTask(id: TaskId): Task | undefined {
    const row = this.#s.getTask.get(id) as Row | undefined;
    return row ? toTask(row) : undefined;
  }

  #taskWhere(filter: TaskFilter): { sql: string; params: SQLInputValue[] } {
    return whereClause([
      ['status = ?', filter.status],
      ['type = ?', filter.type],
      ['priority = ?', filter.priority],
      ['source_message_id = ?', filter.sourceMessageId],
    ]);
  }

  #listTasks(filter: TaskFilter): Task[] {
    const { sql, params } = this.#taskWhere(filter);
    return this.#db
      .prepare(`SELECT * FROM tasks ${sql} ORDER BY seq DESC LIMIT ?`)
      .all(...params, filter.limit ?? 100)
      .map((r) => toTask(r));
  }

  #countTasks(filter: TaskFilter): number {
    const { sql, params } = this.#taskWhere(filter);
    const row = this.#db.prepare(`SELECT COUNT(*) AS n FROM tasks ${sql}`).get(...params) as Row;
    return num(row.n);
  }
}

interface SettleSteps {
  events: { from: MessageState; to: MessageState; detail: string | null }[];
  final: MessageState;
  attempts: number;
  lastError: string | null;
}

/** Validates the whole path before anything is written; shared shape with the PostgreSQL adapter. */
function settleSteps(
  current: MessageState,
  outcome: SettleOutcome,
  attempts: number,
  retry: RetryPolicy,
): SettleSteps {
  const events: SettleSteps['events'] = [];
  let from = current;
  const step = (to: MessageState, detail: string | null): void => {
    assertTransition(from, to);
    events.push({ from, to, detail });
    from = to;
  };
  for (const state of outcome.path) step(state, null);
  if (outcome.state !== 'failed') {
    step(outcome.state, outcome.detail ?? null);
    return { events, final: outcome.state, attempts, lastError: null };
  }
  const nextAttempts = attempts + 1;
  step('failed', outcome.error);
  if (!outcome.retryable || nextAttempts >= retry.maxAttempts) {
    step('dead', outcome.retryable ? `gave up after ${nextAttempts} attempts` : 'not retryable');
    return { events, final: 'dead', attempts: nextAttempts, lastError: outcome.error };
  }
  return { events, final: 'failed', attempts: nextAttempts, lastError: outcome.error };
}

function checkAuditLink(
  record: AuditRecord,
  expectedSeq: number,
  prevHash: string,
): { seq: number; problem: string } | undefined {
  if (record.seq !== expectedSeq) return { seq: expectedSeq, problem: `sequence gap: found ${record.seq}` };
  if (record.prevHash !== prevHash) return { seq: record.seq, problem: 'link to the previous entry broken' };
  const { seq, at, prevHash: _p, hash, ...entry } = record;
  if (auditHash(prevHash, seq, at, entry) !== hash)
    return { seq: record.seq, problem: 'hash does not match content' };
  return undefined;
}

function prepareStatements(db: DatabaseSync) {
  return {
    ping: db.prepare('SELECT 1'),
    auditHead: db.prepare('SELECT seq, hash FROM audit_head WHERE id = 1'),
    setAuditHead: db.prepare('UPDATE audit_head SET seq = ?, hash = ? WHERE id = 1'),
    insertAudit: db.prepare(
      `INSERT INTO audit_log (seq, at, actor, action, category, patient, source, outcome, entity, detail, prev_hash, hash)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    findByKey: db.prepare('SELECT id FROM messages WHERE idempotency_key = ? AND duplicate_of IS NULL'),
    insertMessage: db.prepare(
      `INSERT INTO messages (id, channel, format, idempotency_key, partition_key, raw, summary, type, ack, state,
         duplicate_of, received_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    insertEvent: db.prepare(
      'INSERT INTO message_events (message_id, at, from_state, to_state, actor, detail) VALUES (?, ?, ?, ?, ?, ?)',
    ),
    insertHeadIfAbsent: db.prepare(
      'INSERT INTO partition_heads (partition_key, head_sequence, ready_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING',
    ),
    oldestUnfinished: db.prepare(
      `SELECT sequence, state, lease_until, next_attempt_at FROM messages
       WHERE partition_key = ? AND ${SQLITE_UNFINISHED} ORDER BY sequence LIMIT 1`,
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
    listEvents: db.prepare('SELECT * FROM message_events WHERE message_id = ? ORDER BY id'),
    countByState: db.prepare('SELECT state, COUNT(*) AS n FROM messages GROUP BY state'),
    prune: db.prepare(
      `DELETE FROM messages WHERE state IN ('done', 'duplicate', 'dead') AND received_at < ?`,
    ),
    getTaskByKey: db.prepare('SELECT * FROM tasks WHERE key = ?'),
    insertTask: db.prepare(
      `INSERT INTO tasks (id, key, type, priority, status, patient, site, source_message_id, due_at, payload,
         created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING *`,
    ),
    getTask: db.prepare('SELECT * FROM tasks WHERE id = ?'),
  };
}
