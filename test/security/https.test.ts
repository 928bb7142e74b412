// S8 (HTTP): with http.tls configured the API speaks HTTPS only, TLS 1.2 minimum; TLS 1.0/1.1 clients are refused.
import tls from 'node:tls';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  makeTestCertificates,
  type TestCertificates,
} from '../../src/inbound/mllp/testing/test-certificates.ts';
import { NO_AUTHENTICATION } from '../../src/governance/auth/no-authentication.ts';
import { createHttpServer } from '../../src/platform/http/http-server.ts';
import { silentLogger } from '../../src/platform/log/logger.ts';
import { createMetrics } from '../../src/platform/metrics/metrics.ts';

let certs: TestCertificates;
let app: ReturnType<typeof createHttpServer>;
let port: number;

beforeAll(async () => {
  certs = makeTestCertificates();
  app = createHttpServer({
    logger: silentLogger,
    metrics: createMetrics({ defaultMetrics: false }),
    bodyLimitBytes: 1024,
    readiness: [],
    auth: NO_AUTHENTICATION,
    https: { cert: Buffer.from(certs.server.cert), key: Buffer.from(certs.server.key) },
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  port = typeof address === 'object' && address !== null ? address.port : 0;
});
afterAll(async () => {
  await app?.close();
  certs?.remove();
});

function handshake(options: tls.ConnectionOptions): Promise<string> {
  return new Promise((resolve) => {
    const socket = tls.connect({
      host: '127.0.0.1',
      port,
      ca: certs.ca,
      servername: 'localhost',
      ...options,
    });
    socket.once('secureConnect', () => {
      resolve(socket.getProtocol() ?? 'unknown');
      socket.destroy();
    });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(`error: ${error.code ?? error.message}`));
  });
}

it('serves HTTPS with TLS 1.2 and 1.3 and refuses TLS 1.0 and 1.1 in the handshake', async () => {
  expect(await handshake({ minVersion: 'TLSv1.2', maxVersion: 'TLSv1.2' })).toBe('TLSv1.2');
  expect(await handshake({ minVersion: 'TLSv1.3' })).toBe('TLSv1.3');
  for (const version of ['TLSv1', 'TLSv1.1'] as const) {
    const result = await handshake({
      ciphers: 'DEFAULT@SECLEVEL=0',
      minVersion: version,
      maxVersion: version,
    });
    expect(result).toMatch(/^error:/);
  }
  const res = await new Promise<number>((resolve, reject) => {
    const socket = tls.connect({ host: '127.0.0.1', port, ca: certs.ca, servername: 'localhost' }, () => {
      socket.write('GET /healthz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n');
    });
    let text = '';
    socket.on('data', (d: Buffer) => (text += d.toString()));
    socket.on('end', () => resolve(Number(/^HTTP\/1\.1 (\d+)/.exec(text)?.[1] ?? 0)));
    socket.on('error', reject);
  });
  expect(res).toBe(200);
});
