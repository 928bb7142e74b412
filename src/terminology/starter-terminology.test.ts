// Behaviour of the starter Terminology: name normalization, clinical drug lookup, classes.
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { createStarterTerminology, FUZZY_STOP_WORDS } from './starter-terminology.ts';

const terminology = createStarterTerminology();

describe('lookupDrug', () => {
  test.each([
    ['metformin', '6809'],
    ['METFORMIN', '6809'],
    ['Metformin HCl', '6809'],
    ['metformin hydrochloride', '6809'],
    ['Glucophage', '6809'],
    ['metfromin', '6809'],
    ['lisinopril 10 mg tablet', '29046'],
    ['Zestril', '29046'],
    ['Prinivil', '29046'],
    ['Lipitor', '83367'],
    ['atorvastatin calcium', '83367'],
    ['Eliquis', '1364430'],
    ['Coumadin', '11289'],
    ['warfarin sodium', '11289'],
    ['Lasix', '4603'],
    ['Synthroid', '10582'],
    ['levothyroxine sodium', '10582'],
    ['Norvasc', '17767'],
    ['amlodipine besylate', '17767'],
    ['Lantus', '274783'],
    ['metoprolol succinate ER', '6918'],
    ['Toprol XL', '6918'],
    ['HCTZ', '5487'],
    ['APAP', '161'],
    ['ASA', '1191'],
    ['albuterol HFA', '435'],
    ['potassium chloride ER', '8591'],
    ['SMX-TMP', '10831'],
    ['atorvastatn', '83367'],
    ['gabapentn', '25480'],
  ])('%s → %s', (text, rxcui) => {
    expect(terminology.lookupDrug(text)?.rxcui).toBe(rxcui);
  });

  test('returns the ingredient-level concept with its classes and high-alert flag', () => {
    const warfarin = terminology.lookupDrug('Coumadin');
    expect(warfarin).toMatchObject({ tty: 'IN', name: 'warfarin', highAlert: true });
    expect(warfarin?.classes).toContain('anticoagulant');
    expect(warfarin?.ingredients).toEqual([{ rxcui: '11289', name: 'warfarin' }]);
    expect(terminology.lookupDrug('metformin')?.highAlert).toBe(false);
  });

  test.each(['', 'take', 'tablet', 'discharge medications', 'predni', 'xyzzy'])(
    'does not guess for %j',
    (text) => {
      expect(terminology.lookupDrug(text)).toBeUndefined();
    },
  );

  test('multi-ingredient concepts list every ingredient', () => {
    expect(terminology.lookupDrug('Bactrim')?.ingredients.map((i) => i.name)).toEqual([
      'sulfamethoxazole',
      'trimethoprim',
    ]);
  });
});

describe('findClinicalDrug', () => {
  test('finds the SCD by ingredient and strength', () => {
    expect(terminology.findClinicalDrug('6809', { value: 500, unit: 'mg' })).toMatchObject({
      rxcui: '861007',
      tty: 'SCD',
      strength: { value: 500, unit: 'mg' },
      doseForm: 'Oral Tablet',
      ingredients: [{ rxcui: '6809', name: 'metformin' }],
      classes: ['biguanide'],
    });
  });

  test('converts units: levothyroxine 100 mcg is the 0.1 MG tablet', () => {
    expect(terminology.findClinicalDrug('10582', { value: 100, unit: 'mcg' })?.rxcui).toBe('892246');
  });

  test('narrows by dose form', () => {
    expect(terminology.findClinicalDrug('6918', { value: 25, unit: 'mg' })?.rxcui).toBe('866924');
    expect(terminology.findClinicalDrug('6918', { value: 25, unit: 'mg' }, 'ER tablet')?.rxcui).toBe(
      '866427',
    );
    expect(terminology.findClinicalDrug('7646', { value: 20, unit: 'mg' }, 'capsule')?.rxcui).toBe('198051');
    expect(terminology.findClinicalDrug('7646', { value: 20, unit: 'mg' }, 'injection')).toBeUndefined();
  });

  test('unknown strength or ingredient gives undefined; no strength is ambiguous unless only one exists', () => {
    expect(terminology.findClinicalDrug('6809', { value: 600, unit: 'mg' })).toBeUndefined();
    expect(terminology.findClinicalDrug('999999', { value: 5, unit: 'mg' })).toBeUndefined();
    expect(terminology.findClinicalDrug('6809')).toBeUndefined();
    expect(terminology.findClinicalDrug('88249')).toBeUndefined(); // montelukast: tablets, chewables, granules
    expect(terminology.findClinicalDrug('1100699')?.rxcui).toBe('1100702'); // linagliptin: one SCD
  });
});

