// Throwaway certificates for TLS tests, made with the openssl command line in a temp dir at test time.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TestCertificates {
  dir: string;
  /** Paths of the PEM files (for config that names files). */
  files: {
    caCert: string;
    serverCert: string;
    serverKey: string;
    clientCert: string;
    clientKey: string;
  };
  ca: string;
  server: { cert: string; key: string };
  /** Signed by `ca`: accepted by a listener that requires client certificates. */
  client: { cert: string; key: string };
  /** Self-signed: refused by a listener that requires client certificates. */
  stranger: { cert: string; key: string };
  remove(): void;
}

function openssl(args: string[], cwd: string): void {
  execFileSync('openssl', args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
}

const EC = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];

/** A CA, a server certificate for 127.0.0.1/localhost, a client certificate, and an unrelated self-signed one. */
export function makeTestCertificates(): TestCertificates {
  const dir = mkdtempSync(join(tmpdir(), 'rxb-tls-'));
  openssl(
    [
      'req',
      '-x509',
      ...EC,
      '-keyout',
      'ca.key',
      '-out',
      'ca.crt',
      '-days',
      '2',
      '-subj',
      '/CN=RxBridge test CA',
    ],
    dir,
  );
  const issue = (name: string, cn: string, ext: string): void => {
    writeFileSync(join(dir, `${name}.ext`), ext);
    openssl(['req', ...EC, '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', `/CN=${cn}`], dir);
    openssl(
      [
        'x509',
        '-req',
        '-in',
        `${name}.csr`,
        '-CA',
        'ca.crt',
        '-CAkey',
        'ca.key',
        '-CAcreateserial',
        '-days',
        '2',
        '-extfile',
        `${name}.ext`,
        '-out',
        `${name}.crt`,
      ],
      dir,
    );
  };
  issue('server', 'localhost', 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n');
  issue('client', 'rxbridge test client', 'extendedKeyUsage=clientAuth\n');
  openssl(
    [
      'req',
      '-x509',
      ...EC,
      '-keyout',
      'stranger.key',
      '-out',
      'stranger.crt',
      '-days',
      '2',
      '-subj',
      '/CN=stranger',
    ],
    dir,
  );
  const read = (f: string): string => readFileSync(join(dir, f), 'utf8');
  return {
    dir,
    files: {
      caCert: join(dir, 'ca.crt'),
      serverCert: join(dir, 'server.crt'),
      serverKey: join(dir, 'server.key'),
      clientCert: join(dir, 'client.crt'),
      clientKey: join(dir, 'client.key'),
    },
    ca: read('ca.crt'),
    server: { cert: read('server.crt'), key: read('server.key') },
    client: { cert: read('client.crt'), key: read('client.key') },
    stranger: { cert: read('stranger.crt'), key: read('stranger.key') },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
