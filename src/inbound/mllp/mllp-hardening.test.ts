// Listener hardening (QUALITY R7): size limit with a clear NAK, idle timeout, connection limit, a peer that never
// reads its ACKs, two listeners at once, and 10k connections opened and dropped without leaking sockets.
import net from 'node:net';
import tls from 'node:tls';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { connectMllp } from './mllp-client.ts';
import { MllpDeframer, framesOf, frameMllp } from './mllp-framer.ts';
import type { MllpServer, MllpServerOptions } from './mllp-server.ts';
import { startMllpServer } from './mllp-server.ts';
import { MemoryMessageStore } from './testing/memory-message-store.ts';
import type { TestCertificates } from './testing/test-certificates.ts';
import { makeTestCertificates } from './testing/test-certificates.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let certs: TestCertificates;
beforeAll(() => {
  certs = makeTestCertificates();
});
afterAll(() => certs?.remove());

function adt(controlId: string, modes = ''): string {
  return [
    `MSH|^~\\&|EPICADT|GENHOSP|RXBRIDGE|CORNERPHARM|20260314101500||ADT^A03^ADT_A03|${controlId}|P|2.5.1${modes}`,
    'PID|1||MRN10001^^^GENHOSP^MR||WHITFIELD^ELEANOR||19480312|F',
  ].join('\r');
}

async function start(extra: Partial<MllpServerOptions> = {}) {
  const store = new MemoryMessageStore();
  const server = await startMllpServer({
    host: '127.0.0.1',
    port: 0,
    channel: 'mllp:hardening',
    store: store.asStore(),
    ...extra,
  });
  return { store, server };
}

async function until(condition: () => boolean, ms = 10_000): Promise<boolean> {
  const end = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > end) return false;
    await sleep(5);
  }
  return true;
}

/** A raw connection collecting ACK frames; `closed()` tells whether the server hung up. */
async function raw(server: MllpServer) {
  const socket = net.connect({ host: '127.0.0.1', port: server.address().port });
  const deframer = new MllpDeframer();
  const acks: string[] = [];
  let closed = false;
  socket.on('data', (c: Buffer) => acks.push(...framesOf(deframer.feed(c)).map((f) => f.toString('latin1'))));
  socket.on('close', () => (closed = true));
  socket.on('error', () => undefined);
  await new Promise<void>((r, j) => {
    socket.once('connect', r);
    socket.once('close', () => j(new Error('closed before connect')));
  });
  return { socket, acks, closed: () => closed };
}

function tcpSockets(): number {
  return process.getActiveResourcesInfo().filter((r) => r === 'TCPSocketWrap' || r === 'TLSWrap').length;
}