describe('get and classesOf', () => {
  test('ingredients, salts, brands and clinical drugs are all addressable', () => {
    expect(terminology.get('29046')?.name).toBe('lisinopril');
    expect(terminology.get('235743')).toMatchObject({ tty: 'PIN', ingredients: [{ rxcui: '6809' }] });
    expect(terminology.get('151827')).toMatchObject({ tty: 'BN', name: 'Glucophage' });
    expect(terminology.get('314076')?.ingredients).toEqual([{ rxcui: '29046', name: 'lisinopril' }]);
    expect(terminology.get('nope')).toBeUndefined();
  });

  test('classes of a clinical drug come from its ingredients', () => {
    expect(terminology.classesOf('314076')).toEqual(['ACE inhibitor']);
    expect(terminology.classesOf('855332')).toContain('anticoagulant');
    expect(terminology.get('855332')?.highAlert).toBe(true);
    expect(terminology.classesOf('unknown')).toEqual([]);
  });

  test('concepts handed out cannot be changed by a caller', () => {
    const concept = terminology.get('6809');
    expect(Object.isFrozen(concept)).toBe(true);
    expect(Object.isFrozen(concept?.classes)).toBe(true);
  });
});

test('common names: at least 1M lookups per second (precomputed maps + cache of written text)', () => {
  const names = [
    'metformin',
    'Lisinopril',
    'atorvastatin',
    'HCTZ',
    'Eliquis',
    'warfarin sodium',
    'APAP',
    'Zoloft',
  ];
  for (const name of names) terminology.lookupDrug(name);
  const n = 1_000_000;
  const started = performance.now();
  for (let i = 0; i < n; i++) terminology.lookupDrug(names[i % names.length] ?? '');
  const perSecond = n / ((performance.now() - started) / 1000);
  expect(perSecond).toBeGreaterThan(1_000_000);
});

describe('spelling correction is safe', () => {
  const words = readFileSync(
    new URL('../../test/fixtures/text/common-english-words.txt', import.meta.url),
    'utf8',
  )
    .split('\n')
    .filter((line) => !line.startsWith('#'))
    .join(' ')
    .split(/\s+/)
    .filter((w) => w !== '');

  test('the word list is long enough to mean something', () => {
    expect(words.length).toBeGreaterThan(600);
  });

  test('no ordinary word (or its plural / -ed / -ing form) is read as a drug', () => {
    const forms = words.flatMap((w) => [w, `${w}s`, `${w}ed`, `${w}ing`]);
    const read = forms.filter((w) => terminology.lookupDrug(w) !== undefined);
    // Exact drug words ("insulin", "calcium") are not corrections; everything else must be refused.
    expect(read.filter((w) => !['insulin'].includes(w))).toEqual([]);
  });

  test('"program" is not tacrolimus; the brand itself still is', () => {
    expect(FUZZY_STOP_WORDS.has('program')).toBe(true);
    expect(terminology.lookupDrug('program')).toBeUndefined();
    expect(terminology.lookupDrug('Program 1 mg')).toBeUndefined();
    expect(terminology.lookupDrug('Prograf')?.ingredients[0]?.name).toBe('tacrolimus');
  });

  test('a misspelling is corrected for a drug field, and refused when the caller scans free text', () => {
    expect(terminology.lookupDrug('amlodipne')?.name).toBe('amlodipine');
    expect(terminology.lookupDrug('amlodipne', { correctSpelling: false })).toBeUndefined();
    expect(terminology.lookupDrug('metformin', { correctSpelling: false })?.rxcui).toBe('6809');
  });

  test('a misspelling one edit from two different drugs is not guessed', () => {
    const twoDrugs = createStarterTerminology([
      { rxcui: '1', name: 'abcdefgx', tty: 'IN', source: 'rxnorm-subset' },
      { rxcui: '2', name: 'abcdefgy', tty: 'IN', source: 'rxnorm-subset' },
    ]);
    expect(twoDrugs.lookupDrug('abcdefgz')).toBeUndefined();
    expect(twoDrugs.lookupDrug('abcdefgxx')?.rxcui).toBe('1');
  });

  test('vitamin D3 is cholecalciferol (RxCUI 2418)', () => {
    expect(terminology.lookupDrug('vitamin D3')?.rxcui).toBe('2418');
  });
});
