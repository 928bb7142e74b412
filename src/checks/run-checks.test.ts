// runChecks: the registry, `only`, and a prepared patient context giving the same findings as the full input.
import { describe, expect, it } from 'vitest';
import type { CheckInput, DrugOrder } from './check-input.ts';
import { CHECK_REGISTRY, preparePatientContext, runChecks } from './run-checks.ts';
import { createStarterTerminology } from '../terminology/starter-terminology.ts';

const terminology = createStarterTerminology();
const asOf = new Date('2026-01-15T12:00:00Z');
const meds: DrugOrder[] = [
  'warfarin 5 mg',
  'simvastatin 40 mg',
  'clarithromycin 500 mg',
  'atorvastatin 20 mg',
  'metformin 500 mg',
  'lisinopril 10 mg',
  'hydrochlorothiazide 25 mg',
].map((name) => ({ name }));
const facts = {
  patient: { age: 80, sex: 'female' as const },
  allergies: [{ substance: 'penicillin', reaction: 'hives' }],
  problems: [{ code: 'N18.4', text: 'CKD stage 4' }],
  labs: [
    { loinc: '98979-8', value: 25, date: '2026-01-05' },
    { loinc: '6301-6', value: 3.6, date: '2026-01-10' },
  ],
  terminology,
  asOf,
};
const key = (f: { check: string; rule: string; severity: string; drugs: string[] }) =>
  `${f.check}|${f.rule}|${f.severity}|${f.drugs.join('+')}`;

describe('runChecks', () => {
  it('registers every check once, each with a description', () => {
    const names = CHECK_REGISTRY.map((c) => c.name);
    expect(new Set(names).size).toBe(names.length);
    expect(CHECK_REGISTRY.every((c) => c.description.length > 0)).toBe(true);
  });

  it('gives the same findings from a prepared context as from the full input, each order against the others', () => {
    const context = preparePatientContext({ ...facts, activeMedications: meds });
    for (const order of meds) {
      const full: CheckInput = { ...facts, order, activeMedications: meds.filter((m) => m !== order) };
      const expected = runChecks(full).map(key);
      expect(runChecks({ order, context }).map(key)).toEqual(expected);
      expect(runChecks({ order, context, activeMedications: full.activeMedications }).map(key)).toEqual(
        expected,
      );
    }
  });

  it('finds what the facts imply, most severe first', () => {
    const context = preparePatientContext({ ...facts, activeMedications: meds });
    const findings = runChecks({ order: meds[4]!, context });
    expect(findings.map((f) => f.rule)).toEqual(['disease-metformin-severe-renal', 'renal-metformin-0-30']);
    const warfarin = runChecks({ order: meds[0]!, context }).map((f) => [f.rule, f.severity]);
    expect(warfarin[0]).toEqual(['inr-high', 'high']);
    expect(warfarin.slice(1).every(([, severity]) => severity === 'info')).toBe(true);
  });

  it('runs only the checks asked for, and a new order against the whole list', () => {
    const context = preparePatientContext({ ...facts, activeMedications: meds });
    const findings = runChecks({ order: { name: 'Zocor 20 mg' }, context }, { only: ['duplicate-therapy'] });
    expect(findings.map((f) => f.rule)).toEqual(['duplicate-ingredient', 'duplicate-class-statin']);
    expect(findings.every((f) => f.check === 'duplicate-therapy')).toBe(true);
  });
});
