// End to end (almost): the mission's discharge text, extracted and reconciled against demo patient P0001.
import { expect, test } from 'vitest';
import { extractMedications } from '../extract/rules/extract-medications.ts';
// Tests compose the real adapter and vocabulary; reconcile itself sees only the ports.
// eslint-disable-next-line rxbridge/pipeline-boundaries
import { createEmbeddedPharmacy } from '../platform/pharmacy/embedded/embedded-pharmacy.ts';
import { createStarterTerminology } from '../terminology/starter-terminology.ts';
import type { EhrMedication } from './ehr-medication.ts';
import { ehrMedicationFromExtraction } from './ehr-medication.ts';
import { reconcileMedications } from './reconcile-medications.ts';

test('METFORMIN 500MG BID, LISINOPRIL 10MG DAILY against P0001: dose change, match, commission', async () => {
  const terminology = createStarterTerminology();
  const pharmacy = createEmbeddedPharmacy();
  const text = 'METFORMIN 500MG BID, LISINOPRIL 10MG DAILY';

  const match = await pharmacy.findPatient({ identifiers: [{ system: 'GENHOSP', value: 'MRN10001' }] });
  expect(match?.patient.id).toBe('P0001');
  const profile = await pharmacy.getProfile('P0001');
  const ehr = extractMedications(text, { terminology }).map((m) =>
    ehrMedicationFromExtraction(m, 'Observation/obx-5'),
  );

  const result = reconcileMedications({
    ehr,
    profile: profile!,
    terminology,
    asOf: new Date('2026-01-15T12:00:00Z'),
    source: 'discharge',
  });

  expect(result.matched).toHaveLength(1);
  expect(result.matched[0]?.ehr.name).toBe('LISINOPRIL');
  expect(result.matched[0]?.pharmacy.rxNumber).toBe('6100102');

  expect(result.discrepancies.map((d) => [d.type, d.drug, d.priority])).toEqual([
    ['dose-change', 'metformin', 'medium'],
    ['commission', 'atorvastatin', 'medium'],
  ]);
  const [doseChange, commission] = result.discrepancies;
  expect(doseChange?.suggestedAction).toBe(
    'Discharge list has metformin 500 mg twice daily; pharmacy profile has 1000 mg twice daily. ' +
      'Confirm the new dose with the discharging prescriber and update the profile.',
  );
  expect(doseChange?.evidence.ehr).toEqual({
    text: 'METFORMIN 500MG BID',
    span: { start: 0, end: 19 },
    sourceReference: 'Observation/obx-5',
  });
  expect(text.slice(doseChange!.evidence.ehr!.span!.start, doseChange!.evidence.ehr!.span!.end)).toBe(
    'METFORMIN 500MG BID',
  );
  expect(doseChange?.evidence.pharmacy).toMatchObject({ rxNumber: '6100101', prescriber: 'Dr. Amelia Hart' });
  expect(commission?.pharmacy?.drugName).toBe('atorvastatin 20 mg tablet');
  expect(commission?.suggestedAction).toMatch(/stopped at discharge/);
  expect(commission?.evidence.pharmacy?.lastFill?.date).toBe('2025-12-16');
  expect(result.summary).toBe(
    'Discharge list vs pharmacy profile: 1 matched, 2 discrepancies: dose change metformin; commission atorvastatin.',
  );
});

test('every demo profile reconciles cleanly against a list made from its own active prescriptions', async () => {
  const terminology = createStarterTerminology();
  const pharmacy = createEmbeddedPharmacy();
  for (const patient of await pharmacy.listPatients()) {
    const profile = (await pharmacy.getProfile(patient.id))!;
    const active = profile.prescriptions.filter((p) => p.status === 'active');
    const ehr = active.map((p) => {
      const med: EhrMedication = { name: p.drugName, prn: p.prn };
      if (p.rxcui) med.rxcui = p.rxcui;
      if (p.strength) med.strength = p.strength;
      if (p.dose) med.dose = p.dose;
      if (p.frequencyPerDay !== undefined) med.frequencyPerDay = p.frequencyPerDay;
      if (p.route) med.route = p.route;
      return med;
    });
    const result = reconcileMedications({
      ehr,
      profile,
      terminology,
      asOf: new Date('2026-01-15'),
      source: 'ehr-list',
    });
    expect({
      patient: patient.id,
      discrepancies: result.discrepancies.map((d) => `${d.type} ${d.drug}`),
    }).toEqual({
      patient: patient.id,
      discrepancies: [],
    });
    expect(result.matched).toHaveLength(active.length);
  }
});
