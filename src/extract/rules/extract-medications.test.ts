// Rules-based medication extraction: the mission example, list shapes, sig vocabulary, spans and confidence.
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
// Tests compose the real starter vocabulary; the code under test sees only the Terminology port.
// eslint-disable-next-line rxbridge/pipeline-boundaries -- a test composes the real starter vocabulary; the code under test sees only the Terminology port
import { createStarterTerminology } from '../../terminology/starter-terminology.ts';
import type { ExtractedMedication } from './extracted-medication.ts';
import { extractMedications } from './extract-medications.ts';

const terminology = createStarterTerminology();

function extract(text: string): ExtractedMedication[] {
  const found = extractMedications(text, { terminology });
  for (const m of found) expect(text.slice(m.span.start, m.span.end)).toBe(m.text);
  return found;
}

/** The fields a pharmacist reads, for compact assertions. */
function brief(m: ExtractedMedication) {
  return {
    drug: m.concept?.name,
    strength: m.strength ? `${m.strength.value} ${m.strength.unit}` : undefined,
    dose: m.dose ? `${m.dose.value} ${m.dose.unit}` : undefined,
    frequency: m.frequency?.code,
    perDay: m.frequency?.perDay,
    route: m.route,
    prn: m.prn,
    status: m.status,
  };
}

test('the mission example: METFORMIN 500MG BID, LISINOPRIL 10MG DAILY', () => {
  const input = 'METFORMIN 500MG BID, LISINOPRIL 10MG DAILY';
  const found = extract(input);
  expect(found).toHaveLength(2);
  expect(found[0]).toMatchObject({
    text: 'METFORMIN 500MG BID',
    span: { start: 0, end: 19 },
    name: 'METFORMIN',
    concept: { rxcui: '6809', name: 'metformin' },
    strength: { value: 500, unit: 'mg' },
    frequency: { code: 'BID', perDay: 2, text: 'BID' },
    prn: false,
  });
  expect(found[1]).toMatchObject({
    text: 'LISINOPRIL 10MG DAILY',
    span: { start: 21, end: 42 },
    name: 'LISINOPRIL',
    concept: { rxcui: '29046', name: 'lisinopril' },
    strength: { value: 10, unit: 'mg' },
    frequency: { code: 'QD', perDay: 1, text: 'DAILY' },
  });
  for (const m of found) expect(m.confidence).toBeGreaterThanOrEqual(0.85);
});

describe('list shapes', () => {
  const expected = [
    { drug: 'metformin', strength: '500 mg', frequency: 'BID' },
    { drug: 'lisinopril', strength: '10 mg', frequency: 'QD' },
  ];
  test.each([
    ['semicolons', 'Metformin 500 mg BID; Lisinopril 10 mg daily'],
    ['newlines', 'Metformin 500 mg BID\nLisinopril 10 mg daily\n'],
    ['CRLF', 'Metformin 500 mg BID\r\nLisinopril 10 mg daily'],
    ['numbered lines', '1. Metformin 500 mg BID\n2. Lisinopril 10 mg daily'],
    ['numbered inline', '1) Metformin 500 mg BID 2) Lisinopril 10 mg daily'],
    ['bullets', '- Metformin 500 mg BID\n• Lisinopril 10 mg daily'],
    ['header line', 'Discharge Medications:\nMetformin 500 mg BID, Lisinopril 10 mg daily.'],
    ['header prefix', 'Discharge meds: METFORMIN 500MG BID, LISINOPRIL 10MG DAILY'],
    ['no space after comma', 'METFORMIN 500MG BID,LISINOPRIL 10MG DAILY'],
    ['brand names', 'Glucophage 500 mg BID, Zestril 10 mg daily'],
    ['salt names', 'metformin HCl 500 mg twice daily, lisinopril 10 mg once daily'],
  ])('%s', (_shape, input) => {
    expect(extract(input).map(brief)).toMatchObject(expected);
  });

  test('a comma inside one medication does not split it', () => {
    const found = extract(
      'acetaminophen 325 mg, 2 tablets every 6 hours as needed for pain, warfarin 5 mg qhs',
    );
    expect(found.map(brief)).toMatchObject([
      { drug: 'acetaminophen', strength: '325 mg', dose: '2 tablet', frequency: 'Q6H', perDay: 4, prn: true },
      { drug: 'warfarin', strength: '5 mg', frequency: 'QHS', perDay: 1 },
    ]);
    expect(found[0]?.prnReason).toBe('pain');
  });

  test('thousands separators stay inside the number', () => {
    expect(extract('Metformin 1,000 mg PO BID').map(brief)).toMatchObject([
      { strength: '1000 mg', route: 'oral' },
    ]);
  });
});

