// The outbound sender against a real listener that is stopped and restarted mid-stream: nothing lost, order kept.
import { describe, expect, test } from 'vitest';
import { connectMllp } from './mllp-client.ts';
import type { MllpAck } from './mllp-sender.ts';
import { createMllpSender, readMsa } from './mllp-sender.ts';
import type { MllpServer } from './mllp-server.ts';
import { startMllpServer } from './mllp-server.ts';
import { MemoryMessageStore } from './testing/memory-message-store.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function adt(controlId: string): string {
  return [
    `MSH|^~\\&|RXBRIDGE|CORNERPHARM|EHR|GENHOSP|20260314101500||ADT^A08^ADT_A01|${controlId}|P|2.5.1`,
    `PID|1||MRN${controlId}^^^GENHOSP^MR||WHITFIELD^ELEANOR||19480312|F`,
  ].join('\r');
}

function listen(store: MemoryMessageStore, port: number, closeTimeoutMs = 30_000): Promise<MllpServer> {
  return startMllpServer({
    host: '127.0.0.1',
    port,
    channel: 'mllp:peer',
    store: store.asStore(),
    closeTimeoutMs,
  });
}

async function until(condition: () => boolean, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await sleep(5);
  }
}

/** Receiver-side view: distinct MSH-10 values in the order first stored. */
function distinctIds(store: MemoryMessageStore): string[] {
  return store.appended.map((m) => m.summary?.controlId ?? '');
}

describe('createMllpSender', () => {
  test('the peer stops gracefully and comes back: every message ACKed once, in order, none lost', async () => {
    const store = new MemoryMessageStore();
    let server = await listen(store, 0);
    const port = server.address().port;
    const sender = createMllpSender({ host: '127.0.0.1', port, timeoutMs: 2000, maxInFlight: 20 });
    const ids = Array.from({ length: 1500 }, (_, i) => `G${i}`);
    const acked: string[] = [];
    const sends = ids.map((id) =>
      sender.send(adt(id)).then((ack) => {
        acked.push(ack.controlId);
        return ack;
      }),
    );
    await until(() => acked.length >= 400);
    await server.close();
    const during = acked.length;
    await sleep(300);
    expect(acked.length).toBe(during);
    server = await listen(store, port);
    const acks = await Promise.all(sends);
    expect(acks.map((a) => a.controlId)).toEqual(ids);
    expect(acks.every((a) => a.code === 'AA')).toBe(true);
    expect(acked).toEqual(ids);
    expect(distinctIds(store)).toEqual(ids);
    expect(sender.reconnects()).toBeGreaterThanOrEqual(1);
    await sender.close();
    await server.close();
  });

  test('the peer drops connections with messages stored but not ACKed: they are resent, stored once, ACKed in order', async () => {
    const store = new MemoryMessageStore();
    let server = await listen(store, 0, 1);
    const port = server.address().port;
    const sender = createMllpSender({ host: '127.0.0.1', port, timeoutMs: 2000, maxInFlight: 50 });
    const ids = Array.from({ length: 2000 }, (_, i) => `K${i}`);
    const results: MllpAck[] = [];
    const sends = ids.map((id) => sender.send(adt(id)).then((a) => results.push(a)));
    for (const at of [300, 900, 1500]) {
      await until(() => results.length >= at);
      // Appends in flight are held: committed after the connection is gone, so their ACKs are lost.
      store.hold = true;
      await until(() => store.held.length > 0);
      await server.close();
      store.hold = false;
      store.releaseAll();
      await sleep(50);
      server = await listen(store, port, 1);
    }
    await Promise.all(sends);
    expect(results.map((a) => a.controlId)).toEqual(ids);
    expect(results.every((a) => a.code === 'AA')).toBe(true);
    expect(distinctIds(store)).toEqual(ids);
    // The lost ACKs made the sender resend: the receiver saw duplicates and acknowledged them again.
    expect(store.duplicates.length).toBeGreaterThan(0);
    expect(results.some((a) => a.attempts > 1)).toBe(true);
    await sender.close();
    await server.close();
  });

  test('an ACK that never comes: the sender reconnects and resends after the timeout instead of giving up', async () => {
    const store = new MemoryMessageStore();
    store.hold = true;
    const server = await listen(store, 0, 1);
    const sender = createMllpSender({
      host: '127.0.0.1',
      port: server.address().port,
      timeoutMs: 150,
      maxInFlight: 5,
    });
    const sent = ['S1', 'S2', 'S3'].map((id) => sender.send(adt(id)));
    await until(() => store.held.length >= 6);
    store.hold = false;
    store.releaseAll();
    const acks = await Promise.all(sent);
    expect(acks.map((a) => [a.code, a.controlId])).toEqual([
      ['AA', 'S1'],
      ['AA', 'S2'],
      ['AA', 'S3'],
    ]);
    expect(distinctIds(store)).toEqual(['S1', 'S2', 'S3']);
    await sender.close();
    await server.close();
  });

  test('nothing listening yet: sends wait and go out once the peer starts; close() rejects what is left', async () => {
    const store = new MemoryMessageStore();
    const probe = await listen(store, 0);
    const port = probe.address().port;
    await probe.close();
    const sender = createMllpSender({ host: '127.0.0.1', port, timeoutMs: 1000, maxInFlight: 1 });
    const first = sender.send(adt('L1'));
    await sleep(250);
    const server = await listen(store, port);
    expect(readMsa((await first).text)).toEqual({ code: 'AA', controlId: 'L1' });
    await server.close();
    const orphan = sender.send(adt('L2'));
    // Attach the expectation before close() rejects it, so the rejection is never unhandled.
    const orphanRejected = expect(orphan).rejects.toThrow(/closed before the ACK/);
    await sleep(100);
    await sender.close();
    await orphanRejected;
    await expect(sender.send(adt('L3'))).rejects.toThrow(/closed/);
  });
});

