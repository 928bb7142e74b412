// Duplicate therapy: the same ingredient (brand or generic) and two drugs of a duplication-prone class.
import { describe, expect, it } from 'vitest';
import { runChecks } from './run-checks.ts';
import { createStarterTerminology } from '../terminology/starter-terminology.ts';

const terminology = createStarterTerminology();

function duplicates(order: string, active: string[]) {
  return runChecks(
    {
      order: { name: order },
      patient: {},
      allergies: [],
      problems: [],
      labs: [],
      activeMedications: active.map((name) => ({ name })),
      terminology,
    },
    { only: ['duplicate-therapy'] },
  ).map((f) => [f.rule, f.severity, f.drugs]);
}

describe('checkDuplicateTherapy', () => {
  it('flags the same ingredient under a brand name as high', () => {
    expect(duplicates('Lipitor 20 mg', ['atorvastatin 40 mg'])).toEqual([
      ['duplicate-ingredient', 'high', ['atorvastatin']],
    ]);
  });

  it('flags an ingredient shared with a combination product', () => {
    expect(duplicates('lisinopril 10 mg', ['lisinopril/hydrochlorothiazide 20/12.5 mg'])).toEqual([
      ['duplicate-ingredient', 'high', ['lisinopril']],
    ]);
  });

  it('flags two members of a duplication-prone class as moderate, once per pair', () => {
    expect(duplicates('simvastatin 20 mg', ['atorvastatin 40 mg', 'metformin 500 mg'])).toEqual([
      ['duplicate-class-statin', 'moderate', ['simvastatin', 'atorvastatin']],
    ]);
    expect(duplicates('sertraline 50 mg', ['fluoxetine 20 mg'])).toEqual([
      ['duplicate-class-ssri', 'moderate', ['sertraline', 'fluoxetine']],
    ]);
  });

  it('says nothing for different classes', () => {
    expect(duplicates('amlodipine 5 mg', ['lisinopril 10 mg', 'metformin 500 mg'])).toEqual([]);
  });
});
