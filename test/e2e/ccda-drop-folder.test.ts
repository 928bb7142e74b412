// The C-CDA drop folder against a real SQLite store file: documents stored once each (ClinicalDocument/id is the
// idempotency key), files moved to done/ or failed/ with the reason beside them.
import {
  copyFileSync,
  existsSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { scanDropFolder } from '../../src/inbound/files/drop-folder.ts';
import { openSqliteStore } from '../../src/platform/store/sqlite/sqlite-store.ts';
import type { SqliteStore } from '../../src/platform/store/sqlite/sqlite-store.ts';

const FIXTURE = fileURLToPath(new URL('../fixtures/ccda/discharge-summary.xml', import.meta.url));
let dir = '';
let drop = '';
let store: SqliteStore;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'rxbridge-drop-'));
  drop = path.join(dir, 'inbox');
  store = await openSqliteStore({ path: path.join(dir, 'store.db') });
});

afterAll(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('C-CDA drop folder', () => {
  test('new document stored, resend recorded as duplicate, malformed file set aside with its reason', async () => {
    const seen = new Map<string, string>();
    await scanDropFolder({ dir: drop, store: store.messages, settleMs: 0 }, seen); // creates the folders
    copyFileSync(FIXTURE, path.join(drop, 'a.xml'));
    copyFileSync(FIXTURE, path.join(drop, 'b-resent.xml'));
    writeFileSync(path.join(drop, 'broken.xml'), '<ClinicalDocument xmlns="urn:hl7-org:v3"><id root="1"/>');
    writeFileSync(path.join(drop, 'notes.txt'), 'ignored');
    // First scan only notes the files (they may still be being written); the second one reads them.
    expect(await scanDropFolder({ dir: drop, store: store.messages, settleMs: 0 }, seen)).toEqual({
      stored: 0,
      duplicates: 0,
      failedFiles: [],
    });
    const scan = await scanDropFolder({ dir: drop, store: store.messages, settleMs: 0 }, seen);
    expect(scan).toEqual({ stored: 1, duplicates: 1, failedFiles: ['broken.xml'] });

    expect(readdirSync(path.join(drop, 'done')).sort()).toEqual(['a.xml', 'b-resent.xml']);
    expect(readdirSync(path.join(drop, 'failed')).sort()).toEqual(['broken.xml', 'broken.xml.issues.txt']);
    expect(readFileSync(path.join(drop, 'failed', 'broken.xml.issues.txt'), 'utf8')).toMatch(
      /error structure at broken\.xml line 1 column \d+: not well-formed XML: element <ClinicalDocument> is not closed/,
    );
    expect(existsSync(path.join(drop, 'notes.txt'))).toBe(true);

    const stored = await store.messages.list({ channel: 'files:inbox' });
    expect(stored).toHaveLength(2);
    const original = stored.find((m) => m.duplicateOf === null)!;
    expect(original).toMatchObject({
      format: 'ccda',
      idempotencyKey: 'ccda:2.16.840.1.113883.19.5.99999.1|DS-0001',
      partitionKey: '2.16.840.1.113883.19.5.99999.2|MRN-1001',
      summary: { type: 'Discharge summary' },
    });
    expect(Buffer.from(original.raw).toString('utf8')).toBe(readFileSync(FIXTURE, 'utf8'));
    expect(stored.find((m) => m.duplicateOf !== null)?.duplicateOf).toBe(original.id);
  });
});
