// EventBus on NATS JetStream for scaled mode: a durable stream, subjects partitioned by key, one pull consumer per partition.
//
// Per-key order with competing consumers: a key always maps to the same one of P partition subjects
// (`<prefix>.<topic>.<p>`), and each (group, topic, partition) has one durable pull consumer with
// max_ack_pending = 1, so at most one event per partition is in flight across all of a group's processes.
// Every subscriber pulls from all partitions of its topic; the server hands each event to one of them.
// A handler that resolves acks its event; one that throws naks it with the retry delay; a process that
// dies without either has its event redelivered once ack_wait runs out. While a handler runs, the
// adapter tells the server it is still working so that slow handlers are not redelivered elsewhere.
import { connect } from '@nats-io/transport-node';
import type { NatsConnection } from '@nats-io/transport-node';
import {
  AckPolicy,
  DeliverPolicy,
  DiscardPolicy,
  JetStreamApiCodes,
  JetStreamApiError,
  jetstream,
  jetstreamManager,
  ReplayPolicy,
  RetentionPolicy,
  StorageType,
} from '@nats-io/jetstream';
import type { Consumer, ConsumerConfig, ConsumerMessages, JetStreamManager, JsMsg } from '@nats-io/jetstream';
import { ErrorCode, RxBridgeError } from '../../../kernel/errors.ts';
import { newId } from '../../../kernel/ids.ts';
import { assertValidTopic, resolveSubscribeOptions } from '../event-bus.ts';
import type { BusEvent, BusHandler, EventBus, SubscribeOptions, Subscription } from '../event-bus.ts';
import { partitionOf, shortHash } from './partition.ts';

export interface NatsBusOptions {
  /** One URL or several separated by commas (nats://host:4222). */
  servers: string;
  /** JetStream stream holding the events; created or updated at open. */
  stream?: string;
  /** First subject token(s); the stream captures `<prefix>.>`. */
  subjectPrefix?: string;
  /** Fixed for the life of the stream: every process must agree on it, or key order is lost. */
  partitions?: number;
  /** Connection name shown by the server (e.g. the worker's host name). */
  name?: string;
  /** How long a delivered event may go without ack or progress before the server redelivers it. */
  ackWaitMs?: number;
  /** How long the stream keeps events; a group subscribing for the first time receives what is kept. */
  maxAgeMs?: number;
}

/** The NATS bus also shows its connection, for health details and for tests that simulate a crash. */
export interface NatsBus extends EventBus {
  readonly connection: NatsConnection;
}

export const NATS_BUS_DEFAULTS = {
  stream: 'RXBRIDGE_EVENTS',
  subjectPrefix: 'rxbridge.events',
  partitions: 16,
  ackWaitMs: 30_000,
  maxAgeMs: 7 * 24 * 3_600_000,
  /** JetStream drops a second publish with the same Nats-Msg-Id inside this window. */
  duplicateWindowMs: 2 * 60_000,
} as const;

const NANOS_PER_MS = 1_000_000;
const SUBJECT_TOKEN = /^[^\s.*>]+$/;
/** Stream names may not hold subject wildcards, separators or path characters. */
const STREAM_NAME = /^[^\s.*>/\\]+$/;
/** Pause before pulling again when a partition's pull ends on its own (server restart, lost stream). */
const RESUME_DELAY_MS = 1_000;

function validateSubject(what: string, value: string): void {
  if (value === '' || !value.split('.').every((token) => SUBJECT_TOKEN.test(token))) {
    throw new RxBridgeError(
      ErrorCode.ConfigInvalid,
      `nats bus: ${what} must be dot-separated tokens without spaces or wildcards`,
    );
  }
}

/** Durable names allow no dots or wildcards: keep what is readable and add a hash so names stay unique. */
function consumerName(group: string, topic: string, partition: number): string {
  const readable = (text: string): string => text.replace(/[^A-Za-z0-9_-]/g, '-').slice(0, 40);
  return `${readable(group)}_${readable(topic)}_${partition}_${shortHash(`${group}\u0000${topic}`)}`;
}

function isApiError(error: unknown, code: number): boolean {
  return error instanceof JetStreamApiError && error.code === code;
}

/** A counting semaphore with FIFO waiters: the subscriber's `concurrency` across its partitions. */
function createSlots(size: number): { acquire(): Promise<void>; release(): void } {
  let free = size;
  const waiters: Array<() => void> = [];
  return {
    acquire() {
      if (free > 0) {
        free--;
        return Promise.resolve();
      }
      return new Promise((resolve) => waiters.push(resolve));
    },
    release() {
      const next = waiters.shift();
      if (next) next();
      else free++;
    },
  };
}

/** Ack-family calls publish on the connection; once it is closed the server redelivers, which is the point. */
function settleQuietly(settle: () => void): void {
  try {
    settle();
  } catch {
    // The connection is gone: the event is redelivered after ack_wait.
  }
}

