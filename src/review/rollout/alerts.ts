// Rollout alerts: agreement or accuracy below the bar, auto writes failing or reversed, extraction confidence
// dropping. Deduplicated per rule and workflow, notified again only after a quiet period, resolved when clear.
import type { RolloutMetrics } from './rollout-metrics.ts';
import type { AlertInput, AlertRecord, AlertSeverity, RolloutStore } from './rollout-store.ts';
import type { WorkflowValue } from './value-report.ts';

export interface AlertThresholds {
  /** Agreement (engine vs pharmacist) below this fires `agreement-low`. */
  minAgreement: number;
  /** Precision (proposals accepted unchanged) below this fires `accuracy-low`. */
  minAccuracy: number;
  /** Failed or reversed auto writes above this share fires `auto-error-rate-high`. */
  maxAutoErrorRate: number;
  /** Mean extraction confidence falling by more than this against the previous period fires `confidence-drop`. */
  maxConfidenceDrop: number;
  /** Discrepancies per event moving by more than this share of the previous period's fires `discrepancy-rate-shift`. */
  maxDiscrepancyShift: number;
  /** Fewer compared items than this: no agreement or accuracy verdict (too little data). */
  minCompared: number;
}

export const DEFAULT_THRESHOLDS: AlertThresholds = {
  minAgreement: 0.8,
  minAccuracy: 0.8,
  maxAutoErrorRate: 0.05,
  maxConfidenceDrop: 0.1,
  maxDiscrepancyShift: 1,
  minCompared: 5,
};

export interface RuleResult {
  rule: string;
  workflow: string;
  firing: boolean;
  severity: AlertSeverity;
  value: number;
  threshold: number;
  message: string;
}

/** Every rule's verdict for one workflow's figures (`previous`: the period before, for drifts). */
export function evaluateRules(
  current: WorkflowValue,
  previous: WorkflowValue | undefined,
  t: AlertThresholds = DEFAULT_THRESHOLDS,
): RuleResult[] {
  const out: RuleResult[] = [];
  const w = current.workflow;
  const a = current.agreement;
  if (a.compared >= t.minCompared && a.rate !== null) {
    out.push({
      rule: 'agreement-low',
      workflow: w,
      firing: a.rate < t.minAgreement,
      severity: 'critical',
      value: a.rate,
      threshold: t.minAgreement,
      message: `${w}: agreement with pharmacists ${a.rate.toFixed(2)} (below ${t.minAgreement} fires) over ${a.compared} items`,
    });
  }
  if (a.proposals >= t.minCompared && a.precision !== null) {
    out.push({
      rule: 'accuracy-low',
      workflow: w,
      firing: a.precision < t.minAccuracy,
      severity: 'critical',
      value: a.precision,
      threshold: t.minAccuracy,
      message: `${w}: ${a.accepted} of ${a.proposals} proposals accepted unchanged (${a.precision.toFixed(2)}; below ${t.minAccuracy} fires)`,
    });
  }
  if (current.autoErrorRate !== null) {
    out.push({
      rule: 'auto-error-rate-high',
      workflow: w,
      firing: current.autoErrorRate > t.maxAutoErrorRate,
      severity: 'critical',
      value: current.autoErrorRate,
      threshold: t.maxAutoErrorRate,
      message: `${w}: ${current.autoErrors} failed and ${current.reversals} reversed of ${current.autoApplied + current.autoErrors} auto writes (${current.autoErrorRate.toFixed(2)}; above ${t.maxAutoErrorRate} fires)`,
    });
  }
  const perEvent = (v: WorkflowValue): number => (v.events === 0 ? 0 : v.discrepancies / v.events);
  if (previous && current.events >= t.minCompared && previous.events >= t.minCompared) {
    const now = perEvent(current);
    const before = perEvent(previous);
    out.push({
      rule: 'discrepancy-rate-shift',
      workflow: w,
      firing: Math.abs(now - before) > t.maxDiscrepancyShift * Math.max(before, 0.5),
      severity: 'warning',
      value: now,
      threshold: before,
      message: `${w}: ${now.toFixed(2)} discrepancies per event, was ${before.toFixed(2)} (a relative shift over ${t.maxDiscrepancyShift} fires)`,
    });
  }
  if (current.meanConfidence !== null && previous?.meanConfidence != null) {
    const drop = previous.meanConfidence - current.meanConfidence;
    out.push({
      rule: 'confidence-drop',
      workflow: w,
      firing: drop > t.maxConfidenceDrop,
      severity: 'warning',
      value: current.meanConfidence,
      threshold: previous.meanConfidence - t.maxConfidenceDrop,
      message: `${w}: mean extraction confidence ${current.meanConfidence.toFixed(2)}, was ${previous.meanConfidence.toFixed(2)} (a drop over ${t.maxConfidenceDrop} fires)`,
    });
  }
  return out;
}

