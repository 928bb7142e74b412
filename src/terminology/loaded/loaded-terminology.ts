// A Terminology over a loaded RxNorm vocabulary file, layered over the starter vocabulary (its classes, flags and aliases still apply).
import { normalizeNdc } from '../ndc.ts';
import {
  createStarterTerminology,
  drugNameKeys,
  normalizeDrugText,
  parseClinicalDrugName,
  pickClinicalDrug,
} from '../starter-terminology.ts';
import { classesOfIngredient, isHighAlertIngredient } from '../starter/starter-drug-classes.ts';
import type {
  DrugConcept,
  DrugLookupOptions,
  IngredientRef,
  NdcDirectory,
  Terminology,
  TermType,
} from '../terminology.ts';
import { Rela, readVocabularyFile, type VocabularyFile } from './loaded-vocabulary.ts';

export interface LoadedTerminologyOptions {
  /** The vocabulary underneath (aliases, misspellings, classes); the built-in starter by default. */
  starter?: Terminology;
}

/** Dose forms in the order a bare "metformin 500 mg" should prefer (as in the starter's data order). */
const FORM_PREFERENCE = [
  'Oral Tablet',
  'Oral Capsule',
  'Extended Release Oral Tablet',
  'Delayed Release Oral Tablet',
  'Extended Release Oral Capsule',
  'Delayed Release Oral Capsule',
];

function formRank(doseForm: string | undefined): number {
  const index = FORM_PREFERENCE.indexOf(doseForm ?? '');
  return index === -1 ? FORM_PREFERENCE.length : index;
}

const LOOKUP_CACHE_LIMIT = 20_000;

export function createLoadedTerminology(
  path: string,
  options: LoadedTerminologyOptions = {},
): Terminology & NdcDirectory {
  return createTerminologyFromVocabulary(readVocabularyFile(path), options);
}

