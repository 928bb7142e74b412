// The built-in starter Terminology: a small verified RxNorm vocabulary so the demo works with nothing downloaded.
import { sameAmount } from './amount.ts';
import { STARTER_ALIASES } from './starter/starter-aliases.ts';
import { STARTER_CLINICAL_DRUGS } from './starter/starter-clinical-drugs.ts';
import { classesOfIngredient, isHighAlertIngredient } from './starter/starter-drug-classes.ts';
import type { StarterIngredient } from './starter/starter-ingredients.ts';
import { STARTER_INGREDIENTS } from './starter/starter-ingredients.ts';
import type { DrugConcept, DrugLookupOptions, Strength, Terminology } from './terminology.ts';

/** Salt and hydrate words dropped when a name is not found as written (RxNorm PIN names). */
const SALT_WORDS: ReadonlySet<string> = new Set([
  'hydrochloride',
  'hcl',
  'sodium',
  'sod',
  'na',
  'potassium',
  'calcium',
  'magnesium',
  'besylate',
  'maleate',
  'tartrate',
  'succinate',
  'sulfate',
  'bisulfate',
  'mesylate',
  'fumarate',
  'oxalate',
  'citrate',
  'phosphate',
  'hyclate',
  'monohydrate',
  'dihydrate',
  'anhydrous',
  'bitartrate',
  'hydrobromide',
  'acetate',
  'propionate',
  'furoate',
]);

/** Form, release and packaging words that may trail a drug name ("metoprolol succinate er tab"). */
const TRAILING_WORDS: ReadonlySet<string> = new Set([
  'tablet',
  'tablets',
  'tab',
  'tabs',
  'capsule',
  'capsules',
  'cap',
  'caps',
  'oral',
  'po',
  'er',
  'xr',
  'xl',
  'sr',
  'dr',
  'ec',
  'cr',
  'la',
  'ir',
  'odt',
  'hfa',
  'inhaler',
  'solution',
  'suspension',
  'injection',
  'pen',
  'vial',
  'chewable',
  'extended',
  'release',
  'delayed',
  'sublingual',
  'sl',
  'patch',
  'mg',
  'mcg',
  'units',
  'unit',
]);

/** Dose-form words as written → the word RxNorm uses in its dose forms. */
const FORM_SYNONYMS: ReadonlyMap<string, string> = new Map([
  ['tab', 'tablet'],
  ['tabs', 'tablet'],
  ['tablets', 'tablet'],
  ['cap', 'capsule'],
  ['caps', 'capsule'],
  ['capsules', 'capsule'],
  ['er', 'extended'],
  ['xr', 'extended'],
  ['xl', 'extended'],
  ['sr', 'extended'],
  ['dr', 'delayed'],
  ['ec', 'delayed'],
  ['sl', 'sublingual'],
  ['inj', 'injectable'],
  ['injection', 'injectable'],
]);

/** Misspellings are matched only for names this long, and one edit away (a short name is too easy to hit). */
const FUZZY_MIN_LENGTH = 7;

/**
 * Ordinary words one edit from a drug or brand name in the vocabulary: never corrected to a drug. Found by
 * scanning the vocabulary against test/fixtures/text/common-english-words.txt (starter-terminology.test.ts
 * repeats the scan, so a new brand that collides with a listed word fails the build until it is added here).
 */
export const FUZZY_STOP_WORDS: ReadonlySet<string> = new Set([
  'program', // Prograf (tacrolimus)
  'programs',
  'programme',
]);
const LOOKUP_CACHE_LIMIT = 20_000;

const STRENGTH_IN_NAME = /(\d+(?:\.\d+)?) (MG\/ACTUAT|MG\/ML|UNT\/ML|MEQ|MCG|MG)\b/g;

