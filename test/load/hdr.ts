// HDR histogram of latencies (recorded in microseconds, read back in ms) and the one-line summary we print.
import * as hdr from 'hdr-histogram-js';

export interface LatencyHistogram {
  record(ms: number): void;
  readonly count: number;
  percentileMs(p: number): number;
  maxMs(): number;
  summary(): { count: number; p50: number; p90: number; p99: number; p999: number; max: number };
  reset(): void;
}

export function latencyHistogram(): LatencyHistogram {
  const h = hdr.build({
    lowestDiscernibleValue: 1,
    highestTrackableValue: 3_600_000_000,
    numberOfSignificantValueDigits: 3,
    useWebAssembly: false,
  });
  const ms = (us: number): number => Math.round(us) / 1000;
  return {
    record(value) {
      h.recordValue(Math.max(1, Math.round(value * 1000)));
    },
    get count() {
      return h.totalCount;
    },
    percentileMs: (p) => ms(h.getValueAtPercentile(p)),
    maxMs: () => ms(h.maxValue),
    summary: () => ({
      count: h.totalCount,
      p50: ms(h.getValueAtPercentile(50)),
      p90: ms(h.getValueAtPercentile(90)),
      p99: ms(h.getValueAtPercentile(99)),
      p999: ms(h.getValueAtPercentile(99.9)),
      max: ms(h.maxValue),
    }),
    reset: () => h.reset(),
  };
}
