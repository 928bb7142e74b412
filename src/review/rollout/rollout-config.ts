// From the `rollout` config block to what the engine runs: guardrails, alert notifiers, the monitor's timing,
// and the certificates it watches.
import { readFileSync } from 'node:fs';
import type { Config } from '../../config/config-schema.ts';
import { webhookNotifier, type AlertNotifier } from './alerts.ts';
import { certificateNotAfter } from './integration-alerts.ts';
import type { Guardrails, Workflow } from './rollout-model.ts';
import { smtpNotifier } from './smtp-notifier.ts';

export function guardrailsFrom(config: Config): Partial<Record<Workflow, Guardrails>> {
  return { 'discharge-reconciliation': { ...config.rollout.guardrails } };
}

/** Webhook (URL from the named environment variable, when set) and email (when configured). */
export function notifiersFrom(config: Config, env: NodeJS.ProcessEnv = process.env): AlertNotifier[] {
  const a = config.rollout.alerts;
  const out: AlertNotifier[] = [];
  const url = a.webhookUrlEnv ? env[a.webhookUrlEnv] : undefined;
  if (url) out.push(webhookNotifier(url));
  if (a.smtp) out.push(smtpNotifier(a.smtp));
  return out;
}

export function monitorTimingFrom(config: Config): {
  intervalMs: number;
  periodMs: number;
  quietPeriodMs: number;
} {
  const a = config.rollout.alerts;
  return {
    intervalMs: a.intervalMinutes * 60_000,
    periodMs: a.periodHours * 3_600_000,
    quietPeriodMs: a.quietMinutes * 60_000,
  };
}

/** The HTTPS and MLLP TLS certificates, read at each call; one that cannot be read is reported as expired now. */
export function certificatesFrom(config: Config): () => Array<{ name: string; notAfter: Date }> {
  const files: Array<{ name: string; file: string }> = [];
  if (config.http.tls) files.push({ name: 'https', file: config.http.tls.certFile });
  for (const l of config.mllp.listeners)
    if (l.tls) files.push({ name: `mllp:${l.name}`, file: l.tls.certFile });
  return () =>
    files.map(({ name, file }) => {
      try {
        return { name, notAfter: certificateNotAfter(readFileSync(file)) };
      } catch {
        return { name: `${name} (unreadable)`, notAfter: new Date(0) };
      }
    });
}
