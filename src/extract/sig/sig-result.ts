// What parseSig returns: FHIR Dosage steps, a readable echo, every field with its source span, warnings and confidence.
import type { Dosage } from '../../kernel/fhir.ts';
import type { DrugConcept } from '../../terminology/terminology.ts';
import type { TextSpan } from '../rules/extracted-medication.ts';

/** One value read from the sig, with the characters it came from: `input.slice(span.start, span.end) === text`. */
export interface SigField<T> {
  value: T;
  span: TextSpan;
  text: string;
}

export interface SigDose {
  value: number;
  /** Upper bound of a range ("1-2 tabs"). */
  high?: number;
  /** Canonical unit: `tablet`, `capsule`, `puff`, `mg`, `mcg`, `g`, `mL`, `unit`, `meq`, `drop`, ...; absent when unstated. */
  unit?: string;
}

export interface SigTiming {
  /** Administrations per period; absent for a one-time dose. */
  frequency?: number;
  period?: number;
  periodMax?: number;
  /** UCUM time unit as FHIR Timing.repeat uses it: `min`, `h`, `d`, `wk`, `mo`. */
  periodUnit?: 'min' | 'h' | 'd' | 'wk' | 'mo';
  /** FHIR EventTiming codes: HS, MORN, EVE, C, CM, CD, CV, AC, ACM, ACV, PC, ... */
  when?: string[];
  /** HH:MM:SS */
  timeOfDay?: string[];
  /** dayOfWeek codes (mon, tue, ...). */
  dayOfWeek?: string[];
  /** 1 for a single dose ("once", "stat", "today"). */
  count?: number;
}

export interface SigDuration {
  value: number;
  unit: 'd' | 'wk' | 'mo';
}

export interface SigMaxDose {
  value: number;
  unit?: string;
  /** Per this many days (always 1 here: "per day", "in 24 hours"). */
  perDays: number;
}

export interface SigFields {
  drug?: SigField<DrugConcept>;
  dose?: SigField<SigDose>;
  /** Strength stated beside a count dose ("1 tablet (5 mg)", "one 150 mg tab"). */
  strength?: SigField<{ value: number; unit: string }>;
  route?: SigField<string>;
  timing?: SigField<SigTiming>;
  asNeeded?: SigField<{ reason?: string; reasonSpan?: TextSpan }>;
  duration?: SigField<SigDuration>;
  maxDose?: SigField<SigMaxDose>;
  quantity?: SigField<number>;
  refills?: SigField<number>;
}

export const SigWarningCode = {
  /** ISMP error-prone abbreviations (ismp.org "List of Error-Prone Abbreviations"). */
  DailyAbbreviation: 'ismp-qd',
  EveryOtherDayAbbreviation: 'ismp-qod',
  UnitAbbreviation: 'ismp-u',
  TrailingZero: 'ismp-trailing-zero',
  NakedDecimal: 'ismp-naked-decimal',
  MicrogramSymbol: 'ismp-microgram',
  CubicCentimetre: 'ismp-cc',
  Unparsed: 'unparsed-text',
  Misspelling: 'misspelling',
} as const;
export type SigWarningCode = (typeof SigWarningCode)[keyof typeof SigWarningCode];

export interface SigWarning {
  code: SigWarningCode;
  message: string;
  span: TextSpan;
}

export interface SigResult {
  /** One Dosage per step (tapers and multi-step sigs have several, with `sequence`). */
  dosage: Dosage[];
  /** Readable normalized instruction: "Take 1 tablet by mouth twice daily". */
  echo: string;
  /** 0..1 */
  confidence: number;
  /** Low confidence or nothing usable: a human should read the original. */
  notSure: boolean;
  /** Fields of the first step plus the sig-wide ones (route, PRN, max dose, quantity, refills). */
  fields: SigFields;
  /** Fields per step, parallel to `dosage`. */
  steps: SigFields[];
  warnings: SigWarning[];
}
