// Tests for the HL7 v2 parser: delimiters, spec paths, escapes, line endings, malformed input and the shared corpus.
import fc from 'fast-check';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { DEFAULT_DELIMITERS, decodeHl7Text, encodeHl7Text } from './hl7-escape.ts';
import type { Hl7Delimiters } from './hl7-escape.ts';
import { parseHl7 } from './parse-hl7.ts';
import { SAMPLE_MESSAGES } from './sample-messages.ts';

function parsed(text: string) {
  const r = parseHl7(text);
  if (!r.ok) throw new Error(`did not parse: ${JSON.stringify(r.issues)}`);
  return r.value;
}

const ADT = [
  'MSH|^~\\&|EPICADT|GENHOSP|RXBRIDGE|CORNERPHARM|20260314101500||ADT^A03^ADT_A03|MSG0001|P|2.5.1|||AL|NE',
  'EVN|A03|20260314101500',
  'PID|1||MRN10001^^^GENHOSP^MR~123^^^SSA&2.16.840.1.113883.4.1&ISO^SS||WHITFIELD^ELEANOR||19480312|F',
  'OBX|1|TX|10183-2^Discharge medications^LN||METFORMIN 500MG BID, LISINOPRIL 10MG DAILY||||||F',
  'OBX|2|NM|2160-0^Creatinine^LN||1.3|mg/dL|0.6-1.2|H|||F',
].join('\r');

describe('parseHl7', () => {
  test('reads header properties and MSH numbering per spec', () => {
    const m = parsed(ADT);
    expect(m.type).toBe('ADT^A03');
    expect(m.controlId).toBe('MSG0001');
    expect(m.version).toBe('2.5.1');
    expect(m.get('MSH-1')).toBe('|');
    expect(m.get('MSH-2')).toBe('^~\\&');
    expect(m.get('MSH-3')).toBe('EPICADT');
    expect(m.get('MSH-9')).toBe('ADT^A03^ADT_A03');
    expect(m.get('MSH-9.3')).toBe('ADT_A03');
    expect(m.get('MSH-15')).toBe('AL');
    expect(m.header.fieldCount).toBe(16);
    expect(m.issues).toEqual([]);
  });

  test('reads fields, repetitions, components and sub-components with 1-based paths', () => {
    const m = parsed(ADT);
    expect(m.get('PID-3')).toBe('MRN10001^^^GENHOSP^MR');
    expect(m.get('PID-3.1')).toBe('MRN10001');
    expect(m.get('PID-3.4')).toBe('GENHOSP');
    expect(m.get('PID-3[2].4')).toBe('SSA&2.16.840.1.113883.4.1&ISO');
    expect(m.get('PID-3[2].4.1')).toBe('SSA');
    expect(m.get('PID-3[2].4.2')).toBe('2.16.840.1.113883.4.1');
    expect(m.get('PID-3.1.1')).toBe('MRN10001');
    expect(m.get('PID-3[3]')).toBe('');
    expect(m.get('PID-99')).toBe('');
    expect(m.get('PV1-2')).toBe('');
    expect(m.getAll('PID-3')).toEqual(['MRN10001^^^GENHOSP^MR', '123^^^SSA&2.16.840.1.113883.4.1&ISO^SS']);
    expect(m.getAll('PID-3.5')).toEqual(['MR', 'SS']);
    expect(m.getAll('PID-4')).toEqual([]);
    expect(m.get('OBX[2]-5')).toBe('1.3');
  });

  test('segments() returns segment objects with the same accessors', () => {
    const m = parsed(ADT);
    const obx = m.segments('OBX');
    expect(obx.map((s) => s.get(5))).toEqual(['METFORMIN 500MG BID, LISINOPRIL 10MG DAILY', '1.3']);
    expect(obx[0]!.get('3.1')).toBe('10183-2');
    expect(obx[1]!.get('OBX-6')).toBe('mg/dL');
    expect(obx[0]!.rawField(3)).toBe('10183-2^Discharge medications^LN');
    expect(m.segments().map((s) => s.name)).toEqual(['MSH', 'EVN', 'PID', 'OBX', 'OBX']);
    expect(() => obx[0]!.get('PID-3')).toThrow(RangeError);
    expect(() => m.get('PID3')).toThrow(RangeError);
  });

  test('tolerates LF, CRLF, a BOM and blank lines', () => {
    for (const sep of ['\n', '\r\n', '\r\r', '\n\n']) {
      const m = parsed('\uFEFF' + ADT.split('\r').join(sep) + sep);
      expect(m.segments().length).toBe(5);
      expect(m.get('OBX[2]-6')).toBe('mg/dL');
    }
  });

  test('decodes escape sequences only on read and keeps unknown ones with a warning', () => {
    const m = parsed(
      'MSH|^~\\&|A|B|C|D|2026||ORU^R01|1|P|2.5\r' +
        'OBX|1|FT|X||a\\F\\b\\S\\c\\T\\d\\R\\e\\E\\f\\.br\\g\\H\\bold\\N\\ \\X48C3A9\\ \\Q9\\ end',
    );
    expect(m.segment('OBX')!.rawField(5)).toContain('\\F\\');
    expect(m.get('OBX-5')).toBe('a|b^c&d~e\\f\ngbold Hé \\Q9\\ end');
    expect(m.issues).toEqual([
      expect.objectContaining({ severity: 'warning', code: 'not-supported', path: 'OBX-5' }),
    ]);
    m.get('OBX-5');
    expect(m.issues.length).toBe(1);
  });

  test('components are split before escapes are decoded', () => {
    const m = parsed('MSH|^~\\&|A|B|C|D|2026||ADT^A08|1|P|2.5\rPID|1||X||DOE\\S\\SMITH^JANE');
    expect(m.get('PID-5.1')).toBe('DOE^SMITH');
    expect(m.get('PID-5.2')).toBe('JANE');
  });

  test('custom delimiters and a v2.7 truncation character', () => {
    const m = parsed(
      'MSH#!@%*#SENDER#FAC#RECV#FAC#20260301120000##ADT!A01#MSG007#P#2.5\rPID#1##12345!!!MRN##DOE!JOHN!A',
    );
    expect(m.type).toBe('ADT^A01');
    expect(m.get('PID-3.4')).toBe('MRN');
    expect(m.get('PID-5.2')).toBe('JOHN');
    const t = parsed('MSH|^~\\&#|A|B|C|D|2026||ADT^A01|9|P|2.7\rNTE|1||cut\\P\\here#');
    expect(t.delimiters.truncation).toBe('#');
    expect(t.get('NTE-3')).toBe('cut#here#');
    expect(t.issues).toEqual([]);
  });

  test('a doubled escape character in MSH-2 is read as one, with a warning', () => {
    const r = parseHl7('MSH|^~\\\\&|A|B|C|D|2026||ADT^A01|9|P|2.6\rPID|1||X\\T\\Y');
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.get('PID-3')).toBe('X&Y');
    expect(r.issues).toEqual([expect.objectContaining({ path: 'MSH-2', severity: 'warning' })]);
  });

  test.each([
    ['', 'required', ''],
    ['   \r\n', 'required', ''],
    ['PID|1||X', 'structure', 'MSH'],
    ['BHS|^~\\&|A', 'not-supported', 'BHS'],
    ['MSH', 'structure', 'MSH-1'],
    ['MSHA^~\\&|', 'structure', 'MSH-1'],
    ['MSH|^~|A|B', 'structure', 'MSH-2'],
    ['MSH|^~\\^|A|B', 'structure', 'MSH-2'],
    ['MSH|^~\\&x|A|B', 'structure', 'MSH-2'],
    ['MSH|^~\\&|', 'required', 'MSH-10'],
  ])('malformed %j fails or warns at the right place without throwing', (text, code, where) => {
    const r = parseHl7(text);
    const hit = r.issues.find((i) => i.code === code && i.path === where);
    expect(hit, JSON.stringify(r.issues)).toBeDefined();
    if (hit?.severity === 'error') expect(r.ok).toBe(false);
  });

  test('bad segment ids are kept with a warning naming the position', () => {
    const r = parseHl7('MSH|^~\\&|A|B|C|D|2026||ADT^A01|9|P|2.5\rPIDX|1||X\rPV|1|I');
    expect(r.ok).toBe(true);
    expect(r.issues.map((i) => i.path)).toEqual(['segment 2', 'segment 3']);
  });

  test('never throws on arbitrary input', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), fc.string({ maxLength: 200 }), (a, b) => {
        const r = parseHl7('MSH' + a + '\r' + b);
        if (r.ok) {
          r.value.get('MSH-10');
          r.value.get('PID-3[2].4.1');
          r.value.getAll('OBX-5');
          void r.value.type;
        }
        parseHl7(a);
      }),
      { numRuns: 2000 },
    );
  });

  test('encodeHl7Text round-trips through decoding for any text and delimiters', () => {
    const truncated: Hl7Delimiters = { ...DEFAULT_DELIMITERS, truncation: '#' };
    fc.assert(
      fc.property(fc.string(), fc.boolean(), (text, withTruncation) => {
        const d = withTruncation ? truncated : DEFAULT_DELIMITERS;
        const encoded = encodeHl7Text(text, d);
        for (const c of [d.field, d.component, d.repetition, d.subcomponent, '\r', '\n']) {
          expect(encoded.includes(c)).toBe(false);
        }
        expect(decodeHl7Text(encoded, d)).toBe(text.replace(/\r\n|\r/g, '\n'));
      }),
    );
  });

  test('the sample messages all parse without issues', () => {
    for (const text of SAMPLE_MESSAGES) {
      const r = parseHl7(text);
      expect(r.ok && r.issues).toEqual([]);
    }
  });
});

