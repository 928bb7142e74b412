// Hand-run throughput check of durable appends on PostgreSQL (RXBRIDGE_TEST_PG_URL): `node src/platform/store/postgres/append-throughput.ts [seconds]`.

import type { IncomingMessage } from '../message-store.ts';
import { openPostgresStore } from './postgres-store.ts';
import { dropSchemas, randomSchemaName, testDatabaseUrl } from './test-database.ts';

const seconds = Number(process.argv[2] ?? 5);
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

async function run(callers: number): Promise<void> {
  const url = testDatabaseUrl();
  const schema = randomSchemaName('rxb_bench');
  const store = await openPostgresStore({ url, schema });
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
  const after = store.stats();
  const commits = after.commits - before.commits;
  console.log(
    `postgres ${String(callers).padStart(3)} caller(s): ${Math.round(done / elapsed)} appends/s, ` +
      `${commits} commits (${(done / Math.max(1, commits)).toFixed(1)} per commit)`,
  );
  await store.close();
  await dropSchemas(url, [schema]);
}

for (const callers of [1, 8, 64]) await run(callers);
