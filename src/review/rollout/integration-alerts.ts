// Integration and data-anomaly rules beside the rollout ones: a channel silent for longer than usual, rising dead
// letters, a sudden shift in message volume, a certificate near expiry. Same RuleResult shape, same dedupe.
import { X509Certificate } from 'node:crypto';
import type { MessageStore } from '../../platform/store/message-store.ts';
import type { RuleResult } from './alerts.ts';

export interface ChannelActivity {
  channel: string;
  lastAt: Date;
  /** Median gap between this channel's recent messages. */
  typicalGapMs: number;
  /** Messages seen (the median needs a few). */
  seen: number;
}

export interface IntegrationStats {
  now: Date;
  channels: ChannelActivity[];
  /** Messages received in the current and the previous period of the same length. */
  messages: { current: number; previous: number };
  /** Of those, dead-lettered. */
  deadLetters: { current: number; previous: number };
  certificates?: Array<{ name: string; notAfter: Date }>;
}

export interface IntegrationThresholds {
  /** Silent for this many typical gaps (and at least `minSilenceMs`) fires `channel-silent`. */
  silenceFactor: number;
  minSilenceMs: number;
  /** Dead-letter share above this, and above the previous period's, fires `dead-letters-rising`. */
  maxDeadLetterRate: number;
  /** Volume more than this many times the previous period, or less than its inverse, fires `volume-shift`. */
  volumeFactor: number;
  /** Periods with fewer messages give no volume verdict. */
  minMessages: number;
  /** A certificate expiring within this fires `certificate-expiry`. */
  certificateWarningMs: number;
}

export const DEFAULT_INTEGRATION_THRESHOLDS: IntegrationThresholds = {
  silenceFactor: 5,
  minSilenceMs: 30 * 60_000,
  maxDeadLetterRate: 0.01,
  volumeFactor: 3,
  minMessages: 20,
  certificateWarningMs: 21 * 86_400_000,
};

export function evaluateIntegrationRules(
  stats: IntegrationStats,
  t: IntegrationThresholds = DEFAULT_INTEGRATION_THRESHOLDS,
): RuleResult[] {
  const out: RuleResult[] = [];
  for (const c of stats.channels) {
    if (c.seen < 5) continue;
    const silentMs = stats.now.getTime() - c.lastAt.getTime();
    const limit = Math.max(t.minSilenceMs, t.silenceFactor * c.typicalGapMs);
    out.push({
      rule: 'channel-silent',
      workflow: c.channel,
      firing: silentMs > limit,
      severity: 'critical',
      value: Math.round(silentMs / 60_000),
      threshold: Math.round(limit / 60_000),
      message: `${c.channel}: no message for ${Math.round(silentMs / 60_000)} min (usual gap ${Math.round(c.typicalGapMs / 60_000)} min; over ${Math.round(limit / 60_000)} fires)`,
    });
  }
  const rate = (d: number, m: number): number => (m === 0 ? 0 : d / m);
  const now = rate(stats.deadLetters.current, stats.messages.current);
  const before = rate(stats.deadLetters.previous, stats.messages.previous);
  if (stats.messages.current > 0)
    out.push({
      rule: 'dead-letters-rising',
      workflow: 'messages',
      firing: now > t.maxDeadLetterRate && now > before,
      severity: 'critical',
      value: now,
      threshold: t.maxDeadLetterRate,
      message: `${stats.deadLetters.current} of ${stats.messages.current} messages dead-lettered (${(now * 100).toFixed(1)}%, was ${(before * 100).toFixed(1)}%)`,
    });
  if (stats.messages.current >= t.minMessages || stats.messages.previous >= t.minMessages) {
    const ratio = (stats.messages.current + 1) / (stats.messages.previous + 1);
    out.push({
      rule: 'volume-shift',
      workflow: 'messages',
      firing: ratio > t.volumeFactor || ratio < 1 / t.volumeFactor,
      severity: 'warning',
      value: stats.messages.current,
      threshold: stats.messages.previous,
      message: `${stats.messages.current} messages this period against ${stats.messages.previous} the period before`,
    });
  }
  for (const cert of stats.certificates ?? []) {
    const left = cert.notAfter.getTime() - stats.now.getTime();
    out.push({
      rule: 'certificate-expiry',
      workflow: cert.name,
      firing: left < t.certificateWarningMs,
      severity: left < 0 ? 'critical' : 'warning',
      value: Math.floor(left / 86_400_000),
      threshold: Math.floor(t.certificateWarningMs / 86_400_000),
      message: `${cert.name}: certificate ${left < 0 ? 'expired' : 'expires'} ${cert.notAfter.toISOString().slice(0, 10)} (${Math.floor(left / 86_400_000)} days)`,
    });
  }
  return out;
}

/** The expiry of a PEM certificate (the first in the file). */
export function certificateNotAfter(pem: string | Buffer): Date {
  return new Date(new X509Certificate(pem).validTo);
}

/** Message statistics for the rules from the newest `limit` messages in the store. */
export async function messageStats(
  messages: MessageStore,
  now: Date,
  periodMs: number,
  limit = 20_000,
): Promise<Omit<IntegrationStats, 'certificates'>> {
  const recent = await messages.list({ limit });
  const since = now.getTime() - periodMs;
  const before = since - periodMs;
  const stats: Omit<IntegrationStats, 'certificates'> = {
    now,
    channels: [],
    messages: { current: 0, previous: 0 },
    deadLetters: { current: 0, previous: 0 },
  };
  const times = new Map<string, number[]>();
  for (const m of recent) {
    const at = m.receivedAt.getTime();
    const period = at >= since ? 'current' : at >= before ? 'previous' : undefined;
    if (period) {
      stats.messages[period]++;
      if (m.state === 'dead') stats.deadLetters[period]++;
    }
    const list = times.get(m.channel) ?? [];
    list.push(at);
    times.set(m.channel, list);
  }
  for (const [channel, list] of times) {
    list.sort((a, b) => a - b);
    const gaps = list.slice(1).map((t, i) => t - (list[i] ?? t));
    gaps.sort((a, b) => a - b);
    stats.channels.push({
      channel,
      lastAt: new Date(list.at(-1) ?? 0),
      typicalGapMs: gaps.length ? (gaps[Math.floor(gaps.length / 2)] ?? 0) : 0,
      seen: list.length,
    });
  }
  return stats;
}
