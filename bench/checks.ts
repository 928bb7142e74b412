// Benchmark: reconciliation + checks per patient (20 medicines each), one thread and across a worker pool, and
// CDS Hooks order-sign latency in-process.
import { answerOrderHook } from '../src/checks/cds-hooks/cds-hooks-routes.ts';
import type { DrugOrder } from '../src/checks/check-input.ts';
import { preparePatientContext, runChecks } from '../src/checks/run-checks.ts';
import type { PharmacyProfile } from '../src/platform/pharmacy/pharmacy-system.ts';
import type { EhrMedication } from '../src/reconcile/ehr-medication.ts';
import { createStarterTerminology } from '../src/terminology/starter-terminology.ts';
import { availableParallelism, loadavg } from 'node:os';
import { machineLine } from './machine.ts';
import { createCheckPool } from '../src/checks/pool/check-pool.ts';
import type { PatientReviewInput } from '../src/checks/pool/patient-review.ts';
import { reviewPatient } from '../src/checks/pool/patient-review.ts';

const DRUGS = [
  'metformin 500 mg',
  'lisinopril 10 mg',
  'atorvastatin 40 mg',
  'amlodipine 5 mg',
  'metoprolol tartrate 25 mg',
  'warfarin 5 mg',
  'furosemide 40 mg',
  'omeprazole 20 mg',
  'sertraline 50 mg',
  'gabapentin 300 mg',
  'levothyroxine 100 mcg',
  'apixaban 5 mg',
  'tramadol 50 mg',
  'simvastatin 20 mg',
  'losartan 50 mg',
  'insulin glargine 20 units',
  'hydrochlorothiazide 25 mg',
  'clopidogrel 75 mg',
  'montelukast 10 mg',
  'ibuprofen 400 mg',
];

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? 0;
}

/** For `npm run bench` (which calls it without awaiting): runs benchChecksAsync and reports a failure. */
export function benchChecks(patients = Number(process.env['BENCH_PATIENTS'] ?? 5000)): void {
  benchChecksAsync(patients).catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}

