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

/** The strings of one pair's finding, built once per rule and drug pair (drug identities are memoized). */
interface PairFinding {
  rule: InteractionRule;
  critical: boolean;
  summary: string;
  detail: string;
  order: string;
  active: string;
  drugs: readonly [string, string];
}

/** Pair results per order drug, then per other drug (null: no interaction); bounded per drug. */
const PAIR_LIMIT = 10_000;
const PAIR_RESULTS = new WeakMap<PairIndex, WeakMap<DrugIdentity, Map<DrugIdentity, PairFinding | null>>>();

function pairFinding(index: PairIndex, order: DrugIdentity, other: DrugIdentity): PairFinding | null {
  let byOrder = PAIR_RESULTS.get(index);
  if (!byOrder) PAIR_RESULTS.set(index, (byOrder = new WeakMap()));
  let byOther = byOrder.get(order);
  if (!byOther) byOrder.set(order, (byOther = new Map<DrugIdentity, PairFinding | null>()));
  let found = byOther.get(other);
  if (found !== undefined) return found;
  found = null;
  const mine = rulesFor(index, order);
  const theirs = rulesFor(index, other);
  const critical = firstMatch(mine.high, theirs.high);
  if (critical) {
    const { rule, hit } = critical;
    found = {
      rule,
      critical: true,
      summary: clampSummary(`Contraindicated combination: ${hit[0]} + ${hit[1]} (${rule.effect})`),
      detail: `${order.label} with ${other.label}: ${rule.object.label} + ${rule.precipitant.label}, ONC high-priority interaction item ${rule.item} (${rule.effect}). Do not dispense together; contact the prescriber for an alternative.`,
      order: `order: ${order.display}`,
      active: `active: ${other.display}`,
      drugs: hit,
    };
  } else {
    const notable = firstMatch(mine.low, theirs.low);
    if (notable) {
      const { rule, hit } = notable;
      found = {
        rule,
        critical: false,
        summary: clampSummary(`Interaction (non-interruptive): ${hit[0]} + ${hit[1]}: ${rule.effect}`),
        detail: `${rule.object.label} + ${rule.precipitant.label}: ${rule.effect}. Listed by ONC as not warranting an interruptive alert.`,
        order: `order: ${order.display}`,
        active: `active: ${other.display}`,
        drugs: hit,
      };
    }
  }
  if (byOther.size >= PAIR_LIMIT) byOther.clear();
  byOther.set(other, found);
  return found;
}

/** A fresh finding from a pair's strings: callers may change what they get without touching the cache. */
function toFinding(pair: PairFinding): Finding {
  const finding: Finding = {
    check: 'drug-drug-interaction',
    rule: pair.rule.id,
    severity: pair.critical ? 'critical' : 'info',
    summary: pair.summary,
    detail: pair.detail,
    evidence: [pair.order, pair.active],
    source: pair.rule.source,
    drugs: [pair.drugs[0], pair.drugs[1]],
  };
  if (pair.critical) finding.neverSuppress = true;
  else finding.nonInterruptive = true;
  return finding;
}

export interface InteractionTables {
  high?: readonly InteractionRule[];
  low?: readonly InteractionRule[];
}

/**
 * The interaction between two drugs, `order` checked against `other` (the finding's evidence names them in
 * that order); undefined when none applies. The result is the same rule and drugs in either direction.
 */
export function interactionBetween(
  order: DrugIdentity,
  other: DrugIdentity,
  rules: InteractionTables = {},
): Finding | undefined {
  return interactionsWith(rules)(order, other);
}

/** interactionBetween bound to one pair of tables (looked up once): for many pairs, as a profile review does. */
export interface InteractionLookup {
  (order: DrugIdentity, other: DrugIdentity): Finding | undefined;
  /** False when no rule of either table names one of the drug's ingredients: none of its pairs can interact. */
  hasRules: (drug: DrugIdentity) => boolean;
  /**
   * The rules (by table and position) naming one of the drug's ingredients. Two drugs can interact only when
   * they share one: a profile review pairs only those.
   */
  tokens: (drug: DrugIdentity) => readonly string[];
}

const TOKENS = new WeakMap<PairIndex, WeakMap<DrugIdentity, readonly string[]>>();

export function interactionsWith(rules: InteractionTables = {}): InteractionLookup {
  const index = pairIndex(rules.high ?? ONC_HIGH_PRIORITY_DDI, rules.low ?? ONC_NON_INTERRUPTIVE_DDI);
  const hasRules = (drug: DrugIdentity): boolean => {
    const mine = rulesFor(index, drug);
    return mine.high.list.length > 0 || mine.low.list.length > 0;
  };
  const between = (order: DrugIdentity, other: DrugIdentity): Finding | undefined => {
    // The same drug (a renewal) is the duplicate check's business, not an interaction.
    if (other.key === order.key || !hasRules(order)) return undefined;
    const pair = pairFinding(index, order, other);
    return pair ? toFinding(pair) : undefined;
  };
  let tokenMemo = TOKENS.get(index);
  if (!tokenMemo) TOKENS.set(index, (tokenMemo = new WeakMap<DrugIdentity, readonly string[]>()));
  const memo = tokenMemo;
  const tokens = (drug: DrugIdentity): readonly string[] => {
    let found = memo.get(drug);
    if (!found) {
      const mine = rulesFor(index, drug);
      found = [
        ...mine.high.list.map((r) => `ddi-high:${r.position}`),
        ...mine.low.list.map((r) => `ddi-low:${r.position}`),
      ];
      memo.set(drug, found);
    }
    return found;
  };
  return Object.assign(between, { hasRules, tokens });
}

export function checkDrugInteractions(ctx: CheckContext, rules: InteractionTables = {}): Finding[] {
  const findings: Finding[] = [];
  const index = pairIndex(rules.high ?? ONC_HIGH_PRIORITY_DDI, rules.low ?? ONC_NON_INTERRUPTIVE_DDI);
  const mine = rulesFor(index, ctx.order);
  if (mine.high.list.length === 0 && mine.low.list.length === 0) return findings;
  for (const { drug: other } of ctx.active) {
    // The same drug (a renewal) is the duplicate check's business, not an interaction.
    if (other.key === ctx.order.key) continue;
    const pair = pairFinding(index, ctx.order, other);
    if (pair) findings.push(toFinding(pair));
  }
  return findings;
}
