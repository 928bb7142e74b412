// Drug-drug interactions between the order and each active medicine: ONC high-priority (critical, never
// suppressed) and ONC non-interruptive (info).
import type { CheckContext } from './check-context.ts';
import type { DrugIdentity } from './drug-identity.ts';
import type { Finding } from './finding.ts';
import { clampSummary } from './finding.ts';
import type { InteractionRule } from './interaction-rules.ts';
import { ONC_HIGH_PRIORITY_DDI, ONC_NON_INTERRUPTIVE_DDI } from './interaction-rules.ts';

/** A rule as one drug meets it: which of the drug's ingredients is on each side (if any). */
interface RuleSides {
  rule: InteractionRule;
  /** Position in the table: first match in table order wins. */
  position: number;
  object?: string;
  precipitant?: string;
}

interface IndexedRules {
  byIngredient: Map<string, number[]>;
  /** Per drug identity: the rules it takes part in, in table order, with its ingredient on each side. */
  forDrug: WeakMap<DrugIdentity, ReadonlyMap<number, RuleSides>>;
}

const INDEXES = new WeakMap<readonly InteractionRule[], IndexedRules>();
const NONE: ReadonlyMap<number, RuleSides> = new Map();

function indexOf(rules: readonly InteractionRule[]): IndexedRules {
  let index = INDEXES.get(rules);
  if (index) return index;
  index = { byIngredient: new Map(), forDrug: new WeakMap() };
  rules.forEach((rule, position) => {
    for (const m of new Set([...rule.object.members, ...rule.precipitant.members])) {
      const list = index.byIngredient.get(m);
      if (list) list.push(position);
      else index.byIngredient.set(m, [position]);
    }
  });
  INDEXES.set(rules, index);
  return index;
}

/** The rules that mention one of the drug's ingredients: a drug with no interaction rule costs one lookup. */
function rulesFor(
  rules: readonly InteractionRule[],
  index: IndexedRules,
  drug: DrugIdentity,
): ReadonlyMap<number, RuleSides> {
  let found = index.forDrug.get(drug);
  if (found) return found;
  const positions = new Set<number>();
  for (const i of drug.ingredients) for (const p of index.byIngredient.get(i) ?? []) positions.add(p);
  if (positions.size === 0) found = NONE;
  else {
    const map = new Map<number, RuleSides>();
    for (const position of [...positions].sort((a, b) => a - b)) {
      const rule = rules[position];
      if (!rule) continue;
      const sides: RuleSides = { rule, position };
      const object = drug.ingredients.find((i) => rule.object.members.includes(i));
      const precipitant = drug.ingredients.find((i) => rule.precipitant.members.includes(i));
      if (object !== undefined) sides.object = object;
      if (precipitant !== undefined) sides.precipitant = precipitant;
      map.set(position, sides);
    }
    found = map;
  }
  index.forDrug.set(drug, found);
  return found;
}

/** The rule's two sides matched by two different drugs, in either direction: [object, precipitant]. */
function matchRule(a: RuleSides, b: RuleSides): [string, string] | undefined {
  if (a.object !== undefined && b.precipitant !== undefined && a.object !== b.precipitant)
    return [a.object, b.precipitant];
  if (a.precipitant !== undefined && b.object !== undefined && a.precipitant !== b.object)
    return [b.object, a.precipitant];
  return undefined;
}

/** The first rule in table order that both drugs take part in and that matches them. */
function firstMatch(
  mine: ReadonlyMap<number, RuleSides>,
  theirs: ReadonlyMap<number, RuleSides>,
): { rule: InteractionRule; hit: [string, string] } | undefined {
  // Both maps iterate in table order; walk the smaller one.
  const [walk, other, walkIsMine] = mine.size <= theirs.size ? [mine, theirs, true] : [theirs, mine, false];
  for (const [position, sides] of walk) {
    const counterpart = other.get(position);
    if (!counterpart) continue;
    const hit = walkIsMine ? matchRule(sides, counterpart) : matchRule(counterpart, sides);
    if (hit) return { rule: sides.rule, hit };
  }
  return undefined;
}

export function checkDrugInteractions(
  ctx: CheckContext,
  rules: { high?: readonly InteractionRule[]; low?: readonly InteractionRule[] } = {},
): Finding[] {
  const findings: Finding[] = [];
  const highRules = rules.high ?? ONC_HIGH_PRIORITY_DDI;
  const lowRules = rules.low ?? ONC_NON_INTERRUPTIVE_DDI;
  const highIndex = indexOf(highRules);
  const lowIndex = indexOf(lowRules);
  const high = rulesFor(highRules, highIndex, ctx.order);
  const low = rulesFor(lowRules, lowIndex, ctx.order);
  if (high.size === 0 && low.size === 0) return findings;
  for (const { drug: other } of ctx.active) {
    // The same drug (a renewal) is the duplicate check's business, not an interaction.
    if (other.key === ctx.order.key) continue;
    const critical = high.size === 0 ? undefined : firstMatch(high, rulesFor(highRules, highIndex, other));
    if (critical) {
      const { rule, hit } = critical;
      findings.push({
        check: 'drug-drug-interaction',
        rule: rule.id,
        severity: 'critical',
        summary: clampSummary(`Contraindicated combination: ${hit[0]} + ${hit[1]} (${rule.effect})`),
        detail: `${ctx.order.label} with ${other.label}: ${rule.object.label} + ${rule.precipitant.label}, ONC high-priority interaction item ${rule.item} (${rule.effect}). Do not dispense together; contact the prescriber for an alternative.`,
        evidence: [`order: ${ctx.order.display}`, `active: ${other.display}`],
        source: rule.source,
        drugs: [hit[0], hit[1]],
        neverSuppress: true,
      });
      continue;
    }
    const notable = low.size === 0 ? undefined : firstMatch(low, rulesFor(lowRules, lowIndex, other));
    if (notable) {
      const { rule, hit } = notable;
      findings.push({
        check: 'drug-drug-interaction',
        rule: rule.id,
        severity: 'info',
        summary: clampSummary(`Interaction (non-interruptive): ${hit[0]} + ${hit[1]}: ${rule.effect}`),
        detail: `${rule.object.label} + ${rule.precipitant.label}: ${rule.effect}. Listed by ONC as not warranting an interruptive alert.`,
        evidence: [`order: ${ctx.order.display}`, `active: ${other.display}`],
        source: rule.source,
        drugs: [hit[0], hit[1]],
        nonInterruptive: true,
      });
    }
  }
  return findings;
}
