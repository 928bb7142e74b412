// `npm run eval` — text extraction: Synthea notes vs active MedicationRequests, real-world sigs, and our gold sets.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { parseSig } from '../src/extract/sig/parse-sig.ts';
import type { ExtractedMedication } from '../src/extract/rules/extracted-medication.ts';
import { extractMedications } from '../src/extract/rules/extract-medications.ts';
import { createStarterTerminology } from '../src/terminology/starter-terminology.ts';
import type { Terminology } from '../src/terminology/terminology.ts';
import { readGoldSigs, scoreSigGold, SIG_FIELDS } from './sig-gold.ts';

const REPO = new URL('../', import.meta.url);
const SHARED = fileURLToPath(new URL('../shared/', REPO));
const FIXTURES = fileURLToPath(new URL('test/fixtures/text/', REPO));

interface Counts {
  tp: number;
  fp: number;
  fn: number;
}
const counts = (): Counts => ({ tp: 0, fp: 0, fn: 0 });
function prf(c: Counts): [number, number, number] {
  const p = c.tp + c.fp === 0 ? 1 : c.tp / (c.tp + c.fp);
  const r = c.tp + c.fn === 0 ? 1 : c.tp / (c.tp + c.fn);
  return [p, r, p + r === 0 ? 0 : (2 * p * r) / (p + r)];
}
const f3 = (x: number) => x.toFixed(3);

function printTable(title: string, header: string[], rows: Array<Array<string | number>>): void {
  console.log(`\n## ${title}`);
  console.log(`| ${header.join(' | ')} |`);
  console.log(`|${header.map(() => '---').join('|')}|`);
  for (const row of rows) console.log(`| ${row.join(' | ')} |`);
}

export async function evalTextExtraction(): Promise<void> {
  console.log('# Text extraction');
  const terminology = createStarterTerminology();
  evalSigGold();
  evalDischargeGold(terminology);
  if (!existsSync(SHARED)) {
    console.log('\nskipped: Synthea notes and real-world sigs (../shared is not present)');
    return;
  }
  evalSyntheaNotes(terminology);
  evalCorpusSigs();
  await Promise.resolve();
}

// ---------------------------------------------------------------- (c) gold sets

function evalSigGold(): void {
  const rows = readGoldSigs(`${FIXTURES}sigs.gold.psv`);
  const s = scoreSigGold(rows);
  printTable(
    `Gold sigs (${s.total} hand-labelled, test/fixtures/text/sigs.gold.psv): field accuracy (goal ≥ 0.95)`,
    ['field', 'accuracy (all rows)', 'accuracy where stated', 'rows stating it'],
    SIG_FIELDS.map((f) => [
      f,
      f3(s.correct[f] / s.total),
      f3(s.stated[f][1] / Math.max(1, s.stated[f][0])),
      s.stated[f][0],
    ]),
  );
  console.log(
    `all fields right: ${s.allFieldsRight}/${s.total}; not sure: ${s.notSure}; wrong rows flagged not-sure: ${s.wrongFlagged}/${s.wrong}`,
  );
}

interface DischargeGold {
  documents: Record<string, { meds: Array<[string, string]>; notExtracted: string[] }>;
}

/** The drug as the gold set names it: ingredient names, alphabetical, " / " between them. */
/** RxNorm writes some ingredient names with a pharmacopoeia suffix ("sennosides, USP"); labels do not. */
function drugKey(m: ExtractedMedication): string {
  return rawDrugKey(m).replace(/, USP\b/g, '');
}
function rawDrugKey(m: ExtractedMedication): string {
  if (m.ingredients && m.ingredients.length > 1)
    return m.ingredients
      .map((i) => i.name)
      .sort()
      .join(' / ');
  if (m.concept && m.concept.ingredients.length > 1)
    return m.concept.ingredients
      .map((i) => i.name)
      .sort()
      .join(' / ');
  return m.concept?.name ?? m.name.toLowerCase();
}
function sameDrug(label: string, m: ExtractedMedication): boolean {
  return drugKey(m) === label || m.name.toLowerCase().startsWith(label);
}

