// Benchmark: scale-out in scaled mode (PostgreSQL + NATS JetStream), 1, 2 and 4 worker processes behind one
// listener. Each run gets a private schema and nats-server; M discharges for many patients are sent as fast as
// the listener ACKs them, and we time from the first send until every message is finished. Beside the rate it
// shows where the time went: CPU per process group, PostgreSQL wait events, round trips per message.
// `node bench/scale.ts [--messages 5000] [--workers 1,2,4] [--patients 2000]` (few patients: many appends land
// on partitions that workers are settling, the race that partition head locks guard)
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { postgresAvailable } from '../src/platform/store/postgres/test-database.ts';
import { startCluster, type Cluster } from '../test/chaos/cluster.ts';
import { chaosMessage, runResilientIngest } from '../test/chaos/ingest.ts';
import { natsServerInstalled } from '../test/chaos/private-nats.ts';
import { statementKind } from '../test/load/pg-query-count.ts';
import { machineLine, pidsNamed, startCpuSampler, type CpuReport } from './machine.ts';

const QUERY_COUNTER = fileURLToPath(new URL('../test/load/pg-query-count.ts', import.meta.url));

async function connect(cluster: Cluster): Promise<pg.Client> {
  if (cluster.store.kind !== 'postgres') throw new Error('scale bench runs in scaled mode');
  const client = new pg.Client({
    connectionString: cluster.store.url,
    options: `-c search_path=${cluster.store.schema}`,
    application_name: 'rxbridge-bench',
  });
  await client.connect();
  return client;
}

async function finishedCount(client: pg.Client): Promise<number> {
  const r = await client.query<{ n: string }>(
    "SELECT count(*) AS n FROM messages WHERE state NOT IN ('received','normalized','extracted','evaluated','failed')",
  );
  return Number(r.rows[0]?.n ?? 0);
}

/** Transactions committed in the database so far (every client, so only the difference over a quiet run means much). */
async function commitsSoFar(client: pg.Client): Promise<number> {
  const r = await client.query<{ n: string }>(
    'SELECT xact_commit AS n FROM pg_stat_database WHERE datname = current_database()',
  );
  return Number(r.rows[0]?.n ?? 0);
}

/**
 * Samples what the engine's PostgreSQL sessions are doing every 50 ms: running (CPU), waiting on a lock or I/O
 * (the wait event), or idle inside a transaction (waiting for the engine to send the next statement).
 */