describe('sig vocabulary', () => {
  test.each([
    ['Lisinopril 10 mg once daily', 'QD', 1],
    ['Lisinopril 10 mg QD', 'QD', 1],
    ['Metformin 500 mg twice a day', 'BID', 2],
    ['Metformin 500 mg b.i.d.', 'BID', 2],
    ['Cephalexin 500 mg TID', 'TID', 3],
    ['Cephalexin 500 mg three times daily', 'TID', 3],
    ['Metformin 500 mg four times a day', 'QID', 4],
    ['Atorvastatin 20 mg QHS', 'QHS', 1],
    ['Atorvastatin 20 mg at bedtime', 'QHS', 1],
    ['Ciprofloxacin 500 mg q12h', 'Q12H', 2],
    ['Tramadol 50 mg q8h', 'Q8H', 3],
    ['Cephalexin 500 mg every 12 hours', 'Q12H', 2],
    ['Methotrexate 2.5 mg weekly', 'WEEKLY', 1 / 7],
    ['Furosemide 40 mg every morning', 'QAM', 1],
    ['Prednisone 10 mg every other day', 'QOD', 0.5],
  ])('%s → %s', (input, code, perDay) => {
    expect(extract(input)[0]?.frequency).toMatchObject({ code, perDay });
  });

  test('PRN with a reason, an interval range and a route', () => {
    const [m] = extract('Oxycodone 5 mg PO every 4-6 hours as needed for severe pain');
    expect(m).toMatchObject({
      prn: true,
      prnReason: 'severe pain',
      route: 'oral',
      frequency: { code: 'Q4-6H', perDay: 6 },
      concept: { highAlert: true },
    });
  });

  test('PRN without a frequency', () => {
    expect(extract('Albuterol HFA 2 puffs inhaled PRN wheezing').map(brief)).toMatchObject([
      { drug: 'albuterol', dose: '2 puff', route: 'inhalation', prn: true, frequency: undefined },
    ]);
  });

  test.each([
    ['Metformin 500 mg by mouth BID', 'oral'],
    ['Nitroglycerin 0.4 mg SL q5min PRN chest pain', 'sublingual'],
    ['Insulin glargine 20 units subcut at bedtime', 'subcutaneous'],
    ['Enoxaparin 40 mg SQ daily', 'subcutaneous'],
  ])('route in %s', (input, route) => {
    expect(extract(input)[0]?.route).toBe(route);
  });

  test('units and mL are doses; mg, mcg and g are strengths', () => {
    expect(extract('Lantus 20 units subcut nightly').map(brief)).toMatchObject([
      { drug: 'insulin glargine', dose: '20 units', strength: undefined, frequency: 'QHS' },
    ]);
    expect(extract('Levothyroxine 100 mcg daily')[0]?.strength).toEqual({ value: 100, unit: 'mcg' });
    expect(extract('Amoxicillin 1 g BID')[0]?.strength).toEqual({ value: 1, unit: 'g' });
    expect(extract('Potassium chloride 20 mEq daily')[0]?.strength).toEqual({ value: 20, unit: 'mEq' });
    expect(extract('Ondansetron 4 mg, 10 mL PO q8h PRN nausea')[0]?.dose).toEqual({ value: 10, unit: 'mL' });
  });
});

describe('status', () => {
  test('from a section header, until the next header', () => {
    const input =
      'STOP taking these medications:\nAspirin 81 mg daily\nContinue:\nLisinopril 10 mg daily\nNew:\nApixaban 5 mg BID';
    expect(extract(input).map((m) => [m.concept?.name, m.status])).toEqual([
      ['aspirin', 'stopped'],
      ['lisinopril', 'continued'],
      ['apixaban', 'new'],
    ]);
  });

  test('from a leading word or a trailing marker', () => {
    const input =
      'STOP simvastatin 40 mg qhs; Toprol XL 25 mg daily (new); HOLD warfarin 5 mg daily; Metformin 1000 mg BID - changed';
    expect(extract(input).map((m) => [m.name, m.status])).toEqual([
      ['simvastatin', 'stopped'],
      ['Toprol XL', 'new'],
      ['warfarin', 'held'],
      ['Metformin', 'changed'],
    ]);
  });
});

