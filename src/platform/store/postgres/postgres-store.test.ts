// Runs the Store contract against PostgreSQL (one random schema per store, dropped afterwards) plus PG-only behaviour.
import { createServer, Socket, type Server } from 'node:net';
import pg from 'pg';
import { afterAll, expect, it } from 'vitest';
import { ManualClock } from '../../../kernel/clock.ts';
import { ErrorCode, RxBridgeError } from '../../../kernel/errors.ts';
import { describeStore } from '../store.contract.ts';
import { openPostgresStore } from './postgres-store.ts';
import {
  describeWithPostgres,
  dropSchemas,
  postgresAvailable,
  randomSchemaName,
  testDatabaseUrl,
} from './test-database.ts';

const url = testDatabaseUrl();
const availability = await postgresAvailable(url);
const schemas: string[] = [];
afterAll(() => dropSchemas(url, schemas));

function newSchema(): string {
  const schema = randomSchemaName();
  schemas.push(schema);
  return schema;
}

const message = (key: string) => ({
  channel: 'mllp:pg',
  format: 'hl7v2' as const,
  idempotencyKey: key,
  partitionKey: 'P1',
  raw: new Uint8Array([0x4d, 0x53, 0x48]),
});

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => undefined,
    (e: unknown) => e,
  );
}

/** A TCP pass-through to the real server that the test can cut, to simulate the database going away. */
async function startProxy(target: URL): Promise<{ port: number; cut: () => Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((inbound) => {
    const outbound = new Socket();
    outbound.connect(Number(target.port || 5432), target.hostname);
    sockets.add(inbound).add(outbound);
    inbound.pipe(outbound).pipe(inbound);
    const drop = () => {
      inbound.destroy();
      outbound.destroy();
    };
    inbound.on('error', drop);
    outbound.on('error', drop);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    port,
    cut: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

describeWithPostgres('postgres store', availability, () => {
  let lastSchema = '';
  describeStore(
    'postgres',
    (clock, options) => {
      lastSchema = newSchema();
      return openPostgresStore({ url, schema: lastSchema, clock, poolSize: 6, ...options });
    },
    {
      reopen: (clock) => openPostgresStore({ url, schema: lastSchema, clock, poolSize: 2 }),
      disableAuditGuard: 'ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only',
    },
  );

  it('creates its schema, records migrations once, and is idempotent on reopen', async () => {
    const schema = newSchema();
    const clock = new ManualClock();
    const first = await openPostgresStore({ url, schema, clock });
    const r = await first.messages.append(message('k1'));
    await first.close();
    const [a, b] = await Promise.all([
      openPostgresStore({ url, schema, clock }),
      openPostgresStore({ url, schema, clock }),
    ]);
    expect((await a.messages.get(r.id))?.state).toBe('received');
    await Promise.all([a.close(), b.close()]);
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      const rows = await client.query<{ version: number }>(`SELECT version FROM ${schema}.schema_migrations`);
      expect(rows.rows).toEqual([{ version: 1 }, { version: 2 }, { version: 3 }]);
      const tables = await client.query<{ n: string }>(
        `SELECT count(*) AS n FROM information_schema.tables WHERE table_schema = $1`,
        [schema],
      );
      expect(Number(tables.rows[0]!.n)).toBeGreaterThanOrEqual(7);
    } finally {
      await client.end();
    }
  });

  it('refuses a schema name that is not a plain identifier', async () => {
    await expect(openPostgresStore({ url, schema: 'x; DROP TABLE y' })).rejects.toThrow(/schema name/);
  });

  it('fails open with StoreUnavailable when nothing listens', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const address = closed.address();
    const port = typeof address === 'object' && address ? address.port : 1;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const error = await rejection(
      openPostgresStore({
        url: `postgres://postgres@127.0.0.1:${port}/test`,
        schema: newSchema(),
        connectTimeoutMs: 2_000,
      }),
    );
    expect(error).toBeInstanceOf(RxBridgeError);
    expect((error as RxBridgeError).code).toBe(ErrorCode.StoreUnavailable);
  });

  it('loses no partition head when appends and settles of the same patients run in separate processes', async () => {
    // A listener and two workers, each with its own pool (as separate processes would be), on three partitions:
    // appends keep landing on partitions whose head a worker is settling. A lost head would leave messages that
    // are never claimed.
    const schema = newSchema();
    const listener = await openPostgresStore({ url, schema });
    const workers = [await openPostgresStore({ url, schema }), await openPostgresStore({ url, schema })];
    const total = 600;
    const partitions = ['R0', 'R1', 'R2'];
    const done = new Map<string, number[]>(partitions.map((p) => [p, []]));
    let appended = 0;
    let processed = 0;
    try {
      const ingest = (async () => {
        for (let i = 0; i < total; i += partitions.length) {
          await Promise.all(
            partitions.map((partitionKey, j) =>
              listener.messages.append({ ...message(`race-${i + j}`), partitionKey }),
            ),
          );
          appended += partitions.length;
        }
      })();
      const work = async (store: (typeof workers)[number], name: string): Promise<void> => {
        let idleSince = Date.now();
        while (processed < total && Date.now() - idleSince < 20_000) {
          const claimed = await store.messages.claim(name, 4, 60_000);
          if (claimed.length === 0) {
            await new Promise((resolve) => setTimeout(resolve, appended < total ? 1 : 20));
            continue;
          }
          idleSince = Date.now();
          for (const m of claimed) done.get(m.partitionKey)?.push(m.sequence);
          await Promise.all(
            claimed.map((m) => store.messages.settle(m.id, name, { path: ['normalized'], state: 'done' })),
          );
          processed += claimed.length;
        }
      };
      await Promise.all([ingest, work(workers[0]!, 'w1'), work(workers[1]!, 'w2')]);
      expect(processed).toBe(total);
      for (const sequences of done.values()) {
        expect(sequences).toEqual([...sequences].sort((a, b) => a - b));
      }
      const counts = await listener.messages.countByState();
      expect(counts.received).toBe(0);
      expect(counts.done).toBe(total);
    } finally {
      await listener.close();
      for (const w of workers) await w.close();
    }
  }, 60_000);

  it('rejects append with retryable StoreUnavailable when the server goes away', async () => {
    const target = new URL(url);
    const proxy = await startProxy(target);
    const viaProxy = new URL(url);
    viaProxy.hostname = '127.0.0.1';
    viaProxy.port = String(proxy.port);
    const store = await openPostgresStore({
      url: viaProxy.toString(),
      schema: newSchema(),
      connectTimeoutMs: 2_000,
    });
    try {
      expect((await store.messages.append(message('before'))).duplicate).toBe(false);
      await proxy.cut();
      const error = await rejection(store.messages.append(message('after')));
      expect(error).toBeInstanceOf(RxBridgeError);
      expect((error as RxBridgeError).code).toBe(ErrorCode.StoreUnavailable);
      expect((error as RxBridgeError).retryable).toBe(true);
      const pingError = await rejection(store.ping());
      expect((pingError as RxBridgeError).code).toBe(ErrorCode.StoreUnavailable);
      const claimError = await rejection(store.messages.claim('w', 1, 1_000));
      expect((claimError as RxBridgeError).code).toBe(ErrorCode.StoreUnavailable);
    } finally {
      await store.close();
    }
  });
});
