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
  /** Position in the table: the first match in table order wins. */
  position: number;
  object?: string;
  precipitant?: string;
}

/** The rules of one table a drug takes part in: in table order, and by table position. */
interface DrugRules {
  list: readonly RuleSides[];
  byPosition: ReadonlyMap<number, RuleSides>;
}

/** Both tables for one drug, looked up once per drug identity. */
interface DrugInteractionRules {
  high: DrugRules;
  low: DrugRules;
}

interface TableIndex {
  rules: readonly InteractionRule[];
  /** Ingredient → positions of the rules naming it, ascending. */
  byIngredient: Map<string, number[]>;
}

interface PairIndex {
  high: TableIndex;
  low: TableIndex;
  forDrug: WeakMap<DrugIdentity, DrugInteractionRules>;
}

const NONE: DrugRules = { list: [], byPosition: new Map() };
const PAIRS = new WeakMap<readonly InteractionRule[], WeakMap<readonly InteractionRule[], PairIndex>>();

function tableIndex(rules: readonly InteractionRule[]): TableIndex {
  const byIngredient = new Map<string, number[]>();
  rules.forEach((rule, position) => {
    for (const m of new Set([...rule.object.members, ...rule.precipitant.members])) {
      const list = byIngredient.get(m);
      if (list) list.push(position);
      else byIngredient.set(m, [position]);
    }
  });
  return { rules, byIngredient };
}

function pairIndex(high: readonly InteractionRule[], low: readonly InteractionRule[]): PairIndex {
  let byLow = PAIRS.get(high);
  if (!byLow) PAIRS.set(high, (byLow = new WeakMap()));
  let index = byLow.get(low);
  if (!index) {
    index = { high: tableIndex(high), low: tableIndex(low), forDrug: new WeakMap() };
    byLow.set(low, index);
  }
  return index;
}

function drugRules(table: TableIndex, drug: DrugIdentity): DrugRules {
  const positions = new Set<number>();
  for (const i of drug.ingredients) for (const p of table.byIngredient.get(i) ?? []) positions.add(p);
  if (positions.size === 0) return NONE;
  const list: RuleSides[] = [];
  const byPosition = new Map<number, RuleSides>();
  for (const position of [...positions].sort((a, b) => a - b)) {
    const rule = table.rules[position];
    if (!rule) continue;
    const sides: RuleSides = { rule, position };
    const object = drug.ingredients.find((i) => rule.object.members.includes(i));
    const precipitant = drug.ingredients.find((i) => rule.precipitant.members.includes(i));
    if (object !== undefined) sides.object = object;
    if (precipitant !== undefined) sides.precipitant = precipitant;
    list.push(sides);
    byPosition.set(position, sides);
  }
  return { list, byPosition };
}

/** The rules that mention one of the drug's ingredients: a drug with no interaction rule costs one lookup. */
function rulesFor(index: PairIndex, drug: DrugIdentity): DrugInteractionRules {
  let found = index.forDrug.get(drug);
  if (!found) {
    found = { high: drugRules(index.high, drug), low: drugRules(index.low, drug) };
    index.forDrug.set(drug, found);
  }
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

/** The first rule in table order that both drugs take part in and that matches them (order first). */
function firstMatch(
  mine: DrugRules,
  theirs: DrugRules,
): { rule: InteractionRule; hit: [string, string] } | undefined {
  if (mine.list.length === 0 || theirs.list.length === 0) return undefined;
  // Both lists are in table order; walk the shorter one and look the rule up in the other.
  const walkMine = mine.list.length <= theirs.list.length;
  const walk = walkMine ? mine : theirs;
  const other = walkMine ? theirs : mine;
  for (const sides of walk.list) {
    const counterpart = other.byPosition.get(sides.position);
    if (!counterpart) continue;
    const hit = walkMine ? matchRule(sides, counterpart) : matchRule(counterpart, sides);
    if (hit) return { rule: sides.rule, hit };
  }
  return undefined;
}

export function checkDrugInteractions(
  ctx: CheckContext,
  rules: { high?: readonly InteractionRule[]; low?: readonly InteractionRule[] } = {},
): Finding[] {
  const findings: Finding[] = [];
  const index = pairIndex(rules.high ?? ONC_HIGH_PRIORITY_DDI, rules.low ?? ONC_NON_INTERRUPTIVE_DDI);
  const mine = rulesFor(index, ctx.order);
  if (mine.high.list.length === 0 && mine.low.list.length === 0) return findings;
  for (const { drug: other } of ctx.active) {
    // The same drug (a renewal) is the duplicate check's business, not an interaction.
    if (other.key === ctx.order.key) continue;
    const theirs = rulesFor(index, other);
    const critical = firstMatch(mine.high, theirs.high);
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
    const notable = firstMatch(mine.low, theirs.low);
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
