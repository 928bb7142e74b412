// Loading RxNorm: RRF release files (small fixtures written here) and the shared TSV subset, served through the Terminology port.
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { hasNdcDirectory } from '../terminology.ts';
import { createLoadedTerminology, createTerminologyFromVocabulary } from './loaded-terminology.ts';
import { countVocabulary, readVocabularyFile, writeVocabularyFile } from './loaded-vocabulary.ts';
import { findRrfFolder, readRxnormRrf } from './rxnorm-rrf-reader.ts';
import { readRxnormSubset } from './rxnorm-subset-reader.ts';

const work = mkdtempSync(join(tmpdir(), 'rxbridge-terminology-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** One RXNCONSO.RRF line: 18 pipe-delimited columns and a trailing pipe (RxNorm Technical Documentation §12.5). */
function conso(
  rxcui: string,
  tty: string,
  str: string,
  options: { sab?: string; suppress?: string } = {},
): string {
  const cols = [
    rxcui,
    'ENG',
    '',
    '',
    '',
    '',
    '',
    `A${rxcui}${tty}`,
    '',
    '',
    '',
    options.sab ?? 'RXNORM',
    tty,
    rxcui,
    str,
    '',
    options.suppress ?? 'N',
    '4096',
  ];
  return `${cols.join('|')}|`;
}
/** RXNREL.RRF: RXCUI1|RXAUI1|STYPE1|REL|RXCUI2|RXAUI2|STYPE2|RELA|RUI|SRUI|SAB|SL|DIR|RG|SUPPRESS|CVF| */
function relRow(rxcui1: string, rela: string, rxcui2: string): string {
  return `${[rxcui1, '', 'CUI', 'RO', rxcui2, '', 'CUI', rela, `R${rxcui1}${rxcui2}`, '', 'RXNORM', 'RXNORM', '', '', 'N', ''].join('|')}|`;
}
/** RXNSAT.RRF: RXCUI|LUI|SUI|RXAUI|STYPE|CODE|ATUI|SATUI|ATN|SAB|ATV|SUPPRESS|CVF| */
function satRow(rxcui: string, atn: string, atv: string): string {
  return `${[rxcui, '', '', `A${rxcui}`, 'AUI', rxcui, `AT${atv}`, '', atn, 'RXNORM', atv, 'N', ''].join('|')}|`;
}

function writeRrfFixture(folder: string): void {
  // metformin: IN 6809, PIN 235743, SCDC 861006, SCD 861007, BN 151827, SBD 861008 (names as RxNorm writes them).
  writeFileSync(
    join(folder, 'RXNCONSO.RRF'),
    [
      conso('6809', 'IN', 'metformin'),
      conso('6809', 'SY', 'metformin synonym ignored'),
      conso('235743', 'PIN', 'metformin hydrochloride'),
      conso('861006', 'SCDC', 'metformin hydrochloride 500 MG'),
      conso('861007', 'SCD', 'metformin hydrochloride 500 MG Oral Tablet'),
      conso('151827', 'BN', 'Glucophage'),
      conso('861008', 'SBD', 'metformin hydrochloride 500 MG Oral Tablet [Glucophage]'),
      conso('5487', 'IN', 'hydrochlorothiazide'),
      conso('29046', 'IN', 'lisinopril'),
      conso('214618', 'MIN', 'hydrochlorothiazide / lisinopril'),
      conso('999001', 'IN', 'suppressed drug', { suppress: 'O' }),
      conso('999002', 'IN', 'other source drug', { sab: 'MTHSPL' }),
    ].join('\n') + '\n',
  );
  // Both directions appear in a release; the reader orients by term type.
  writeFileSync(
    join(folder, 'RXNREL.RRF'),
    [
      relRow('861006', 'consists_of', '861007'),
      relRow('861007', 'constitutes', '861006'),
      relRow('6809', 'has_ingredient', '861006'),
      relRow('235743', 'has_precise_ingredient', '861006'),
      relRow('6809', 'has_form', '235743'),
      relRow('861007', 'tradename_of', '861008'),
      relRow('151827', 'has_ingredient', '861008'),
      relRow('5487', 'has_part', '214618'),
      relRow('29046', 'part_of', '214618'),
    ].join('\n') + '\n',
  );
  writeFileSync(
    join(folder, 'RXNSAT.RRF'),
    [
      satRow('861007', 'NDC', '00093104801'),
      satRow('861007', 'DM_SPL_ID', '12345'),
      satRow('861008', 'NDC', '0087-6060-05'),
    ].join('\n') + '\n',
  );
}

describe('RxNorm RRF release', () => {
  const folder = join(work, 'release', 'rrf');
  test('reads RXNCONSO, RXNREL and RXNSAT into a vocabulary the port serves', async () => {
    const { mkdirSync } = await import('node:fs');
    mkdirSync(folder, { recursive: true });
    writeRrfFixture(folder);
    expect(findRrfFolder(join(work, 'release'))).toBe(folder);
    const file = await readRxnormRrf(folder);
    expect(countVocabulary(file)).toMatchObject({ concepts: 9, ndcs: 1 });
    expect(file.relations).toContainEqual(['861007', 'consists_of', '861006']);
    expect(file.relations).toContainEqual(['861006', 'has_ingredient', '6809']);
    expect(file.relations).toContainEqual(['861008', 'tradename_of', '861007']);

    const path = join(work, 'data', 'terminology', 'rxnorm.json');
    writeVocabularyFile(path, file);
    const terminology = createLoadedTerminology(path);
    expect(terminology.get('861007')).toMatchObject({
      tty: 'SCD',
      strength: { value: 500, unit: 'mg' },
      doseForm: 'Oral Tablet',
      ingredients: [{ rxcui: '6809', name: 'metformin' }],
      classes: ['biguanide'],
    });
    expect(terminology.get('861008')?.doseForm).toBe('Oral Tablet');
    expect(terminology.lookupDrug('Glucophage')?.rxcui).toBe('6809');
    expect(terminology.lookupNdc('00093-1048-01')?.rxcui).toBe('861007');
    expect(terminology.lookupNdc('0087-6060-05')).toBeUndefined(); // not 11 digits in RXNSAT: skipped
    expect(terminology.get('214618')?.ingredients.map((i) => i.name)).toEqual([
      'hydrochlorothiazide',
      'lisinopril',
    ]);
    expect(terminology.get('999001')).toBeUndefined();
    expect(terminology.get('999002')).toBeUndefined();
    expect(terminology.findClinicalDrug('6809', { value: 0.5, unit: 'g' })?.rxcui).toBe('861007');
  });

  test('a file that is not a vocabulary is refused with a reason', () => {
    const bad = join(work, 'bad.json');
    writeFileSync(bad, '{"hello":1}');
    expect(() => readVocabularyFile(bad)).toThrow(/not an RxBridge vocabulary file/);
  });
});

const SUBSET = resolve(import.meta.dirname, '../../../../shared/knowledge/rxnorm');
const subsetPresent = existsSync(join(SUBSET, 'rxnconso_subset.tsv.gz'));

describe.skipIf(!subsetPresent)('the shared RxNorm prescribable subset', () => {
  const file = subsetPresent ? readRxnormSubset(SUBSET) : undefined;
  const terminology = file ? createTerminologyFromVocabulary(file) : undefined;

  test('loads every concept, relation and NDC', () => {
    const counts = file ? countVocabulary(file) : undefined;
    expect(counts?.concepts).toBeGreaterThan(37_000);
    expect(counts?.byTermType['SCD']).toBeGreaterThan(11_000);
    expect(counts?.ndcs).toBeGreaterThan(200_000);
  });

  test('metformin 500 mg oral tablet, its ingredients, classes and an NDC', () => {
    const metformin = terminology?.lookupDrug('metformin hcl 500mg tab');
    expect(metformin).toMatchObject({ rxcui: '6809', classes: ['biguanide'] });
    const scd = terminology?.findClinicalDrug('6809', { value: 500, unit: 'mg' }, 'tablet');
    expect(scd).toMatchObject({ rxcui: '861007', name: 'metformin hydrochloride 500 MG Oral Tablet' });
    expect(scd?.ingredients).toEqual([{ rxcui: '6809', name: 'metformin' }]);
    expect(terminology && hasNdcDirectory(terminology)).toBe(true);
    const ndc = file?.ndcs.find(([, rxcui]) => rxcui === '861007')?.[0] ?? '';
    expect(terminology?.lookupNdc(ndc)?.rxcui).toBe('861007');
    expect(terminology?.lookupNdc(`${ndc.slice(0, 5)}-${ndc.slice(5, 9)}-${ndc.slice(9)}`)?.rxcui).toBe(
      '861007',
    );
  });

  test('drugs only the full vocabulary knows, and starter classes over them', () => {
    // A branded drug resolves to its SCD's ingredients; the starter's class table still applies.
    expect(terminology?.get('855332')?.highAlert).toBe(true); // warfarin sodium 5 MG Oral Tablet
    expect(terminology?.lookupDrug('Jantoven')?.classes).toContain('anticoagulant');
    expect(terminology?.lookupDrug('mesna')?.rxcui).toBe('44'); // not in the starter
    expect(terminology?.lookupDrug('APAP')?.rxcui).toBe('161'); // only in the starter (subset lacks "a")
  });
});
