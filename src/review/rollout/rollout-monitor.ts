// Evaluates every alert rule on a timer inside the engine: rollout figures for the last period against the one
// before, plus message-store integration rules; records, deduplicates, notifies, and sets the Prometheus gauges.
import type { Clock } from '../../kernel/clock.ts';
import type { MessageStore } from '../../platform/store/message-store.ts';
import type { TaskStore } from '../../platform/store/task-store.ts';
import {
  DEFAULT_THRESHOLDS,
  applyRules,
  evaluateRules,
  type AlertNotifier,
  type AlertRunResult,
  type AlertThresholds,
} from './alerts.ts';
import {
  DEFAULT_INTEGRATION_THRESHOLDS,
  evaluateIntegrationRules,
  messageStats,
  type IntegrationThresholds,
} from './integration-alerts.ts';
import type { RolloutMetrics } from './rollout-metrics.ts';
import type { RolloutStore } from './rollout-store.ts';
import { workspaceDecisions } from './task-decisions.ts';
import { buildValueReport } from './value-report.ts';

export interface RolloutMonitorDeps {
  store: RolloutStore;
  tasks: TaskStore;
  messages: MessageStore;
  clock: Clock;
  notifiers: readonly AlertNotifier[];
  /** The period evaluated (against the one before it). */
  periodMs: number;
  /** How often; 0 or less: only when `evaluate()` is called. */
  intervalMs: number;
  quietPeriodMs: number;
  metrics?: RolloutMetrics;
  thresholds?: AlertThresholds;
  integration?: IntegrationThresholds;
  /** Certificates to watch (HTTPS, MLLP TLS), read at each evaluation. */
  certificates?: () => Array<{ name: string; notAfter: Date }>;
  /** Problems are reported here, never thrown from the timer. */
  onError?: (what: string, error: unknown) => void;
}

export interface RolloutMonitor {
  evaluate(): Promise<AlertRunResult>;
  stop(): void;
}

export function startRolloutMonitor(deps: RolloutMonitorDeps): RolloutMonitor {
  async function evaluate(): Promise<AlertRunResult> {
    const now = deps.clock.now();
    const since = new Date(now.getTime() - deps.periodMs);
    const before = new Date(since.getTime() - deps.periodMs);
    const decided = await workspaceDecisions(deps.tasks, before);
    const current = await buildValueReport(deps.store, {
      since,
      until: now,
      now,
      workspaceDecisions: decided,
    });
    const previous = await buildValueReport(deps.store, {
      since: before,
      until: since,
      now,
      workspaceDecisions: decided,
    });
    const rules = current.workflows.flatMap((v) => {
      deps.metrics?.agreement.set({ workflow: v.workflow }, v.agreement.rate ?? 1);
      deps.metrics?.accuracy.set({ workflow: v.workflow }, v.agreement.precision ?? 1);
      deps.metrics?.autoErrorRate.set({ workflow: v.workflow }, v.autoErrorRate ?? 0);
      return evaluateRules(
        v,
        previous.workflows.find((p) => p.workflow === v.workflow),
        deps.thresholds ?? DEFAULT_THRESHOLDS,
      );
    });
    const stats = await messageStats(deps.messages, now, deps.periodMs);
    rules.push(
      ...evaluateIntegrationRules(
        { ...stats, certificates: deps.certificates?.() ?? [] },
        deps.integration ?? DEFAULT_INTEGRATION_THRESHOLDS,
      ),
    );
    return applyRules(rules, {
      store: deps.store,
      notifiers: deps.notifiers,
      quietPeriodMs: deps.quietPeriodMs,
      now,
      ...(deps.metrics ? { metrics: deps.metrics } : {}),
      onDeliveryError: (name, error) => deps.onError?.(`alert delivery (${name})`, error),
    });
  }

  let running = false;
  const timer =
    deps.intervalMs > 0
      ? setInterval(() => {
          if (running) return;
          running = true;
          evaluate()
            .catch((error: unknown) => deps.onError?.('rollout alert evaluation', error))
            .finally(() => {
              running = false;
            });
        }, deps.intervalMs)
      : undefined;
  timer?.unref();
  return {
    evaluate,
    stop: () => {
      if (timer) clearInterval(timer);
    },
  };
}
