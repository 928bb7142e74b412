// Adherence: proportion of days covered with overlapping (early) refills, window clipping, and the 0.8 threshold.
import { describe, expect, it } from 'vitest';
import type { PharmacyProfile } from '../platform/pharmacy/pharmacy-system.ts';
import { checkAdherence, pdcByDrug, proportionOfDaysCovered } from './adherence-check.ts';
import { createStarterTerminology } from '../terminology/starter-terminology.ts';

const terminology = createStarterTerminology();
const window = { start: '2025-01-01', end: '2025-03-31' };

describe('proportionOfDaysCovered', () => {
  it('shifts an early refill to start when the earlier supply runs out, so overlapping days count once', () => {
    // Index 01-01, 90 days in the period. Fills: 30 days each on 01-01, 01-20 (11 days early), 02-15.
    // Coverage: 01-01..01-30, 01-31..03-01 (shifted), 03-02..03-31 (shifted): every day.
    const pdc = proportionOfDaysCovered(
      [
        { date: '2025-01-01', daysSupply: 30 },
        { date: '2025-01-20', daysSupply: 30 },
        { date: '2025-02-15', daysSupply: 30 },
      ],
      window,
    );
    expect(pdc).toEqual({ pdc: 1, daysCovered: 90, daysInPeriod: 90, fills: 3 });
  });

  it('counts gaps between late refills, and clips supply running past the window end', () => {
    const pdc = proportionOfDaysCovered(
      [
        { date: '2025-01-01', daysSupply: 30 },
        { date: '2025-02-15', daysSupply: 30 },
        { date: '2025-03-20', daysSupply: 90 },
      ],
      window,
    );
    // 30 + 30 (02-15..03-16) + 12 (03-20..03-31) = 72 of 90.
    expect(pdc).toEqual({ pdc: 0.8, daysCovered: 72, daysInPeriod: 90, fills: 3 });
  });

  it('needs two fills in the window, and starts the period at the first of them', () => {
    expect(proportionOfDaysCovered([{ date: '2025-01-01', daysSupply: 30 }], window)).toBeUndefined();
    const pdc = proportionOfDaysCovered(
      [
        { date: '2024-11-01', daysSupply: 30 },
        { date: '2025-03-02', daysSupply: 15 },
        { date: '2025-03-17', daysSupply: 15 },
      ],
      window,
    );
    expect(pdc).toEqual({ pdc: 1, daysCovered: 30, daysInPeriod: 30, fills: 2 });
  });
});

function profile(
  prescriptions: Array<{ id: string; drugName: string; prn?: boolean }>,
  fills: PharmacyProfile['fills'],
) {
  return {
    patient: {
      id: 'T1',
      given: 'TEST',
      family: 'PATIENT',
      birthDate: '1950-01-01',
      gender: 'unknown',
      identifiers: [],
      site: 'main',
    },
    prescriptions: prescriptions.map((p, i) => ({
      id: p.id,
      rxNumber: String(i),
      drugName: p.drugName,
      sig: 'as directed',
      prn: p.prn ?? false,
      status: 'active' as const,
      prescriber: 'Dr. Test',
      writtenDate: '2024-12-01',
      refillsRemaining: 3,
    })),
    fills,
    allergies: [],
  } satisfies PharmacyProfile;
}

describe('checkAdherence', () => {
  const fills = (id: string, dates: string[]) =>
    dates.map((date) => ({ prescriptionId: id, date, quantity: 30, daysSupply: 30 }));

  it('groups prescriptions of one drug (brand and generic) and flags a PDC below 0.8', () => {
    const p = profile(
      [
        { id: 'a', drugName: 'atorvastatin 40 mg' },
        { id: 'b', drugName: 'Lipitor 40 mg' },
        { id: 'c', drugName: 'lisinopril 10 mg' },
      ],
      [
        ...fills('a', ['2025-01-01']),
        ...fills('b', ['2025-02-20']),
        ...fills('c', ['2025-01-01', '2025-01-31', '2025-03-02']),
      ],
    );
    expect(pdcByDrug(p, terminology, window).map((r) => [r.drug, r.pdc])).toEqual([
      ['atorvastatin', 0.667],
      ['lisinopril', 1],
    ]);
    const findings = checkAdherence(p, terminology, window);
    expect(findings.map((f) => [f.drugs, f.severity, f.rule])).toEqual([
      [['atorvastatin'], 'moderate', 'pdc-below-threshold'],
    ]);
    expect(findings[0]?.summary).toBe('Adherence: atorvastatin covered 67% of days (below 80%)');
  });

  it('does not hold as-needed medicines to the threshold', () => {
    const p = profile(
      [{ id: 'a', drugName: 'albuterol inhaler', prn: true }],
      fills('a', ['2025-01-01', '2025-03-15']),
    );
    expect(checkAdherence(p, terminology, window)).toEqual([]);
  });
});
