// FhirResourceStore on a SQLite file (node:sqlite): one row per resource, watermarks and bulk checkpoints beside.
// Resources are patient data: with a sealer (the engine's keyring) their JSON is encrypted at rest; type, id,
// version and lastUpdated stay readable for lookups and incremental sync.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DatabaseSync, type StatementSync } from 'node:sqlite';
import type { Resource } from '@medplum/fhirtypes';
import type { TextSealer } from '../../governance/crypto/text-sealer.ts';
import type { BulkCheckpoint, FhirResourceStore, UpsertCounts } from './fhir-resource-store.ts';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS ehr_resource (
  endpoint TEXT NOT NULL,
  type TEXT NOT NULL,
  id TEXT NOT NULL,
  version TEXT,
  last_updated TEXT,
  json TEXT NOT NULL,
  UNIQUE (endpoint, type, id)
);
CREATE TABLE IF NOT EXISTS ehr_watermark (
  endpoint TEXT NOT NULL,
  key TEXT NOT NULL,
  value TEXT NOT NULL,
  PRIMARY KEY (endpoint, key)
);
CREATE TABLE IF NOT EXISTS ehr_patient_link (
  endpoint TEXT NOT NULL,
  pharmacy_patient TEXT NOT NULL,
  ehr_patient TEXT NOT NULL,
  linked_at TEXT NOT NULL,
  PRIMARY KEY (endpoint, pharmacy_patient)
);
CREATE TABLE IF NOT EXISTS ehr_bulk_checkpoint (
  endpoint TEXT PRIMARY KEY,
  state TEXT NOT NULL
);
`;

/** `sealer` (keyringSealer) encrypts each resource's JSON at rest, its row as associated data. */
export function openSqliteFhirStore(path: string, sealer?: TextSealer): FhirResourceStore {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const db = new DatabaseSync(path);
  db.exec('PRAGMA journal_mode = WAL');
  db.exec('PRAGMA synchronous = NORMAL');
  db.exec('PRAGMA busy_timeout = 5000');
  // Bulk imports write hundreds of MB: a 64 MB page cache and fewer WAL checkpoints keep inserts cheap.
  db.exec('PRAGMA cache_size = -65536');
  db.exec('PRAGMA wal_autocheckpoint = 10000');
  db.exec(SCHEMA);
  const select = db.prepare('SELECT json FROM ehr_resource WHERE endpoint = ? AND type = ? AND id = ?');
  const insert = db.prepare(
    `INSERT INTO ehr_resource (endpoint, type, id, version, last_updated, json) VALUES (?, ?, ?, ?, ?, ?)
     ON CONFLICT (endpoint, type, id) DO UPDATE SET version = excluded.version,
       last_updated = excluded.last_updated, json = excluded.json
     WHERE ehr_resource.json IS NOT excluded.json`,
  );
  const aadOf = (endpoint: string, type: string, id: string): string => `ehr:${endpoint}/${type}/${id}`;
  const sealed = (endpoint: string, r: Resource, json: string): string =>
    sealer ? sealer.seal(json, aadOf(endpoint, r.resourceType, r.id ?? '')) : json;
  const opened = (endpoint: string, type: string, id: string, json: string): string =>
    sealer ? sealer.open(json, aadOf(endpoint, type, id)) : json;
  const saveCheckpoint = db.prepare(
    'INSERT INTO ehr_bulk_checkpoint (endpoint, state) VALUES (?, ?) ON CONFLICT (endpoint) DO UPDATE SET state = excluded.state',
  );
  const deleteCheckpoint = db.prepare('DELETE FROM ehr_bulk_checkpoint WHERE endpoint = ?');

  function write(stmt: StatementSync, endpoint: string, r: Resource, json: string): number {
    return Number(
      stmt.run(
        endpoint,
        r.resourceType,
        r.id ?? '',
        r.meta?.versionId ?? null,
        r.meta?.lastUpdated ?? null,
        sealed(endpoint, r, json),
      ).changes,
    );
  }

  function inTransaction<T>(fn: () => T): T {
    db.exec('BEGIN IMMEDIATE');
    try {
      const out = fn();
      db.exec('COMMIT');
      return out;
    } catch (error) {
      db.exec('ROLLBACK');
      throw error;
    }
  }

  return {
    upsert(endpoint, resources) {
      return inTransaction(() => {
        const counts: UpsertCounts = { inserted: 0, updated: 0, unchanged: 0 };
        for (const r of resources) {
          const row = select.get(endpoint, r.resourceType, r.id ?? '') as { json: string } | undefined;
          const json = JSON.stringify(r);
          // Compared in plaintext: a sealed row's ciphertext differs on every write.
          if (row !== undefined && opened(endpoint, r.resourceType, r.id ?? '', row.json) === json) {
            counts.unchanged++;
            continue;
          }
          write(insert, endpoint, r, json);
          if (row !== undefined) counts.updated++;
          else counts.inserted++;
        }
        return counts;
      });
    },
    upsertBulk(endpoint, resources, checkpoint) {
      inTransaction(() => {
        for (const r of resources) write(insert, endpoint, r.resource, r.json);
        saveCheckpoint.run(endpoint, JSON.stringify(checkpoint));
      });
    },
    get(endpoint, type, id) {
      const row = select.get(endpoint, type, id) as { json: string } | undefined;
      return row === undefined ? undefined : (JSON.parse(opened(endpoint, type, id, row.json)) as Resource);
    },
    count(endpoint, type) {
      const row = (
        type === undefined
          ? db.prepare('SELECT count(*) AS n FROM ehr_resource WHERE endpoint = ?').get(endpoint)
          : db
              .prepare('SELECT count(*) AS n FROM ehr_resource WHERE endpoint = ? AND type = ?')
              .get(endpoint, type)
      ) as { n: number };
      return Number(row.n);
    },
    watermark(endpoint, key) {
      const row = db
        .prepare('SELECT value FROM ehr_watermark WHERE endpoint = ? AND key = ?')
        .get(endpoint, key) as { value: string } | undefined;
      return row?.value;
    },
    setWatermark(endpoint, key, value) {
      db.prepare(
        'INSERT INTO ehr_watermark (endpoint, key, value) VALUES (?, ?, ?) ON CONFLICT (endpoint, key) DO UPDATE SET value = excluded.value',
      ).run(endpoint, key, value);
    },
    bulkCheckpoint(endpoint) {
      const row = db.prepare('SELECT state FROM ehr_bulk_checkpoint WHERE endpoint = ?').get(endpoint) as
        { state: string } | undefined;
      return row === undefined ? undefined : (JSON.parse(row.state) as BulkCheckpoint);
    },
    saveBulkCheckpoint(endpoint, checkpoint) {
      if (checkpoint === undefined) deleteCheckpoint.run(endpoint);
      else saveCheckpoint.run(endpoint, JSON.stringify(checkpoint));
    },
    patientLink(endpoint, pharmacyPatientId) {
      const row = db
        .prepare('SELECT ehr_patient FROM ehr_patient_link WHERE endpoint = ? AND pharmacy_patient = ?')
        .get(endpoint, pharmacyPatientId) as { ehr_patient: string } | undefined;
      return row?.ehr_patient;
    },
    setPatientLink(endpoint, pharmacyPatientId, ehrPatientId, at) {
      const changes = db
        .prepare(
          `INSERT INTO ehr_patient_link (endpoint, pharmacy_patient, ehr_patient, linked_at) VALUES (?, ?, ?, ?)
           ON CONFLICT (endpoint, pharmacy_patient) DO UPDATE SET ehr_patient = excluded.ehr_patient,
             linked_at = excluded.linked_at
           WHERE ehr_patient_link.ehr_patient IS NOT excluded.ehr_patient`,
        )
        .run(endpoint, pharmacyPatientId, ehrPatientId, at).changes;
      return Number(changes) > 0;
    },
    patientLinks(endpoint) {
      const rows = db
        .prepare(
          'SELECT pharmacy_patient, ehr_patient, linked_at FROM ehr_patient_link WHERE endpoint = ? ORDER BY pharmacy_patient',
        )
        .all(endpoint) as Array<{ pharmacy_patient: string; ehr_patient: string; linked_at: string }>;
      return rows.map((r) => ({
        pharmacyPatientId: r.pharmacy_patient,
        ehrPatientId: r.ehr_patient,
        linkedAt: r.linked_at,
      }));
    },
    close() {
      db.close();
    },
  };
}
