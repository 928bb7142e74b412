// The audit hash chain: each record's hash covers its fields and the previous record's hash.
import { sha256Hex } from '../../kernel/ids.ts';
import type { AuditEntry, AuditRecord } from './audit-log.ts';

export const GENESIS_HASH = '0'.repeat(64);

/** Canonical form: fixed field order, absent optional fields as empty strings. */
export function auditHash(prevHash: string, seq: number, at: Date, entry: AuditEntry): string {
  const canonical = JSON.stringify([
    seq,
    at.toISOString(),
    entry.actor,
    entry.action,
    entry.category,
    entry.patient ?? '',
    entry.source,
    entry.outcome,
    entry.entity ?? '',
    entry.detail ?? '',
  ]);
  return sha256Hex(`${prevHash}\n${canonical}`);
}

/** Checks one record against the chain so far: its sequence, its link and its own hash. */
export function checkAuditLink(
  record: AuditRecord,
  expectedSeq: number,
  prevHash: string,
): { seq: number; problem: string } | undefined {
  if (record.seq !== expectedSeq) return { seq: expectedSeq, problem: `sequence gap: found ${record.seq}` };
  if (record.prevHash !== prevHash) return { seq: record.seq, problem: 'link to the previous entry broken' };
  const { seq, at, prevHash: _prev, hash, ...entry } = record;
  if (auditHash(prevHash, seq, at, entry) !== hash)
    return { seq: record.seq, problem: 'hash does not match content' };
  return undefined;
}