describe('listener limits', () => {
  test('an over-size block gets AR naming the limit (CR when the sender asked for enhanced mode); nothing stored', async () => {
    const { store, server } = await start({ maxFrameBytes: 4096 });
    try {
      for (const [modes, code] of [
        ['', 'AR'],
        ['|||AL|NE', 'CR'],
      ] as const) {
        const conn = await raw(server);
        conn.socket.write(frameMllp(`${adt(`BIG${code}`, modes)}\rNTE|1||${'x'.repeat(10_000)}`));
        expect(await until(() => conn.acks.length === 1)).toBe(true);
        const ack = conn.acks[0] ?? '';
        expect(ack).toContain(`MSA|${code}|BIG${code}`);
        expect(ack).toMatch(
          /ERR\|.*MLLP block exceeds the maximum of 4096 bytes; the message was not stored/,
        );
        expect(await until(conn.closed)).toBe(true);
      }
      expect(store.appended).toEqual([]);
    } finally {
      await server.close();
    }
  });

  test('an idle connection is closed after idleTimeoutMs; a busy one is not', async () => {
    // A second of idle time against a message every 100 ms: wide margins, so a loaded machine's late timers
    // cannot make the busy connection look idle.
    const { server } = await start({ idleTimeoutMs: 1000 });
    try {
      const idle = await raw(server);
      const busy = await raw(server);
      const started = Date.now();
      for (let i = 0; i < 14; i++) {
        busy.socket.write(frameMllp(adt(`I${i}`)));
        await sleep(100);
      }
      expect(await until(idle.closed)).toBe(true);
      expect(busy.closed()).toBe(false);
      expect(await until(() => busy.acks.length === 14)).toBe(true);
      expect(Date.now() - started).toBeGreaterThanOrEqual(1300);
      busy.socket.destroy();
      expect(await until(() => server.connections() === 0)).toBe(true);
      // A peer that sends, never reads and never closes is cut off too (after the idle time and a grace period).
      const mute = net.connect({ host: '127.0.0.1', port: server.address().port });
      mute.on('error', () => undefined);
      await new Promise<void>((r) => mute.once('connect', r));
      mute.pause();
      mute.write(frameMllp(adt('MUTE')));
      expect(await until(() => server.connections() === 1)).toBe(true);
      expect(await until(() => server.connections() === 0, 5000)).toBe(true);
      mute.destroy();
    } finally {
      await server.close();
    }
  });

  test('a connection over maxConnections is closed at once without an answer; the others keep working', async () => {
    const { server } = await start({ maxConnections: 2 });
    try {
      const a = await raw(server);
      const b = await raw(server);
      expect(await until(() => server.connections() === 2)).toBe(true);
      const c = await raw(server).catch(() => undefined);
      if (c) {
        c.socket.write(frameMllp(adt('OVER')));
        expect(await until(c.closed)).toBe(true);
        expect(c.acks).toEqual([]);
      }
      a.socket.write(frameMllp(adt('A1')));
      b.socket.write(frameMllp(adt('B1')));
      expect(await until(() => a.acks.length === 1 && b.acks.length === 1)).toBe(true);
      a.socket.destroy();
      expect(await until(() => server.connections() === 1)).toBe(true);
      const d = await raw(server);
      d.socket.write(frameMllp(adt('D1')));
      expect(await until(() => d.acks.length === 1)).toBe(true);
      b.socket.destroy();
      d.socket.destroy();
    } finally {
      await server.close();
    }
  });

  test('a peer that never reads its ACKs: the listener stops reading instead of buffering ACKs without bound', async () => {
    const { store, server } = await start();
    try {
      // Long header fields make each ACK ~12 KB, so the kernel buffers fill after a few hundred ACKs.
      const wide = 'W'.repeat(4000);
      const message = (i: number): string =>
        `MSH|^~\\&|${wide}|${wide}|RX|PH|20260314101500||ADT^A08|${wide.slice(0, 3990)}${String(i).padStart(6, '0')}|P|2.5.1\rPID|1||M${i}`;
      const total = 4000;
      const socket = net.connect({ host: '127.0.0.1', port: server.address().port });
      await new Promise<void>((r) => socket.once('connect', r));
      socket.pause(); // never reads
      for (let i = 0; i < total; i++) socket.write(frameMllp(message(i)));
      // Wait until the listener stops taking messages.
      let last = -1;
      for (let i = 0; i < 100 && store.appended.length !== last; i++) {
        last = store.appended.length;
        await sleep(200);
      }
      const stalledAt = store.appended.length;
      expect(stalledAt).toBeLessThan(total);
      expect(server.bufferedAckBytes()).toBeLessThan(1024 * 1024);
      await sleep(300);
      expect(store.appended.length).toBe(stalledAt);
      // Once the peer reads again, everything is stored and acknowledged.
      const deframer = new MllpDeframer();
      let acks = 0;
      socket.on('data', (c: Buffer) => (acks += framesOf(deframer.feed(c)).length));
      socket.resume();
      expect(await until(() => acks === total, 20_000)).toBe(true);
      expect(store.appended.length).toBe(total);
      socket.destroy();
    } finally {
      await server.close();
    }
  });

  test('two listeners at once, one plain and one with mutual TLS, each storing under its own channel', async () => {
    const store = new MemoryMessageStore();
    const plain = await startMllpServer({
      host: '127.0.0.1',
      port: 0,
      channel: 'mllp:a',
      store: store.asStore(),
    });
    const secure = await startMllpServer({
      host: '127.0.0.1',
      port: 0,
      channel: 'mllp:b',
      store: store.asStore(),
      tls: { cert: certs.server.cert, key: certs.server.key, ca: certs.ca, requestClientCert: true },
    });
    try {
      const a = await connectMllp({ host: '127.0.0.1', port: plain.address().port });
      const b = await connectMllp({
        host: '127.0.0.1',
        port: secure.address().port,
        tls: { ca: certs.ca, cert: certs.client.cert, key: certs.client.key },
      });
      const acks = await Promise.all([a.send(adt('PA1')), b.send(adt('SB1')), a.send(adt('PA2'))]);
      expect(acks.map((x) => /MSA\|AA\|(\w+)/.exec(x)?.[1])).toEqual(['PA1', 'SB1', 'PA2']);
      expect(store.appended.map((m) => `${m.channel}:${m.summary?.controlId}`).sort()).toEqual([
        'mllp:a:PA1',
        'mllp:a:PA2',
        'mllp:b:SB1',
      ]);
      await a.close();
      await b.close();
    } finally {
      await plain.close();
      await secure.close();
    }
  });
});

