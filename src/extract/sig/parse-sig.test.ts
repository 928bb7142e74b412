// parseSig: FHIR Dosage shape, fields with spans, tapers, max dose, ISMP warnings, "not sure", gold set and fuzzing.
import fc from 'fast-check';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { readGoldSigs, scoreSigGold, SIG_FIELDS } from '../../../eval/sig-gold.ts';
import { parseSig } from './parse-sig.ts';
import type { SigResult } from './sig-result.ts';

function parse(text: string): SigResult {
  const r = parseSig(text);
  expectGrounded(text, r);
  return r;
}

function expectGrounded(text: string, r: SigResult): void {
  for (const fields of [r.fields, ...r.steps]) {
    for (const field of Object.values(fields) as Array<{
      span: { start: number; end: number };
      text: string;
    }>) {
      expect(field.span.start).toBeGreaterThanOrEqual(0);
      expect(field.span.end).toBeLessThanOrEqual(text.length);
      expect(text.slice(field.span.start, field.span.end)).toBe(field.text);
    }
  }
  for (const w of r.warnings) {
    expect(w.span.start).toBeGreaterThanOrEqual(0);
    expect(w.span.end).toBeLessThanOrEqual(text.length);
  }
  expect(r.confidence).toBeGreaterThanOrEqual(0);
  expect(r.confidence).toBeLessThanOrEqual(1);
}

test('1 po bid prn pain → Dosage with BID timing, oral SNOMED route, PRN reason', () => {
  const r = parse('1 po bid prn pain');
  expect(r.dosage).toHaveLength(1);
  expect(r.dosage[0]).toMatchObject({
    timing: { repeat: { frequency: 2, period: 1, periodUnit: 'd' }, code: { coding: [{ code: 'BID' }] } },
    route: { coding: [{ system: 'http://snomed.info/sct', code: '26643006' }] },
    asNeededCodeableConcept: { text: 'pain' },
    doseAndRate: [{ doseQuantity: { value: 1 } }],
  });
  expect(r.fields.asNeeded?.text).toBe('prn pain');
  expect(r.echo).toBe('Take 1 by mouth twice daily as needed for pain');
  expect(r.notSure).toBe(false);
});

test('dose range, interval range, max daily dose', () => {
  const r = parse('Take 1-2 tablets by mouth every 4-6 hours as needed for pain. Do not exceed 4 g/day');
  expect(r.dosage[0]).toMatchObject({
    doseAndRate: [{ doseRange: { low: { value: 1, code: '{tablet}' }, high: { value: 2 } } }],
    timing: { repeat: { frequency: 1, period: 4, periodMax: 6, periodUnit: 'h' } },
    maxDosePerPeriod: { numerator: { value: 4, code: 'g' }, denominator: { value: 1, code: 'd' } },
  });
  expect(r.fields.maxDose?.text).toBe('Do not exceed 4 g/day');
});

test('taper: one Dosage per step with sequence and boundsDuration', () => {
  const r = parse('take 2 tabs daily for 3 days then 1 tab daily for 4 days');
  expect(
    r.dosage.map((d) => [
      d.sequence,
      d.doseAndRate?.[0]?.doseQuantity?.value,
      d.timing?.repeat?.boundsDuration?.value,
    ]),
  ).toEqual([
    [1, 2, 3],
    [2, 1, 4],
  ]);
  expect(r.echo).toBe('Take 2 tablets daily for 3 days, then take 1 tablet daily for 4 days');
});

test.each([
  ['1 tab po qhs', { frequency: 1, when: ['HS'] }, 'BED'],
  ['1 cap po tid with meals', { frequency: 3, when: ['C'] }, undefined],
  ['1 tab po qod', { frequency: 1, period: 2, periodUnit: 'd' }, 'QOD'],
  ['1 tab po weekly', { frequency: 1, period: 1, periodUnit: 'wk' }, 'WK'],
  ['1 tab po daily before breakfast', { frequency: 1, when: ['ACM'] }, undefined],
  ['1 tab po q8hrs', { frequency: 1, period: 8, periodUnit: 'h' }, 'Q8H'],
])('timing of %s', (sig, repeat, code) => {
  const d = parse(sig).dosage[0];
  expect(d?.timing?.repeat).toMatchObject(repeat);
  expect(d?.timing?.code?.coding?.[0]?.code).toBe(code);
});

