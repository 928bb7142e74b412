// An AuditLog whose write failures become AuditUnavailable: a PHI response waits on its audit entry and is
// refused (503, nothing disclosed) when the entry cannot be written.
import { ErrorCode, RxBridgeError } from '../../kernel/errors.ts';
import type { AuditLog } from './audit-log.ts';

export function guardedAudit(inner: AuditLog): AuditLog {
  return {
    record: async (entry) => {
      try {
        return await inner.record(entry);
      } catch (error) {
        throw new RxBridgeError(
          ErrorCode.AuditUnavailable,
          'the audit log cannot be written; the data is withheld until it can',
          { cause: error },
        );
      }
    },
    list: (filter) => inner.list(filter),
    verify: () => inner.verify(),
  };
}
