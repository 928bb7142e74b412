// A drug as the checks see it: its ingredients by normalized name and every class they belong to.
import type { Terminology } from '../terminology/terminology.ts';
import type { DrugOrder } from './check-input.ts';
import { BRAND_FALLBACK, tableClassesOf } from './drug-classes.ts';

export interface DrugIdentity {
  /** What the prescriber wrote. */
  display: string;
  /** Normalized ingredient names ("amoxicillin", "sulfamethoxazole", "trimethoprim"). */
  ingredients: readonly string[];
  /** The ingredients sorted and joined with "+": equal keys are the same drug. */
  key: string;
  /** Ingredient names joined for messages ("sulfamethoxazole / trimethoprim"). */
  label: string;
  classes: ReadonlySet<string>;
  /** Whether the Terminology port knew the drug (false: matched by name in our tables only). */
  known: boolean;
  rxcui?: string;
}

/** Salt, form and release words dropped when a name is matched by hand (RxNorm PIN and dose-form words). */
const NOISE_WORDS: ReadonlySet<string> = new Set(
  (
    'hydrochloride hcl sodium potassium calcium magnesium besylate maleate tartrate succinate sulfate bisulfate ' +
    'mesylate fumarate oxalate citrate phosphate hyclate monohydrate trihydrate dihydrate bitartrate hydrobromide ' +
    'acetate propionate furoate etexilate tablet tablets tab tabs capsule capsules cap caps oral po er xr xl sr dr ' +
    'ec cr la ir odt hfa inhaler solution suspension injection injectable pen vial chewable extended release ' +
    'delayed sublingual patch mg mcg g ml unit units hr'
  ).split(' '),
);

/** Lower case, no strengths, salts or form words: "Metformin HCl 500 mg ER" → "metformin". */
export function normalizeIngredientName(text: string): string {
  const words = text
    .toLowerCase()
    .replace(/[^a-z0-9.\s-]+/g, ' ')
    .split(/\s+/)
    .filter((w) => w !== '');
  const kept: string[] = [];
  for (const w of words) {
    if (/\d/.test(w)) break;
    if (NOISE_WORDS.has(w)) continue;
    kept.push(w);
  }
  return kept.join(' ').trim();
}

function nameParts(name: string): string[] {
  return name
    .split(/\s*\/\s*|\s+and\s+|\s*\+\s*|,\s*/i)
    .map(normalizeIngredientName)
    .filter((p) => p !== '');
}

const ingredientOfName = (name: string): string => {
  // RxNorm ingredient names such as "insulin aspart, human" keep their first part; salts are dropped
  // ("dabigatran etexilate" → "dabigatran").
  const first = name.toLowerCase().split(',')[0] ?? name;
  return normalizeIngredientName(first) || first.trim();
};

/** Identities by terminology and written name: drug names repeat across patients, and identities never change. */
const MEMO = new WeakMap<Terminology, Map<string, DrugIdentity>>();
const MEMO_LIMIT = 50_000;

/** The drug behind a written name (or RxCUI), through the terminology and our class tables; memoized. */
export function identifyDrug(
  terminology: Terminology,
  order: Pick<DrugOrder, 'name' | 'rxcui'>,
): DrugIdentity {
  let memo = MEMO.get(terminology);
  if (!memo) MEMO.set(terminology, (memo = new Map<string, DrugIdentity>()));
  const key = order.rxcui === undefined ? order.name : `${order.name}\u0000${order.rxcui}`;
  let identity = memo.get(key);
  if (!identity) {
    identity = resolveIdentity(terminology, order);
    if (memo.size >= MEMO_LIMIT) memo.clear();
    memo.set(key, identity);
  }
  return identity;
}

function resolveIdentity(terminology: Terminology, order: Pick<DrugOrder, 'name' | 'rxcui'>): DrugIdentity {
  const concept =
    (order.rxcui !== undefined ? terminology.get(order.rxcui) : undefined) ??
    terminology.lookupDrug(order.name);
  let ingredients: string[];
  const classes = new Set<string>();
  if (concept && concept.ingredients.length > 0) {
    ingredients = concept.ingredients.map((i) => ingredientOfName(i.name));
    for (const c of concept.classes) classes.add(c);
  } else {
    ingredients = nameParts(order.name);
    // Each part of an unknown combination may still be known on its own.
    ingredients = ingredients.flatMap((part) => {
      const known = terminology.lookupDrug(part);
      // Unknown: the whole name, and each longer word of it ("Adipex-P phentermine" → "phentermine").
      if (!known || known.ingredients.length === 0) {
        const brand = BRAND_FALLBACK.get(part) ?? BRAND_FALLBACK.get(part.split(' ')[0] ?? '');
        if (brand) return [...brand];
        const words = part.split(/[\s-]+/).filter((w) => w.length >= 5 && w !== part);
        return [part, ...words];
      }
      for (const c of known.classes) classes.add(c);
      return known.ingredients.map((i) => ingredientOfName(i.name));
    });
  }
  for (const ingredient of ingredients) for (const c of tableClassesOf(ingredient)) classes.add(c);
  const identity: DrugIdentity = {
    display: order.name,
    ingredients,
    key: [...ingredients].sort().join('+'),
    label: ingredients.join(' / ') || order.name,
    classes,
    known: concept !== undefined,
  };
  if (concept) identity.rxcui = concept.rxcui;
  return identity;
}

/** Ingredient names joined for messages ("sulfamethoxazole / trimethoprim"). */
export function drugLabel(identity: DrugIdentity): string {
  return identity.label;
}
