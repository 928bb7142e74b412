// Test helper: where the test PostgreSQL is, and "require it in CI, skip visibly elsewhere" for suites that need it.
import pg from 'pg';
import { beforeAll, describe, it } from 'vitest';

export function testDatabaseUrl(): string {
  return process.env.RXBRIDGE_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
}

export interface PostgresAvailability {
  available: boolean;
  /** Why not, when unavailable (no credentials in it). */
  reason?: string;
}

/** One short connection attempt; never throws. */
export async function postgresAvailable(url: string = testDatabaseUrl()): Promise<PostgresAvailability> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3_000 });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query('SELECT 1');
    return { available: true };
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    const where = new URL(url).host;
    return {
      available: false,
      reason: `PostgreSQL unreachable at ${where}${typeof code === 'string' ? ` (${code})` : ''}`,
    };
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * Runs `body` as a describe block when PostgreSQL answers. Otherwise: in CI (CI=true) the block fails in beforeAll
 * with the reason; elsewhere it is skipped with the reason in its name.
 */
export function describeWithPostgres(
  name: string,
  availability: PostgresAvailability,
  body: () => void,
): void {
  if (availability.available) {
    describe(name, body);
    return;
  }
  const reason = availability.reason ?? 'PostgreSQL unavailable';
  if (process.env.CI === 'true') {
    describe(name, () => {
      beforeAll(() => {
        throw new Error(`${reason}; CI requires it (set RXBRIDGE_TEST_PG_URL)`);
      });
      it('needs PostgreSQL', () => undefined);
    });
    return;
  }
  describe.skip(`${name} (skipped: ${reason})`, body);
}

/** A random schema name, so test files can run in parallel against one database. */
export function randomSchemaName(prefix = 'rxb_test'): string {
  return `${prefix}_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 10)}`;
}

/** Drops the given schemas (with everything in them); best effort. */
export async function dropSchemas(url: string, schemas: readonly string[]): Promise<void> {
  if (schemas.length === 0) return;
  const client = new pg.Client({ connectionString: url });
  client.on('error', () => undefined);
  try {
    await client.connect();
    for (const schema of schemas) {
      if (/^[a-z_][a-z0-9_]*$/.test(schema)) await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    }
  } finally {
    await client.end().catch(() => undefined);
  }
}
