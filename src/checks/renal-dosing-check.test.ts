// Renal dosing: label thresholds at their boundary values, the label's own measure, and Cockcroft-Gault.
import { describe, expect, it } from 'vitest';
import type { CheckLab, CheckPatient } from './check-input.ts';
import { cockcroftGault } from './renal-dosing-check.ts';
import { runChecks } from './run-checks.ts';
import { createStarterTerminology } from '../terminology/starter-terminology.ts';

const terminology = createStarterTerminology();
const asOf = new Date('2026-01-15T12:00:00Z');
const egfr = (value: number, date = '2026-01-10'): CheckLab => ({ loinc: '98979-8', value, date });
const crcl = (value: number, date = '2026-01-10'): CheckLab => ({ loinc: '2164-2', value, date });

function renal(order: string, labs: CheckLab[], patient: CheckPatient = {}) {
  return runChecks(
    {
      order: { name: order },
      patient,
      allergies: [],
      problems: [],
      labs,
      activeMedications: [],
      terminology,
      asOf,
    },
    { only: ['renal-dosing'] },
  ).map((f) => [f.rule, f.severity]);
}

describe('checkRenalDosing', () => {
  it('metformin: below 30 critical, 30 up to 45 moderate, 45 and above nothing', () => {
    expect(renal('metformin 500 mg', [egfr(29.9)])).toEqual([['renal-metformin-0-30', 'critical']]);
    expect(renal('metformin 500 mg', [egfr(30)])).toEqual([['renal-metformin-30-45', 'moderate']]);
    expect(renal('metformin 500 mg', [egfr(44.9)])).toEqual([['renal-metformin-30-45', 'moderate']]);
    expect(renal('metformin 500 mg', [egfr(45)])).toEqual([]);
  });

  it('nitrofurantoin: CrCl 59 is a finding, 60 is not', () => {
    expect(renal('Macrobid 100 mg', [crcl(59)])).toEqual([['renal-nitrofurantoin-0-60', 'high']]);
    expect(renal('nitrofurantoin 100 mg', [crcl(60)])).toEqual([]);
  });

  it('uses the newest result, and says which measure stood in for the label one', () => {
    expect(renal('metformin 500 mg', [egfr(25, '2025-06-01'), egfr(50, '2026-01-02')])).toEqual([]);
    const [finding] = runChecks(
      {
        order: { name: 'nitrofurantoin 100 mg' },
        patient: {},
        allergies: [],
        problems: [],
        labs: [egfr(40)],
        activeMedications: [],
        terminology,
        asOf,
      },
      { only: ['renal-dosing'] },
    );
    expect(finding?.detail).toMatch(/eGFR used in place of CrCl/);
  });

  it('computes CrCl by Cockcroft-Gault from creatinine when age, sex and weight are known', () => {
    expect(cockcroftGault(80, 60, 1.2, true)).toBe(35.4);
    const scr: CheckLab = { loinc: '2160-0', value: 1.2, date: '2026-01-10' };
    expect(renal('nitrofurantoin 100 mg', [scr], { age: 80, sex: 'female', weightKg: 60 })).toEqual([
      ['renal-nitrofurantoin-0-60', 'high'],
    ]);
    expect(renal('nitrofurantoin 100 mg', [scr], { age: 80, sex: 'female' })).toEqual([]);
  });

  it('says nothing without a renal result or for a drug without a renal rule', () => {
    expect(renal('metformin 500 mg', [])).toEqual([]);
    expect(renal('amlodipine 5 mg', [egfr(10)])).toEqual([]);
  });
});