test('duration, quantity and refills', () => {
  const r = parse('1 cap po tid x10d #30 RF2');
  expect(r.fields.duration?.value).toEqual({ value: 10, unit: 'd' });
  expect(r.fields.quantity?.value).toBe(30);
  expect(r.fields.refills?.value).toBe(2);
});

test('misspellings and odd spacing', () => {
  for (const sig of ['take 1 tabelt by mouht twise daily', '1tabpo bid', '1  tab   po   BID']) {
    const r = parse(sig);
    expect(r.fields.dose?.value).toEqual({ value: 1, unit: 'tablet' });
    expect(r.fields.timing?.value).toMatchObject({ frequency: 2, periodUnit: 'd' });
  }
});

test('ISMP error-prone abbreviations are warned about, with their spans', () => {
  const sig = 'Take .5 mg qd, 1.0 mg QOD, 10 U, 50 µg';
  const codes = parse(sig)
    .warnings.filter((w) => w.code.startsWith('ismp'))
    .map((w) => [w.code, sig.slice(w.span.start, w.span.end)]);
  expect(codes).toEqual([
    ['ismp-naked-decimal', '.5'],
    ['ismp-qd', 'qd'],
    ['ismp-trailing-zero', '1.0'],
    ['ismp-qod', 'QOD'],
    ['ismp-u', 'U'],
    ['ismp-microgram', 'µg'],
  ]);
});

test('never guesses: unreadable or vague sigs are "not sure"', () => {
  expect(parse('use as directed').notSure).toBe(true);
  expect(parse('see attached sheet for instructions').notSure).toBe(true);
  expect(parse('').notSure).toBe(true);
  expect(parse('take 1 tablet by mouth daily').notSure).toBe(false);
});

test('gold set: every field at least 0.95 accurate', () => {
  const rows = readGoldSigs(
    fileURLToPath(new URL('../../../test/fixtures/text/sigs.gold.psv', import.meta.url)),
  );
  expect(rows.length).toBeGreaterThanOrEqual(200);
  const score = scoreSigGold(rows);
  for (const f of SIG_FIELDS) expect(score.correct[f] / score.total, f).toBeGreaterThanOrEqual(0.95);
});

describe('fuzz (QUALITY S13): no crash, spans inside the input and slicing to the reported text', () => {
  const pieces = [
    'take',
    '1',
    '1-2',
    'tab',
    'tabs',
    'po',
    'bid',
    'q4-6h',
    'prn',
    'pain',
    'x10d',
    '#30',
    'rf2',
    'then',
    'daily',
    'max',
    '4 g/day',
    '.5',
    '1.0',
    'mg',
    '(',
    ')',
    ',',
    'µg',
    'q',
    'h',
    'for',
    'days',
    'week 2:',
    'µ',
    '\n',
    '/',
  ];
  test('random strings', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (s) => expectGrounded(s, parseSig(s))),
      { numRuns: 2000 },
    );
  });
  test('unicode strings', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 120 }), (s) => expectGrounded(s, parseSig(s))),
      { numRuns: 1000 },
    );
  });
  test('sig-like token soups', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(...pieces), { maxLength: 30 }),
        fc.constantFrom(' ', '', '  '),
        (words, sep) => {
          const s = words.join(sep);
          expectGrounded(s, parseSig(s));
        },
      ),
      { numRuns: 3000 },
    );
  });
  test('mutated gold sigs', () => {
    const rows = readGoldSigs(
      fileURLToPath(new URL('../../../test/fixtures/text/sigs.gold.psv', import.meta.url)),
    );
    fc.assert(
      fc.property(
        fc.constantFrom(...rows.map((r) => r.sig)),
        fc.nat(),
        fc.string({ maxLength: 4 }),
        (sig, at, insert) => {
          const i = at % (sig.length + 1);
          const s = sig.slice(0, i) + insert + sig.slice(i + 1);
          expectGrounded(s, parseSig(s));
        },
      ),
      { numRuns: 3000 },
    );
  });
});
