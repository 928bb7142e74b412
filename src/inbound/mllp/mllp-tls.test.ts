// MLLP over TLS (QUALITY S8): TLS 1.2+, TLS 1.0/1.1 refused, mutual TLS refuses clients without a trusted cert.
import type net from 'node:net';
import tls from 'node:tls';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { connectMllp } from './mllp-client.ts';
import type { MllpServer, MllpServerOptions } from './mllp-server.ts';
import { startMllpServer } from './mllp-server.ts';
import { MemoryMessageStore } from './testing/memory-message-store.ts';
import type { TestCertificates } from './testing/test-certificates.ts';
import { makeTestCertificates } from './testing/test-certificates.ts';

let certs: TestCertificates;
beforeAll(() => {
  certs = makeTestCertificates();
});
afterAll(() => certs?.remove());

function adt(controlId: string): string {
  return [
    `MSH|^~\\&|EPICADT|GENHOSP|RXBRIDGE|CORNERPHARM|20260314101500||ADT^A03^ADT_A03|${controlId}|P|2.5.1`,
    'PID|1||MRN10001^^^GENHOSP^MR||WHITFIELD^ELEANOR||19480312|F',
  ].join('\r');
}

async function withServer(
  extra: Partial<MllpServerOptions>,
  body: (server: MllpServer, store: MemoryMessageStore) => Promise<void>,
): Promise<void> {
  const store = new MemoryMessageStore();
  const server = await startMllpServer({
    host: '127.0.0.1',
    port: 0,
    channel: 'mllp:tls',
    store: store.asStore(),
    ...extra,
  });
  try {
    await body(server, store);
  } finally {
    await server.close();
  }
}

/** Tries a raw TLS handshake; resolves with the negotiated protocol or the error code. */
function handshake(port: number, options: tls.ConnectionOptions): Promise<string> {
  return new Promise((resolve) => {
    const socket = tls.connect({ host: '127.0.0.1', port, ca: certs.ca, ...options });
    const done = (result: string): void => {
      resolve(result);
      socket.destroy();
    };
    socket.once('secureConnect', () => {
      // With TLS 1.3 a refused client certificate is reported after the handshake: wait for the server's verdict.
      const protocol = socket.getProtocol() ?? '?';
      socket.once('data', () => done(protocol));
      socket.once('close', () => done(`closed after ${protocol}`));
      socket.write('\x0b' + adt('PROBE') + '\x1c\r');
    });
    socket.once('error', (error: NodeJS.ErrnoException) => done(`error:${error.code ?? error.message}`));
  });
}

describe('MLLP over TLS', () => {
  test('a TLS listener stores and ACKs; the client verifies the server against the CA', async () => {
    await withServer({ tls: { cert: certs.server.cert, key: certs.server.key } }, async (server, store) => {
      expect(server.secure).toBe(true);
      const client = await connectMllp({
        host: '127.0.0.1',
        port: server.address().port,
        tls: { ca: certs.ca },
      });
      const acks = await Promise.all(['T1', 'T2', 'T3'].map((id) => client.send(adt(id))));
      expect(acks.map((a) => /MSA\|(\w+)\|(\w+)/.exec(a)?.slice(1))).toEqual([
        ['AA', 'T1'],
        ['AA', 'T2'],
        ['AA', 'T3'],
      ]);
      expect(store.appended.length).toBe(3);
      await client.close();
      // Without the CA the server certificate is not trusted and the client refuses to talk.
      await expect(
        connectMllp({ host: '127.0.0.1', port: server.address().port, tls: {}, timeoutMs: 3000 }),
      ).rejects.toThrow(/MLLP connect/);
    });
  });

  test('TLS 1.2 and 1.3 are accepted; TLS 1.0 and 1.1 clients are refused in the handshake', async () => {
    await withServer({ tls: { cert: certs.server.cert, key: certs.server.key } }, async (server) => {
      const port = server.address().port;
      expect(await handshake(port, { minVersion: 'TLSv1.2', maxVersion: 'TLSv1.2' })).toBe('TLSv1.2');
      expect(await handshake(port, { minVersion: 'TLSv1.3' })).toBe('TLSv1.3');
      // SECLEVEL=0 lets this client offer the old protocols at all; the refusal must come from the listener.
      const old = { ciphers: 'DEFAULT@SECLEVEL=0' };
      for (const version of ['TLSv1', 'TLSv1.1'] as const) {
        const result = await handshake(port, { ...old, minVersion: version, maxVersion: version });
        expect(result).toMatch(/^error:/);
        expect(result).toMatch(/PROTOCOL_VERSION|UNSUPPORTED_PROTOCOL|NO_PROTOCOLS/i);
      }
    });
  });

  test('control: the same old-protocol client does connect to a server that allows TLS 1.1', async () => {
    const legacy = tls.createServer({
      cert: certs.server.cert,
      key: certs.server.key,
      minVersion: 'TLSv1',
      ciphers: 'DEFAULT@SECLEVEL=0',
    });
    const raw = new Set<net.Socket>();
    legacy.on('connection', (s: net.Socket) => raw.add(s));
    legacy.on('secureConnection', (s) => s.end('\x0bMSH|^~\\&|X\rMSA|AA|PROBE\x1c\r'));
    await new Promise<void>((r) => legacy.listen(0, '127.0.0.1', r));
    const { port } = legacy.address() as { port: number };
    try {
      const result = await handshake(port, {
        ciphers: 'DEFAULT@SECLEVEL=0',
        minVersion: 'TLSv1.1',
        maxVersion: 'TLSv1.1',
      });
      expect(result).toBe('TLSv1.1');
    } finally {
      for (const s of raw) s.destroy();
      await new Promise<void>((r) => legacy.close(() => r()));
    }
  });

  test('mutual TLS: a client certificate signed by the CA is accepted; none, or an untrusted one, is refused', async () => {
    const options = {
      tls: { cert: certs.server.cert, key: certs.server.key, ca: certs.ca, requestClientCert: true },
    };
    await withServer(options, async (server, store) => {
      const port = server.address().port;
      const client = await connectMllp({
        host: '127.0.0.1',
        port,
        tls: { ca: certs.ca, cert: certs.client.cert, key: certs.client.key },
      });
      expect(await client.send(adt('M1'))).toContain('MSA|AA|M1');
      await client.close();

      for (const who of [{}, { cert: certs.stranger.cert, key: certs.stranger.key }]) {
        for (const version of ['TLSv1.2', 'TLSv1.3'] as const) {
          const result = await handshake(port, { ...who, minVersion: version, maxVersion: version });
          expect(result).toMatch(/^(error:|closed after)/);
        }
        const refused = connectMllp({
          host: '127.0.0.1',
          port,
          tls: { ca: certs.ca, ...who },
          timeoutMs: 3000,
          reconnect: { maxAttempts: 1 },
        }).then(async (c) => {
          try {
            return await c.send(adt('NOPE'));
          } finally {
            await c.close();
          }
        });
        await expect(refused).rejects.toThrow(/MLLP/);
      }
      expect(store.appended.map((m) => m.summary?.controlId)).toEqual(['M1']);
    });
  });

  test('a plain client talking to a TLS listener gets nothing stored and no ACK', async () => {
    await withServer({ tls: { cert: certs.server.cert, key: certs.server.key } }, async (server, store) => {
      const plain = await connectMllp({
        host: '127.0.0.1',
        port: server.address().port,
        timeoutMs: 1000,
        reconnect: { maxAttempts: 1 },
      });
      await expect(plain.send(adt('P1'))).rejects.toThrow(/MLLP/);
      await plain.close();
      expect(store.appended).toEqual([]);
    });
  });
});
