// Renal dose limits by drug, from each FDA label's Dosage and Administration / Contraindications sections.
import type { RuleSource, Severity } from './finding.ts';

export interface RenalBand {
  /** Applies when the renal value is below this (mL/min or mL/min/1.73 m²). */
  below: number;
  /** …and at or above this. */
  atLeast?: number;
  severity: Severity;
  action: string;
}

export interface RenalRule {
  drug: string;
  /** Which measure the label states; either is used when only one is available. */
  measure: 'eGFR' | 'CrCl';
  bands: readonly RenalBand[];
  source: RuleSource;
}

function label(drug: string, section: string): RuleSource {
  return {
    label: `FDA label, ${drug} ${section}`,
    url: `https://dailymed.nlm.nih.gov/dailymed/search.cfm?query=${encodeURIComponent(drug)}`,
  };
}

export const RENAL_DOSING_RULES: readonly RenalRule[] = [
  {
    drug: 'metformin',
    measure: 'eGFR',
    bands: [
      {
        below: 30,
        severity: 'critical',
        action: 'contraindicated below eGFR 30; stop metformin and contact the prescriber',
      },
      {
        below: 45,
        atLeast: 30,
        severity: 'moderate',
        action:
          'starting metformin is not recommended at eGFR 30-45; if already taking it, reassess benefit and risk',
      },
    ],
    source: label(
      'metformin (Glucophage)',
      '§2.3 Recommended Dosage in Renal Impairment; §4 Contraindications',
    ),
  },
  {
    drug: 'nitrofurantoin',
    measure: 'CrCl',
    bands: [
      {
        below: 60,
        severity: 'high',
        action:
          'contraindicated with significant renal impairment (CrCl under 60 mL/min); ask for another antibiotic',
      },
    ],
    source: label('nitrofurantoin (Macrobid)', 'Contraindications (creatinine clearance under 60 mL/min)'),
  },
  {
    drug: 'dabigatran',
    measure: 'CrCl',
    bands: [
      {
        below: 15,
        severity: 'critical',
        action: 'no dosing recommendation below CrCl 15 or on dialysis; avoid',
      },
      {
        below: 30,
        atLeast: 15,
        severity: 'high',
        action: 'for atrial fibrillation the label dose is 75 mg twice daily at CrCl 15-30',
      },
    ],
    source: label('dabigatran (Pradaxa)', '§2.3 Dosage in Renal Impairment'),
  },
  {
    drug: 'rivaroxaban',
    measure: 'CrCl',
    bands: [
      { below: 15, severity: 'high', action: 'avoid below CrCl 15 (most indications)' },
      {
        below: 50,
        atLeast: 15,
        severity: 'moderate',
        action:
          'for atrial fibrillation the label dose is 15 mg once daily with the evening meal at CrCl 15-50',
      },
    ],
    source: label('rivaroxaban (Xarelto)', '§2.1, §2.4 Dosage in Renal Impairment'),
  },
  {
    drug: 'enoxaparin',
    measure: 'CrCl',
    bands: [
      {
        below: 30,
        severity: 'high',
        action:
          'reduce dose at CrCl under 30 (e.g. 1 mg/kg once daily for treatment; 30 mg once daily for prophylaxis)',
      },
    ],
    source: label('enoxaparin (Lovenox)', '§2.4 Dosage in Severe Renal Impairment'),
  },
  {
    drug: 'gabapentin',
    measure: 'CrCl',
    bands: [
      {
        below: 30,
        severity: 'high',
        action:
          'CrCl under 30: total daily dose 200-700 mg (15-29) or less; adjust and consider once-daily dosing',
      },
      {
        below: 60,
        atLeast: 30,
        severity: 'moderate',
        action: 'CrCl 30-59: total daily dose 400-1400 mg in two divided doses',
      },
    ],
    source: label('gabapentin (Neurontin)', '§2.4 Dosage Adjustment in Patients with Renal Impairment'),
  },
  {
    drug: 'sitagliptin',
    measure: 'eGFR',
    bands: [
      { below: 30, severity: 'moderate', action: 'eGFR under 30: 25 mg once daily' },
      { below: 45, atLeast: 30, severity: 'moderate', action: 'eGFR 30-45: 50 mg once daily' },
    ],
    source: label('sitagliptin (Januvia)', '§2.2 Recommendations for Use in Renal Impairment'),
  },
  {
    drug: 'empagliflozin',
    measure: 'eGFR',
    bands: [
      {
        below: 30,
        severity: 'moderate',
        action:
          'not recommended to improve glycemic control below eGFR 30 (heart-failure and CKD indications differ)',
      },
    ],
    source: label('empagliflozin (Jardiance)', '§2.2 Recommended Dosage in Patients with Renal Impairment'),
  },
  {
    drug: 'spironolactone',
    measure: 'eGFR',
    bands: [
      {
        below: 30,
        severity: 'high',
        action: 'hyperkalemia risk: not recommended below eGFR 30; check potassium',
      },
    ],
    source: label('spironolactone (Aldactone)', '§2 Dosage and Administration; §5.1 Hyperkalemia'),
  },
  {
    drug: 'tramadol',
    measure: 'CrCl',
    bands: [
      { below: 30, severity: 'moderate', action: 'CrCl under 30: dose every 12 hours, maximum 200 mg/day' },
    ],
    source: label('tramadol (Ultram)', '§2 Dosage Modification in Patients with Renal Impairment'),
  },
  {
    drug: 'ciprofloxacin',
    measure: 'CrCl',
    bands: [
      { below: 30, severity: 'moderate', action: 'CrCl 5-29: 250-500 mg every 18 hours' },
      { below: 50, atLeast: 30, severity: 'low', action: 'CrCl 30-50: 250-500 mg every 12 hours' },
    ],
    source: label('ciprofloxacin (Cipro)', '§2 Dosage Adjustments in Adults with Renal Impairment'),
  },
  {
    drug: 'famotidine',
    measure: 'CrCl',
    bands: [
      {
        below: 60,
        severity: 'low',
        action: 'CrCl under 60: reduce the dose or extend the interval (CNS adverse reactions reported)',
      },
    ],
    source: label('famotidine (Pepcid)', '§2 Dosage Adjustment for Patients with Renal Impairment'),
  },
  {
    drug: 'apixaban',
    measure: 'CrCl',
    bands: [
      {
        below: 15,
        severity: 'moderate',
        action:
          'limited data below CrCl 15; for atrial fibrillation reduce to 2.5 mg twice daily only with two of: age ≥ 80, weight ≤ 60 kg, serum creatinine ≥ 1.5 mg/dL',
      },
    ],
    source: label('apixaban (Eliquis)', '§2.2 Dosage Adjustments; §8.6 Renal Impairment'),
  },
];
