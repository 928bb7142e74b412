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
  };
}