/** Something that delivers an alert (webhook, email). Rejects when delivery failed. */
export interface AlertNotifier {
  readonly name: string;
  notify(alert: AlertRecord): Promise<void>;
}

export interface AlertRunOptions {
  store: RolloutStore;
  notifiers?: readonly AlertNotifier[];
  /** An open alert is notified again only after this long. */
  quietPeriodMs: number;
  now: Date;
  metrics?: RolloutMetrics;
  /** Delivery failures are reported here (never thrown: an alert that cannot be sent is still recorded). */
  onDeliveryError?: (notifier: string, error: unknown) => void;
}

export interface AlertRunResult {
  raised: AlertRecord[];
  notified: AlertRecord[];
  resolved: string[];
}

/** Records firing rules (deduplicated), notifies within the quiet period rules, resolves the rules now clear. */
export async function applyRules(
  results: readonly RuleResult[],
  options: AlertRunOptions,
): Promise<AlertRunResult> {
  const out: AlertRunResult = { raised: [], notified: [], resolved: [] };
  for (const r of results) {
    const key = `${r.rule}:${r.workflow}`;
    options.metrics?.alertsOpen.set({ workflow: r.workflow, rule: r.rule }, r.firing ? 1 : 0);
    if (!r.firing) {
      if (await options.store.resolveAlert(key, options.now)) out.resolved.push(key);
      continue;
    }
    const input: AlertInput = {
      key,
      workflow: r.workflow,
      rule: r.rule,
      severity: r.severity,
      value: r.value,
      threshold: r.threshold,
      message: r.message,
      at: options.now,
    };
    const { alert } = await options.store.raiseAlert(input);
    out.raised.push(alert);
    const quiet =
      alert.notifiedAt !== undefined &&
      options.now.getTime() - alert.notifiedAt.getTime() < options.quietPeriodMs;
    if (quiet || !options.notifiers?.length) continue;
    let delivered = false;
    for (const notifier of options.notifiers) {
      try {
        await notifier.notify(alert);
        delivered = true;
      } catch (error) {
        options.onDeliveryError?.(notifier.name, error);
      }
    }
    if (delivered) {
      await options.store.markNotified(alert.id, options.now);
      out.notified.push(alert);
    }
  }
  return out;
}

function alertBody(alert: AlertRecord): Record<string, unknown> {
  return {
    source: 'rxbridge',
    id: alert.id,
    key: alert.key,
    rule: alert.rule,
    workflow: alert.workflow,
    severity: alert.severity,
    value: alert.value,
    threshold: alert.threshold,
    message: alert.message,
    firstAt: alert.firstAt.toISOString(),
    lastAt: alert.lastAt.toISOString(),
    count: alert.count,
  };
}

/** POSTs the alert as JSON; a non-2xx answer or a timeout is a delivery failure. No patient data is in an alert. */
export function webhookNotifier(url: string, timeoutMs = 5_000): AlertNotifier {
  return {
    name: 'webhook',
    async notify(alert) {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(alertBody(alert)),
        signal: AbortSignal.timeout(timeoutMs),
      });
      if (!response.ok) throw new Error(`webhook answered ${response.status}`);
    },
  };
}

export { alertBody };
