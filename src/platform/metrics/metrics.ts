// Prometheus metrics for every stage: one registry per engine so tests can run engines side by side.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export interface EngineMetrics {
  readonly registry: Registry;
  readonly messagesReceived: Counter<'channel' | 'outcome'>;
  readonly messagesSettled: Counter<'state'>;
  readonly stageSeconds: Histogram<'stage'>;
  readonly tasksCreated: Counter<'type'>;
  readonly messagesByState: Gauge<'state'>;
  readonly mllpConnections: Gauge<'channel'>;
  /** Failed attempts rescheduled with backoff (retryable) and messages sent to the dead letters. */
  readonly retries: Counter<'reason'>;
  readonly deadLetters: Counter<'reason'>;
  /** Time from receipt (commit) until a worker claimed the message: the queue wait. */
  readonly queueWaitSeconds: Histogram;
  /** Time from claim to settled, whole pipeline. */
  readonly processSeconds: Histogram<'state'>;
  readonly workerInFlight: Gauge;
  /** Claims and settles that failed on the store (store down, lease lost). */
  readonly storeFailures: Counter<'operation'>;
}

export function createMetrics(options: { defaultMetrics?: boolean } = {}): EngineMetrics {
  const registry = new Registry();
  if (options.defaultMetrics !== false) collectDefaultMetrics({ register: registry, prefix: 'rxbridge_' });
  return {
    registry,
    messagesReceived: new Counter({
      name: 'rxbridge_messages_received_total',
      help: 'Messages received by channel and acknowledgment outcome (accepted, duplicate, rejected, error)',
      labelNames: ['channel', 'outcome'],
      registers: [registry],
    }),
    messagesSettled: new Counter({
      name: 'rxbridge_messages_settled_total',
      help: 'Messages settled by the pipeline, by resulting state',
      labelNames: ['state'],
      registers: [registry],
    }),
    stageSeconds: new Histogram({
      name: 'rxbridge_stage_duration_seconds',
      help: 'Time spent per pipeline stage',
      labelNames: ['stage'],
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [registry],
    }),
    tasksCreated: new Counter({
      name: 'rxbridge_tasks_created_total',
      help: 'Review tasks created, by type',
      labelNames: ['type'],
      registers: [registry],
    }),
    messagesByState: new Gauge({
      name: 'rxbridge_messages',
      help: 'Stored messages by state (queue depth, dead letters...)',
      labelNames: ['state'],
      registers: [registry],
    }),
    mllpConnections: new Gauge({
      name: 'rxbridge_mllp_connections',
      help: 'Open MLLP connections per channel',
      labelNames: ['channel'],
      registers: [registry],
    }),
    retries: new Counter({
      name: 'rxbridge_message_retries_total',
      help: 'Failed pipeline attempts rescheduled with backoff',
      labelNames: ['reason'],
      registers: [registry],
    }),
    deadLetters: new Counter({
      name: 'rxbridge_dead_letters_total',
      help: 'Messages moved to the dead letters (not retryable, or out of attempts)',
      labelNames: ['reason'],
      registers: [registry],
    }),
    queueWaitSeconds: new Histogram({
      name: 'rxbridge_queue_wait_seconds',
      help: 'Time from receipt until a worker claimed the message',
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300],
      registers: [registry],
    }),
    processSeconds: new Histogram({
      name: 'rxbridge_process_duration_seconds',
      help: 'Time from claim to settle, by resulting state',
      labelNames: ['state'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10],
      registers: [registry],
    }),
    workerInFlight: new Gauge({
      name: 'rxbridge_worker_in_flight',
      help: 'Messages this process is working on now',
      registers: [registry],
    }),
    storeFailures: new Counter({
      name: 'rxbridge_worker_store_failures_total',
      help: 'Worker claims or settles that failed on the store (unavailable, lease lost)',
      labelNames: ['operation'],
      registers: [registry],
    }),
  };
}
