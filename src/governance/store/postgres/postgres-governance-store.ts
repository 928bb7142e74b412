// PostgreSQL adapter of the GovernanceStore: gov_* tables in the engine's schema.
import pg from 'pg';
import type {
  ApiKeyRecord,
  BreakGlassRecord,
  CheckpointRecord,
  ConsentRecord,
  GovernanceStore,
  SessionRecord,
  UserRecord,
} from '../../governance-store.ts';

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS gov_users (id text PRIMARY KEY, username text NOT NULL UNIQUE, doc jsonb NOT NULL);
  CREATE TABLE IF NOT EXISTS gov_sessions (
    id_hash text PRIMARY KEY, user_id text NOT NULL, created_at bigint NOT NULL,
    last_seen_at bigint NOT NULL, expires_at bigint NOT NULL);
  CREATE INDEX IF NOT EXISTS gov_sessions_user ON gov_sessions (user_id);
  CREATE TABLE IF NOT EXISTS gov_api_keys (id text PRIMARY KEY, doc jsonb NOT NULL);
  CREATE TABLE IF NOT EXISTS gov_checkpoints (seq bigint PRIMARY KEY, doc jsonb NOT NULL);
  CREATE TABLE IF NOT EXISTS gov_consents (id text PRIMARY KEY, patient_index text NOT NULL, doc jsonb NOT NULL);
  CREATE INDEX IF NOT EXISTS gov_consents_patient ON gov_consents (patient_index);
  CREATE TABLE IF NOT EXISTS gov_break_glass (
    id text PRIMARY KEY, user_id text NOT NULL, granted_at bigint NOT NULL, expires_at bigint NOT NULL,
    doc jsonb NOT NULL);
  CREATE INDEX IF NOT EXISTS gov_break_glass_time ON gov_break_glass (granted_at);
  -- Checkpoints and break-glass grants are evidence: the application role may add them, never change them.
  DO $$
  BEGIN
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'rxbridge_app') THEN
      REVOKE UPDATE, DELETE, TRUNCATE ON gov_checkpoints, gov_break_glass FROM rxbridge_app;
    END IF;
  END $$;
`;

export interface PostgresGovernanceOptions {
  url: string;
  schema?: string;
}

export async function openPostgresGovernanceStore(
  options: PostgresGovernanceOptions,
): Promise<GovernanceStore> {
  const schema = options.schema ?? 'rxbridge';
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) throw new Error(`invalid PostgreSQL schema name: ${schema}`);
  const pool = new pg.Pool({
    connectionString: options.url,
    max: 4,
    options: `-c search_path=${schema}`,
  });
  pool.on('error', () => undefined);
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`rxbridge-governance:${schema}`]);
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
    await client.query(`SET LOCAL search_path TO ${schema}`);
    await client.query(SCHEMA);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    client.release();
    await pool.end();
    throw error;
  }
  client.release();
  const q = async (sql: string, params: unknown[] = []): Promise<Array<Record<string, unknown>>> =>
    (await pool.query(sql, params)).rows as Array<Record<string, unknown>>;
  const docs = async <T>(sql: string, params: unknown[] = []): Promise<T[]> =>
    (await q(sql, params)).map((r) => r.doc as T);
  const first = async <T>(sql: string, params: unknown[]): Promise<T | undefined> =>
    (await docs<T>(sql, params))[0];
  const session = (r: Record<string, unknown>): SessionRecord => ({
    idHash: String(r.id_hash),
    userId: String(r.user_id),
    createdAt: Number(r.created_at),
    lastSeenAt: Number(r.last_seen_at),
    expiresAt: Number(r.expires_at),
  });
  return {
    users: {
      put: async (u) =>
        void (await q(
          'INSERT INTO gov_users (id, username, doc) VALUES ($1, $2, $3) ON CONFLICT (id) DO UPDATE SET username = EXCLUDED.username, doc = EXCLUDED.doc',
          [u.id, u.username, JSON.stringify(u)],
        )),
      byUsername: (name) => first<UserRecord>('SELECT doc FROM gov_users WHERE username = $1', [name]),
      byId: (id) => first<UserRecord>('SELECT doc FROM gov_users WHERE id = $1', [id]),
      list: () => docs<UserRecord>('SELECT doc FROM gov_users ORDER BY username'),
    },
    sessions: {
      put: async (x) =>
        void (await q(
          `INSERT INTO gov_sessions (id_hash, user_id, created_at, last_seen_at, expires_at) VALUES ($1, $2, $3, $4, $5)
           ON CONFLICT (id_hash) DO UPDATE SET last_seen_at = EXCLUDED.last_seen_at`,
          [x.idHash, x.userId, x.createdAt, x.lastSeenAt, x.expiresAt],
        )),
      get: async (idHash) => {
        const [row] = await q('SELECT * FROM gov_sessions WHERE id_hash = $1', [idHash]);
        return row ? session(row) : undefined;
      },
      touch: async (idHash, at) =>
        void (await q('UPDATE gov_sessions SET last_seen_at = $1 WHERE id_hash = $2', [at, idHash])),
      remove: async (idHash) => void (await q('DELETE FROM gov_sessions WHERE id_hash = $1', [idHash])),
      removeForUser: async (userId) =>
        void (await q('DELETE FROM gov_sessions WHERE user_id = $1', [userId])),
    },
    apiKeys: {
      put: async (k) =>
        void (await q(
          'INSERT INTO gov_api_keys (id, doc) VALUES ($1, $2) ON CONFLICT (id) DO UPDATE SET doc = EXCLUDED.doc',
          [k.id, JSON.stringify(k)],
        )),
      get: (id) => first<ApiKeyRecord>('SELECT doc FROM gov_api_keys WHERE id = $1', [id]),
      list: () => docs<ApiKeyRecord>('SELECT doc FROM gov_api_keys ORDER BY id'),
    },
    checkpoints: {
      add: async (c) =>
        void (await q('INSERT INTO gov_checkpoints (seq, doc) VALUES ($1, $2) ON CONFLICT (seq) DO NOTHING', [
          c.seq,
          JSON.stringify(c),
        ])),
      list: () => docs<CheckpointRecord>('SELECT doc FROM gov_checkpoints ORDER BY seq'),
    },
    consents: {
      put: async (c) =>
        void (await q(
          'INSERT INTO gov_consents (id, patient_index, doc) VALUES ($1, $2, $3) ON CONFLICT (id) DO UPDATE SET patient_index = EXCLUDED.patient_index, doc = EXCLUDED.doc',
          [c.id, c.patientIndex, JSON.stringify(c)],
        )),
      forPatient: (index) =>
        docs<ConsentRecord>('SELECT doc FROM gov_consents WHERE patient_index = $1 ORDER BY id', [index]),
    },
    breakGlass: {
      add: async (g) =>
        void (await q(
          'INSERT INTO gov_break_glass (id, user_id, granted_at, expires_at, doc) VALUES ($1, $2, $3, $4, $5)',
          [g.id, g.userId, g.grantedAt, g.expiresAt, JSON.stringify(g)],
        )),
      since: (at) =>
        docs<BreakGlassRecord>('SELECT doc FROM gov_break_glass WHERE granted_at >= $1 ORDER BY granted_at', [
          at,
        ]),
      active: (userId, now) =>
        first<BreakGlassRecord>(
          'SELECT doc FROM gov_break_glass WHERE user_id = $1 AND expires_at > $2 ORDER BY expires_at DESC LIMIT 1',
          [userId, now],
        ),
    },
    close: () => pool.end(),
  };
}
