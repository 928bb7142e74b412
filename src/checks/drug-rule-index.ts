// Rule tables indexed by ingredient and class, so a drug only meets the rules that name it (memoized per drug).
import type { DrugIdentity } from './drug-identity.ts';

export interface DrugSelector {
  members: readonly string[];
  classes: readonly string[];
}

/** The rules that can apply to a drug, in table order. */
export type DrugRuleLookup<R> = (drug: DrugIdentity) => readonly R[];

const LOOKUPS = new WeakMap<readonly object[], DrugRuleLookup<object>>();

/**
 * Indexes a rule table by the ingredients and classes each rule selects. Built once per table (the table
 * array is the key), answered once per drug identity.
 */
export function drugRuleLookup<R extends object>(
  rules: readonly R[],
  selectorOf: (rule: R) => DrugSelector,
): DrugRuleLookup<R> {
  const existing = LOOKUPS.get(rules) as DrugRuleLookup<R> | undefined;
  if (existing) return existing;
  const byIngredient = new Map<string, Set<R>>();
  const byClass = new Map<string, Set<R>>();
  const add = (map: Map<string, Set<R>>, key: string, rule: R): void => {
    const set = map.get(key);
    if (set) set.add(rule);
    else map.set(key, new Set([rule]));
  };
  for (const rule of rules) {
    const selector = selectorOf(rule);
    for (const m of selector.members) add(byIngredient, m, rule);
    for (const c of selector.classes) add(byClass, c, rule);
  }
  const perDrug = new WeakMap<DrugIdentity, readonly R[]>();
  const lookup: DrugRuleLookup<R> = (drug) => {
    let found = perDrug.get(drug);
    if (found) return found;
    const hits = new Set<R>();
    for (const i of drug.ingredients) for (const r of byIngredient.get(i) ?? []) hits.add(r);
    for (const c of drug.classes) for (const r of byClass.get(c) ?? []) hits.add(r);
    found = hits.size === 0 ? [] : rules.filter((r) => hits.has(r));
    perDrug.set(drug, found);
    return found;
  };
  LOOKUPS.set(rules, lookup);
  return lookup;
}