describe('confidence', () => {
  test('an unknown drug is kept only when it reads like an order, and scores low', () => {
    const found = extract('Zorbitrex 10 mg daily');
    expect(found).toHaveLength(1);
    expect(found[0]?.concept).toBeUndefined();
    expect(found[0]?.confidence).toBeLessThanOrEqual(0.4);
    expect(extract('Follow up with cardiology in 2 weeks')).toEqual([]);
  });

  test('missing fields lower the score', () => {
    const [full] = extract('Metformin 500 mg PO BID');
    const [bare] = extract('Metformin');
    expect(bare?.confidence).toBeLessThan(full?.confidence ?? 0);
    expect(bare?.confidence).toBeLessThanOrEqual(0.6);
  });

  test('prose without medications gives nothing', () => {
    expect(extract('Patient discharged home in stable condition. Diet as tolerated.')).toEqual([]);
    expect(extract('')).toEqual([]);
  });
});

test('spans slice the input exactly, whatever the separators and padding', () => {
  const phrases = ['METFORMIN 500MG BID', 'Lisinopril 10 mg daily', 'warfarin 5 mg qhs', 'Eliquis 5 mg BID'];
  const separators = [', ', '; ', '\n', '\n\n', ' ; ', ',\t'];
  fc.assert(
    fc.property(
      fc.array(fc.constantFrom(...phrases), { minLength: 1, maxLength: 6 }),
      fc.array(fc.constantFrom(...separators), { minLength: 6, maxLength: 6 }),
      fc.constantFrom('', '  ', '\n'),
      (chosen, seps, pad) => {
        const input = pad + chosen.map((p, i) => (i === 0 ? p : (seps[i] ?? ', ') + p)).join('') + pad;
        const found = extract(input);
        expect(found.map((m) => m.text)).toEqual(chosen);
      },
    ),
  );
});

describe('status implied by context (rules a pharmacist would apply, documented in applyImpliedStatus)', () => {
  const statuses = (text: string) => extract(text).map((m) => [m.concept?.name, m.status]);

  test('a heading that announces prescriptions makes its items new', () => {
    expect(
      statuses('Discharge prescriptions:\nCefuroxime 500 mg PO BID\nRx: naproxen 250 mg PO BID prn pain'),
    ).toEqual([
      ['cefuroxime', 'new'],
      ['naproxen', 'new'],
    ]);
  });

  test('"continue her home X", "started him on Y", "hold Z until", "W was held"', () => {
    expect(
      statuses(
        'Plan: continue her home digoxin 125 mcg daily. We started him on spironolactone 25 mg daily. Hold losartan until potassium is rechecked. His metformin was held for the CT scan.',
      ),
    ).toEqual([
      ['digoxin', 'continued'],
      ['spironolactone', 'new'],
      ['losartan', 'held'],
      ['metformin', 'held'],
    ]);
  });

  test('a medication joined by "and" shares the verb before the first one', () => {
    expect(statuses('Discontinue glyburide 5 mg daily and pioglitazone 30 mg daily.')).toEqual([
      ['glyburide', 'stopped'],
      ['pioglitazone', 'stopped'],
    ]);
  });

  test('a discharge list is reconciled against the home list: same regimen continued, different changed, absent new', () => {
    const text = [
      'Medications prior to admission:',
      'Carvedilol 6.25 mg PO BID',
      'Simvastatin 20 mg PO nightly',
      '',
      'Discharge medications:',
      'Carvedilol 12.5 mg PO BID',
      'Simvastatin 20 mg PO nightly',
      'Apixaban 5 mg PO BID',
    ].join('\n');
    expect(statuses(text)).toEqual([
      ['carvedilol', 'changed'],
      ['simvastatin', 'continued'],
      ['apixaban', 'new'],
    ]);
  });

  test('a home list with no discharge list keeps its items, and a limited course is new', () => {
    expect(statuses('Home medications: losartan 50 mg daily')).toEqual([['losartan', 'continued']]);
    expect(statuses('Ciprofloxacin 500 mg BID for 5 days')).toEqual([['ciprofloxacin', 'new']]);
  });

  test('listed apart from "resume all home medications", an item with no status is new; one given in the ED is not extracted', () => {
    expect(
      statuses(
        'Ketorolac 30 mg IM was given in the ED.\nOndansetron 4 mg ODT q8h prn nausea\nResume all home medications.',
      ),
    ).toEqual([['ondansetron', 'new']]);
  });

  test('with no cue at all the status stays empty', () => {
    expect(statuses('Metoprolol 25 mg PO BID')).toEqual([['metoprolol', undefined]]);
  });
});

