// How a settle outcome becomes transitions, attempts and a retry time: one rule set for every store adapter.
import type { MessageState } from './message-state.ts';
import { assertTransition } from './message-state.ts';
import type { RetryPolicy, SettleOutcome } from './message-store.ts';

export interface SettleSteps {
  events: { from: MessageState; to: MessageState; detail: string | null }[];
  final: MessageState;
  attempts: number;
  lastError: string | null;
}

/**
 * Validates the whole path before anything is written: every move must be legal from the current state. A
 * retryable failure counts an attempt and stays `failed` until the policy's last attempt, then goes `dead`;
 * a failure that cannot succeed on retry goes `dead` at once.
 */
export function settleSteps(
  current: MessageState,
  outcome: SettleOutcome,
  attempts: number,
  retry: RetryPolicy,
): SettleSteps {
  const events: SettleSteps['events'] = [];
  let from = current;
  const step = (to: MessageState, detail: string | null): void => {
    assertTransition(from, to);
    events.push({ from, to, detail });
    from = to;
  };
  for (const state of outcome.path) step(state, null);
  if (outcome.state !== 'failed') {
    step(outcome.state, outcome.detail ?? null);
    return { events, final: outcome.state, attempts, lastError: null };
  }
  const nextAttempts = attempts + 1;
  step('failed', outcome.error);
  if (!outcome.retryable || nextAttempts >= retry.maxAttempts) {
    step('dead', outcome.retryable ? `gave up after ${nextAttempts} attempts` : 'not retryable');
    return { events, final: 'dead', attempts: nextAttempts, lastError: outcome.error };
  }
  return { events, final: 'failed', attempts: nextAttempts, lastError: outcome.error };
}

/** Exponential backoff with ±20% jitter so retries of many partitions do not arrive together. */
export function retryDelayMs(
  policy: RetryPolicy,
  attempts: number,
  random: () => number = Math.random,
): number {
  const base = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, attempts - 1));
  return Math.round(base * (0.8 + 0.4 * random()));
}
