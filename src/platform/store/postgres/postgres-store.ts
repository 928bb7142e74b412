// PostgreSQL adapter of the Store bundle (scaled mode): group-committed multi-row writes, SKIP LOCKED claims.
import pg from 'pg';
import type { PoolClient, QueryResultRow } from 'pg';
import { auditHash, checkAuditLink, GENESIS_HASH } from '../../../governance/audit/audit-hash.ts';
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
  appendRefusal,
  claimRefusal,
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
  TaskUpdate,
} from '../task-store.ts';
import { retryDelayMs, settleSteps } from '../settle-steps.ts';
import { assertSchemaName, migratePostgres, PG_UNFINISHED } from './migrations.ts';

export { retryDelayMs } from '../settle-steps.ts';

export interface PostgresStoreOptions {
  /** postgres://user@host:port/db */
  url: string;
  /** Everything lives in this schema, created if missing. */
  schema?: string;
  clock?: Clock;
  retry?: RetryPolicy;
  poolSize?: number;
  /** How long to wait for a connection before failing with StoreUnavailable. */
  connectTimeoutMs?: number;
  /** Upper bound of operations committed together. */
  maxBatch?: number;
}

/** Group-commit counters: `commits` lower than `operations` means writes shared transactions. */
export interface StoreStats {
  commits: number;
  operations: number;
}

export interface PostgresStore extends Store {
  readonly kind: 'postgres';
  readonly schema: string;
  stats(): StoreStats;
  /** Test hook: runs raw SQL in the store's schema (tamper tests). Never used by application code. */
  execRaw(sql: string): Promise<void>;
}

interface Batch {
  client: PoolClient;
  now: Date;
  /** Audit records of this batch; seq and hashes are filled in by #flushAudit under the chain head lock. */
  audit: AuditRecord[];
}

type PendingOp =
  | { kind: 'append'; input: IncomingMessage; resolve: (v: AppendResult) => void; reject: (e: Error) => void }
  | {
      kind: 'settle';
      id: MessageId;
      worker: string;
      outcome: SettleOutcome;
      resolve: (v: void) => void;
      reject: (e: Error) => void;
    }
  | { kind: 'audit'; entry: AuditEntry; resolve: (v: AuditRecord) => void; reject: (e: Error) => void }
  | {
      kind: 'other';
      run: (batch: Batch) => Promise<unknown>;
      resolve: (v: unknown) => void;
      reject: (e: Error) => void;
    };

const DOMAIN_CODES: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  ErrorCode.IllegalTransition,
  ErrorCode.Conflict,
  ErrorCode.NotFound,
  ErrorCode.InvalidInput,
]);

/**
 * Batches of different processes run side by side, so PostgreSQL may abort one as a deadlock victim (40P01), or
 * two listeners may store the same new idempotency key at once (23505): the batch is run again, up to this many
 * times in all (the second run sees the other's commit and records a duplicate).
 */
const BATCH_ATTEMPTS = 3;
const RETRIED_SQLSTATES = new Set(['40P01', '23505']);

/** SQLSTATEs that mean "the database is not there right now" (PostgreSQL appendix A: classes 08, 57P, 53300). */
const UNAVAILABLE_SQLSTATES = new Set(['57P01', '57P02', '57P03', '53300', '40001', '40P01']);
const CONNECTION_MESSAGES =
  /Connection terminated|connection error|timeout exceeded when trying to connect|not queryable/i;

function mapPgError(error: unknown): Error {
  if (error instanceof RxBridgeError) return error;
  const code = (error as { code?: unknown }).code;
  const message = error instanceof Error ? error.message : String(error);
  if (code === '53100')
    return new RxBridgeError(ErrorCode.StoreFull, 'database disk is full', { cause: error });
  const unavailable =
    (typeof code === 'string' &&
      (code.startsWith('08') || UNAVAILABLE_SQLSTATES.has(code) || /^E[A-Z]+$/.test(code))) ||
    CONNECTION_MESSAGES.test(message) ||
    (error instanceof AggregateError && error.errors.length > 0);
  if (unavailable) {
    return new RxBridgeError(
      ErrorCode.StoreUnavailable,
      `postgres store unavailable (${typeof code === 'string' ? code : 'connection lost'})`,
      {
        cause: error,
      },
    );
  }
  return error instanceof Error ? error : new Error(message);
}

interface MessageRow {
  sequence: string;
  id: string;
  channel: string;
  format: string;
  idempotency_key: string;
  partition_key: string;
  raw: Buffer;
  summary: MessageSummary;
  ack: string | null;
  state: string;
  attempts: number;
  next_attempt_at: Date | null;
  last_error: string | null;
  duplicate_of: string | null;
  lease_owner: string | null;
  received_at: Date;
  updated_at: Date;
}

interface TaskRow {
  id: string;
  key: string;
  type: string;
  priority: string;
  status: string;
  assignee: string | null;
  version: number;
  work: unknown;
  patient: TaskPatient;
  site: string | null;
  source_message_id: string | null;
  due_at: Date | null;
  payload: unknown;
  created_at: Date;
  updated_at: Date;
}

interface AuditRow {
  seq: string;
  at: Date;
  actor: string;
  action: string;
  category: string;
  patient: string | null;
  source: string;
  outcome: string;
  entity: string | null;
  detail: string | null;
  prev_hash: string;
  hash: string;
}

