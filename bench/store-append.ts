// Hand-run throughput of durable appends straight on a store adapter, 1, 8 and 64 concurrent callers.
// Usage: node bench/store-append.ts <sqlite|postgres> [seconds]   (postgres: RXBRIDGE_TEST_PG_URL or the local test database)
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { IncomingMessage } from '../src/platform/store/message-store.ts';
import { openPostgresStore } from '../src/platform/store/postgres/postgres-store.ts';
import {
  dropSchemas,
  randomSchemaName,
  testDatabaseUrl,
} from '../src/platform/store/postgres/test-database.ts';
import { openSqliteStore } from '../src/platform/store/sqlite/sqlite-store.ts';

type Adapter = 'sqlite' | 'postgres';

interface OpenedStore {
  store: Awaited<ReturnType<typeof openSqliteStore>> | Awaited<ReturnType<typeof openPostgresStore>>;
  cleanup: () => Promise<void>;
}

// A typical ADT^A03 is around 1-2 kB.
const body = new TextEncoder().encode(
  `MSH|^~\\&|EPIC|GENHOSP|RXB|PHARM|20260301||ADT^A03|{id}|P|2.5.1\r${'PID|x\r'.repeat(200)}`,
);

let n = 0;
function nextMessage(): IncomingMessage {
  n += 1;
  return {
    channel: 'mllp:bench',
    format: 'hl7v2',
    idempotencyKey: `EPIC|GENHOSP|${n}`,
    partitionKey: `MRN${n % 5_000}^^^GENHOSP`,
    raw: body,
    summary: { type: 'ADT^A03', controlId: String(n), sender: 'EPIC|GENHOSP' },
    ack: 'AA',
  };
}

async function open(adapter: Adapter): Promise<OpenedStore> {
  if (adapter === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'rxbridge-bench-'));
    const store = await openSqliteStore({ path: join(dir, 'bench.db') });
    return { store, cleanup: () => Promise.resolve(rmSync(dir, { recursive: true, force: true })) };
  }
  const url = testDatabaseUrl();
  const schema = randomSchemaName('rxb_bench');
  const store = await openPostgresStore({ url, schema });
  return { store, cleanup: () => dropSchemas(url, [schema]) };
}

async function run(adapter: Adapter, callers: number, seconds: number): Promise<void> {
  const { store, cleanup } = await open(adapter);
  const deadline = performance.now() + seconds * 1_000;
  let done = 0;
  const before = store.stats();
  const loop = async (): Promise<void> => {
    while (performance.now() < deadline) {
      await store.messages.append(nextMessage());
      done += 1;
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: callers }, loop));
  const elapsed = (performance.now() - started) / 1_000;
  const commits = store.stats().commits - before.commits;
  console.log(
    `${adapter} ${String(callers).padStart(3)} caller(s): ${Math.round(done / elapsed)} appends/s, ` +
      `${commits} commits (${(done / Math.max(1, commits)).toFixed(1)} per commit)`,
  );
  await store.close();
  await cleanup();
}

const adapter = process.argv[2];
if (adapter !== 'sqlite' && adapter !== 'postgres') {
  process.stderr.write('usage: node bench/store-append.ts <sqlite|postgres> [seconds]\n');
  process.exit(2);
}
const seconds = Number(process.argv[3] ?? 5);
for (const callers of [1, 8, 64]) await run(adapter, callers, seconds);
