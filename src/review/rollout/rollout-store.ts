// RolloutStore port: mode settings, what the engine did or would have done, pharmacists' decisions, alerts.
import type { ModeSetting, NewModeSetting, RolloutMode, Workflow } from './rollout-model.ts';
import type { ActionFields, ProposedItem } from './proposals.ts';

/** One workflow run on one message: what the engine proposed and where each proposal went. */
export interface EngineRun {
  /** `<workflow>:<messageId>`: a replay or redelivery records nothing new. */
  key: string;
  workflow: Workflow;
  mode: RolloutMode;
  /** The cohort setting that decided the mode (`*` for the default). */
  cohortKey: string;
  messageId: string;
  patientId: string;
  site?: string;
  receivedAt: Date;
  at: Date;
  /** From receipt to the engine's decision. */
  latencyMs: number;
  /** Mean extraction confidence of everything read from the message (data-anomaly signal). */
  meanConfidence?: number;
  items: ProposedItem[];
  error?: string;
}

/**
 * What a pharmacist did. approve/edit/reject answer a proposal (suggest or auto mode); `manual` is work done
 * without a proposal (shadow or off mode, or something the engine missed); `reverse` undoes an auto-applied write.
 */
export type Verdict = 'approve' | 'edit' | 'reject' | 'manual' | 'reverse';

export interface Decision {
  /** Idempotency key chosen by the recorder. */
  key: string;
  workflow: Workflow;
  messageId: string;
  patientId: string;
  /** The proposal answered (a discrepancy id), when there was one. */
  itemId?: string;
  verdict: Verdict;
  /** The action as the pharmacist decided it, in the proposal's fields. */
  fields: ActionFields;
  pharmacist: string;
  at: Date;
  reason?: string;
}

export interface RunFilter {
  workflow?: Workflow;
  since?: Date;
  until?: Date;
}

export type AlertSeverity = 'warning' | 'critical';

export interface AlertInput {
  /** Dedupe key: `<rule>:<workflow>`. */
  key: string;
  workflow: string;
  rule: string;
  severity: AlertSeverity;
  value: number;
  threshold: number;
  message: string;
  at: Date;
}

export interface AlertRecord extends Omit<AlertInput, 'at'> {
  id: number;
  firstAt: Date;
  lastAt: Date;
  /** How many evaluations found it firing while open. */
  count: number;
  notifiedAt?: Date;
  resolvedAt?: Date;
}

export interface RolloutStore {
  addSetting(setting: NewModeSetting): Promise<ModeSetting>;
  /** Oldest first. */
  settings(workflow?: Workflow): Promise<ModeSetting[]>;
  /** False when a run with the same key exists. */
  saveRun(run: EngineRun): Promise<boolean>;
  /** Oldest first. */
  runs(filter: RunFilter): Promise<EngineRun[]>;
  /** False when a decision with the same key exists. */
  saveDecision(decision: Decision): Promise<boolean>;
  decisions(filter: RunFilter): Promise<Decision[]>;
  /** Claims an auto write's key: true the first time only (idempotence and rate caps). */
  claimWrite(key: string, workflow: Workflow, at: Date): Promise<boolean>;
  /** Gives a claim back when the write failed, so a retry can apply it. */
  releaseWrite(key: string): Promise<void>;
  countWrites(workflow: Workflow, since: Date): Promise<number>;
  /** Opens an alert, or updates the open one with the same key. */
  raiseAlert(alert: AlertInput): Promise<{ alert: AlertRecord; opened: boolean }>;
  markNotified(id: number, at: Date): Promise<void>;
  /** Resolves the open alert with this key; false when none was open. */
  resolveAlert(key: string, at: Date): Promise<boolean>;
  alerts(filter: { openOnly?: boolean }): Promise<AlertRecord[]>;
  close(): Promise<void>;
}
