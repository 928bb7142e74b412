// PostgreSQL adapter of the RolloutStore: its own tables in the given schema (the engine's schema is fine).
import pg from 'pg';
import type { ModeSetting, NewModeSetting, Workflow } from '../rollout-model.ts';
import { cohortKey, normalizeCohort } from '../rollout-model.ts';
import { alertFromRow, rolloutTables, type BodySealer, rowCodec, type RolloutRow } from '../rollout-rows.ts';
import type { AlertInput, Decision, EngineRun, RolloutStore, RunFilter } from '../rollout-store.ts';

export interface PostgresRolloutOptions {
  url: string;
  /** Schema for the tables, created if missing; default `public`. */
  schema?: string;
  poolSize?: number;
  /** Encrypts run, decision and cohort bodies at rest (the engine passes its keyring). */
  sealer?: BodySealer;
}

function range(filter: RunFilter): { sql: string; args: Array<string | number> } {
  const where: string[] = [];
  const args: Array<string | number> = [];
  if (filter.workflow) {
    args.push(filter.workflow);
    where.push(`workflow = $${args.length}`);
  }
  if (filter.since) {
    args.push(filter.since.getTime());
    where.push(`at >= $${args.length}`);
  }
  if (filter.until) {
    args.push(filter.until.getTime());
    where.push(`at < $${args.length}`);
  }
  return { sql: where.length ? `WHERE ${where.join(' AND ')}` : '', args };
}

export async function openPostgresRolloutStore(options: PostgresRolloutOptions): Promise<RolloutStore> {
  const codec = rowCodec(options.sealer);
  const schema = options.schema ?? 'public';
  if (!/^[a-z_][a-z0-9_]*$/.test(schema)) throw new Error(`invalid schema name ${JSON.stringify(schema)}`);
  const pool = new pg.Pool({
    connectionString: options.url,
    max: options.poolSize ?? 4,
    options: `-c search_path=${schema}`,
  });
  pool.on('error', () => undefined);
  const q = async (sql: string, args: unknown[] = []): Promise<RolloutRow[]> =>
    (await pool.query(sql, args)).rows as RolloutRow[];
  await q(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
  for (const sql of rolloutTables('BIGSERIAL PRIMARY KEY')) await q(sql);

  return {
    async addSetting(setting: NewModeSetting): Promise<ModeSetting> {
      const cohort = normalizeCohort(setting.cohort);
      const rows = await q(
        `INSERT INTO rollout_settings (workflow, mode, cohort_key, cohort, actor, reason, at)
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING *`,
        [
          setting.workflow,
          setting.mode,
          cohortKey(cohort),
          codec.cohortText(cohort),
          setting.actor,
          setting.reason,
          setting.at.getTime(),
        ],
      );
      return codec.settingFromRow(rows[0] as RolloutRow);
    },
    async settings(workflow?: Workflow) {
      const rows = workflow
        ? await q('SELECT * FROM rollout_settings WHERE workflow = $1 ORDER BY id', [workflow])
        : await q('SELECT * FROM rollout_settings ORDER BY id');
      return rows.map((r) => codec.settingFromRow(r));
    },
    async saveRun(run: EngineRun) {
      const rows = await q(
        'INSERT INTO rollout_runs (key, workflow, at, body) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING RETURNING key',
        [run.key, run.workflow, run.at.getTime(), codec.runText(run)],
      );
      return rows.length === 1;
    },
    async runs(filter: RunFilter) {
      const { sql, args } = range(filter);
      const rows = await q(`SELECT key, body FROM rollout_runs ${sql} ORDER BY at, key`, args);
      return rows.map((r) => codec.runFromRow(r));
    },
    async saveDecision(decision: Decision) {
      const rows = await q(
        `INSERT INTO rollout_decisions (key, workflow, message_id, at, body) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT DO NOTHING RETURNING key`,
        [
          decision.key,
          decision.workflow,
          decision.messageId,
          decision.at.getTime(),
          codec.decisionText(decision),
        ],
      );
      return rows.length === 1;
    },
    async decisions(filter: RunFilter) {
      const { sql, args } = range(filter);
      const rows = await q(`SELECT key, body FROM rollout_decisions ${sql} ORDER BY at, key`, args);
      return rows.map((r) => codec.decisionFromRow(r));
    },
    async claimWrite(key: string, workflow: Workflow, at: Date) {
      const rows = await q(
        'INSERT INTO rollout_writes (key, workflow, at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING RETURNING key',
        [key, workflow, at.getTime()],
      );
      return rows.length === 1;
    },
    async releaseWrite(key: string) {
      await q('DELETE FROM rollout_writes WHERE key = $1', [key]);
    },
    async countWrites(workflow: Workflow, since: Date) {
      const rows = await q('SELECT count(*) AS n FROM rollout_writes WHERE workflow = $1 AND at >= $2', [
        workflow,
        since.getTime(),
      ]);
      return Number(rows[0]?.['n'] ?? 0);
    },
    async raiseAlert(alert: AlertInput) {
      const updated = await q(
        `UPDATE rollout_alerts SET value = $2, threshold = $3, message = $4, severity = $5, last_at = $6,
         count = count + 1 WHERE key = $1 AND resolved_at IS NULL RETURNING *`,
        [alert.key, alert.value, alert.threshold, alert.message, alert.severity, alert.at.getTime()],
      );
      if (updated[0]) return { alert: alertFromRow(updated[0]), opened: false };
      const rows = await q(
        `INSERT INTO rollout_alerts (key, workflow, rule, severity, value, threshold, message, first_at, last_at, count)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8, 1) RETURNING *`,
        [
          alert.key,
          alert.workflow,
          alert.rule,
          alert.severity,
          alert.value,
          alert.threshold,
          alert.message,
          alert.at.getTime(),
        ],
      );
      return { alert: alertFromRow(rows[0] as RolloutRow), opened: true };
    },
    async markNotified(id: number, at: Date) {
      await q('UPDATE rollout_alerts SET notified_at = $1 WHERE id = $2', [at.getTime(), id]);
    },
    async resolveAlert(key: string, at: Date) {
      const rows = await q(
        'UPDATE rollout_alerts SET resolved_at = $1 WHERE key = $2 AND resolved_at IS NULL RETURNING id',
        [at.getTime(), key],
      );
      return rows.length > 0;
    },
    async alerts(filter: { openOnly?: boolean }) {
      const rows = await q(
        `SELECT * FROM rollout_alerts ${filter.openOnly ? 'WHERE resolved_at IS NULL' : ''} ORDER BY id DESC`,
      );
      return rows.map(alertFromRow);
    },
    async close() {
      await pool.end();
    },
  };
}
