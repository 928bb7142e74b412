// What every check needs: the patient's facts prepared once (drugs identified, allergies resolved, labs and
// problems indexed) and, per order, the order's identity against the other active medicines.
import type { Terminology } from '../terminology/terminology.ts';
import type {
  CheckAllergy,
  CheckInput,
  CheckLab,
  CheckPatient,
  CheckProblem,
  DrugOrder,
} from './check-input.ts';
import type { DrugIdentity } from './drug-identity.ts';
import { ALLERGY_CLASS_NAMES } from './drug-classes.ts';
import { identifyDrug } from './drug-identity.ts';

/** An allergy with its allergen resolved once per patient. */
export interface PreparedAllergy {
  allergy: CheckAllergy;
  /** The class an entry written as a class names ("penicillins" → penicillin). */
  namedClass?: string;
  /** The allergen as a drug, when the entry names one. */
  allergen?: DrugIdentity;
  /** Classes the allergen belongs to (or the named class). */
  classes: readonly string[];
}

/** Something the problem list can be searched for (a DiseaseMatcher). */
export type ProblemTest = (problem: CheckProblem) => boolean;

/** A patient's facts, prepared once and shared by every order checked for that patient. */
export interface PatientContext {
  terminology: Terminology;
  patient: CheckPatient;
  allergies: readonly PreparedAllergy[];
  problems: readonly CheckProblem[];
  labs: readonly CheckLab[];
  /** The active medicines given to preparePatientContext, each identified once. */
  active: ReadonlyArray<{ order: DrugOrder; drug: DrugIdentity }>;
  asOf: Date;
  /** The drug behind an order, resolved once per order object, name and rxcui for this patient. */
  identify: (order: Pick<DrugOrder, 'name' | 'rxcui'>) => DrugIdentity;
  /** Most recent result for any of these LOINC codes (pass the same array each time: it is the cache key). */
  latestLab: (codes: readonly string[]) => CheckLab | undefined;
  /** First problem the test accepts (cached per test and key). */
  findProblem: (key: object, test: ProblemTest) => CheckProblem | undefined;
}

export interface PatientFacts {
  patient: CheckPatient;
  allergies: readonly CheckAllergy[];
  problems: readonly CheckProblem[];
  labs: readonly CheckLab[];
  activeMedications: readonly DrugOrder[];
  terminology: Terminology;
  /** Reference time for lab recency; default now. */
  asOf?: Date;
}

/** What one check sees: the patient's prepared facts plus the order and the medicines it is checked against. */
export interface CheckContext extends PatientContext {
  /** The order as given. */
  orderInput: DrugOrder;
  order: DrugIdentity;
  active: ReadonlyArray<{ order: DrugOrder; drug: DrugIdentity }>;
}

/**
 * Resolves everything about a patient that does not depend on the order: the active medicines, the
 * allergens, and caches for labs and problems. Pass the result to runChecks for each order.
 */
export function preparePatientContext(facts: PatientFacts): PatientContext {
  const { terminology } = facts;
  // A Map, not a WeakMap: it lives as long as the patient's context, and costs less per order.
  const byObject = new Map<object, DrugIdentity>();
  const identify = (order: Pick<DrugOrder, 'name' | 'rxcui'>): DrugIdentity => {
    let found = byObject.get(order);
    if (!found) byObject.set(order, (found = identifyDrug(terminology, order)));
    return found;
  };
  const allergies = facts.allergies.map((allergy): PreparedAllergy => {
    const namedClass = ALLERGY_CLASS_NAMES.get(allergy.substance.trim().toLowerCase());
    if (namedClass) return { allergy, namedClass, classes: [namedClass] };
    const allergen = identify({
      name: allergy.substance,
      ...(allergy.rxcui ? { rxcui: allergy.rxcui } : {}),
    });
    return { allergy, allergen, classes: [...allergen.classes] };
  });
  const labCache = new Map<readonly string[], CheckLab | null>();
  const problemCache = new Map<object, CheckProblem | null>();
  const labs = facts.labs;
  const problems = facts.problems;
  return {
    terminology,
    patient: facts.patient,
    allergies,
    problems,
    labs,
    active: facts.activeMedications.map((order) => ({ order, drug: identify(order) })),
    asOf: facts.asOf ?? new Date(),
    identify,
    latestLab(codes) {
      const cached = labCache.get(codes);
      if (cached !== undefined) return cached ?? undefined;
      let best: CheckLab | undefined;
      for (const lab of labs) {
        if (!codes.includes(lab.loinc) || !Number.isFinite(lab.value)) continue;
        if (!best || lab.date > best.date) best = lab;
      }
      labCache.set(codes, best ?? null);
      return best;
    },
    findProblem(key, test) {
      const cached = problemCache.get(key);
      if (cached !== undefined) return cached ?? undefined;
      const found = problems.find(test);
      problemCache.set(key, found ?? null);
      return found;
    },
  };
}

/**
 * One order in a prepared patient context. Without `activeMedications` the order is checked against the
 * context's active medicines, less the very same order object when it is one of them (each medicine checked
 * against the others).
 */
export interface OrderInContext {
  order: DrugOrder;
  context: PatientContext;
  /** The medicines to check the order against, when not the context's list. */
  activeMedications?: readonly DrugOrder[];
}

export function isOrderInContext(input: CheckInput | OrderInContext): input is OrderInContext {
  return 'context' in input;
}

export function buildCheckContext(input: CheckInput | OrderInContext): CheckContext {
  const patient = isOrderInContext(input) ? input.context : preparePatientContext(input);
  const given = isOrderInContext(input) ? input.activeMedications : undefined;
  const order = input.order;
  const active = given
    ? given.map((o) => ({ order: o, drug: patient.identify(o) }))
    : patient.active.some((a) => a.order === order)
      ? patient.active.filter((a) => a.order !== order)
      : patient.active;
  // One fixed shape, the patient's facts by reference: nothing per patient is copied per order.
  return {
    terminology: patient.terminology,
    patient: patient.patient,
    allergies: patient.allergies,
    problems: patient.problems,
    labs: patient.labs,
    asOf: patient.asOf,
    identify: patient.identify,
    latestLab: patient.latestLab,
    findProblem: patient.findProblem,
    orderInput: order,
    order: patient.identify(order),
    active,
  };
}

/** True when the drug has the ingredient or belongs to the class. */
export function drugMatches(
  drug: DrugIdentity,
  members: readonly string[],
  classes: readonly string[] = [],
): boolean {
  for (const i of drug.ingredients) if (members.includes(i)) return true;
  for (const c of classes) if (drug.classes.has(c)) return true;
  return false;
}

export function daysBetween(fromDate: string, to: Date): number {
  return Math.floor(
    (to.getTime() - Date.parse(fromDate.length === 10 ? `${fromDate}T00:00:00Z` : fromDate)) / 86_400_000,
  );
}