describe('terminology false positives', () => {
  test('"program" in running text is not a drug; a misspelled drug with a strength still is', () => {
    const found = extract('Enrolled in a diabetes education program 2 weeks ago.\nAmlodipne 5 mg PO daily');
    expect(found.map((m) => m.concept?.name)).toEqual(['amlodipine']);
  });

  test('"vitamin D3 1000 units daily" is cholecalciferol', () => {
    const [m] = extract('vitamin D3 1000 units po daily');
    expect(m?.concept?.name).toBe('cholecalciferol');
    expect(m?.name).toBe('vitamin D3');
  });
});

describe('document shapes found by the blind set', () => {
  const statuses = (text: string) => extract(text).map((m) => [m.concept?.name, m.status]);

  test('labelled fields under an item ("Commonly known as:", "What changed:") keep the section status', () => {
    const note = [
      'CHANGE how you take these medications',
      '  carvedilol 12.5 MG tablet',
      '  Commonly known as: COREG',
      '  Take 1 tablet by mouth twice daily.',
      '  What changed: how much to take',
      '  warfarin 5 MG tablet',
      '  Take 1 tablet by mouth daily.',
      'Where to Get Your Medications',
      '  carvedilol 12.5 MG tablet',
    ].join('\n');
    expect(statuses(note)).toEqual([
      ['carvedilol', 'changed'],
      ['warfarin', 'changed'],
    ]);
  });

  test('a status closing the item: "..., new." and "This is new."', () => {
    const note =
      'DISCHARGE MEDICATIONS:\n1. Lasix 40 mg p.o. daily, new.\n2. Zocor 20 mg q.h.s. This is new.\n';
    expect(statuses(note)).toEqual([
      ['furosemide', 'new'],
      ['simvastatin', 'new'],
    ]);
  });

  test('a discharge list item without a marker is continued, marked implied and less confident', () => {
    const note = "Meds on D/C: digoxin 0.125 mg PO daily, amlodipine 5 mg PO daily\nD/C'D: naproxen 500 mg\n";
    const found = extract(note);
    expect(found.map((m) => [m.concept?.name, m.status, m.statusImplied])).toEqual([
      ['digoxin', 'continued', true],
      ['amlodipine', 'continued', true],
      ['naproxen', 'stopped', undefined],
    ]);
    const stated = extract('Discharge medications: digoxin 0.125 mg PO daily, continue.')[0];
    expect(found[0]?.confidence).toBeLessThan(stated?.confidence ?? 0);
  });

  test('no implied status when a home list gives something to compare against', () => {
    const note = 'Home medications: digoxin 0.125 mg daily\nDischarge medications: digoxin 0.25 mg daily\n';
    expect(extract(note).map((m) => [m.concept?.name, m.status, m.statusImplied])).toEqual([
      ['digoxin', 'changed', undefined],
    ]);
  });

  test('a table aligned with spaces starts a medication section again after a skipped one', () => {
    const note = [
      'Inpatient only: vitamin K 5 mg IV once.',
      'Medication            Dose                 Instructions',
      'digoxin 0.125 mg tab  0.125 mg PO daily    Continue',
      'tramadol 50 mg tab    --                   Discontinued',
    ].join('\n');
    expect(statuses(note)).toEqual([
      ['digoxin', 'continued'],
      ['tramadol', 'stopped'],
    ]);
  });

  test("REC'D in the ED is hospital-only", () => {
    expect(extract("REC'D ROCEPHIN 1G IV X1 IN ED.\nMEDS ON D/C: LASIX 20MG PO QD")).toHaveLength(1);
  });
});

