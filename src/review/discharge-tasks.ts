// Turns a discharge reconciliation into the pharmacist's tasks: the reconciliation itself and a 7-day follow-up.
import type { ExtractedMedication } from '../extract/rules/extracted-medication.ts';
import type { PatientMatch } from '../platform/pharmacy/pharmacy-system.ts';
import type { StoredMessage } from '../platform/store/message-store.ts';
import type { NewTask, TaskPriority } from '../platform/store/task-store.ts';
import type { ReconciliationResult } from '../reconcile/discrepancy.ts';

export const TaskType = {
  DischargeReconciliation: 'discharge-reconciliation',
  PostDischargeFollowUp: 'post-discharge-follow-up',
} as const;
export type TaskType = (typeof TaskType)[keyof typeof TaskType];

const DAY_MS = 86_400_000;
/** Reconciliation is due within a day of discharge; the follow-up call seven days after it. */
const RECONCILIATION_DUE_MS = DAY_MS;
const FOLLOW_UP_DAYS = 7;

const PRIORITY_RANK: Record<TaskPriority, number> = { high: 3, medium: 2, low: 1 };

export function highestPriority(priorities: readonly TaskPriority[]): TaskPriority {
  let best: TaskPriority = 'low';
  for (const p of priorities) if (PRIORITY_RANK[p] > PRIORITY_RANK[best]) best = p;
  return best;
}

export interface DischargeTaskInput {
  message: StoredMessage;
  match: PatientMatch;
  result: ReconciliationResult;
  medications: ExtractedMedication[];
  sourceText: string[];
  dischargedAt: Date;
}

/** A reconciliation's discrepancies as task items (what the task view shows side by side, with evidence). */
export function discrepancyItems(result: ReconciliationResult) {
  return result.discrepancies.map((d) => ({
    id: d.id,
    type: d.type,
    priority: d.priority,
    drug: d.drug,
    suggestedAction: d.suggestedAction,
    ehr: d.ehr ?? null,
    pharmacy: d.pharmacy ?? null,
    evidence: d.evidence ?? null,
  }));
}

export function dischargeTasksFor(input: DischargeTaskInput): NewTask[] {
  const { message, match, result } = input;
  const p = match.patient;
  const patient = {
    pharmacyPatientId: p.id,
    sourceIdentifier: message.partitionKey,
    display: `${p.family.toUpperCase()}, ${p.given} (${p.id})`,
  };
  const items = discrepancyItems(result);
  const source = {
    messageId: message.id,
    type: message.summary.type ?? null,
    controlId: message.summary.controlId ?? null,
    text: input.sourceText,
  };
  const reconciliation: NewTask = {
    key: `${TaskType.DischargeReconciliation}:${message.id}`,
    type: TaskType.DischargeReconciliation,
    priority: highestPriority(items.map((i) => i.priority)),
    patient,
    site: p.site,
    sourceMessageId: message.id,
    dueAt: new Date(input.dischargedAt.getTime() + RECONCILIATION_DUE_MS),
    payload: {
      summary: result.summary,
      items,
      matched: result.matched,
      extracted: input.medications,
      patientMatch: match.method,
      source,
    },
  };
  const followUp: NewTask = {
    key: `${TaskType.PostDischargeFollowUp}:${message.id}`,
    type: TaskType.PostDischargeFollowUp,
    priority: 'medium',
    patient,
    site: p.site,
    sourceMessageId: message.id,
    dueAt: new Date(input.dischargedAt.getTime() + FOLLOW_UP_DAYS * DAY_MS),
    payload: {
      summary: `Call ${p.given} ${p.family} ${FOLLOW_UP_DAYS} days after discharge: adherence to the new regimen, side effects, questions.`,
      items: [],
      source,
    },
  };
  return [reconciliation, followUp];
}
