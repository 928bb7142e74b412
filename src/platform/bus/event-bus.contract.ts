// Contract test suite for the EventBus port: every bus adapter (local, NATS) runs these same tests.
import { afterEach, describe, expect, it } from 'vitest';
import type { BusEvent, BusHandler, EventBus, SubscribeOptions, Subscription } from './event-bus.ts';

/** What an adapter promises beyond the port itself; tests that need a capability skip without it. */
export interface EventBusCapabilities {
  /**
   * Events are stored outside the process: they survive closing and reopening the bus and reach a group
   * whose first subscriber starts after they were published (JetStream). The local bus keeps events in
   * memory only, for groups that already subscribed; its durable part is the store's queue table.
   */
  durable: boolean;
  /** Skip the whole suite, naming why in the test report (e.g. the server is unreachable). */
  skipReason?: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Polls until the condition holds; fails with `what` after the timeout instead of hanging the test. */
export async function waitFor(
  condition: () => boolean,
  options: { timeoutMs?: number; what?: string } = {},
): Promise<void> {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) {
      throw new Error(
        `waitFor: timed out after ${timeoutMs} ms waiting for ${options.what ?? 'a condition'}`,
      );
    }
    await sleep(2);
  }
}

/** Publishes `perKey` events on every key: keys in parallel, each key's events one after another. */
export async function publishSpread(
  bus: EventBus,
  topic: string,
  keys: readonly string[],
  perKey: number,
): Promise<BusEvent<{ seq: number }>[]> {
  const chains = keys.map(async (key) => {
    const events: BusEvent<{ seq: number }>[] = [];
    for (let seq = 0; seq < perKey; seq++) events.push(await bus.publish(topic, key, { seq }));
    return events;
  });
  return (await Promise.all(chains)).flat();
}

/** A handler that records something of each event it gets. */
export function record<T, V>(into: V[], pick: (event: BusEvent<T>) => V): BusHandler<T> {
  return (event) => {
    into.push(pick(event));
    return Promise.resolve();
  };
}

function keyNames(count: number): string[] {
  return Array.from({ length: count }, (_, i) => `patient-${i}`);
}

/** Tracks handling per key: order, overlap within a key, and the most handlers running at once. */
export class OrderProbe {
  readonly handled = new Map<string, number[]>();
  readonly overlapsWithinKey: string[] = [];
  #activeByKey = new Map<string, number>();
  #active = 0;
  maxActive = 0;
  count = 0;