describe('more shapes found by the blind set', () => {
  const statuses = (text: string) => extract(text).map((m) => [m.concept?.name, m.status]);

  test('past medication trials and an abbreviated hospital course are not discharge medications', () => {
    const note =
      'Past medication trials: paroxetine (no benefit).\nHOSP COURSE: ON HEPARIN GTT X 48 HRS.\nDischarge medications: digoxin 0.125 mg daily, new.';
    expect(statuses(note)).toEqual([['digoxin', 'new']]);
  });

  test('"keep giving", "-- DECREASE to", and a table cell opening with a status', () => {
    expect(
      statuses('Medicines to give at home:\n* Keep giving loratadine 10 mg by mouth once a day.'),
    ).toEqual([['loratadine', 'continued']]);
    expect(statuses('DISCHARGE MEDICATIONS:\n1. Digoxin -- DECREASE to 0.125 mg daily.')).toEqual([
      ['digoxin', 'changed'],
    ]);
    expect(
      statuses(
        '| Medication | How | Status |\n| Pravastatin 40 mg | 1 tab nightly | DOSE INCREASED (was 20 mg) |',
      ),
    ).toEqual([['pravastatin', 'changed']]);
  });

  test('"were on ... no longer" and return precautions name no discharge medication', () => {
    const note =
      'You were on Pradaxa in 2021 and are no longer taking it.\nYour medication list: digoxin 0.125 mg daily\nReturn to the ER if albuterol is needed more than every 4 hours.';
    expect(statuses(note)).toEqual([['digoxin', 'continued']]);
  });

  test('combination names written with a hyphen resolve to the combination', () => {
    const found = extract('Discharge medications: senna-docusate 8.6-50 mg 1 tab nightly, new.');
    expect(found.map((m) => [m.concept?.name, m.status])).toEqual([['docusate / sennosides, USP', 'new']]);
  });
});

test('"resume all home medications except X": the home list is continued, X is stopped', () => {
  const note = [
    'Home meds: digoxin 0.125 mg daily, pravastatin 40 mg daily, naproxen 500 mg BID.',
    'Plan: Resume all home medications except naproxen - STOP it.',
  ].join('\n');
  expect(extract(note).map((m) => [m.concept?.name, m.status])).toEqual([
    ['digoxin', 'continued'],
    ['pravastatin', 'continued'],
    ['naproxen', 'stopped'],
  ]);
});

describe('shapes found by development set 3', () => {
  const statuses = (text: string) => extract(text).map((m) => [m.concept?.name, m.status]);

  test('dose changes said in words after the name are changes', () => {
    expect(statuses('Discharge medications:\n1. Pravastatin increased from 20 mg to 40 mg nightly')).toEqual([
      ['pravastatin', 'changed'],
    ]);
    expect(statuses('Her digoxin was reduced from 0.25 mg to 0.125 mg daily.')).toEqual([
      ['digoxin', 'changed'],
    ]);
    expect(statuses('Her potassium chloride 20 mEq daily was stopped.')).toEqual([
      ['potassium chloride', 'stopped'],
    ]);
  });

  test('any heading that is not skipped can carry a status; taper day lines are not drugs', () => {
    const note =
      'PAIN PLAN (new - take as directed):\n- Tramadol 50 mg tablets, TAPER:\n    Days 1-3: 1 tablet every 6 hours as needed';
    expect(statuses(note)).toEqual([['tramadol', 'new']]);
  });

  test('"Keep taking" and "Please do NOT take:" headings; an allergy heading with a date', () => {
    const note = [
      'Allergies as of 05/22:',
      '  Enalapril - Angioedema',
      'Keep taking',
      '  • Digoxin 0.125 mg once a day.',
      'Please do NOT take:',
      '  • Sleeping pills such as zolpidem (Ambien).',
    ].join('\n');
    expect(statuses(note)).toEqual([['digoxin', 'continued']]);
  });

  test('an aligned medication table is the discharge list; ** NEW ** marks an item', () => {
    const note = [
      'MEDICATION                        DOSE / ROUTE     TIMES',
      'Memantine                         10 mg PO         0800 2000',
      'Insulin lispro ** NEW **          per sliding scale SC  0730',
    ].join('\n');
    expect(statuses(note)).toEqual([
      ['memantine', 'continued'],
      ['insulin lispro', 'new'],
    ]);
  });
});

test('adverse drug reactions and a bare "Summary" heading are not lists; a translated line is one medication', () => {
  const note = [
    'Adverse drug reactions: haloperidol - acute dystonia.',
    'Summary: Trazodone was ineffective.',
    'MEDICATIONS:',
    'NEW - Montelukast 10 mg: 1 tablet at night.',
    '  Montelukast 10 mg: one tablet at night.',
  ].join('\n');
  expect(extract(note).map((m) => [m.concept?.name, m.status])).toEqual([['montelukast', 'new']]);
});

