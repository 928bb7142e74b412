// One patient's review: the medication list reconciled with the pharmacy profile, then the medicines checked
// (the whole list once, or each medicine as an order against the others).
import type { PharmacyProfile } from '../../platform/pharmacy/pharmacy-system.ts';
import type { ReconciliationResult, ReconciliationSource } from '../../reconcile/discrepancy.ts';
import type { EhrMedication } from '../../reconcile/ehr-medication.ts';
import { reconcileMedications } from '../../reconcile/reconcile-medications.ts';
import type { Terminology } from '../../terminology/terminology.ts';
import type { CheckAllergy, CheckLab, CheckPatient, CheckProblem, DrugOrder } from '../check-input.ts';
import type { PatientContext } from '../check-context.ts';
import type { Finding } from '../finding.ts';
import { preparePatientContext, runChecks, runProfileChecks } from '../run-checks.ts';

/** Plain data only, so that it crosses a worker boundary (structured clone). */
export interface PatientReviewInput {
  ehr: EhrMedication[];
  profile: PharmacyProfile;
  /** ISO date-time: fills after it are ignored, labs are dated against it. */
  asOf: string;
  source: ReconciliationSource;
  patient: CheckPatient;
  allergies: CheckAllergy[];
  problems: CheckProblem[];
  labs: CheckLab[];
  /** The medicines to check, each against the others (usually the active list as orders). */
  orders: DrugOrder[];
}

export interface PatientReview {
  reconciliation: ReconciliationResult;
  /** Findings per order, in the order of `orders`. */
  findings: Finding[][];
  /** Compute time for this patient, milliseconds (without any transfer between threads). */
  elapsedMs: number;
}

export interface PatientProfileReview {
  reconciliation: ReconciliationResult;
  /** The whole list's findings: each pair of medicines once, each medicine once (runProfileChecks). */
  findings: Finding[];
  /** Compute time for this patient, milliseconds. */
  elapsedMs: number;
}

function reconcileAndPrepare(
  input: PatientReviewInput,
  terminology: Terminology,
): { reconciliation: ReconciliationResult; context: PatientContext } {
  const asOf = new Date(input.asOf);
  const reconciliation = reconcileMedications({
    ehr: input.ehr,
    profile: input.profile,
    terminology,
    asOf,
    source: input.source,
  });
  const context = preparePatientContext({
    patient: input.patient,
    allergies: input.allergies,
    problems: input.problems,
    labs: input.labs,
    activeMedications: input.orders,
    terminology,
    asOf,
  });
  return { reconciliation, context };
}

/** Reconciliation, then the patient's facts prepared once and each order checked against the rest. */
export function reviewPatient(input: PatientReviewInput, terminology: Terminology): PatientReview {
  const t0 = performance.now();
  const { reconciliation, context } = reconcileAndPrepare(input, terminology);
  const findings = input.orders.map((order) => runChecks({ order, context }));
  return { reconciliation, findings, elapsedMs: performance.now() - t0 };
}

/** Reconciliation, then the whole list checked once (runProfileChecks): the review of a patient's profile. */
export function reviewPatientProfile(
  input: PatientReviewInput,
  terminology: Terminology,
): PatientProfileReview {
  const t0 = performance.now();
  const { reconciliation, context } = reconcileAndPrepare(input, terminology);
  const findings = runProfileChecks(context);
  return { reconciliation, findings, elapsedMs: performance.now() - t0 };
}
