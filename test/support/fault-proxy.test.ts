// The fault proxy against a real echo server over real sockets: each fault does what it says, and heals.
import { connect, createServer, type Server, type Socket } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startFaultProxy, type FaultProxy } from './fault-proxy.ts';

let echo: Server;
let echoPort: number;
let serverSockets: Socket[] = [];
let proxy: FaultProxy;

beforeAll(async () => {
  echo = createServer((socket) => {
    serverSockets.push(socket);
    socket.on('error', () => undefined);
    socket.pipe(socket);
  });
  await new Promise<void>((resolve) => echo.listen(0, '127.0.0.1', resolve));
  const address = echo.address();
  echoPort = typeof address === 'object' && address !== null ? address.port : 0;
});

afterAll(async () => {
  await new Promise<void>((resolve) => echo.close(() => resolve()));
});

afterEach(async () => {
  await proxy.close();
  for (const s of serverSockets) s.destroy();
  serverSockets = [];
});

async function open(): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port: proxy.port }, () => resolve(socket));
    socket.once('error', reject);
  });
}

/** Connects and reports how the connection ended (or 'timeout' if it stayed open with no data). */
async function attempt(): Promise<string> {
  const socket = connect({ host: '127.0.0.1', port: proxy.port });
  return (await receive(socket, 1, 2_000)).event;
}

async function fresh(): Promise<void> {
  proxy = await startFaultProxy({ target: { host: '127.0.0.1', port: echoPort } });
}

/** Collects what the socket receives until `bytes` arrived (resolves with the time taken) or it closes. */
function receive(
  socket: Socket,
  bytes: number,
  timeoutMs = 5_000,
): Promise<{ data: Buffer; ms: number; event: string }> {
  const started = Date.now();
  const parts: Buffer[] = [];
  let total = 0;
  return new Promise((resolve) => {
    const done = (event: string): void => {
      clearTimeout(timer);
      socket.removeAllListeners('data');
      resolve({ data: Buffer.concat(parts), ms: Date.now() - started, event });
    };
    const timer = setTimeout(() => done('timeout'), timeoutMs);
    socket.on('data', (d: Buffer) => {
      parts.push(d);
      total += d.length;
      if (total >= bytes) done('data');
    });
    socket.once('error', (e: NodeJS.ErrnoException) => done(e.code ?? 'error'));
    socket.once('close', () => done('close'));
  });
}

describe('fault proxy', () => {
  it('forwards bytes both ways unchanged when no fault is set', async () => {
    await fresh();
    const socket = await open();
    const payload = Buffer.from(Array.from({ length: 200_000 }, (_, i) => i % 251));
    const got = receive(socket, payload.length);
    socket.write(payload);
    const r = await got;
    expect(r.data.equals(payload)).toBe(true);
    expect(proxy.stats()).toMatchObject({ accepted: 1, open: 1, bytesUp: 200_000, bytesDown: 200_000 });
    socket.destroy();
  });

  it('adds latency per direction (round trip ≥ both delays)', async () => {
    await fresh();
    proxy.setLatency(120, 0, 'up');
    proxy.setLatency(80, 0, 'down');
    const socket = await open();
    const got = receive(socket, 5);
    socket.write('hello');
    const r = await got;
    expect(r.data.toString()).toBe('hello');
    expect(r.ms).toBeGreaterThanOrEqual(195);
    socket.destroy();
  });

  it('caps bandwidth', async () => {
    await fresh();
    proxy.setBandwidth(100_000, 'down');
    const socket = await open();
    const got = receive(socket, 50_000);
    socket.write(Buffer.alloc(50_000, 7));
    const r = await got;
    expect(r.data.length).toBe(50_000);
    // 50 kB at 100 kB/s: about half a second (the first slice leaves at once).
    expect(r.ms).toBeGreaterThanOrEqual(380);
    expect(r.ms).toBeLessThan(2_000);
    socket.destroy();
  });

  it('refuses and drops new connections, then heals', async () => {
    await fresh();
    proxy.setRefuse(true);
    expect(await attempt()).toMatch(/ECONNRESET|close/);
    proxy.setRefuse(false);
    proxy.setDropRate(1);
    expect(await attempt()).toMatch(/close|ECONNRESET/);
    expect(proxy.stats().dropped).toBe(2);
    proxy.heal();
    const ok = await open();
    const got = receive(ok, 2);
    ok.write('ok');
    expect((await got).data.toString()).toBe('ok');
    ok.destroy();
  });

  it('resets open connections with a TCP RST', async () => {
    await fresh();
    const socket = await open();
    const got = receive(socket, 1, 2_000);
    await new Promise((r) => setTimeout(r, 20));
    proxy.resetAll();
    expect((await got).event).toBe('ECONNRESET');
    expect(proxy.stats().resets).toBe(1);
  });

  it('resets a connection after a byte budget, passing exactly that many bytes', async () => {
    await fresh();
    proxy.resetAfterBytes(1000, 'down');
    const socket = await open();
    const got = receive(socket, 5000, 2_000);
    socket.write(Buffer.alloc(5000, 1));
    const r = await got;
    expect(r.event).toBe('ECONNRESET');
    expect(r.data.length).toBeLessThanOrEqual(1000);
  });

  it('half-open: the client hears nothing, not even a close, while the target side is gone', async () => {
    await fresh();
    const socket = await open();
    await new Promise((r) => setTimeout(r, 20));
    expect(serverSockets).toHaveLength(1);
    const serverClosed = new Promise<void>((resolve) => serverSockets[0]?.once('close', () => resolve()));
    proxy.setHalfOpen(true);
    await serverClosed;
    const got = receive(socket, 1, 400);
    socket.write('anyone there?');
    const r = await got;
    expect(r.event).toBe('timeout');
    expect(r.data.length).toBe(0);
    expect(socket.destroyed).toBe(false);
    socket.destroy();
  });

  it('blackholes one direction: requests arrive, answers vanish', async () => {
    await fresh();
    proxy.setBlackhole(true, 'down');
    const socket = await open();
    const got = receive(socket, 1, 300);
    socket.write('ping');
    expect((await got).event).toBe('timeout');
    expect(proxy.stats().bytesUp).toBe(4);
    socket.destroy();
  });

  it('pauses and resumes without losing or reordering bytes', async () => {
    await fresh();
    const socket = await open();
    proxy.pause();
    const held = receive(socket, 1, 300);
    socket.write('first,');
    socket.write('second');
    expect((await held).event).toBe('timeout');
    const got = receive(socket, 12);
    proxy.resume();
    expect((await got).data.toString()).toBe('first,second');
    socket.destroy();
  });

  it('passes an orderly close through after the data', async () => {
    await fresh();
    const socket = await open();
    proxy.setLatency(50);
    const got = receive(socket, 1_000_000, 3_000);
    socket.end('bye');
    const r = await got;
    expect(r.data.toString()).toBe('bye');
    expect(r.event).toBe('close');
  });
});
