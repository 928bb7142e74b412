// Soak: measure the engine's maximum MLLP ingest rate, then hold half of it for a long time, recording throughput,
// p99 ACK latency (HDR histogram per interval), the engine's RSS and the unfinished backlog over time.
// `node bench/soak.ts [--minutes 30] [--mode embedded|scaled] [--fraction 0.5] [--rate N] [--sample-seconds 30]`
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
  },
});
const minutes = Number(values.minutes);
const mode = values.mode as Mode;
const sampleMs = Number(values['sample-seconds']) * 1000;

async function rssMb(url: string): Promise<number> {
  try {
    const text = await (await fetch(`${url}/metrics`, { signal: AbortSignal.timeout(5_000) })).text();
    const m = /^rxbridge_process_resident_memory_bytes (\S+)/m.exec(text);
    return m ? Math.round(Number(m[1]) / 1_048_576) : -1;
  } catch {
    return -1;
  }
}

async function engineRss(cluster: Cluster): Promise<number> {
  const urls = [
    cluster.httpUrl,
    ...cluster.workers().map((w) => w.httpUrl.replace('localhost', '127.0.0.1')),
  ];
  const all = await Promise.all(urls.map(rssMb));
  return all.reduce((a, b) => a + Math.max(0, b), 0);
}

function backlog(cluster: Cluster): Promise<number> {
  return unfinishedCount(cluster.store);
}

console.log(`# Soak (${mode} mode, ${minutes} min)`);
console.log(machineLine());
const cluster = await startCluster({ mode, workers: 2, demo: true, config: { retention: { days: 0 } } });
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
    '| minute | msg/s | p50 ms | p99 ms | max ms | RSS MB (sum of engine processes) | backlog | non-AA ACKs |',
  );
  console.log('|---|---|---|---|---|---|---|---|');

  const window = latencyHistogram();
  const overall = latencyHistogram();
  let windowAcks = 0;
  let windowBad = 0;
  const started = Date.now();
  const rows: Array<{ rss: number; p99: number; rate: number }> = [];
  let windowStart = Date.now();
  const sample = async (): Promise<void> => {
    const now = Date.now();
    const s = window.summary();
    const rss = await engineRss(cluster);
    const queue = await backlog(cluster);
    const r = windowAcks / ((now - windowStart) / 1000);
    rows.push({ rss, p99: s.p99, rate: r });
    console.log(
      `| ${((now - started) / 60_000).toFixed(2)} | ${Math.round(r)} | ${s.p50} | ${s.p99} | ${s.max} | ${rss} | ${queue} | ${windowBad} |`,
    );
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
  console.log(`\n${describeRun(run)}`);
  console.log(
    `soak summary: ${Math.round(run.result.perSecond)} msg/s held for ${(run.result.seconds / 60).toFixed(1)} min; ` +
      `ACK latency p50 ${o.p50} ms, p99 ${o.p99} ms, p99.9 ${o.p999} ms, max ${o.max} ms; ` +
      `RSS first ${rss[0] ?? '?'} MB, last ${rss[rss.length - 1] ?? '?'} MB, max ${Math.max(...rss)} MB`,
  );
} finally {
  await cluster.dispose();
}
