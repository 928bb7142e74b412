// The RolloutStore contract against a real SQLite file and a real PostgreSQL schema, plain and encrypted at rest.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterAll, describe, expect, it } from 'vitest';
import {
  describeWithPostgres,
  dropSchemas,
  postgresAvailable,
  randomSchemaName,
  testDatabaseUrl,
  // eslint-disable-next-line rxbridge/pipeline-boundaries -- the test helper for the real PostgreSQL
} from '../../platform/store/postgres/test-database.ts';
import { ephemeralKeyring } from '../../governance/crypto/keyring.ts';
import { keyringSealer } from '../../governance/crypto/text-sealer.ts';
import { openPostgresRolloutStore } from './postgres/postgres-rollout-store.ts';
import { rolloutStoreContract } from './rollout-store.contract.ts';
import { openSqliteRolloutStore } from './sqlite/sqlite-rollout-store.ts';

describe('SQLite rollout store', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rxb-rollout-'));
  let n = 0;
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  rolloutStoreContract(() => Promise.resolve(openSqliteRolloutStore(join(dir, `rollout-${++n}.db`))));

  describe('with bodies encrypted at rest', () => {
    const sealer = keyringSealer(ephemeralKeyring());
    rolloutStoreContract(() =>
      Promise.resolve(openSqliteRolloutStore(join(dir, `sealed-${++n}.db`), sealer)),
    );

    it('keeps no patient id, medicine or patient list in plaintext, and reads rows written before the key', async () => {
      const path = join(dir, 'raw.db');
      const plain = openSqliteRolloutStore(path);
      await plain.saveDecision({
        key: 'old',
        workflow: 'discharge-reconciliation',
        messageId: 'm0',
        patientId: 'P0001',
        verdict: 'manual',
        fields: { action: 'discontinue', drug: 'atorvastatin' },
        pharmacist: 'user:rph',
        at: new Date(0),
      });
      await plain.close();
      const store = openSqliteRolloutStore(path, sealer);
      await store.saveDecision({
        key: 'new',
        workflow: 'discharge-reconciliation',
        messageId: 'm1',
        patientId: 'P0005',
        verdict: 'manual',
        fields: { action: 'discontinue', drug: 'amlodipine' },
        pharmacist: 'user:rph',
        at: new Date(1),
      });
      await store.addSetting({
        workflow: 'discharge-reconciliation',
        mode: 'auto',
        cohort: { patients: ['P0099'] },
        actor: 'user:a',
        reason: 'one patient pilot',
        at: new Date(2),
      });
      expect((await store.decisions({})).map((d) => d.fields['drug'])).toEqual([
        'atorvastatin',
        'amlodipine',
      ]);
      expect((await store.settings())[0]?.cohort).toEqual({ patients: ['P0099'] });
      await store.close();
      const raw = new DatabaseSync(path);
      const text = JSON.stringify([
        raw.prepare("SELECT body FROM rollout_decisions WHERE key = 'new'").all(),
        raw.prepare('SELECT cohort FROM rollout_settings').all(),
      ]);
      raw.close();
      expect(text).not.toMatch(/P0005|amlodipine|P0099/);
    });
  });
});

const availability = await postgresAvailable();
const schemas: string[] = [];
describeWithPostgres('PostgreSQL rollout store', availability, () => {
  afterAll(() => dropSchemas(testDatabaseUrl(), schemas));
  rolloutStoreContract(() => {
    const schema = randomSchemaName('rxb_rollout');
    schemas.push(schema);
    return openPostgresRolloutStore({
      url: testDatabaseUrl(),
      schema,
      ...(schemas.length % 2 === 0 ? { sealer: keyringSealer(ephemeralKeyring()) } : {}),
    });
  });
});
