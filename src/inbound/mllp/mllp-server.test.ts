// MLLP listener and client over real TCP sockets on 127.0.0.1: store-before-ACK, ACK order, pipelining, rejects.
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import type { AppendResult, IncomingMessage, MessageStore } from '../../platform/store/message-store.ts';
import { connectMllp } from './mllp-client.ts';
import { MllpDeframer, framesOf, frameMllp } from './mllp-framer.ts';
import type { MllpServer } from './mllp-server.ts';
import { startMllpServer } from './mllp-server.ts';
import { MemoryMessageStore } from './testing/memory-message-store.ts';

const servers: MllpServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function start(
  store: MessageStore,
  extra: { maxFrameBytes?: number; onStored?: (r: AppendResult, i: IncomingMessage) => void } = {},
): Promise<MllpServer> {
  const server = await startMllpServer({ host: '127.0.0.1', port: 0, channel: 'mllp:test', store, ...extra });
  servers.push(server);
  return server;
}

function adt(controlId: string, options: { mrn?: string; modes?: string } = {}): string {
  return [
    `MSH|^~\\&|EPICADT|GENHOSP|RXBRIDGE|CORNERPHARM|20260314101500||ADT^A03^ADT_A03|${controlId}|P|2.5.1${options.modes ?? ''}`,
    `PID|1||${options.mrn ?? 'MRN10001'}^^^GENHOSP^MR||WHITFIELD^ELEANOR||19480312|F`,
    'OBX|1|TX|10183-2^Discharge medications^LN||METFORMIN 500MG BID, LISINOPRIL 10MG DAILY||||||F',
  ].join('\r');
}

const msa = (ack: string): { code: string; controlId: string } => {
  const m = /(?:^|\r)MSA\|([A-Z]{2})\|([^|\r]*)/.exec(ack);
  return { code: m?.[1] ?? '', controlId: m?.[2] ?? '' };
};

