// Age cautions for older adults: age thresholds, per-dose and per-day limits from the FDA labels.
import { describe, expect, it } from 'vitest';
import type { DrugOrder } from './check-input.ts';
import { runChecks } from './run-checks.ts';
import { createStarterTerminology } from '../terminology/starter-terminology.ts';

const terminology = createStarterTerminology();

function ageFindings(order: DrugOrder, age: number | undefined) {
  return runChecks(
    {
      order,
      patient: age === undefined ? {} : { age },
      allergies: [],
      problems: [],
      labs: [],
      activeMedications: [],
      terminology,
    },
    { only: ['age'] },
  ).map((f) => [f.rule, f.severity]);
}

describe('checkAge', () => {
  it('zolpidem above 5 mg per dose at 65 and older', () => {
    expect(ageFindings({ name: 'zolpidem 10 mg' }, 78)).toEqual([['age-zolpidem-dose', 'high']]);
    expect(ageFindings({ name: 'zolpidem 5 mg' }, 78)).toEqual([]);
    expect(ageFindings({ name: 'zolpidem 10 mg' }, 64)).toEqual([]);
    expect(ageFindings({ name: 'zolpidem 10 mg' }, 65)).toEqual([['age-zolpidem-dose', 'high']]);
  });

  it('a benzodiazepine at 65 and older, whatever the dose', () => {
    expect(ageFindings({ name: 'lorazepam 0.5 mg' }, 70)).toEqual([['age-benzodiazepine', 'moderate']]);
  });

  it('tramadol above 300 mg a day over 75, counting tablets per dose', () => {
    const order = (count: number): DrugOrder => ({
      name: 'tramadol 50 mg tablet',
      dose: { value: count, unit: 'tablet' },
      frequencyPerDay: 4,
    });
    expect(ageFindings(order(2), 76)).toEqual([['age-tramadol-daily', 'high']]);
    expect(ageFindings(order(1), 76)).toEqual([]);
    expect(ageFindings(order(2), 74)).toEqual([]);
  });

  it('says nothing without an age', () => {
    expect(ageFindings({ name: 'zolpidem 10 mg' }, undefined)).toEqual([]);
  });
});
