// Checks every RxCUI in the starter vocabulary against the shared RxNorm subset, when that folder is present.
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, test } from 'vitest';
import { STARTER_CLINICAL_DRUGS } from './starter-clinical-drugs.ts';
import { STARTER_INGREDIENTS, StarterSource } from './starter-ingredients.ts';

// The shared knowledge folder sits beside the repository checkout; it is read here, never copied.
const RXNORM_DIR = resolve(import.meta.dirname, '../../../../shared/knowledge/rxnorm');
const present = existsSync(resolve(RXNORM_DIR, 'rxnconso_subset.tsv.gz'));

function readConcepts(): Map<string, { tty: string; name: string }> {
  const text = gunzipSync(readFileSync(resolve(RXNORM_DIR, 'rxnconso_subset.tsv.gz'))).toString('utf8');
  const byRxcui = new Map<string, { tty: string; name: string }>();
  for (const line of text.split('\n').slice(1)) {
    const [rxcui, tty, name] = line.split('\t');
    if (rxcui && tty && name !== undefined) byRxcui.set(rxcui, { tty, name });
  }
  return byRxcui;
}

describe.skipIf(!present)('starter vocabulary against the RxNorm prescribable subset', () => {
  const subset = present ? readConcepts() : new Map<string, { tty: string; name: string }>();

  const subsetRows = STARTER_INGREDIENTS.filter((row) => !row.name.toLowerCase().startsWith('a'));
  test.each(subsetRows.map((row) => [row.name, row] as const))(
    '%s: ingredient, salts and brands',
    (_name, row) => {
      expect(row.source).toBe(StarterSource.RxNormSubset);
      expect(subset.get(row.rxcui)).toEqual({ tty: row.tty, name: row.name });
      for (const salt of row.salts ?? []) {
        if (salt.rxcui) expect(subset.get(salt.rxcui)).toEqual({ tty: 'PIN', name: salt.name });
      }
      for (const brand of row.brands ?? []) {
        if (brand.rxcui) expect(subset.get(brand.rxcui)).toEqual({ tty: 'BN', name: brand.name });
      }
    },
  );

  test('ingredients starting with "a" are absent from the subset and carry a stated source', () => {
    const aRows = STARTER_INGREDIENTS.filter((row) => row.name.toLowerCase().startsWith('a'));
    expect(aRows.length).toBeGreaterThanOrEqual(7);
    for (const row of aRows) {
      expect(row.source).not.toBe(StarterSource.RxNormSubset);
      expect(subset.has(row.rxcui)).toBe(false);
      // Only verified rxcuis: no unverified salt or brand code rides along.
      for (const extra of [...(row.salts ?? []), ...(row.brands ?? [])]) expect(extra.rxcui).toBeUndefined();
    }
  });

  test.each(STARTER_CLINICAL_DRUGS.map((row) => [row.name, row] as const))('%s', (_name, row) => {
    expect(subset.get(row.rxcui)).toEqual({ tty: 'SCD', name: row.name });
  });
});

test('the DOMAIN.md ingredient facts are the ones in the starter rows', () => {
  const facts: Record<string, string> = {
    acetaminophen: '161',
    amlodipine: '17767',
    atorvastatin: '83367',
    amoxicillin: '723',
    apixaban: '1364430',
    aspirin: '1191',
    albuterol: '435',
  };
  for (const [name, rxcui] of Object.entries(facts)) {
    expect(STARTER_INGREDIENTS.find((row) => row.name === name)).toMatchObject({
      rxcui,
      source: StarterSource.DomainFact,
    });
  }
});
