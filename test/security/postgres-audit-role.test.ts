// S4 (PostgreSQL): the application's role can read and append audit rows but never UPDATE, DELETE or TRUNCATE them
// (a grant set up by migration); it can still do its ordinary work on the other tables.
import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { openPostgresGovernanceStore } from '../../src/governance/store/postgres/postgres-governance-store.ts';
import { openPostgresStore, type PostgresStore } from '../../src/platform/store/postgres/postgres-store.ts';
import {
  describeWithPostgres,
  dropSchemas,
  postgresAvailable,
  randomSchemaName,
  testDatabaseUrl,
} from '../../src/platform/store/postgres/test-database.ts';

const url = testDatabaseUrl();
const availability = await postgresAvailable(url);

describeWithPostgres('the application role on audit rows', availability, () => {
  const schema = randomSchemaName('rxb_s4');
  let store: PostgresStore;
  let client: pg.Client;

  beforeAll(async () => {
    store = await openPostgresStore({ url, schema });
    const governance = await openPostgresGovernanceStore({ url, schema });
    await governance.close();
    await store.audit.record({
      actor: 'user:a',
      action: 'read',
      category: 'task',
      source: 't',
      outcome: 'success',
    });
    await store.messages.append({
      channel: 'mllp:t',
      format: 'hl7v2',
      idempotencyKey: 'k1',
      partitionKey: 'p1',
      raw: Buffer.from('MSH|'),
    });
    client = new pg.Client({ connectionString: url });
    await client.connect();
    await client.query(`SET search_path TO ${schema}`);
    await client.query('SET ROLE rxbridge_app');
  });
  afterAll(async () => {
    await client?.end();
    await store?.close();
    await dropSchemas(url, [schema]);
  });

  const code = async (sql: string): Promise<string | undefined> => {
    try {
      await client.query(sql);
      return undefined;
    } catch (error) {
      return (error as { code?: string }).code;
    }
  };

  it('refuses UPDATE, DELETE and TRUNCATE of audit rows with insufficient_privilege (42501)', async () => {
    expect(await code(`UPDATE audit_log SET actor = 'user:mallory'`)).toBe('42501');
    expect(await code('DELETE FROM audit_log')).toBe('42501');
    expect(await code('TRUNCATE audit_log')).toBe('42501');
    expect(await code(`UPDATE gov_checkpoints SET doc = '{}'::jsonb`)).toBe('42501');
    expect(await code('DELETE FROM gov_break_glass')).toBe('42501');
  });

  it('lets the role read and append audit rows and do its ordinary work elsewhere', async () => {
    const { rows } = await client.query<{ n: string }>('SELECT count(*) AS n FROM audit_log');
    expect(Number(rows[0]?.n)).toBeGreaterThan(0);
    expect(
      await code(
        `INSERT INTO audit_log (seq, at, actor, action, category, source, outcome, prev_hash, hash)
         VALUES (1000, now(), 'user:x', 'read', 'task', 't', 'success', 'p', 'h')`,
      ),
    ).toBeUndefined();
    expect(
      await code(`UPDATE messages SET attempts = attempts WHERE idempotency_key = 'k1'`),
    ).toBeUndefined();
    expect(await code(`INSERT INTO gov_checkpoints (seq, doc) VALUES (5000, '{}'::jsonb)`)).toBeUndefined();
  });
});