function toMessage(r: MessageRow): StoredMessage {
  return {
    id: r.id,
    sequence: Number(r.sequence),
    channel: r.channel,
    format: r.format as MessageFormat,
    idempotencyKey: r.idempotency_key,
    partitionKey: r.partition_key,
    raw: new Uint8Array(r.raw),
    summary: r.summary,
    ack: r.ack,
    state: r.state as MessageState,
    attempts: r.attempts,
    nextAttemptAt: r.next_attempt_at,
    lastError: r.last_error,
    duplicateOf: r.duplicate_of,
    receivedAt: r.received_at,
    updatedAt: r.updated_at,
  };
}

function toTask(r: TaskRow): Task {
  return {
    id: r.id,
    key: r.key,
    type: r.type,
    priority: r.priority as TaskPriority,
    status: r.status as TaskStatus,
    assignee: r.assignee,
    version: r.version,
    work: r.work,
    patient: r.patient,
    site: r.site,
    sourceMessageId: r.source_message_id,
    dueAt: r.due_at,
    payload: r.payload,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

function toAuditRecord(r: AuditRow): AuditRecord {
  const record: AuditRecord = {
    seq: Number(r.seq),
    at: r.at,
    actor: r.actor,
    action: r.action as AuditRecord['action'],
    category: r.category,
    source: r.source,
    outcome: r.outcome as AuditRecord['outcome'],
    prevHash: r.prev_hash,
    hash: r.hash,
  };
  if (r.patient !== null) record.patient = r.patient;
  if (r.entity !== null) record.entity = r.entity;
  if (r.detail !== null) record.detail = r.detail;
  return record;
}

/** `WHERE` with numbered parameters from the conditions whose value is given (`$` marks the parameter). */
function whereClause(conditions: readonly [string, unknown][]): { sql: string; params: unknown[] } {
  const params: unknown[] = [];
  const parts: string[] = [];
  for (const [sql, value] of conditions) {
    if (value === undefined) continue;
    params.push(value);
    parts.push(sql.replace('$', `$${params.length}`));
  }
  return { sql: parts.length > 0 ? `WHERE ${parts.join(' AND ')}` : '', params };
}

/** Connects, creates the schema if missing and applies pending migrations. */
export async function openPostgresStore(options: PostgresStoreOptions): Promise<PostgresStore> {
  const schema = options.schema ?? 'rxbridge';
  assertSchemaName(schema);
  const pool = new pg.Pool({
    connectionString: options.url,
    max: options.poolSize ?? 10,
    connectionTimeoutMillis: options.connectTimeoutMs ?? 5_000,
    options: `-c search_path=${schema}`,
    application_name: 'rxbridge',
  });
  // An idle connection dropped by the server: the next query reports it (as StoreUnavailable).
  pool.on('error', () => undefined);
  // A checked-out connection that drops between queries must not become an uncaught exception.
  pool.on('connect', (client) => client.on('error', () => undefined));
  const clock = options.clock ?? systemClock;
  try {
    await migratePostgres(pool, schema, clock.now());
  } catch (error) {
    await pool.end().catch(() => undefined);
    throw mapPgError(error);
  }
  return new PostgresStoreImpl(pool, schema, clock, options).store;
}

class PostgresStoreImpl {
  readonly store: PostgresStore;
  readonly #pool: pg.Pool;
  readonly #clock: Clock;
  readonly #retry: RetryPolicy;
  readonly #maxBatch: number;
  #queue: PendingOp[] = [];
  #draining: Promise<void> | undefined;
  #closed = false;
  #commits = 0;
  #operations = 0;

  constructor(pool: pg.Pool, schema: string, clock: Clock, options: PostgresStoreOptions) {
    this.#pool = pool;
    this.#clock = clock;
    this.#retry = options.retry ?? DEFAULT_RETRY_POLICY;
    this.#maxBatch = options.maxBatch ?? 2_000;
    const messages: MessageStore = {
      append: (input) => this.#enqueueAppend(input),
      claim: (worker, limit, leaseMs) => {
        const refused = claimRefusal(worker, limit, leaseMs);
        return refused ? Promise.reject(refused) : this.#claim(worker, limit, leaseMs);
      },
      settle: (id, worker, outcome) => this.#enqueueSettle(id, worker, outcome),
      get: (id) => this.#get(id),
      list: (filter) => this.#listMessages(filter),
      events: (id) => this.#events(id),
      replay: (id, actor, reason) => this.#write((b) => this.#replay(b, id, actor, reason)),
      countByState: () => this.#countByState(),
      prune: (before) => this.#prune(before),
    };
    const tasks: TaskStore = {
      create: (task) => this.#write((b) => this.#createTask(b, task)),
      get: (id) => this.#getTask(id),
      list: (filter) => this.#listTasks(filter),
      count: (filter) => this.#countTasks(filter),
      update: (id, change) => this.#write((b) => this.#updateTask(b, id, change)),
    };
    const audit: AuditLog = {
      record: (entry) => this.#enqueueAudit(entry),
      list: (filter) => this.#listAudit(filter),
      verify: () => this.#verifyAudit(),
    };
    this.store = {
      kind: 'postgres',
      schema,
      messages,
      tasks,
      audit,
      ping: async () => void (await this.#query('SELECT 1')),
      close: () => this.#close(),
      stats: () => ({ commits: this.#commits, operations: this.#operations }),
      execRaw: async (sql) => void (await this.#query(sql)),
    };
  }

  // ---- plumbing ------------------------------------------------------------------------------------------

  #unavailable(): RxBridgeError {
    return new RxBridgeError(ErrorCode.StoreUnavailable, 'store is closed');
  }

  async #query<R extends QueryResultRow>(sql: string, params: unknown[] = []): Promise<R[]> {
    if (this.#closed) throw this.#unavailable();
    try {
      return (await this.#pool.query<R>(sql, params)).rows;
    } catch (error) {
      throw mapPgError(error);
    }
  }

  #enqueueAppend(input: IncomingMessage): Promise<AppendResult> {
    if (this.#closed) return Promise.reject(this.#unavailable());
    const refused = appendRefusal(input);
    if (refused) return Promise.reject(refused);
    return new Promise((resolve, reject) => {
      this.#queue.push({ kind: 'append', input, resolve, reject });
      this.#schedule();
    });
  }

  #enqueueSettle(id: MessageId, worker: string, outcome: SettleOutcome): Promise<void> {
    if (this.#closed) return Promise.reject(this.#unavailable());
    return new Promise((resolve, reject) => {
      this.#queue.push({ kind: 'settle', id, worker, outcome, resolve, reject });
      this.#schedule();
    });
  }

  #enqueueAudit(entry: AuditEntry): Promise<AuditRecord> {
    if (this.#closed) return Promise.reject(this.#unavailable());
    return new Promise((resolve, reject) => {
      this.#queue.push({ kind: 'audit', entry, resolve, reject });
      this.#schedule();
    });
  }

  #write<T>(run: (batch: Batch) => Promise<T>): Promise<T> {
    if (this.#closed) return Promise.reject(this.#unavailable());
    return new Promise<T>((resolve, reject) => {
      this.#queue.push({ kind: 'other', run, resolve: resolve as (v: unknown) => void, reject });
      this.#schedule();
    });
  }

  /** One batch in flight at a time; whatever arrives meanwhile forms the next batch. */
  #schedule(): void {
    if (this.#draining) return;
    this.#draining = new Promise<void>((done) => {
      setImmediate(() => {
        void this.#drain().finally(() => {
          this.#draining = undefined;
          done();
          // Callers resumed by the last commit may have queued more after the loop's final check.
          if (this.#queue.length > 0) this.#schedule();
        });
      });
    });
  }

  async #drain(): Promise<void> {
    while (this.#queue.length > 0) {
      const ops = this.#queue.splice(0, this.#maxBatch);
      await this.#commitBatch(ops);
    }
  }

  /**
   * Commits `ops` in one transaction, in a fixed handful of statements: appends and settles in bulk, other writes
   * one by one, the audit chain last. Locks, always in this order: message rows, partition heads (by key), the
   * audit chain head. Only the chain head serializes writers, and only for its last two statements and COMMIT;
   * partition heads are kept right by their row locks (see #settleBulk).
   */
  async #commitBatch(ops: PendingOp[]): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      if ((await this.#commitBatchOnce(ops, attempt < BATCH_ATTEMPTS)) === 'done') return;
    }
  }

  async #commitBatchOnce(ops: PendingOp[], mayRetry: boolean): Promise<'done' | 'retry'> {
    let client: PoolClient;
    try {
      client = await this.#pool.connect();
    } catch (error) {
      const mapped = mapPgError(error);
      for (const op of ops) op.reject(mapped);
      return 'done';
    }
    let broken = false;
    const settled: (() => void)[] = [];
    try {
      await client.query('BEGIN');
      const batch: Batch = { client, now: this.#clock.now(), audit: [] };
      const appends = ops.filter((op) => op.kind === 'append');
      if (appends.length > 0) {
        const results = await this.#appendBulk(
          batch,
          appends.map((op) => op.input),
        );
        appends.forEach((op, i) => settled.push(() => op.resolve(results[i]!)));
      }
      const settles = ops.filter((op) => op.kind === 'settle');
      if (settles.length > 0) {
        const refused = await this.#settleBulk(batch, settles);
        settles.forEach((op, i) => {
          const error = refused[i];
          settled.push(error ? () => op.reject(error) : () => op.resolve());
        });
      }
      for (const op of ops) {
        if (op.kind === 'audit') {
          const record = this.#appendAudit(batch, op.entry);
          settled.push(() => op.resolve(record));
          continue;
        }
        if (op.kind !== 'other') continue;
        // No savepoint: every write refuses (domain error) before it changes anything, so a refusal leaves
        // nothing to undo but the audit records it may have added.
        const savedAudit = batch.audit.length;
        try {
          const value = await op.run(batch);
          settled.push(() => op.resolve(value));
        } catch (error) {
          if (!(error instanceof RxBridgeError && DOMAIN_CODES.has(error.code))) throw error;
          batch.audit.length = savedAudit;
          settled.push(() => op.reject(error));
        }
      }
      await this.#flushAudit(batch);
      await client.query('COMMIT');
      this.#commits += 1;
      this.#operations += ops.length;
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      if (mayRetry && typeof code === 'string' && RETRIED_SQLSTATES.has(code)) {
        const rolledBack = await client.query('ROLLBACK').then(
          () => true,
          () => false,
        );
        client.release(!rolledBack);
        return 'retry';
      }
      const mapped = mapPgError(error);
      broken = mapped instanceof RxBridgeError && mapped.code === ErrorCode.StoreUnavailable;
      if (!broken) await client.query('ROLLBACK').catch(() => (broken = true));
      client.release(broken);
      for (const op of ops) op.reject(mapped);
      return 'done';
    }
    client.release();
    for (const resolve of settled) resolve();
    return 'done';
  }

  async #close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    // Writes queued before close were promised durability: let them commit first.
    while (this.#draining) await this.#draining;
    await this.#pool.end();
  }

  // ---- audit -------------------------------------------------------------------------------------------------

  /** The record is completed (seq, prevHash, hash) by #flushAudit, before the batch's callers see it. */
  #appendAudit(batch: Batch, entry: AuditEntry): AuditRecord {
    const record: AuditRecord = { ...entry, seq: 0, at: batch.now, prevHash: '', hash: '' };
    batch.audit.push(record);
    return record;
  }

  /**
   * Locks the chain head, links this batch's records to it and writes them with the new head: the last two
   * statements before COMMIT, so writers queue on the single chain only for that long. The holder of the head lock
   * waits for nothing else, so it never closes a deadlock cycle. Batches without audit records skip it.
   */
  async #flushAudit(batch: Batch): Promise<void> {
    const rows = batch.audit;
    if (rows.length === 0) return;
    const head = (
      await batch.client.query<{ seq: string; hash: string }>(
        'SELECT seq, hash FROM audit_head WHERE id = 1 FOR UPDATE',
      )
    ).rows[0];
    if (!head) throw new Error('audit_head row missing');
    let seq = Number(head.seq);
    let prevHash = head.hash;
    for (const record of rows) {
      seq += 1;
      const { seq: _seq, at: _at, prevHash: _prev, hash: _hash, ...entry } = record;
      record.seq = seq;
      record.prevHash = prevHash;
      record.hash = auditHash(prevHash, seq, batch.now, entry);
      prevHash = record.hash;
    }
    await batch.client.query(
      `WITH rows AS (
         INSERT INTO audit_log (seq, at, actor, action, category, patient, source, outcome, entity, detail, prev_hash,
           hash)
         SELECT seq, $1, actor, action, category, patient, source, outcome, entity, detail, prev_hash, hash
         FROM unnest($2::bigint[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[],
           $10::text[], $11::text[], $12::text[])
           AS t(seq, actor, action, category, patient, source, outcome, entity, detail, prev_hash, hash)
       )
       UPDATE audit_head SET seq = $13, hash = $14 WHERE id = 1`,
      [
        batch.now,
        rows.map((r) => r.seq),
        rows.map((r) => r.actor),
        rows.map((r) => r.action),
        rows.map((r) => r.category),
        rows.map((r) => r.patient ?? null),
        rows.map((r) => r.source),
        rows.map((r) => r.outcome),
        rows.map((r) => r.entity ?? null),
        rows.map((r) => r.detail ?? null),
        rows.map((r) => r.prevHash),
        rows.map((r) => r.hash),
        seq,
        prevHash,
      ],
    );
  }

  async #listAudit(filter: AuditFilter): Promise<AuditRecord[]> {
    const { sql, params } = whereClause([
      ['patient = $', filter.patient],
      ['actor = $', filter.actor],
      ['action = $', filter.action],
      ['entity = $', filter.entity],
      ['category = $', filter.category],
      ['outcome = $', filter.outcome],
      ['at >= $', filter.since],
      ['at < $', filter.until],
      ['seq = $', filter.seq],
      ['seq < $', filter.beforeSeq],
    ]);
    params.push(filter.limit ?? 100);
    const rows = await this.#query<AuditRow>(
      `SELECT * FROM audit_log ${sql} ORDER BY seq DESC LIMIT $${params.length}`,
      params,
    );
    return rows.map(toAuditRecord);
  }

  async #verifyAudit(): Promise<AuditVerifyResult> {
    let expectedSeq = 1;
    let prevHash = GENESIS_HASH;
    let checked = 0;
    for (;;) {
      const rows = await this.#query<AuditRow>(
        'SELECT * FROM audit_log WHERE seq >= $1 ORDER BY seq LIMIT 5000',
        [expectedSeq],
      );
      if (rows.length === 0) break;
      for (const row of rows) {
        const record = toAuditRecord(row);
        const bad = checkAuditLink(record, expectedSeq, prevHash);
        if (bad) return { ok: false, checked, firstBadSeq: bad.seq, problem: bad.problem };
        checked += 1;
        prevHash = record.hash;
        expectedSeq = record.seq + 1;
      }
    }
    const [head] = await this.#query<{ seq: string; hash: string }>(
      'SELECT seq, hash FROM audit_head WHERE id = 1',
    );
    if (!head || Number(head.seq) !== expectedSeq - 1 || head.hash !== prevHash) {
      return { ok: false, checked, firstBadSeq: expectedSeq, problem: 'chain ends before the recorded head' };
    }
    return { ok: true, checked };
  }

  // ---- messages --------------------------------------------------------------------------------------------

  /** All appends of a batch in a handful of statements: dedupe lookup, one multi-row insert per table. */
  async #appendBulk(batch: Batch, inputs: IncomingMessage[]): Promise<AppendResult[]> {
    const { client, now } = batch;
    const keys = [...new Set(inputs.map((m) => m.idempotencyKey))];
    const known = new Map(
      (
        await client.query<{ idempotency_key: string; id: string }>(
          'SELECT idempotency_key, id FROM messages WHERE idempotency_key = ANY($1::text[]) AND duplicate_of IS NULL',
          [keys],
        )
      ).rows.map((r) => [r.idempotency_key, r.id]),
    );
    const ids: string[] = [];
    const duplicateOf: (string | null)[] = [];
    for (const input of inputs) {
      const id = newId();
      const original = known.get(input.idempotencyKey);
      ids.push(id);
      duplicateOf.push(original ?? null);
      if (original === undefined) known.set(input.idempotencyKey, id);
    }
    const states = duplicateOf.map((d) => (d ? 'duplicate' : 'received'));
    // One statement: the rows, their first events, and a head for each partition that gets a new original. The head
    // upsert locks existing head rows in key order (like #settleBulk), so a worker refreshing a head waits for this
    // commit and then sees these messages; a head a worker deletes meanwhile is inserted again once it commits.
    const inserted = await client.query<{ id: string; sequence: string }>(
      `WITH input AS (
         SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::bytea[], $7::text[],
           $8::text[], $9::text[], $10::text[], $11::text[], $13::text[], $14::text[]) WITH ORDINALITY
           AS t(id, channel, format, ikey, pkey, raw, summary, type, ack, state, dup, actor, detail, ord)
       ), ins AS (
         INSERT INTO messages (id, channel, format, idempotency_key, partition_key, raw, summary, type, ack, state,
           duplicate_of, received_at, updated_at)
         SELECT id, channel, format, ikey, pkey, raw, summary::jsonb, type, ack, state, dup, $12, $12
         FROM input ORDER BY ord
         RETURNING id, sequence, partition_key, state
       ), events AS (
         INSERT INTO message_events (message_id, at, from_state, to_state, actor, detail)
         SELECT id, $12, NULL, state, actor, detail FROM input ORDER BY ord
       ), heads AS (
         INSERT INTO partition_heads (partition_key, head_sequence, ready_at)
         SELECT partition_key, min(sequence), '-infinity' FROM ins WHERE state = 'received'
         GROUP BY partition_key ORDER BY partition_key
         ON CONFLICT (partition_key) DO UPDATE SET head_sequence = excluded.head_sequence, ready_at = excluded.ready_at
           WHERE excluded.head_sequence < partition_heads.head_sequence
       )
       SELECT id, sequence FROM ins`,
      [
        ids,
        inputs.map((m) => m.channel),
        inputs.map((m) => m.format),
        inputs.map((m) => m.idempotencyKey),
        inputs.map((m) => m.partitionKey),
        inputs.map((m) => m.raw),
        inputs.map((m) => JSON.stringify(m.summary ?? {})),
        inputs.map((m) => m.summary?.type ?? null),
        inputs.map((m) => m.ack ?? null),
        states,
        duplicateOf,
        now,
        inputs.map((m) => `system:${m.channel}`),
        duplicateOf.map((d) => (d ? `duplicate of ${d}` : null)),
      ],
    );
    const sequences = new Map(inserted.rows.map((r) => [r.id, Number(r.sequence)]));
    return inputs.map((input, i) => {
      const id = ids[i]!;
      const original = duplicateOf[i];
      this.#appendAudit(batch, {
        actor: `system:${input.channel}`,
        action: 'ingest',
        category: 'message',
        entity: id,
        patient: input.partitionKey,
        source: input.channel,
        outcome: 'success',
        ...(original ? { detail: `duplicate of ${original}` } : {}),
      });
      const sequence = sequences.get(id) ?? 0;
      return original
        ? { id, sequence, duplicate: true, originalId: original }
        : { id, sequence, duplicate: false };
    });
  }

  /**
   * Keeps partition_heads in step: the oldest unfinished message of the partition and when it may be claimed. The
   * head row is locked first, in its own statement: a listener that is appending to the partition holds that lock
   * until it commits, so the next statement (a new snapshot) sees its message and does not delete the head.
   */
  async #refreshHead(client: PoolClient, partitionKey: string): Promise<void> {
    await client.query('SELECT 1 FROM partition_heads WHERE partition_key = $1 FOR UPDATE', [partitionKey]);
    await client.query(
      `WITH o AS (
         SELECT sequence,
           CASE WHEN lease_until IS NOT NULL THEN lease_until
                WHEN state = 'failed' AND next_attempt_at IS NOT NULL THEN next_attempt_at
                ELSE '-infinity'::timestamptz END AS ready
         FROM messages WHERE partition_key = $1 AND ${PG_UNFINISHED} ORDER BY sequence LIMIT 1
       ), gone AS (
         DELETE FROM partition_heads WHERE partition_key = $1 AND NOT EXISTS (SELECT 1 FROM o)
       )
       INSERT INTO partition_heads (partition_key, head_sequence, ready_at) SELECT $1, sequence, ready FROM o
       ON CONFLICT (partition_key) DO UPDATE SET head_sequence = excluded.head_sequence, ready_at = excluded.ready_at`,
      [partitionKey],
    );
  }

  /**
   * One statement: lock due heads and their messages with SKIP LOCKED (claimers never wait), lease, return. The
   * lease commits without waiting for its WAL flush (synchronous_commit off for this transaction only): a lease lost
   * in a database crash only makes the message claimable again, which redelivery handles anyway, and the settle's
   * own synchronous commit flushes the lease's WAL with it. Measured: claims were 13% of the busy samples waiting on
   * WAL fsync.
   */
  async #claim(worker: string, limit: number, leaseMs: number): Promise<StoredMessage[]> {
    const now = this.#clock.now();
    const until = new Date(now.getTime() + leaseMs);
    const rows = await this.#query<MessageRow>(
      `WITH h AS (
         SELECT partition_key, head_sequence FROM partition_heads
         WHERE ready_at <= $1 ORDER BY head_sequence LIMIT $2 FOR UPDATE SKIP LOCKED
       ), m AS (
         SELECT msg.sequence FROM messages msg JOIN h ON msg.sequence = h.head_sequence
         WHERE msg.${PG_UNFINISHED} FOR UPDATE OF msg SKIP LOCKED
       ), u AS (
         UPDATE messages SET lease_owner = $3, lease_until = $4, updated_at = $1
         FROM m WHERE messages.sequence = m.sequence
         RETURNING messages.*
       ), hu AS (
         UPDATE partition_heads SET ready_at = $4 FROM u WHERE partition_heads.partition_key = u.partition_key
       )
       SELECT * FROM u WHERE (SELECT set_config('synchronous_commit', 'off', true)) = 'off' ORDER BY sequence`,
      [now, Math.max(0, Math.trunc(limit)), worker, until],
    );
    return rows.map(toMessage);
  }

  async #lockMessage(client: PoolClient, id: MessageId): Promise<MessageRow> {
    const row = (await client.query<MessageRow>('SELECT * FROM messages WHERE id = $1 FOR UPDATE', [id]))
      .rows[0];
    if (!row) throw new RxBridgeError(ErrorCode.NotFound, `message ${id} not found`);
    return row;
  }

  async #insertEvents(
    batch: Batch,
    id: MessageId,
    actor: string,
    events: readonly { from: MessageState; to: MessageState; detail: string | null }[],
  ): Promise<void> {
    await batch.client.query(
      `INSERT INTO message_events (message_id, at, from_state, to_state, actor, detail)
       SELECT $1, $2, f, t, $3, d FROM unnest($4::text[], $5::text[], $6::text[]) WITH ORDINALITY AS x(f, t, d, ord)
       ORDER BY ord`,
      [id, batch.now, actor, events.map((e) => e.from), events.map((e) => e.to), events.map((e) => e.detail)],
    );
  }

  /**
   * Every settle of a batch in two statements. The first locks the messages and then their partition heads (in key
   * order, like appends); the second, with a snapshot taken after those locks, writes the outcomes and events and
   * moves each head to the partition's oldest unfinished message (or deletes it). An append to the same partition
   * either committed before the lock (and is seen) or waits for this commit (and inserts its head again).
   * Returns, per op, the error that refused it (not leased by the worker, illegal transition) or undefined.
   */
  async #settleBulk(
    batch: Batch,
    ops: readonly { id: MessageId; worker: string; outcome: SettleOutcome }[],
  ): Promise<(Error | undefined)[]> {
    const { client, now } = batch;
    const locked = await client.query<{
      id: string;
      partition_key: string;
      state: string;
      attempts: number;
      lease_owner: string | null;
    }>(
      `WITH m AS (
         SELECT id, partition_key, state, attempts, lease_owner FROM messages WHERE id = ANY($1::text[])
         ORDER BY sequence FOR UPDATE
       ), h AS (
         SELECT partition_key FROM partition_heads WHERE partition_key IN (SELECT partition_key FROM m)
         ORDER BY partition_key FOR UPDATE
       )
       SELECT m.*, (SELECT count(*) FROM h) AS heads FROM m`,
      [[...new Set(ops.map((op) => op.id))]],
    );
    const rows = new Map(locked.rows.map((r) => [r.id, r]));
    const seen = new Set<string>();
    const refused: (Error | undefined)[] = [];
    const update = { ids: [] as string[], states: [] as string[], attempts: [] as number[] };
    const nextAt: (Date | null)[] = [];
    const lastError: (string | null)[] = [];
    const events = {
      ids: [] as string[],
      from: [] as string[],
      to: [] as string[],
      actor: [] as string[],
      detail: [] as (string | null)[],
    };
    for (const op of ops) {
      const row = rows.get(op.id);
      if (!row) {
        refused.push(new RxBridgeError(ErrorCode.NotFound, `message ${op.id} not found`));
        continue;
      }
      // The same message twice in one batch: the second finds the lease already released.
      if (row.lease_owner !== op.worker || seen.has(op.id)) {
        refused.push(new RxBridgeError(ErrorCode.Conflict, `message ${op.id} is not leased by ${op.worker}`));
        continue;
      }
      let steps;
      try {
        steps = settleSteps(row.state as MessageState, op.outcome, row.attempts, this.#retry);
      } catch (error) {
        refused.push(error instanceof Error ? error : new Error(String(error)));
        continue;
      }
      seen.add(op.id);
      refused.push(undefined);
      update.ids.push(op.id);
      update.states.push(steps.final);
      update.attempts.push(steps.attempts);
      nextAt.push(
        steps.final === 'failed' ? new Date(now.getTime() + retryDelayMs(this.#retry, steps.attempts)) : null,
      );
      lastError.push(steps.lastError);
      for (const e of steps.events) {
        events.ids.push(op.id);
        events.from.push(e.from);
        events.to.push(e.to);
        events.actor.push(op.worker);
        events.detail.push(e.detail);
      }
    }
    if (update.ids.length === 0) return refused;
    await client.query(
      `WITH s AS (
         SELECT * FROM unnest($1::text[], $2::text[], $3::int[], $4::timestamptz[], $5::text[])
           AS s(id, state, attempts, next_at, last_error)
       ), u AS (
         UPDATE messages SET state = s.state, attempts = s.attempts, next_attempt_at = s.next_at,
           last_error = s.last_error, updated_at = $6, lease_owner = NULL, lease_until = NULL
         FROM s WHERE messages.id = s.id
         RETURNING messages.partition_key, messages.sequence, messages.state, messages.next_attempt_at
       ), e AS (
         INSERT INTO message_events (message_id, at, from_state, to_state, actor, detail)
         SELECT id, $6, f, t, a, d FROM unnest($7::text[], $8::text[], $9::text[], $10::text[], $11::text[])
           WITH ORDINALITY AS x(id, f, t, a, d, ord)
         ORDER BY ord
       ), p AS (
         SELECT DISTINCT partition_key FROM u
       ), c AS (
         -- The snapshot still shows the settled rows as they were: leave them out and add them at their new state.
         SELECT DISTINCT ON (p.partition_key) p.partition_key, x.sequence, x.ready
         FROM p CROSS JOIN LATERAL (
           (SELECT sequence,
              CASE WHEN lease_until IS NOT NULL THEN lease_until
                   WHEN state = 'failed' AND next_attempt_at IS NOT NULL THEN next_attempt_at
                   ELSE '-infinity'::timestamptz END AS ready
            FROM messages
            WHERE partition_key = p.partition_key AND ${PG_UNFINISHED} AND NOT (id = ANY($1::text[]))
            ORDER BY sequence LIMIT 1)
           UNION ALL
           SELECT u.sequence, COALESCE(u.next_attempt_at, '-infinity'::timestamptz)
           FROM u WHERE u.partition_key = p.partition_key AND u.${PG_UNFINISHED}
         ) x
         ORDER BY p.partition_key, x.sequence
       ), gone AS (
         DELETE FROM partition_heads USING p
         WHERE partition_heads.partition_key = p.partition_key
           AND NOT EXISTS (SELECT 1 FROM c WHERE c.partition_key = p.partition_key)
       )
       INSERT INTO partition_heads (partition_key, head_sequence, ready_at)
       SELECT partition_key, sequence, ready FROM c
       ON CONFLICT (partition_key) DO UPDATE SET head_sequence = excluded.head_sequence, ready_at = excluded.ready_at`,
      [
        update.ids,
        update.states,
        update.attempts,
        nextAt,
        lastError,
        now,
        events.ids,
        events.from,
        events.to,
        events.actor,
        events.detail,
      ],
    );
    return refused;
  }

  async #replay(batch: Batch, id: MessageId, actor: string, reason: string): Promise<void> {
    const row = await this.#lockMessage(batch.client, id);
    const from = row.state as MessageState;
    if (!canReplay(from))
      throw new RxBridgeError(ErrorCode.IllegalTransition, `a ${from} message cannot be replayed`);
    assertTransition(from, 'received');
    await batch.client.query(
      `UPDATE messages SET state = 'received', attempts = 0, next_attempt_at = NULL, last_error = NULL,
         lease_owner = NULL, lease_until = NULL, updated_at = $1
       WHERE id = $2`,
      [batch.now, id],
    );
    await this.#insertEvents(batch, id, actor, [{ from, to: 'received', detail: reason }]);
    await this.#refreshHead(batch.client, row.partition_key);
    // A later message of the partition may be in work right now: the replayed one waits for that lease to end (or
    // for its settle, which refreshes the head), so a partition never has two messages in work at once.
    await batch.client.query(
      `UPDATE partition_heads h SET ready_at = GREATEST(h.ready_at, l.until)
       FROM (SELECT MAX(lease_until) AS until FROM messages
             WHERE partition_key = $1 AND sequence > $2 AND lease_until > $3) l
       WHERE h.partition_key = $1 AND l.until IS NOT NULL`,
      [row.partition_key, row.sequence, batch.now],
    );
    this.#appendAudit(batch, {
      actor,
      action: 'replay',
      category: 'message',
      entity: id,
      patient: row.partition_key,
      source: row.channel,
      outcome: 'success',
      detail: reason,
    });
  }

  async #get(id: MessageId): Promise<StoredMessage | undefined> {
    const [row] = await this.#query<MessageRow>('SELECT * FROM messages WHERE id = $1', [id]);
    return row ? toMessage(row) : undefined;
  }

  async #listMessages(filter: MessageFilter): Promise<StoredMessage[]> {
    const { sql, params } = whereClause([
      ['state = $', filter.state],
      ['channel = $', filter.channel],
      ['partition_key = $', filter.partitionKey],
      ['type = $', filter.type],
      ['sequence < $', filter.beforeSequence],
    ]);
    params.push(filter.limit ?? 100);
    const rows = await this.#query<MessageRow>(
      `SELECT * FROM messages ${sql} ORDER BY sequence DESC LIMIT $${params.length}`,
      params,
    );
    return rows.map(toMessage);
  }

  async #events(id: MessageId): Promise<MessageEvent[]> {
    const rows = await this.#query<{
      message_id: string;
      at: Date;
      from_state: string | null;
      to_state: string;
      actor: string;
      detail: string | null;
    }>('SELECT * FROM message_events WHERE message_id = $1 ORDER BY id', [id]);
    return rows.map((r) => ({
      messageId: r.message_id,
      at: r.at,
      from: r.from_state as MessageState | null,
      to: r.to_state as MessageState,
      actor: r.actor,
      detail: r.detail,
    }));
  }

  async #countByState(): Promise<Record<MessageState, number>> {
    const counts = Object.fromEntries(MESSAGE_STATES.map((state) => [state, 0])) as Record<
      MessageState,
      number
    >;
    const rows = await this.#query<{ state: string; n: string }>(
      'SELECT state, count(*) AS n FROM messages GROUP BY state',
    );
    for (const r of rows) counts[r.state as MessageState] = Number(r.n);
    return counts;
  }

  async #prune(before: Date): Promise<number> {
    const rows = await this.#query<{ n: string }>(
      `WITH d AS (DELETE FROM messages WHERE state IN ('done', 'duplicate', 'dead') AND received_at < $1 RETURNING 1)
       SELECT count(*) AS n FROM d`,
      [before],
    );
    return Number(rows[0]?.n ?? 0);
  }

  // ---- tasks ---------------------------------------------------------------------------------------------

  async #createTask(batch: Batch, task: NewTask): Promise<{ task: Task; created: boolean }> {
    const inserted = await batch.client.query<TaskRow>(
      `INSERT INTO tasks (id, key, type, priority, status, patient, site, source_message_id, due_at, payload,
         created_at, updated_at)
       VALUES ($1, $2, $3, $4, 'open', $5::jsonb, $6, $7, $8, $9::jsonb, $10, $10)
       ON CONFLICT (key) DO NOTHING RETURNING *`,
      [
        newId(),
        task.key,
        task.type,
        task.priority,
        JSON.stringify(task.patient),
        task.site ?? null,
        task.sourceMessageId ?? null,
        task.dueAt ?? null,
        JSON.stringify(task.payload ?? null),
        batch.now,
      ],
    );
    const created = inserted.rows[0];
    if (created) return { task: toTask(created), created: true };
    const existing = (await batch.client.query<TaskRow>('SELECT * FROM tasks WHERE key = $1', [task.key]))
      .rows[0];
    if (!existing) throw new Error('task vanished during create');
    return { task: toTask(existing), created: false };
  }

  async #getTask(id: TaskId): Promise<Task | undefined> {
    const [row] = await this.#query<TaskRow>('SELECT * FROM tasks WHERE id = $1', [id]);
    return row ? toTask(row) : undefined;
  }

  #taskWhere(filter: TaskFilter): { sql: string; params: unknown[] } {
    return whereClause([
      ['status = $', filter.status],
      ['status = ANY($)', filter.statuses === undefined ? undefined : [...filter.statuses]],
      ['type = $', filter.type],
      ['priority = $', filter.priority],
      ['source_message_id = $', filter.sourceMessageId],
      ['assignee = $', filter.assignee],
    ]);
  }

  async #updateTask(batch: Batch, id: string, change: TaskUpdate): Promise<Task> {
    const updated = await batch.client.query<TaskRow>(
      `UPDATE tasks SET status = COALESCE($1, status), assignee = CASE WHEN $2 THEN $3 ELSE assignee END,
         priority = COALESCE($4, priority), work = COALESCE($5::jsonb, work), updated_at = $6,
         version = version + 1
       WHERE id = $7 AND version = $8 RETURNING *`,
      [
        change.status ?? null,
        change.assignee !== undefined,
        change.assignee ?? null,
        change.priority ?? null,
        change.work === undefined ? null : JSON.stringify(change.work),
        batch.now,
        id,
        change.expectedVersion,
      ],
    );
    const row = updated.rows[0];
    if (row) return toTask(row);
    const current = (
      await batch.client.query<{ version: number }>('SELECT version FROM tasks WHERE id = $1', [id])
    ).rows[0];
    if (!current) throw new RxBridgeError(ErrorCode.NotFound, `no task ${id}`);
    throw new RxBridgeError(
      ErrorCode.Conflict,
      `task ${id} changed meanwhile (version ${current.version}, expected ${change.expectedVersion})`,
    );
  }

  async #listTasks(filter: TaskFilter): Promise<Task[]> {
    const { sql, params } = this.#taskWhere(filter);
    params.push(filter.limit ?? 100);
    const rows = await this.#query<TaskRow>(
      `SELECT * FROM tasks ${sql} ORDER BY seq DESC LIMIT $${params.length}`,
      params,
    );
    return rows.map(toTask);
  }

  async #countTasks(filter: TaskFilter): Promise<number> {
    const { sql, params } = this.#taskWhere(filter);
    const [row] = await this.#query<{ n: string }>(`SELECT count(*) AS n FROM tasks ${sql}`, params);
    return Number(row?.n ?? 0);
  }
}
