// SQLite adapter of the Store bundle (embedded mode): node:sqlite, WAL, synchronous=FULL, group commit on a writer thread.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { Worker } from 'node:worker_threads';
import { GENESIS_HASH, checkAuditLink } from '../../../governance/audit/audit-hash.ts';
import type {
  AuditFilter,
  AuditLog,
  AuditRecord,
  AuditVerifyResult,
} from '../../../governance/audit/audit-log.ts';
import { systemClock, type Clock } from '../../../kernel/clock.ts';
import { ErrorCode, RxBridgeError } from '../../../kernel/errors.ts';
import type { MessageId, TaskId } from '../../../kernel/ids.ts';
import {
  DEFAULT_RETRY_POLICY,
  appendRefusal,
  claimRefusal,
  type MessageEvent,
  type MessageFilter,
  type MessageStore,
  type RetryPolicy,
  type StoredMessage,
} from '../message-store.ts';
import { MESSAGE_STATES, type MessageState } from '../message-state.ts';
import type { Store } from '../store.ts';
import type { Task, TaskFilter, TaskStore } from '../task-store.ts';
import { migrateSqlite } from './migrations.ts';
import {
  configureConnection,
  deserializeError,
  mapSqliteError,
  num,
  str,
  strOrNull,
  toAuditRecord,
  toMessage,
  toTask,
  whereClause,
  type Row,
} from './sqlite-rows.ts';
import type { WriterReply, WriterRequest, WriterWorkerData } from './sqlite-writer-worker.ts';
import { SqliteWriter, type BatchResult, type WriteOp, type WriteValue } from './sqlite-writer.ts';

export { retryDelayMs } from '../settle-steps.ts';

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

/** Where batches are committed: on the main thread (in-memory databases) or on the writer thread (files). */
interface WriterChannel {
  commit(ops: WriteOp[], now: number): Promise<BatchResult>;
  /** Rejects when the writer can no longer commit (its thread died). */
  check(): void;
  close(): Promise<void>;
}

interface PendingOp {
  op: WriteOp;
  resolve: (value: WriteValue) => void;
  reject: (error: unknown) => void;
}

function unavailable(message = 'store is closed'): RxBridgeError {
  return new RxBridgeError(ErrorCode.StoreUnavailable, message);
}

/** Opens (creating if needed) the SQLite store and applies pending migrations. */
export async function openSqliteStore(options: SqliteStoreOptions): Promise<SqliteStore> {
  const retry = options.retry ?? DEFAULT_RETRY_POLICY;
  const busyTimeoutMs = options.busyTimeoutMs ?? 5_000;
  const clock = options.clock ?? systemClock;
  // An in-memory database exists on one connection only, so it keeps its writer on the main thread.
  const memory = options.path === ':memory:' || options.path.startsWith('file:');
  let db: DatabaseSync | undefined;
  try {
    if (!memory) mkdirSync(dirname(options.path), { recursive: true });
    db = new DatabaseSync(options.path);
    configureConnection(db, busyTimeoutMs);
    migrateSqlite(db, clock.now());
    const channel = memory
      ? inlineChannel(new SqliteWriter(db, retry))
      : await startWriterThread({ path: options.path, busyTimeoutMs, retry });
    return new SqliteStoreImpl(db, channel, clock, options.maxBatch ?? 5_000).store;
  } catch (error) {
    db?.close();
    throw mapSqliteError(error);
  }
}

function inlineChannel(writer: SqliteWriter): WriterChannel {
  return {
    commit: (ops, now) => Promise.resolve(writer.commit(ops, now)),
    check: () => undefined,
    close: () => Promise.resolve(),
  };
}

/**
 * Starts the writer thread. Its commit (and fsync) then overlaps socket reads and parsing on the main thread, and
 * every append that arrives meanwhile joins the next batch.
 */
