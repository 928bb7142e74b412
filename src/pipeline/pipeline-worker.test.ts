// The worker loop on a real (in-memory SQLite) store: outcomes settle, and the metrics count retries, dead
// letters, queue wait and processing time; stop() waits for the messages in hand.
import { afterEach, expect, it } from 'vitest';
import { ConfigSchema } from '../config/config-schema.ts';
import { openStore } from '../main.ts';
import { createLogger } from '../platform/log/logger.ts';
import { createMetrics } from '../platform/metrics/metrics.ts';
import type { SettleOutcome } from '../platform/store/message-store.ts';
import type { Store } from '../platform/store/store.ts';
import { startPipelineWorker } from './pipeline-worker.ts';

let store: Store | undefined;
afterEach(async () => {
  await store?.close();
});

function incoming(key: string) {
  return {
    channel: 'mllp:test',
    format: 'hl7v2' as const,
    idempotencyKey: key,
    partitionKey: `P-${key}`,
    summary: { controlId: key },
    raw: new TextEncoder().encode(`MSH|^~\\&|A|B|||20260101||ADT^A03|${key}|P|2.5.1`),
  };
}

async function metricValue(text: string, line: RegExp): Promise<number> {
  const m = line.exec(text);
  return Promise.resolve(m ? Number(m[1]) : 0);
}

it('settles each outcome and counts retries, dead letters, queue wait and processing time', async () => {
  store = await openStore(ConfigSchema.parse({ store: 'sqlite::memory:' }));
  const outcomes: Record<string, SettleOutcome> = {
    OK: { path: ['normalized'], state: 'done' },
    RETRY: { path: [], state: 'failed', error: 'StoreUnavailable: down', retryable: true },
    BAD: { path: [], state: 'failed', error: 'ParseError: no MSH', retryable: false },
  };
  const ids: Record<string, string> = {};
  for (const key of Object.keys(outcomes)) ids[key] = (await store.messages.append(incoming(key))).id;
  const metrics = createMetrics({ defaultMetrics: false });
  let running = 0;
  let maxRunning = 0;
  const worker = startPipelineWorker({
    id: 'w1',
    store: store.messages,
    concurrency: 4,
    leaseMs: 10_000,
    pollMs: 20,
    logger: createLogger('silent', process.stderr),
    metrics,
    maxAttempts: 5,
    process: async (message) => {
      running++;
      maxRunning = Math.max(maxRunning, running);
      await new Promise((r) => setTimeout(r, 30));
      running--;
      return outcomes[message.summary.controlId ?? ''] ?? outcomes['BAD']!;
    },
  });
  const deadline = Date.now() + 5_000;
  while (worker.processed < 3 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  await worker.stop();
  expect(worker.processed).toBe(3);
  expect(maxRunning).toBeGreaterThan(1);
  expect((await store.messages.get(ids['OK']!))?.state).toBe('done');
  expect((await store.messages.get(ids['RETRY']!))?.state).toBe('failed');
  expect((await store.messages.get(ids['BAD']!))?.state).toBe('dead');

  const text = await metrics.registry.metrics();
  expect(await metricValue(text, /^rxbridge_message_retries_total\{reason="StoreUnavailable"\} (\d+)/m)).toBe(
    1,
  );
  expect(await metricValue(text, /^rxbridge_dead_letters_total\{reason="ParseError"\} (\d+)/m)).toBe(1);
  expect(await metricValue(text, /^rxbridge_queue_wait_seconds_count (\d+)/m)).toBe(3);
  expect(await metricValue(text, /^rxbridge_process_duration_seconds_count\{state="done"\} (\d+)/m)).toBe(1);
  expect(await metricValue(text, /^rxbridge_worker_in_flight (\d+)/m)).toBe(0);
});