// ../shared/corpus is a sibling of the checkout; it is read in place, never copied into the repo.
const corpusDir = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../../../shared/corpus/hl7v2',
);
const corpusFiles = existsSync(corpusDir)
  ? readdirSync(corpusDir, { recursive: true, encoding: 'utf8' })
      .map((f) => path.join(corpusDir, f))
      .filter((f) => statSync(f).isFile())
  : [];

describe.skipIf(corpusFiles.length === 0)('shared HL7 v2 corpus', () => {
  test.each(corpusFiles.map((f) => [path.relative(corpusDir, f), f]))(
    '%s parses without throwing',
    (_name, file) => {
      const text = readFileSync(file, 'utf8');
      const r = parseHl7(text);
      if (r.ok) {
        const m = r.value;
        for (const s of m.segments()) {
          for (let f = 1; f <= s.fieldCount; f++) s.getAll(f);
        }
        expect(typeof m.type).toBe('string');
      } else {
        expect(r.issues.length).toBeGreaterThan(0);
      }
    },
  );

  test('every real HL7 message in the corpus parses successfully', () => {
    const hl7 = corpusFiles.filter((f) => /\.hl7$/.test(f) || /adt_a03\.txt$/.test(f));
    const failed = hl7
      .filter((f) => !parseHl7(readFileSync(f, 'utf8')).ok)
      .map((f) => path.relative(corpusDir, f));
    expect(failed).toEqual([]);
  });
});