describe('closing edges', () => {
  const msa = (ack: string) => /MSA\|([A-Z]{2})\|([^|\r]*)/.exec(ack)?.slice(1, 3).join(' ') ?? '(no MSA)';
  const oversize = (controlId: string, modes = '') =>
    `${adt(controlId, modes)}\rNTE|1||${'x'.repeat(10_000)}`;

  test('nothing after an oversize block in the same read is stored: it could not be ACKed', async () => {
    const { store, server } = await start({ maxFrameBytes: 2_000 });
    const c = await raw(server);
    c.socket.write(
      Buffer.concat([frameMllp(adt('OK1')), frameMllp(oversize('BIG')), frameMllp(adt('AFTER1'))]),
    );
    expect(await until(() => c.closed())).toBe(true);
    expect(c.acks.map(msa)).toEqual(['AA OK1', 'AR BIG']);
    expect(store.appended.map((m) => m.summary?.controlId)).toEqual(['OK1']);
    await server.close();
  });

  test('the oversize reject names the message and its mode when the header arrives split across reads', async () => {
    const { server } = await start({ maxFrameBytes: 4_096 });
    const c = await raw(server);
    const body = Buffer.from(oversize('BIGCR', '|||AL|NE'));
    c.socket.write(Buffer.concat([Buffer.from([0x0b]), body.subarray(0, 6)]));
    await sleep(50);
    c.socket.write(Buffer.concat([body.subarray(6), Buffer.from([0x1c, 0x0d])]));
    expect(await until(() => c.acks.length > 0)).toBe(true);
    expect(c.acks.map(msa)).toEqual(['CR BIGCR']);
    c.socket.destroy();
    await server.close();
  });

  test('after the idle close, a late message is neither stored nor half-answered', async () => {
    const warnings: string[] = [];
    const logger = {
      info: () => undefined,
      warn: (_o: unknown, m: string) => warnings.push(m),
      error: () => undefined,
    };
    const { store, server } = await start({ idleTimeoutMs: 300, logger });
    const socket = net.connect({ host: '127.0.0.1', port: server.address().port, allowHalfOpen: true });
    let ended = false;
    socket.on('end', () => (ended = true));
    socket.on('error', () => undefined);
    expect(await until(() => ended)).toBe(true);
    socket.write(frameMllp(adt('LATE1')));
    await sleep(300);
    socket.destroy();
    expect(await until(() => warnings.some((w) => w.includes('not stored; the sender must resend')))).toBe(
      true,
    );
    expect(store.appended).toEqual([]);
    expect(warnings.filter((w) => w === 'mllp socket error')).toEqual([]);
    await server.close();
  });

  test('an idle connection closes even when its last message (MSH-15 NE) was decided after the timeout', async () => {
    const { store, server } = await start({ idleTimeoutMs: 300 });
    store.hold = true;
    const c = await raw(server);
    c.socket.write(frameMllp(adt('SLOW', '|||NE|AL')));
    await sleep(500);
    store.releaseAll();
    expect(await until(() => c.closed(), 3_000)).toBe(true);
    expect(c.acks).toEqual([]);
    expect(store.appended.map((m) => m.summary?.controlId)).toEqual(['SLOW']);
    await server.close();
  });
});

describe('connection churn', () => {
  test(
    '10,000 connections opened and dropped (idle, mid-frame, after a message) leave no socket behind',
    { timeout: 120_000 },
    async () => {
      const { store, server } = await start();
      const before = tcpSockets();
      const port = server.address().port;
      const half = Buffer.from(frameMllp(adt('HALF')).subarray(0, 40));
      const one = (i: number): Promise<void> =>
        new Promise((resolve) => {
          const s = net.connect({ host: '127.0.0.1', port });
          s.on('error', () => resolve());
          s.on('close', () => resolve());
          s.once('connect', () => {
            switch (i % 4) {
              case 0:
                s.destroy();
                break;
              case 1:
                s.end(half);
                break;
              case 2:
                s.write(frameMllp(adt(`CH${i}`)), () => s.destroy());
                break;
              default:
                s.resetAndDestroy();
            }
          });
        });
      let next = 0;
      const total = 10_000;
      await Promise.all(
        Array.from({ length: 64 }, async () => {
          while (next < total) await one(next++);
        }),
      );
      expect(await until(() => server.connections() === 0, 20_000)).toBe(true);
      expect(await until(() => tcpSockets() <= before, 20_000)).toBe(true);
      // The listener still serves.
      const client = await connectMllp({ host: '127.0.0.1', port });
      expect(await client.send(adt('AFTER'))).toContain('MSA|AA|AFTER');
      await client.close();
      expect(store.appended.length).toBeGreaterThan(0);
      await server.close();
    },
  );

  test(
    '300 TLS connections dropped before, during and after the handshake leave no socket behind',
    { timeout: 120_000 },
    async () => {
      const { server } = await start({
        tls: { cert: certs.server.cert, key: certs.server.key, handshakeTimeoutMs: 500 },
      });
      const port = server.address().port;
      const one = (i: number): Promise<void> =>
        new Promise((resolve) => {
          if (i % 3 === 0) {
            const s = net.connect({ host: '127.0.0.1', port });
            s.on('error', () => resolve());
            s.on('close', () => resolve());
            s.once('connect', () => (i % 2 === 0 ? s.destroy() : s.end(Buffer.from([0x16, 0x03, 0x01]))));
            return;
          }
          const s = tls.connect({ host: '127.0.0.1', port, ca: certs.ca });
          s.on('error', () => resolve());
          s.on('close', () => resolve());
          // The last kind half-closes after its message and reads the ACK until the listener closes.
          s.once('secureConnect', () =>
            i % 3 === 1 ? s.destroy() : s.end(frameMllp(adt(`T${i}`))).resume(),
          );
        });
      let next = 0;
      await Promise.all(
        Array.from({ length: 16 }, async () => {
          while (next < 300) await one(next++);
        }),
      );
      expect(await until(() => server.connections() === 0, 20_000)).toBe(true);
      await server.close();
    },
  );
});
