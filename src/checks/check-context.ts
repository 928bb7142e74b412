// What every check needs, computed once per run: the order and active medicines identified, the latest labs.
import type { CheckInput, CheckLab, DrugOrder } from './check-input.ts';
import type { DrugIdentity } from './drug-identity.ts';
import { identifyDrug } from './drug-identity.ts';

export interface CheckContext {
  input: CheckInput;
  order: DrugIdentity;
  active: ReadonlyArray<{ order: DrugOrder; drug: DrugIdentity }>;
  /** Most recent result for a LOINC code among those given, newest first by date. */
  latestLab(codes: readonly string[]): CheckLab | undefined;
  asOf: Date;
}

export function buildCheckContext(input: CheckInput): CheckContext {
  const order = identifyDrug(input.terminology, input.order);
  const active = input.activeMedications.map((o) => ({ order: o, drug: identifyDrug(input.terminology, o) }));
  return {
    input,
    order,
    active,
    asOf: input.asOf ?? new Date(),
    latestLab(codes) {
      let best: CheckLab | undefined;
      for (const lab of input.labs) {
        if (!codes.includes(lab.loinc) || !Number.isFinite(lab.value)) continue;
        if (!best || lab.date > best.date) best = lab;
      }
      return best;
    },
  };
}

/** True when the drug has the ingredient or belongs to the class. */
export function drugMatches(
  drug: DrugIdentity,
  members: readonly string[],
  classes: readonly string[] = [],
): boolean {
  return drug.ingredients.some((i) => members.includes(i)) || classes.some((c) => drug.classes.has(c));
}

export function daysBetween(fromDate: string, to: Date): number {
  return Math.floor(
    (to.getTime() - Date.parse(fromDate.length === 10 ? `${fromDate}T00:00:00Z` : fromDate)) / 86_400_000,
  );
}
