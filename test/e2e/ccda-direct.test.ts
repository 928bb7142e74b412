// Direct intake end to end: MIME messages with C-CDA attachments, signed and encrypted with `openssl smime` using
// certificates made for the test, XDM zips (and a zip bomb), through the library and the `rxbridge convert` CLI.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { crc32, deflateRawSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { unpackDirect } from '../../src/inbound/direct/direct-intake.ts';
import { runRxbridge } from '../support/run-rxbridge.ts';

const CCD = readFileSync(new URL('../fixtures/ccda/discharge-summary.xml', import.meta.url));
let dir = '';
const p = (name: string): string => path.join(dir, name);
const openssl = (...args: string[]): Buffer =>
  execFileSync('openssl', args, { stdio: ['pipe', 'pipe', 'pipe'] });

function certificate(name: string): void {
  openssl(
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-days',
    '2',
    '-keyout',
    p(`${name}.key`),
    '-out',
    p(`${name}.pem`),
    '-subj',
    `/CN=${name}.direct.example`,
    '-addext',
    'keyUsage=digitalSignature,keyEncipherment',
    '-addext',
    'extendedKeyUsage=emailProtection',
  );
}

function mimeMessage(): string {
  const b64 = CCD.toString('base64').replace(/.{76}/g, '$&\r\n');
  return [
    'From: hospital@direct.example',
    'To: pharmacy@direct.example',
    'Subject: Discharge summary',
    'MIME-Version: 1.0',
    'Content-Type: multipart/mixed; boundary="b1"',
    '',
    '--b1',
    'Content-Type: text/plain',
    '',
    'Discharge summary attached.',
    '--b1',
    'Content-Type: application/xml; name="discharge.xml"',
    'Content-Transfer-Encoding: base64',
    'Content-Disposition: attachment; filename="discharge.xml"',
    '',
    b64,
    '--b1--',
    '',
  ].join('\r\n');
}

