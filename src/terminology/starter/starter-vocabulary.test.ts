// Checks every RxCUI in the starter vocabulary against the shared RxNorm subset, when that folder is present.
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, test } from 'vitest';
import { STARTER_ALIASES } from './starter-aliases.ts';
import { STARTER_CLINICAL_DRUGS } from './starter-clinical-drugs.ts';
import { DRUG_CLASSES, classifiedIngredientNames } from './starter-drug-classes.ts';
import { STARTER_INGREDIENTS, StarterSource, UNVERIFIED_STARTER_INGREDIENTS } from './starter-ingredients.ts';

// The shared knowledge folder sits beside the repository checkout; it is read here, never copied.
const KNOWLEDGE_DIR = resolve(import.meta.dirname, '../../../../shared/knowledge');
const RXNORM_DIR = resolve(KNOWLEDGE_DIR, 'rxnorm');
const present = existsSync(resolve(RXNORM_DIR, 'rxnconso_subset.tsv.gz'));

function readTsv(file: string): string[][] {
  const text = gunzipSync(readFileSync(resolve(RXNORM_DIR, file))).toString('utf8');
  return text
    .split('\n')
    .slice(1)
    .filter((line) => line !== '')
    .map((line) => line.split('\t'));
}

interface Subset {
  concepts: Map<string, { tty: string; name: string }>;
  /** `${from}|${rela}` → targets */
  relations: Map<string, string[]>;
}

function readSubset(): Subset {
  const concepts = new Map<string, { tty: string; name: string }>();
  for (const [rxcui, tty, name] of readTsv('rxnconso_subset.tsv.gz')) {
    if (rxcui && tty && name !== undefined) concepts.set(rxcui, { tty, name });
  }
  const relations = new Map<string, string[]>();
  for (const [from, rela, to] of readTsv('rxnrel_subset.tsv.gz')) {
    if (!from || !rela || !to) continue;
    const key = `${from}|${rela}`;
    relations.set(key, [...(relations.get(key) ?? []), to]);
  }
  return { concepts, relations };
}

