// Benchmark: durable MLLP ingest (fsync before ACK) beside @medplum/hl7's listener (which stores nothing).
import { cpus, tmpdir } from 'node:os';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { machineLine, measureFsyncRate, median, processCpuSeconds } from './machine.ts';
import { benchDischarge, runMllpLoad, type LoadResult } from './mllp-load.ts';
import type { IngestTarget } from './ingest-server.ts';

interface Scenario {
  connections: number;
  window: number;
  perConnection: number;
  /** Open-loop pacing across all connections (the latency goal is stated at 5k msg/s); default: as fast as ACKs allow. */
  ratePerSecond?: number;
}

const SCENARIOS: Scenario[] = [
  { connections: 1, window: 1, perConnection: 3000 },
  { connections: 1, window: 16, perConnection: 6000 },
  { connections: 8, window: 1, perConnection: 1500 },
  { connections: 8, window: 16, perConnection: 3000 },
  { connections: 8, window: 16, perConnection: 2500, ratePerSecond: 5000 },
];
const RUNS = Number(process.env['BENCH_RUNS'] ?? 3);
/** BENCH_TARGETS=rxbridge-sqlite (comma-separated) measures only those listeners, for quick before/after checks. */
const ONLY = process.env['BENCH_TARGETS']?.split(',');

interface Target {
  name: string;
  id: IngestTarget;
}

const TARGETS: Target[] = (
  [
    { name: 'rxbridge (SQLite, encrypted at rest, fsync before ACK)', id: 'rxbridge-sqlite' },
    { name: '@medplum/hl7 Hl7Server (stores nothing)', id: 'medplum' },
    { name: 'rxbridge listener, store that resolves at once (ceiling, not durable)', id: 'rxbridge-memory' },
  ] satisfies Target[]
).filter((t) => ONLY === undefined || ONLY.includes(t.id));

const SERVER_SCRIPT = fileURLToPath(new URL('./ingest-server.ts', import.meta.url));

/** Starts the target in a child process and waits for its "READY <port>" line. */
function startTarget(target: Target): Promise<{ port: number; pid: number; stop: () => Promise<void> }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [SERVER_SCRIPT, target.id], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    const exited = new Promise<void>((r) => child.once('exit', () => r()));
    child.once('error', reject);
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /READY (\d+)/.exec(out);
      if (m) {
        resolve({
          port: Number(m[1]),
          pid: child.pid ?? 0,
          stop: async () => {
            child.kill('SIGTERM');
            await exited;
          },
        });
      }
    });
    void exited.then(() => reject(new Error(`${target.id} exited before it was ready`)));
  });
}

/** A run's figures and the CPU the listener process and the load generator spent per message during it. */
interface Measured extends LoadResult {
  listenerCpuUs: number | undefined;
  loadCpuUs: number;
}

async function measure(target: Target, scenario: Scenario, run: number): Promise<Measured> {
  const server = await startTarget(target);
  try {
    const before = processCpuSeconds(server.pid);
    const own = process.cpuUsage();
    const result = await runMllpLoad({
      host: '127.0.0.1',
      port: server.port,
      connections: scenario.connections,
      window: scenario.window,
      perConnection: scenario.perConnection,
      ...(scenario.ratePerSecond !== undefined ? { ratePerSecond: scenario.ratePerSecond } : {}),
      message: (c, i) => benchDischarge(c, i, `R${run}`),
    });
    const after = processCpuSeconds(server.pid);
    const used = process.cpuUsage(own);
    const count = Math.max(1, result.acked);
    return {
      ...result,
      listenerCpuUs:
        before !== undefined && after !== undefined ? ((after - before) * 1e6) / count : undefined,
      loadCpuUs: (used.user + used.system) / count,
    };
  } finally {
    await server.stop();
  }
}

function fmt(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

export async function benchMllpIngest(): Promise<void> {
  console.log('\n## MLLP ingest: send, wait for the ACK (1.1 KB ADT^A03), loopback');
  console.log(machineLine());
  console.log(
    `disk: ${fmt(measureFsyncRate())} fsync/s on ${tmpdir()} (one durable commit at a time cannot beat this)`,
  );
  console.log(
    `each listener runs in its own process; the load generator (raw sockets) in this one. Runs per cell: ${RUNS}, median shown\n`,
  );
  console.log(
    '| connections | in flight per conn | offered | listener | msg/s | p50 / p99 ms | vs @medplum/hl7 | CPU µs/msg: listener / load | wrong or missing ACKs |',
  );
  console.log('|---|---|---|---|---|---|---|---|---|');
  for (const scenario of SCENARIOS) {
    const results = new Map<IngestTarget, Measured[]>(TARGETS.map((t) => [t.id, []]));
    for (let run = 0; run < RUNS; run++) {
      // Interleaved, so a noisy moment on the shared machine hits every listener alike.
      for (const target of TARGETS) results.get(target.id)?.push(await measure(target, scenario, run));
    }
    const expected = scenario.connections * scenario.perConnection;
    const cpu = (rs: Measured[]): string => {
      const listener = rs.map((r) => r.listenerCpuUs).filter((v): v is number => v !== undefined);
      const load = median(rs.map((r) => r.loadCpuUs)).toFixed(0);
      return `${listener.length > 0 ? median(listener).toFixed(0) : '–'} / ${load}`;
    };
    const bad = (rs: LoadResult[]): number =>
      rs.reduce((s, r) => s + (expected - (r.codes['AA'] ?? 0) - (r.codes['CA'] ?? 0)) + r.mismatched, 0);
    const rate = (rs: LoadResult[]): number => median(rs.map((r) => r.perSecond));
    const lat = (rs: LoadResult[]): string =>
      `${median(rs.map((r) => r.latencyMs.p50)).toFixed(2)} / ${median(rs.map((r) => r.latencyMs.p99)).toFixed(2)}`;
    const peer = rate(results.get('medplum') ?? []);
    const offered = scenario.ratePerSecond !== undefined ? `${fmt(scenario.ratePerSecond)}/s` : 'max';
    for (const target of TARGETS) {
      const rs = results.get(target.id) ?? [];
      const ratio = peer > 0 ? `${(rate(rs) / peer).toFixed(2)}×` : '–';
      console.log(
        `| ${scenario.connections} | ${scenario.window} | ${offered} | ${target.name} | ${fmt(rate(rs))} | ${lat(rs)} | ${ratio} | ${cpu(rs)} | ${bad(rs)} of ${expected * RUNS} |`,
      );
    }
  }
  console.log(
    '\nrxbridge commits every message to SQLite (WAL, synchronous=FULL) before its ACK; @medplum/hl7 answers from memory.',
  );
  console.log(
    `CPU µs/msg: user + system time of the listener process (all its threads) and of this load generator, per ACK. Together they bound msg/s at about ${cpus().length} cores × 1,000,000 ÷ (listener + load) µs; network work the kernel charges to neither comes on top.`,
  );
}

if (import.meta.url === `file://${process.argv[1]}`) await benchMllpIngest();
