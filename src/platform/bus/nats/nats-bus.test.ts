// Runs the EventBus contract against NATS JetStream, plus multi-process, crash and stream-layout tests.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AckPolicy, jetstream, jetstreamManager, StorageType } from '@nats-io/jetstream';
import type { ConsumerInfo } from '@nats-io/jetstream';
import type { BusHandler } from '../event-bus.ts';
import {
  describeEventBus,
  OrderProbe,
  publishSpread,
  record,
  sleep,
  waitFor,
} from '../event-bus.contract.ts';
import { openNatsBus } from './nats-bus.ts';
import type { NatsBus, NatsBusOptions } from './nats-bus.ts';
import { partitionOf } from './partition.ts';
import { deleteTestStream, natsAvailable, testNamespace, testNatsUrl } from './test-nats.ts';

const available = await natsAvailable();
const skipReason = available ? undefined : `NATS not reachable at ${testNatsUrl()}`;

let namespace = testNamespace();
if (available) {
  beforeEach(() => {
    namespace = testNamespace();
  });
  afterEach(async () => {
    await deleteTestStream(namespace.stream);
  });
}

// FNV-1a of "", "a" and "patient-1" (0x811c9dc5, 0xe40c292c, …) modulo 16.
const PINNED_PARTITIONS = [5, 12, 8];

function options(extra: Partial<NatsBusOptions> = {}): NatsBusOptions {
  return { servers: testNatsUrl(), ...namespace, ...extra };
}

describeEventBus('nats', () => openNatsBus(options()), {
  durable: true,
  ...(skipReason === undefined ? {} : { skipReason }),
});

describe('partitionOf', () => {
  it('maps a key to the same partition every time and spreads keys over all partitions', () => {
    expect(partitionOf('MRN-1^^^HOSP', 16)).toBe(partitionOf('MRN-1^^^HOSP', 16));
    // Pinned values: changing the hash would reorder keys of events already in a stream.
    expect([partitionOf('', 16), partitionOf('a', 16), partitionOf('patient-1', 16)]).toEqual(
      PINNED_PARTITIONS,
    );
    const counts = new Array<number>(16).fill(0);
    for (let i = 0; i < 1_600; i++) counts[partitionOf(`patient-${i}`, 16)]!++;
    expect(Math.min(...counts)).toBeGreaterThan(50);
  });
});

