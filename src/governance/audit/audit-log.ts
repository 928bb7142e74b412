// AuditLog port: an append-only, hash-chained record of every access to patient data (ASTM E2147 fields).

export const AuditAction = {
  Ingest: 'ingest',
  Read: 'read',
  Create: 'create',
  Update: 'update',
  Delete: 'delete',
  Replay: 'replay',
  Export: 'export',
  Execute: 'execute',
  Login: 'login',
} as const;
export type AuditAction = (typeof AuditAction)[keyof typeof AuditAction];

export type AuditOutcome = 'success' | 'failure' | 'denied';

export interface AuditEntry {
  /** Who: `user:<id>`, `system:<component>`, `api-key:<id>`. */
  actor: string;
  action: AuditAction;
  /** Data category: message, task, patient, profile, medication, config, audit... */
  category: string;
  /** Internal patient reference (never written to logs). */
  patient?: string;
  /** Where from: channel, HTTP route, CLI command. */
  source: string;
  outcome: AuditOutcome;
  /** What object: message id, task id... */
  entity?: string;
  detail?: string;
}

export interface AuditRecord extends AuditEntry {
  seq: number;
  at: Date;
  prevHash: string;
  hash: string;
}

export interface AuditFilter {
  patient?: string;
  actor?: string;
  action?: AuditAction;
  entity?: string;
  category?: string;
  outcome?: AuditOutcome;
  since?: Date;
  /** Only entries before this time. */
  until?: Date;
  /** Exactly this sequence number (checkpoint checks). */
  seq?: number;
  /** Only entries with a lower sequence number (paging newest first). */
  beforeSeq?: number;
  limit?: number;
}

export interface AuditVerifyResult {
  ok: boolean;
  checked: number;
  /** First sequence number whose hash or link does not hold. */
  firstBadSeq?: number;
  problem?: string;
}

export interface AuditLog {
  /** Durable before it resolves; concurrent records share one commit and one chain. */
  record(entry: AuditEntry): Promise<AuditRecord>;
  list(filter: AuditFilter): Promise<AuditRecord[]>;
  /** Recomputes the chain from the first entry. */
  verify(): Promise<AuditVerifyResult>;
}
