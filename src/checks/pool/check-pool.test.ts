// The check pool gives the same reviews as the in-process function, in input order, as objects or JSON text.
import { afterAll, describe, expect, it } from 'vitest';
import { createStarterTerminology } from '../../terminology/starter-terminology.ts';
import { createCheckPool } from './check-pool.ts';
import type { PatientReviewInput } from './patient-review.ts';
import { reviewPatient } from './patient-review.ts';

const DRUGS = [
  'simvastatin 40 mg',
  'clarithromycin 500 mg',
  'metformin 500 mg',
  'lisinopril 10 mg',
  'warfarin 5 mg',
];

function patient(i: number): PatientReviewInput {
  const meds = DRUGS.slice(0, 2 + (i % 4));
  return {
    ehr: meds.map((name) => ({ name, prn: false, frequencyPerDay: 1 })),
    profile: {
      patient: {
        id: `P${i}`,
        given: 'T',
        family: 'T',
        birthDate: '1950-01-01',
        gender: 'female',
        identifiers: [],
        site: 's',
      },
      prescriptions: meds.slice(1).map((name, k) => ({
        id: `R${k}`,
        rxNumber: String(k),
        drugName: name,
        sig: 'daily',
        prn: false,
        status: 'active',
        prescriber: 'Dr. T',
        writtenDate: '2025-06-01',
        refillsRemaining: 1,
        frequencyPerDay: k % 2 === 0 ? 1 : 2,
      })),
      fills: [],
      allergies: [],
    },
    asOf: '2026-01-15T12:00:00.000Z',
    source: 'ehr-list',
    patient: { age: 80, sex: 'female' },
    allergies: [],
    problems: [{ code: 'N18.4', text: 'CKD stage 4' }],
    labs: [{ loinc: '98979-8', value: 24, date: '2026-01-05' }],
    orders: meds.map((name) => ({ name })),
  };
}

describe('createCheckPool', () => {
  const pool = createCheckPool(2, { chunkSize: 3 });
  afterAll(async () => pool.close());
  const patients = Array.from({ length: 10 }, (_, i) => patient(i));
  const terminology = createStarterTerminology();
  const expected = patients.map((p) => {
    const { elapsedMs: _elapsed, ...rest } = reviewPatient(p, terminology);
    return rest;
  });

  it('reviews across workers, results in input order and equal to the in-process review', async () => {
    const reviews = await pool.review(patients);
    expect(pool.size).toBe(2);
    expect(reviews.map(({ elapsedMs: _e, ...rest }) => rest)).toEqual(expected);
    expect(reviews.some((r) => r.findings.flat().some((f) => f.severity === 'critical'))).toBe(true);
  });

  it('reviewJson gives the same reviews as JSON text', async () => {
    const texts = await pool.reviewJson(patients);
    const parsed = texts.map((t) => {
      const { elapsedMs: _e, ...rest } = JSON.parse(t) as ReturnType<typeof reviewPatient>;
      return rest;
    });
    expect(parsed).toEqual(JSON.parse(JSON.stringify(expected)));
  });
});
