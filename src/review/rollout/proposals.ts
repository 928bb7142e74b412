// What the engine would do about each discrepancy, in fields a pharmacist's action can be compared with.
import type { Discrepancy } from '../../reconcile/discrepancy.ts';

/** The action a discrepancy calls for. `review` means no write: a pharmacist has to look. */
export type ProposedActionKind = 'discontinue' | 'hold' | 'update-regimen' | 'review';

/** A change to one pharmacy prescription; `key` is deterministic, so a replay never writes twice. */
export interface PharmacyWrite {
  key: string;
  patientId: string;
  prescriptionId: string;
  status?: 'active' | 'discontinued' | 'on-hold';
  /** New strength per unit (the regimen the discharge list gives). */
  strength?: { value: number; unit: string };
  frequencyPerDay?: number;
}

/**
 * Comparable fields, as strings: `action`, `drug`, `prescription`, `strength`, `frequency`. A pharmacist's
 * action is written in the same fields, so agreement is counted field by field.
 */
export type ActionFields = Record<string, string>;

/** Where a proposal ended up. */
export type Disposition = 'recorded' | 'task' | 'auto-applied' | 'review' | 'error';

export interface ProposedItem {
  /** The discrepancy id (stable across runs). */
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
  /** Why an item did not go the way its mode suggests (a guardrail, an error). */
  note?: string;
}

export function drugKey(name: string): string {
  return name.trim().toLowerCase();
}

function strengthText(s: { value: number; unit: string } | undefined): string | undefined {
  return s ? `${s.value} ${s.unit.toLowerCase()}` : undefined;
}

/** Builds the comparable fields; absent values are left out so "not said" never counts as disagreement. */
export function actionFields(input: {
  action: ProposedActionKind;
  drug: string;
  prescriptionId?: string | undefined;
  strength?: { value: number; unit: string } | undefined;
  frequencyPerDay?: number | undefined;
}): ActionFields {
  const fields: ActionFields = { action: input.action, drug: drugKey(input.drug) };
  if (input.prescriptionId !== undefined) fields['prescription'] = input.prescriptionId;
  const strength = strengthText(input.strength);
  if (strength !== undefined) fields['strength'] = strength;
  if (input.frequencyPerDay !== undefined)
    fields['frequency'] = String(Number(input.frequencyPerDay.toFixed(4)));
  return fields;
}

function actionOf(d: Discrepancy): ProposedActionKind {
  if (d.type === 'discontinued-still-active' || d.type === 'discontinued-still-filling') return 'discontinue';
  if (d.type === 'held-still-active') return 'hold';
  if (d.type === 'dose-change' || d.type === 'frequency-change') return 'update-regimen';
  return 'review';
}

export function proposeItem(
  d: Discrepancy,
  patientId: string,
  workflow: string,
): Omit<ProposedItem, 'disposition'> {
  const action = actionOf(d);
  const prescriptionId = d.pharmacy?.id;
  const strength = action === 'update-regimen' ? (d.ehr?.strength ?? d.ehr?.dose) : undefined;
  const frequencyPerDay = action === 'update-regimen' ? d.ehr?.frequencyPerDay : undefined;
  const item: Omit<ProposedItem, 'disposition'> = {
    itemId: d.id,
    type: d.type,
    priority: d.priority,
    drug: d.drug,
    confidence: d.ehr?.confidence ?? 1,
    fields: actionFields({ action, drug: d.drug, prescriptionId, strength, frequencyPerDay }),
  };
  if (prescriptionId !== undefined) item.prescriptionId = prescriptionId;
  if (action !== 'review' && prescriptionId !== undefined) {
    const write: PharmacyWrite = { key: `${workflow}:${d.id}`, patientId, prescriptionId };
    if (action === 'discontinue') write.status = 'discontinued';
    if (action === 'hold') write.status = 'on-hold';
    if (strength) write.strength = { ...strength };
    if (frequencyPerDay !== undefined) write.frequencyPerDay = frequencyPerDay;
    item.write = write;
  }
  return item;
}
