// Reconciliation rules: each discrepancy type, ingredient-level matching, priorities, wording and stable ids.
import { describe, expect, test } from 'vitest';
import { extractMedications } from '../extract/rules/extract-medications.ts';
import type { PharmacyPrescription, PharmacyProfile } from '../platform/pharmacy/pharmacy-system.ts';
import { createStarterTerminology } from '../terminology/starter-terminology.ts';
import type { ReconciliationSource } from './discrepancy.ts';
import type { EhrMedication } from './ehr-medication.ts';
import { ehrMedicationFromExtraction } from './ehr-medication.ts';
import { PRIORITY_RULES, priorityFor } from './priority-rules.ts';
import { reconcileMedications } from './reconcile-medications.ts';

const terminology = createStarterTerminology();
const asOf = new Date('2026-01-15T00:00:00Z');

let rxSeq = 0;
function rx(drugName: string, fields: Partial<PharmacyPrescription> = {}): PharmacyPrescription {
  rxSeq += 1;
  return {
    id: `RX${rxSeq}`,
    rxNumber: String(7000000 + rxSeq),
    drugName,
    sig: `Take as directed (${drugName})`,
    dose: { value: 1, unit: 'tablet' },
    frequencyPerDay: 1,
    route: 'oral',
    prn: false,
    status: 'active',
    prescriber: 'Dr. Test Prescriber',
    writtenDate: '2025-06-01',
    refillsRemaining: 3,
    ...fields,
  };
}

function profileWith(...prescriptions: PharmacyPrescription[]): PharmacyProfile {
  return {
    patient: {
      id: 'T1',
      given: 'TEST',
      family: 'PATIENT',
      birthDate: '1950-01-01',
      gender: 'unknown',
      identifiers: [],
      site: 'main-street',
    },
    prescriptions,
    fills: prescriptions.map((p) => ({
      prescriptionId: p.id,
      date: '2026-01-02',
      quantity: 30,
      daysSupply: 30,
    })),
    allergies: [],
  };
}

function fromText(text: string): EhrMedication[] {
  return extractMedications(text, { terminology }).map((m) =>
    ehrMedicationFromExtraction(m, 'DocumentReference/d1'),
  );
}

function run(text: string, profile: PharmacyProfile, source: ReconciliationSource = 'discharge') {
  return reconcileMedications({ ehr: fromText(text), profile, terminology, asOf, source });
}

function kinds(result: ReturnType<typeof run>) {
  return result.discrepancies.map((d) => [d.type, d.drug, d.priority]);
}

const metformin1000 = () =>
  rx('metformin 1000 mg tablet', {
    rxcui: '861004',
    strength: { value: 1000, unit: 'mg' },
    frequencyPerDay: 2,
  });
const lisinopril10 = () =>
  rx('lisinopril 10 mg tablet', { rxcui: '314076', strength: { value: 10, unit: 'mg' } });

describe('matching by ingredient', () => {
  test.each([
    ['brand on the list, generic on the profile', 'Glucophage 1000 mg BID'],
    ['salt form on the list', 'metformin hydrochloride 1000 mg twice daily'],
    ['count × strength equals the stated dose', 'metformin 500 mg tablet, take 2 tablets BID'],
  ])('%s', (_case, text) => {
    const result = run(text, profileWith(metformin1000()));
    expect(result.discrepancies).toEqual([]);
    expect(result.matched).toHaveLength(1);
  });

  test('generic on the list, brand without rxcui on the profile; mcg against mg', () => {
    const synthroid = rx('Synthroid 100 mcg tablet', { strength: { value: 100, unit: 'mcg' } });
    const result = run('levothyroxine 0.1 mg daily', profileWith(synthroid));
    expect(result.matched).toHaveLength(1);
    expect(result.summary).toBe('Discharge list agrees with the pharmacy profile (1 matched).');
  });

  test('an unknown drug still matches by name', () => {
    const folic = rx('folic acid 1 mg tablet', { strength: { value: 1, unit: 'mg' } });
    const result = reconcileMedications({
      ehr: [{ name: 'Folic acid', strength: { value: 1, unit: 'mg' }, frequencyPerDay: 1, prn: false }],
      profile: profileWith(folic),
      terminology,
      asOf,
      source: 'discharge',
    });
    expect(result.matched).toHaveLength(1);
  });
});

