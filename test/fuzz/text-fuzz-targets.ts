// Fuzz targets for clinical text (QUALITY S13): parseSig, extractMedications and convertClinicalText.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { convertClinicalText } from '../../src/extract/convert-clinical-text.ts';
import { extractMedications } from '../../src/extract/rules/extract-medications.ts';
import { parseSig } from '../../src/extract/sig/parse-sig.ts';
import type { SigField } from '../../src/extract/sig/sig-result.ts';
import { createStarterTerminology } from '../../src/terminology/starter-terminology.ts';
import type { FuzzTarget } from './fuzz-targets.ts';
import { applyMutations, mutations } from './fuzz-targets.ts';

const FIXTURES = fileURLToPath(new URL('../fixtures/text/', import.meta.url));
const CORPUS_TEXT = fileURLToPath(new URL('../../../shared/corpus/text/', import.meta.url));
/** Seed documents are cut into windows of at most this many characters so a million runs take minutes. */
const SEED_WINDOW = 1500;
/** Corpus notes used as seeds, at most (they are read in place, never copied into the repo). */
const MAX_CORPUS_NOTES = 300;

function readLines(path: string): string[] {
  try {
    return readFileSync(path, 'utf8').split(/\r?\n/);
  } catch {
    return [];
  }
}

function filesUnder(dir: string, pattern: RegExp, limit: number): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    let names: string[];
    try {
      names = readdirSync(d).sort();
    } catch {
      return;
    }
    for (const name of names) {
      if (out.length >= limit) return;
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (pattern.test(name)) out.push(p);
    }
  };
  walk(dir);
  return out;
}

/** A document cut at line ends into windows of at most SEED_WINDOW characters. */
function windows(text: string): string[] {
  const out: string[] = [];
  let current = '';
  for (const line of text.split('\n')) {
    if (current.length + line.length + 1 > SEED_WINDOW && current !== '') {
      out.push(current);
      current = '';
    }
    current += (current === '' ? '' : '\n') + line.slice(0, SEED_WINDOW);
  }
  if (current.trim() !== '') out.push(current);
  return out;
}

/** Sigs: the team's gold sigs, plus the corpus sigs when ../shared/corpus is present. */
export function seedSigs(): string[] {
  const gold = readLines(`${FIXTURES}sigs.gold.psv`)
    .filter((l) => l.trim() !== '' && !l.startsWith('#'))
    .map((l) => l.split('|')[0]?.trim() ?? '');
  const corpus = readLines(`${CORPUS_TEXT}sigs/parserx_input_sigs.txt`).filter((l) => l.trim() !== '');
  return [...gold, ...corpus].filter((s) => s !== '');
}

/** Documents: both discharge gold sets, plus corpus notes and Blue Button text when present, in windows. */
export function seedDocuments(): string[] {
  const docs: string[] = [];
  for (const folder of ['discharge', 'discharge-heldout']) {
    for (const p of filesUnder(`${FIXTURES}${folder}`, /\.txt$/, 100)) docs.push(readFileSync(p, 'utf8'));
  }
  for (const p of filesUnder(`${CORPUS_TEXT}synthea-notes`, /\.txt$/, MAX_CORPUS_NOTES))
    docs.push(readFileSync(p, 'utf8'));
  for (const p of filesUnder(`${CORPUS_TEXT}bluebutton-text`, /\.txt$/, 20))
    docs.push(readFileSync(p, 'utf8'));
  return docs.flatMap(windows);
}

function preview(text: string, max = 160): string {
  const shown = JSON.stringify(text.length > max ? text.slice(0, max) : text);
  return `${text.length} chars ${shown}${text.length > max ? '…' : ''}`;
}

/** Characters clinical text is made of, with the ones that trouble readers: digits, separators, unicode. */
const textChar = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ'.split('')),
  },
  { weight: 3, arbitrary: fc.constantFrom(...'0123456789 .,;:/-|()#%*\n\r\t'.split('')) },
  { weight: 1, arbitrary: fc.constantFrom('µ', '–', '—', '•', '½', 'é', '\u0000', '\u200b', '\ud83d', '😀') },
);

const SIG_WORDS = [
  'take',
  '1',
  '2',
  '0.5',
  '1-2',
  'tab',
  'tabs',
  'tablet',
  'capsule',
  'mg',
  'ml',
  'units',
  'po',
  'by mouth',
  'bid',
  'tid',
  'q6h',
  'q4-6h',
  'qhs',
  'daily',
  'every',
  'hours',
  'prn',
  'as needed',
  'for',
  'pain',
  'x',
  '7',
  'days',
  'then',
  'week',
  'max',
  'per day',
  'at bedtime',
  'with meals',
  'except',
  'monday',
  'and',
  'or',
  ',',
  ';',
  '.',
  'ii',
  'one half',
  'stop',
  'continue',
  'new',
  'hold until',
  'metformin',
  'lisinopril 10 mg',
  'Rx:',
  'Home medications:',
  'Discharge medications:',
  '|',
  '1.',
];

