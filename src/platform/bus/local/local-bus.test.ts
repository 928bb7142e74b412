// Runs the EventBus contract against the in-process bus, plus what is particular to it.
import { describe, expect, it } from 'vitest';
import { describeEventBus, record, waitFor } from '../event-bus.contract.ts';
import type { BusEvent } from '../event-bus.ts';
import { createLocalBus } from './local-bus.ts';

describeEventBus('local', () => Promise.resolve(createLocalBus()), { durable: false });

describe('local bus', () => {
  it('never runs a handler inside publish()', async () => {
    const bus = createLocalBus();
    let handled = 0;
    await bus.subscribe('t', () => Promise.resolve(void handled++), { group: 'g' });
    const publishing = bus.publish('t', 'k', {});
    expect(handled).toBe(0);
    await publishing;
    await waitFor(() => handled === 1);
    await bus.close();
  });

  it('drops events of a topic no group has subscribed to, and keeps nothing across buses', async () => {
    const first = createLocalBus();
    await first.publish('t', 'k', { n: 1 });
    const seen: number[] = [];
    await first.subscribe<{ n: number }>(
      't',
      record(seen, (e) => e.data.n),
      { group: 'g' },
    );
    await first.publish('t', 'k', { n: 2 });
    await waitFor(() => seen.length === 1);
    expect(seen).toEqual([2]);
    await first.close();

    const second = createLocalBus();
    const again: number[] = [];
    await second.subscribe<{ n: number }>(
      't',
      record(again, (e) => e.data.n),
      { group: 'g' },
    );
    await second.publish('t', 'k', { n: 3 });
    await waitFor(() => again.length === 1);
    expect(again).toEqual([3]);
    await second.close();
  });

  it('gives each group its own JSON copy of the data', async () => {
    const bus = createLocalBus();
    const seen: Array<{ list: number[]; at: unknown }> = [];
    const mutate = (e: BusEvent<{ list: number[]; at: unknown }>): Promise<void> => {
      e.data.list.push(99);
      seen.push(e.data);
      return Promise.resolve();
    };
    await bus.subscribe('t', mutate, { group: 'a' });
    await bus.subscribe('t', mutate, { group: 'b' });
    const data = { list: [1], at: new Date('2026-01-01T00:00:00Z') };
    await bus.publish('t', 'k', data);
    await waitFor(() => seen.length === 2);
    expect(data.list).toEqual([1]);
    expect(seen).toEqual([
      { list: [1, 99], at: '2026-01-01T00:00:00.000Z' },
      { list: [1, 99], at: '2026-01-01T00:00:00.000Z' },
    ]);
    await bus.close();
  });

  it('rejects subscribe options no adapter can honour', async () => {
    const bus = createLocalBus();
    const noop = (): Promise<void> => Promise.resolve();
    await expect(bus.subscribe('t', noop, { group: '' })).rejects.toThrow(/group/);
    await expect(bus.subscribe('t', noop, { group: 'g', concurrency: 0 })).rejects.toThrow(/concurrency/);
    await expect(bus.subscribe('t', noop, { group: 'g', retryDelayMs: -1 })).rejects.toThrow(/retryDelayMs/);
    await bus.close();
  });

  it('close() waits for running handlers and drops retries that were scheduled', async () => {
    const bus = createLocalBus();
    let attempts = 0;
    let release = (): void => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    await bus.subscribe(
      't',
      async (e) => {
        attempts++;
        if (e.key === 'fails') throw new Error('planned failure');
        await gate;
      },
      { group: 'g', concurrency: 2, retryDelayMs: 10 },
    );
    await bus.publish('t', 'fails', {});
    await bus.publish('t', 'blocks', {});
    await waitFor(() => attempts >= 2);
    let closed = false;
    const closing = bus.close().then(() => (closed = true));
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(closed).toBe(false);
    const attemptsAtClose = attempts;
    release();
    await closing;
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(attempts).toBe(attemptsAtClose);
  });
});
