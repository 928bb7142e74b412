// The worker loop: claims due messages (one per patient at a time), runs the stages, settles each outcome.
import type { MessageStore, SettleOutcome, StoredMessage } from '../platform/store/message-store.ts';
import type { Logger } from '../platform/log/logger.ts';
import type { EngineMetrics } from '../platform/metrics/metrics.ts';

export type ProcessMessage = (message: StoredMessage) => Promise<SettleOutcome>;

export interface PipelineWorkerOptions {
  id: string;
  store: MessageStore;
  process: ProcessMessage;
  concurrency: number;
  leaseMs: number;
  /** Longest sleep between claims when nothing wakes the worker. */
  pollMs: number;
  logger: Logger;
  metrics?: EngineMetrics;
  /** The retry policy's attempt limit, to tell retries from dead letters in the metrics (default 5). */
  maxAttempts?: number;
}

export interface PipelineWorker {
  /** Ask for a claim soon (a message was stored, a partition was freed). */
  wake(): void;
  /** Stops claiming, waits for the messages in hand to settle. */
  stop(): Promise<void>;
  readonly processed: number;
}

export function startPipelineWorker(options: PipelineWorkerOptions): PipelineWorker {
  const { store, logger } = options;
  const maxAttempts = options.maxAttempts ?? 5;
  let running = true;
  let inFlight = 0;
  let processed = 0;
  let wakeRequested = true;
  let sleeper: { resolve: () => void; timer: NodeJS.Timeout } | undefined;
  let failures = 0;
  const inFlightDone = new Set<Promise<void>>();

  const wake = (): void => {
    wakeRequested = true;
    if (sleeper !== undefined) {
      clearTimeout(sleeper.timer);
      sleeper.resolve();
      sleeper = undefined;
    }
  };

  const sleep = (ms: number): Promise<void> =>
    new Promise<void>((resolve) => {
      sleeper = {
        resolve,
        timer: setTimeout(() => {
          sleeper = undefined;
          resolve();
        }, ms),
      };
    });

  const handle = async (message: StoredMessage): Promise<void> => {
    const claimedAt = performance.now();
    options.metrics?.queueWaitSeconds.observe(
      Math.max(0, (Date.now() - message.receivedAt.getTime()) / 1000),
    );
    let outcome: SettleOutcome;
    try {
      outcome = await options.process(message);
    } catch (error) {
      // A bug or an infrastructure failure inside a stage: retry with backoff, then dead letter.
      outcome = { path: [], state: 'failed', error: describeError(error), retryable: true };
    }
    try {
      await store.settle(message.id, options.id, outcome);
      processed++;
      const m = options.metrics;
      if (m) {
        m.messagesSettled.inc({ state: outcome.state });
        m.processSeconds.observe({ state: outcome.state }, (performance.now() - claimedAt) / 1000);
        if (outcome.state === 'failed') {
          const reason = outcome.error.split(':')[0]?.slice(0, 40) ?? 'error';
          // The store decides retry or dead letter from the attempts; the worker knows the rule it applies.
          if (outcome.retryable && message.attempts + 1 < maxAttempts) m.retries.inc({ reason });
          else m.deadLetters.inc({ reason });
        }
      }
    } catch (error) {
      options.metrics?.storeFailures.inc({ operation: 'settle' });
      // The lease was lost or the store is down: the message stays claimable once its lease expires.
      logger.warn(
        { messageId: message.id, err: describeError(error) },
        'settle failed; message will be retried',
      );
    }
  };

  const loop = async (): Promise<void> => {
    while (running) {
      if (!wakeRequested || options.concurrency - inFlight <= 0) {
        await sleep(options.pollMs);
        // Woken or timed out: either way, look for due work (the poll catches retries and lost wake-ups).
        wakeRequested = true;
        continue;
      }
      wakeRequested = false;
      let claimed: StoredMessage[];
      try {
        claimed = await store.claim(options.id, options.concurrency - inFlight, options.leaseMs);
        failures = 0;
      } catch (error) {
        failures++;
        options.metrics?.storeFailures.inc({ operation: 'claim' });
        logger.error({ err: describeError(error), failures }, 'claim failed; store unavailable?');
        await sleep(Math.min(options.pollMs * 2 ** Math.min(failures, 6), 30_000));
        wakeRequested = true;
        continue;
      }
      for (const message of claimed) {
        inFlight++;
        options.metrics?.workerInFlight.set(inFlight);
        const done: Promise<void> = handle(message).finally(() => {
          inFlight--;
          options.metrics?.workerInFlight.set(inFlight);
          inFlightDone.delete(done);
          // Settling frees the partition: the patient's next message may now be due.
          wake();
        });
        inFlightDone.add(done);
      }
      if (claimed.length > 0) wakeRequested = true;
    }
  };

  const loopDone = loop().catch((error: unknown) => {
    logger.error({ err: describeError(error) }, 'pipeline worker stopped unexpectedly');
  });

  return {
    wake,
    get processed() {
      return processed;
    },
    async stop() {
      running = false;
      wake();
      await loopDone;
      await Promise.all([...inFlightDone]);
    },
  };
}

function describeError(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}