async function startWriterThread(data: WriterWorkerData): Promise<WriterChannel> {
  const worker = new Worker(new URL('./sqlite-writer-worker.ts', import.meta.url), { workerData: data });
  const pending: { resolve: (r: BatchResult) => void; reject: (e: unknown) => void }[] = [];
  let dead: Error | undefined;
  let onClosed: (() => void) | undefined;
  const fail = (error: Error): void => {
    dead ??= error;
    for (const p of pending.splice(0)) p.reject(dead);
    onClosed?.();
  };
  await new Promise<void>((resolve, reject) => {
    const onExit = (): void => reject(unavailable('sqlite writer thread exited during start'));
    worker.once('error', reject);
    worker.once('exit', onExit);
    worker.once('message', (reply: WriterReply) => {
      worker.off('error', reject);
      worker.off('exit', onExit);
      if (reply.type === 'ready') resolve();
      else if (reply.type === 'failed') reject(deserializeError(reply.error));
      else reject(new Error(`unexpected reply from the sqlite writer: ${reply.type}`));
    });
  }).catch(async (error: unknown) => {
    await worker.terminate();
    throw error;
  });
  worker.on('message', (reply: WriterReply) => {
    if (reply.type === 'result') pending.shift()?.resolve(reply.result);
    else if (reply.type === 'closed') onClosed?.();
    // Only a batch in flight keeps the process alive; an idle store does not, as with a plain connection.
    if (pending.length === 0) worker.unref();
  });
  worker.on('error', (error: unknown) =>
    fail(
      unavailable(`sqlite writer thread failed: ${error instanceof Error ? error.message : String(error)}`),
    ),
  );
  worker.on('exit', () => fail(unavailable('sqlite writer thread exited')));
  worker.unref();
  const post = (request: WriterRequest): void => worker.postMessage(request);
  /**
   * postMessage clones a Uint8Array together with its whole underlying ArrayBuffer: a message body that is a view
   * into a larger buffer (a socket read, Node's 64 KB allocation pool) would cost that buffer per batch. Such bodies
   * are copied to exact size first; bodies that own their memory are posted as they are.
   */
  const compact = (ops: WriteOp[]): WriteOp[] =>
    ops.map((op) =>
      op.kind === 'append' && op.input.raw.byteLength !== op.input.raw.buffer.byteLength
        ? { kind: 'append', input: { ...op.input, raw: new Uint8Array(op.input.raw) } }
        : op,
    );
  return {
    commit: (ops, now) =>
      new Promise<BatchResult>((resolve, reject) => {
        if (dead) return reject(dead);
        pending.push({ resolve, reject });
        worker.ref();
        try {
          post({ type: 'batch', ops: compact(ops), now });
        } catch (error) {
          pending.pop();
          reject(mapSqliteError(error));
        }
      }),
    check: () => {
      if (dead) throw dead;
    },
    close: () =>
      new Promise<void>((resolve) => {
        if (dead) return resolve();
        onClosed = resolve;
        worker.ref();
        post({ type: 'close' });
      }).then(() => void worker.terminate()),
  };
}

class SqliteStoreImpl {
  readonly store: SqliteStore;
  readonly #db: DatabaseSync;
  readonly #writer: WriterChannel;
  readonly #clock: Clock;
  readonly #maxBatch: number;
  readonly #s: ReturnType<typeof prepareReadStatements>;
  #queue: PendingOp[] = [];
  #scheduled = false;
  #inFlight = false;
  #idle: (() => void)[] = [];
  #closed = false;
  #closing: Promise<void> | undefined;
  #commits = 0;
  #operations = 0;

  constructor(db: DatabaseSync, writer: WriterChannel, clock: Clock, maxBatch: number) {
    this.#db = db;
    this.#writer = writer;
    this.#clock = clock;
    this.#maxBatch = maxBatch;
    this.#s = prepareReadStatements(db);
    this.store = this.#buildStore();
  }