const tokenSoup = fc
  .array(fc.constantFrom(...SIG_WORDS), { maxLength: 30 })
  .chain((words) =>
    fc
      .array(fc.constantFrom(' ', '  ', '', '\n', ', '), { minLength: words.length, maxLength: words.length })
      .map((gaps) => words.map((w, i) => w + (gaps[i] ?? ' ')).join('')),
  );

const textMutation = mutations(textChar, { maxDelete: 40, maxDuplicate: 200 });

/** Random text, token soups and mutated seeds, in that mix. */
function textInputs(seeds: readonly string[], maxRandom: number): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 2, arbitrary: fc.string({ unit: textChar, maxLength: maxRandom }) },
    { weight: 2, arbitrary: tokenSoup },
    {
      weight: 6,
      arbitrary: fc
        .tuple(fc.constantFrom(...seeds), fc.array(textMutation, { minLength: 1, maxLength: 6 }))
        .map(([seed, ms]) => applyMutations(seed, ms)),
    },
  );
}

function fail(message: string): never {
  throw new Error(message);
}

function checkSpan(input: string, span: { start: number; end: number }, text: string, what: string): void {
  if (!(span.start >= 0 && span.start <= span.end && span.end <= input.length))
    fail(`${what}: span ${span.start}..${span.end} outside the input (${input.length})`);
  if (input.slice(span.start, span.end) !== text) fail(`${what}: span does not slice to its text`);
}

function checkSig(input: string): void {
  const r = parseSig(input);
  if (!(r.confidence >= 0 && r.confidence <= 1)) fail(`confidence ${r.confidence}`);
  if (!Array.isArray(r.dosage) || typeof r.echo !== 'string') fail('malformed result');
  const read = input.length > 2000 ? input.slice(0, 2000) : input;
  for (const fields of [r.fields, ...r.steps]) {
    for (const [name, field] of Object.entries(fields) as Array<[string, SigField<unknown> | undefined]>) {
      if (field) checkSpan(read, field.span, field.text, `field ${name}`);
    }
  }
  for (const w of r.warnings)
    if (!(w.span.start >= 0 && w.span.end <= input.length && w.span.start <= w.span.end))
      fail('warning span');
  JSON.stringify(r.dosage);
}

const terminology = createStarterTerminology();
const STATUSES = new Set([undefined, 'new', 'continued', 'changed', 'stopped', 'held']);

function checkMedications(input: string): void {
  for (const m of extractMedications(input, { terminology })) {
    checkSpan(input, m.span, m.text, `medication ${m.name}`);
    if (!(m.confidence >= 0 && m.confidence <= 1)) fail(`confidence ${m.confidence}`);
    if (!STATUSES.has(m.status)) fail(`status ${String(m.status)}`);
    if (m.name === '') fail('empty name');
  }
}

function checkConvert(input: string): void {
  const r = convertClinicalText(input, {
    terminology,
    patientReference: 'Patient/fuzz',
    sourceReference: 'DocumentReference/fuzz',
  });
  if (!r.ok) fail(`not ok: ${r.issues.map((i) => i.message).join('; ')}`);
  if (r.value.resourceType !== 'Bundle') fail('not a Bundle');
  JSON.stringify(r.value);
}

/** The text targets, in the order the runner reports them. */
export function textTargets(): FuzzTarget[] {
  const sigs = seedSigs();
  const docs = seedDocuments();
  const sigTarget: FuzzTarget<string> = {
    name: `parseSig (random, token soups, mutated sigs: ${sigs.length} seeds)`,
    arbitrary: textInputs(sigs, 200),
    check: checkSig,
    describe: (s) => preview(s),
  };
  const medTarget: FuzzTarget<string> = {
    name: `extractMedications (random, token soups, mutated documents: ${docs.length} seeds)`,
    arbitrary: textInputs([...docs, ...sigs], 400),
    check: checkMedications,
    describe: (s) => preview(s),
  };
  const convertTarget: FuzzTarget<string> = {
    name: `convertClinicalText (mutated documents: ${docs.length} seeds)`,
    arbitrary: textInputs(docs, 400),
    check: checkConvert,
    describe: (s) => preview(s),
  };
  return [sigTarget, medTarget, convertTarget] as FuzzTarget[];
}
