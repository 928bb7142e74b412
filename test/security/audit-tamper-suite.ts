// S4 trials (used by audit-tamper.test.ts and run.ts): random modify / delete / insert / reorder / truncate of the audit log, each detected by the verification behind
// `rxbridge audit verify` (hash chain + head + signed checkpoints); the CLI itself on a tampered file; FHIR export.
import { auditHash } from '../../src/governance/audit/audit-hash.ts';
import type { AuditEntry } from '../../src/governance/audit/audit-log.ts';
import { verifyAuditTrail, writeCheckpoint } from '../../src/governance/audit/checkpoints.ts';
import { ephemeralKeyring, type Keyring } from '../../src/governance/crypto/keyring.ts';
import type { GovernanceStore } from '../../src/governance/governance-store.ts';
import { openSqliteGovernanceStore } from '../../src/governance/store/sqlite/sqlite-governance-store.ts';
import { openSqliteStore, type SqliteStore } from '../../src/platform/store/sqlite/sqlite-store.ts';

export const TAMPER_KINDS = ['modify', 'delete', 'insert', 'reorder', 'truncate'] as const;
export type TamperKind = (typeof TAMPER_KINDS)[number];

const ENTRIES = 40;
const FIELDS = [
  'actor',
  'action',
  'category',
  'patient',
  'source',
  'outcome',
  'entity',
  'detail',
  'at',
] as const;

const rnd = (n: number): number => Math.floor(Math.random() * n);

export function entry(i: number): AuditEntry {
  return {
    actor: `user:u${i % 5}`,
    action: (['read', 'update', 'ingest', 'export'] as const)[i % 4]!,
    category: 'task',
    patient: `P${i % 7}`,
    source: 'GET /api/tasks/:id',
    outcome: 'success',
    entity: `task-${i}`,
    detail: `entry ${i}`,
  };
}

interface Row {
  seq: number;
  at: number;
  actor: string;
  action: string;
  category: string;
  patient: string | null;
  source: string;
  outcome: string;
  entity: string | null;
  detail: string | null;
  hash: string;
}

const q = (v: string | null): string => (v === null ? 'NULL' : `'${v.replace(/'/g, "''")}'`);

/** The SQL an attacker with write access to the database file runs (guards dropped first). */
async function tamper(store: SqliteStore, kind: TamperKind, rows: Row[]): Promise<string> {
  const n = rows.length;
  const exec = (sql: string) => store.execRaw(sql);
  await exec('DROP TRIGGER IF EXISTS audit_log_no_update; DROP TRIGGER IF EXISTS audit_log_no_delete;');
  switch (kind) {
    case 'modify': {
      const seq = 1 + rnd(n);
      const field = FIELDS[rnd(FIELDS.length)]!;
      await exec(
        field === 'at'
          ? `UPDATE audit_log SET at = at + ${1 + rnd(100_000)} WHERE seq = ${seq}`
          : `UPDATE audit_log SET ${field} = ${q(`forged-${rnd(1e9)}`)} WHERE seq = ${seq}`,
      );
      return `modify ${field} of ${seq}`;
    }
    case 'delete': {
      const seq = 1 + rnd(n);
      await exec(`DELETE FROM audit_log WHERE seq = ${seq}`);
      return `delete ${seq}`;
    }
    case 'insert': {
      // A forged entry after entry k, hashed correctly onto k; later entries renumbered and the head moved on.
      const k = 1 + rnd(n - 1);
      const prev = rows[k - 1]!;
      const at = new Date(prev.at + 1);
      const forged = { ...entry(999), actor: 'user:mallory' };
      const hash = auditHash(prev.hash, k + 1, at, forged);
      await exec(`UPDATE audit_log SET seq = seq + 1000000 WHERE seq > ${k}`);
      await exec(`UPDATE audit_log SET seq = seq - 999999 WHERE seq > 1000000`);
      await exec(
        `INSERT INTO audit_log (seq, at, actor, action, category, patient, source, outcome, entity, detail, prev_hash, hash)
         VALUES (${k + 1}, ${at.getTime()}, ${q(forged.actor)}, ${q(forged.action)}, ${q(forged.category)}, ${q(forged.patient ?? null)},
         ${q(forged.source)}, ${q(forged.outcome)}, ${q(forged.entity ?? null)}, ${q(forged.detail ?? null)}, ${q(prev.hash)}, ${q(hash)})`,
      );
      await exec(
        `UPDATE audit_head SET seq = ${n + 1}, hash = (SELECT hash FROM audit_log WHERE seq = ${n + 1})`,
      );
      return `insert after ${k}`;
    }
    case 'reorder': {
      const a = 1 + rnd(n);
      let b = 1 + rnd(n);
      while (b === a) b = 1 + rnd(n);
      await exec(`UPDATE audit_log SET seq = -1 WHERE seq = ${a}`);
      await exec(`UPDATE audit_log SET seq = ${a} WHERE seq = ${b}`);
      await exec(`UPDATE audit_log SET seq = ${b} WHERE seq = -1`);
      return `swap ${a} and ${b}`;
    }
    case 'truncate': {
      // Drop the last entries and move the head back onto the new last entry (a careful attacker).
      const keep = rnd(n);
      await exec(`DELETE FROM audit_log WHERE seq > ${keep}`);
      await exec(
        keep === 0
          ? `UPDATE audit_head SET seq = 0, hash = '${'0'.repeat(64)}'`
          : `UPDATE audit_head SET seq = ${keep}, hash = (SELECT hash FROM audit_log WHERE seq = ${keep})`,
      );
      return `truncate to ${keep}`;
    }
  }
}

export interface TamperFigures {
  trials: number;
  detected: number;
  byKind: Record<TamperKind, { trials: number; detected: number }>;
  missed: string[];
}

/** `perKind` trials of each tampering on a fresh store with a signed checkpoint at its last entry. */
export async function tamperTrials(perKind: number): Promise<TamperFigures> {
  const keyring: Keyring = ephemeralKeyring();
  const figures: TamperFigures = {
    trials: 0,
    detected: 0,
    byKind: Object.fromEntries(
      TAMPER_KINDS.map((k) => [k, { trials: 0, detected: 0 }]),
    ) as TamperFigures['byKind'],
    missed: [],
  };
  for (let i = 0; i < perKind; i++) {
    for (const kind of TAMPER_KINDS) {
      const store = await openSqliteStore({ path: ':memory:' });
      const governance: GovernanceStore = openSqliteGovernanceStore(':memory:');
      try {
        await Promise.all(Array.from({ length: ENTRIES }, (_, j) => store.audit.record(entry(j))));
        await writeCheckpoint(store.audit, governance, keyring);
        const before = await verifyAuditTrail(store.audit, governance, keyring);
        if (!before.ok) throw new Error(`intact log failed verification: ${before.problem}`);
        const rows = (await store.audit.list({ limit: ENTRIES })).reverse().map((r) => ({
          seq: r.seq,
          at: r.at.getTime(),
          actor: r.actor,
          action: r.action,
          category: r.category,
          patient: r.patient ?? null,
          source: r.source,
          outcome: r.outcome,
          entity: r.entity ?? null,
          detail: r.detail ?? null,
          hash: r.hash,
        }));
        const what = await tamper(store, kind, rows);
        const result = await verifyAuditTrail(store.audit, governance, keyring);
        figures.trials += 1;
        figures.byKind[kind].trials += 1;
        if (!result.ok) {
          figures.detected += 1;
          figures.byKind[kind].detected += 1;
        } else figures.missed.push(what);
      } finally {
        await store.close();
        await governance.close();
      }
    }
  }
  return figures;
}