export function createTerminologyFromVocabulary(
  file: VocabularyFile,
  options: LoadedTerminologyOptions = {},
): Terminology & NdcDirectory {
  const starter = options.starter ?? createStarterTerminology();
  const info = new Map<string, { tty: TermType; name: string }>();
  for (const [rxcui, tty, name] of file.concepts) info.set(rxcui, { tty: tty as TermType, name });

  const out = new Map<string, string[]>();
  const into = new Map<string, string[]>();
  const push = (map: Map<string, string[]>, key: string, value: string): void => {
    const list = map.get(key);
    if (list) list.push(value);
    else map.set(key, [value]);
  };
  for (const [from, rela, to] of file.relations) {
    push(out, `${from}|${rela}`, to);
    push(into, `${to}|${rela}`, from);
  }
  const rel = (from: string, rela: Rela): string[] => out.get(`${from}|${rela}`) ?? [];
  const inverse = (to: string, rela: Rela): string[] => into.get(`${to}|${rela}`) ?? [];
  const ndcs = new Map(file.ndcs);

  const ingredientNames = new Map<string, string>();
  for (const [rxcui, { tty, name }] of info) if (tty === 'IN') ingredientNames.set(name.toLowerCase(), rxcui);

  const ingredientMemo = new Map<string, readonly string[]>();
  /** IN rxcuis of any concept (DOMAIN.md: SCD → consists_of → SCDC → has_ingredient → IN). */
  function ingredientsOf(rxcui: string, depth = 0): readonly string[] {
    const memo = ingredientMemo.get(rxcui);
    if (memo) return memo;
    const concept = info.get(rxcui);
    if (!concept || depth > 4) return [];
    const union = (ids: readonly string[]): string[] => [
      ...new Set(ids.flatMap((id) => ingredientsOf(id, depth + 1))),
    ];
    let result: readonly string[];
    switch (concept.tty) {
      case 'IN':
        result = [rxcui];
        break;
      case 'MIN': {
        const parts = rel(rxcui, Rela.HasPart);
        result =
          parts.length > 0
            ? parts
            : concept.name
                .split(' / ')
                .map((n) => ingredientNames.get(n.toLowerCase()))
                .filter((id): id is string => id !== undefined);
        break;
      }
      case 'PIN': {
        const base = rel(rxcui, Rela.FormOf);
        result =
          base.length > 0
            ? base
            : union(inverse(rxcui, Rela.HasPreciseIngredient)).filter((id) => id !== rxcui);
        break;
      }
      case 'SCDC': {
        // An SCDC also lists the MINs of every combination it is part of; its own ingredient is the IN.
        const direct = rel(rxcui, Rela.HasIngredient).filter((id) => info.get(id)?.tty === 'IN');
        result = direct.length > 0 ? direct : union(rel(rxcui, Rela.HasIngredient));
        break;
      }
      case 'SCD':
        result = union(rel(rxcui, Rela.ConsistsOf));
        break;
      case 'SBD':
        result = union(rel(rxcui, Rela.TradenameOf));
        break;
      case 'BN':
        result = union(inverse(rxcui, Rela.HasIngredient));
        break;
      case 'GPCK':
      case 'BPCK':
        result = union(rel(rxcui, Rela.Contains));
        break;
      default:
        concept.tty satisfies never;
        result = [];
    }
    ingredientMemo.set(rxcui, result);
    return result;
  }

  const conceptMemo = new Map<string, DrugConcept>();
  function concept(rxcui: string): DrugConcept | undefined {
    const memo = conceptMemo.get(rxcui);
    if (memo) return memo;
    const base = info.get(rxcui);
    if (!base) return undefined;
    const refs: IngredientRef[] = ingredientsOf(rxcui).map((id) => ({
      rxcui: id,
      name: info.get(id)?.name ?? id,
    }));
    // The starter's classes apply by ingredient name, plus whatever it lists for this very rxcui.
    const classes = [
      ...new Set([...starter.classesOf(rxcui), ...refs.flatMap((r) => classesOfIngredient(r.name))]),
    ];
    const highAlert =
      starter.get(rxcui)?.highAlert === true ||
      refs.some((r) => isHighAlertIngredient(r.name, classesOfIngredient(r.name)));
    const result: DrugConcept = {
      rxcui,
      name: base.name,
      tty: base.tty,
      ingredients: refs,
      classes,
      highAlert,
    };
    if (base.tty === 'SCD' || base.tty === 'SBD') {
      const { strength, doseForm } = parseClinicalDrugName(base.name);
      if (strength) result.strength = Object.freeze(strength);
      if (doseForm) result.doseForm = doseForm;
    }
    Object.freeze(result.ingredients);
    Object.freeze(result.classes);
    conceptMemo.set(rxcui, Object.freeze(result));
    return result;
  }

  /** Written name → ingredient-level rxcui: IN and MIN names, salts (PIN) and single-ingredient brands. */
  const names = new Map<string, string>();
  const byIngredientSet = new Map<string, string>();
  for (const [rxcui, { tty, name }] of info) {
    if (tty === 'IN' || tty === 'MIN') {
      names.set(normalizeDrugText(name), rxcui);
      byIngredientSet.set([...ingredientsOf(rxcui)].sort().join(), rxcui);
    }
  }
  for (const [rxcui, { tty, name }] of info) {
    if (tty !== 'PIN' && tty !== 'BN') continue;
    const key = normalizeDrugText(name);
    if (names.has(key)) continue;
    const parts = ingredientsOf(rxcui);
    const target = parts.length === 1 ? parts[0] : byIngredientSet.get([...parts].sort().join());
    if (target !== undefined) names.set(key, target);
  }

  const scdsByIngredient = new Map<string, DrugConcept[]>();
  for (const [rxcui, { tty }] of info) {
    if (tty !== 'SCD') continue;
    const parts = ingredientsOf(rxcui);
    if (parts.length !== 1 || parts[0] === undefined) continue;
    const found = concept(rxcui);
    if (!found) continue;
    const list = scdsByIngredient.get(parts[0]) ?? [];
    list.push(found);
    scdsByIngredient.set(parts[0], list);
  }
  for (const list of scdsByIngredient.values()) {
    list.sort(
      (a, b) =>
        formRank(a.doseForm) - formRank(b.doseForm) ||
        (a.strength?.value ?? 0) - (b.strength?.value ?? 0) ||
        a.name.localeCompare(b.name),
    );
  }

  const cache = new Map<string, DrugConcept | null>();
  function resolve(text: string, options?: DrugLookupOptions): DrugConcept | undefined {
    // The starter knows aliases and misspellings; its rxcuis are RxNorm's, so the loaded concept replaces it.
    const fromStarter = starter.lookupDrug(text, options);
    if (fromStarter) return concept(fromStarter.rxcui) ?? fromStarter;
    const key = normalizeDrugText(text);
    if (key === '') return undefined;
    for (const candidate of drugNameKeys(key)) {
      const rxcui = names.get(candidate);
      if (rxcui !== undefined) return concept(rxcui);
    }
    return undefined;
  }

  return {
    lookupDrug(text, options?: DrugLookupOptions) {
      const key = options?.correctSpelling === false ? `\u0000${text}` : text;
      const cached = cache.get(key);
      if (cached !== undefined) return cached ?? undefined;
      const found = resolve(text, options);
      if (cache.size >= LOOKUP_CACHE_LIMIT) cache.clear();
      cache.set(key, found ?? null);
      return found;
    },
    findClinicalDrug(ingredientRxcui, strength, form) {
      const loaded = scdsByIngredient.get(ingredientRxcui);
      if (loaded) return pickClinicalDrug(loaded, strength, form);
      return starter.findClinicalDrug(ingredientRxcui, strength, form);
    },
    get(rxcui) {
      return concept(rxcui) ?? starter.get(rxcui);
    },
    classesOf(rxcui) {
      return [...((concept(rxcui) ?? starter.get(rxcui))?.classes ?? [])];
    },
    lookupNdc(ndc) {
      const ndc11 = normalizeNdc(ndc);
      const rxcui = ndc11 === undefined ? undefined : ndcs.get(ndc11);
      return rxcui === undefined ? undefined : concept(rxcui);
    },
  };
}
