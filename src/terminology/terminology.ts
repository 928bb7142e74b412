// Terminology port: drug concepts (RxNorm), name normalization and drug classes, whatever vocabulary is loaded.

/** RxNorm term types used here (RxNorm Technical Documentation §12, "Term Types"). */
export const TermType = {
  Ingredient: 'IN',
  PreciseIngredient: 'PIN',
  MultipleIngredients: 'MIN',
  ClinicalDrugComponent: 'SCDC',
  ClinicalDrug: 'SCD',
  BrandedDrug: 'SBD',
  BrandName: 'BN',
  GenericPack: 'GPCK',
  BrandedPack: 'BPCK',
} as const;
export type TermType = (typeof TermType)[keyof typeof TermType];

export interface Strength {
  value: number;
  /** Lower-case UCUM-like unit as written in RxNorm normal form: `mg`, `mcg`, `meq`, `units/ml`, `mg/actuat`. */
  unit: string;
}

export interface IngredientRef {
  rxcui: string;
  name: string;
}

export interface DrugConcept {
  rxcui: string;
  /** RxNorm normalized name (`metformin`, `metformin hydrochloride 500 MG Oral Tablet`). */
  name: string;
  tty: TermType;
  /** Active ingredients at IN level; an IN lists itself. */
  ingredients: IngredientRef[];
  strength?: Strength;
  /** RxNorm dose form (`Oral Tablet`, `Delayed Release Oral Capsule`). */
  doseForm?: string;
  /** Drug classes of the ingredients, as listed in the vocabulary (`ACE inhibitor`, `statin`, `anticoagulant`). */
  classes: string[];
  /** High-alert medicine: anticoagulants, insulin, opioids, antiarrhythmics, digoxin, methotrexate. */
  highAlert: boolean;
}

export interface DrugLookupOptions {
  /**
   * Correct a one-edit misspelling ("metfromin") — default true, for fields that hold a drug name. A reader
   * scanning free text passes false unless the words read as a drug mention (a strength follows), so an
   * ordinary word one edit from a brand ("program" / Prograf) is never taken for a drug.
   */
  correctSpelling?: boolean;
}

export interface Terminology {
  /**
   * Finds the ingredient-level concept for a drug name as people write it: any case, salt forms
   * ("metformin hydrochloride"), brand names (Glucophage → metformin), abbreviations and common
   * misspellings. Trailing strength and form words are tolerated ("lisinopril 10 mg tablet").
   */
  lookupDrug(text: string, options?: DrugLookupOptions): DrugConcept | undefined;
  /** The clinical drug (SCD) for an ingredient, strength and, optionally, dose form. */
  findClinicalDrug(ingredientRxcui: string, strength?: Strength, form?: string): DrugConcept | undefined;
  get(rxcui: string): DrugConcept | undefined;
  /** Classes of a concept's ingredients; empty when unknown. */
  classesOf(rxcui: string): string[];
}

/**
 * NDC → drug lookup, offered by vocabularies that carry NDCs (a loaded RxNorm release). A separate small
 * port so that the starter vocabulary, which has no NDCs, need not pretend to.
 */
export interface NdcDirectory {
  /** The SCD/SBD/pack for a National Drug Code in any common form (11 digits, or 10 digits with dashes). */
  lookupNdc(ndc: string): DrugConcept | undefined;
}

/** Type guard: does this Terminology also answer NDC lookups? */
export function hasNdcDirectory(terminology: Terminology): terminology is Terminology & NdcDirectory {
  return typeof (terminology as Partial<NdcDirectory>).lookupNdc === 'function';
}
