// Drug-disease check: problem-list matches by ICD-10-CM prefix, SNOMED CT code or words.
import { describe, expect, it } from 'vitest';
import type { CheckProblem } from './check-input.ts';
import { problemMatches, DRUG_DISEASE_RULES } from './drug-disease-check.ts';
import { runChecks } from './run-checks.ts';
import { createStarterTerminology } from '../terminology/starter-terminology.ts';

const terminology = createStarterTerminology();

function diseaseFindings(order: string, problems: CheckProblem[]) {
  return runChecks(
    {
      order: { name: order },
      patient: {},
      allergies: [],
      problems,
      labs: [],
      activeMedications: [],
      terminology,
    },
    { only: ['drug-disease'] },
  ).map((f) => [f.rule, f.severity]);
}

describe('checkDrugDisease', () => {
  it('flags an NSAID with heart failure by ICD-10-CM code, and with CKD by words', () => {
    expect(
      diseaseFindings('ibuprofen 600 mg', [{ code: 'I50.22', text: 'Chronic systolic heart failure' }]),
    ).toEqual([['disease-nsaid-heart-failure', 'high']]);
    expect(diseaseFindings('naproxen 500 mg', [{ text: 'CKD stage 3b' }])).toEqual([
      ['disease-nsaid-ckd', 'high'],
    ]);
  });

  it('flags a non-selective beta blocker with asthma by SNOMED CT, not a cardioselective one', () => {
    const asthma = [{ code: '195967001', system: 'http://snomed.info/sct', text: 'Asthma' }];
    expect(diseaseFindings('propranolol 20 mg', asthma)).toEqual([
      ['disease-nonselective-beta-blocker-asthma', 'high'],
    ]);
    expect(diseaseFindings('metoprolol tartrate 25 mg', asthma)).toEqual([]);
  });

  it('marks metformin with CKD stage 4 critical, and not with stage 3', () => {
    expect(diseaseFindings('metformin 500 mg', [{ code: 'N18.4', text: 'CKD 4' }])).toEqual([
      ['disease-metformin-severe-renal', 'critical'],
    ]);
    expect(
      diseaseFindings('metformin 500 mg', [{ code: 'N18.30', text: 'CKD stage 3 unspecified' }]),
    ).toEqual([]);
  });

  it('matches whole words only', () => {
    const ckd = DRUG_DISEASE_RULES.find((r) => r.id === 'disease-nsaid-ckd')!.disease;
    expect(problemMatches({ text: 'History of CKD' }, ckd)).toBe(true);
    expect(problemMatches({ text: 'ckdx screening' }, ckd)).toBe(false);
    expect(problemMatches({ code: 'n18.6', text: '' }, ckd)).toBe(true);
  });
});
