// In-process EventBus for embedded mode: group sharing, per-key order, retries and concurrency, in memory.
//
// Nothing here outlives the process. In embedded mode the durable part is the store's queue table: the
// bus only wakes workers up at once, and on start-up workers claim what the store still holds. Events for
// a topic nobody has subscribed to are dropped; a group that subscribed once keeps receiving events into
// its queue while it has no running subscriber, until the bus is closed.
import { newId } from '../../../kernel/ids.ts';
import { assertValidTopic, resolveSubscribeOptions } from '../event-bus.ts';
import type { BusEvent, BusHandler, EventBus, SubscribeOptions, Subscription } from '../event-bus.ts';

/** Runs a handler outside the caller's stack; resolves whether it succeeded. */
async function attempt(handler: BusHandler, event: BusEvent): Promise<boolean> {
  try {
    await Promise.resolve();
    await handler(event);
    return true;
  } catch {
    // Handlers report their own failures: the bus has no logger and must not log event data.
    return false;
  }
}

interface Consumer {
  readonly handler: BusHandler;
  readonly concurrency: number;
  readonly retryDelayMs: number;
  readonly running: Set<Promise<void>>;
}

/** One group's share of a topic: a queue per key, and the keys whose head event may be handed out. */
interface Group {
  readonly queues: Map<string, BusEvent[]>;
  /** Keys with a waiting head event and nothing in flight, oldest first (a Set keeps insertion order). */
  readonly ready: Set<string>;
  readonly consumers: Consumer[];
  /** Round-robin position, so that every subscriber of the group gets a share. */
  nextConsumer: number;
}

export function createLocalBus(): EventBus {
  const topics = new Map<string, Map<string, Group>>();
  const retryTimers = new Set<NodeJS.Timeout>();
  const subscriptions = new Set<Subscription>();
  let closed = false;
  let closing: Promise<void> | undefined;

  function groupFor(topic: string, name: string): Group {
    let groups = topics.get(topic);
    if (!groups) topics.set(topic, (groups = new Map<string, Group>()));
    let group = groups.get(name);
    if (!group)
      groups.set(name, (group = { queues: new Map(), ready: new Set(), consumers: [], nextConsumer: 0 }));
    return group;
  }

  function pickConsumer(group: Group): Consumer | undefined {
    const n = group.consumers.length;
    for (let i = 0; i < n; i++) {
      const consumer = group.consumers[(group.nextConsumer + i) % n];
      if (consumer && consumer.running.size < consumer.concurrency) {
        group.nextConsumer = (group.nextConsumer + i + 1) % n;
        return consumer;
      }
    }
    return undefined;
  }

  /** Hands ready keys' head events to consumers with a free slot; a key leaves `ready` while in flight. */
  function dispatch(group: Group): void {
    while (!closed && group.ready.size > 0) {
      const consumer = pickConsumer(group);
      if (!consumer) return;
      const key = group.ready.values().next().value as string;
      group.ready.delete(key);
      const event = group.queues.get(key)?.[0];
      if (event) run(group, consumer, key, event);
    }
  }

  function run(group: Group, consumer: Consumer, key: string, event: BusEvent): void {
    const running: Promise<void> = attempt(consumer.handler, event).then((succeeded) => {
      consumer.running.delete(running);
      if (!closed) settle(group, consumer, key, succeeded);
    });
    consumer.running.add(running);
  }

  function settle(group: Group, consumer: Consumer, key: string, succeeded: boolean): void {
    if (succeeded) {
      const queue = group.queues.get(key);
      queue?.shift();
      if (queue && queue.length > 0) group.ready.add(key);
      else group.queues.delete(key);
    } else {
      // At-least-once: the event stays at the head of its key, blocking the key's later events, and is
      // handed out again after the delay.
      const timer = setTimeout(() => {
        retryTimers.delete(timer);
        group.ready.add(key);
        dispatch(group);
      }, consumer.retryDelayMs);
      retryTimers.add(timer);
    }
    dispatch(group);
  }

  return {
    publish<T>(topic: string, key: string, data: T): Promise<BusEvent<T>> {
      if (closed) return Promise.reject(new Error('local bus: publish after close'));
      let json: string | undefined;
      try {
        assertValidTopic(topic);
        // JSON like on a broker: embedded mode meets unserializable data just as scaled mode would,
        // and no handler shares an object with the publisher or with another group.
        json = JSON.stringify(data);
      } catch (error) {
        return Promise.reject(error instanceof Error ? error : new Error(String(error)));
      }
      const event: BusEvent<T> = { id: newId(), topic, key, data };
      for (const group of topics.get(topic)?.values() ?? []) {
        const copy: BusEvent = {
          ...event,
          data: json === undefined ? undefined : (JSON.parse(json) as unknown),
        };
        const queue = group.queues.get(key);
        if (queue) {
          queue.push(copy);
        } else {
          group.queues.set(key, [copy]);
          group.ready.add(key);
        }
        dispatch(group);
      }
      return Promise.resolve(event);
    },

    subscribe<T>(topic: string, handler: BusHandler<T>, options: SubscribeOptions): Promise<Subscription> {
      try {
        if (closed) throw new Error('local bus: subscribe after close');
        assertValidTopic(topic);
        const { group: groupName, concurrency, retryDelayMs } = resolveSubscribeOptions(options);
        const group = groupFor(topic, groupName);
        const consumer: Consumer = {
          handler: handler as BusHandler,
          concurrency,
          retryDelayMs,
          running: new Set(),
        };
        group.consumers.push(consumer);
        let stopping: Promise<void> | undefined;
        const subscription: Subscription = {
          stop() {
            stopping ??= (async () => {
              const at = group.consumers.indexOf(consumer);
              if (at >= 0) group.consumers.splice(at, 1);
              group.nextConsumer = 0;
              // Handlers still running settle their events (ack or retry) as usual.
              await Promise.all(consumer.running);
              subscriptions.delete(subscription);
            })();
            return stopping;
          },
        };
        subscriptions.add(subscription);
        dispatch(group);
        return Promise.resolve(subscription);
      } catch (error) {
        return Promise.reject(error instanceof Error ? error : new Error(String(error)));
      }
    },

    ping(): Promise<void> {
      return closed ? Promise.reject(new Error('local bus: closed')) : Promise.resolve();
    },

    close(): Promise<void> {
      closing ??= (async () => {
        // Closed first: nothing new is handed out, and handlers that finish now settle nothing (all is dropped).
        closed = true;
        for (const timer of retryTimers) clearTimeout(timer);
        retryTimers.clear();
        await Promise.all([...subscriptions].map((s) => s.stop()));
        topics.clear();
      })();
      return closing;
    },
  };
}