  #buildStore(): SqliteStore {
    const w = <T>(op: WriteOp): Promise<T> => this.#write(op) as Promise<T>;
    const messages: MessageStore = {
      append: (input) => {
        const refused = appendRefusal(input);
        return refused ? Promise.reject(refused) : w({ kind: 'append', input });
      },
      claim: (worker, limit, leaseMs) => {
        const refused = claimRefusal(worker, limit, leaseMs);
        return refused ? Promise.reject(refused) : w({ kind: 'claim', worker, limit, leaseMs });
      },
      settle: (id, worker, outcome) => w({ kind: 'settle', id, worker, outcome }),
      get: (id) => this.#read(() => this.#get(id)),
      list: (filter) => this.#read(() => this.#listMessages(filter)),
      events: (id) => this.#read(() => this.#events(id)),
      replay: (id, actor, reason) => w({ kind: 'replay', id, actor, reason }),
      countByState: () => this.#read(() => this.#countByState()),
      prune: (before) => w({ kind: 'prune', before: before.getTime() }),
    };
    const tasks: TaskStore = {
      create: (task) => w({ kind: 'createTask', task }),
      get: (id) => this.#read(() => this.#getTask(id)),
      list: (filter) => this.#read(() => this.#listTasks(filter)),
      count: (filter) => this.#read(() => this.#countTasks(filter)),
      update: (id, change) => w({ kind: 'updateTask', id, change }),
    };
    const audit: AuditLog = {
      record: (entry) => w({ kind: 'record', entry }),
      list: (filter) => this.#read(() => this.#listAudit(filter)),
      verify: () => this.#read(() => this.#verifyAudit()),
    };
    return {
      kind: 'sqlite',
      messages,
      tasks,
      audit,
      ping: () =>
        this.#read(() => {
          this.#writer.check();
          this.#s.ping.get();
        }),
      // Every caller waits for the one close: a second close() must not resolve while the first is still draining.
      close: () => (this.#closing ??= this.#close()),
      stats: () => ({ commits: this.#commits, operations: this.#operations }),
      execRaw: (sql) => w({ kind: 'exec', sql }),
    };
  }

  // ---- plumbing: reads run at once on this thread's connection; writes queue for the next group commit ---------

  #read<T>(fn: () => T): Promise<T> {
    if (this.#closed) return Promise.reject(unavailable());
    try {
      return Promise.resolve(fn());
    } catch (error) {
      return Promise.reject(mapSqliteError(error));
    }
  }

  #write(op: WriteOp): Promise<WriteValue> {
    if (this.#closed) return Promise.reject(unavailable());
    return new Promise<WriteValue>((resolve, reject) => {
      this.#queue.push({ op, resolve, reject });
      if (!this.#scheduled && !this.#inFlight) {
        this.#scheduled = true;
        // setImmediate runs after the current I/O poll phase, so every socket read of this turn shares the commit.
        setImmediate(() => this.#flush());
      }
    });
  }

  /**
   * Sends the queue as one batch. One batch is in flight at a time: what arrives while it commits waits and goes
   * out as the next batch the moment the result is back, so batches grow with load instead of commits multiplying.
   */
  #flush(): void {
    this.#scheduled = false;
    if (this.#inFlight) return;
    if (this.#queue.length === 0) {
      for (const resolve of this.#idle.splice(0)) resolve();
      return;
    }
    const ops = this.#queue.length <= this.#maxBatch ? this.#queue : this.#queue.slice(0, this.#maxBatch);
    this.#queue = ops === this.#queue ? [] : this.#queue.slice(this.#maxBatch);
    this.#inFlight = true;
    this.#writer
      .commit(
        ops.map((p) => p.op),
        this.#clock.now().getTime(),
      )
      .then(
        (result) => this.#settleBatch(ops, result),
        (error: unknown) => {
          const mapped = mapSqliteError(error);
          for (const p of ops) p.reject(mapped);
        },
      )
      .finally(() => {
        this.#inFlight = false;
        this.#flush();
      });
  }

  #settleBatch(ops: PendingOp[], result: BatchResult): void {
    if ('failed' in result) {
      const error = deserializeError(result.failed);
      for (const p of ops) p.reject(error);
      return;
    }
    this.#commits += 1;
    this.#operations += ops.length;
    ops.forEach((p, i) => {
      const outcome = result.outcomes[i];
      if (outcome?.ok) p.resolve(outcome.value);
      else p.reject(outcome ? deserializeError(outcome.error) : new Error('operation failed'));
    });
  }

  async #close(): Promise<void> {
    this.#closed = true;
    // Pending writes were promised durability: commit them before closing.
    if (this.#queue.length > 0 || this.#inFlight) {
      const drained = new Promise<void>((resolve) => this.#idle.push(resolve));
      this.#flush();
      await drained;
    }
    await this.#writer.close();
    this.#db.close();
  }

  // ---- reads -----------------------------------------------------------------------------------------------------

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
    return this.#s.listEvents.all(id, id).map((r) => ({
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

  #getTask(id: TaskId): Task | undefined {
    const row = this.#s.getTask.get(id) as Row | undefined;
    return row ? toTask(row) : undefined;
  }

  #taskWhere(filter: TaskFilter): ReturnType<typeof whereClause> {
    const where = whereClause([
      ['status = ?', filter.status],
      ['type = ?', filter.type],
      ['priority = ?', filter.priority],
      ['source_message_id = ?', filter.sourceMessageId],
      ['assignee = ?', filter.assignee],
    ]);
    if (filter.statuses === undefined) return where;
    const marks = filter.statuses.map(() => '?').join(', ') || 'NULL';
    const clause = `status IN (${marks})`;
    return {
      sql: where.sql ? `${where.sql} AND ${clause}` : `WHERE ${clause}`,
      params: [...where.params, ...filter.statuses],
    };
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

  #listAudit(filter: AuditFilter): AuditRecord[] {
    const { sql: where, params } = whereClause([
      ['patient = ?', filter.patient],
      ['actor = ?', filter.actor],
      ['action = ?', filter.action],
      ['entity = ?', filter.entity],
      ['category = ?', filter.category],
      ['outcome = ?', filter.outcome],
      ['at >= ?', filter.since?.getTime()],
      ['at < ?', filter.until?.getTime()],
      ['seq = ?', filter.seq],
      ['seq < ?', filter.beforeSeq],
    ]);
    params.push(filter.limit ?? 100);
    const sql = `SELECT * FROM audit_log ${where} ORDER BY seq DESC LIMIT ?`;
    return this.#db
      .prepare(sql)
      .all(...params)
      .map((r) => toAuditRecord(r));
  }

  /** Reads the chain and its head in one read transaction: the writer thread may commit meanwhile. */
  #verifyAudit(): AuditVerifyResult {
    this.#db.exec('BEGIN');
    try {
      return this.#verifyAuditSnapshot();
    } finally {
      this.#db.exec('COMMIT');
    }
  }

  #verifyAuditSnapshot(): AuditVerifyResult {
    let expectedSeq = 1;
    let prevHash = GENESIS_HASH;
    let checked = 0;
    for (;;) {
      const rows = this.#s.auditPage.all(expectedSeq).map((r) => toAuditRecord(r));
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
}

