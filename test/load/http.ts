// HTTP load on the API: `node test/load/http.ts --url http://127.0.0.1:8080/api/tasks [--url ...]
// [--concurrency 16] [--seconds 10] [--header "authorization: Bearer <api key>"]`.
// Closed loop: each of `concurrency` loops sends the next request when the last one answered; the URLs are
// taken in turn. Prints requests per second, status codes and HDR-histogram latency.
import { parseArgs } from 'node:util';
import { latencyHistogram, type LatencyHistogram } from './hdr.ts';

export interface HttpLoadOptions {
  urls: string[];
  concurrency: number;
  seconds: number;
  headers?: Record<string, string>;
}

export interface HttpLoadResult {
  requests: number;
  seconds: number;
  perSecond: number;
  statuses: Record<string, number>;
  /** Requests that failed before an HTTP answer (refused, reset). */
  errors: number;
  histogram: LatencyHistogram;
}

export async function httpLoad(options: HttpLoadOptions): Promise<HttpLoadResult> {
  const histogram = latencyHistogram();
  const statuses: Record<string, number> = {};
  let requests = 0;
  let errors = 0;
  let turn = 0;
  const started = performance.now();
  const until = started + options.seconds * 1000;
  await Promise.all(
    Array.from({ length: options.concurrency }, async () => {
      while (performance.now() < until) {
        const url = options.urls[turn++ % options.urls.length] as string;
        const at = performance.now();
        try {
          const response = await fetch(url, {
            headers: options.headers ?? {},
            signal: AbortSignal.timeout(10_000),
          });
          await response.arrayBuffer();
          histogram.record(performance.now() - at);
          statuses[response.status] = (statuses[response.status] ?? 0) + 1;
        } catch {
          errors++;
        }
        requests++;
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  return { requests, seconds, perSecond: requests / seconds, statuses, errors, histogram };
}

export function describeHttp(r: HttpLoadResult): string {
  const s = r.histogram.summary();
  return [
    `${r.requests.toLocaleString('en-US')} requests in ${r.seconds.toFixed(1)} s: ${Math.round(r.perSecond).toLocaleString('en-US')} req/s; statuses ${JSON.stringify(r.statuses)}; errors ${r.errors}`,
    `latency ms (HDR): p50 ${s.p50}  p90 ${s.p90}  p99 ${s.p99}  p99.9 ${s.p999}  max ${s.max}`,
  ].join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({
    options: {
      url: { type: 'string', multiple: true },
      concurrency: { type: 'string', default: '16' },
      seconds: { type: 'string', default: '10' },
      header: { type: 'string', multiple: true },
    },
  });
  if (!values.url || values.url.length === 0) {
    console.error(
      'usage: node test/load/http.ts --url <url> [--url ...] [--concurrency N] [--seconds N] [--header "name: value"]',
    );
    process.exit(2);
  }
  const headers: Record<string, string> = {};
  for (const h of values.header ?? []) {
    const i = h.indexOf(':');
    if (i > 0) headers[h.slice(0, i).trim()] = h.slice(i + 1).trim();
  }
  const r = await httpLoad({
    urls: values.url,
    concurrency: Number(values.concurrency),
    seconds: Number(values.seconds),
    headers,
  });
  console.log(describeHttp(r));
}
