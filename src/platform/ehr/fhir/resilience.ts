// Per-endpoint resilience: a token-bucket rate limiter that adapts to 429/Retry-After/RateLimit headers, a circuit
// breaker, and backoff with jitter. Time comes from `now()` so tests can drive it.

export interface RateLimiterOptions {
  /** Steady rate (requests per second). Default 10. */
  ratePerSecond?: number;
  /** Bucket size (burst). Default = rate. */
  burst?: number;
  /** Lowest rate adaptation may fall to. Default rate / 8. */
  minRatePerSecond?: number;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Token bucket. A 429 halves the rate (down to the floor) and pauses everyone until Retry-After; each success after
 * that wins back 5% of the configured rate. `RateLimit-Remaining: 0` pauses until `RateLimit-Reset`.
 */
export class RateLimiter {
  readonly configuredRate: number;
  #rate: number;
  readonly #burst: number;
  readonly #minRate: number;
  #tokens: number;
  #last: number;
  #pausedUntil = 0;
  readonly #now: () => number;
  readonly #sleep: (ms: number) => Promise<void>;
  #queue: Promise<void> = Promise.resolve();

  constructor(options: RateLimiterOptions = {}) {
    this.configuredRate = options.ratePerSecond ?? 10;
    this.#rate = this.configuredRate;
    this.#burst = options.burst ?? Math.max(1, this.configuredRate);
    this.#minRate = options.minRatePerSecond ?? Math.max(0.1, this.configuredRate / 8);
    this.#now = options.now ?? Date.now;
    this.#sleep = options.sleep ?? sleep;
    this.#tokens = this.#burst;
    this.#last = this.#now();
  }

  get rate(): number {
    return this.#rate;
  }

  get pausedUntil(): number {
    return this.#pausedUntil;
  }

  /** Waits for a token; callers are served in arrival order. */
  acquire(): Promise<void> {
    const turn = this.#queue.then(() => this.#take());
    this.#queue = turn.catch(() => undefined);
    return turn;
  }

  async #take(): Promise<void> {
    for (;;) {
      const now = this.#now();
      if (now < this.#pausedUntil) {
        await this.#sleep(this.#pausedUntil - now);
        continue;
      }
      this.#tokens = Math.min(this.#burst, this.#tokens + ((now - this.#last) / 1000) * this.#rate);
      this.#last = now;
      if (this.#tokens >= 1) {
        this.#tokens -= 1;
        return;
      }
      await this.#sleep(Math.ceil(((1 - this.#tokens) / this.#rate) * 1000));
    }
  }

  /** The server said slow down: halve the rate, pause until `retryAfterMs` from now. */
  onThrottled(retryAfterMs: number | undefined): void {
    this.#rate = Math.max(this.#minRate, this.#rate / 2);
    this.#tokens = 0;
    if (retryAfterMs !== undefined)
      this.#pausedUntil = Math.max(this.#pausedUntil, this.#now() + retryAfterMs);
  }

  onSuccess(): void {
    if (this.#rate < this.configuredRate) {
      this.#rate = Math.min(this.configuredRate, this.#rate + this.configuredRate * 0.05);
    }
  }

  /** `RateLimit-Remaining` / `RateLimit-Reset` (IETF draft; seconds) or the X-RateLimit-* spellings. */
  onHeaders(headers: Headers): void {
    const remaining = headers.get('ratelimit-remaining') ?? headers.get('x-ratelimit-remaining');
    const reset = headers.get('ratelimit-reset') ?? headers.get('x-ratelimit-reset');
    if (remaining !== null && Number(remaining) <= 0 && reset !== null) {
      const seconds = Number(reset);
      // Some servers send an epoch time in X-RateLimit-Reset; treat values past a day as epoch seconds.
      const ms = seconds > 86_400 ? seconds * 1000 - this.#now() : seconds * 1000;
      if (Number.isFinite(ms) && ms > 0) this.#pausedUntil = Math.max(this.#pausedUntil, this.#now() + ms);
    }
  }
}

/** `Retry-After` as seconds or an HTTP date, in ms from now; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | null, nowMs: number): number | undefined {
  if (value === null || value.trim() === '') return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? undefined : Math.max(0, at - nowMs);
}

export interface CircuitBreakerOptions {
  /** Consecutive failures that open the circuit. Default 5. */
  failureThreshold?: number;
  /** How long it stays open before one trial request (ms). Default 30 s. */
  openMs?: number;
  now?: () => number;
}

export type CircuitState = 'closed' | 'open' | 'half-open';

/** Closed → (N failures) → open → (after openMs) half-open: one trial; success closes, failure re-opens. */
export class CircuitBreaker {
  #state: CircuitState = 'closed';
  #failures = 0;
  #openedAt = 0;
  #trialInFlight = false;
  readonly #threshold: number;
  readonly #openMs: number;
  readonly #now: () => number;
  opens = 0;

  constructor(options: CircuitBreakerOptions = {}) {
    this.#threshold = options.failureThreshold ?? 5;
    this.#openMs = options.openMs ?? 30_000;
    this.#now = options.now ?? Date.now;
  }

  get state(): CircuitState {
    if (this.#state === 'open' && this.#now() - this.#openedAt >= this.#openMs) return 'half-open';
    return this.#state;
  }

  /** Whether a request may go now; in half-open only one trial at a time. */
  allow(): boolean {
    const state = this.state;
    if (state === 'closed') return true;
    if (state === 'open') return false;
    if (this.#trialInFlight) return false;
    this.#trialInFlight = true;
    this.#state = 'half-open';
    return true;
  }

  /** Ms until a trial is allowed (0 when closed). */
  retryInMs(): number {
    return this.#state === 'open' ? Math.max(0, this.#openMs - (this.#now() - this.#openedAt)) : 0;
  }

  onSuccess(): void {
    this.#state = 'closed';
    this.#failures = 0;
    this.#trialInFlight = false;
  }

  onFailure(): void {
    this.#trialInFlight = false;
    this.#failures++;
    if (this.#state === 'half-open' || this.#failures >= this.#threshold) {
      if (this.#state !== 'open') this.opens++;
      this.#state = 'open';
      this.#openedAt = this.#now();
    }
  }
}

/** Exponential backoff with full jitter: a random wait in [0, min(cap, base·2^attempt)]. */
export function backoffMs(
  attempt: number,
  baseMs: number,
  capMs: number,
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(capMs, baseMs * 2 ** attempt);
  return Math.round(random() * ceiling);
}