/** A discharge gold set: the labels file and the folder of its documents, under test/fixtures/text/. */
interface DischargeSet {
  title: string;
  labels: string;
  folder: string;
}
export const DISCHARGE_SETS: readonly DischargeSet[] = [
  { title: 'Gold discharge summaries (20)', labels: 'discharge.gold.json', folder: 'discharge' },
  {
    title: 'Held-out discharge summaries (10, labelled before the implied-status rules were written)',
    labels: 'discharge-heldout.gold.json',
    folder: 'discharge-heldout',
  },
  {
    title:
      'First blind set (20, written and labelled by a colleague who had not seen the rules; used as a dev set since its first run: F1 0.597)',
    labels: 'discharge-blind.gold.json',
    folder: 'discharge-blind',
  },
  {
    title:
      'Development set 3 (20, styles like the second blind set, written by a third colleague; a dev set from its first run)',
    labels: 'discharge-dev3.gold.json',
    folder: 'discharge-dev3',
  },
  {
    title: 'Development set 4 (20, prose-heavy, written by a fourth colleague; a dev set from its first run)',
    labels: 'discharge-dev4.gold.json',
    folder: 'discharge-dev4',
  },
  {
    title:
      'Second blind set (20, another colleague, other styles; scored only as totals, never read while changing the rules)',
    labels: 'discharge-blind2.gold.json',
    folder: 'discharge-blind2',
  },
];

function evalDischargeGold(terminology: Terminology): void {
  for (const set of DISCHARGE_SETS) evalDischargeSet(set, terminology);
}

function evalDischargeSet(set: DischargeSet, terminology: Terminology): void {
  const gold = JSON.parse(readFileSync(`${FIXTURES}${set.labels}`, 'utf8')) as DischargeGold;
  const withStatus = counts();
  const drugOnly = counts();
  let excludedSeen = 0;
  let excludedTotal = 0;
  for (const [file, doc] of Object.entries(gold.documents)) {
    const found = extractMedications(readFileSync(`${FIXTURES}${set.folder}/${file}`, 'utf8'), {
      terminology,
    });
    if (process.env['EVAL_VERBOSE']) {
      const got = found.map((m) => `${drugKey(m)}:${m.status ?? '-'}`).join(', ');
      console.log(`${file}: ${got}`);
    }
    for (const [pass, c] of [
      [true, withStatus],
      [false, drugOnly],
    ] as const) {
      const used = new Set<number>();
      for (const [drug, status] of doc.meds) {
        const i = found.findIndex(
          (m, k) => !used.has(k) && sameDrug(drug, m) && (!pass || m.status === status),
        );
        if (i >= 0) {
          used.add(i);
          c.tp++;
        } else c.fn++;
      }
      c.fp += found.length - used.size;
    }
    for (const drug of doc.notExtracted) {
      excludedTotal++;
      if (found.some((m) => sameDrug(drug, m))) excludedSeen++;
    }
  }
  const [p, r, f] = prf(withStatus);
  const [dp, dr, df] = prf(drugOnly);
  printTable(
    `${set.title}, test/fixtures/text/${set.folder}: discharge medications (goal F1 ≥ 0.95 with status)`,
    ['match', 'precision', 'recall', 'F1', 'TP', 'FP', 'FN'],
    [
      ['drug + status', f3(p), f3(r), f3(f), withStatus.tp, withStatus.fp, withStatus.fn],
      ['drug only', f3(dp), f3(dr), f3(df), drugOnly.tp, drugOnly.fp, drugOnly.fn],
    ],
  );
  console.log(
    `hospital-only / historical / negated drugs wrongly extracted: ${excludedSeen}/${excludedTotal}`,
  );
}

// ---------------------------------------------------------------- (a) Synthea notes

interface Fhir {
  id: string;
  status?: string;
  subject?: { reference?: string };
  authoredOn?: string;
  date?: string;
  context?: { period?: { start?: string; end?: string } };
  medicationCodeableConcept?: { coding?: Array<{ code?: string; display?: string }>; text?: string };
}

function readNdjson(path: string): Fhir[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as Fhir);
}

