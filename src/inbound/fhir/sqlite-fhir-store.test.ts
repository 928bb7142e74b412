// The EHR resource store on a real SQLite file: with the keyring's sealer no patient data is readable in the file,
// lookups and change counts still work, and rows written before sealing are still read.
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Patient } from '@medplum/fhirtypes';
import { afterEach, expect, test } from 'vitest';
import { ephemeralKeyring } from '../../governance/crypto/keyring.ts';
import { keyringSealer } from '../../governance/crypto/text-sealer.ts';
import { openSqliteFhirStore } from './sqlite-fhir-store.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const sealerOf = () => keyringSealer(ephemeralKeyring());

const CANARY = 'Zephyrine-Quillfeather';
const patient = (family: string): Patient => ({
  resourceType: 'Patient',
  id: 'p1',
  meta: { versionId: '1', lastUpdated: '2026-11-21T10:00:00Z' },
  name: [{ family, given: ['Ada'] }],
});

test('sealed: the file holds no patient data; get, counts and unchanged detection still work', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rxb-ehrstore-'));
  dirs.push(dir);
  const path = join(dir, 'ehr.db');
  const store = openSqliteFhirStore(path, sealerOf());
  expect(store.upsert('ehr', [patient(CANARY)])).toEqual({ inserted: 1, updated: 0, unchanged: 0 });
  expect(store.upsert('ehr', [patient(CANARY)])).toEqual({ inserted: 0, updated: 0, unchanged: 1 });
  expect(store.upsert('ehr', [patient(`${CANARY}-Two`)])).toEqual({ inserted: 0, updated: 1, unchanged: 0 });
  expect((store.get('ehr', 'Patient', 'p1') as Patient).name?.[0]?.family).toBe(`${CANARY}-Two`);
  expect(store.count('ehr', 'Patient')).toBe(1);
  store.close();
  for (const file of readdirSync(dir)) {
    expect(readFileSync(join(dir, file)).includes(Buffer.from(CANARY)), file).toBe(false);
  }
});

test('without a sealer the same file is plaintext (the control), and a sealed store still reads those rows', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rxb-ehrstore-'));
  dirs.push(dir);
  const path = join(dir, 'ehr.db');
  const plain = openSqliteFhirStore(path);
  plain.upsert('ehr', [patient(CANARY)]);
  plain.close();
  const found = readdirSync(dir).some((f) => readFileSync(join(dir, f)).includes(Buffer.from(CANARY)));
  expect(found).toBe(true);
  const sealed = openSqliteFhirStore(path, sealerOf());
  expect((sealed.get('ehr', 'Patient', 'p1') as Patient).name?.[0]?.family).toBe(CANARY);
  sealed.close();
});

test('patient links: new, repeated, moved to another EHR patient, listed per endpoint, kept across reopen', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rxb-ehrstore-'));
  dirs.push(dir);
  const path = join(dir, 'ehr.db');
  const store = openSqliteFhirStore(path, sealerOf());
  expect(store.patientLink('ehr', 'P0001')).toBeUndefined();
  expect(store.setPatientLink('ehr', 'P0001', 'e-1', '2026-11-21T10:00:00Z')).toBe(true);
  expect(store.setPatientLink('ehr', 'P0001', 'e-1', '2026-11-21T11:00:00Z')).toBe(false);
  expect(store.setPatientLink('ehr', 'P0001', 'e-9', '2026-11-21T12:00:00Z')).toBe(true);
  expect(store.setPatientLink('other', 'P0002', 'x-2', '2026-11-21T12:00:00Z')).toBe(true);
  store.close();
  const again = openSqliteFhirStore(path, sealerOf());
  expect(again.patientLink('ehr', 'P0001')).toBe('e-9');
  expect(again.patientLinks('ehr')).toEqual([
    { pharmacyPatientId: 'P0001', ehrPatientId: 'e-9', linkedAt: '2026-11-21T12:00:00Z' },
  ]);
  expect(again.patientLinks('other').map((l) => l.ehrPatientId)).toEqual(['x-2']);
  again.close();
});
