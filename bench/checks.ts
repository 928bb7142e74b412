// Benchmark: reconciliation + checks per patient (20 medicines each): the whole list checked once (headline),
// each medicine checked as an order against the other 19, a worker pool, and CDS Hooks order-sign latency.
// Run alone with `node bench/checks.ts` (BENCH_PATIENTS, BENCH_RUNS, BENCH_POOL=0 to skip the pool).
import { answerOrderHook } from '../src/checks/cds-hooks/cds-hooks-routes.ts';
import type { DrugOrder } from '../src/checks/check-input.ts';
import type { PharmacyProfile } from '../src/platform/pharmacy/pharmacy-system.ts';
import type { EhrMedication } from '../src/reconcile/ehr-medication.ts';
import { createStarterTerminology } from '../src/terminology/starter-terminology.ts';
import { availableParallelism, loadavg } from 'node:os';
import { pathToFileURL } from 'node:url';
import { machineLine } from './machine.ts';
import { createCheckPool } from '../src/checks/pool/check-pool.ts';
import type { PatientReviewInput } from '../src/checks/pool/patient-review.ts';
import { reviewPatient, reviewPatientProfile } from '../src/checks/pool/patient-review.ts';
import { TWENTY_MEDICINES } from '../test/fixtures/scenarios/twenty-medicines.ts';

