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
  /** Resolves once the bus has accepted the event (JetStream: stored in the stream). */
  publish<T>(topic: string, key: string, data: T): Promise<BusEvent<T>>;
  /** A handler that resolves acknowledges the event; one that throws has it redelivered. */
  subscribe<T>(topic: string, handler: BusHandler<T>, options: SubscribeOptions): Promise<Subscription>;
  /** Rejects when the bus is unreachable. */
  ping(): Promise<void>;
  close(): Promise<void>;
}
