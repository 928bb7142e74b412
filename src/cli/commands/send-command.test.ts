// `rxbridge send` as a user runs it, against a real MLLP listener (plain and TLS): ACK lines and exit codes.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runRxbridge } from '../../../test/support/run-rxbridge.ts';
import { frameMllp } from '../../inbound/mllp/mllp-framer.ts';
import type { MllpServer } from '../../inbound/mllp/mllp-server.ts';
import { startMllpServer } from '../../inbound/mllp/mllp-server.ts';
import { MemoryMessageStore } from '../../inbound/mllp/testing/memory-message-store.ts';
import type { TestCertificates } from '../../inbound/mllp/testing/test-certificates.ts';
import { makeTestCertificates } from '../../inbound/mllp/testing/test-certificates.ts';
import { splitHl7File } from './send-command.ts';

const dir = mkdtempSync(join(tmpdir(), 'rxb-send-'));

const rxbridge = (args: string[]) => runRxbridge(args, { cwd: dir });

const msg = (id: string, extra = ''): string =>
  `MSH|^~\\&|LAB|GENHOSP|RXBRIDGE|CORNERPHARM|20260314101500||ORU^R01^ORU_R01|${id}|P|2.5.1${extra}\nPID|1||MRN1^^^GENHOSP^MR||DOE^JANE\nOBX|1|NM|2160-0^Creatinine^LN||1.1|mg/dL`;

let certs: TestCertificates;
let plain: MllpServer;
let secure: MllpServer;
const store = new MemoryMessageStore();

beforeAll(async () => {
  certs = makeTestCertificates();
  plain = await startMllpServer({ host: '127.0.0.1', port: 0, channel: 'mllp:cli', store: store.asStore() });
  secure = await startMllpServer({
    host: '127.0.0.1',
    port: 0,
    channel: 'mllp:cli-tls',
    store: store.asStore(),
    tls: { cert: certs.server.cert, key: certs.server.key },
  });
});
afterAll(async () => {
  await plain?.close();
  await secure?.close();
  certs?.remove();
  rmSync(dir, { recursive: true, force: true });
});

describe('splitHl7File', () => {
  it('splits on MSH with blank lines, CRLF or LF, and reads MLLP-framed files', () => {
    const text = `${msg('A')}\r\n\r\n${msg('B').replace(/\n/g, '\r\n')}\n${msg('C')}\n\n`;
    const parts = splitHl7File(Buffer.from(text));
    expect(parts.map((p) => p.split('|')[9])).toEqual(['A', 'B', 'C']);
    expect(parts.every((p) => !p.includes('\n') && p.endsWith('\r'))).toBe(true);
    const framed = Buffer.concat([frameMllp(msg('D')), Buffer.from('\n'), frameMllp(msg('E'))]);
    expect(splitHl7File(framed).map((p) => p.split('|')[9])).toEqual(['D', 'E']);
  });
});

describe('rxbridge send', () => {
  it('sends every message of several files and prints one MSA line per ACK; exit 0 when all are AA/CA', async () => {
    const a = join(dir, 'a.hl7');
    const b = join(dir, 'b.hl7');
    writeFileSync(a, `${msg('S1')}\n\n${msg('S2')}\n`);
    writeFileSync(b, Buffer.concat([frameMllp(msg('S3', '|||AL|NE').replace(/\n/g, '\r'))]));
    const r = await rxbridge(['send', '--mllp', `127.0.0.1:${plain.address().port}`, a, b]);
    expect(r.stderr).toContain('3 of 3 messages accepted');
    expect(r.code).toBe(0);
    expect(r.stdout.trim().split('\n')).toEqual([
      `${a} #1: MSA|AA|S1`,
      `${a} #2: MSA|AA|S2`,
      `${b} #3: MSA|CA|S3`,
    ]);
    expect(store.appended.map((m) => m.summary?.controlId)).toEqual(
      expect.arrayContaining(['S1', 'S2', 'S3']),
    );
  });

  it('prints the ERR of a rejected message and exits 1', async () => {
    const f = join(dir, 'bad.hl7');
    writeFileSync(f, `${msg('OK1')}\n\n${msg('')}\n`);
    const r = await rxbridge(['send', '--mllp', `127.0.0.1:${plain.address().port}`, f]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`${f} #1: MSA|AA|OK1`);
    expect(r.stdout).toMatch(/#2: MSA\|AR\|\n {2}ERR\|/);
    expect(r.stderr).toContain('1 of 2 messages not accepted');
  });

  it('sends over TLS with --tls-ca', async () => {
    const f = join(dir, 'tls.hl7');
    writeFileSync(f, msg('TLS1'));
    const r = await rxbridge([
      'send',
      '--mllp',
      `127.0.0.1:${secure.address().port}`,
      '--tls-ca',
      certs.files.caCert,
      f,
    ]);
    expect(r.stdout).toContain('MSA|AA|TLS1');
    expect(r.code).toBe(0);
  });

  it('fails with one line when nothing listens, and with a usage error for a bad address', async () => {
    const f = join(dir, 'one.hl7');
    writeFileSync(f, msg('N1'));
    const down = await rxbridge(['send', '--mllp', '127.0.0.1:1', '--timeout', '2000', f]);
    expect(down.code).toBe(1);
    expect(down.stderr).toMatch(/^rxbridge: MLLP connect to 127\.0\.0\.1:1 failed/);
    expect(down.stderr.trim().split('\n').length).toBe(1);
    const usage = await rxbridge(['send', '--mllp', 'nowhere', f]);
    expect(usage.code).toBe(2);
  });
});
