// Prometheus metrics for rollout: what each mode did, auto writes, agreement and accuracy, open alerts.
import { Counter, Gauge, type Registry } from 'prom-client';

export interface RolloutMetrics {
  readonly proposals: Counter<'workflow' | 'mode' | 'disposition'>;
  readonly autoWrites: Counter<'workflow' | 'outcome'>;
  readonly agreement: Gauge<'workflow'>;
  readonly accuracy: Gauge<'workflow'>;
  readonly autoErrorRate: Gauge<'workflow'>;
  readonly alertsOpen: Gauge<'workflow' | 'rule'>;
}

/** Registers on the engine's registry (platform/metrics), or a fresh one in tests and the pilot. */
export function createRolloutMetrics(registry: Registry): RolloutMetrics {
  return {
    proposals: new Counter({
      name: 'rxbridge_rollout_proposals_total',
      help: 'Proposals made by a workflow, by mode and where they went (recorded, task, auto-applied, review, error)',
      labelNames: ['workflow', 'mode', 'disposition'],
      registers: [registry],
    }),
    autoWrites: new Counter({
      name: 'rxbridge_rollout_auto_writes_total',
      help: 'Writes applied by auto mode, by outcome (applied, replayed, failed)',
      labelNames: ['workflow', 'outcome'],
      registers: [registry],
    }),
    agreement: new Gauge({
      name: 'rxbridge_rollout_agreement_ratio',
      help: 'Agreement between what the engine did or would have done and what pharmacists did, last evaluation',
      labelNames: ['workflow'],
      registers: [registry],
    }),
    accuracy: new Gauge({
      name: 'rxbridge_rollout_accuracy_ratio',
      help: 'Share of the engine proposals pharmacists accepted unchanged (precision), last evaluation',
      labelNames: ['workflow'],
      registers: [registry],
    }),
    autoErrorRate: new Gauge({
      name: 'rxbridge_rollout_auto_error_ratio',
      help: 'Share of auto writes that failed or were later reversed, last evaluation',
      labelNames: ['workflow'],
      registers: [registry],
    }),
    alertsOpen: new Gauge({
      name: 'rxbridge_rollout_alerts_open',
      help: 'Open rollout alerts by workflow and rule (1 open, 0 resolved)',
      labelNames: ['workflow', 'rule'],
      registers: [registry],
    }),
  };
}
