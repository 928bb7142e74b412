// convertClinicalText and the document extractors: discharge summaries → statuses, exclusions, allergies, problems.
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
// Tests compose the real starter vocabulary; the code under test sees only the Terminology port.
// eslint-disable-next-line rxbridge/pipeline-boundaries -- a test composes the real starter vocabulary; the code under test sees only the Terminology port
import { createStarterTerminology } from '../terminology/starter-terminology.ts';
import { convertClinicalText } from './convert-clinical-text.ts';
import { extractAllergies } from './rules/extract-allergies.ts';
import { extractMedications } from './rules/extract-medications.ts';
import { extractProblems } from './rules/extract-problems.ts';

const terminology = createStarterTerminology();
const fixture = (name: string) =>
  readFileSync(new URL(`../../test/fixtures/text/discharge/${name}`, import.meta.url), 'utf8');

function meds(text: string) {
  const found = extractMedications(text, { terminology });
  for (const m of found) expect(text.slice(m.span.start, m.span.end)).toBe(m.text);
  return found.map((m) => [m.concept?.name ?? m.name.toLowerCase(), m.status]);
}

describe('discharge documents', () => {
  test('hospital-only drugs are not discharge medications; sections give the status', () => {
    expect(meds(fixture('ds-01.txt'))).toEqual([
      ['doxycycline', 'new'],
      ['lisinopril', 'continued'],
      ['atorvastatin', 'continued'],
      ['ibuprofen', 'stopped'],
    ]);
  });

  test('pipe tables take the status from their status column', () => {
    expect(meds(fixture('ds-03.txt'))).toContainEqual(['simvastatin', 'stopped']);
    expect(meds(fixture('ds-03.txt'))).toHaveLength(6);
  });

  test('run-on prose: inline headers, "and" lists, "no aspirin", "stop taking"', () => {
    const found = meds(fixture('ds-06.txt'));
    expect(found.map((m) => m[0])).not.toContain('aspirin');
    expect(found).toContainEqual(['montelukast', 'stopped']);
    expect(found).toContainEqual(['albuterol', 'continued']);
  });

  test.each([
    ['was given IV vancomycin in the hospital. Lisinopril 10 mg daily', ['lisinopril']],
    ['No aspirin. Metformin 500 mg BID', ['metformin']],
    ['Patient previously tried sertraline. Continue: escitalopram 10 mg daily', ['escitalopram']],
  ])('ConText: %s', (text, drugs) => {
    expect(meds(text).map((m) => m[0])).toEqual(drugs);
  });

  test('discontinued lisinopril → stopped', () => {
    expect(meds('discontinued lisinopril 10 mg daily')).toEqual([['lisinopril', 'stopped']]);
  });

  test('combination products keep both ingredients and strengths', () => {
    const [m] = extractMedications('hydrocodone/acetaminophen 5/325 mg, 1-2 tablets by mouth q6h prn pain', {
      terminology,
    });
    expect(m?.ingredients?.map((i) => i.name).sort()).toEqual(['acetaminophen', 'hydrocodone']);
    expect(m?.strengths).toEqual([
      { value: 5, unit: 'mg' },
      { value: 325, unit: 'mg' },
    ]);
    expect(m?.dosage?.[0]?.doseAndRate?.[0]?.doseRange?.high?.value).toBe(2);
  });
});

test('allergies: substance, reaction, severity, NKDA', () => {
  const text = 'Allergies: Sulfa drugs - rash (moderate); lisinopril (angioedema, severe)\nNKDA to others';
  const found = extractAllergies(text, { terminology });
  for (const a of found) expect(text.slice(a.span.start, a.span.end)).toBe(a.text);
  expect(found.map((a) => [a.substance?.text, a.reaction?.text, a.severity, a.noKnown?.drug])).toEqual([
    ['Sulfa drugs', 'rash', 'moderate', undefined],
    ['lisinopril', 'angioedema', 'severe', undefined],
    [undefined, undefined, undefined, true],
  ]);
  expect(found[1]?.substance?.concept?.rxcui).toBe('29046');
});

test('problems from diagnosis lines and "history of"', () => {
  const text = 'Diagnoses: 1. Type 2 diabetes mellitus 2. Hypertension\nPatient has a history of gout.';
  const found = extractProblems(text);
  for (const p of found) expect(text.slice(p.span.start, p.span.end)).toBe(p.text);
  expect(found.map((p) => p.text)).toEqual(['Type 2 diabetes mellitus', 'Hypertension', 'gout']);
});

test('convertClinicalText: a Bundle of MedicationStatement, AllergyIntolerance, Condition with evidence spans', () => {
  const text = fixture('ds-07.txt');
  const result = convertClinicalText(text, {
    terminology,
    patientReference: 'Patient/p1',
    sourceReference: 'DocumentReference/d1',
  });
  expect(result.ok).toBe(true);
  if (!result.ok) return;
  const types = result.value.entry?.map((e) => e.resource?.resourceType);
  expect(types?.filter((t) => t === 'MedicationStatement')).toHaveLength(6);
  expect(types).toContain('AllergyIntolerance');
  expect(types).toContain('Condition');
  for (const e of result.value.entry ?? []) {
    const span = (
      e.resource as {
        extension?: Array<{
          url: string;
          extension?: Array<{ url: string; valueInteger?: number; valueString?: string }>;
        }>;
      }
    ).extension?.[0]?.extension;
    const start = span?.find((x) => x.url === 'start')?.valueInteger ?? -1;
    const end = span?.find((x) => x.url === 'end')?.valueInteger ?? -1;
    expect(text.slice(start, end)).toBe(span?.find((x) => x.url === 'text')?.valueString);
  }
});

describe('fuzz (QUALITY S13): extractors never crash and spans always slice the input', () => {
  const lines = [
    'Discharge medications:',
    'STOP:',
    '1. Lisinopril 10 mg PO daily',
    'was given IV vancomycin in the hospital',
    '| Metformin | 1000 mg | PO | BID | Continue |',
    'Allergies: penicillin (hives)',
    'No aspirin.',
    'hydrocodone/acetaminophen 5/325 1-2 tabs q4-6h prn pain',
    'Diagnoses: 1. CHF 2. CKD',
    'NKDA',
  ];
  const check = (s: string) => {
    for (const m of extractMedications(s, { terminology }))
      expect(s.slice(m.span.start, m.span.end)).toBe(m.text);
    for (const a of extractAllergies(s, { terminology }))
      expect(s.slice(a.span.start, a.span.end)).toBe(a.text);
    for (const p of extractProblems(s)) expect(s.slice(p.span.start, p.span.end)).toBe(p.text);
  };
  test('random text', () => {
    fc.assert(fc.property(fc.string({ maxLength: 300 }), check), { numRuns: 1000 });
  });
  test('mutated documents', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(...lines), { maxLength: 12 }),
        fc.nat(),
        fc.string({ maxLength: 5 }),
        (chosen, at, insert) => {
          const doc = chosen.join('\n');
          const i = at % (doc.length + 1);
          check(doc.slice(0, i) + insert + doc.slice(i + 2));
        },
      ),
      { numRuns: 1500 },
    );
  });
});
