// Benchmark: scale-out in scaled mode (PostgreSQL + NATS JetStream), 1, 2 and 4 worker processes behind one
// listener. Each run gets a private schema and nats-server; M discharges for many patients are sent as fast as
// the listener ACKs them, and we time from the first ACK until every message is finished.
// `node bench/scale.ts [--messages 5000] [--workers 1,2,4]`
import { parseArgs } from 'node:util';
import pg from 'pg';
import { postgresAvailable } from '../src/platform/store/postgres/test-database.ts';
import { startCluster, type Cluster } from '../test/chaos/cluster.ts';
import { chaosMessage, runResilientIngest } from '../test/chaos/ingest.ts';
import { natsServerInstalled } from '../test/chaos/private-nats.ts';
import { machineLine } from './machine.ts';

async function finishedCount(cluster: Cluster): Promise<number> {
  if (cluster.store.kind !== 'postgres') throw new Error('scale bench runs in scaled mode');
  const client = new pg.Client({
    connectionString: cluster.store.url,
    options: `-c search_path=${cluster.store.schema}`,
  });
  await client.connect();
  try {
    const r = await client.query<{ n: string }>(
      "SELECT count(*) AS n FROM messages WHERE state NOT IN ('received','normalized','extracted','evaluated','failed')",
    );
    return Number(r.rows[0]?.n ?? 0);
  } finally {
    await client.end();
  }
}

export interface ScaleRow {
  workers: number;
  messages: number;
  ingestPerSecond: number;
  processedPerSecond: number;
  seconds: number;
}

export async function measureScale(workers: number, messages: number): Promise<ScaleRow> {
  const cluster = await startCluster({ mode: 'scaled', workers, demo: true });
  try {
    const tag = `S${workers}x${Date.now().toString(36).toUpperCase()}`;
    const started = performance.now();
    const ingest = await runResilientIngest({
      port: cluster.mllpPort,
      total: messages,
      connections: 8,
      window: 32,
      message: (i) => chaosMessage(tag, i, 2_000),
    });
    const ingestSeconds = (performance.now() - started) / 1000;
    for (;;) {
      if ((await finishedCount(cluster)) >= messages) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const seconds = (performance.now() - started) / 1000;
    if (!ingest.complete) throw new Error(`only ${ingest.acked.size} of ${messages} ACKed`);
    return {
      workers,
      messages,
      ingestPerSecond: messages / ingestSeconds,
      processedPerSecond: messages / seconds,
      seconds,
    };
  } finally {
    await cluster.dispose();
  }
}

export async function benchScale(
  messages = Number(process.env['BENCH_SCALE_MESSAGES'] ?? 4_000),
  workerCounts: number[] = [1, 2, 4],
): Promise<void> {
  console.log('\n## Scale-out: scaled mode (PostgreSQL + NATS JetStream), one listener, N worker processes');
  const pgUp = await postgresAvailable();
  if (!pgUp.available || !natsServerInstalled()) {
    console.log(`skipped: ${pgUp.reason ?? 'nats-server is not installed'}`);
    return;
  }
  console.log(machineLine());
  console.log(
    `${messages.toLocaleString('en-US')} discharges (2,000 patients, 1 in 170 known to the demo pharmacy), sent on 8 connections; time from the first send until every message is finished\n`,
  );
  console.log('| workers | processed msg/s | ingest (ACK) msg/s | seconds | vs 1 worker |');
  console.log('|---|---|---|---|---|');
  let one = 0;
  for (const workers of workerCounts) {
    const row = await measureScale(workers, messages);
    if (workers === workerCounts[0]) one = row.processedPerSecond;
    console.log(
      `| ${workers} | ${Math.round(row.processedPerSecond).toLocaleString('en-US')} | ${Math.round(row.ingestPerSecond).toLocaleString('en-US')} | ${row.seconds.toFixed(1)} | ${(row.processedPerSecond / one).toFixed(2)}× |`,
    );
  }
  console.log(
    '\nEach worker is a process with worker.concurrency 8; with more workers than cores, throughput flattens at the CPU or at the database.',
  );
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({
    options: { messages: { type: 'string' }, workers: { type: 'string', default: '1,2,4' } },
  });
  await benchScale(
    values.messages !== undefined ? Number(values.messages) : undefined,
    values.workers.split(',').map(Number),
  );
}