describe('discrepancy types', () => {
  test('omission: on the list, not in the pharmacy (high for an anticoagulant)', () => {
    const result = run('Apixaban 5 mg BID', profileWith());
    expect(kinds(result)).toEqual([['omission', 'apixaban', 'high']]);
    expect(result.discrepancies[0]?.suggestedAction).toBe(
      'Discharge list has apixaban 5 mg twice daily, which is not on the pharmacy profile. Check whether a new ' +
        'prescription was sent; if not, contact the discharging prescriber so the patient does not go without it.',
    );
    expect(run('Apixaban 5 mg BID', profileWith(), 'ehr-list').discrepancies[0]?.suggestedAction).toMatch(
      /^EHR medication list has apixaban .*Ask the patient whether they take it/,
    );
  });

  test('commission: active pharmacy prescription missing from the list; wording by source', () => {
    const discharge = run('Lisinopril 10 mg daily', profileWith(lisinopril10(), metformin1000()));
    expect(kinds(discharge)).toEqual([['commission', 'metformin', 'medium']]);
    expect(discharge.discrepancies[0]?.suggestedAction).toMatch(
      /^Pharmacy profile has metformin 1000 mg twice daily \(Rx \d+, Dr\. Test Prescriber, last filled 2026-01-02\), but the discharge list does not\. Verify with the discharging prescriber whether it was stopped at discharge/,
    );
    const ehrList = run('Lisinopril 10 mg daily', profileWith(lisinopril10(), metformin1000()), 'ehr-list');
    expect(ehrList.discrepancies[0]?.suggestedAction).toMatch(/Ask the patient whether they still take it/);
  });

  test('only active prescriptions count', () => {
    const stopped = rx('atorvastatin 20 mg tablet', {
      strength: { value: 20, unit: 'mg' },
      status: 'discontinued',
    });
    const held = rx('simvastatin 20 mg tablet', { strength: { value: 20, unit: 'mg' }, status: 'on-hold' });
    const result = run('Lisinopril 10 mg daily', profileWith(lisinopril10(), stopped, held));
    expect(result.discrepancies).toEqual([]);
  });

  test('a commission names a same-class drug on the list, and the omission names the one it may replace', () => {
    const atorva = rx('atorvastatin 20 mg tablet', { strength: { value: 20, unit: 'mg' } });
    const result = run('Rosuvastatin 20 mg daily', profileWith(atorva));
    expect(kinds(result)).toEqual([
      ['omission', 'rosuvastatin', 'medium'],
      ['commission', 'atorvastatin', 'medium'],
    ]);
    expect(result.discrepancies[0]?.suggestedAction).toMatch(/It may replace atorvastatin\./);
    expect(result.discrepancies[1]?.suggestedAction).toMatch(/The list has rosuvastatin in the same class\./);
  });

  test('dose change (high for warfarin), with the pharmacy evidence', () => {
    const warfarin = rx('warfarin 5 mg tablet', { rxcui: '855332', strength: { value: 5, unit: 'mg' } });
    const result = run('Coumadin 2.5 mg daily', profileWith(warfarin));
    expect(kinds(result)).toEqual([['dose-change', 'warfarin', 'high']]);
    expect(result.discrepancies[0]?.evidence.pharmacy).toMatchObject({
      rxNumber: warfarin.rxNumber,
      lastFill: { date: '2026-01-02', daysSupply: 30 },
    });
  });

  test('dose change in units for insulin', () => {
    const lantus = rx('Lantus 100 units/mL', {
      rxcui: '285018',
      strength: { value: 100, unit: 'units/mL' },
      dose: { value: 24, unit: 'units' },
      route: 'subcutaneous',
    });
    const result = run('Insulin glargine 30 units subcut at bedtime', profileWith(lantus));
    expect(kinds(result)).toEqual([['dose-change', 'insulin glargine', 'high']]);
    expect(result.discrepancies[0]?.suggestedAction).toMatch(
      /has insulin glargine 30 units once daily; pharmacy profile has 24 units once daily/,
    );
  });

  test('frequency change, including scheduled vs as needed', () => {
    expect(kinds(run('Lisinopril 10 mg BID', profileWith(lisinopril10())))).toEqual([
      ['frequency-change', 'lisinopril', 'medium'],
    ]);
    expect(kinds(run('Lisinopril 10 mg daily PRN', profileWith(lisinopril10())))).toEqual([
      ['frequency-change', 'lisinopril', 'medium'],
    ]);
  });

  test('route change', () => {
    const ondansetron = rx('ondansetron 4 mg tablet', {
      strength: { value: 4, unit: 'mg' },
      frequencyPerDay: 3,
    });
    const result = run('Ondansetron 4 mg IV TID', profileWith(ondansetron));
    expect(kinds(result)).toEqual([['route-change', 'ondansetron', 'medium']]);
    expect(result.discrepancies[0]?.suggestedAction).toMatch(/intravenous route; pharmacy profile has oral/);
  });

  test('duplicate on the list (same ingredient twice) and on the profile', () => {
    const toprol = rx('metoprolol succinate ER 50 mg', { strength: { value: 50, unit: 'mg' } });
    const list = run('Metoprolol tartrate 25 mg BID; Toprol XL 50 mg daily', profileWith(toprol));
    expect(kinds(list)).toEqual([['duplicate', 'metoprolol', 'high']]);
    expect(list.discrepancies[0]?.others).toHaveLength(1);

    const profile = run('Lisinopril 10 mg daily', profileWith(lisinopril10(), lisinopril10()));
    expect(kinds(profile)).toEqual([['duplicate', 'lisinopril', 'medium']]);
    expect(profile.discrepancies[0]?.suggestedAction).toMatch(
      /^Pharmacy profile has 2 active prescriptions for lisinopril/,
    );
  });

  test('therapeutic duplication: two statins on one list', () => {
    const atorva = rx('atorvastatin 20 mg tablet', { strength: { value: 20, unit: 'mg' } });
    const simva = rx('simvastatin 20 mg tablet', { rxcui: '312961', strength: { value: 20, unit: 'mg' } });
    const result = run('Atorvastatin 20 mg daily; Simvastatin 20 mg daily', profileWith(atorva, simva));
    expect(kinds(result)).toEqual([
      ['therapeutic-duplication', 'atorvastatin', 'medium'],
      ['therapeutic-duplication', 'atorvastatin', 'medium'],
    ]);
    expect(result.discrepancies.map((d) => Boolean(d.pharmacy)).sort()).toEqual([false, true]);
  });

  test('stopped on the list but active in the pharmacy; held likewise', () => {
    const result = run(
      'STOP lisinopril 10 mg daily; HOLD metformin 1000 mg BID',
      profileWith(lisinopril10(), metformin1000()),
    );
    expect(kinds(result)).toEqual([
      ['discontinued-still-active', 'lisinopril', 'medium'],
      ['held-still-active', 'metformin', 'medium'],
    ]);
    expect(result.discrepancies[0]?.suggestedAction).toMatch(
      /says to stop lisinopril; the pharmacy profile still has it active/,
    );
    expect(run('STOP aspirin 81 mg daily', profileWith()).discrepancies).toEqual([]);
  });
});

