// What rules-based extraction finds for one medication mention: values plus the exact source span and a confidence.
import type { Dosage } from '../../kernel/fhir.ts';
import type { DrugConcept } from '../../terminology/terminology.ts';

/** Character offsets into the input text: `input.slice(start, end)` is the matched text. */
export interface TextSpan {
  start: number;
  end: number;
}

export interface ExtractedAmount {
  value: number;
  /** Display unit: `mg`, `mcg`, `g`, `units`, `mL`, `mEq`, `%`, or a count unit (`tablet`, `capsule`, `puff`). */
  unit: string;
}

export interface ExtractedFrequency {
  /** `QD`, `BID`, `TID`, `QID`, `QHS`, `QAM`, `QPM`, `QOD`, `WEEKLY`, or `Q<n>H` / `Q<n>-<m>H`. */
  code: string;
  /** Administrations per day; for a range of intervals, the most frequent. */
  perDay: number;
  /** The words as written. */
  text: string;
}

export const MedicationChange = {
  New: 'new',
  Changed: 'changed',
  Stopped: 'stopped',
  Continued: 'continued',
  Held: 'held',
} as const;
export type MedicationChange = (typeof MedicationChange)[keyof typeof MedicationChange];

export interface ExtractedMedication {
  /** The matched source text, exactly `input.slice(span.start, span.end)`. */
  text: string;
  span: TextSpan;
  /** The drug name as written. */
  name: string;
  /** Ingredient-level concept when the terminology knows the name. */
  concept?: DrugConcept;
  /** Strength of the product (`500 mg` in "metformin 500 mg"). */
  strength?: ExtractedAmount;
  /** Amount per administration when written as one ("2 tablets", "20 units"). */
  dose?: ExtractedAmount;
  frequency?: ExtractedFrequency;
  /** Route code from the route table (`oral`, `subcutaneous`, `inhalation`, ...). */
  route?: string;
  prn: boolean;
  /** Why "as needed" ("pain", "shortness of breath"). */
  prnReason?: string;
  status?: MedicationChange;
  /** The status is read from where the item sits (a discharge list with no change marker), not said of it. */
  statusImplied?: boolean;
  /** 0..1: lower when the drug is not in the terminology or fields are missing. */
  confidence: number;
  /** Combination products ("hydrocodone/acetaminophen 5/325"): each ingredient the terminology knows, in written order. */
  ingredients?: DrugConcept[];
  /** Every strength written, in order ("5/325 mg" → 5 mg and 325 mg; "4000 unt/ml" → 4000 units/mL). */
  strengths?: ExtractedAmount[];
  /** Dose form in RxNorm wording, lower case (`oral tablet`, `extended release oral tablet`, `injection`). */
  form?: string;
  /** The directions parsed by the sig parser: FHIR Dosage steps (tapers give several). */
  dosage?: Dosage[];
  /** What the sig parser made of the directions. */
  sig?: { echo: string; confidence: number; notSure: boolean };
}