test('infusions are inpatient; "on hold" and "OK to restart ... on" hold only items without a status of their own', () => {
  const note = [
    'Rate was controlled with a diltiazem infusion.',
    'Discharge medications:',
    '- Methotrexate 15 mg weekly - on hold since admission. OK to restart on Monday.',
    '- Folic acid 1 mg daily - continue, even while methotrexate is on hold.',
  ].join('\n');
  expect(extract(note).map((m) => [m.concept?.name, m.status])).toEqual([
    ['methotrexate', 'held'],
    ['folic acid', 'continued'],
  ]);
});

test('a pipe table header row starts a medication section again after a skipped one', () => {
  const note = [
    'Past medication trials: paroxetine (no benefit).',
    '| Medication | How to take | Status |',
    '| Sertraline 100 mg tablet | 1 tab every morning | CHANGED - dose increased from 50 mg |',
  ].join('\n');
  expect(extract(note).map((m) => [m.concept?.name, m.status])).toEqual([['sertraline', 'changed']]);
});

test('"never give" and "already contains" name drugs that are not to be taken', () => {
  const note =
    'Discharge medications: cetirizine 5 mg daily\nNever give aspirin to children.\nNorco already contains acetaminophen.';
  expect(extract(note).map((m) => m.concept?.name)).toEqual(['cetirizine']);
});

test('a PRN sub-heading stays in the discharge list; "polyethylene glycol" is PEG 3350', () => {
  const note = [
    'MEDICATION                        DOSE / ROUTE     TIMES',
    'Polyethylene glycol 3350          17 g in 8 oz     0800',
    'PRN:',
    'Acetaminophen                     650 mg PO  q6h PRN pain',
  ].join('\n');
  expect(extract(note).map((m) => [m.concept?.name, m.status])).toEqual([
    ['polyethylene glycol 3350', 'continued'],
    ['acetaminophen', 'continued'],
  ]);
});

test('"and his X" splits; "his Z-Pak, azithromycin 250 mg" is one medication', () => {
  const note =
    'Discharge medications: He will finish his Z-Pak, azithromycin 250 mg daily for 2 more days. He will continue tiotropium 2 puffs daily and his albuterol inhaler as needed.';
  expect(extract(note).map((m) => [m.concept?.name, m.status])).toEqual([
    ['azithromycin', 'new'],
    ['tiotropium', 'continued'],
    ['albuterol', 'continued'],
  ]);
});

describe('prose shapes found by development set 4', () => {
  const statuses = (text: string) => extract(text).map((m) => [m.concept?.name, m.status]);

  test('a plan by problem is read; verbs right after the name; "transition to"; "new this admission"', () => {
    const note = [
      'Assessment/Plan by problem:',
      '# HF: transition to oral torsemide 20 mg daily. Carvedilol continued at 6.25 mg BID.',
      '# DM: metformin 500 mg BID continue. Glimepiride held for now. Dapagliflozin 10 mg daily new this admission.',
      '# Low K: KCl given IV inpatient, not continued.',
    ].join('\n');
    expect(statuses(note)).toEqual([
      ['torsemide', 'new'],
      ['carvedilol', 'continued'],
      ['metformin', 'continued'],
      ['glimepiride', 'held'],
      ['dapagliflozin', 'new'],
    ]);
  });

  test('a letter: pronouns are not drugs, "continues on", and a group verb covers the group', () => {
    const note =
      'Her score is 5 and we have therefore started her on apixaban 5 mg twice daily. Her ramipril 5 mg daily and atorvastatin 40 mg at night are unchanged. She continues on levothyroxine 75 micrograms each morning.';
    expect(statuses(note)).toEqual([
      ['apixaban', 'new'],
      ['ramipril', 'continued'],
      ['atorvastatin', 'continued'],
      ['levothyroxine', 'continued'],
    ]);
  });
});

test('"In the ED you received:" is hospital-only; "What to take at home:" is the discharge list; "X and Y continue"', () => {
  const note = [
    'In the ED you received: ketorolac 15 mg IM, ondansetron 4 mg ODT.',
    'What to take at home:',
    '- Keep taking your usual sertraline 50 mg daily.',
    'Her lisinopril 10 mg daily and timolol one drop each eye twice daily continue unchanged.',
    'The following are DISCONTINUED:',
    '  metformin 500 mg BID',
  ].join('\n');
  expect(extract(note).map((m) => [m.concept?.name, m.status])).toEqual([
    ['sertraline', 'continued'],
    ['lisinopril', 'continued'],
    ['timolol', 'continued'],
    ['metformin', 'stopped'],
  ]);
});

