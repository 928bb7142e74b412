// Several MLLP listeners from config, one plain and one mutual TLS from PEM files, started by the engine at once.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { ConfigSchema } from '../../src/config/config-schema.ts';
import { connectMllp } from '../../src/inbound/mllp/mllp-client.ts';
import { makeTestCertificates } from '../../src/inbound/mllp/testing/test-certificates.ts';
import { startEngine } from '../../src/main.ts';
import { silentLogger } from '../../src/platform/log/logger.ts';

const certs = makeTestCertificates();
const dir = mkdtempSync(join(tmpdir(), 'rxb-listeners-'));
afterAll(() => {
  certs.remove();
  rmSync(dir, { recursive: true, force: true });
});

const adt = (id: string): string =>
  `MSH|^~\\&|EPICADT|GENHOSP|RXBRIDGE|CORNERPHARM|20260314101500||ADT^A08^ADT_A01|${id}|P|2.5.1\rPID|1||MRN${id}^^^GENHOSP^MR||DOE^JANE`;

it('rejects requireClientCert without caFile, naming the reason', () => {
  const r = ConfigSchema.safeParse({
    mllp: { listeners: [{ name: 'x', tls: { certFile: 'a', keyFile: 'b', requireClientCert: true } }] },
  });
  expect(r.success).toBe(false);
  expect(JSON.stringify(r.error?.issues)).toContain('requireClientCert needs caFile');
});

it('starts a plain and a mutual-TLS listener from config; each takes messages on its own channel', async () => {
  const config = ConfigSchema.parse({
    store: `sqlite:${join(dir, 'db.sqlite')}`,
    http: { port: 0 },
    mllp: {
      listeners: [
        { name: 'plain', host: '127.0.0.1', port: 0 },
        {
          name: 'secure',
          host: '127.0.0.1',
          port: 0,
          tls: {
            certFile: certs.files.serverCert,
            keyFile: certs.files.serverKey,
            caFile: certs.files.caCert,
            requireClientCert: true,
          },
        },
      ],
    },
  });
  const engine = await startEngine({ config, logger: silentLogger, workers: false });
  try {
    expect(engine.mllp.map((l) => l.name)).toEqual(['plain', 'secure']);
    const [plain, secure] = engine.mllp;
    const a = await connectMllp({ host: '127.0.0.1', port: plain!.port });
    expect(await a.send(adt('CFG1'))).toContain('MSA|AA|CFG1');
    await a.close();
    const b = await connectMllp({
      host: '127.0.0.1',
      port: secure!.port,
      tls: { ca: certs.ca, cert: certs.client.cert, key: certs.client.key },
    });
    expect(await b.send(adt('CFG2'))).toContain('MSA|AA|CFG2');
    await b.close();
    // Without a client certificate the secure listener refuses.
    const refused = connectMllp({
      host: '127.0.0.1',
      port: secure!.port,
      tls: { ca: certs.ca },
      timeoutMs: 3000,
      reconnect: { maxAttempts: 1 },
    }).then(async (c) => {
      try {
        return await c.send(adt('CFG3'));
      } finally {
        await c.close();
      }
    });
    await expect(refused).rejects.toThrow(/MLLP/);
    const stored = await engine.store.messages.list({ limit: 10 });
    expect(stored.map((m) => m.channel).sort()).toEqual(['mllp:plain', 'mllp:secure']);
  } finally {
    await engine.stop();
  }
});
