// runProfileChecks: a patient's whole medication list reviewed once — each unordered pair of medicines once
// (interactions, duplicate therapy) and each medicine once (allergy, drug-disease, renal, INR, age).
import { checkAge } from './age-check.ts';
import type { CheckContext, PatientContext } from './check-context.ts';
import type { DrugOrder } from './check-input.ts';
import { checkDrugAllergy } from './drug-allergy-check.ts';
import { checkDrugDisease } from './drug-disease-check.ts';
import type { DrugIdentity } from './drug-identity.ts';
import { interactionBetween } from './drug-interaction-check.ts';
import { duplicateBetween } from './duplicate-therapy-check.ts';
import type { CheckName, Finding } from './finding.ts';
import { sortFindings } from './finding.ts';
import { checkInr } from './inr-check.ts';
import { checkRenalDosing } from './renal-dosing-check.ts';

/** Checks that look at one medicine and the patient's facts, never at the other medicines. */
const PER_MEDICINE: ReadonlyArray<{ name: CheckName; run: (ctx: CheckContext) => Finding[] }> = [
  { name: 'drug-allergy', run: checkDrugAllergy },
  { name: 'drug-disease', run: (ctx) => checkDrugDisease(ctx) },
  { name: 'renal-dosing', run: (ctx) => checkRenalDosing(ctx) },
  { name: 'inr-monitoring', run: checkInr },
  { name: 'age', run: (ctx) => checkAge(ctx) },
];

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
  const perMedicine = only ? PER_MEDICINE.filter((c) => only.includes(c.name)) : PER_MEDICINE;
  const interactions = wants('drug-drug-interaction');
  const duplicates = wants('duplicate-therapy');
  const meds = context.active;
  const findings: Finding[] = [];
  for (let i = 0; i < meds.length; i++) {
    const { order, drug } = meds[i]!;
    if (perMedicine.length > 0) {
      // One fixed shape, as buildCheckContext makes: the patient's facts by reference.
      const ctx: CheckContext = {
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
      for (const check of perMedicine) for (const finding of check.run(ctx)) findings.push(finding);
    }
    for (let j = i + 1; j < meds.length; j++) {
      const other = meds[j]!.drug;
      if (interactions) {
        const finding = interactionBetween(drug, other);
        if (finding) findings.push(finding);
      }
      if (duplicates) {
        const finding = duplicateBetween(drug, other);
        if (finding) findings.push(finding);
      }
    }
  }
  return findings.length > 1 ? sortFindings(findings) : findings;
}