export async function benchChecksAsync(patients: number): Promise<void> {
  const terminology = createStarterTerminology();
  const asOf = new Date('2026-01-15T12:00:00Z');
  const labs = [
    { loinc: '98979-8', value: 38, date: '2026-01-05' },
    { loinc: '6301-6', value: 3.4, date: '2026-01-10' },
  ];
  const make = (i: number) => {
    const meds = DRUGS.map((d, k) => DRUGS[(k + i) % DRUGS.length] ?? d);
    const ehr: EhrMedication[] = meds.map((name, k) => ({
      name,
      prn: false,
      frequencyPerDay: k % 3 === 0 ? 2 : 1,
    }));
    const profile: PharmacyProfile = {
      patient: {
        id: `B${i}`,
        given: 'BENCH',
        family: 'PATIENT',
        birthDate: '1950-01-01',
        gender: 'female',
        identifiers: [],
        site: 'main',
      },
      prescriptions: meds.map((name, k) => ({
        id: `R${k}`,
        rxNumber: String(k),
        drugName: name,
        sig: 'as directed',
        prn: false,
        status: 'active',
        prescriber: 'Dr. Bench',
        writtenDate: '2025-06-01',
        refillsRemaining: 1,
        frequencyPerDay: k % 4 === 0 ? 2 : 1,
      })),
      fills: meds.map((_, k) => ({
        prescriptionId: `R${k}`,
        date: '2026-01-02',
        quantity: 30,
        daysSupply: 30,
      })),
      allergies: [],
    };
    // The medicines as orders, built once per patient as a caller would from its own records.
    const orders: DrugOrder[] = meds.map((name) => ({ name }));
    return { ehr, profile, orders };
  };
  const inputs = Array.from({ length: 200 }, (_, i) => make(i));
  const perPatient: number[] = [];
  let sink = 0;
  // Warm-up (JIT, the terminology's and our caches), not measured.
  for (const { orders } of inputs.slice(0, 50)) {
    const context = preparePatientContext({
      patient: { age: 76, sex: 'female' },
      allergies: [],
      problems: [],
      labs,
      activeMedications: orders,
      terminology,
      asOf,
    });
    for (const order of orders) sink += runChecks({ order, context }).length;
  }
  // The same patients as plain data (what the pool's workers receive).
  const reviewInputs: PatientReviewInput[] = inputs.map(({ ehr, profile, orders }) => ({
    ehr,
    profile,
    asOf: asOf.toISOString(),
    source: 'ehr-list',
    patient: { age: 76, sex: 'female' },
    allergies: [{ substance: 'penicillin', reaction: 'hives' }],
    problems: [{ code: 'N18.3', text: 'CKD stage 3' }],
    labs,
    orders,
  }));
  const cpuStart = process.cpuUsage();
  const start = performance.now();
  for (let i = 0; i < patients; i++) {
    // Reconciliation, then the patient's facts once (20 drugs resolved, allergies, problems, labs), then each
    // medicine checked as an order against the other 19.
    const review = reviewPatient(reviewInputs[i % reviewInputs.length]!, terminology);
    sink += review.reconciliation.discrepancies.length + review.findings.length;
    perPatient.push(review.elapsedMs);
  }
  const seconds = (performance.now() - start) / 1000;
  const cpu = process.cpuUsage(cpuStart);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  perPatient.sort((a, b) => a - b);
  const loadBefore = loadavg()[0] ?? 0;

  // Across a worker pool (one worker per core; this thread only hands out chunks and collects results).
  const poolSize = Number(process.env['BENCH_POOL_SIZE'] ?? availableParallelism());
  const pool = createCheckPool(poolSize);
  const batch = Array.from({ length: patients }, (_, i) => reviewInputs[i % reviewInputs.length]!);
  await pool.review(batch.slice(0, 2000)); // warm-up: each worker's JIT and caches
  const poolCpuStart = process.cpuUsage(); // process-wide: includes the workers' threads
  const poolStart = performance.now();
  const reviews = await pool.review(batch);
  const poolSeconds = (performance.now() - poolStart) / 1000;
  const poolCpu = process.cpuUsage(poolCpuStart);
  const poolCpuSeconds = (poolCpu.user + poolCpu.system) / 1e6;
  // The same through reviewJson: results as JSON text (what a caller that stores them would keep).
  await pool.reviewJson(batch.slice(0, 2000));
  const jsonCpuStart = process.cpuUsage();
  const jsonStart = performance.now();
  const texts = await pool.reviewJson(batch);
  const jsonSeconds = (performance.now() - jsonStart) / 1000;
  const jsonCpu = process.cpuUsage(jsonCpuStart);
  const jsonCpuSeconds = (jsonCpu.user + jsonCpu.system) / 1e6;
  sink += texts.length;
  await pool.close();
  const poolPerPatient = reviews.map((r) => r.elapsedMs).sort((a, b) => a - b);

  // CDS Hooks order-sign with complete prefetch, answered in-process (no HTTP).
  const entry = (resource: object) => ({ resource });
  const request = {
    hook: 'order-sign',
    hookInstance: 'bench',
    context: {
      patientId: 'p1',
      draftOrders: {
        resourceType: 'Bundle' as const,
        entry: [
          entry({
            resourceType: 'MedicationRequest',
            id: 'd1',
            status: 'draft',
            intent: 'order',
            subject: { reference: 'Patient/p1' },
            medicationCodeableConcept: { text: 'simvastatin 40 mg' },
          }),
        ],
      },
    },
    prefetch: {
      patient: { resourceType: 'Patient', id: 'p1', birthDate: '1948-05-01', gender: 'female' },
      allergies: {
        resourceType: 'Bundle',
        entry: [
          entry({
            resourceType: 'AllergyIntolerance',
            code: { text: 'penicillin' },
            patient: { reference: 'Patient/p1' },
          }),
        ],
      },
      conditions: {
        resourceType: 'Bundle',
        entry: [
          entry({
            resourceType: 'Condition',
            code: { coding: [{ system: 'http://hl7.org/fhir/sid/icd-10-cm', code: 'N18.4' }], text: 'CKD 4' },
            subject: { reference: 'Patient/p1' },
          }),
        ],
      },
      labs: {
        resourceType: 'Bundle',
        entry: [
          entry({
            resourceType: 'Observation',
            status: 'final',
            code: { coding: [{ system: 'http://loinc.org', code: '98979-8' }] },
            valueQuantity: { value: 28 },
            effectiveDateTime: '2026-01-05',
          }),
        ],
      },
      medications: {
        resourceType: 'Bundle',
        entry: meds20().map((name) =>
          entry({
            resourceType: 'MedicationRequest',
            status: 'active',
            intent: 'order',
            subject: { reference: 'Patient/p1' },
            medicationCodeableConcept: { text: name },
          }),
        ),
      },
    },
  };
  const hookTimes: number[] = [];
  for (let i = 0; i < 2000; i++) {
    const t0 = performance.now();
    sink += answerOrderHook(JSON.parse(JSON.stringify(request)) as Parameters<typeof answerOrderHook>[0], {
      terminology,
      now: () => asOf,
    }).cards.length;
    hookTimes.push(performance.now() - t0);
  }
  hookTimes.sort((a, b) => a - b);
  if (sink < 0) console.log(sink);
  console.log('\n## Reconciliation + checks (20 medicines per patient, each checked against the other 19)');
  console.log(machineLine());
  console.log(
    `(shared machine: 1-minute load ${loadBefore.toFixed(1)} before the pool run, ${loadavg()[0]?.toFixed(1)} after; ${patients} patients per run)`,
  );
  const w = `pool of ${pool.size}`;
  console.log(`| measure | one thread | ${w}, objects | ${w}, JSON text | goal |\n|---|---|---|---|---|`);
  console.log(
    `| patients/s (wall clock) | ${Math.round(patients / seconds)} | ${Math.round(patients / poolSeconds)} | ${Math.round(patients / jsonSeconds)} | ≥ 5,000 |`,
  );
  console.log(
    `| patients per CPU-second (whole process, all threads) | ${Math.round(patients / cpuSeconds)} | ${Math.round(patients / poolCpuSeconds)} | ${Math.round(patients / jsonCpuSeconds)} | |`,
  );
  console.log(
    `| median per patient (compute) | ${percentile(perPatient, 0.5).toFixed(3)} ms | ${percentile(poolPerPatient, 0.5).toFixed(3)} ms | | |`,
  );
  console.log(
    `| p99 per patient (compute) | ${percentile(perPatient, 0.99).toFixed(3)} ms | ${percentile(poolPerPatient, 0.99).toFixed(3)} ms | | ≤ 5 ms |`,
  );
  console.log(
    `| CDS Hooks order-sign p99 (in-process, JSON copy included) | ${percentile(hookTimes, 0.99).toFixed(3)} ms | ≤ 50 ms |`,
  );
}

function meds20(): string[] {
  return DRUGS.slice();
}
