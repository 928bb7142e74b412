// Soak: measure the engine's maximum MLLP ingest rate, then hold half of it for a long time, recording throughput,
// p99 ACK latency (HDR histogram per interval), the engine's memory (RSS, V8 heap used and reserved, external
// buffers; the rest of RSS is native: SQLite page caches, code, Node itself) and the unfinished backlog over time.
// `node bench/soak.ts [--minutes 30] [--mode embedded|scaled] [--fraction 0.5] [--rate N] [--sample-seconds 30]
//   [--heap-snapshots <dir> --snapshot-minutes 2,10]` (writes V8 heap snapshots of the engine at those minutes)
import { mkdirSync } from 'node:fs';
import { loadavg } from 'node:os';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { startCluster, type Cluster, type Mode } from '../test/chaos/cluster.ts';
import { latencyHistogram } from '../test/load/hdr.ts';
import { describeRun, mllpLoad } from '../test/load/mllp.ts';
import { unfinishedCount } from '../test/chaos/verify.ts';
import { machineLine } from './machine.ts';

const { values } = parseArgs({
  options: {
    minutes: { type: 'string', default: '30' },
    mode: { type: 'string', default: 'embedded' },
    fraction: { type: 'string', default: '0.5' },
    rate: { type: 'string' },
    'sample-seconds': { type: 'string', default: '30' },
    'probe-messages': { type: 'string', default: '20000' },
    'heap-snapshots': { type: 'string' },
    'snapshot-minutes': { type: 'string', default: '' },
  },
});
const minutes = Number(values.minutes);
const mode = values.mode as Mode;
const sampleMs = Number(values['sample-seconds']) * 1000;

interface Memory {
  rss: number;
  heapUsed: number;
  heapTotal: number;
  external: number;
}

const MEMORY_METRICS: Record<keyof Memory, string> = {
  rss: 'rxbridge_process_resident_memory_bytes',
  heapUsed: 'rxbridge_nodejs_heap_size_used_bytes',
  heapTotal: 'rxbridge_nodejs_heap_size_total_bytes',
  external: 'rxbridge_nodejs_external_memory_bytes',
};

/** One process's memory in MB from its Prometheus metrics (-1 when it does not answer). */
async function memoryMb(url: string): Promise<Memory> {
  const out: Memory = { rss: -1, heapUsed: -1, heapTotal: -1, external: -1 };
  try {
    const text = await (await fetch(`${url}/metrics`, { signal: AbortSignal.timeout(5_000) })).text();
    for (const [key, name] of Object.entries(MEMORY_METRICS) as [keyof Memory, string][]) {
      const m = new RegExp(`^${name} (\\S+)`, 'm').exec(text);
      if (m) out[key] = Math.round(Number(m[1]) / 1_048_576);
    }
  } catch {
    // not answering: -1
  }
  return out;
}

/** Summed over the engine's processes. */
async function engineMemory(cluster: Cluster): Promise<Memory> {
  const urls = [
    cluster.httpUrl,
    ...cluster.workers().map((w) => w.httpUrl.replace('localhost', '127.0.0.1')),
  ];
  const all = await Promise.all(urls.map(memoryMb));
  const sum = (key: keyof Memory): number => all.reduce((a, m) => a + Math.max(0, m[key]), 0);
  return {
    rss: sum('rss'),
    heapUsed: sum('heapUsed'),
    heapTotal: sum('heapTotal'),
    external: sum('external'),
  };
}

function backlog(cluster: Cluster): Promise<number> {
  return unfinishedCount(cluster.store);
}

console.log(`# Soak (${mode} mode, ${minutes} min)`);
console.log(machineLine());
const snapshotDir = values['heap-snapshots'] !== undefined ? resolve(values['heap-snapshots']) : undefined;
const snapshotMinutes = values['snapshot-minutes']
  .split(',')
  .filter((m) => m !== '')
  .map(Number);
