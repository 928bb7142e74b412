// The embedded PharmacySystem: patient matching rules, profile isolation, and the demo data's shape.
import { describe, expect, test } from 'vitest';
import { DEMO_PHARMACY } from './demo-pharmacy.ts';
import { createEmbeddedPharmacy } from './embedded-pharmacy.ts';

const pharmacy = createEmbeddedPharmacy();

describe('findPatient', () => {
  test('by linked identifier (assigning authority + MRN)', async () => {
    const match = await pharmacy.findPatient({ identifiers: [{ system: 'GENHOSP', value: 'MRN10001' }] });
    expect(match?.method).toBe('identifier');
    expect(match?.patient).toMatchObject({ id: 'P0001', family: 'WHITFIELD', given: 'ELEANOR' });
  });

  test('identifier wins over demographics that point elsewhere', async () => {
    const match = await pharmacy.findPatient({
      identifiers: [{ system: 'GENHOSP', value: 'MRN10002' }],
      family: 'Whitfield',
      given: 'Eleanor',
      birthDate: '1948-03-12',
    });
    expect(match).toMatchObject({ method: 'identifier', patient: { id: 'P0002' } });
  });

  test('an MRN from another assigning authority does not match', async () => {
    expect(
      await pharmacy.findPatient({ identifiers: [{ system: 'OTHERHOSP', value: 'MRN10001' }] }),
    ).toBeUndefined();
  });

  test('by family, given and birth date, case-insensitive', async () => {
    const match = await pharmacy.findPatient({
      identifiers: [{ system: 'OTHERHOSP', value: 'A-77' }],
      family: 'whitfield',
      given: ' Eleanor ',
      birthDate: '1948-03-12',
    });
    expect(match).toMatchObject({ method: 'demographics', patient: { id: 'P0001' } });
  });

  test('demographics need all three fields and an exact birth date', async () => {
    expect(
      await pharmacy.findPatient({ identifiers: [], family: 'WHITFIELD', given: 'ELEANOR' }),
    ).toBeUndefined();
    expect(
      await pharmacy.findPatient({
        identifiers: [],
        family: 'WHITFIELD',
        given: 'ELEANOR',
        birthDate: '1948-03-13',
      }),
    ).toBeUndefined();
  });

  test('refuses a demographic match when the patient holds a different MRN at the same authority', async () => {
    const match = await pharmacy.findPatient({
      identifiers: [{ system: 'GENHOSP', value: 'MRN99999' }],
      family: 'WHITFIELD',
      given: 'ELEANOR',
      birthDate: '1948-03-12',
    });
    expect(match).toBeUndefined();
  });

  test('refuses to choose between two patients', async () => {
    const first = DEMO_PHARMACY.profiles[0]!;
    const twin = structuredClone(first);
    twin.patient.id = 'P9999';
    twin.patient.identifiers = [{ system: 'GENHOSP', value: 'MRN10001' }];
    const doubled = createEmbeddedPharmacy({ profiles: [first, twin] });
    expect(
      await doubled.findPatient({ identifiers: [{ system: 'GENHOSP', value: 'MRN10001' }] }),
    ).toBeUndefined();
    expect(
      await doubled.findPatient({
        identifiers: [],
        family: 'WHITFIELD',
        given: 'ELEANOR',
        birthDate: '1948-03-12',
      }),
    ).toBeUndefined();
  });
});

describe('profiles', () => {
  test('P0001 is the mission patient', async () => {
    const profile = await pharmacy.getProfile('P0001');
    expect(profile?.patient).toMatchObject({
      birthDate: '1948-03-12',
      gender: 'female',
      site: 'main-street',
      identifiers: expect.arrayContaining([{ system: 'GENHOSP', value: 'MRN10001' }]) as unknown,
    });
    const active = profile?.prescriptions.filter((p) => p.status === 'active') ?? [];
    expect(active.map((p) => [p.drugName, p.strength?.value, p.frequencyPerDay])).toEqual([
      ['metformin 1000 mg tablet', 1000, 2],
      ['lisinopril 10 mg tablet', 10, 1],
      ['atorvastatin 20 mg tablet', 20, 1],
    ]);
    expect(active[0]?.sig).toBe('Take 1 tablet by mouth twice daily with meals');
    expect(profile?.allergies).toEqual([
      { substance: 'penicillin', reaction: 'hives', severity: 'moderate' },
    ]);
  });

  test('callers get copies: changing one does not change the pharmacy', async () => {
    const profile = await pharmacy.getProfile('P0001');
    profile!.prescriptions.length = 0;
    expect((await pharmacy.getProfile('P0001'))?.prescriptions).toHaveLength(3);
    expect(await pharmacy.getProfile('nobody')).toBeUndefined();
  });

  test('listPatients returns all twelve', async () => {
    expect((await pharmacy.listPatients()).map((p) => p.id)).toEqual(
      Array.from({ length: 12 }, (_, i) => `P${String(i + 1).padStart(4, '0')}`),
    );
  });
});

describe('demo data', () => {
  const profiles = DEMO_PHARMACY.profiles;

  test('every patient is linked at GENHOSP, MRN10001..MRN10012, on one of two sites', () => {
    profiles.forEach((p, i) => {
      expect(p.patient.identifiers).toContainEqual({ system: 'GENHOSP', value: `MRN${10001 + i}` });
      expect(['main-street', 'riverside']).toContain(p.patient.site);
    });
    expect(new Set(profiles.map((p) => p.patient.site)).size).toBe(2);
  });

  test('covers the cases the demo needs', () => {
    const all = profiles.flatMap((p) => p.prescriptions);
    const names = all.map((p) => p.drugName.toLowerCase());
    expect(names.some((n) => n.includes('warfarin') || n.includes('eliquis'))).toBe(true);
    expect(names.some((n) => n.includes('lantus') || n.includes('insulin'))).toBe(true);
    expect(all.some((p) => p.prn && p.drugName.includes('oxycodone'))).toBe(true);
    expect(all.some((p) => p.status === 'discontinued')).toBe(true);
    expect(names.filter((n) => /lantus|synthroid|eliquis|humalog/.test(n)).length).toBeGreaterThanOrEqual(3);
    const ages = profiles.map((p) => 2026 - Number(p.patient.birthDate.slice(0, 4)));
    expect(Math.max(...ages) - Math.min(...ages)).toBeGreaterThan(40);
  });

  test('fills belong to their patient, fall in the six months before mid-January 2026, and are well formed', () => {
    for (const profile of profiles) {
      const ids = new Set(profile.prescriptions.map((p) => p.id));
      expect(profile.fills.length).toBeGreaterThan(0);
      for (const fill of profile.fills) {
        expect(ids.has(fill.prescriptionId)).toBe(true);
        expect(fill.date >= '2025-07-01' && fill.date <= '2026-01-15').toBe(true);
        expect(fill.quantity).toBeGreaterThan(0);
        expect(fill.daysSupply).toBeGreaterThan(0);
      }
      for (const rx of profile.prescriptions) {
        expect(rx.sig.length).toBeGreaterThan(10);
        expect(rx.prescriber).toMatch(/^Dr\. /);
      }
    }
  });
});