/** Lower case, punctuation to spaces (keeping `/` and `.` inside numbers), single spaces. */
export function normalizeDrugText(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9/.%]+/g, ' ')
    .replace(/(^|\s)\.|\.(\s|$)/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * Keys to try for a normalized drug text, most literal first: as written, without trailing strength and
 * form words, then without salt words ("metformin hcl 500 mg tab" → "metformin hcl" → "metformin").
 */
export function drugNameKeys(key: string): string[] {
  const keys = [key];
  const words = key.split(' ');
  const firstNumber = words.findIndex((w) => /\d/.test(w));
  const head = firstNumber === -1 ? words : words.slice(0, firstNumber);
  while (head.length > 1 && TRAILING_WORDS.has(head.at(-1) ?? '')) head.pop();
  if (head.length === 0) return keys;
  const trimmed = head.join(' ');
  if (trimmed !== key) keys.push(trimmed);
  const core = head.filter((w, i) => i === 0 || !SALT_WORDS.has(w)).join(' ');
  if (core !== trimmed) keys.push(core);
  return keys;
}

/** Picks the clinical drug among one ingredient's SCDs (commonest form first) by strength and written form. */
export function pickClinicalDrug(
  scds: readonly DrugConcept[],
  strength?: Strength,
  form?: string,
): DrugConcept | undefined {
  let candidates = scds;
  if (strength)
    candidates = candidates.filter((c) => c.strength !== undefined && sameAmount(c.strength, strength));
  if (form !== undefined) {
    const wanted = normalizeDrugText(form)
      .split(' ')
      .map((w) => FORM_SYNONYMS.get(w) ?? w)
      .filter((w) => w !== 'oral' && w !== 'po');
    candidates = candidates.filter((c) => {
      const have = (c.doseForm ?? '').toLowerCase();
      return wanted.every((w) => have.includes(w));
    });
  }
  if (strength === undefined && candidates.length !== 1) return undefined;
  return candidates[0];
}

/** Strength (when the name has exactly one) and dose form read from an RxNorm SCD/SBD normal-form name. */
export function parseClinicalDrugName(name: string): { strength?: Strength; doseForm?: string } {
  const strengths = [...name.matchAll(STRENGTH_IN_NAME)];
  const last = strengths.at(-1);
  const result: { strength?: Strength; doseForm?: string } = {};
  const doseForm = last
    ? name
        .slice((last.index ?? 0) + last[0].length)
        .replace(/\s*\[[^\]]*\]\s*$/, '')
        .trim()
    : '';
  if (doseForm) result.doseForm = doseForm;
  if (strengths.length === 1 && last?.[1] && last[2]) {
    result.strength = { value: Number(last[1]), unit: last[2].toLowerCase() };
  }
  return result;
}

function freezeConcept(concept: DrugConcept): DrugConcept {
  Object.freeze(concept.ingredients);
  Object.freeze(concept.classes);
  if (concept.strength) Object.freeze(concept.strength);
  return Object.freeze(concept);
}

/** One edit (insert, delete, substitute or swap neighbours) apart; false for equal strings. */
function oneEditApart(a: string, b: string): boolean {
  if (a === b || Math.abs(a.length - b.length) > 1) return false;
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  if (a.length === b.length) {
    if (a.slice(i + 1) === b.slice(i + 1)) return true;
    return a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2);
  }
  return a.length > b.length ? a.slice(i + 1) === b.slice(i) : a.slice(i) === b.slice(i + 1);
}