function startWaitSampler(client: pg.Client): {
  stop(): Promise<{ waits: Map<string, number>; statements: Map<string, number> }>;
} {
  const counts = new Map<string, number>();
  const statements = new Map<string, number>();
  let running = true;
  const loop = (async () => {
    while (running) {
      const r = await client.query<{
        state: string | null;
        type: string | null;
        event: string | null;
        query: string | null;
      }>(
        `SELECT state, wait_event_type AS type, wait_event AS event, query FROM pg_stat_activity
         WHERE application_name = 'rxbridge' AND backend_type = 'client backend' AND pid <> pg_backend_pid()`,
      );
      for (const row of r.rows) {
        let key: string;
        if (row.state === 'idle') continue;
        if (row.state === 'idle in transaction') key = 'idle in transaction';
        else if (row.type === null) key = 'CPU';
        else key = `${row.type}:${row.event ?? '?'}`;
        counts.set(key, (counts.get(key) ?? 0) + 1);
        // Running or waiting inside a statement: which one (idle in transaction shows the one before).
        if (row.state === 'active') {
          const statement = `${statementKind(row.query ?? '')} (${key})`;
          statements.set(statement, (statements.get(statement) ?? 0) + 1);
        }
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      return { waits: counts, statements };
    },
  };
}

/** Round trips counted by test/load/pg-query-count.ts, per process id and statement kind. */
function queryCounts(dir: string): Map<number, Record<string, number>> {
  const counts = new Map<number, Record<string, number>>();
  for (const file of readdirSync(dir)) {
    counts.set(Number(file), JSON.parse(readFileSync(join(dir, file), 'utf8')) as Record<string, number>);
  }
  return counts;
}

export interface ScaleRow {
  workers: number;
  messages: number;
  ingestPerSecond: number;
  processedPerSecond: number;
  seconds: number;
  cpu: CpuReport;
  /** Share of samples per wait state of the engine's busy PostgreSQL sessions, largest first. */
  waits: { key: string; share: number }[];
  listenerQueriesPerMessage: number;
  workerQueriesPerMessage: number;
  /** Worker round trips per message by statement kind (claim, BEGIN, SELECT messages, ...). */
  workerQueryKinds: Record<string, number>;
  /** Share of busy-session samples per statement and what it was doing. */
  busyStatements: { key: string; share: number }[];
  commitsPerMessage: number;
  load: string;
}

export async function measureScale(workers: number, messages: number, patients = 2_000): Promise<ScaleRow> {
  const countDir = mkdtempSync(join(tmpdir(), 'rxb-pgcount-'));
  const saved = { options: process.env['NODE_OPTIONS'], dir: process.env['RXBRIDGE_PG_COUNT_DIR'] };
  process.env['NODE_OPTIONS'] = `${saved.options ?? ''} --import ${QUERY_COUNTER}`.trim();
  process.env['RXBRIDGE_PG_COUNT_DIR'] = countDir;
  let cluster: Cluster;
  try {
    cluster = await startCluster({ mode: 'scaled', workers, demo: true });
  } finally {
    if (saved.options === undefined) delete process.env['NODE_OPTIONS'];
    else process.env['NODE_OPTIONS'] = saved.options;
    if (saved.dir === undefined) delete process.env['RXBRIDGE_PG_COUNT_DIR'];
    else process.env['RXBRIDGE_PG_COUNT_DIR'] = saved.dir;
  }
  const client = await connect(cluster);
  const monitor = await connect(cluster);
  try {
    const tag = `S${workers}x${Date.now().toString(36).toUpperCase()}`;
    const listenerPid = cluster.listener().child.pid ?? 0;
    const workerPids = cluster.workers().map((w) => w.child.pid ?? 0);
    // Counts from start-up (migrations, demo data) are left out.
    await new Promise((resolve) => setTimeout(resolve, 300));
    const queriesBefore = queryCounts(countDir);
    const commitsBefore = await commitsSoFar(client);
    const cpu = startCpuSampler({
      postgres: () => pidsNamed('postgres'),
      'nats-server': () => (cluster.nats?.pid !== undefined ? [cluster.nats.pid] : []),
      listener: () => [listenerPid],
      workers: () => workerPids,
      'load generator': () => [process.pid],
    });
    const waits = startWaitSampler(monitor);
    const started = performance.now();
    const ingest = await runResilientIngest({
      port: cluster.mllpPort,
      total: messages,
      connections: 8,
      window: 32,
      message: (i) => chaosMessage(tag, i, patients),
    });
    const ingestSeconds = (performance.now() - started) / 1000;
    // A message whose partition lost its head would never be claimed: report it instead of waiting forever.
    let last = -1;
    let lastMoved = performance.now();
    for (;;) {
      const finished = await finishedCount(client);
      if (finished >= messages) break;
      if (finished !== last) {
        last = finished;
        lastMoved = performance.now();
      } else if (performance.now() - lastMoved > 60_000) {
        throw new Error(
          `${messages - finished} of ${messages} messages not finished after 60 s without progress`,
        );
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    const seconds = (performance.now() - started) / 1000;
    const cpuReport = cpu.stop();
    const { waits: waitCounts, statements } = await waits.stop();
    const commits = (await commitsSoFar(client)) - commitsBefore;
    const load = loadavg()
      .map((l) => l.toFixed(2))
      .join(' ');
    // Let the counters write their last figures.
    await new Promise((resolve) => setTimeout(resolve, 300));
    const queriesAfter = queryCounts(countDir);
    const delta = (pid: number, kind = 'total'): number =>
      (queriesAfter.get(pid)?.[kind] ?? 0) - (queriesBefore.get(pid)?.[kind] ?? 0);
    const workerQueryKinds: Record<string, number> = {};
    for (const pid of workerPids) {
      for (const kind of Object.keys(queriesAfter.get(pid) ?? {})) {
        if (kind === 'total') continue;
        workerQueryKinds[kind] = (workerQueryKinds[kind] ?? 0) + delta(pid, kind) / messages;
      }
    }
    if (!ingest.complete) throw new Error(`only ${ingest.acked.size} of ${messages} ACKed`);
    const waitTotal = [...waitCounts.values()].reduce((a, b) => a + b, 0);
    return {
      workers,
      messages,
      ingestPerSecond: messages / ingestSeconds,
      processedPerSecond: messages / seconds,
      seconds,
      cpu: cpuReport,
      waits: [...waitCounts]
        .sort((a, b) => b[1] - a[1])
        .map(([key, n]) => ({ key, share: n / Math.max(1, waitTotal) })),
      listenerQueriesPerMessage: delta(listenerPid) / messages,
      workerQueriesPerMessage: workerPids.reduce((a, pid) => a + delta(pid), 0) / messages,
      workerQueryKinds,
      busyStatements: [...statements]
        .sort((a, b) => b[1] - a[1])
        .map(([key, n]) => ({ key, share: n / Math.max(1, waitTotal) })),
      commitsPerMessage: commits / messages,
      load,
    };
  } finally {
    await client.end().catch(() => undefined);
    await monitor.end().catch(() => undefined);
    await cluster.dispose();
    rmSync(countDir, { recursive: true, force: true });
  }
}

function cores(row: ScaleRow, name: string): string {
  return (row.cpu.groups.find((g) => g.name === name)?.cores ?? 0).toFixed(2);
}

export async function benchScale(
  messages = Number(process.env['BENCH_SCALE_MESSAGES'] ?? 4_000),
  workerCounts: number[] = [1, 2, 4],
  patients = 2_000,
): Promise<void> {
  console.log('\n## Scale-out: scaled mode (PostgreSQL + NATS JetStream), one listener, N worker processes');
  const pgUp = await postgresAvailable();
  if (!pgUp.available || !natsServerInstalled()) {
    console.log(`skipped: ${pgUp.reason ?? 'nats-server is not installed'}`);
    return;
  }
  console.log(machineLine());
  console.log(
    `${messages.toLocaleString('en-US')} discharges (${patients.toLocaleString('en-US')} patients, 12 known to the demo pharmacy), sent on 8 connections; time from the first send until every message is finished\n`,
  );
  console.log(
    `CPU in cores busy (of ${cpus().length}) per process group over the run; "other" is everything else on the machine. ` +
      'PostgreSQL waits: share of samples (every 50 ms) of the engine sessions that were not idle. ' +
      'Round trips: PostgreSQL queries per message (BEGIN/COMMIT/SAVEPOINT included).\n',
  );
  console.log(
    '| workers | processed msg/s | ingest (ACK) msg/s | seconds | vs 1 worker | machine busy | postgres | nats | listener | workers | load gen | other | PostgreSQL waits (top 3) | round trips listener / workers per msg | commits per msg | load avg |',
  );
  console.log('|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|');
  let one = 0;
  const rows: ScaleRow[] = [];
  for (const workers of workerCounts) {
    const row = await measureScale(workers, messages, patients);
    rows.push(row);
    if (workers === workerCounts[0]) one = row.processedPerSecond;
    const waits = row.waits
      .slice(0, 3)
      .map((w) => `${w.key} ${Math.round(w.share * 100)}%`)
      .join(', ');
    console.log(
      `| ${workers} | ${Math.round(row.processedPerSecond).toLocaleString('en-US')} | ${Math.round(row.ingestPerSecond).toLocaleString('en-US')} | ${row.seconds.toFixed(1)} | ${(row.processedPerSecond / one).toFixed(2)}× | ${Math.round(row.cpu.machineBusy * 100)}% | ${cores(row, 'postgres')} | ${cores(row, 'nats-server')} | ${cores(row, 'listener')} | ${cores(row, 'workers')} | ${cores(row, 'load generator')} | ${row.cpu.otherCores.toFixed(2)} | ${waits} | ${row.listenerQueriesPerMessage.toFixed(1)} / ${row.workerQueriesPerMessage.toFixed(1)} | ${row.commitsPerMessage.toFixed(2)} | ${row.load} |`,
    );
  }
  console.log('\nWorker round trips per message by statement:');
  for (const row of rows) {
    const kinds = Object.entries(row.workerQueryKinds)
      .filter(([, n]) => n >= 0.01)
      .sort((a, b) => b[1] - a[1])
      .map(([kind, n]) => `${kind} ${n.toFixed(2)}`)
      .join(', ');
    console.log(`- ${row.workers} worker${row.workers === 1 ? '' : 's'}: ${kinds}`);
  }
  console.log('\nStatements the busy PostgreSQL sessions were in (share of samples, top 6):');
  for (const row of rows) {
    const top = row.busyStatements
      .slice(0, 6)
      .map((b) => `${b.key} ${Math.round(b.share * 100)}%`)
      .join(', ');
    console.log(`- ${row.workers} worker${row.workers === 1 ? '' : 's'}: ${top}`);
  }
  console.log(
    `\nEach worker is a process with worker.concurrency ${process.env['RXBRIDGE_WORKER_CONCURRENCY'] ?? '8 (the default; RXBRIDGE_WORKER_CONCURRENCY changes it)'}; ` +
      'at 8 one worker is bound by claim and commit latency, and with more workers than cores throughput flattens at the CPU or at the database.',
  );
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({
    options: {
      messages: { type: 'string' },
      workers: { type: 'string', default: '1,2,4' },
      patients: { type: 'string', default: '2000' },
    },
  });
  await benchScale(
    values.messages !== undefined ? Number(values.messages) : undefined,
    values.workers.split(',').map(Number),
    Number(values.patients),
  );
}
