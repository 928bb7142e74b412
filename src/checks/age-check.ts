// Age-related cautions for older adults, written by the team from each drug's FDA label (Geriatric Use §8.5 and
// Dosage and Administration). Not derived from any proprietary or copyrighted list of inappropriate medicines.
import type { CheckContext } from './check-context.ts';
import { drugRuleLookup } from './drug-rule-index.ts';
import type { Finding, RuleSource, Severity } from './finding.ts';
import { clampSummary } from './finding.ts';
import { sameUnitValue } from './order-amount.ts';

export interface AgeRule {
  id: string;
  minAge: number;
  drugs: { members: readonly string[]; classes: readonly string[] };
  /** When set, the rule fires only above this amount per dose (mg). */
  maxDoseMg?: number;
  /** When set, the rule fires only above this amount per day (mg). */
  maxDailyMg?: number;
  severity: Severity;
  advice: string;
  source: RuleSource;
}

function label(drug: string, section: string): RuleSource {
  return {
    label: `FDA label, ${drug} ${section}`,
    url: `https://dailymed.nlm.nih.gov/dailymed/search.cfm?query=${encodeURIComponent(drug)}`,
  };
}

export const AGE_RULES: readonly AgeRule[] = [
  {
    id: 'age-zolpidem-dose',
    minAge: 65,
    drugs: { members: ['zolpidem'], classes: [] },
    maxDoseMg: 5,
    severity: 'high',
    advice:
      'the label dose for older adults is 5 mg at bedtime (immediate release); higher doses raise the risk of next-day impairment and falls',
    source: label('zolpidem (Ambien)', '§2.3 Geriatric or Debilitated Patients; §8.5 Geriatric Use'),
  },
  {
    id: 'age-benzodiazepine',
    minAge: 65,
    drugs: { members: [], classes: ['benzodiazepine'] },
    severity: 'moderate',
    advice:
      'older adults are more sensitive to sedation, confusion and falls; the label advises a lower starting dose and close monitoring',
    source: label('lorazepam (Ativan)', '§8.5 Geriatric Use; diazepam §8.5'),
  },
  {
    id: 'age-tramadol-daily',
    minAge: 75,
    drugs: { members: ['tramadol'], classes: [] },
    maxDailyMg: 300,
    severity: 'high',
    advice: 'over age 75 the label maximum is 300 mg per day',
    source: label('tramadol (Ultram)', '§2 Dosage Modification in Patients over 75 Years of Age'),
  },
  {
    id: 'age-glyburide',
    minAge: 65,
    drugs: { members: ['glyburide'], classes: [] },
    severity: 'moderate',
    advice:
      'elderly patients are prone to hypoglycemia with glyburide; the label advises conservative initial and maintenance dosing',
    source: label('glyburide', '§8.5 Geriatric Use; Precautions (hypoglycemia)'),
  },
  {
    id: 'age-ketorolac',
    minAge: 65,
    drugs: { members: ['ketorolac'], classes: [] },
    severity: 'high',
    advice:
      'for patients 65 and older the label limits the dose (e.g. 60 mg/day parenteral) and total duration to 5 days because of GI bleeding and renal risk',
    source: label('ketorolac', 'Boxed Warning; Dosage and Administration (patients ≥ 65 years)'),
  },
  {
    id: 'age-amitriptyline',
    minAge: 65,
    drugs: { members: ['amitriptyline', 'doxepin', 'imipramine'], classes: [] },
    severity: 'moderate',
    advice:
      'older adults are sensitive to anticholinergic, sedative and orthostatic effects; the label suggests lower doses',
    source: label('amitriptyline', 'Dosage and Administration (elderly patients); Geriatric Use'),
  },
  {
    id: 'age-digoxin',
    minAge: 65,
    drugs: { members: ['digoxin'], classes: [] },
    maxDoseMg: 0.125,
    severity: 'moderate',
    advice:
      'older adults often have reduced renal clearance of digoxin; dose by lean weight and renal function and check levels',
    source: label('digoxin (Lanoxin)', '§2 Dosage and Administration (renal function); §8.5 Geriatric Use'),
  },
];

export function checkAge(ctx: CheckContext, rules: readonly AgeRule[] = AGE_RULES): Finding[] {
  const age = ctx.patient.age;
  if (age === undefined) return [];
  const findings: Finding[] = [];
  for (const rule of drugRuleLookup(rules, (r) => r.drugs)(ctx.order)) {
    if (age < rule.minAge) continue;
    const perDose = sameUnitValue(ctx.orderInput, 'mg');
    const perDay =
      perDose !== undefined && ctx.orderInput.frequencyPerDay !== undefined
        ? perDose * ctx.orderInput.frequencyPerDay
        : undefined;
    if (rule.maxDoseMg !== undefined && (perDose === undefined || perDose <= rule.maxDoseMg)) continue;
    if (rule.maxDailyMg !== undefined && (perDay === undefined || perDay <= rule.maxDailyMg)) continue;
    const amount =
      perDose !== undefined ? ` ${perDose} mg${perDay !== undefined ? ` (${perDay} mg/day)` : ''}` : '';
    findings.push({
      check: 'age',
      rule: rule.id,
      severity: rule.severity,
      summary: clampSummary(`Age ${age}: ${ctx.order.label}${amount}: ${rule.advice.split(';')[0]}`),
      detail: `Patient is ${age}: ${rule.advice}.`,
      evidence: [`order: ${ctx.order.display}`, `age: ${age}`],
      source: rule.source,
      drugs: [...ctx.order.ingredients],
    });
  }
  return findings;
}
