// Row <-> record conversion shared by the SQLite and PostgreSQL rollout adapters (times as epoch ms, bodies as JSON).
import type { TextSealer } from '../../governance/crypto/text-sealer.ts';
import { cohortKey, normalizeCohort, type ModeSetting, type Workflow } from './rollout-model.ts';
import type { AlertRecord, Decision, EngineRun } from './rollout-store.ts';

export type RolloutRow = Record<string, unknown>;

function n(value: unknown): number {
  return typeof value === 'string' ? Number(value) : (value as number);
}

/**
 * Encryption at rest for row bodies that name patients or medicines (runs, decisions, cohorts with patient lists).
 * `open` must accept plaintext too (rows written before a key was configured).
 */
export type BodySealer = TextSealer;

export const PLAINTEXT: BodySealer = { seal: (t) => t, open: (t) => t };

const COHORT_AAD = 'rollout:cohort';

/** Serializers for one store, sealing with `sealer`. */
export function rowCodec(sealer: BodySealer = PLAINTEXT) {
  return {
    cohortText(cohort: ModeSetting['cohort']): string | null {
      return cohort ? sealer.seal(JSON.stringify(cohort), COHORT_AAD) : null;
    },
    settingFromRow(row: RolloutRow): ModeSetting {
      const raw = row['cohort'];
      const cohort = normalizeCohort(
        typeof raw === 'string'
          ? (JSON.parse(sealer.open(raw, COHORT_AAD)) as ModeSetting['cohort'])
          : undefined,
      );
      const setting: ModeSetting = {
        id: n(row['id']),
        workflow: row['workflow'] as Workflow,
        mode: row['mode'] as ModeSetting['mode'],
        cohortKey: cohortKey(cohort),
        actor: String(row['actor']),
        reason: String(row['reason']),
        at: new Date(n(row['at'])),
      };
      if (cohort) setting.cohort = cohort;
      return setting;
    },
    runText(run: EngineRun): string {
      return sealer.seal(JSON.stringify(run), `rollout:run:${run.key}`);
    },
    runFromRow(row: RolloutRow): EngineRun {
      const text = sealer.open(String(row['body']), `rollout:run:${String(row['key'])}`);
      const run = JSON.parse(text) as EngineRun & { receivedAt: string; at: string };
      return { ...run, receivedAt: new Date(run.receivedAt), at: new Date(run.at) };
    },
    decisionText(decision: Decision): string {
      return sealer.seal(JSON.stringify(decision), `rollout:decision:${decision.key}`);
    },
    decisionFromRow(row: RolloutRow): Decision {
      const text = sealer.open(String(row['body']), `rollout:decision:${String(row['key'])}`);
      const d = JSON.parse(text) as Decision & { at: string };
      return { ...d, at: new Date(d.at) };
    },
  };
}

export function alertFromRow(row: RolloutRow): AlertRecord {
  const alert: AlertRecord = {
    id: n(row['id']),
    key: String(row['key']),
    workflow: String(row['workflow']),
    rule: String(row['rule']),
    severity: row['severity'] as AlertRecord['severity'],
    value: n(row['value']),
    threshold: n(row['threshold']),
    message: String(row['message']),
    firstAt: new Date(n(row['first_at'])),
    lastAt: new Date(n(row['last_at'])),
    count: n(row['count']),
  };
  if (row['notified_at'] !== null && row['notified_at'] !== undefined)
    alert.notifiedAt = new Date(n(row['notified_at']));
  if (row['resolved_at'] !== null && row['resolved_at'] !== undefined)
    alert.resolvedAt = new Date(n(row['resolved_at']));
  return alert;
}

/** Table definitions; `BIGINT` times in epoch ms. `serial` differs per database and is passed in. */
export function rolloutTables(serial: string): string[] {
  return [
    `CREATE TABLE IF NOT EXISTS rollout_settings (id ${serial}, workflow TEXT NOT NULL, mode TEXT NOT NULL,
      cohort_key TEXT NOT NULL, cohort TEXT, actor TEXT NOT NULL, reason TEXT NOT NULL, at BIGINT NOT NULL)`,
    `CREATE TABLE IF NOT EXISTS rollout_runs (key TEXT PRIMARY KEY, workflow TEXT NOT NULL, at BIGINT NOT NULL,
      body TEXT NOT NULL)`,
    `CREATE INDEX IF NOT EXISTS rollout_runs_at ON rollout_runs (workflow, at)`,
    `CREATE TABLE IF NOT EXISTS rollout_decisions (key TEXT PRIMARY KEY, workflow TEXT NOT NULL,
      message_id TEXT NOT NULL, at BIGINT NOT NULL, body TEXT NOT NULL)`,
    `CREATE INDEX IF NOT EXISTS rollout_decisions_at ON rollout_decisions (workflow, at)`,
    `CREATE TABLE IF NOT EXISTS rollout_writes (key TEXT PRIMARY KEY, workflow TEXT NOT NULL, at BIGINT NOT NULL)`,
    `CREATE TABLE IF NOT EXISTS rollout_alerts (id ${serial}, key TEXT NOT NULL, workflow TEXT NOT NULL,
      rule TEXT NOT NULL, severity TEXT NOT NULL, value DOUBLE PRECISION NOT NULL,
      threshold DOUBLE PRECISION NOT NULL, message TEXT NOT NULL, first_at BIGINT NOT NULL,
      last_at BIGINT NOT NULL, count INTEGER NOT NULL, notified_at BIGINT, resolved_at BIGINT)`,
  ];
}
