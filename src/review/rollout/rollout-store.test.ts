// The RolloutStore contract against a real SQLite file and a real PostgreSQL schema.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe } from 'vitest';
import {
  describeWithPostgres,
  dropSchemas,
  postgresAvailable,
  randomSchemaName,
  testDatabaseUrl,
  // eslint-disable-next-line rxbridge/pipeline-boundaries -- the test helper for the real PostgreSQL
} from '../../platform/store/postgres/test-database.ts';
import { openPostgresRolloutStore } from './postgres/postgres-rollout-store.ts';
import { rolloutStoreContract } from './rollout-store.contract.ts';
import { openSqliteRolloutStore } from './sqlite/sqlite-rollout-store.ts';

describe('SQLite rollout store', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rxb-rollout-'));
  let n = 0;
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  rolloutStoreContract(() => Promise.resolve(openSqliteRolloutStore(join(dir, `rollout-${++n}.db`))));
});

const availability = await postgresAvailable();
const schemas: string[] = [];
describeWithPostgres('PostgreSQL rollout store', availability, () => {
  afterAll(() => dropSchemas(testDatabaseUrl(), schemas));
  rolloutStoreContract(() => {
    const schema = randomSchemaName('rxb_rollout');
    schemas.push(schema);
    return openPostgresRolloutStore({ url: testDatabaseUrl(), schema });
  });
});