async function ensureStream(
  jsm: JetStreamManager,
  stream: string,
  subject: string,
  partitions: number,
  maxAgeMs: number,
): Promise<void> {
  const description = `RxBridge events; partitions=${partitions}`;
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const info = await jsm.streams.info(stream);
      const declared = /partitions=(\d+)/.exec(info.config.description ?? '')?.[1];
      if (declared !== undefined && Number(declared) !== partitions) {
        throw new RxBridgeError(
          ErrorCode.ConfigInvalid,
          `nats bus: stream ${stream} was created with ${declared} partitions, not ${partitions}; every process must use the same number`,
        );
      }
      if (!info.config.subjects?.includes(subject)) {
        await jsm.streams.update(stream, { subjects: [...(info.config.subjects ?? []), subject] });
      }
      return;
    } catch (error) {
      if (!isApiError(error, JetStreamApiCodes.StreamNotFound)) throw error;
    }
    try {
      await jsm.streams.add({
        name: stream,
        description,
        subjects: [subject],
        storage: StorageType.File,
        retention: RetentionPolicy.Limits,
        discard: DiscardPolicy.Old,
        max_age: maxAgeMs * NANOS_PER_MS,
        duplicate_window: Math.min(NATS_BUS_DEFAULTS.duplicateWindowMs, maxAgeMs) * NANOS_PER_MS,
      });
      return;
    } catch (error) {
      // Another process created it between our two calls: read it again.
      if (!(error instanceof JetStreamApiError)) throw error;
    }
  }
  throw new RxBridgeError(ErrorCode.BusUnavailable, `nats bus: could not create or read stream ${stream}`);
}

