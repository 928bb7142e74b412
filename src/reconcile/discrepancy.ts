// What reconciliation reports: matched pairs, and discrepancies with a priority and a pharmacist's next step.
import type { PharmacyFill, PharmacyPrescription } from '../platform/pharmacy/pharmacy-system.ts';
import type { EhrMedication, MedicationEvidence } from './ehr-medication.ts';

/** DOMAIN.md "Reconciliation": the discrepancy types a pharmacist works through. */
export const DiscrepancyType = {
  Omission: 'omission',
  Commission: 'commission',
  DoseChange: 'dose-change',
  FrequencyChange: 'frequency-change',
  RouteChange: 'route-change',
  FormulationChange: 'formulation-change',
  Duplicate: 'duplicate',
  TherapeuticDuplication: 'therapeutic-duplication',
  DiscontinuedStillActive: 'discontinued-still-active',
  HeldStillActive: 'held-still-active',
  /** The EHR lists the drug as stopped, yet the pharmacy has filled it since the stop date. */
  DiscontinuedStillFilling: 'discontinued-still-filling',
  /** A new discharge medicine with a pharmacy prescription but no fill since discharge. */
  NewNotYetFilled: 'new-not-yet-filled',
} as const;
export type DiscrepancyType = (typeof DiscrepancyType)[keyof typeof DiscrepancyType];

export const Priority = { High: 'high', Medium: 'medium', Low: 'low' } as const;
export type Priority = (typeof Priority)[keyof typeof Priority];

export type ReconciliationSource = 'discharge' | 'ehr-list';

export interface PharmacyEvidence {
  prescriptionId: string;
  rxNumber: string;
  sig: string;
  prescriber: string;
  /** Most recent fill on or before `asOf`. */
  lastFill?: PharmacyFill;
}

export interface Discrepancy {
  /** Stable across runs for the same patient, drug, type and evidence. */
  id: string;
  type: DiscrepancyType;
  priority: Priority;
  /** Which priority rule applied. */
  priorityReason: string;
  /** Display name of the drug (ingredient names when known). */
  drug: string;
  ehr?: EhrMedication;
  pharmacy?: PharmacyPrescription;
  /** For duplicates: the other entries involved. */
  others?: Array<{ ehr?: EhrMedication; pharmacy?: PharmacyPrescription }>;
  suggestedAction: string;
  evidence: { ehr?: MedicationEvidence; pharmacy?: PharmacyEvidence };
}

export interface MatchedMedication {
  ehr: EhrMedication;
  pharmacy: PharmacyPrescription;
}

export interface ReconciliationResult {
  /** Same drug with the same dose, frequency and route on both sides. */
  matched: MatchedMedication[];
  /** Highest priority first. */
  discrepancies: Discrepancy[];
  /** One line for the task title; names drugs, never the patient. */
  summary: string;
}