/** A minimal ZIP writer (deflate) for building XDM packages in the test. */
function zip(entries: { name: string; data: Buffer }[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = Buffer.from(e.name);
    const body = deflateRawSync(e.data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(8, 8);
    local.writeUInt32LE(crc32(e.data), 14);
    local.writeUInt32LE(body.length, 18);
    local.writeUInt32LE(e.data.length, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(8, 10);
    central.writeUInt32LE(crc32(e.data), 16);
    central.writeUInt32LE(body.length, 20);
    central.writeUInt32LE(e.data.length, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, body);
    centrals.push(central, name);
    offset += 30 + name.length + body.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'rxbridge-direct-'));
  certificate('hospital'); // signer; its certificate is the pharmacy's trust anchor
  certificate('pharmacy'); // recipient
  certificate('stranger'); // a trust anchor that did not sign
  writeFileSync(p('plain.eml'), mimeMessage());
  openssl(
    'smime',
    '-sign',
    '-in',
    p('plain.eml'),
    '-signer',
    p('hospital.pem'),
    '-inkey',
    p('hospital.key'),
    '-out',
    p('signed.eml'),
  );
  openssl(
    'smime',
    '-encrypt',
    '-aes256',
    '-in',
    p('signed.eml'),
    '-out',
    p('secure.eml'),
    '-from',
    'hospital@direct.example',
    '-to',
    'pharmacy@direct.example',
    '-subject',
    'Discharge summary',
    p('pharmacy.pem'),
  );
  // Tampered: the signed text changed after signing.
  writeFileSync(
    p('tampered.eml'),
    readFileSync(p('signed.eml'), 'latin1').replace(
      'Discharge summary attached.',
      'Discharge summary attached!',
    ),
    'latin1',
  );
  writeFileSync(
    p('package.zip'),
    zip([
      { name: 'INDEX.HTM', data: Buffer.from('<html></html>') },
      { name: 'IHE_XDM/SUBSET01/METADATA.XML', data: Buffer.from('<SubmitObjectsRequest/>') },
      { name: 'IHE_XDM/SUBSET01/DOC0001.XML', data: CCD },
    ]),
  );
  writeFileSync(
    p('bomb.zip'),
    zip([{ name: 'IHE_XDM/SUBSET01/DOC0001.XML', data: Buffer.alloc(40 * 1024 * 1024) }]),
  );
}, 60_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

const keys = () => ({
  certificatePath: p('pharmacy.pem'),
  privateKeyPath: p('pharmacy.key'),
  trustAnchorsPath: p('hospital.pem'),
});

describe('Direct intake', () => {
  test('signed and encrypted message: decrypted, signature verified, the C-CDA attachment found', () => {
    const r = unpackDirect(readFileSync(p('secure.eml')), { keys: keys() });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value).toHaveLength(1);
    expect(r.value[0]).toMatchObject({ filename: 'discharge.xml', decrypted: true, signatureVerified: true });
    expect(r.value[0]!.xml).toBe(CCD.toString('utf8'));
    expect(r.issues.filter((i) => i.severity !== 'information')).toEqual([]);
  });

  test('a signature from a sender the trust anchors do not cover: refused, nothing processed', () => {
    const r = unpackDirect(readFileSync(p('secure.eml')), {
      keys: { ...keys(), trustAnchorsPath: p('stranger.pem') },
    });
    expect(r.ok).toBe(false);
    expect(r.issues.find((i) => i.severity === 'error')).toMatchObject({ code: 'security' });
    expect(r.issues.find((i) => i.severity === 'error')!.message).toMatch(/signature does not verify/);
  });

  test('content changed after signing: the signature fails', () => {
    const r = unpackDirect(readFileSync(p('tampered.eml')), { keys: keys() });
    expect(r.ok).toBe(false);
    expect(r.issues.some((i) => i.code === 'security' && /signature does not verify/.test(i.message))).toBe(
      true,
    );
  });

  test('encrypted message without the recipient key configured: a clear security error', () => {
    const r = unpackDirect(readFileSync(p('secure.eml')), {});
    expect(r.ok).toBe(false);
    expect(r.issues[0]!.message).toMatch(/no decryption certificate and key are configured/);
  });

  test('a plain message is read, with warnings that Direct requires encryption and signing', () => {
    const r = unpackDirect(readFileSync(p('plain.eml')));
    expect(r.ok).toBe(true);
    expect(r.issues.filter((i) => i.code === 'security').map((i) => i.severity)).toEqual([
      'warning',
      'warning',
    ]);
  });

  test('XDM zip: the document under IHE_XDM is found, METADATA.XML and the index are not documents', () => {
    const r = unpackDirect(readFileSync(p('package.zip')));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.map((d) => d.location)).toEqual(['zip > IHE_XDM/SUBSET01/DOC0001.XML']);
  });

  test('zip bomb: inflation stops at the limit with a clear issue', () => {
    const r = unpackDirect(readFileSync(p('bomb.zip')));
    expect(r.ok).toBe(false);
    expect(r.issues[0]!.message).toMatch(/inflates to \d+ bytes; the limit is/);
  });

  test('`rxbridge convert secure.eml` with the keys prints the FHIR Bundle; without a trusted anchor exits 1', async () => {
    const [good, bad] = await Promise.all([
      runRxbridge(
        [
          'convert',
          p('secure.eml'),
          '--smime-cert',
          p('pharmacy.pem'),
          '--smime-key',
          p('pharmacy.key'),
          '--trust-anchors',
          p('hospital.pem'),
        ],
        { cwd: dir },
      ),
      runRxbridge(
        [
          'convert',
          p('secure.eml'),
          '--smime-cert',
          p('pharmacy.pem'),
          '--smime-key',
          p('pharmacy.key'),
          '--trust-anchors',
          p('stranger.pem'),
        ],
        { cwd: dir },
      ),
    ]);
    expect(good.code).toBe(0);
    const bundle = JSON.parse(good.stdout) as { entry: { resource: { resourceType: string } }[] };
    expect(bundle.entry.filter((e) => e.resource.resourceType === 'MedicationRequest')).toHaveLength(2);
    expect(good.stderr).toMatch(/C-CDA Discharge summary: 10 of 11 entries mapped/);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toBe('');
    expect(bad.stderr).toMatch(/signature does not verify/);
  }, 60_000);
});