function prepareReadStatements(db: DatabaseSync) {
  return {
    ping: db.prepare('SELECT 1'),
    auditHead: db.prepare('SELECT seq, hash FROM audit_head WHERE id = 1'),
    auditPage: db.prepare('SELECT * FROM audit_log WHERE seq >= ? ORDER BY seq LIMIT 5000'),
    getMessage: db.prepare('SELECT * FROM messages WHERE id = ?'),
    // The initial event is derived from the message row (appends do not write it), then the recorded transitions;
    // one statement, so one snapshot.
    listEvents: db.prepare(
      `SELECT 0 AS ord, id AS message_id, received_at AS at, NULL AS from_state,
         CASE WHEN duplicate_of IS NULL THEN 'received' ELSE 'duplicate' END AS to_state,
         'system:' || channel AS actor,
         CASE WHEN duplicate_of IS NULL THEN NULL ELSE 'duplicate of ' || duplicate_of END AS detail
       FROM messages WHERE id = ?
       UNION ALL
       SELECT id AS ord, message_id, at, from_state, to_state, actor, detail FROM message_events WHERE message_id = ?
       ORDER BY ord`,
    ),
    countByState: db.prepare('SELECT state, COUNT(*) AS n FROM messages GROUP BY state'),
    getTask: db.prepare('SELECT * FROM tasks WHERE id = ?'),
  };
}
