// Hostile XML: DTDs, external and parameter entities, entity expansion, deep nesting and oversized input are refused
// with a clear issue, no outbound request is ever made (a local HTTP server the entities point at counts 0 hits),
// and memory stays bounded. Run both in-process and through the CLI as a separate process.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { parseSafeXml } from '../../src/inbound/ccda/xml/safe-xml.ts';
import { convertCcda } from '../../src/normalize/ccda/convert-ccda.ts';
import { runRxbridge } from '../support/run-rxbridge.ts';

const FIXTURES = fileURLToPath(new URL('../fixtures/ccda/attacks/', import.meta.url));
const ATTACKS = [
  { file: 'xxe-external-entity.xml', code: 'security', says: /DOCTYPE/ },
  { file: 'xxe-parameter-entity.xml', code: 'security', says: /DOCTYPE/ },
  { file: 'external-dtd.xml', code: 'security', says: /DOCTYPE/ },
  { file: 'billion-laughs.xml', code: 'security', says: /DOCTYPE/ },
  { file: 'undeclared-entity.xml', code: 'security', says: /entity reference &secret; is not accepted/ },
  { file: 'deep-nesting.xml', code: 'too-long', says: /nested deeper than 128 levels/ },
] as const;

let hits: string[] = [];
let port = 0;
const server = createServer((req, res) => {
  hits.push(req.url ?? '');
  res.end('<!ENTITY leaked "secret">');
});
let dir = '';

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
  dir = mkdtempSync(path.join(tmpdir(), 'rxbridge-ccda-attacks-'));
  for (const a of ATTACKS) {
    const text = readFileSync(path.join(FIXTURES, a.file), 'utf8').replaceAll('PORT', String(port));
    writeFileSync(path.join(dir, a.file), text);
  }
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  rmSync(dir, { recursive: true, force: true });
});

describe('hostile C-CDA documents', () => {
  test('the recording server is reachable (so 0 hits below means 0 requests)', async () => {
    const res = await fetch(`http://127.0.0.1:${port}/probe`);
    expect(res.status).toBe(200);
    expect(hits).toEqual(['/probe']);
    hits = [];
  });

  for (const a of ATTACKS) {
    test(`${a.file}: refused in-process with one ${a.code} issue, no request`, () => {
      const result = convertCcda(readFileSync(path.join(dir, a.file), 'utf8'));
      expect(result.ok).toBe(false);
      expect(result.issues).toHaveLength(1);
      expect(result.issues[0]).toMatchObject({ severity: 'error', code: a.code });
      expect(result.issues[0]!.message).toMatch(a.says);
      expect(result.issues[0]!.path).toMatch(/^line \d+ column \d+$/);
      expect(hits).toEqual([]);
    });
  }

  // The documents that name a URL, through the CLI as a separate process (the others are covered in-process above).
  const NETWORK = ATTACKS.filter((a) => a.file.startsWith('xxe') || a.file === 'external-dtd.xml');

  test('every URL-bearing attack through `rxbridge convert` (a separate process): exit 1, the reason on stderr, no request', async () => {
    expect(NETWORK).toHaveLength(3);
    const runs = await Promise.all(
      NETWORK.map((a) => runRxbridge(['convert', path.join(dir, a.file)], { cwd: dir })),
    );
    for (const [i, a] of NETWORK.entries()) {
      const run = runs[i]!;
      expect(run.code, a.file).toBe(1);
      expect(run.stdout).toBe('');
      expect(run.stderr).toMatch(a.says);
      expect(run.stderr).not.toMatch(/\n\s+at /); // no stack trace
    }
    // Give any stray connection time to land before counting.
    await new Promise((r) => setTimeout(r, 200));
    expect(hits).toEqual([]);
  }, 60_000);

  test('bounded memory: a 1,000,000-level nesting and a 1 GB-if-expanded document are refused after reading a prefix', () => {
    const deep = `<ClinicalDocument xmlns="urn:hl7-org:v3">${'<a>'.repeat(1_000_000)}`;
    const laughs = readFileSync(path.join(dir, 'billion-laughs.xml'), 'utf8');
    const before = process.memoryUsage().heapUsed;
    const started = performance.now();
    const d = parseSafeXml(deep);
    const l = parseSafeXml(laughs);
    const elapsed = performance.now() - started;
    const grown = process.memoryUsage().heapUsed - before;
    expect(d.ok).toBe(false);
    expect(d.issues[0]!.code).toBe('too-long');
    expect(l.ok).toBe(false);
    expect(elapsed).toBeLessThan(500);
    // The refused tree never exceeds 128 open elements; nothing near the input's size is allocated.
    expect(grown).toBeLessThan(32 * 1024 * 1024);
  });

  test('limits: size, attribute length, attribute count and element count each give their own issue', () => {
    const small = { maxChars: 1000, maxDepth: 128, maxAttributeChars: 64, maxAttributes: 4, maxElements: 10 };
    const big = parseSafeXml(`<a>${'x'.repeat(2000)}</a>`, small);
    expect(big.issues[0]).toMatchObject({ code: 'too-long', path: '/' });
    expect(big.issues[0]!.message).toMatch(/limit is 1000/);
    const attr = parseSafeXml(`<a b="${'x'.repeat(100)}"/>`, small);
    expect(attr.issues[0]!.message).toMatch(/attribute b on <a> is 100 characters; the limit is 64/);
    const many = parseSafeXml('<a b="1" c="2" d="3" e="4" f="5"/>', small);
    expect(many.issues[0]!.message).toMatch(/more than 4 attributes/);
    const count = parseSafeXml(`<a>${'<b/>'.repeat(20)}</a>`, small);
    expect(count.issues[0]!.message).toMatch(/more than 10 elements/);
  });
});
