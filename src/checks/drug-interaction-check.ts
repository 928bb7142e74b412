// Drug-drug interactions between the order and each active medicine: ONC high-priority (critical, never
// suppressed) and ONC non-interruptive (info).
import type { CheckContext } from './check-context.ts';
import type { DrugIdentity } from './drug-identity.ts';
import { drugLabel } from './drug-identity.ts';
import type { Finding } from './finding.ts';
import { clampSummary } from './finding.ts';
import type { InteractionRule } from './interaction-rules.ts';
import { ONC_HIGH_PRIORITY_DDI, ONC_NON_INTERRUPTIVE_DDI } from './interaction-rules.ts';

const SETS = new WeakMap<readonly string[], ReadonlySet<string>>();

function memberOf(drug: DrugIdentity, members: readonly string[]): string | undefined {
  let set = SETS.get(members);
  if (!set) SETS.set(members, (set = new Set(members)));
  for (const i of drug.ingredients) if (set.has(i)) return i;
  return undefined;
}

/** Rules indexed by every ingredient on either side, so a drug with no interaction rule costs one lookup. */
const INDEX = new WeakMap<readonly InteractionRule[], Map<string, InteractionRule[]>>();

function rulesFor(rules: readonly InteractionRule[], drug: DrugIdentity): InteractionRule[] {
  let index = INDEX.get(rules);
  if (!index) {
    index = new Map();
    for (const rule of rules) {
      for (const m of new Set([...rule.object.members, ...rule.precipitant.members])) {
        const list = index.get(m) ?? [];
        list.push(rule);
        index.set(m, list);
      }
    }
    INDEX.set(rules, index);
  }
  const found = new Set<InteractionRule>();
  for (const i of drug.ingredients) for (const r of index.get(i) ?? []) found.add(r);
  return rules.filter((r) => found.has(r));
}

/** The rule's two sides matched by two different drugs, in either direction. */
function matchRule(rule: InteractionRule, a: DrugIdentity, b: DrugIdentity): [string, string] | undefined {
  const ao = memberOf(a, rule.object.members);
  const bp = memberOf(b, rule.precipitant.members);
  if (ao !== undefined && bp !== undefined && ao !== bp) return [ao, bp];
  const ap = memberOf(a, rule.precipitant.members);
  const bo = memberOf(b, rule.object.members);
  if (ap !== undefined && bo !== undefined && ap !== bo) return [bo, ap];
  return undefined;
}

export function checkDrugInteractions(
  ctx: CheckContext,
  rules: { high?: readonly InteractionRule[]; low?: readonly InteractionRule[] } = {},
): Finding[] {
  const findings: Finding[] = [];
  const high = rulesFor(rules.high ?? ONC_HIGH_PRIORITY_DDI, ctx.order);
  const low = rulesFor(rules.low ?? ONC_NON_INTERRUPTIVE_DDI, ctx.order);
  if (high.length === 0 && low.length === 0) return findings;
  for (const { drug: other } of ctx.active) {
    // The same drug (a renewal) is the duplicate check's business, not an interaction.
    if (other.ingredients.join('+') === ctx.order.ingredients.join('+')) continue;
    let highHit = false;
    for (const rule of high) {
      const hit = matchRule(rule, ctx.order, other);
      if (!hit) continue;
      highHit = true;
      findings.push({
        check: 'drug-drug-interaction',
        rule: rule.id,
        severity: 'critical',
        summary: clampSummary(`Contraindicated combination: ${hit[0]} + ${hit[1]} (${rule.effect})`),
        detail: `${drugLabel(ctx.order)} with ${drugLabel(other)}: ${rule.object.label} + ${rule.precipitant.label}, ONC high-priority interaction item ${rule.item} (${rule.effect}). Do not dispense together; contact the prescriber for an alternative.`,
        evidence: [`order: ${ctx.order.display}`, `active: ${other.display}`],
        source: rule.source,
        drugs: [hit[0], hit[1]],
        neverSuppress: true,
      });
      break;
    }
    if (highHit) continue;
    for (const rule of low) {
      const hit = matchRule(rule, ctx.order, other);
      if (!hit) continue;
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
      break;
    }
  }
  return findings;
}
