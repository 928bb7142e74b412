// EventBus port: at-least-once delivery of small events, in order per key, shared among a group's consumers.

export interface BusEvent<T = unknown> {
  /** Unique per published event; consumers may see it more than once. */
  id: string;
  topic: string;
  /** Partition key (patient); events with one key are delivered in publish order. */
  key: string;
  data: T;
}

export interface SubscribeOptions {
  /** Consumers with the same group share the events (each event to one of them). */
  group: string;
  /** Delay before an event whose handler threw is delivered again. */
  retryDelayMs?: number;
  /** Handlers running at once in this consumer (different keys only). */
  concurrency?: number;
}

export interface Subscription {
  /** Stops delivering; resolves once running handlers have finished. */
  stop(): Promise<void>;
}

export type BusHandler<T = unknown> = (event: BusEvent<T>) => Promise<void>;

export interface EventBus {
  /**
   * Resolves once the bus has accepted the event (JetStream: stored in the stream). `data` travels as
   * JSON: handlers get a JSON copy. `topic` is dot-separated tokens of letters, digits, `_` and `-`.
   */
  publish<T>(topic: string, key: string, data: T): Promise<BusEvent<T>>;
  /** A handler that resolves acknowledges the event; one that throws has it redelivered. */
  subscribe<T>(topic: string, handler: BusHandler<T>, options: SubscribeOptions): Promise<Subscription>;
  /** Rejects when the bus is unreachable. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** What a subscription uses when SubscribeOptions leaves a value out; the same for every adapter. */
export const BUS_DEFAULTS = { retryDelayMs: 1_000, concurrency: 1 } as const;

const TOPIC = /^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/;

/** Topics become subject tokens on a broker: the same rule for every adapter, so embedded mode fails alike. */
export function assertValidTopic(topic: string): void {
  if (!TOPIC.test(topic)) {
    throw new RangeError('topic must be dot-separated tokens of letters, digits, "_" and "-"');
  }
}

/** Fills in the defaults and rejects values no adapter can honour (a bug in the caller, hence a throw). */
export function resolveSubscribeOptions(options: SubscribeOptions): Required<SubscribeOptions> {
  const resolved = {
    group: options.group,
    retryDelayMs: options.retryDelayMs ?? BUS_DEFAULTS.retryDelayMs,
    concurrency: options.concurrency ?? BUS_DEFAULTS.concurrency,
  };
  if (resolved.group.trim() === '') throw new RangeError('subscribe: group must not be empty');
  if (!Number.isInteger(resolved.concurrency) || resolved.concurrency < 1) {
    throw new RangeError(`subscribe: concurrency must be a whole number ≥ 1, got ${resolved.concurrency}`);
  }
  if (!Number.isFinite(resolved.retryDelayMs) || resolved.retryDelayMs < 0) {
    throw new RangeError(`subscribe: retryDelayMs must be ≥ 0, got ${resolved.retryDelayMs}`);
  }
  return resolved;
}