const savedNodeOptions = process.env['NODE_OPTIONS'];
if (snapshotDir !== undefined) {
  // The engine writes a heap snapshot into snapshotDir on SIGUSR2 (its working directory is the project).
  mkdirSync(snapshotDir, { recursive: true });
  process.env['NODE_OPTIONS'] =
    `${savedNodeOptions ?? ''} --heapsnapshot-signal=SIGUSR2 --diagnostic-dir=${snapshotDir}`.trim();
}
const cluster = await startCluster({ mode, workers: 2, demo: true, config: { retention: { days: 0 } } });
if (savedNodeOptions === undefined) delete process.env['NODE_OPTIONS'];
else process.env['NODE_OPTIONS'] = savedNodeOptions;
try {
  // 1. The maximum: closed loop, 8 connections × 16 in flight.
  const probe = await mllpLoad({
    port: cluster.mllpPort,
    connections: 8,
    window: 16,
    messages: Number(values['probe-messages']),
    tag: 'P',
  });
  const probeStarted = Date.now() - probe.result.seconds * 1000;
  while ((await backlog(cluster)) > 0) await new Promise((r) => setTimeout(r, 200));
  // The sustainable maximum is the slower of ingest (ACKs) and the pipeline finishing what was stored.
  const endToEnd = probe.result.acked / ((Date.now() - probeStarted) / 1000);
  const maximum = Math.min(probe.result.perSecond, endToEnd);
  console.log(`\nmaximum (closed loop, 8 connections × 16 in flight):\n${describeRun(probe)}`);
  console.log(
    `pipeline finished the probe at ${Math.round(endToEnd)} msg/s end to end; sustainable maximum ${Math.round(maximum)} msg/s`,
  );
  const rate =
    values.rate !== undefined ? Number(values.rate) : Math.max(1, maximum * Number(values.fraction));
  console.log(`\nholding ${Math.round(rate)} msg/s for ${minutes} min; a row every ${sampleMs / 1000} s\n`);
  console.log(
    'Memory in MB, summed over the engine processes: RSS; V8 heap used and reserved (total); external (Buffers, ' +
      'ArrayBuffers); native = RSS − heap reserved − external (SQLite page caches, code, Node itself).\n',
  );
  console.log(
    '| minute | msg/s | p50 ms | p99 ms | max ms | RSS | heap used | heap total | external | native | backlog | non-AA ACKs | load avg |',
  );
  console.log('|---|---|---|---|---|---|---|---|---|---|---|---|---|');

  const window = latencyHistogram();
  const overall = latencyHistogram();
  let windowAcks = 0;
  let windowBad = 0;
  const started = Date.now();
  const rows: Array<{ rss: number; heapUsed: number; p99: number; rate: number }> = [];
  const pendingSnapshots = [...snapshotMinutes].sort((a, b) => a - b);
  let windowStart = Date.now();
  const sample = async (): Promise<void> => {
    const now = Date.now();
    const s = window.summary();
    const mem = await engineMemory(cluster);
    const queue = await backlog(cluster);
    const r = windowAcks / ((now - windowStart) / 1000);
    rows.push({ rss: mem.rss, heapUsed: mem.heapUsed, p99: s.p99, rate: r });
    const native = mem.rss - mem.heapTotal - mem.external;
    const load = loadavg()
      .map((l) => l.toFixed(2))
      .join(' ');
    console.log(
      `| ${((now - started) / 60_000).toFixed(2)} | ${Math.round(r)} | ${s.p50} | ${s.p99} | ${s.max} | ${mem.rss} | ${mem.heapUsed} | ${mem.heapTotal} | ${mem.external} | ${native} | ${queue} | ${windowBad} | ${load} |`,
    );
    const due = pendingSnapshots[0];
    if (snapshotDir !== undefined && due !== undefined && (now - started) / 60_000 >= due) {
      pendingSnapshots.shift();
      for (const p of [cluster.listener(), ...cluster.workers()]) p.child.kill('SIGUSR2');
      console.log(`(heap snapshot requested at minute ${due}, written to the snapshot directory)`);
    }
    window.reset();
    windowAcks = 0;
    windowBad = 0;
    windowStart = now;
  };
  let sampling = Promise.resolve();
  const timer = setInterval(() => {
    sampling = sampling.then(sample);
  }, sampleMs);
  const run = await mllpLoad({
    port: cluster.mllpPort,
    connections: 8,
    window: 64,
    messages: Math.round(rate * minutes * 60),
    ratePerSecond: rate,
    tag: 'K',
    onAck: (ms, code) => {
      window.record(ms);
      overall.record(ms);
      windowAcks++;
      if (code !== 'AA' && code !== 'CA') windowBad++;
    },
  });
  clearInterval(timer);
  await sampling;
  await sample();
  const o = overall.summary();
  const rss = rows.map((r) => r.rss).filter((x) => x > 0);
  const heap = rows.map((r) => r.heapUsed).filter((x) => x > 0);
  console.log(`\n${describeRun(run)}`);
  console.log(
    `soak summary: ${Math.round(run.result.perSecond)} msg/s held for ${(run.result.seconds / 60).toFixed(1)} min; ` +
      `ACK latency p50 ${o.p50} ms, p99 ${o.p99} ms, p99.9 ${o.p999} ms, max ${o.max} ms; ` +
      `RSS first ${rss[0] ?? '?'} MB, last ${rss[rss.length - 1] ?? '?'} MB, max ${Math.max(...rss)} MB; ` +
      `heap used first ${heap[0] ?? '?'} MB, last ${heap[heap.length - 1] ?? '?'} MB`,
  );
} finally {
  await cluster.dispose();
}