const DRUGS = TWENTY_MEDICINES;

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
  let sink = 0;
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
  const loadAtStart = loadavg()[0] ?? 0;
  // Warm both variants (JIT, caches), then alternate them run by run so both see the same machine load.
  for (let i = 0; i < 1000; i++) {
    const input = reviewInputs[i % reviewInputs.length]!;
    sink += reviewPatientProfile(input, terminology).findings.length;
    sink += reviewPatient(input, terminology).findings.length;
  }
  const runs = Number(process.env['BENCH_RUNS'] ?? 3);
  const variants = {
    profile: (input: PatientReviewInput) => {
      const review = reviewPatientProfile(input, terminology);
      return review.reconciliation.discrepancies.length + review.findings.length;
    },
    orders: (input: PatientReviewInput) => {
      const review = reviewPatient(input, terminology);
      return review.reconciliation.discrepancies.length + review.findings.length;
    },
  };
  const results: Record<keyof typeof variants, RunFigures[]> = { profile: [], orders: [] };
  const findingsPerPatient = {
    profile: reviewPatientProfile(reviewInputs[0]!, terminology).findings.length,
    orders: reviewPatient(reviewInputs[0]!, terminology).findings.flat().length,
  };
  for (let run = 0; run < runs; run++) {
    for (const name of ['profile', 'orders'] as const) {
      const review = variants[name];
      const perPatient: number[] = [];
      const cpuStart = process.cpuUsage();
      const start = performance.now();
      for (let i = 0; i < patients; i++) {
        const t0 = performance.now();
        sink += review(reviewInputs[i % reviewInputs.length]!);
        perPatient.push(performance.now() - t0);
      }
      const seconds = (performance.now() - start) / 1000;
      const cpu = process.cpuUsage(cpuStart);
      perPatient.sort((a, b) => a - b);
      results[name].push({
        perSecond: patients / seconds,
        perCpuSecond: patients / ((cpu.user + cpu.system) / 1e6),
        median: percentile(perPatient, 0.5),
        p99: percentile(perPatient, 0.99),
      });
    }
  }
  const loadBefore = loadavg()[0] ?? 0;

  // Across a worker pool, each medicine as an order (one worker per core; this thread hands out chunks).
  const poolSize = Number(process.env['BENCH_POOL_SIZE'] ?? availableParallelism());
  const withPool = process.env['BENCH_POOL'] !== '0';
  const pool = createCheckPool(poolSize);
  const batch = Array.from({ length: patients }, (_, i) => reviewInputs[i % reviewInputs.length]!);
  let poolSeconds = NaN;
  let poolCpuSeconds = NaN;
  let jsonSeconds = NaN;
  let jsonCpuSeconds = NaN;
  let poolPerPatient: number[] = [];
  if (withPool) {
    await pool.review(batch.slice(0, 2000)); // warm-up: each worker's JIT and caches
    const poolCpuStart = process.cpuUsage(); // process-wide: includes the workers' threads
    const poolStart = performance.now();
    const reviews = await pool.review(batch);
    poolSeconds = (performance.now() - poolStart) / 1000;
    const poolCpu = process.cpuUsage(poolCpuStart);
    poolCpuSeconds = (poolCpu.user + poolCpu.system) / 1e6;
    // The same through reviewJson: results as JSON text (what a caller that stores them would keep).
    await pool.reviewJson(batch.slice(0, 2000));
    const jsonCpuStart = process.cpuUsage();
    const jsonStart = performance.now();
    const texts = await pool.reviewJson(batch);
    jsonSeconds = (performance.now() - jsonStart) / 1000;
    const jsonCpu = process.cpuUsage(jsonCpuStart);
    jsonCpuSeconds = (jsonCpu.user + jsonCpu.system) / 1e6;
    sink += texts.length;
    poolPerPatient = reviews.map((r) => r.elapsedMs).sort((a, b) => a - b);
  }
  await pool.close();

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
  const med = (name: keyof typeof results, field: keyof RunFigures): number =>
    median(results[name].map((r) => r[field]));
  console.log('\n## Reconciliation + checks (20 medicines per patient)');
  console.log(machineLine());
  console.log(
    `(shared machine: 1-minute load ${loadAtStart.toFixed(1)} at the start, ${loadBefore.toFixed(1)} after the one-thread runs, ${loadavg()[0]?.toFixed(1)} at the end; ${patients} patients per run, ${runs} runs per row alternating, medians shown)`,
  );
  console.log(
    '- **profile** (headline): reconciliation + runProfileChecks, the whole list once (each pair once, each medicine once)',
  );
  console.log(
    '- **20 orders**: reconciliation + runChecks on each medicine as an order against the other 19 (each pair twice, mirrored)',
  );
  console.log(
    `| one thread | patients/s (wall) | patients per CPU-second | median per patient | p99 per patient | findings per patient (bench patient 0) |\n|---|---|---|---|---|---|`,
  );
  for (const [name, label] of [
    ['profile', 'reconciliation + profile checks (headline)'],
    ['orders', 'reconciliation + 20 orders × runChecks'],
  ] as const) {
    console.log(
      `| ${label} | ${Math.round(med(name, 'perSecond'))} | ${Math.round(med(name, 'perCpuSecond'))} | ${med(name, 'median').toFixed(3)} ms | ${med(name, 'p99').toFixed(3)} ms | ${findingsPerPatient[name]} |`,
    );
  }
  console.log('| goal | ≥ 5,000 | | | ≤ 5 ms | |');
  console.log(
    `(runs, patients/s: profile ${results.profile.map((r) => Math.round(r.perSecond)).join(', ')}; 20 orders ${results.orders.map((r) => Math.round(r.perSecond)).join(', ')})`,
  );
  if (withPool) {
    const w = `pool of ${pool.size}`;
    console.log(
      `\n| 20 orders across a worker pool (one run) | ${w}, objects | ${w}, JSON text |\n|---|---|---|`,
    );
    console.log(
      `| patients/s (wall clock) | ${Math.round(patients / poolSeconds)} | ${Math.round(patients / jsonSeconds)} |`,
    );
    console.log(
      `| patients per CPU-second (whole process, all threads) | ${Math.round(patients / poolCpuSeconds)} | ${Math.round(patients / jsonCpuSeconds)} |`,
    );
    console.log(
      `| median / p99 per patient (compute) | ${percentile(poolPerPatient, 0.5).toFixed(3)} / ${percentile(poolPerPatient, 0.99).toFixed(3)} ms | |`,
    );
  }
  console.log(
    `\n| CDS Hooks order-sign p99 (in-process, JSON copy included) | ${percentile(hookTimes, 0.99).toFixed(3)} ms | goal ≤ 50 ms |`,
  );
}

interface RunFigures {
  perSecond: number;
  perCpuSecond: number;
  median: number;
  p99: number;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

function meds20(): string[] {
  return DRUGS.slice();
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await benchChecksAsync(Number(process.env['BENCH_PATIENTS'] ?? 5000));
}
