// Interop: Debian's python3-hl7 `mllp_send` into our listener; our client and sender into the npm peers'
// listeners (@medplum/hl7, node-hl7-server). Messages and ACKs must arrive intact, escapes and 1 MB included.
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Hl7Connection, type Hl7MessageEvent } from '@medplum/hl7';
import { Server as NodeHl7Server } from 'node-hl7-server';
import { afterAll, describe, expect, test } from 'vitest';
import { connectMllp } from './mllp-client.ts';
import { createMllpSender, readMsa } from './mllp-sender.ts';
import { startMllpServer } from './mllp-server.ts';
import { MemoryMessageStore } from './testing/memory-message-store.ts';

const run = promisify(execFile);
const MLLP_SEND = ['/usr/bin/mllp_send', '/usr/local/bin/mllp_send'].find((p) => existsSync(p));
const requireClient = process.env['CI'] === 'true';
const dir = mkdtempSync(join(tmpdir(), 'rxb-interop-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function message(controlId: string, extra: string[] = []): string {
  return [
    `MSH|^~\\&|RXBRIDGE|CORNERPHARM|EHR|GENHOSP|20260314101500||RDS^O13^RDS_O13|${controlId}|P|2.5.1`,
    `PID|1||MRN${controlId}^^^GENHOSP^MR||WHITFIELD^ELEANOR||19480312|F`,
    'RXD|1|860975^Metformin 500 MG Oral Tablet^RXNORM|20260314|60|TAB',
    ...extra,
  ].join('\r');
}

/** Every HL7 escape (ch. 2.7): field, component, sub-component, repetition, escape, hex, line break, highlight. */
const ESCAPES =
  'NTE|1||Take 1 tab \\T\\ water\\F\\ not \\S\\ crushed \\R\\ twice \\E\\ daily\\X0D0A\\\\.br\\\\H\\bold\\N\\ 5\\Zab\\';
const ONE_MB = `OBX|1|ED|PDF^Discharge summary^LN||^AP^PDF^Base64^${'QUJD'.repeat(262_144)}||||||F`;

describe.skipIf(!MLLP_SEND && !requireClient)('mllp_send (python3-hl7) into our listener', () => {
  test('several messages in one file (--loose, LF line ends, blank lines): every one stored and ACKed AA', async () => {
    if (!MLLP_SEND)
      throw new Error('mllp_send (Debian package python3-hl7) is required in CI; .ci/run installs it');
    const store = new MemoryMessageStore();
    const server = await startMllpServer({
      host: '127.0.0.1',
      port: 0,
      channel: 'mllp:interop',
      store: store.asStore(),
    });
    try {
      const ids = ['PY1', 'PY2', 'PY3', 'PY4'];
      const file = join(dir, 'several.hl7');
      writeFileSync(
        file,
        ids.map((id, i) => message(id, i === 2 ? [ESCAPES] : []).replace(/\r/g, '\n')).join('\n\n') + '\n',
      );
      const { stdout } = await run(MLLP_SEND, [
        '--loose',
        '--file',
        file,
        '--port',
        String(server.address().port),
        '127.0.0.1',
      ]);
      const acks = [...stdout.matchAll(/MSA\|(\w\w)\|([A-Za-z0-9]*)/g)].map((m) => `${m[1]}:${m[2]}`);
      expect(acks).toEqual(ids.map((id) => `AA:${id}`));
      expect(store.appended.map((m) => m.summary?.controlId)).toEqual(ids);
      const third = Buffer.from(store.appended[2]!.raw).toString('utf8');
      expect(third).toContain(ESCAPES);
    } finally {
      await server.close();
    }
  });
});

/** A peer listener that records each message as it parsed it and answers with its own ACK. */
interface Peer {
  port: number;
  received: string[];
  stop(): Promise<void>;
}

/**
 * @medplum/hl7: Hl7Server.start() binds every interface, so its connection class (which does the framing,
 * parsing and ACK) is attached to a loopback-only socket server instead.
 */
async function startMedplumPeer(): Promise<Peer> {
  const received: string[] = [];
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    const connection = new Hl7Connection(socket);
    connection.addEventListener('message', (event: Hl7MessageEvent) => {
      received.push(event.message.toString());
      event.connection.send(event.message.buildAck());
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    port: (server.address() as net.AddressInfo).port,
    received,
    stop: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

async function startNodeHl7Peer(): Promise<Peer> {
  const received: string[] = [];
  const probe = net.createServer();
  await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
  const port = (probe.address() as net.AddressInfo).port;
  await new Promise<void>((r) => probe.close(() => r()));
  const server = new NodeHl7Server({ bindAddress: '127.0.0.1' });
  const inbound = server.createInbound({ port }, (req, res) => {
    received.push(req.getMessage().toString());
    void res.sendResponse('AA');
  });
  await new Promise<void>((resolve) => {
    inbound.once('listen', () => resolve());
    setTimeout(resolve, 2000).unref();
  });
  return { port, received, stop: async () => void (await inbound.close()) };
}

const peers: Array<[string, () => Promise<Peer>]> = [
  ['@medplum/hl7', startMedplumPeer],
  ['node-hl7-server', startNodeHl7Peer],
];

describe.each(peers)('our client and sender into %s', (_name, startPeer) => {
  test(
    'plain, escaped and 1 MB messages arrive intact and every ACK answers its message',
    { timeout: 60_000 },
    async () => {
      const peer = await startPeer();
      const sender = createMllpSender({
        host: '127.0.0.1',
        port: peer.port,
        timeoutMs: 15_000,
        maxInFlight: 1,
      });
      try {
        const sent = [message('IO1'), message('IO2', [ESCAPES]), message('IO3', [ONE_MB]), message('IO4')];
        const acks = await Promise.all(sent.map((m) => sender.send(m)));
        expect(acks.map((a) => a.controlId)).toEqual(['IO1', 'IO2', 'IO3', 'IO4']);
        expect(acks.map((a) => a.code)).toEqual(['AA', 'AA', 'AA', 'AA']);
        // Distinct by MSH-10, as a receiver dedupes: node-hl7-server processes earlier messages again.
        const distinct = new Map<string, string>();
        for (const text of peer.received) {
          const id = text.split(/\r|\n/, 1)[0]?.split('|')[9] ?? '';
          if (!distinct.has(id)) distinct.set(id, text);
        }
        expect([...distinct.keys()]).toEqual(['IO1', 'IO2', 'IO3', 'IO4']);
        for (const [i, text] of [...distinct.values()].entries()) {
          // Compared segment by segment: peers differ only in a trailing segment terminator.
          expect(text.replace(/\r$/, '').split(/\r\n|\r|\n/)).toEqual(sent[i]!.split('\r'));
        }
        expect(distinct.get('IO3')!.length).toBeGreaterThan(1_000_000);
      } finally {
        await sender.close();
        await peer.stop();
      }
    },
  );

  test('connectMllp pipelines 50 messages and matches every ACK', { timeout: 60_000 }, async () => {
    // node-hl7-server re-answers every earlier message of the connection with each new one (its buffer is not
    // cleared): repeated ACKs that the sender recognises by MSA-2 and drops.
    const peer = await startPeer();
    try {
      const client = await connectMllp({
        host: '127.0.0.1',
        port: peer.port,
        timeoutMs: 10_000,
        maxInFlight: 10,
      });
      const ids = Array.from({ length: 50 }, (_, i) => `PL${i}`);
      const acks = await Promise.all(ids.map((id) => client.send(message(id))));
      expect(acks.map((a) => readMsa(a).controlId)).toEqual(ids);
      await client.close();
    } finally {
      await peer.stop();
    }
  });
});