describe.skipIf(!available)(`nats bus${skipReason === undefined ? '' : ` (skipped: ${skipReason})`}`, () => {
  const buses: NatsBus[] = [];
  const cleanups: Array<() => void> = [];
  async function openBus(extra: Partial<NatsBusOptions> = {}): Promise<NatsBus> {
    const bus = await openNatsBus(options(extra));
    buses.push(bus);
    return bus;
  }
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0)) cleanup();
    await Promise.allSettled(buses.splice(0).map((b) => b.close()));
  });

  it('creates a file-backed stream and, per partition, a durable consumer with one event in flight', async () => {
    const bus = await openBus({ partitions: 4, ackWaitMs: 5_000 });
    await bus.subscribe('message.stored', () => Promise.resolve(), { group: 'workers' });
    const jsm = await jetstreamManager(bus.connection);
    const stream = await jsm.streams.info(namespace.stream);
    expect(stream.config.storage).toBe(StorageType.File);
    expect(stream.config.subjects).toEqual([`${namespace.subjectPrefix}.>`]);
    const consumers: ConsumerInfo[] = [];
    for await (const c of jsm.consumers.list(namespace.stream)) consumers.push(c);
    expect(consumers.map((c) => c.config.filter_subject).sort()).toEqual(
      [0, 1, 2, 3].map((p) => `${namespace.subjectPrefix}.message.stored.${p}`),
    );
    for (const c of consumers) {
      expect(c.config).toMatchObject({
        ack_policy: AckPolicy.Explicit,
        max_ack_pending: 1,
        ack_wait: 5_000_000_000,
      });
      expect(c.config.durable_name).toBeDefined();
    }
    const event = await bus.publish('message.stored', 'patient-7', { messageId: 'm-7' });
    const stored = await jsm.streams.getMessage(namespace.stream, {
      last_by_subj: `${namespace.subjectPrefix}.message.stored.${partitionOf('patient-7', 4)}`,
    });
    expect(stored?.header.get('Nats-Msg-Id')).toBe(event.id);
    expect(stored?.json()).toEqual(event);
  });

  it('refuses to open a stream created with another number of partitions', async () => {
    await openBus({ partitions: 8 });
    await expect(openNatsBus(options({ partitions: 16 }))).rejects.toThrow(/8 partitions, not 16/);
  });

  it('shares a group’s work between two connections and keeps per-key order across them', async () => {
    const first = await openBus();
    const second = await openBus();
    const keys = Array.from({ length: 20 }, (_, i) => `patient-${i}`);
    const perKey = 25;
    const probe = new OrderProbe();
    const byFirst: string[] = [];
    const bySecond: string[] = [];
    const handlerFor =
      (into: string[]): BusHandler<{ seq: number }> =>
      (e) =>
        probe.track(e, async () => {
          into.push(e.id);
          await sleep(1);
        });
    await first.subscribe('order.topic', handlerFor(byFirst), { group: 'workers', concurrency: 4 });
    await second.subscribe('order.topic', handlerFor(bySecond), { group: 'workers', concurrency: 4 });

    const events = await publishSpread(first, 'order.topic', keys, perKey);
    await waitFor(() => probe.count >= events.length, { what: 'all events', timeoutMs: 20_000 });

    expect(byFirst.length + bySecond.length).toBe(events.length);
    expect(byFirst.length).toBeGreaterThan(0);
    expect(bySecond.length).toBeGreaterThan(0);
    probe.expectInOrder(keys, perKey);
  });

  it('redelivers to another connection the event of a connection that died mid-handler', async () => {
    const ackWaitMs = 500;
    const doomed = await openBus({ ackWaitMs });
    let release = (): void => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    cleanups.push(() => release());
    const startedOnDoomed: string[] = [];
    await doomed.subscribe(
      'crash.topic',
      async (e) => {
        startedOnDoomed.push(e.id);
        await gate;
      },
      { group: 'workers' },
    );
    const event = await doomed.publish('crash.topic', 'patient-1', { messageId: 'm-1' });
    await waitFor(() => startedOnDoomed.length === 1, { what: 'the first connection to take the event' });

    const survivor = await openBus({ ackWaitMs });
    const handled: string[] = [];
    await survivor.subscribe(
      'crash.topic',
      record(handled, (e) => e.id),
      { group: 'workers' },
    );
    const diedAt = Date.now();
    await doomed.connection.close();

    await waitFor(() => handled.length === 1, { what: 'the redelivery', timeoutMs: 10_000 });
    expect(handled).toEqual([event.id]);
    expect(Date.now() - diedAt).toBeGreaterThanOrEqual(ackWaitMs - 50);
  });

  it('keeps a slow handler’s event to itself by reporting progress past ack_wait', async () => {
    const ackWaitMs = 200;
    const first = await openBus({ ackWaitMs });
    const second = await openBus({ ackWaitMs });
    const handled: string[] = [];
    const slow: BusHandler = async (e) => {
      handled.push(e.id);
      await sleep(600);
    };
    await first.subscribe('slow.topic', slow, { group: 'workers' });
    await second.subscribe('slow.topic', slow, { group: 'workers' });
    const event = await first.publish('slow.topic', 'patient-1', {});
    const next = await first.publish('slow.topic', 'patient-1', {});
    await waitFor(() => handled.length >= 2, { what: 'both events', timeoutMs: 10_000 });
    expect(handled).toEqual([event.id, next.id]);
  });

  it('terminates an unreadable message instead of blocking its partition', async () => {
    const bus = await openBus({ partitions: 1 });
    const handled: string[] = [];
    await bus.subscribe(
      'mixed.topic',
      record(handled, (e) => e.id),
      { group: 'workers' },
    );
    const js = jetstream(bus.connection);
    await js.publish(`${namespace.subjectPrefix}.mixed.topic.0`, 'not json');
    const event = await bus.publish('mixed.topic', 'patient-1', {});
    await waitFor(() => handled.length === 1, { what: 'the readable event' });
    expect(handled).toEqual([event.id]);
  });
});