describe('connectMllp reconnects', () => {
  test('a connection lost mid-stream is re-opened and the unACKed messages resent in order', async () => {
    const store = new MemoryMessageStore();
    let server = await listen(store, 0, 1);
    const port = server.address().port;
    const client = await connectMllp({ host: '127.0.0.1', port, timeoutMs: 2000, maxInFlight: 10 });
    const ids = Array.from({ length: 300 }, (_, i) => `C${i}`);
    const acks: string[] = [];
    const sends = ids.map((id) => client.send(adt(id)).then((a) => acks.push(readMsa(a).controlId)));
    await until(() => acks.length >= 100);
    store.hold = true;
    await until(() => store.held.length > 0);
    await server.close();
    store.hold = false;
    store.releaseAll();
    server = await listen(store, port, 1);
    await Promise.all(sends);
    expect(acks).toEqual(ids);
    expect(distinctIds(store)).toEqual(ids);
    expect(client.reconnects()).toBeGreaterThanOrEqual(1);
    await client.close();
    await server.close();
  });
});

describe('what the sender refuses or gives up', () => {
  test('a message that lets the receiver answer nothing on success is refused before it is written', async () => {
    const store = new MemoryMessageStore();
    const server = await listen(store, 0);
    const client = await connectMllp({ host: '127.0.0.1', port: server.address().port, maxInFlight: 10 });
    try {
      const withModes = (id: string, modes: string) => adt(id).replace('|P|2.5.1', `|P|2.5.1|||${modes}`);
      for (const modes of ['NE|NE', 'ER|NE', 'NE|ER', 'ER|ER']) {
        const [accept, application] = modes.split('|');
        await expect(client.send(withModes(`S${accept}${application}`, modes))).rejects.toThrow(
          `MSH-15 '${accept}' and MSH-16 '${application}' let the receiver send no ACK`,
        );
      }
      // The next message is answered by its own ACK, and nothing refused reached the receiver.
      const ack = await client.send(withModes('AL1', 'AL|AL'));
      expect(readMsa(ack)).toEqual({ code: 'CA', controlId: 'AL1' });
      expect(store.appended.map((m) => m.summary?.controlId)).toEqual(['AL1']);
    } finally {
      await client.close();
      await server.close();
    }
  });

  test('close() while connecting settles connect()', async () => {
    const store = new MemoryMessageStore();
    const server = await listen(store, 0);
    const sender = createMllpSender({
      host: '127.0.0.1',
      port: server.address().port,
      timeoutMs: 1_000,
      maxInFlight: 1,
    });
    const connecting = sender.connect().then(
      () => 'connected',
      (error: Error) => error.message,
    );
    await sender.close();
    expect(await connecting).toBe('MLLP sender closed while connecting');
    await server.close();
  });
});
