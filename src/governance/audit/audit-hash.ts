// The audit hash chain: each record's hash covers its fields and the previous record's hash.
import { sha256Hex } from '../../kernel/ids.ts';
import type { AuditEntry } from './audit-log.ts';

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
