// Every C-CDA in ../shared/corpus/ccda is read without a crash, and the paired comparison with FHIR-Converter holds.
import { existsSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { CATEGORIES, CCDA_PAIRED_DIR, scoreCcdaPaired } from '../../eval/ccda-paired.ts';
import { CCDA_CORPUS_DIR, scoreVendors } from '../../eval/ccda-vendors.ts';

describe.skipIf(!existsSync(CCDA_CORPUS_DIR))('C-CDA vendor corpus (../shared)', () => {
  test('every document: no crash; each refusal is malformed XML or a root that is no document, section or entry', () => {
    const rows = scoreVendors();
    const sum = (f: (r: (typeof rows)[number]) => number) => rows.reduce((n, r) => n + f(r), 0);
    expect(sum((r) => r.documents)).toBeGreaterThan(400);
    expect(sum((r) => r.crashed)).toBe(0);
    expect(sum((r) => r.wholeDocuments)).toBeGreaterThan(170);
    // amida broken.xml and one unbalanced guide example are not well-formed; the other refusals are header
    // snippets (<recordTarget>, <author> ...) and empty files, each refused with one not-supported error.
    expect(sum((r) => r.issues['error structure'] ?? 0)).toBe(2);
    expect(sum((r) => r.refused)).toBe(
      sum((r) => (r.issues['error structure'] ?? 0) + (r.issues['error not-supported'] ?? 0)),
    );
    expect(sum((r) => r.entriesMapped) / sum((r) => r.entriesPresent)).toBeGreaterThan(0.85);
  }, 30_000);
});

describe.skipIf(!existsSync(CCDA_PAIRED_DIR))('C-CDA vs FHIR-Converter (paired corpus)', () => {
  const report = scoreCcdaPaired();
  test('no conversion failure; every difference explained', () => {
    expect(report.failed).toEqual([]);
    expect(report.differences.filter((d) => d.explanation === undefined)).toEqual([]);
  });
  test('adjudicated precision and recall on code, status and dose >= 0.99 for each category', () => {
    for (const c of CATEGORIES)
      for (const f of ['code', 'status', 'dose'] as const) {
        const t = report.adjudicated[c][f];
        if (t.ours + t.expected === 0) continue;
        expect(t.matched / t.ours, `${c}.${f} precision`).toBeGreaterThanOrEqual(0.99);
        expect(t.matched / t.expected, `${c}.${f} recall`).toBeGreaterThanOrEqual(0.99);
      }
  });
});
