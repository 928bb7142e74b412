// Duplicate therapy: the order repeats an active medicine's ingredient, or adds a second drug of a class
// where two at once are usually a mistake.
import type { CheckContext } from './check-context.ts';
import { drugLabel } from './drug-identity.ts';
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

export function checkDuplicateTherapy(ctx: CheckContext): Finding[] {
  const findings: Finding[] = [];
  const orderKey = [...ctx.order.ingredients].sort().join('+');
  for (const { drug: other } of ctx.active) {
    const name = drugLabel(ctx.order);
    if (
      [...other.ingredients].sort().join('+') === orderKey ||
      other.ingredients.some((i) => ctx.order.ingredients.includes(i))
    ) {
      const shared = other.ingredients.filter((i) => ctx.order.ingredients.includes(i));
      findings.push({
        check: 'duplicate-therapy',
        rule: 'duplicate-ingredient',
        severity: 'high',
        summary: clampSummary(`Duplicate: ${shared.join(', ')} is already active (${other.display})`),
        detail: `${ctx.order.display} contains ${shared.join(', ')}, already taken as ${other.display}. If this replaces the current prescription, inactivate the old one; otherwise clarify with the prescriber.`,
        evidence: [`order: ${ctx.order.display}`, `active: ${other.display}`],
        source: {
          label: `FDA label, ${shared[0] ?? name} §2 Dosage and Administration (maximum daily dose)`,
          url: `https://dailymed.nlm.nih.gov/dailymed/search.cfm?query=${encodeURIComponent(shared[0] ?? name)}`,
        },
        drugs: shared,
      });
      continue;
    }
    for (const row of DUPLICATE_THERAPY_CLASSES) {
      if (!ctx.order.classes.has(row.drugClass) || !other.classes.has(row.drugClass)) continue;
      findings.push({
        check: 'duplicate-therapy',
        rule: `duplicate-class-${row.drugClass.replace(/\s+/g, '-').toLowerCase()}`,
        severity: 'moderate',
        summary: clampSummary(
          `Therapeutic duplication: ${name} and ${drugLabel(other)} are both ${row.drugClass}s`,
        ),
        detail: `Two ${row.drugClass} medicines at once risk ${row.why}. Check whether ${drugLabel(other)} should stop when ${name} starts.`,
        evidence: [`order: ${ctx.order.display}`, `active: ${other.display}`],
        source: LABEL_SOURCE(row.drugClass),
        drugs: [...ctx.order.ingredients, ...other.ingredients],
      });
      break;
    }
  }
  return findings;
}
