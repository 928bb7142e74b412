// MLLP load generator: `node test/load/mllp.ts --port 2575 [--connections 8] [--window 16] [--messages 50000]
// [--rate 2000]` against a running engine; prints throughput, ACK codes and HDR-histogram ACK latency.
// Closed loop by default (each connection keeps `window` messages in flight); `--rate` paces it (open loop).
import { parseArgs } from 'node:util';
import { benchDischarge, runMllpLoad, type LoadResult } from '../../bench/mllp-load.ts';
import { latencyHistogram, type LatencyHistogram } from './hdr.ts';

export interface MllpLoadRun {
  result: LoadResult;
  histogram: LatencyHistogram;
}

export async function mllpLoad(options: {
  host?: string;
  port: number;
  connections: number;
  window: number;
  messages: number;
  ratePerSecond?: number;
  tag?: string;
  onAck?: (latencyMs: number, code: string) => void;
}): Promise<MllpLoadRun> {
  const histogram = latencyHistogram();
  const tag = options.tag ?? `L${Date.now().toString(36)}`;
  const result = await runMllpLoad({
    host: options.host ?? '127.0.0.1',
    port: options.port,
    connections: options.connections,
    window: options.window,
    perConnection: Math.ceil(options.messages / options.connections),
    message: (c, i) => benchDischarge(c, i, tag),
    ...(options.ratePerSecond !== undefined ? { ratePerSecond: options.ratePerSecond } : {}),
    onAck: (ms, code) => {
      histogram.record(ms);
      options.onAck?.(ms, code);
    },
  });
  return { result, histogram };
}

export function describeRun(run: MllpLoadRun): string {
  const s = run.histogram.summary();
  const r = run.result;
  return [
    `${r.acked.toLocaleString('en-US')} ACKed of ${r.sent.toLocaleString('en-US')} sent in ${r.seconds.toFixed(1)} s: ${Math.round(r.perSecond).toLocaleString('en-US')} msg/s`,
    `ACK codes ${JSON.stringify(r.codes)}; mismatched ${r.mismatched}; missing ${r.missing}; socket errors ${r.socketErrors}`,
    `ACK latency ms (HDR): p50 ${s.p50}  p90 ${s.p90}  p99 ${s.p99}  p99.9 ${s.p999}  max ${s.max}`,
  ].join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({
    options: {
      host: { type: 'string', default: '127.0.0.1' },
      port: { type: 'string' },
      connections: { type: 'string', default: '8' },
      window: { type: 'string', default: '16' },
      messages: { type: 'string', default: '50000' },
      rate: { type: 'string' },
    },
  });
  if (values.port === undefined) {
    console.error(
      'usage: node test/load/mllp.ts --port <mllp port> [--connections N] [--window N] [--messages N] [--rate msg/s]',
    );
    process.exit(2);
  }
  const run = await mllpLoad({
    host: values.host,
    port: Number(values.port),
    connections: Number(values.connections),
    window: Number(values.window),
    messages: Number(values.messages),
    ...(values.rate !== undefined ? { ratePerSecond: Number(values.rate) } : {}),
  });
  console.log(describeRun(run));
}
