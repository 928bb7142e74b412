// A medication as an EHR or discharge list states it: the reconciler's left-hand side, whatever the source.
import type {
  ExtractedMedication,
  MedicationChange,
  TextSpan,
} from '../extract/rules/extracted-medication.ts';
import type { Amount } from '../terminology/amount.ts';

export interface MedicationEvidence {
  /** The words the medication was read from. */
  text: string;
  span?: TextSpan;
  /** The document or message holding the text (`DocumentReference/<id>`). */
  sourceReference?: string;
}

export interface EhrMedication {
  /** As written. */
  name: string;
  /** RxNorm ingredient or clinical drug, when coded. */
  rxcui?: string;
  strength?: Amount;
  /** Amount per administration ("2 tablets", "20 units"). */
  dose?: Amount;
  frequencyPerDay?: number;
  frequencyText?: string;
  route?: string;
  /** Dose form as written ("tablet", "ER tablet", "oral solution"), when stated. */
  form?: string;
  prn: boolean;
  status?: MedicationChange;
  /** YYYY-MM-DD the status took effect (the stop date of a stopped medicine, the discharge date of a new one). */
  statusDate?: string;
  evidence?: MedicationEvidence;
  confidence?: number;
}

/** The adapter from rules-based extraction to reconciliation. */
export function ehrMedicationFromExtraction(m: ExtractedMedication, sourceReference?: string): EhrMedication {
  const evidence: MedicationEvidence = { text: m.text, span: { start: m.span.start, end: m.span.end } };
  if (sourceReference !== undefined) evidence.sourceReference = sourceReference;
  const medication: EhrMedication = { name: m.name, prn: m.prn, evidence, confidence: m.confidence };
  if (m.concept) medication.rxcui = m.concept.rxcui;
  if (m.strength) medication.strength = { ...m.strength };
  if (m.dose) medication.dose = { ...m.dose };
  if (m.frequency) {
    medication.frequencyPerDay = m.frequency.perDay;
    medication.frequencyText = m.frequency.text;
  }
  if (m.route) medication.route = m.route;
  if (m.status) medication.status = m.status;
  return medication;
}