export async function openNatsBus(options: NatsBusOptions): Promise<NatsBus> {
  const stream = options.stream ?? NATS_BUS_DEFAULTS.stream;
  const prefix = options.subjectPrefix ?? NATS_BUS_DEFAULTS.subjectPrefix;
  const partitions = options.partitions ?? NATS_BUS_DEFAULTS.partitions;
  const ackWaitMs = options.ackWaitMs ?? NATS_BUS_DEFAULTS.ackWaitMs;
  const maxAgeMs = options.maxAgeMs ?? NATS_BUS_DEFAULTS.maxAgeMs;
  if (!STREAM_NAME.test(stream))
    throw new RxBridgeError(ErrorCode.ConfigInvalid, 'nats bus: invalid stream name');
  validateSubject('subjectPrefix', prefix);
  if (!Number.isInteger(partitions) || partitions < 1 || partitions > 1024) {
    throw new RxBridgeError(
      ErrorCode.ConfigInvalid,
      'nats bus: partitions must be a whole number from 1 to 1024',
    );
  }
  if (!(ackWaitMs >= 100))
    throw new RxBridgeError(ErrorCode.ConfigInvalid, 'nats bus: ackWaitMs must be ≥ 100');

  let nc: NatsConnection;
  try {
    nc = await connect({
      servers: options.servers.split(',').map((s) => s.trim()),
      ...(options.name === undefined ? {} : { name: options.name }),
      // Never give up on the broker: the client's default (10 tries, 2 s apart) leaves the engine disconnected
      // for good after a 20 s outage (chaos R5). Keep trying every 2 s; readiness says "bus" meanwhile.
      maxReconnectAttempts: -1,
      reconnectTimeWait: 2_000,
    });
  } catch (error) {
    throw new RxBridgeError(ErrorCode.BusUnavailable, 'nats bus: cannot connect', { cause: error });
  }
  let jsm: JetStreamManager;
  try {
    jsm = await jetstreamManager(nc);
    await ensureStream(jsm, stream, `${prefix}.>`, partitions, maxAgeMs);
  } catch (error) {
    await nc.close();
    if (error instanceof RxBridgeError) throw error;
    throw new RxBridgeError(ErrorCode.BusUnavailable, 'nats bus: JetStream stream not available', {
      cause: error,
    });
  }
  const js = jetstream(nc);
  const subscriptions = new Set<Subscription>();
  let closing: Promise<void> | undefined;

  const subjectOf = (topic: string, partition: number): string => `${prefix}.${topic}.${partition}`;

  function assertOpen(operation: string): void {
    if (closing || nc.isClosed())
      throw new RxBridgeError(ErrorCode.BusUnavailable, `nats bus: ${operation} after close`);
  }

  async function ensureConsumer(group: string, topic: string, partition: number): Promise<Consumer> {
    const name = consumerName(group, topic, partition);
    const config: Partial<ConsumerConfig> = {
      durable_name: name,
      filter_subject: subjectOf(topic, partition),
      ack_policy: AckPolicy.Explicit,
      // A group's first subscriber starts from what the stream keeps, so nothing published earlier is missed.
      deliver_policy: DeliverPolicy.All,
      replay_policy: ReplayPolicy.Instant,
      max_ack_pending: 1,
      ack_wait: ackWaitMs * NANOS_PER_MS,
      max_deliver: -1,
    };
    try {
      return js.consumers.getConsumerFromInfo(await jsm.consumers.add(stream, config));
    } catch (error) {
      // It exists with other settings (e.g. an older ack_wait): bring it in line.
      if (!(error instanceof JetStreamApiError)) throw error;
      const info = await jsm.consumers.update(stream, name, {
        ack_wait: config.ack_wait ?? 0,
        max_ack_pending: 1,
        max_deliver: -1,
      });
      return js.consumers.getConsumerFromInfo(info);
    }
  }

  function decode(message: JsMsg): BusEvent | undefined {
    try {
      const event = message.json<Partial<BusEvent>>();
      if (typeof event.id === 'string' && typeof event.topic === 'string' && typeof event.key === 'string') {
        return { id: event.id, topic: event.topic, key: event.key, data: event.data };
      }
    } catch {
      // Falls through: not one of ours.
    }
    return undefined;
  }

  return {
    connection: nc,

    async publish<T>(topic: string, key: string, data: T): Promise<BusEvent<T>> {
      assertOpen('publish');
      assertValidTopic(topic);
      const event: BusEvent<T> = { id: newId(), topic, key, data };
      // Outside the try: unserializable data is the caller's bug, not an unavailable bus.
      const payload = JSON.stringify(event);
      try {
        // msgID sets Nats-Msg-Id: a publish retried after a lost PubAck is stored once.
        await js.publish(subjectOf(topic, partitionOf(key, partitions)), payload, { msgID: event.id });
      } catch (error) {
        throw new RxBridgeError(ErrorCode.BusUnavailable, 'nats bus: publish not acknowledged', {
          cause: error,
        });
      }
      return event;
    },

    async subscribe<T>(
      topic: string,
      handler: BusHandler<T>,
      options: SubscribeOptions,
    ): Promise<Subscription> {
      assertOpen('subscribe');
      assertValidTopic(topic);
      const { group, concurrency, retryDelayMs } = resolveSubscribeOptions(options);
      const consumers = await Promise.all(
        Array.from({ length: partitions }, (_, p) => ensureConsumer(group, topic, p)),
      );
      const slots = createSlots(concurrency);
      const open = new Set<ConsumerMessages>();
      let stopped = false;

      async function handle(message: JsMsg): Promise<void> {
        const event = decode(message);
        if (!event) {
          // Redelivering cannot make it readable; terminate it rather than block the partition.
          settleQuietly(() => message.term());
          return;
        }
        // Progress reports keep ack_wait from expiring while we wait for a slot or the handler runs.
        const progress = setInterval(
          () => settleQuietly(() => message.working()),
          Math.max(50, ackWaitMs / 3),
        );
        try {
          await slots.acquire();
          try {
            if (stopped) {
              settleQuietly(() => message.nak());
              return;
            }
            await (handler as BusHandler)(event);
            settleQuietly(() => message.ack());
          } catch {
            // Handlers report their own failures; the bus must not log event data.
            settleQuietly(() => message.nak(retryDelayMs));
          } finally {
            slots.release();
          }
        } finally {
          clearInterval(progress);
        }
      }

      async function pump(consumer: Consumer): Promise<void> {
        while (!stopped && !nc.isClosed()) {
          let messages: ConsumerMessages;
          try {
            messages = await consumer.consume({ max_messages: 1 });
          } catch {
            await new Promise((resolve) => setTimeout(resolve, RESUME_DELAY_MS));
            continue;
          }
          open.add(messages);
          // A stop between our check and consume() would otherwise leave this pull running.
          if (stopped) await messages.close();
          try {
            for await (const message of messages) {
              if (stopped) settleQuietly(() => message.nak());
              else await handle(message);
            }
          } catch {
            // The pull ended with an error (consumer deleted, connection lost): pull again unless stopped.
          }
          open.delete(messages);
          if (!stopped && !nc.isClosed())
            await new Promise((resolve) => setTimeout(resolve, RESUME_DELAY_MS));
        }
      }

      const pumps = consumers.map((consumer) => pump(consumer));
      let stopping: Promise<void> | undefined;
      const subscription: Subscription = {
        stop() {
          stopping ??= (async () => {
            stopped = true;
            await Promise.all([...open].map((messages) => messages.close()));
            await Promise.all(pumps);
            // Acks are fire-and-forget publishes: make sure they left before saying we are done.
            if (!nc.isClosed()) await nc.flush().catch(() => undefined);
            subscriptions.delete(subscription);
          })();
          return stopping;
        },
      };
      subscriptions.add(subscription);
      return subscription;
    },

    async ping(): Promise<void> {
      assertOpen('ping');
      // A JetStream API round trip: proves the server, JetStream and our stream are there.
      await jsm.streams.info(stream);
    },

    close(): Promise<void> {
      closing ??= (async () => {
        await Promise.all([...subscriptions].map((s) => s.stop()));
        if (!nc.isClosed()) await nc.drain();
      })();
      return closing;
    },
  };
}