/** RxNorm subset tables (../shared/knowledge/rxnorm): SCD/SBD → ingredients, read once. */
function loadRxnorm():
  { names: Map<string, [string, string]>; rels: Map<string, Array<[string, string]>> } | undefined {
  const dir = `${SHARED}knowledge/rxnorm/`;
  if (!existsSync(`${dir}rxnconso_subset.tsv.gz`)) return undefined;
  const names = new Map<string, [string, string]>();
  for (const line of gunzipSync(readFileSync(`${dir}rxnconso_subset.tsv.gz`))
    .toString('utf8')
    .split('\n')
    .slice(1)) {
    const [rxcui, tty, name] = line.split('\t');
    if (rxcui && tty && name) names.set(rxcui, [tty, name]);
  }
  const rels = new Map<string, Array<[string, string]>>();
  for (const line of gunzipSync(readFileSync(`${dir}rxnrel_subset.tsv.gz`))
    .toString('utf8')
    .split('\n')
    .slice(1)) {
    const [from, rela, to] = line.split('\t');
    if (!from || !rela || !to) continue;
    const list = rels.get(from) ?? [];
    list.push([rela, to]);
    rels.set(from, list);
  }
  return { names, rels };
}

interface TruthMed {
  rxcui: string;
  display: string;
  ingredients: string[];
  /** Ingredient names, lower case, salt words dropped, joined with "+". */
  names: string;
  strengths: string[];
  form: string;
}

const SCD_STRENGTH = /(\d+(?:\.\d+)?) (MG|MCG|UNT|MEQ|ML)(?:\/(ML|ACTUAT|HR))?\b/gi;
const QUANTITY_PREFIX = /^\d+(?:\.\d+)? (?:ML|HR)\s+/i;

function normUnit(unit: string): string {
  return unit.toLowerCase().replace('unt', 'units').replace('units/ml', 'units/ml');
}

/** Truth fields from the RxNorm normal-form name: strengths and dose form after the last strength. */
function truthOf(
  rxcui: string,
  display: string,
  rx: ReturnType<typeof loadRxnorm>,
  terminology: Terminology,
): TruthMed {
  const name = display.replace(QUANTITY_PREFIX, '').replace(/\s*\[[^\]]*\]\s*$/, '');
  const strengths: string[] = [];
  let last = 0;
  for (const m of name.matchAll(SCD_STRENGTH)) {
    strengths.push(`${Number(m[1])} ${normUnit(m[2] ?? '')}${m[3] ? `/${m[3].toLowerCase()}` : ''}`);
    last = m.index + m[0].length;
  }
  const form = strengths.length > 0 ? name.slice(last).trim().toLowerCase() : '';
  let ingredients: string[] = [];
  if (rx) {
    const scd =
      rx.names.get(rxcui)?.[0] === 'SBD'
        ? rx.rels.get(rxcui)?.find((r) => r[0] === 'tradename_of')?.[1]
        : rxcui;
    for (const [rela, scdc] of rx.rels.get(scd ?? rxcui) ?? []) {
      if (rela !== 'consists_of') continue;
      for (const [r2, ing] of rx.rels.get(scdc) ?? []) {
        // has_ingredient also points at multi-ingredient groupings (MIN); the ingredient is the IN.
        if (r2 === 'has_ingredient' && rx.names.get(ing)?.[0] === 'IN') ingredients.push(ing);
      }
    }
  }
  if (ingredients.length === 0) {
    // Ingredients starting with "a" are missing from the shared subset: fall back to the name's ingredient words.
    const concept = terminology.lookupDrug(name.split(/\d/)[0] ?? name);
    if (concept) ingredients = concept.ingredients.map((i) => i.rxcui);
    else ingredients = [(name.split(/\s\d/)[0] ?? name).toLowerCase()];
  }
  const unique = [...new Set(ingredients)].sort();
  const names = unique
    .map((i) => simpleName(rx?.names.get(i)?.[1] ?? terminology.get(i)?.name ?? i))
    .sort()
    .join('+');
  return { rxcui, display, ingredients: unique, names, strengths, form };
}

const SALTS =
  /\b(?:hydrochloride|hcl|sodium|potassium|calcium|sulfate|succinate|tartrate|besylate|bitartrate|hydrobromide)\b/g;
function simpleName(name: string): string {
  return name
    .toLowerCase()
    .replace(SALTS, '')
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}
function predictedNames(m: ExtractedMedication): string {
  if (m.ingredients && m.ingredients.length > 0)
    return m.ingredients
      .map((c) => simpleName(c.name))
      .sort()
      .join('+');
  if (m.concept)
    return m.concept.ingredients
      .map((i) => simpleName(i.name))
      .sort()
      .join('+');
  return simpleName(m.name);
}

