// The review task model: types, lifecycle, SLA and the `work` record (decisions, comments, effects) kept on a task.
import { z } from 'zod';
import { ErrorCode, RxBridgeError } from '../kernel/errors.ts';
import type { Task, TaskPriority, TaskStatus } from '../platform/store/task-store.ts';

/** Every kind of work a pharmacist is asked to do. */
export const ReviewTaskType = {
  DischargeReconciliation: 'discharge-reconciliation',
  MedicationReconciliation: 'medication-reconciliation',
  AllergyConflict: 'allergy-conflict',
  Interaction: 'interaction',
  RenalDose: 'renal-dose',
  AdherenceNote: 'adherence-note',
  PriorAuthorization: 'prior-authorization',
  PostDischargeFollowUp: 'post-discharge-follow-up',
  CareGap: 'care-gap',
  MtmSummary: 'mtm-summary',
  /** A message or effect that could not be processed: the exception queue. */
  Exception: 'exception',
  /** A dispense reported by the pharmacy system (RDS^O13), to be sent to the EHR as a MedicationDispense. */
  DispenseReport: 'dispense-report',
  /** A vaccination reported by the pharmacy system (VXU^V04), to be sent to the EHR and the immunization registry. */
  ImmunizationReport: 'immunization-report',
} as const;
export type ReviewTaskType = (typeof ReviewTaskType)[keyof typeof ReviewTaskType];
export const REVIEW_TASK_TYPES = Object.values(ReviewTaskType) as [ReviewTaskType, ...ReviewTaskType[]];

export const TASK_TYPE_LABELS: Record<ReviewTaskType, string> = {
  'discharge-reconciliation': 'Discharge reconciliation',
  'medication-reconciliation': 'Medication reconciliation',
  'allergy-conflict': 'Allergy conflict',
  interaction: 'Interaction',
  'renal-dose': 'Renal dose',
  'adherence-note': 'Adherence note to PCP',
  'prior-authorization': 'Prior-authorization packet',
  'post-discharge-follow-up': '7-day post-discharge check-in',
  'care-gap': 'Care gap',
  'mtm-summary': 'MTM summary',
  exception: 'Exception',
  'dispense-report': 'Dispense to EHR',
  'immunization-report': 'Immunization to EHR / registry',
};

/** Service level per priority: how long a task may wait before it is overdue, when it has no due time of its own. */
export const SLA_MS: Record<TaskPriority, number> = {
  high: 4 * 3_600_000,
  medium: 24 * 3_600_000,
  low: 72 * 3_600_000,
};

/** When the task is due: its own due time, else creation plus the priority's SLA. */
export function dueAtOf(task: Pick<Task, 'dueAt' | 'createdAt' | 'priority'>): Date {
  return task.dueAt ?? new Date(task.createdAt.getTime() + SLA_MS[task.priority]);
}

export type SlaState = 'overdue' | 'due-soon' | 'on-time' | 'done';
const FINISHED: ReadonlySet<TaskStatus> = new Set<TaskStatus>(['applied', 'rejected']);
/** Open work: what the queue shows by default. */
export const ACTIVE_STATUSES: readonly TaskStatus[] = ['open', 'claimed', 'approved', 'edited', 'failed'];

export function slaStateOf(
  task: Pick<Task, 'dueAt' | 'createdAt' | 'priority' | 'status'>,
  now: Date,
): SlaState {
  if (FINISHED.has(task.status)) return 'done';
  const left = dueAtOf(task).getTime() - now.getTime();
  if (left < 0) return 'overdue';
  return left < 2 * 3_600_000 ? 'due-soon' : 'on-time';
}

/**
 * The lifecycle: open → claimed → approved | edited | rejected → applied | failed. A claimed task can be released,
 * a failed one retried. The routing policy may take a low-risk task from open straight to approved (auto-apply).
 */
const TRANSITIONS: Record<TaskStatus, readonly TaskStatus[]> = {
  open: ['claimed', 'approved'],
  claimed: ['open', 'approved', 'edited', 'rejected'],
  approved: ['applied', 'failed'],
  edited: ['applied', 'failed'],
  rejected: [],
  applied: [],
  failed: ['applied', 'failed'],
};

export function canMove(from: TaskStatus, to: TaskStatus): boolean {
  return TRANSITIONS[from].includes(to);
}

export function assertMove(from: TaskStatus, to: TaskStatus): void {
  if (!canMove(from, to)) {
    throw new RxBridgeError(ErrorCode.IllegalTransition, `a ${from} task cannot become ${to}`);
  }
}

// ---- the work record -------------------------------------------------------------------------------------

export const ItemDecisionKind = { Approve: 'approve', Edit: 'edit', Reject: 'reject' } as const;
export type ItemDecisionKind = (typeof ItemDecisionKind)[keyof typeof ItemDecisionKind];

