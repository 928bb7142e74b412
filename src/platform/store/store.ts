// A Store bundles the ports one database serves; adapters (sqlite/, postgres/) return one of these.
import type { AuditLog } from '../../governance/audit/audit-log.ts';
import type { MessageStore } from './message-store.ts';
import type { TaskStore } from './task-store.ts';

export interface Store {
  readonly kind: 'sqlite' | 'postgres';
  readonly messages: MessageStore;
  readonly tasks: TaskStore;
  readonly audit: AuditLog;
  /** Cheap round trip for readiness checks; rejects when the database is unreachable. */
  ping(): Promise<void>;
  close(): Promise<void>;
}
