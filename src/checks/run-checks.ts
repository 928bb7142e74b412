// runChecks: every clinical check on one order, and the registry that names them (so each can run alone).
import { checkAge } from './age-check.ts';
import type { CheckInput } from './check-input.ts';
import type { CheckContext, OrderInContext } from './check-context.ts';
import { buildCheckContext } from './check-context.ts';
import { checkDrugAllergy } from './drug-allergy-check.ts';
import { checkDrugDisease } from './drug-disease-check.ts';
import { checkDrugInteractions } from './drug-interaction-check.ts';
import { checkDuplicateTherapy } from './duplicate-therapy-check.ts';
import type { CheckName, Finding } from './finding.ts';
import { sortFindings } from './finding.ts';
import { checkInr } from './inr-check.ts';
import { checkRenalDosing } from './renal-dosing-check.ts';

export interface RegisteredCheck {
  name: CheckName;
  description: string;
  run: (ctx: CheckContext) => Finding[];
}

export const CHECK_REGISTRY: readonly RegisteredCheck[] = [
  {
    name: 'drug-allergy',
    description: 'ingredient and class cross-sensitivity against recorded allergies',
    run: checkDrugAllergy,
  },
  {
    name: 'drug-drug-interaction',
    description: 'ONC high-priority (never suppressed) and non-interruptive interactions',
    run: (ctx) => checkDrugInteractions(ctx),
  },
  {
    name: 'duplicate-therapy',
    description: 'same ingredient or duplication-prone class already active',
    run: checkDuplicateTherapy,
  },
  {
    name: 'drug-disease',
    description: 'problem-list contraindications (CKD, heart failure, asthma)',
    run: (ctx) => checkDrugDisease(ctx),
  },
  {
    name: 'renal-dosing',
    description: 'label renal limits from the latest eGFR or CrCl',
    run: (ctx) => checkRenalDosing(ctx),
  },
  { name: 'inr-monitoring', description: 'latest INR for warfarin orders', run: checkInr },
  { name: 'age', description: 'older-adult cautions from FDA labels', run: (ctx) => checkAge(ctx) },
];

export interface RunChecksOptions {
  /** Run only these checks (default: all in the registry). */
  only?: readonly CheckName[];
  registry?: readonly RegisteredCheck[];
}

/**
 * Runs the checks on one order; findings most severe first. Give either every fact (CheckInput), or the order
 * with a context from preparePatientContext, so several orders for one patient share the patient's work.
 */
export function runChecks(input: CheckInput | OrderInContext, options: RunChecksOptions = {}): Finding[] {
  const ctx = buildCheckContext(input);
  const registry = options.registry ?? CHECK_REGISTRY;
  const findings: Finding[] = [];
  for (const check of registry) {
    if (options.only && !options.only.includes(check.name)) continue;
    for (const finding of check.run(ctx)) findings.push(finding);
  }
  return findings.length > 1 ? sortFindings(findings) : findings;
}

export { preparePatientContext } from './check-context.ts';
export type { OrderInContext, PatientContext, PatientFacts } from './check-context.ts';
export { runProfileChecks } from './profile-checks.ts';
export type { RunProfileChecksOptions } from './profile-checks.ts';