function predictedIngredients(m: ExtractedMedication): string[] {
  if (m.ingredients && m.ingredients.length > 0)
    return [...new Set(m.ingredients.flatMap((c) => c.ingredients.map((i) => i.rxcui)))].sort();
  if (m.concept) return m.concept.ingredients.map((i) => i.rxcui).sort();
  return [m.name.toLowerCase()];
}
function predictedStrengths(m: ExtractedMedication): string[] {
  return (m.strengths ?? (m.strength ? [m.strength] : [])).map((s) => `${s.value} ${s.unit.toLowerCase()}`);
}

function evalSyntheaNotes(terminology: Terminology): void {
  const bulk = `${SHARED}corpus/paired/synthea-bulk-10/`;
  const notesDir = `${SHARED}corpus/text/synthea-notes/`;
  if (!existsSync(`${bulk}MedicationRequest.000.ndjson`) || !existsSync(notesDir)) {
    console.log('\nskipped: Synthea notes (corpus files not found)');
    return;
  }
  const rx = loadRxnorm();
  const docs = new Map(readNdjson(`${bulk}DocumentReference.000.ndjson`).map((d) => [d.id, d]));
  const byPatient = new Map<string, Fhir[]>();
  for (const r of readNdjson(`${bulk}MedicationRequest.000.ndjson`)) {
    const key = r.subject?.reference ?? '';
    const list = byPatient.get(key) ?? [];
    list.push(r);
    byPatient.set(key, list);
  }
  for (const list of byPatient.values())
    list.sort((a, b) => Date.parse(a.authoredOn ?? '') - Date.parse(b.authoredOn ?? ''));
  const truthCache = new Map<string, TruthMed>();
  const fields = { drug: counts(), strength: counts(), form: counts() };
  const byName = counts();
  const ceiling = counts();
  let notes = 0;
  const missingDrugs = new Map<string, number>();
  for (const patient of readdirSync(notesDir)) {
    for (const file of readdirSync(`${notesDir}${patient}`)) {
      const doc = docs.get(file.replace(/\.txt$/, ''));
      if (!doc) continue;
      notes++;
      const text = readFileSync(`${notesDir}${patient}/${file}`, 'utf8');
      // Active at the note date: authored no later than the end of the note's encounter, and the latest
      // request for its medication code (a re-issue replaces the earlier request).
      const cutoff = Date.parse(doc.context?.period?.end ?? doc.date ?? '');
      const latest = new Map<string, Fhir>();
      for (const r of byPatient.get(`Patient/${patient}`) ?? []) {
        const code = r.medicationCodeableConcept?.coding?.[0]?.code;
        if (code && Date.parse(r.authoredOn ?? '') <= cutoff) latest.set(code, r);
      }
      const truth = [...latest.entries()].map(([code, r]) => {
        const display = r.medicationCodeableConcept?.coding?.[0]?.display ?? '';
        let t = truthCache.get(code);
        if (!t) {
          t = truthOf(code, display, rx, terminology);
          truthCache.set(code, t);
        }
        return t;
      });
      const lower = text.toLowerCase();
      for (const t of truth) {
        if (lower.includes(t.display.toLowerCase())) ceiling.tp++;
        else ceiling.fn++;
      }
      // The note's list of medications is a set: a product named twice (list and plan) counts once.
      const seen = new Set<string>();
      const found = extractMedications(text, { terminology }).filter((m) => {
        const key = `${predictedIngredients(m).join('+')}|${predictedStrengths(m).join(',')}|${m.form ?? ''}`;
        if (seen.has(key)) return false;
        seen.add(key);
        return true;
      });
      const usedByName = new Set<number>();
      for (const m of found) {
        const i = truth.findIndex((t, k) => !usedByName.has(k) && t.names === predictedNames(m));
        if (i >= 0) {
          usedByName.add(i);
          byName.tp++;
        } else byName.fp++;
      }
      byName.fn += truth.length - usedByName.size;
      const used = new Set<number>();
      for (const m of found) {
        const ing = predictedIngredients(m).join('+');
        // Among products of the same ingredients, prefer the one with the same strengths (suspension vs capsule).
        const same = (t: TruthMed, k: number) => !used.has(k) && t.ingredients.join('+') === ing;
        const exact = truth.findIndex(
          (t, k) => same(t, k) && t.strengths.join(', ') === predictedStrengths(m).join(', '),
        );
        const i = exact >= 0 ? exact : truth.findIndex(same);
        if (!m.concept && !m.ingredients)
          missingDrugs.set(m.name.toLowerCase(), (missingDrugs.get(m.name.toLowerCase()) ?? 0) + 1);
        const strengths = predictedStrengths(m).join(', ');
        if (i < 0) {
          fields.drug.fp++;
          if (strengths) fields.strength.fp++;
          if (m.form) fields.form.fp++;
          continue;
        }
        used.add(i);
        const t = truth[i] as TruthMed;
        fields.drug.tp++;
        if (strengths && strengths === t.strengths.join(', ')) fields.strength.tp++;
        else {
          if (strengths) fields.strength.fp++;
          if (t.strengths.length > 0) fields.strength.fn++;
        }
        if (m.form && m.form === t.form) fields.form.tp++;
        else {
          if (m.form) fields.form.fp++;
          if (t.form) fields.form.fn++;
        }
      }
      truth.forEach((t, k) => {
        if (used.has(k)) return;
        fields.drug.fn++;
        if (t.strengths.length > 0) fields.strength.fn++;
        if (t.form) fields.form.fn++;
      });
    }
  }
  printTable(
    `Synthea notes (${notes} notes, 8 patients) vs MedicationRequests active at the note date (goal F1 ≥ 0.98)`,
    ['field', 'precision', 'recall', 'F1', 'TP', 'FP', 'FN'],
    [
      ...(['drug', 'strength', 'form'] as const).map((f) => {
        const [p, r, f1] = prf(fields[f]);
        const label = f === 'drug' ? 'drug (RxNorm ingredient rxcui)' : f === 'form' ? 'dose form' : f;
        return [label, f3(p), f3(r), f3(f1), fields[f].tp, fields[f].fp, fields[f].fn];
      }),
      (() => {
        const [p, r, f1] = prf(byName);
        return [
          'drug (ingredient name, coded or not)',
          f3(p),
          f3(r),
          f3(f1),
          byName.tp,
          byName.fp,
          byName.fn,
        ];
      })(),
    ],
  );
  console.log(
    'strength and dose form are scored on drug-matched pairs (rxcui); a wrong drug costs all three.',
  );
  const [, cr] = prf(ceiling);
  console.log(
    `ceiling: ${f3(cr)} of the active requests are written in their note at all (${ceiling.fn} are not)`,
  );
  const missing = [...missingDrugs.entries()].sort((a, b) => b[1] - a[1]).map(([n, c]) => `${n} (${c})`);
  if (missing.length > 0) console.log(`names the terminology did not know: ${missing.join('; ')}`);
}