/** What to do to the pharmacy prescription; the pharmacist may change the engine's proposal (an edit). */
export const ItemAction = z.strictObject({
  kind: z.enum(['discontinue', 'hold', 'update-regimen', 'add-note', 'none']),
  /** New sig / directions, for update-regimen. */
  sig: z.string().trim().min(1).max(500).optional(),
  strength: z.strictObject({ value: z.number().positive(), unit: z.string().min(1).max(20) }).optional(),
  frequencyPerDay: z.number().positive().max(48).optional(),
  note: z.string().trim().max(2000).optional(),
});
export type ItemAction = z.infer<typeof ItemAction>;

export const ItemDecision = z.strictObject({
  decision: z.enum(['approve', 'edit', 'reject']),
  reason: z.string(),
  action: ItemAction,
  by: z.string(),
  at: z.string(),
});
export type ItemDecision = z.infer<typeof ItemDecision>;

export const TaskComment = z.strictObject({ by: z.string(), at: z.string(), text: z.string() });
export type TaskComment = z.infer<typeof TaskComment>;

export const EffectRecord = z.strictObject({
  key: z.string(),
  /** pharmacy | ehr */
  target: z.string(),
  kind: z.string(),
  itemId: z.string().optional(),
  status: z.enum(['done', 'failed', 'skipped']),
  detail: z.string(),
  reference: z.string().optional(),
  at: z.string(),
  attempts: z.number().int(),
});
export type EffectRecord = z.infer<typeof EffectRecord>;

export const TaskWork = z.object({
  decisions: z.record(z.string(), ItemDecision).default({}),
  comments: z.array(TaskComment).default([]),
  effects: z.record(z.string(), EffectRecord).default({}),
  /** The note to the PCP: drafted by the engine, edited by the pharmacist. */
  note: z.string().optional(),
  /** Whole-task outcome for tasks without items (follow-ups), or the summary of the item decisions. */
  outcome: z
    .strictObject({
      decision: z.enum(['approve', 'edit', 'reject']),
      reason: z.string(),
      by: z.string(),
      at: z.string(),
    })
    .optional(),
  history: z
    .array(
      z.strictObject({ at: z.string(), by: z.string(), from: z.string(), to: z.string(), note: z.string() }),
    )
    .default([]),
  routing: z.string().optional(),
});
export type TaskWork = z.infer<typeof TaskWork>;

export function workOf(task: Pick<Task, 'work'>): TaskWork {
  const parsed = TaskWork.safeParse(task.work ?? {});
  return parsed.success ? parsed.data : TaskWork.parse({});
}

// ---- the payload items (written by the pipeline) ----------------------------------------------------------

export interface ReviewItem {
  id: string;
  type: string;
  priority: TaskPriority;
  drug: string;
  suggestedAction: string;
  ehr: Record<string, unknown> | null;
  pharmacy: Record<string, unknown> | null;
  evidence: Record<string, unknown> | null;
  confidence?: number;
}

export function itemsOf(task: Pick<Task, 'payload'>): ReviewItem[] {
  const payload = (task.payload ?? {}) as { items?: unknown };
  return Array.isArray(payload.items) ? (payload.items as ReviewItem[]) : [];
}

/** The engine's proposal for an item, from its discrepancy type: what approving it does to the pharmacy profile. */
export function proposedAction(item: ReviewItem): ItemAction {
  const ehr = (item.ehr ?? {}) as {
    strength?: { value: number; unit: string };
    frequencyPerDay?: number;
    evidence?: { text?: string };
  };
  switch (item.type) {
    // Reports of what the pharmacy already did: approving sends them out and changes nothing in the pharmacy.
    case 'dispense-report':
    case 'immunization-report':
      return { kind: 'none' };
    case 'commission':
    case 'discontinued-still-active':
    case 'discontinued-still-filling':
      return { kind: 'discontinue' };
    case 'held-still-active':
      return { kind: 'hold' };
    case 'dose-change':
    case 'frequency-change':
    case 'route-change':
    case 'formulation-change': {
      const sig = ehr.evidence?.text?.trim();
      return {
        kind: 'update-regimen',
        ...(ehr.strength ? { strength: ehr.strength } : {}),
        ...(typeof ehr.frequencyPerDay === 'number' ? { frequencyPerDay: ehr.frequencyPerDay } : {}),
        ...(sig ? { sig: sig.slice(0, 500) } : {}),
      };
    }
    default:
      return { kind: 'add-note', note: item.suggestedAction.slice(0, 2000) };
  }
}

/** The overall status once every item has a decision: rejected if all rejected, edited if any edited. */
export function outcomeOfDecisions(decisions: readonly ItemDecision[]): 'approved' | 'edited' | 'rejected' {
  if (decisions.length > 0 && decisions.every((d) => d.decision === 'reject')) return 'rejected';
  return decisions.some((d) => d.decision === 'edit') ? 'edited' : 'approved';
}