test('relative clauses, "continues"/"stops" after the dose, "we have added", and a conditional hold', () => {
  const note = [
    'His doxazosin, which was started years ago for his prostate, has been stopped.',
    'Donepezil 5 mg at night continues. We have added pravastatin 40 mg at night.',
    'Amlodipine 10 mg continues. Please hold the amlodipine if his systolic BP falls below 110.',
  ].join('\n');
  expect(extract(note).map((m) => [m.concept?.name, m.status])).toEqual([
    ['doxazosin', 'stopped'],
    ['donepezil', 'continued'],
    ['pravastatin', 'new'],
    ['amlodipine', 'continued'],
  ]);
});

test('a heading with its text on the same line heads that paragraph only; prose repeating a listed drug is not reported twice', () => {
  const note = [
    'Patient: Mr Example, 70. Procedure: knee replacement.',
    '',
    'Peri-operatively he received cefazolin. On the ward he required morphine 5 mg IV. Olanzapine 5 mg nocte was commenced.',
    'Nicotine replacement was declined. He asked about restarting his old quetiapine.',
    'Neurology increased his levetiracetam.',
    '',
    'Discharge medications:',
    '1. Levetiracetam 500 mg twice daily - DOSE INCREASED from 250 mg.',
  ].join('\n');
  expect(extract(note).map((m) => [m.concept?.name, m.status])).toEqual([
    ['olanzapine', 'new'],
    ['levetiracetam', 'changed'],
  ]);
});

test('switching: "switched from X to Y", "X was switched to Y", "replaced with Y"; the same drug on both sides is a change', () => {
  const note = [
    'We have switched her from omeprazole to lansoprazole 30 mg daily.',
    'His fluoxetine 20 mg was switched to sertraline 50 mg daily.',
    'Metformin has been discontinued and replaced with linagliptin 5 mg once daily.',
    'Metoprolol tartrate 25 mg BID was switched to metoprolol succinate 50 mg once daily.',
  ].join('\n');
  expect(extract(note).map((m) => [m.concept?.name, m.status])).toEqual([
    ['omeprazole', 'stopped'],
    ['lansoprazole', 'new'],
    ['fluoxetine', 'stopped'],
    ['sertraline', 'new'],
    ['metformin', 'stopped'],
    ['linagliptin', 'new'],
    ['metoprolol', 'changed'],
  ]);
});

test('prose status cues: a lower dose, "increased it to", the same dose, a conditional hold, "his usual", "which are new", number-word courses', () => {
  const note = [
    'Metoprolol was resumed at a lower dose of 25 mg daily.',
    'Fluticasone 50 mcg two sprays daily: we have increased it to 3 sprays daily.',
    'He continues the fentanyl 12 mcg/h patch changed every 72 hours, which we kept at the same dose.',
    'Please hold his furosemide 20 mg if SBP < 100; he may otherwise continue it daily.',
    'He will take methotrexate 20 mg once weekly and his usual folic acid 5 mg once weekly.',
    'He uses eye drops (carmellose 0.5%) one drop four times daily, which are new.',
    'She should finish prednisolone 20 mg once in the morning for two more days, then stop.',
  ].join('\n');
  expect(extract(note).map((m) => [m.concept?.name, m.status])).toEqual([
    ['metoprolol', 'changed'],
    ['fluticasone', 'changed'],
    ['fentanyl', 'continued'],
    ['furosemide', 'continued'],
    ['methotrexate', undefined],
    ['folic acid', 'continued'],
    ['carboxymethylcellulose', 'new'],
    ['prednisolone', 'new'],
  ]);
});

test('a home list written as a sentence is reconciled like a home-list heading; "did not restart" is held', () => {
  const note = [
    'On admission he was taking lisinopril 20 mg, spironolactone 25 mg and furosemide 40 mg.',
    'We did not restart the lisinopril. Spironolactone has been stopped. Furosemide was reduced to 20 mg each morning.',
    'Linagliptin 5 mg once daily.',
  ].join('\n');
  expect(extract(note).map((m) => [m.concept?.name, m.status])).toEqual([
    ['lisinopril', 'held'],
    ['spironolactone', 'stopped'],
    ['furosemide', 'changed'],
    ['linagliptin', 'new'],
  ]);
});

