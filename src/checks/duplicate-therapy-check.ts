// Duplicate therapy: the order repeats an active medicine's ingredient, or adds a second drug of a class
// where two at once are usually a mistake.
import type { CheckContext } from './check-context.ts';
import type { DrugIdentity } from './drug-identity.ts';
import type { Finding, RuleSource } from './finding.ts';
import { clampSummary } from './finding.ts';

const LABEL_SOURCE = (drugClass: string): RuleSource => ({
  label: `FDA labels of the ${drugClass} class (Established Pharmacologic Class); duplicate therapy per pharmacist review`,
  url: 'https://dailymed.nlm.nih.gov/dailymed/',
});

/** Classes where a second member is a therapeutic duplication, with why. */
export const DUPLICATE_THERAPY_CLASSES: ReadonlyArray<{ drugClass: string; why: string }> = [
  { drugClass: 'ACE inhibitor', why: 'hypotension, hyperkalemia, renal impairment' },
  { drugClass: 'ARB', why: 'hypotension, hyperkalemia, renal impairment' },
  { drugClass: 'statin', why: 'myopathy without added benefit' },
  { drugClass: 'anticoagulant', why: 'major bleeding' },
  { drugClass: 'SSRI', why: 'serotonin syndrome' },
  { drugClass: 'proton pump inhibitor', why: 'no added benefit' },
  { drugClass: 'beta blocker', why: 'bradycardia and hypotension' },
  { drugClass: 'sulfonylurea', why: 'hypoglycemia' },
  { drugClass: 'long-acting insulin', why: 'hypoglycemia' },
  { drugClass: 'benzodiazepine', why: 'sedation, falls, respiratory depression' },
  {
    drugClass: 'opioid',
    why: 'respiratory depression (unless a deliberate long-acting + breakthrough plan)',
  },
  { drugClass: 'NSAID', why: 'GI bleeding and renal injury' },
];

const PRONE = new WeakMap<DrugIdentity, ReadonlyArray<{ drugClass: string; why: string }>>();

/** The duplication-prone classes a drug belongs to (only these can give a class finding). */
function duplicationProneClasses(drug: DrugIdentity): ReadonlyArray<{ drugClass: string; why: string }> {
  let rows = PRONE.get(drug);
  if (!rows) PRONE.set(drug, (rows = DUPLICATE_THERAPY_CLASSES.filter((r) => drug.classes.has(r.drugClass))));
  return rows;
}

function ruleSlug(drugClass: string): string {
  return drugClass.replace(/\s+/g, '-').toLowerCase();
}

const TOKENS = new WeakMap<DrugIdentity, readonly string[]>();

/**
 * What two drugs must share to be duplicates: the drug key, an ingredient or a duplication-prone class. Two
 * drugs with no token in common never give a finding (a profile review pairs only drugs that share one).
 */
export function duplicationTokens(drug: DrugIdentity): readonly string[] {
  let tokens = TOKENS.get(drug);
  if (!tokens) {
    tokens = [
      `key:${drug.key}`,
      ...drug.ingredients.map((i) => `ingredient:${i}`),
      ...duplicationProneClasses(drug).map((r) => `class:${r.drugClass}`),
    ];
    TOKENS.set(drug, tokens);
  }
  return tokens;
}

/** The strings of one pair's finding, built once per drug pair (drug identities are memoized). */
interface PairFinding {
  rule: string;
  severity: 'high' | 'moderate';
  summary: string;
  detail: string;
  order: string;
  active: string;
  source: RuleSource;
  drugs: readonly string[];
}

const CLASS_SOURCES = new Map<string, RuleSource>();
const PAIR_LIMIT = 10_000;
const PAIRS = new WeakMap<DrugIdentity, Map<DrugIdentity, PairFinding | null>>();

function pairFinding(order: DrugIdentity, other: DrugIdentity): PairFinding | null {
  let byOther = PAIRS.get(order);
  if (!byOther) PAIRS.set(order, (byOther = new Map<DrugIdentity, PairFinding | null>()));
  let found = byOther.get(other);
  if (found !== undefined) return found;
  found = null;
  const name = order.label;
  const single = order.ingredients.length === 1;
  if (
    other.key === order.key ||
    // Two single-ingredient drugs share an ingredient only when their keys are equal.
    ((!single || other.ingredients.length !== 1) &&
      other.ingredients.some((i) => order.ingredients.includes(i)))
  ) {
    const shared = other.ingredients.filter((i) => order.ingredients.includes(i));
    found = {
      rule: 'duplicate-ingredient',
      severity: 'high',
      summary: clampSummary(`Duplicate: ${shared.join(', ')} is already active (${other.display})`),
      detail: `${order.display} contains ${shared.join(', ')}, already taken as ${other.display}. If this replaces the current prescription, inactivate the old one; otherwise clarify with the prescriber.`,
      order: `order: ${order.display}`,
      active: `active: ${other.display}`,
      source: {
        label: `FDA label, ${shared[0] ?? name} §2 Dosage and Administration (maximum daily dose)`,
        url: `https://dailymed.nlm.nih.gov/dailymed/search.cfm?query=${encodeURIComponent(shared[0] ?? name)}`,
      },
      drugs: shared,
    };
  } else {
    for (const row of duplicationProneClasses(order)) {
      if (!other.classes.has(row.drugClass)) continue;
      let source = CLASS_SOURCES.get(row.drugClass);
      if (!source) CLASS_SOURCES.set(row.drugClass, (source = LABEL_SOURCE(row.drugClass)));
      found = {
        rule: `duplicate-class-${ruleSlug(row.drugClass)}`,
        severity: 'moderate',
        summary: clampSummary(
          `Therapeutic duplication: ${name} and ${other.label} are both ${row.drugClass}s`,
        ),
        detail: `Two ${row.drugClass} medicines at once risk ${row.why}. Check whether ${other.label} should stop when ${name} starts.`,
        order: `order: ${order.display}`,
        active: `active: ${other.display}`,
        source,
        drugs: [...order.ingredients, ...other.ingredients],
      };
      break;
    }
  }
  if (byOther.size >= PAIR_LIMIT) byOther.clear();
  byOther.set(other, found);
  return found;
}

/**
 * Duplicate therapy between two drugs, `order` checked against `other`; undefined when they are not
 * duplicates. The same rule, severity and drugs (as a set) in either direction.
 */
export function duplicateBetween(order: DrugIdentity, other: DrugIdentity): Finding | undefined {
  const pair = pairFinding(order, other);
  if (!pair) return undefined;
  return {
    check: 'duplicate-therapy',
    rule: pair.rule,
    severity: pair.severity,
    summary: pair.summary,
    detail: pair.detail,
    evidence: [pair.order, pair.active],
    source: pair.source,
    drugs: [...pair.drugs],
  };
}

export function checkDuplicateTherapy(ctx: CheckContext): Finding[] {
  const findings: Finding[] = [];
  for (const { drug: other } of ctx.active) {
    const finding = duplicateBetween(ctx.order, other);
    if (finding) findings.push(finding);
  }
  return findings;
}
