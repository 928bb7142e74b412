// Drug-allergy check: same ingredient, class cross-sensitivity, and the penicillin–cephalosporin caution.
import { describe, expect, it } from 'vitest';
import type { CheckAllergy } from './check-input.ts';
import { runChecks } from './run-checks.ts';
import { createStarterTerminology } from '../terminology/starter-terminology.ts';

const terminology = createStarterTerminology();

function allergyFindings(order: string, allergies: CheckAllergy[]) {
  return runChecks(
    {
      order: { name: order },
      patient: {},
      allergies,
      problems: [],
      labs: [],
      activeMedications: [],
      terminology,
    },
    { only: ['drug-allergy'] },
  ).map((f) => [f.rule, f.severity]);
}

describe('checkDrugAllergy', () => {
  it('flags the same ingredient, by brand or salt, high; critical after anaphylaxis', () => {
    expect(
      allergyFindings('Amoxil 500 mg capsule', [{ substance: 'amoxicillin', reaction: 'rash' }]),
    ).toEqual([['allergy-same-ingredient', 'high']]);
    expect(
      allergyFindings('amoxicillin 875 mg', [{ substance: 'amoxicillin', reaction: 'anaphylaxis' }]),
    ).toEqual([['allergy-same-ingredient', 'critical']]);
    expect(allergyFindings('ibuprofen 400 mg', [{ substance: 'Motrin', severity: 'severe' }])).toEqual([
      ['allergy-same-ingredient', 'critical'],
    ]);
  });

  it('flags a cross-sensitive class member, whether the allergy names a drug or the class', () => {
    expect(allergyFindings('ampicillin 500 mg', [{ substance: 'amoxicillin', reaction: 'hives' }])).toEqual([
      ['allergy-class-penicillin', 'high'],
    ]);
    expect(allergyFindings('dicloxacillin 250 mg', [{ substance: 'Penicillins' }])).toEqual([
      ['allergy-class-penicillin', 'high'],
    ]);
    expect(
      allergyFindings('sulfamethoxazole/trimethoprim 800/160 mg', [{ substance: 'sulfa drugs' }]),
    ).toEqual([['allergy-class-sulfonamide-antibiotic', 'high']]);
  });

  it('gives the penicillin–cephalosporin caution as moderate, high after a severe reaction, never a contraindication', () => {
    expect(allergyFindings('cephalexin 500 mg', [{ substance: 'penicillin', reaction: 'rash' }])).toEqual([
      ['allergy-cross-penicillin-cephalosporin', 'moderate'],
    ]);
    expect(
      allergyFindings('cephalexin 500 mg', [{ substance: 'penicillin', reaction: 'anaphylaxis' }]),
    ).toEqual([['allergy-cross-penicillin-cephalosporin', 'high']]);
    const [finding] = runChecks(
      {
        order: { name: 'cefuroxime 250 mg' },
        patient: {},
        allergies: [{ substance: 'amoxicillin', reaction: 'rash' }],
        problems: [],
        labs: [],
        activeMedications: [],
        terminology,
      },
      { only: ['drug-allergy'] },
    );
    expect(finding?.summary).toMatch(/^Caution: amoxicillin allergy and cefuroxime \(cephalosporin\)/);
    expect(finding?.source.label).toMatch(/cephalexin \(Keflex\) §5\.1/);
    expect(finding?.evidence).toEqual(['order: cefuroxime 250 mg', 'allergy: amoxicillin (rash)']);
  });

  it('says nothing for an unrelated drug or an unknown allergen', () => {
    expect(allergyFindings('lisinopril 10 mg', [{ substance: 'penicillin', reaction: 'hives' }])).toEqual([]);
    expect(allergyFindings('metformin 500 mg', [{ substance: 'latex' }])).toEqual([]);
  });
});