describe.skipIf(!present)('starter vocabulary against the RxNorm prescribable subset', () => {
  const subset: Subset = present ? readSubset() : { concepts: new Map(), relations: new Map() };
  const rel = (from: string, rela: string): string[] => subset.relations.get(`${from}|${rela}`) ?? [];
  const ingredientsOfScd = (rxcui: string): string[] =>
    [
      ...new Set(
        rel(rxcui, 'consists_of')
          .flatMap((scdc) => rel(scdc, 'has_ingredient'))
          .filter((i) => subset.concepts.get(i)?.tty === 'IN'),
      ),
    ].sort();

  const subsetRows = STARTER_INGREDIENTS.filter((row) => !row.name.toLowerCase().startsWith('a'));
  test.each(subsetRows.map((row) => [row.name, row] as const))(
    '%s: ingredient, salts, brands and parts',
    (_name, row) => {
      expect(row.source).toBe(StarterSource.RxNormSubset);
      expect(subset.concepts.get(row.rxcui)).toEqual({ tty: row.tty, name: row.name });
      for (const salt of row.salts ?? []) {
        if (salt.rxcui) expect(subset.concepts.get(salt.rxcui)).toEqual({ tty: 'PIN', name: salt.name });
      }
      for (const brand of row.brands ?? []) {
        if (brand.rxcui) expect(subset.concepts.get(brand.rxcui)).toEqual({ tty: 'BN', name: brand.name });
      }
      for (const part of row.parts ?? []) expect(subset.concepts.get(part)?.tty).toBe('IN');
    },
  );

  test('ingredients starting with "a" are absent from the subset and carry a stated source', () => {
    const aRows = STARTER_INGREDIENTS.filter((row) => row.name.toLowerCase().startsWith('a'));
    expect(aRows.length).toBeGreaterThanOrEqual(7);
    for (const row of aRows) {
      expect(row.source).not.toBe(StarterSource.RxNormSubset);
      expect(subset.concepts.has(row.rxcui)).toBe(false);
      // Only verified rxcuis: no unverified salt or brand code rides along.
      for (const extra of [...(row.salts ?? []), ...(row.brands ?? [])]) expect(extra.rxcui).toBeUndefined();
    }
  });

  test('every clinical drug is an SCD of the subset with exactly the listed ingredients', () => {
    const wrong: string[] = [];
    for (const row of STARTER_CLINICAL_DRUGS) {
      const concept = subset.concepts.get(row.rxcui);
      if (concept?.tty !== 'SCD' || concept.name !== row.name) wrong.push(`${row.rxcui} name/tty`);
      else if (ingredientsOfScd(row.rxcui).join() !== [...row.ingredients].sort().join())
        wrong.push(`${row.rxcui} ingredients`);
    }
    expect(wrong).toEqual([]);
  });

  test('every class-table drug the starter does not list is a real RxNorm ingredient (a loaded release serves it)', () => {
    const served = new Set(STARTER_INGREDIENTS.map((r) => r.name));
    const unverified = new Set(UNVERIFIED_STARTER_INGREDIENTS);
    const ingredientNames = new Set(
      [...subset.concepts.values()].filter((c) => c.tty === 'IN').map((c) => c.name),
    );
    const unknown = classifiedIngredientNames().filter(
      (name) => !served.has(name) && !unverified.has(name) && !ingredientNames.has(name),
    );
    expect(unknown).toEqual([]);
  });

  test('every US-marketed drug of the ONC high-priority DDI list is in the vocabulary', () => {
    // A drug counts as US-marketed when it is in RxNorm's Current Prescribable Content (the subset). The 33
    // non-interruptive classes name many rarely used drugs; those the checks need are listed, the rest come
    // with a loaded RxNorm release.
    const known = new Set(
      [...STARTER_INGREDIENTS.map((r) => r.name), ...UNVERIFIED_STARTER_INGREDIENTS].map((n) =>
        n.toLowerCase(),
      ),
    );
    const salts = new Set(
      STARTER_INGREDIENTS.flatMap((r) => (r.salts ?? []).map((s) => s.name.toLowerCase())),
    );
    const missing: string[] = [];
    for (const file of ['onc_high_priority_ddi.json']) {
      const path = resolve(KNOWLEDGE_DIR, 'ddi', file);
      if (!existsSync(path)) continue;
      const drugs: { name: string; rxcui: string | null }[] = [];
      const walk = (node: unknown): void => {
        if (Array.isArray(node)) node.forEach(walk);
        else if (node !== null && typeof node === 'object') {
          const record = node as Record<string, unknown>;
          if (typeof record['name'] === 'string' && 'rxcui' in record)
            drugs.push({ name: record['name'], rxcui: record['rxcui'] as string | null });
          Object.values(record).forEach(walk);
        }
      };
      walk((JSON.parse(readFileSync(path, 'utf8')) as { interactions: unknown }).interactions);
      for (const drug of drugs) {
        const name = drug.name.toLowerCase();
        if (drug.rxcui !== null && !known.has(name) && !salts.has(name)) missing.push(name);
      }
    }
    expect(missing).toEqual([]);
  });
});

describe('starter vocabulary size and tables', () => {
  test('at least 300 ingredients; class sources cited', () => {
    const ins = STARTER_INGREDIENTS.filter((r) => r.tty === 'IN');
    expect(ins.length + UNVERIFIED_STARTER_INGREDIENTS.length).toBeGreaterThanOrEqual(300);
    for (const drugClass of DRUG_CLASSES) {
      expect(drugClass.source.length).toBeGreaterThan(10);
      expect(drugClass.members.length).toBeGreaterThan(0);
    }
  });

  test('clinical drugs are a curated selection: the common strengths and forms, not the whole catalogue', () => {
    expect(STARTER_CLINICAL_DRUGS.length).toBeGreaterThan(600);
    expect(STARTER_CLINICAL_DRUGS.length).toBeLessThanOrEqual(1300);
    const perIngredient = new Map<string, number>();
    for (const row of STARTER_CLINICAL_DRUGS) {
      const key = [...row.ingredients].sort().join('+');
      perIngredient.set(key, (perIngredient.get(key) ?? 0) + 1);
    }
    expect(Math.max(...perIngredient.values())).toBeLessThanOrEqual(12);
    expect(new Set(STARTER_CLINICAL_DRUGS.map((r) => r.rxcui)).size).toBe(STARTER_CLINICAL_DRUGS.length);
  });

  test('brands are the well-known names: a few hundred, none listed twice', () => {
    const brands = STARTER_INGREDIENTS.flatMap((r) => (r.brands ?? []).map((b) => b.name.toLowerCase()));
    expect(brands.length).toBeLessThanOrEqual(500);
    expect(new Set(brands).size).toBe(brands.length);
  });

  test('aliases point at vocabulary rows', () => {
    const names = new Set([...STARTER_INGREDIENTS.map((r) => r.name), ...UNVERIFIED_STARTER_INGREDIENTS]);
    for (const key of Object.keys(STARTER_ALIASES)) expect(names.has(key), key).toBe(true);
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