/** A raw socket that records every ACK frame it receives. */
async function rawConnection(server: MllpServer) {
  const { port } = server.address();
  const socket = net.connect({ host: '127.0.0.1', port });
  await new Promise<void>((resolve) => socket.once('connect', resolve));
  const deframer = new MllpDeframer();
  const acks: string[] = [];
  let bytes = 0;
  let closed = false;
  socket.on('data', (chunk: Buffer) => {
    bytes += chunk.length;
    acks.push(...framesOf(deframer.feed(chunk)).map((f) => f.toString('latin1')));
  });
  socket.on('close', () => (closed = true));
  socket.on('error', () => undefined);
  return {
    socket,
    acks,
    bytes: () => bytes,
    closed: () => closed,
    waitFor: async (n: number, ms = 5000) => {
      const until = Date.now() + ms;
      while (acks.length < n && Date.now() < until) await new Promise((r) => setTimeout(r, 5));
      return acks;
    },
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('startMllpServer', () => {
  test('stores the exact frame bytes with keys and summary, then ACKs AA', async () => {
    const store = new MemoryMessageStore();
    const stored: AppendResult[] = [];
    const server = await start(store.asStore(), { onStored: (r) => stored.push(r) });
    const client = await connectMllp({ host: '127.0.0.1', port: server.address().port });
    const text = adt('C1').replace('ELEANOR', 'ÉLÉONORE');
    const ack = await client.send(text);
    expect(msa(ack)).toEqual({ code: 'AA', controlId: 'C1' });
    expect(ack).toMatch(/^MSH\|\^~\\&\|RXBRIDGE\|CORNERPHARM\|EPICADT\|GENHOSP\|/);
    const input = store.appended[0]!;
    expect(Buffer.from(input.raw).equals(Buffer.from(text, 'utf8'))).toBe(true);
    expect(input).toMatchObject({
      channel: 'mllp:test',
      format: 'hl7v2',
      idempotencyKey: 'EPICADT|GENHOSP|C1',
      partitionKey: 'MRN10001^GENHOSP',
      summary: { type: 'ADT^A03', controlId: 'C1', sender: 'EPICADT^GENHOSP' },
      ack: 'AA',
    });
    expect(stored.length).toBe(1);
    await client.close();
  });

  test('pipelining 1,000 messages on one connection: every ACK arrives in send order', async () => {
    const store = new MemoryMessageStore();
    const server = await start(store.asStore());
    const client = await connectMllp({ host: '127.0.0.1', port: server.address().port });
    const ids = Array.from({ length: 1000 }, (_, i) => `P${i}`);
    const acks = await Promise.all(ids.map((id, i) => client.send(adt(id, { mrn: `MRN${i % 37}` }))));
    expect(acks.map((a) => msa(a).controlId)).toEqual(ids);
    expect(acks.every((a) => msa(a).code === 'AA')).toBe(true);
    expect(store.appended.map((m) => m.summary?.controlId)).toEqual(ids);
    await client.close();
  });

  test('ACKs keep arrival order even when the store commits out of order', async () => {
    const store = new MemoryMessageStore();
    store.hold = true;
    const server = await start(store.asStore());
    const conn = await rawConnection(server);
    conn.socket.write(Buffer.concat(['A', 'B', 'C'].map((id) => frameMllp(adt(id)))));
    while (store.held.length < 3) await sleep(5);
    store.held[2]!.release();
    store.held[1]!.release();
    await sleep(50);
    expect(conn.acks).toEqual([]);
    store.held[0]!.release();
    const acks = await conn.waitFor(3);
    expect(acks.map((a) => msa(a).controlId)).toEqual(['A', 'B', 'C']);
    conn.socket.destroy();
  });

  test('no ACK byte is written before the append resolves', async () => {
    const store = new MemoryMessageStore();
    store.hold = true;
    const server = await start(store.asStore());
    const conn = await rawConnection(server);
    conn.socket.write(frameMllp(adt('HOLD1')));
    while (store.held.length < 1) await sleep(5);
    await sleep(200);
    expect(conn.bytes()).toBe(0);
    store.releaseAll();
    const acks = await conn.waitFor(1);
    expect(msa(acks[0]!)).toEqual({ code: 'AA', controlId: 'HOLD1' });
    conn.socket.destroy();
  });

  test('a store failure gets AE with an ERR saying the message was not stored', async () => {
    const store = new MemoryMessageStore();
    store.failWith = new Error('disk full');
    const server = await start(store.asStore());
    const client = await connectMllp({ host: '127.0.0.1', port: server.address().port });
    const ack = await client.send(adt('F1'));
    expect(msa(ack)).toEqual({ code: 'AE', controlId: 'F1' });
    expect(ack).toMatch(/\rERR\|.*not stored; send it again later/);
    const enhanced = await client.send(adt('F2', { modes: '|||AL|NE' }));
    expect(msa(enhanced)).toEqual({ code: 'CE', controlId: 'F2' });
    await client.close();
  });

  test('garbage gets AR with issues and is not stored; the connection keeps working', async () => {
    const store = new MemoryMessageStore();
    const server = await start(store.asStore());
    const client = await connectMllp({ host: '127.0.0.1', port: server.address().port });
    const rejected = await client.send('this is not HL7');
    expect(msa(rejected).code).toBe('AR');
    expect(rejected).toMatch(/\rERR\|/);
    const noControlId = await client.send(adt(''));
    expect(msa(noControlId).code).toBe('AR');
    expect(noControlId).toContain('MSH^1^10');
    expect(store.appended).toEqual([]);
    expect(msa(await client.send(adt('OK1'))).code).toBe('AA');
    await client.close();
  });

  test('enhanced mode: CA when MSH-15 asks for it; nothing for NE, and later ACKs stay matched', async () => {
    const store = new MemoryMessageStore();
    const server = await start(store.asStore());
    const conn = await rawConnection(server);
    conn.socket.write(frameMllp(adt('E1', { modes: '|||AL|AL' })));
    conn.socket.write(frameMllp(adt('E2', { modes: '|||NE|AL' })));
    conn.socket.write(frameMllp(adt('E3', { modes: '|||ER|AL' })));
    conn.socket.write(frameMllp(adt('E4', { modes: '|||SU|AL' })));
    const acks = await conn.waitFor(2);
    await sleep(50);
    expect(acks.map(msa)).toEqual([
      { code: 'CA', controlId: 'E1' },
      { code: 'CA', controlId: 'E4' },
    ]);
    expect(store.appended.map((m) => m.ack ?? null)).toEqual(['CA', null, null, 'CA']);
    conn.socket.destroy();
  });

  test('a duplicate is acknowledged positively and recorded by the store', async () => {
    const store = new MemoryMessageStore();
    const results: AppendResult[] = [];
    const server = await start(store.asStore(), { onStored: (r) => results.push(r) });
    const client = await connectMllp({ host: '127.0.0.1', port: server.address().port });
    expect(msa(await client.send(adt('D1'))).code).toBe('AA');
    expect(msa(await client.send(adt('D1'))).code).toBe('AA');
    expect(store.appended.length).toBe(1);
    expect(store.duplicates.length).toBe(1);
    expect(results.map((r) => r.duplicate)).toEqual([false, true]);
    await client.close();
  });

  test('two messages in one TCP write are both acknowledged, and a trailing LF loses nothing', async () => {
    const store = new MemoryMessageStore();
    const server = await start(store.asStore());
    const conn = await rawConnection(server);
    conn.socket.write(
      Buffer.concat([frameMllp(adt('W1')), Buffer.from('\n'), frameMllp(adt('W2')), Buffer.from('\r\n')]),
    );
    const acks = await conn.waitFor(2);
    expect(acks.map((a) => msa(a).controlId)).toEqual(['W1', 'W2']);
    conn.socket.destroy();
  });

  test('a block over the size limit gets AR with the reason and the connection is closed', async () => {
    const store = new MemoryMessageStore();
    const server = await start(store.asStore(), { maxFrameBytes: 2000 });
    const conn = await rawConnection(server);
    conn.socket.write(frameMllp(adt('S1')));
    conn.socket.write(frameMllp(adt('BIG1') + '\rNTE|1||' + 'x'.repeat(5000)));
    const acks = await conn.waitFor(2);
    expect(msa(acks[0]!)).toEqual({ code: 'AA', controlId: 'S1' });
    expect(msa(acks[1]!)).toEqual({ code: 'AR', controlId: 'BIG1' });
    expect(acks[1]).toContain('exceeds the maximum of 2000 bytes');
    for (let i = 0; i < 100 && !conn.closed(); i++) await sleep(10);
    expect(conn.closed()).toBe(true);
    expect(store.appended.length).toBe(1);
  });

  test('close() lets in-flight appends finish and be acknowledged', async () => {
    const store = new MemoryMessageStore();
    store.hold = true;
    const server = await startMllpServer({
      host: '127.0.0.1',
      port: 0,
      channel: 'mllp:test',
      store: store.asStore(),
    });
    const client = await connectMllp({ host: '127.0.0.1', port: server.address().port });
    const sent = [client.send(adt('Z1')), client.send(adt('Z2'))];
    while (store.held.length < 2) await sleep(5);
    const closed = server.close();
    await sleep(20);
    expect(server.connections()).toBe(1);
    store.releaseAll();
    const acks = await Promise.all(sent);
    expect(acks.map((a) => msa(a).code)).toEqual(['AA', 'AA']);
    await closed;
    expect(server.connections()).toBe(0);
    await expect(client.send(adt('Z3'))).rejects.toThrow();
  });

  test('the client rejects every pending send when no ACK comes in time', async () => {
    const store = new MemoryMessageStore();
    store.hold = true;
    const server = await start(store.asStore());
    const client = await connectMllp({ host: '127.0.0.1', port: server.address().port, timeoutMs: 150 });
    const results = await Promise.allSettled([client.send(adt('T1')), client.send(adt('T2'))]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    expect(String((results[0] as PromiseRejectedResult).reason)).toContain('no MLLP ACK within 150 ms');
    store.releaseAll();
    await client.close();
  });

  test('the client fails clearly when nothing listens', async () => {
    const probe = net.createServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
    const port = (probe.address() as net.AddressInfo).port;
    await new Promise<void>((r) => probe.close(() => r()));
    await expect(connectMllp({ host: '127.0.0.1', port, timeoutMs: 2000 })).rejects.toThrow(/MLLP connect/);
  });
});

// The SQLite adapter is written alongside; when it is present, one end-to-end run proves the real fsync path.
describe('with the SQLite store', () => {
  test('pipelined messages are committed before their ACKs and duplicates recorded', async () => {
    // eslint-disable-next-line rxbridge/pipeline-boundaries -- integration test: a real adapter behind the port.
    const { openSqliteStore } = await import('../../platform/store/sqlite/sqlite-store.ts');
    const dir = mkdtempSync(path.join(tmpdir(), 'rxb-mllp-'));
    const sqlite = await openSqliteStore({ path: path.join(dir, 'store.db') });
    try {
      const server = await start(sqlite.messages);
      const client = await connectMllp({ host: '127.0.0.1', port: server.address().port });
      const ids = Array.from({ length: 200 }, (_, i) => `SQ${i}`);
      const acks = await Promise.all([...ids, 'SQ0'].map((id) => client.send(adt(id, { mrn: `MRN${id}` }))));
      expect(acks.map((a) => msa(a).code).every((c) => c === 'AA')).toBe(true);
      const counts = await sqlite.messages.countByState();
      expect(counts.received).toBe(200);
      expect(counts.duplicate).toBe(1);
      await client.close();
    } finally {
      await Promise.all(servers.splice(0).map((s) => s.close()));
      await sqlite.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