// ---------------------------------------------------------------- (b) real-world sigs

function evalCorpusSigs(): void {
  const path = `${SHARED}corpus/text/sigs/parserx_input_sigs.txt`;
  if (!existsSync(path)) {
    console.log('\nskipped: real-world sigs (corpus file not found)');
    return;
  }
  const sigs = readFileSync(path, 'utf8')
    .split('\n')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  let parsed = 0;
  let notSure = 0;
  let parsedSure = 0;
  let multiStep = 0;
  let warned = 0;
  for (const sig of sigs) {
    const r = parseSig(sig);
    const ok =
      (r.fields.timing !== undefined || r.fields.asNeeded !== undefined) &&
      (r.fields.dose !== undefined || r.fields.route !== undefined);
    if (ok) parsed++;
    if (r.notSure) notSure++;
    if (ok && !r.notSure) parsedSure++;
    if (r.dosage.length > 1) multiStep++;
    if (r.warnings.some((w) => w.code.startsWith('ismp'))) warned++;
  }
  const n = sigs.length;
  printTable(
    `Real-world sigs (${n}, unlabelled, corpus/text/sigs)`,
    ['measure', 'count', 'rate'],
    [
      ['parsed (schedule or PRN, and dose or route)', parsed, f3(parsed / n)],
      ['not sure (sent to a human)', notSure, f3(notSure / n)],
      ['parsed and sure', parsedSure, f3(parsedSure / n)],
      ['multi-step (tapers)', multiStep, f3(multiStep / n)],
      ['with an ISMP warning', warned, f3(warned / n)],
    ],
  );
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  await evalTextExtraction();
}