  async track(event: BusEvent<{ seq: number }>, work: () => Promise<void>): Promise<void> {
    const active = (this.#activeByKey.get(event.key) ?? 0) + 1;
    this.#activeByKey.set(event.key, active);
    if (active > 1) this.overlapsWithinKey.push(event.key);
    this.#active++;
    this.maxActive = Math.max(this.maxActive, this.#active);
    const list = this.handled.get(event.key) ?? [];
    list.push(event.data.seq);
    this.handled.set(event.key, list);
    try {
      await work();
    } finally {
      this.#active--;
      this.#activeByKey.set(event.key, (this.#activeByKey.get(event.key) ?? 1) - 1);
      this.count++;
    }
  }

  expectInOrder(keys: readonly string[], perKey: number): void {
    const expected = Array.from({ length: perKey }, (_, i) => i);
    for (const key of keys) expect(this.handled.get(key), `order of ${key}`).toEqual(expected);
    expect(this.overlapsWithinKey, 'keys handled by two handlers at once').toEqual([]);
  }
}

export function describeEventBus(
  name: string,
  open: () => Promise<EventBus>,
  capabilities: EventBusCapabilities = { durable: false },
): void {
  const skipReason = capabilities.skipReason;
  const suite = skipReason === undefined ? describe : describe.skip;
  const title = `EventBus contract: ${name}${skipReason === undefined ? '' : ` (skipped: ${skipReason})`}`;

  suite(title, () => {
    let buses: EventBus[] = [];
    let subscriptions: Subscription[] = [];

    async function openBus(): Promise<EventBus> {
      const bus = await open();
      buses.push(bus);
      return bus;
    }

    async function subscribe<T>(
      bus: EventBus,
      topic: string,
      handler: BusHandler<T>,
      options: SubscribeOptions,
    ): Promise<Subscription> {
      const subscription = await bus.subscribe(topic, handler, options);
      subscriptions.push(subscription);
      return subscription;
    }

    afterEach(async () => {
      await Promise.allSettled(subscriptions.map((s) => s.stop()));
      await Promise.allSettled(buses.map((b) => b.close()));
      subscriptions = [];
      buses = [];
    });

    it('delivers a published event with its id, topic, key and data intact', async () => {
      const bus = await openBus();
      const received: BusEvent[] = [];
      const elsewhere: BusEvent[] = [];
      await subscribe(
        bus,
        'message.stored',
        record(received, (e) => e),
        { group: 'workers' },
      );
      await subscribe(
        bus,
        'message.failed',
        record(elsewhere, (e) => e),
        { group: 'workers' },
      );

      const data = { messageId: 'm-1', nested: { list: [1, 2.5, null, true], text: 'ñ ü 漢字 💊' } };
      const published = await bus.publish('message.stored', 'MRN-1^^^HOSP', data);
      expect(published.id).toMatch(UUID);
      expect(published).toMatchObject({ topic: 'message.stored', key: 'MRN-1^^^HOSP', data });

      await waitFor(() => received.length === 1, { what: 'the event' });
      expect(received[0]).toEqual(published);

      const other = await bus.publish('message.failed', 'MRN-1^^^HOSP', { messageId: 'm-2' });
      expect(other.id).not.toBe(published.id);
      await waitFor(() => elsewhere.length === 1, { what: 'the event on the second topic' });
      expect(elsewhere.map((e) => e.id)).toEqual([other.id]);
      expect(received.map((e) => e.id)).toEqual([published.id]);
    });

    it('redelivers an event whose handler threw, after retryDelayMs, until it succeeds, keeping key order', async () => {
      const bus = await openBus();
      const retryDelayMs = 40;
      const keys = keyNames(4);
      // Failures planned per (key, seq): even events fail once, the last event of the first key three times.
      const failuresFor = (key: string, seq: number): number =>
        key === keys[0] && seq === 4 ? 3 : seq % 2 === 0 ? 1 : 0;
      const attempts = new Map<string, { count: number; lastFailureAt: number }>();
      const gaps: number[] = [];
      const succeeded = new Map<string, number[]>();
      let successes = 0;

      await subscribe<{ seq: number }>(
        bus,
        'retry.topic',
        async (e) => {
          const state = attempts.get(e.id) ?? { count: 0, lastFailureAt: 0 };
          if (state.count > 0) gaps.push(Date.now() - state.lastFailureAt);
          state.count++;
          attempts.set(e.id, state);
          await sleep(1);
          if (state.count <= failuresFor(e.key, e.data.seq)) {
            state.lastFailureAt = Date.now();
            throw new Error('planned failure');
          }
          succeeded.set(e.key, [...(succeeded.get(e.key) ?? []), e.data.seq]);
          successes++;
        },
        { group: 'workers', retryDelayMs, concurrency: 4 },
      );

      const events = await publishSpread(bus, 'retry.topic', keys, 5);
      await waitFor(() => successes === events.length, { what: 'every event to succeed' });

      for (const key of keys) expect(succeeded.get(key), `successes of ${key}`).toEqual([0, 1, 2, 3, 4]);
      for (const e of events) {
        expect(attempts.get(e.id)?.count, `attempts of ${e.key}#${e.data.seq}`).toBe(
          failuresFor(e.key, e.data.seq) + 1,
        );
      }
      expect(gaps.length).toBe(events.reduce((n, e) => n + failuresFor(e.key, e.data.seq), 0));
      // Timers may fire a little early on some platforms; a few ms of slack, never an immediate retry.
      for (const gap of gaps) expect(gap).toBeGreaterThanOrEqual(retryDelayMs - 5);
    });

    it('handles each key in publish order, never two at once, while different keys run in parallel', async () => {
      const bus = await openBus();
      const keys = keyNames(20);
      const perKey = 50;
      const concurrency = 8;
      const probe = new OrderProbe();
      await subscribe<{ seq: number }>(bus, 'order.topic', (e) => probe.track(e, () => sleep(1)), {
        group: 'workers',
        concurrency,
      });

      await publishSpread(bus, 'order.topic', keys, perKey);
      await waitFor(() => probe.count === keys.length * perKey, {
        what: 'all 1,000 events',
        timeoutMs: 20_000,
      });

      probe.expectInOrder(keys, perKey);
      expect(probe.maxActive).toBeGreaterThan(1);
      expect(probe.maxActive).toBeLessThanOrEqual(concurrency);
    });

    it('runs one handler at a time with the default concurrency', async () => {
      const bus = await openBus();
      const keys = keyNames(5);
      const probe = new OrderProbe();
      await subscribe<{ seq: number }>(bus, 'serial.topic', (e) => probe.track(e, () => sleep(1)), {
        group: 'workers',
      });
      await publishSpread(bus, 'serial.topic', keys, 6);
      await waitFor(() => probe.count === 30, { what: 'all events' });
      probe.expectInOrder(keys, 6);
      expect(probe.maxActive).toBe(1);
    });

    it('splits a group’s events between its subscribers, each event to one of them, in key order', async () => {
      const bus = await openBus();
      const keys = keyNames(20);
      const perKey = 10;
      const probe = new OrderProbe();
      const byA: string[] = [];
      const byB: string[] = [];
      const handlerFor =
        (into: string[]): BusHandler<{ seq: number }> =>
        (e) =>
          probe.track(e, async () => {
            into.push(e.id);
            await sleep(1);
          });
      await subscribe(bus, 'split.topic', handlerFor(byA), { group: 'workers', concurrency: 4 });
      await subscribe(bus, 'split.topic', handlerFor(byB), { group: 'workers', concurrency: 4 });

      const events = await publishSpread(bus, 'split.topic', keys, perKey);
      await waitFor(() => byA.length + byB.length >= events.length, { what: 'all events' });

      expect(byA.length + byB.length).toBe(events.length);
      expect(new Set([...byA, ...byB])).toEqual(new Set(events.map((e) => e.id)));
      expect(byA.length, 'events handled by the first subscriber').toBeGreaterThan(0);
      expect(byB.length, 'events handled by the second subscriber').toBeGreaterThan(0);
      probe.expectInOrder(keys, perKey);
    });

    it('gives every event to each of two different groups', async () => {
      const bus = await openBus();
      const audit: string[] = [];
      const workers: string[] = [];
      await subscribe(
        bus,
        'fanout.topic',
        record(audit, (e) => e.id),
        { group: 'audit' },
      );
      await subscribe(
        bus,
        'fanout.topic',
        record(workers, (e) => e.id),
        {
          group: 'workers',
          concurrency: 4,
        },
      );

      const events = await publishSpread(bus, 'fanout.topic', keyNames(5), 10);
      const ids = events.map((e) => e.id).sort();
      await waitFor(() => audit.length >= ids.length && workers.length >= ids.length, {
        what: 'both groups',
      });
      expect([...audit].sort()).toEqual(ids);
      expect([...workers].sort()).toEqual(ids);
    });

    it('stop() waits for running handlers, and a stopped subscriber gets nothing more', async () => {
      const bus = await openBus();
      let release = (): void => undefined;
      const gate = new Promise<void>((resolve) => (release = resolve));
      let started = 0;
      let finished = 0;
      const first = await subscribe<{ n: number }>(
        bus,
        'stop.topic',
        async () => {
          started++;
          await gate;
          finished++;
        },
        { group: 'workers' },
      );
      await bus.publish('stop.topic', 'k', { n: 0 });
      await waitFor(() => started === 1, { what: 'the handler to start' });

      let stopped = false;
      const stopping = first.stop().then(() => {
        stopped = true;
      });
      // Asserting that something does not happen needs a window of time; keep it short.
      await sleep(30);
      expect(stopped, 'stop() resolved while a handler was still running').toBe(false);
      release();
      await stopping;
      expect(finished).toBe(1);

      // The group's next subscriber gets what follows, and the event finished during stop() stays acknowledged.
      const later: number[] = [];
      await subscribe<{ n: number }>(
        bus,
        'stop.topic',
        record(later, (e) => e.data.n),
        {
          group: 'workers',
        },
      );
      for (let n = 1; n <= 5; n++) await bus.publish('stop.topic', 'k', { n });
      await waitFor(() => later.length >= 5, { what: 'the next subscriber' });
      expect(later).toEqual([1, 2, 3, 4, 5]);
      expect(started).toBe(1);
    });

    it('keeps a group’s events while it has no running subscriber', async () => {
      const bus = await openBus();
      const first: number[] = [];
      const sub = await subscribe<{ n: number }>(
        bus,
        'gap.topic',
        record(first, (e) => e.data.n),
        {
          group: 'workers',
        },
      );
      await bus.publish('gap.topic', 'k', { n: 1 });
      await waitFor(() => first.length === 1, { what: 'the first event' });
      await sub.stop();

      for (let n = 2; n <= 4; n++) await bus.publish('gap.topic', 'k', { n });
      const second: number[] = [];
      await subscribe<{ n: number }>(
        bus,
        'gap.topic',
        record(second, (e) => e.data.n),
        {
          group: 'workers',
        },
      );
      await waitFor(() => second.length >= 3, { what: 'the events published in between' });
      expect(second).toEqual([2, 3, 4]);
      expect(first).toEqual([1]);
    });

    it.skipIf(!capabilities.durable)(
      'delivers events published before a subscriber starts, across a reopen of the bus (durable adapters)',
      async () => {
        const first = await openBus();
        const seen: number[] = [];
        const sub = await subscribe<{ n: number }>(
          first,
          'durable.topic',
          record(seen, (e) => e.data.n),
          {
            group: 'workers',
          },
        );
        await first.publish('durable.topic', 'k', { n: 1 });
        await waitFor(() => seen.length === 1, { what: 'the first event' });
        await sub.stop();
        await first.close();

        // Another "process" publishes while no subscriber of the group runs anywhere.
        const publisher = await openBus();
        for (let n = 2; n <= 4; n++) await publisher.publish('durable.topic', 'k', { n });
        await publisher.close();

        const restarted = await openBus();
        const resumed: number[] = [];
        await subscribe<{ n: number }>(
          restarted,
          'durable.topic',
          record(resumed, (e) => e.data.n),
          {
            group: 'workers',
          },
        );
        // A group that never subscribed before also finds what is stored.
        const newcomer: number[] = [];
        await subscribe<{ n: number }>(
          restarted,
          'durable.topic',
          record(newcomer, (e) => e.data.n),
          {
            group: 'reporting',
          },
        );
        await waitFor(() => resumed.length >= 3 && newcomer.length >= 4, { what: 'stored events' });
        expect(resumed).toEqual([2, 3, 4]);
        expect(newcomer).toEqual([1, 2, 3, 4]);
      },
    );

    it('rejects topics that could not be subject tokens, and data that is not JSON', async () => {
      const bus = await openBus();
      const noop = (): Promise<void> => Promise.resolve();
      await expect(bus.publish('message.*', 'k', {})).rejects.toThrow(/topic/);
      await expect(bus.publish('message..stored', 'k', {})).rejects.toThrow(/topic/);
      await expect(bus.subscribe('a b', noop, { group: 'g' })).rejects.toThrow(/topic/);
      await expect(bus.publish('message.stored', 'k', { n: 1n })).rejects.toThrow();
    });

    it('ping resolves while open and rejects after close; publish and subscribe reject too', async () => {
      const bus = await openBus();
      await expect(bus.ping()).resolves.toBeUndefined();
      await bus.close();
      await expect(bus.ping()).rejects.toThrow();
      await expect(bus.publish('closed.topic', 'k', {})).rejects.toThrow();
      await expect(bus.subscribe('closed.topic', () => Promise.resolve(), { group: 'g' })).rejects.toThrow();
      await expect(bus.close()).resolves.toBeUndefined();
    });
  });
}