describe('priority', () => {
  test('rules are data, first match wins', () => {
    expect(PRIORITY_RULES.map((r) => r.priority)).toEqual(['high', 'high', 'low', 'medium']);
    expect(priorityFor({ highAlert: true, classes: ['opioid'], prn: true }).priority).toBe('high');
    expect(priorityFor({ highAlert: false, classes: ['nitrate'], prn: true }).priority).toBe('high');
    expect(priorityFor({ highAlert: false, classes: ['antiemetic'], prn: true }).priority).toBe('low');
    expect(priorityFor({ highAlert: false, classes: ['statin'], prn: false }).priority).toBe('medium');
  });

  test('an as-needed omission is low; an opioid stays high; results are ordered high first', () => {
    const result = run(
      'Ondansetron 4 mg q8h PRN nausea; Oxycodone 5 mg q6h PRN pain; Lisinopril 20 mg daily',
      profileWith(lisinopril10()),
    );
    expect(kinds(result)).toEqual([
      ['omission', 'oxycodone', 'high'],
      ['dose-change', 'lisinopril', 'medium'],
      ['omission', 'ondansetron', 'low'],
    ]);
    expect(result.summary).toBe(
      'Discharge list vs pharmacy profile: 0 matched, 3 discrepancies (1 high priority): omission oxycodone; dose change lisinopril; omission ondansetron.',
    );
  });
});

test('discrepancy ids are stable across runs and distinct within one', () => {
  const profile = profileWith(lisinopril10(), metformin1000());
  const first = run('Lisinopril 20 mg daily; Apixaban 5 mg BID', profile).discrepancies.map((d) => d.id);
  const again = run('Lisinopril 20 mg daily; Apixaban 5 mg BID', profile).discrepancies.map((d) => d.id);
  expect(again).toEqual(first);
  expect(new Set(first).size).toBe(first.length);
});

test('ehrMedicationFromExtraction keeps values, evidence and confidence', () => {
  const [m] = extractMedications('Oxycodone 5 mg PO q6h PRN pain', { terminology });
  expect(ehrMedicationFromExtraction(m!, 'DocumentReference/d9')).toEqual({
    name: 'Oxycodone',
    rxcui: '7804',
    strength: { value: 5, unit: 'mg' },
    frequencyPerDay: 4,
    frequencyText: 'q6h',
    route: 'oral',
    prn: true,
    evidence: {
      text: 'Oxycodone 5 mg PO q6h PRN pain',
      span: { start: 0, end: 30 },
      sourceReference: 'DocumentReference/d9',
    },
    confidence: m!.confidence,
  });
});
