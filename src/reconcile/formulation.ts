// Dose form and release as written on a list or a prescription: "ER tablet" vs "tablet" is a formulation change.

/** Release words → release kind (USP <1151> nomenclature: extended-release, delayed-release). */
const RELEASE_WORDS: ReadonlyMap<string, Release> = new Map([
  ['er', 'extended-release'],
  ['xr', 'extended-release'],
  ['xl', 'extended-release'],
  ['sr', 'extended-release'],
  ['cr', 'extended-release'],
  ['la', 'extended-release'],
  ['cd', 'extended-release'],
  ['extended', 'extended-release'],
  ['24', 'extended-release'],
  ['12', 'extended-release'],
  ['dr', 'delayed-release'],
  ['ec', 'delayed-release'],
  ['delayed', 'delayed-release'],
]);

/** Form words → base dose form (the RxNorm dose-form head noun). */
const FORM_WORDS: ReadonlyMap<string, string> = new Map([
  ['tablet', 'tablet'],
  ['tablets', 'tablet'],
  ['tab', 'tablet'],
  ['tabs', 'tablet'],
  ['capsule', 'capsule'],
  ['capsules', 'capsule'],
  ['cap', 'capsule'],
  ['caps', 'capsule'],
  ['solution', 'solution'],
  ['syrup', 'solution'],
  ['elixir', 'solution'],
  ['suspension', 'suspension'],
  ['patch', 'patch'],
  ['transdermal', 'patch'],
  ['inhaler', 'inhaler'],
  ['hfa', 'inhaler'],
  ['injection', 'injection'],
  ['injectable', 'injection'],
  ['pen', 'injection'],
  ['vial', 'injection'],
  ['cream', 'cream'],
  ['ointment', 'ointment'],
  ['suppository', 'suppository'],
  ['odt', 'orally disintegrating tablet'],
]);

export type Release = 'immediate' | 'extended-release' | 'delayed-release';

export interface Formulation {
  /** Undefined when the text names no form and no release words. */
  release?: Release;
  /** True when release words were written; false when immediate release is inferred from a bare form. */
  releaseStated: boolean;
  form?: string;
  /** Words for the pharmacist ("extended-release tablet"). */
  label: string;
}

/** Formulations by text: the same product names recur across patients (results are frozen, shared). */
const FORMULATIONS = new Map<string, Readonly<Formulation>>();
const FORMULATION_CACHE_LIMIT = 20_000;

export function formulationOf(text: string): Readonly<Formulation> {
  let found = FORMULATIONS.get(text);
  if (!found) {
    found = Object.freeze(readFormulation(text));
    if (FORMULATIONS.size >= FORMULATION_CACHE_LIMIT) FORMULATIONS.clear();
    FORMULATIONS.set(text, found);
  }
  return found;
}

function readFormulation(text: string): Formulation {
  const words = text.toLowerCase().split(/[^a-z0-9]+/);
  let release: Release | undefined;
  let form: string | undefined;
  for (let i = 0; i < words.length; i++) {
    const w = words[i] ?? '';
    // "24 HR" / "12 HR" are RxNorm's extended-release prefixes; bare numbers are strengths.
    if ((w === '24' || w === '12') && words[i + 1] !== 'hr') continue;
    const r = RELEASE_WORDS.get(w);
    if (r && release === undefined) release = r;
    const f = FORM_WORDS.get(w);
    if (f && form === undefined) form = f;
  }
  const stated = release !== undefined;
  // A named form without release words is the immediate-release product.
  if (release === undefined && form !== undefined) release = 'immediate';
  const result: Formulation = {
    releaseStated: stated,
    label:
      [release === 'immediate' ? 'immediate-release' : release, form].filter(Boolean).join(' ') || 'unstated',
  };
  if (release !== undefined) result.release = release;
  if (form !== undefined) result.form = form;
  return result;
}

const ORAL_SOLID: ReadonlySet<string> = new Set(['tablet', 'capsule']);

/** False only when both sides state the release (or the form) and they differ. */
export function sameFormulation(a: Formulation, b: Formulation): boolean {
  if (a.release !== undefined && b.release !== undefined && a.release !== b.release) {
    // "metformin ER" against "metformin 500 mg tablet" (a bare form, so immediate) is a change. Delayed release
    // is usually the only product (omeprazole capsules are enteric-coated), so a bare form does not contradict it.
    const bothStated = a.releaseStated && b.releaseStated;
    const extended = a.release === 'extended-release' || b.release === 'extended-release';
    if (bothStated || extended) return false;
  }
  if (a.form !== undefined && b.form !== undefined && a.form !== b.form) {
    // Tablet and capsule of one release kind are interchangeable for reconciliation.
    if (!(ORAL_SOLID.has(a.form) && ORAL_SOLID.has(b.form))) return false;
  }
  return true;
}
