// INR monitoring for warfarin: in range (boundaries included), low, high, critical, missing and stale.
import { describe, expect, it } from 'vitest';
import type { CheckLab } from './check-input.ts';
import { runChecks } from './run-checks.ts';
import { createStarterTerminology } from '../terminology/starter-terminology.ts';

const terminology = createStarterTerminology();
const asOf = new Date('2026-01-15T12:00:00Z');
const inr = (value: number, date = '2026-01-10'): CheckLab => ({ loinc: '6301-6', value, date });

function inrFindings(order: string, labs: CheckLab[]) {
  return runChecks(
    {
      order: { name: order },
      patient: {},
      allergies: [],
      problems: [],
      labs,
      activeMedications: [],
      terminology,
      asOf,
    },
    { only: ['inr-monitoring'] },
  ).map((f) => [f.rule, f.severity]);
}

describe('checkInr', () => {
  it('says nothing for a recent INR within 2.0-3.0, boundaries included', () => {
    for (const value of [2.0, 2.5, 3.0]) expect(inrFindings('warfarin 5 mg', [inr(value)])).toEqual([]);
  });

  it('flags out-of-range values by how far out they are', () => {
    expect(inrFindings('warfarin 5 mg', [inr(1.9)])).toEqual([['inr-low', 'moderate']]);
    expect(inrFindings('Coumadin 2 mg', [inr(3.1)])).toEqual([['inr-high', 'high']]);
    expect(inrFindings('warfarin 5 mg', [inr(4.0)])).toEqual([['inr-high', 'high']]);
    expect(inrFindings('warfarin 5 mg', [inr(4.8)])).toEqual([['inr-critical-high', 'critical']]);
  });

  it('reads the newest INR, including point-of-care results', () => {
    const labs = [inr(4.8, '2025-12-01'), { loinc: '34714-6', value: 2.4, date: '2026-01-12' }];
    expect(inrFindings('warfarin 5 mg', labs)).toEqual([]);
  });

  it('asks for an INR when none is on record or the last one is over 30 days old', () => {
    expect(inrFindings('warfarin 5 mg', [])).toEqual([['inr-missing', 'low']]);
    expect(inrFindings('warfarin 5 mg', [inr(2.5, '2025-12-10')])).toEqual([['inr-stale', 'low']]);
  });

  it('applies to warfarin only', () => {
    expect(inrFindings('apixaban 5 mg', [inr(4.8)])).toEqual([]);
  });
});
