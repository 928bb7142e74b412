// Runs the Store contract against SQLite (in memory and in a real file) plus SQLite-only behaviour.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../kernel/clock.ts';
import { ErrorCode, RxBridgeError } from '../../../kernel/errors.ts';
import { DEFAULT_RETRY_POLICY } from '../message-store.ts';
import { describeStore } from '../store.contract.ts';
import { SQLITE_MIGRATIONS, migrateSqlite } from './migrations.ts';
import { openSqliteStore, retryDelayMs } from './sqlite-store.ts';
import { SqliteWriter, type WriteOp } from './sqlite-writer.ts';

const dir = mkdtempSync(join(tmpdir(), 'rxbridge-sqlite-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const DISABLE_GUARD = 'DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete;';

describeStore(
  'sqlite :memory:',
  (clock, options) => openSqliteStore({ path: ':memory:', clock, ...options }),
  {
    disableAuditGuard: DISABLE_GUARD,
  },
);

let fileCount = 0;
let lastPath = '';
describeStore(
  'sqlite file',
  (clock, options) => {
    fileCount += 1;
    lastPath = join(dir, `contract-${fileCount}`, 'store.db');
    return openSqliteStore({ path: lastPath, clock, ...options });
  },
  {
    reopen: (clock) => openSqliteStore({ path: lastPath, clock }),
    disableAuditGuard: DISABLE_GUARD,
  },
);

describe('sqlite store', () => {
  it('creates the parent directory, uses WAL with synchronous=FULL and foreign keys', async () => {
    const path = join(dir, 'nested', 'deeper', 'rx.db');
    const store = await openSqliteStore({ path });
    await store.messages.append({
      channel: 'c',
      format: 'text',
      idempotencyKey: 'k',
      partitionKey: 'p',
      raw: new Uint8Array([1]),
    });
    const probe = new DatabaseSync(path);
    expect(probe.prepare('PRAGMA journal_mode').get()).toEqual({ journal_mode: 'wal' });
    probe.close();
    await store.close();
  });

  it('stores exactly the bytes of a body that is a view into a larger buffer', async () => {
    // Bodies cross to the writer thread; a view is copied to its own bytes first (not its whole buffer).
    const store = await openSqliteStore({ path: join(dir, 'views', 'rx.db') });
    const shared = Buffer.alloc(64 * 1024, 0x2a);
    shared.write('MSH|first', 100);
    shared.write('MSH|second', 2_000);
    const [a, b] = await Promise.all([
      store.messages.append({
        channel: 'c',
        format: 'hl7v2',
        idempotencyKey: 'k1',
        partitionKey: 'p',
        raw: shared.subarray(100, 109),
      }),
      store.messages.append({
        channel: 'c',
        format: 'hl7v2',
        idempotencyKey: 'k2',
        partitionKey: 'p',
        raw: shared.subarray(2_000, 2_010),
      }),
    ]);
    const text = async (id: string): Promise<string> =>
      Buffer.from((await store.messages.get(id))?.raw ?? []).toString();
    expect([await text(a.id), await text(b.id)]).toEqual(['MSH|first', 'MSH|second']);
    expect(store.stats().commits).toBe(1);
    await store.close();
  });

  it('an operation that fails for its own reasons fails alone; the writes committed with it stand', async () => {
    const store = await openSqliteStore({ path: join(dir, 'isolation', 'rx.db') });
    const input = (n: number) => ({
      channel: 'c',
      format: 'hl7v2' as const,
      idempotencyKey: `iso-${n}`,
      partitionKey: 'p',
      raw: new Uint8Array([n]),
    });
    const bad = [
      store.tasks.create({
        key: 'k',
        type: 'exception',
        priority: 'low',
        patient: { display: 'x' },
        payload: { n: 1n },
      }),
      store.messages.claim('w', Number.NaN, 1_000),
    ];
    const results = await Promise.allSettled([
      store.messages.append(input(1)),
      ...bad,
      store.messages.append(input(2)),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'rejected', 'fulfilled']);
    expect(store.stats().commits).toBe(1);
    expect((await store.messages.countByState()).received).toBe(2);
    expect(await store.tasks.count({})).toBe(0);
    expect((await store.audit.verify()).ok).toBe(true);
    // A second close() waits for the first: both resolve only once the store is closed.
    const order: string[] = [];
    const pending = store.messages.append(input(3)).then(() => order.push('append'));
    await Promise.all([
      store.close().then(() => order.push('close 1')),
      store.close().then(() => order.push('close 2')),
    ]);
    await pending;
    expect(order).toEqual(['append', 'close 1', 'close 2']);
  });

  it('applies migrations once and is idempotent on reopen', async () => {
    const path = join(dir, 'migrate', 'rx.db');
    const clock = new ManualClock();
    const first = await openSqliteStore({ path, clock });
    const r = await first.messages.append({
      channel: 'c',
      format: 'text',
      idempotencyKey: 'k',
      partitionKey: 'p',
      raw: new Uint8Array([1]),
    });
    await first.close();
    const second = await openSqliteStore({ path, clock });
    expect((await second.messages.get(r.id))?.state).toBe('received');
    await second.close();
    const probe = new DatabaseSync(path);
    const rows = probe.prepare('SELECT version FROM schema_migrations').all();
    probe.close();
    expect(rows).toEqual([{ version: 1 }, { version: 2 }, { version: 3 }, { version: 4 }]);
  });

  it('opens a database left by schema version 3 (with messages_unfinished) and keeps partition order', async () => {
    const path = join(dir, 'v3', 'rx.db');
    mkdirSync(dirname(path), { recursive: true });
    // The file as the previous release wrote it: migrations 1-3, messages written by the writer.
    const old = new DatabaseSync(path);
    old.exec('PRAGMA journal_mode = WAL');
    migrateSqlite(old, new Date(0), SQLITE_MIGRATIONS.slice(0, 3));
    const writer = new SqliteWriter(old, DEFAULT_RETRY_POLICY);
    const input = (key: string, partitionKey: string): WriteOp => ({
      kind: 'append',
      input: { channel: 'c', format: 'text', idempotencyKey: key, partitionKey, raw: new Uint8Array([1]) },
    });
    const appended = writer.commit(
      [input('a1', 'A'), input('b1', 'B'), input('a2', 'A'), input('a3', 'A')],
      1,
    );
    expect('outcomes' in appended).toBe(true);
    old.close();

    const store = await openSqliteStore({ path });
    const probe = new DatabaseSync(path);
    const indexes = probe
      .prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'messages'")
      .all()
      .map((r) => r.name);
    probe.close();
    expect(indexes).not.toContain('messages_unfinished');
    expect(indexes).toContain('messages_partition');

    // Partition A is handed out a1, a2, a3 in order across settles; B alongside.
    const order: string[] = [];
    for (let round = 0; round < 3; round++) {
      const claimed = await store.messages.claim('w', 10, 60_000);
      for (const m of claimed) {
        order.push(m.idempotencyKey);
        await store.messages.settle(m.id, 'w', { path: ['normalized'], state: 'done' });
      }
    }
    expect(order).toEqual(['a1', 'b1', 'a2', 'a3']);
    expect(await store.messages.claim('w', 10, 60_000)).toEqual([]);
    // An old message replayed while a newer one of its partition is leased is still handed out once that settles.
    const a4 = await store.messages.append({
      channel: 'c',
      format: 'text',
      idempotencyKey: 'a4',
      partitionKey: 'A',
      raw: new Uint8Array([1]),
    });
    expect((await store.messages.claim('w', 10, 60_000)).map((m) => m.id)).toEqual([a4.id]);
    const a1 = (await store.messages.list({ partitionKey: 'A' })).find((m) => m.idempotencyKey === 'a1');
    await store.messages.replay(a1?.id ?? '', 'user:test', 'mapping fixed');
    await store.messages.settle(a4.id, 'w', { path: ['normalized'], state: 'done' });
    const again = await store.messages.claim('w', 10, 60_000);
    expect(again.map((m) => m.idempotencyKey)).toEqual(['a1']);
    await store.close();
  });

  it('maps "database or disk is full" to StoreFull and stays usable', async () => {
    const store = await openSqliteStore({ path: join(dir, 'full', 'rx.db') });
    await store.execRaw('PRAGMA max_page_count = 60');
    const big = new Uint8Array(400_000).fill(7);
    const error = await store.messages
      .append({ channel: 'c', format: 'text', idempotencyKey: 'big', partitionKey: 'p', raw: big })
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(error).toBeInstanceOf(RxBridgeError);
    expect((error as RxBridgeError).code).toBe(ErrorCode.StoreFull);
    expect((error as RxBridgeError).retryable).toBe(true);
    const small = await store.messages.append({
      channel: 'c',
      format: 'text',
      idempotencyKey: 'small',
      partitionKey: 'p',
      raw: new Uint8Array([1]),
    });
    expect(small.duplicate).toBe(false);
    await store.close();
  });

  it('computes backoff as base*2^(attempts-1), capped, within ±20%', () => {
    const policy = { maxAttempts: 9, baseDelayMs: 1_000, maxDelayMs: 10_000 };
    expect(retryDelayMs(policy, 1, () => 0)).toBe(800);
    expect(retryDelayMs(policy, 1, () => 1)).toBe(1_200);
    expect(retryDelayMs(policy, 3, () => 0.5)).toBe(4_000);
    expect(retryDelayMs(policy, 8, () => 0.5)).toBe(10_000);
  });
});