export function createStarterTerminology(
  ingredients: readonly StarterIngredient[] = STARTER_INGREDIENTS,
  clinicalDrugs = STARTER_CLINICAL_DRUGS,
): Terminology {
  const concepts = new Map<string, DrugConcept>();
  /** Normalized name, salt, brand or alias → rxcui of the ingredient-level concept (IN or MIN). */
  const names = new Map<string, string>();
  /** Single-ingredient clinical drugs by ingredient, in data order. */
  const scdsByIngredient = new Map<string, DrugConcept[]>();
  const cache = new Map<string, DrugConcept | null>();
  const rawCache = new Map<string, DrugConcept | null>();

  for (const row of ingredients) {
    const parts = row.parts ?? [row.rxcui];
    const refs = parts.map((rxcui) => {
      const part = rxcui === row.rxcui ? row : ingredients.find((r) => r.rxcui === rxcui);
      return { rxcui, name: part?.name ?? rxcui };
    });
    // Classes come from the class table by ingredient name (a MIN gets its parts'), plus any the row adds.
    const partNames = refs.map((r) => r.name);
    const classes = [
      ...new Set([
        ...(row.classes ?? []),
        ...classesOfIngredient(row.name),
        ...(row.tty === 'MIN' ? partNames.flatMap((n) => classesOfIngredient(n)) : []),
      ]),
    ];
    const highAlert =
      row.highAlert === true ||
      [row.name, ...partNames].some((n) => isHighAlertIngredient(n, classesOfIngredient(n))) ||
      isHighAlertIngredient(row.name, classes);
    const base = { ingredients: refs, classes, highAlert };
    concepts.set(row.rxcui, freezeConcept({ rxcui: row.rxcui, name: row.name, tty: row.tty, ...base }));
    for (const salt of row.salts ?? []) {
      if (salt.rxcui)
        concepts.set(salt.rxcui, freezeConcept({ rxcui: salt.rxcui, name: salt.name, tty: 'PIN', ...base }));
    }
    for (const brand of row.brands ?? []) {
      if (brand.rxcui)
        concepts.set(
          brand.rxcui,
          freezeConcept({ rxcui: brand.rxcui, name: brand.name, tty: 'BN', ...base }),
        );
    }
    const spellings = [
      row.name,
      ...(row.salts ?? []).map((s) => s.name),
      ...(row.brands ?? []).map((b) => b.name),
      ...(row.aliases ?? []),
      ...(STARTER_ALIASES[row.name] ?? []),
    ];
    for (const spelling of spellings) {
      const key = normalizeDrugText(spelling);
      if (!names.has(key)) names.set(key, row.rxcui);
    }
  }

  for (const row of clinicalDrugs) {
    const parts = row.ingredients.map((rxcui) => concepts.get(rxcui));
    const known = parts.filter((p): p is DrugConcept => p !== undefined);
    const { strength, doseForm } = parseClinicalDrugName(row.name);
    const concept: DrugConcept = {
      rxcui: row.rxcui,
      name: row.name,
      tty: 'SCD',
      ingredients: known.map((p) => ({ rxcui: p.rxcui, name: p.name })),
      classes: [...new Set(known.flatMap((p) => p.classes))],
      highAlert: known.some((p) => p.highAlert),
    };
    if (strength) concept.strength = strength;
    if (doseForm) concept.doseForm = doseForm;
    concepts.set(row.rxcui, freezeConcept(concept));
    const only = row.ingredients.length === 1 ? row.ingredients[0] : undefined;
    if (only !== undefined) {
      const list = scdsByIngredient.get(only) ?? [];
      list.push(concepts.get(row.rxcui) as DrugConcept);
      scdsByIngredient.set(only, list);
    }
  }

  const fuzzyKeys = [...names.keys()].filter((k) => k.length >= FUZZY_MIN_LENGTH - 1);

  function byName(key: string): DrugConcept | undefined {
    const rxcui = names.get(key);
    return rxcui === undefined ? undefined : concepts.get(rxcui);
  }

  /** A unique vocabulary name one edit away; nothing for short words, stop words or a tie between drugs. */
  function fuzzy(key: string): DrugConcept | undefined {
    if (key.length < FUZZY_MIN_LENGTH || key.split(' ').some((w) => FUZZY_STOP_WORDS.has(w)))
      return undefined;
    let found: string | undefined;
    for (const candidate of fuzzyKeys) {
      if (!oneEditApart(key, candidate)) continue;
      const rxcui = names.get(candidate);
      if (found !== undefined && found !== rxcui) return undefined; // ambiguous: refuse to guess
      found = rxcui;
    }
    return found === undefined ? undefined : concepts.get(found);
  }

  function resolve(key: string, correctSpelling: boolean): DrugConcept | undefined {
    const keys = drugNameKeys(key);
    for (const candidate of keys) {
      const named = byName(candidate);
      if (named) return named;
    }
    if (!correctSpelling) return undefined;
    const core = keys.at(-1) ?? key;
    return /\d/.test(core.split(' ')[0] ?? '') ? undefined : fuzzy(core);
  }

  function lookupNormalized(text: string, correctSpelling: boolean): DrugConcept | undefined {
    const key = normalizeDrugText(text);
    if (key === '') return undefined;
    const cacheKey = correctSpelling ? key : `\u0000${key}`;
    const cached = cache.get(cacheKey);
    if (cached !== undefined) return cached ?? undefined;
    const found = resolve(key, correctSpelling);
    if (cache.size >= LOOKUP_CACHE_LIMIT) cache.clear();
    cache.set(cacheKey, found ?? null);
    return found;
  }

  return {
    lookupDrug(text, options?: DrugLookupOptions) {
      // Written text first: common names skip normalization entirely (≥ 1M lookups/s).
      const correctSpelling = options?.correctSpelling !== false;
      const rawKey = correctSpelling ? text : `\u0000${text}`;
      const raw = rawCache.get(rawKey);
      if (raw !== undefined) return raw ?? undefined;
      const found = lookupNormalized(text, correctSpelling);
      if (rawCache.size >= LOOKUP_CACHE_LIMIT) rawCache.clear();
      rawCache.set(rawKey, found ?? null);
      return found;
    },
    findClinicalDrug(ingredientRxcui, strength?: Strength, form?: string) {
      return pickClinicalDrug(scdsByIngredient.get(ingredientRxcui) ?? [], strength, form);
    },
    get(rxcui) {
      return concepts.get(rxcui);
    },
    classesOf(rxcui) {
      return [...(concepts.get(rxcui)?.classes ?? [])];
    },
  };
}
