// runProfileChecks: a patient's whole medication list reviewed once — each unordered pair of medicines once
// (interactions, duplicate therapy) and each medicine once (allergy, drug-disease, renal, INR, age).
import { AGE_RULES, checkAge } from './age-check.ts';
import type { CheckContext, PatientContext } from './check-context.ts';
import type { DrugOrder } from './check-input.ts';
import { checkDrugAllergy } from './drug-allergy-check.ts';
import { checkDrugDisease, DRUG_DISEASE_RULES } from './drug-disease-check.ts';
import type { DrugIdentity } from './drug-identity.ts';
import { interactionsWith } from './drug-interaction-check.ts';
import { drugRuleLookup } from './drug-rule-index.ts';
import { duplicateBetween, duplicationTokens } from './duplicate-therapy-check.ts';
import type { CheckName, Finding } from './finding.ts';
import { sortFindings } from './finding.ts';
import { checkInr, INR_RULE } from './inr-check.ts';
import { checkRenalDosing } from './renal-dosing-check.ts';
import { RENAL_DOSING_RULES } from './renal-dosing-rules.ts';

/** Checks that look at one medicine and the patient's facts, never at the other medicines. */
interface PerMedicineCheck {
  name: CheckName;
  run: (ctx: CheckContext) => Finding[];
  /** False when no rule of the check names the drug (the check could not find anything; skipped). */
  mayApply: (drug: DrugIdentity) => boolean;
}

const diseaseRules = drugRuleLookup(DRUG_DISEASE_RULES, (r) => r.drugs);
const renalRules = drugRuleLookup(RENAL_DOSING_RULES, (r) => ({ members: [r.drug], classes: [] }));
const ageRules = drugRuleLookup(AGE_RULES, (r) => r.drugs);

const PER_MEDICINE: readonly PerMedicineCheck[] = [
  { name: 'drug-allergy', run: checkDrugAllergy, mayApply: () => true },
  {
    name: 'drug-disease',
    run: (ctx) => checkDrugDisease(ctx),
    mayApply: (drug) => diseaseRules(drug).length > 0,
  },
  {
    name: 'renal-dosing',
    run: (ctx) => checkRenalDosing(ctx),
    mayApply: (drug) => renalRules(drug).length > 0,
  },
  { name: 'inr-monitoring', run: checkInr, mayApply: (drug) => drug.ingredients.includes(INR_RULE.drug) },
  { name: 'age', run: (ctx) => checkAge(ctx), mayApply: (drug) => ageRules(drug).length > 0 },
];

/** Per drug identity: the per-medicine checks that may apply (indexes into PER_MEDICINE). */
const APPLICABLE = new WeakMap<DrugIdentity, readonly PerMedicineCheck[]>();

function applicableChecks(drug: DrugIdentity): readonly PerMedicineCheck[] {
  let checks = APPLICABLE.get(drug);
  if (!checks) APPLICABLE.set(drug, (checks = PER_MEDICINE.filter((c) => c.mayApply(drug))));
  return checks;
}

const NO_OTHERS: ReadonlyArray<{ order: DrugOrder; drug: DrugIdentity }> = [];

export interface RunProfileChecksOptions {
  /** Run only these checks (default: all of them). */
  only?: readonly CheckName[];
}

/**
 * Reviews the context's active medicines as a whole list; findings most severe first. The findings are the
 * union of running runChecks on each medicine against the others, without the mirrored copies: an
 * interaction or a duplication between two medicines is reported once (evidence `order:` is the earlier of
 * the two in the list, `active:` the later). Use runChecks for a new prescription against the list.
 */
export function runProfileChecks(context: PatientContext, options: RunProfileChecksOptions = {}): Finding[] {
  const only = options.only;
  const wants = (name: CheckName): boolean => !only || only.includes(name);
  const interactions = wants('drug-drug-interaction') ? interactionsWith() : undefined;
  const duplicates = wants('duplicate-therapy');
  const meds = context.active;
  const findings: Finding[] = [];
  for (const { order, drug } of meds) {
    let ctx: CheckContext | undefined;
    for (const check of applicableChecks(drug)) {
      if (only && !only.includes(check.name)) continue;
      if (check.name === 'drug-allergy' && context.allergies.length === 0) continue;
      // One fixed shape, as buildCheckContext makes: the patient's facts by reference.
      ctx ??= {
        terminology: context.terminology,
        patient: context.patient,
        allergies: context.allergies,
        problems: context.problems,
        labs: context.labs,
        asOf: context.asOf,
        identify: context.identify,
        latestLab: context.latestLab,
        findProblem: context.findProblem,
        orderInput: order,
        order: drug,
        active: NO_OTHERS,
      };
      for (const finding of check.run(ctx)) findings.push(finding);
    }
  }
  // Pairs, each once (earlier medicine as the order), and only pairs that share something a finding needs: a
  // rule of the interaction tables, or a drug key, ingredient or duplication-prone class.
  if (interactions || duplicates) {
    const n = meds.length;
    const byToken = new Map<string, number[]>();
    const candidates: number[] = [];
    for (let j = 0; j < n; j++) {
      const drug = meds[j]!.drug;
      if (interactions)
        for (const token of interactions.tokens(drug)) pairUp(byToken, token, j, n, candidates);
      if (duplicates) for (const token of duplicationTokens(drug)) pairUp(byToken, token, j, n, candidates);
    }
    candidates.sort((a, b) => a - b);
    let previous = -1;
    for (const pair of candidates) {
      if (pair === previous) continue;
      previous = pair;
      const order = meds[Math.floor(pair / n)]!.drug;
      const other = meds[pair % n]!.drug;
      const interaction = interactions?.(order, other);
      if (interaction) findings.push(interaction);
      const duplicate = duplicates ? duplicateBetween(order, other) : undefined;
      if (duplicate) findings.push(duplicate);
    }
  }
  return findings.length > 1 ? sortFindings(findings) : findings;
}

/** Records medicine j under a token, and a candidate pair (i, j) for each earlier medicine i with the token. */
function pairUp(
  byToken: Map<string, number[]>,
  token: string,
  j: number,
  n: number,
  candidates: number[],
): void {
  const earlier = byToken.get(token);
  if (!earlier) {
    byToken.set(token, [j]);
    return;
  }
  if (earlier[earlier.length - 1] === j) return; // the same token twice for one medicine
  for (const i of earlier) candidates.push(i * n + j);
  earlier.push(j);
}
