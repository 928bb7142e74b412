// runProfileChecks: the whole list reviewed once equals the de-duplicated union of each medicine checked as an
// order against the others (scenario patients and a generated 20-medicine patient), with no mirrored copies.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createStarterTerminology } from '../terminology/starter-terminology.ts';
import type { PatientFacts } from './check-context.ts';
import type { CheckAllergy, CheckLab, CheckPatient, CheckProblem, DrugOrder } from './check-input.ts';
import type { Finding } from './finding.ts';
import { runProfileChecks } from './profile-checks.ts';
import { preparePatientContext, runChecks } from './run-checks.ts';
import { TWENTY_MEDICINES } from '../../test/fixtures/scenarios/twenty-medicines.ts';

const terminology = createStarterTerminology();
const SCENARIOS = resolve(dirname(fileURLToPath(import.meta.url)), '../../test/fixtures/scenarios');

interface CheckScenario {
  name: string;
  kind: string;
  asOf: string;
  patient: CheckPatient;
  order: DrugOrder;
  active: DrugOrder[];
  allergies: CheckAllergy[];
  problems: CheckProblem[];
  labs: CheckLab[];
}

/** (check, drugs, severity), drugs as a set: a pair's finding names the same drugs from either side. */
const key = (f: Finding): string => `${f.check}|${[...f.drugs].sort().join('+')}|${f.severity}`;
/** The same with the rule, for a stricter comparison. */
const ruleKey = (f: Finding): string => `${key(f)}|${f.rule}`;

const PAIR_CHECKS: ReadonlySet<string> = new Set(['drug-drug-interaction', 'duplicate-therapy']);

function compare(facts: Omit<PatientFacts, 'terminology'>): { profile: Finding[]; perOrder: Finding[] } {
  const context = preparePatientContext({ ...facts, terminology });
  const perOrder = facts.activeMedications.flatMap((order) => runChecks({ order, context }));
  const profile = runProfileChecks(context);
  expect(new Set(profile.map(key))).toEqual(new Set(perOrder.map(key)));
  expect(new Set(profile.map(ruleKey))).toEqual(new Set(perOrder.map(ruleKey)));
  // Each pair once (the per-order runs see every pair from both sides), each medicine once.
  const count = (list: Finding[], pair: boolean): number =>
    list.filter((f) => PAIR_CHECKS.has(f.check) === pair).length;
  expect(count(perOrder, true)).toBe(2 * count(profile, true));
  expect(count(perOrder, false)).toBe(count(profile, false));
  return { profile, perOrder };
}

function loadCheckScenarios(): CheckScenario[] {
  return readdirSync(SCENARIOS)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => JSON.parse(readFileSync(join(SCENARIOS, f), 'utf8')) as CheckScenario)
    .filter((s) => s.kind === 'check');
}

const TWENTY = TWENTY_MEDICINES;

describe('runProfileChecks', () => {
  const scenarios = loadCheckScenarios();

  it('has check scenarios to compare', () => {
    expect(scenarios.length).toBeGreaterThan(20);
  });

  it.each(scenarios.map((s) => [s.name, s] as const))(
    'scenario %s: the per-order union, without mirrored pairs',
    (_, s) => {
      compare({
        patient: s.patient,
        allergies: s.allergies,
        problems: s.problems,
        labs: s.labs,
        activeMedications: [s.order, ...s.active],
        asOf: new Date(`${s.asOf}T12:00:00Z`),
      });
    },
  );

  it('a generated 20-medicine patient: the per-order union, each pair once', () => {
    const { profile } = compare({
      patient: { age: 80, sex: 'female', weightKg: 60 },
      allergies: [
        { substance: 'penicillin', reaction: 'hives' },
        { substance: 'ibuprofen', reaction: 'angioedema' },
      ],
      problems: [
        { code: 'N18.4', text: 'CKD stage 4' },
        { code: 'I50.9', text: 'heart failure' },
      ],
      labs: [
        { loinc: '98979-8', value: 25, date: '2026-01-05' },
        { loinc: '6301-6', value: 3.6, date: '2026-01-10' },
      ],
      activeMedications: [...TWENTY, 'Zocor 40 mg', 'clarithromycin 500 mg', 'lorazepam 1 mg'].map(
        (name) => ({
          name,
        }),
      ),
      asOf: new Date('2026-01-15T12:00:00Z'),
    });
    const checks = new Set(profile.map((f) => f.check));
    for (const check of ['drug-drug-interaction', 'duplicate-therapy', 'drug-allergy', 'renal-dosing', 'age'])
      expect(checks).toContain(check);
  });

  it('runs only the checks asked for', () => {
    const context = preparePatientContext({
      patient: { age: 70 },
      allergies: [],
      problems: [],
      labs: [],
      activeMedications: TWENTY.map((name) => ({ name })),
      terminology,
    });
    const findings = runProfileChecks(context, { only: ['duplicate-therapy'] });
    expect(findings.length).toBeGreaterThan(0);
    expect(findings.every((f) => f.check === 'duplicate-therapy')).toBe(true);
  });
});
