// The facts a check reads: the order, the patient, allergies, problems, labs and active medicines.
import type { Amount } from '../terminology/amount.ts';
import type { Terminology } from '../terminology/terminology.ts';

/** A medication order or an active medicine, MedicationRequest-like but flat. */
export interface DrugOrder {
  /** As written ("Amoxicillin 500 mg capsule"). */
  name: string;
  rxcui?: string;
  strength?: Amount;
  dose?: Amount;
  frequencyPerDay?: number;
  route?: string;
  prn?: boolean;
}

export interface CheckPatient {
  /** Age in whole years at the time of the check. */
  age?: number;
  sex?: 'male' | 'female' | 'other' | 'unknown';
  weightKg?: number;
}

export interface CheckAllergy {
  substance: string;
  rxcui?: string;
  reaction?: string;
  severity?: 'mild' | 'moderate' | 'severe';
}

export interface CheckProblem {
  /** ICD-10-CM (with or without the dot) or SNOMED CT code. */
  code?: string;
  system?: string;
  text: string;
}

export interface CheckLab {
  loinc: string;
  value: number;
  unit?: string;
  /** YYYY-MM-DD or ISO date-time. */
  date: string;
}

export interface CheckInput {
  order: DrugOrder;
  patient: CheckPatient;
  allergies: readonly CheckAllergy[];
  problems: readonly CheckProblem[];
  labs: readonly CheckLab[];
  activeMedications: readonly DrugOrder[];
  terminology: Terminology;
  /** Reference time for lab recency; default now. */
  asOf?: Date;
}
