// POST /api/documents on a real Fastify server over TCP, into a real SQLite store: stored once, duplicates said so,
// refusals are OperationOutcomes.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { registerCcdaUploadRoute } from '../../src/inbound/files/ccda-upload-route.ts';
import { openSqliteStore } from '../../src/platform/store/sqlite/sqlite-store.ts';
import type { SqliteStore } from '../../src/platform/store/sqlite/sqlite-store.ts';

const CCD = readFileSync(new URL('../fixtures/ccda/discharge-summary.xml', import.meta.url));
let dir = '';
let store: SqliteStore;
const app = Fastify();
let base = '';
const notified: string[] = [];

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'rxbridge-upload-'));
  store = await openSqliteStore({ path: path.join(dir, 'store.db') });
  registerCcdaUploadRoute(app, {
    messages: store.messages,
    onStored: (_id, partition) => notified.push(partition),
  });
  base = await app.listen({ port: 0, host: '127.0.0.1' });
});

afterAll(async () => {
  await app.close();
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

const post = (body: Uint8Array | string, type: string) =>
  fetch(`${base}/api/documents`, { method: 'POST', headers: { 'content-type': type }, body });

describe('POST /api/documents', () => {
  test('a C-CDA is stored (202); the same document again is a duplicate of it', async () => {
    const first = await post(CCD, 'application/xml');
    expect(first.status).toBe(202);
    const a = (await first.json()) as { documents: { messageId: string; duplicate: boolean }[] };
    expect(a.documents).toHaveLength(1);
    expect(a.documents[0]!.duplicate).toBe(false);
    const again = await post(CCD, 'application/cda+xml');
    const b = (await again.json()) as { documents: { messageId: string; duplicate: boolean }[] };
    expect(b.documents[0]!.duplicate).toBe(true);
    const stored = await store.messages.get(a.documents[0]!.messageId);
    expect(stored).toMatchObject({ format: 'ccda', channel: 'http:documents', state: 'received' });
    expect(notified).toEqual(['2.16.840.1.113883.19.5.99999.2|MRN-1001']);
  });

  test('hostile XML: 400 OperationOutcome with the security issue, nothing stored', async () => {
    const before = (await store.messages.list({})).length;
    const res = await post('<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>', 'text/xml');
    expect(res.status).toBe(400);
    const outcome = (await res.json()) as {
      resourceType: string;
      issue: { code: string; diagnostics?: string }[];
    };
    expect(outcome.resourceType).toBe('OperationOutcome');
    expect(outcome.issue[0]!.code).toBe('security');
    expect((await store.messages.list({})).length).toBe(before);
  });

  test('an unsupported content type is refused with 415', async () => {
    const res = await post('{"a":1}', 'application/json');
    expect([415, 400]).toContain(res.status);
    const res2 = await post('hello', 'application/pdf');
    expect(res2.status).toBe(415);
  });
});