test('an unknown brand with its generic in brackets starts a new item after "and"', () => {
  const note =
    'Her lisinopril 10 mg daily and Timoptol (timolol 0.25%) one drop each eye twice daily continue unchanged.';
  expect(extract(note).map((m) => [m.concept?.name, m.status])).toEqual([
    ['lisinopril', 'continued'],
    ['timolol', 'continued'],
  ]);
});

test('"a week\'s supply of X, with Y" is prescribed now; a sentence-opening verb covers an item split off after an unknown product', () => {
  const note = [
    "She has been given a week's supply of oral morphine solution 5 mg every 4 hours as needed, with lactulose 15 ml twice daily while she takes it.",
    'We have also started a brown preventer inhaler, beclometasone 100 micrograms 1 puff twice a day.',
    'He remains on Movicol one sachet daily and paracetamol 1 g four times a day.',
  ].join('\n');
  expect(extract(note).map((m) => [m.concept?.name, m.status])).toEqual([
    ['morphine', 'new'],
    ['lactulose', 'new'],
    ['beclomethasone', 'new'],
    ['acetaminophen', 'continued'],
  ]);
});

test('a bilingual sheet: Spanish status words, and the translated line with the same status is reported once', () => {
  const note = [
    '1. Insulina glargina (Lantus) 22 unidades por la noche - NUEVA.',
    '   Insulin glargine (Lantus) 22 units at bedtime - NEW.',
    '2. Losartán 50 mg diario - continúe.',
    '   Losartan 50 mg daily - continue.',
  ].join('\n');
  expect(extract(note).map((m) => [m.concept?.name, m.status])).toEqual([
    ['insulin glargine', 'new'],
    ['losartan', 'continued'],
  ]);
});

test('"hold for loose stools" is a condition, "then stop" ends a course, "CONT" is continue', () => {
  const note = [
    'Senna 8.6 mg 2 tabs PO BID, hold for loose stools (NEW)',
    'Furosemide 20 mg PO daily x 7 days then stop - NEW',
    'CONT  metformin 500 mg BID',
    'Warfarin: hold for 3 days, then resume.',
  ].join('\n');
  expect(extract(note).map((m) => [m.concept?.name, m.status])).toEqual([
    ['sennosides, USP', 'new'],
    ['furosemide', 'new'],
    ['metformin', 'continued'],
    ['warfarin', 'held'],
  ]);
});

test('neither/nor, a past reaction, "has not been prescribed ... for history only" and "Admitted for:" are not discharge medications', () => {
  const note = [
    'Admitted for: pneumonia (treated - IV ceftriaxone, completed)',
    '',
    'Neither the IV beta-blocker nor the digoxin is being continued.',
    'She once had a rash with co-trimoxazole many years ago.',
    'Letrozole has not been prescribed since last year and is recorded for history only.',
    'We have started her on apixaban 5 mg twice daily.',
  ].join('\n');
  expect(extract(note).map((m) => [m.concept?.name, m.status])).toEqual([['apixaban', 'new']]);
});

test('"Y (replaces home X, which is stopped)": X is its own item', () => {
  const note = 'Transition to oral torsemide 20 mg daily (replaces home furosemide 40 mg, which is stopped).';
  expect(extract(note).map((m) => [m.concept?.name, m.status])).toEqual([
    ['torsemide', 'new'],
    ['furosemide', 'stopped'],
  ]);
});

test('"lithium level" is a lab, "at hospital on X" is in-hospital', () => {
  const note = [
    'Lithium carbonate ER 450 mg by mouth twice daily. Lithium level and BMP in 5 days.',
    'Warfarin 2.5 mg daily (was 5 mg; INR 3.8 at hospital on nitrofurantoin interaction)',
  ].join('\n');
  expect(extract(note).map((m) => m.concept?.name)).toEqual(['lithium carbonate', 'warfarin']);
});

test('", so the aspirin stops now" after another drug is its own item', () => {
  const note = 'This was replaced today by edoxaban 60 mg once daily, so the aspirin stops now.';
  expect(extract(note).map((m) => [m.concept?.name, m.status])).toEqual([
    ['edoxaban', 'new'],
    ['aspirin', 'stopped'],
  ]);
});
