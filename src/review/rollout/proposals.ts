// What the engine would do about each discrepancy, in fields a pharmacist's action can be compared with.
// The action is the workspace's own proposal (task-model proposedAction), so suggest and auto mode agree on it.
import type { Discrepancy } from '../../reconcile/discrepancy.ts';
import { proposedAction, type ItemAction, type ReviewItem } from '../task-model.ts';

/**
 * A change to one pharmacy prescription, in the shape of the workspace's PrescriptionChange (outbound pharmacy
 * writer) without who and why, which the gate adds. `key` is deterministic: a replay never writes twice.
 */
export interface PharmacyWrite {
  key: string;
  patientId: string;
  prescriptionId: string;
  action: 'discontinue' | 'hold' | 'update-regimen';
  drug: string;
  sig?: string;
  strength?: { value: number; unit: string };
  frequencyPerDay?: number;
}

/**
 * Comparable fields, as strings: `action` (discontinue, hold, update-regimen, add-note, none), `drug`,
 * `prescription`, `strength`, `frequency`. A pharmacist's action is written in the same fields, so agreement is
 * counted field by field.
 */
export type ActionFields = Record<string, string>;

/** Where a proposal ended up. */
export type Disposition = 'recorded' | 'task' | 'auto-applied' | 'review' | 'error';

export interface ProposedItem {
  /** The discrepancy id (stable across runs; the task item id). */
  itemId: string;
  type: string;
  priority: string;
  drug: string;
  prescriptionId?: string;
  /** Extraction confidence of the EHR side (1 when the item has no EHR side). */
  confidence: number;
  fields: ActionFields;
  write?: PharmacyWrite;
  disposition: Disposition;
  /** Why an item did not go the way its mode suggests (a guardrail, an error), or the auto write's reason. */
  note?: string;
}

export function drugKey(name: string): string {
  return name.trim().toLowerCase();
}

/** Builds the comparable fields; absent values are left out so "not said" never counts as disagreement. */
export function actionFields(input: {
  action: string;
  drug: string;
  prescriptionId?: string | undefined;
  strength?: { value: number; unit: string } | undefined;
  frequencyPerDay?: number | undefined;
}): ActionFields {
  const fields: ActionFields = { action: input.action, drug: drugKey(input.drug) };
  const regimen = input.action === 'update-regimen';
  if (input.prescriptionId !== undefined && input.action !== 'add-note' && input.action !== 'none')
    fields['prescription'] = input.prescriptionId;
  if (regimen && input.strength)
    fields['strength'] = `${input.strength.value} ${input.strength.unit.toLowerCase()}`;
  if (regimen && input.frequencyPerDay !== undefined)
    fields['frequency'] = String(Number(input.frequencyPerDay.toFixed(4)));
  return fields;
}

/** The fields of a workspace ItemAction on an item (a pharmacist's decision, or the engine's proposal). */
export function fieldsOfAction(
  action: ItemAction,
  drug: string,
  prescriptionId: string | undefined,
): ActionFields {
  return actionFields({
    action: action.kind,
    drug,
    prescriptionId,
    strength: action.strength,
    frequencyPerDay: action.frequencyPerDay,
  });
}

/** The discrepancy as the task shows it (the workspace's ReviewItem). */
export function reviewItemOf(d: Discrepancy): ReviewItem {
  return {
    id: d.id,
    type: d.type,
    priority: d.priority,
    drug: d.drug,
    suggestedAction: d.suggestedAction,
    ehr: (d.ehr ?? null) as Record<string, unknown> | null,
    pharmacy: (d.pharmacy ?? null) as Record<string, unknown> | null,
    evidence: d.evidence ?? null,
  };
}

export function proposeItem(
  d: Discrepancy,
  patientId: string,
  workflow: string,
): Omit<ProposedItem, 'disposition'> {
  const action = proposedAction(reviewItemOf(d));
  const prescriptionId = d.pharmacy?.id;
  const item: Omit<ProposedItem, 'disposition'> = {
    itemId: d.id,
    type: d.type,
    priority: d.priority,
    drug: d.drug,
    confidence: d.ehr?.confidence ?? 1,
    fields: fieldsOfAction(action, d.drug, prescriptionId),
  };
  if (prescriptionId !== undefined) item.prescriptionId = prescriptionId;
  if (
    prescriptionId !== undefined &&
    (action.kind === 'discontinue' || action.kind === 'hold' || action.kind === 'update-regimen')
  ) {
    const write: PharmacyWrite = {
      key: `${workflow}:${d.id}`,
      patientId,
      prescriptionId,
      action: action.kind,
      drug: d.drug,
    };
    if (action.sig !== undefined) write.sig = action.sig;
    if (action.strength) write.strength = { ...action.strength };
    if (action.frequencyPerDay !== undefined) write.frequencyPerDay = action.frequencyPerDay;
    item.write = write;
  }
  return item;
}
