// npm run eval: Synthea patients reconciled against themselves (0 discrepancies) and against seeded perturbations.
//
// The EHR list: each patient's *active* MedicationRequests, mapped with ehrMedicationFromFhir. "Active" is
// status = 'active' (FHIR R4 medicationrequest-status). Synthea writes 'active' for a medication the simulation
// never ended and 'stopped' for one it ended (all its requests have intent 'order'); a patient who died keeps
// the medications active at death as 'active', so those are the list as the record states it.
//
// The pharmacy profile: the same MedicationRequests converted by `pharmacyPrescriptionFromRequest` below, read
// from the FHIR resource independently of the reconciler's mapper: drug name = medicationCodeableConcept.text,
// RxCUI = its RxNorm coding, strength = the first "<n> MG|MCG|G|UNT" in the RxNorm name, dose = doseQuantity
// counted in the dose form's unit (tablet, capsule, each), frequency = timing.repeat frequency / period in
// days, route = Dosage.route or the route the RxNorm dose form names, PRN = asNeededBoolean, status active.
// Fills: every 30 days (30-day supply) from authoredOn up to the as-of date, the last three kept. As-of date:
// the patient's latest MedicationRequest authoredOn + 45 days (so every active medicine has a fill after
// the day it was written).
//
// Perturbations (seeded, deterministic; each a separate copy of the patient, plus one copy with all of them on
// distinct medicines): drop a prescription → omission; add a prescription of another corpus drug with no
// shared ingredient or class → commission; double the dose → dose-change; one more administration a day →
// frequency-change; a different route → route-change; the EHR request marked stopped while the pharmacy keeps
// filling → discontinued-still-filling. A perturbation needs what it changes: a dose change needs a known
// amount per dose, a frequency change a scheduled frequency, a route change a stated route.
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { MedicationRequest, Patient } from '../src/kernel/fhir.ts';
import type {
  PharmacyFill,
  PharmacyPrescription,
  PharmacyProfile,
} from '../src/platform/pharmacy/pharmacy-system.ts';
import type { DiscrepancyType } from '../src/reconcile/discrepancy.ts';
import { ehrMedicationFromFhir } from '../src/reconcile/ehr-medication-from-fhir.ts';
import type { EhrMedication } from '../src/reconcile/ehr-medication.ts';
import { reconcileMedications } from '../src/reconcile/reconcile-medications.ts';
import { createStarterTerminology } from '../src/terminology/starter-terminology.ts';
import type { Terminology } from '../src/terminology/terminology.ts';
import type { EvalModule } from './run.ts';

export const SYNTHEA_DIR = fileURLToPath(
  new URL('../../shared/corpus/paired/synthea-bulk-10/', import.meta.url),
);

const RXNORM = 'http://www.nlm.nih.gov/research/umls/rxnorm';
const DAY_MS = 86_400_000;

export type PerturbationKind = 'drop' | 'add' | 'dose' | 'frequency' | 'route' | 'stopped-filling';
export const PERTURBATIONS: readonly PerturbationKind[] = [
  'drop',
  'add',
  'dose',
  'frequency',
  'route',
  'stopped-filling',
];

const EXPECTED_TYPE: Readonly<Record<PerturbationKind, DiscrepancyType>> = {
  drop: 'omission',
  add: 'commission',
  dose: 'dose-change',
  frequency: 'frequency-change',
  route: 'route-change',
  'stopped-filling': 'discontinued-still-filling',
};

export interface Perturbation {
  kind: PerturbationKind;
  /** RxCUI of the medicine changed (or added). */
  rxcui: string;
  drug: string;
}

export interface Expectation {
  type: DiscrepancyType;
  rxcui: string;
  drug: string;
}

export interface CaseResult {
  patient: number;
  /** `self`, one perturbation kind, or `all`. */
  variant: string;
  meds: number;
  expected: Expectation[];
  found: Expectation[];
  falsePositives: Expectation[];
  missed: Expectation[];
}

interface SyntheaPatient {
  requests: MedicationRequest[];
  asOf: Date;
}

function readNdjson<T>(file: string): T[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as T);
}

/** Every patient's MedicationRequests (any status), in Patient file order. */
function loadPatients(dir: string): { patients: SyntheaPatient[]; all: MedicationRequest[] } {
  const patients = readNdjson<Patient>(`${dir}Patient.000.ndjson`);
  const all = readNdjson<MedicationRequest>(`${dir}MedicationRequest.000.ndjson`);
  const bySubject = new Map<string, MedicationRequest[]>();
  for (const r of all) {
    const subject = r.subject?.reference ?? '';
    const list = bySubject.get(subject) ?? [];
    list.push(r);
    bySubject.set(subject, list);
  }
  return {
    all,
    patients: patients.map((p) => {
      const requests = bySubject.get(`Patient/${p.id ?? ''}`) ?? [];
      const latest = requests.reduce((max, r) => {
        const t = r.authoredOn ? Date.parse(r.authoredOn) : 0;
        return t > max ? t : max;
      }, 0);
      return { requests, asOf: new Date(latest + 45 * DAY_MS) };
    }),
  };
}

function rxcuiOf(r: MedicationRequest): string {
  return r.medicationCodeableConcept?.coding?.find((c) => c.system === RXNORM)?.code ?? '';
}

function nameOf(r: MedicationRequest): string {
  return r.medicationCodeableConcept?.text ?? r.medicationCodeableConcept?.coding?.[0]?.display ?? '';
}

/** Route named by the RxNorm dose form at the end of an SCD/SBD name. */
const FORM_ROUTES: ReadonlyArray<[RegExp, string]> = [
  [/\boral\b/i, 'oral'],
  [/\bvaginal\b/i, 'vaginal'],
  [/\bintrauterine\b/i, 'intrauterine'],
  [/\b(?:injection|injectable|auto-injector|prefilled syringe)\b/i, 'injection'],
  [/\bmucosal\b/i, 'mucosal'],
  [/\bimplant\b/i, 'subdermal'],
  [/\btopical\b/i, 'topical'],
  [/\binhal/i, 'inhalation'],
];

function doseUnitOf(name: string): string {
  if (/\btablet\b/i.test(name)) return 'tablet';
  if (/\bcapsule\b/i.test(name)) return 'capsule';
  return 'each';
}

/** The pharmacy's prescription for a MedicationRequest (see the header for how each field is read). */
export function pharmacyPrescriptionFromRequest(r: MedicationRequest, index: number): PharmacyPrescription {
  const name = nameOf(r);
  const dosage = r.dosageInstruction?.[0];
  const rx: PharmacyPrescription = {
    id: `rx-${index}`,
    rxNumber: String(7_000_000 + index),
    drugName: name,
    sig: dosage?.text ?? '',
    prn: dosage?.asNeededBoolean === true,
    status: 'active',
    prescriber: 'Synthea prescriber',
    writtenDate: (r.authoredOn ?? '').slice(0, 10),
    refillsRemaining: 3,
  };
  const rxcui = rxcuiOf(r);
  if (rxcui) rx.rxcui = rxcui;
  const strength = /(\d+(?:\.\d+)?)\s*(MG|MCG|G|UNT)\b/i.exec(name);
  if (strength?.[1] && strength[2]) {
    const unit = strength[2].toLowerCase();
    rx.strength = { value: Number(strength[1]), unit: unit === 'unt' ? 'units' : unit };
  }
  const dose = dosage?.doseAndRate?.[0]?.doseQuantity?.value;
  if (dose !== undefined) rx.dose = { value: dose, unit: doseUnitOf(name) };
  const repeat = dosage?.timing?.repeat;
  if (repeat?.frequency !== undefined && repeat.period !== undefined) {
    const days = { h: 1 / 24, d: 1, wk: 7, mo: 30 }[repeat.periodUnit as 'h' | 'd' | 'wk' | 'mo'];
    if (days !== undefined) {
      rx.frequencyPerDay = Math.round((repeat.frequency / (repeat.period * days)) * 1000) / 1000;
      rx.frequencyText = `${rx.frequencyPerDay} times a day`;
    }
  }
  const route = dosage?.route?.text ?? FORM_ROUTES.find(([pattern]) => pattern.test(name))?.[1];
  if (route !== undefined) rx.route = route;
  if (!rx.sig) {
    const parts = [
      rx.dose ? `${rx.dose.value} ${rx.dose.unit}` : '',
      rx.route ?? '',
      rx.frequencyText ?? '',
      rx.prn ? 'as needed' : '',
    ];
    rx.sig = parts.filter(Boolean).join(' ') || 'as directed';
  }
  return rx;
}

/** 30-day fills from the written date to the as-of date, the last three. */
function fillsFor(rx: PharmacyPrescription, asOf: Date): PharmacyFill[] {
  const fills: PharmacyFill[] = [];
  const start = Date.parse(`${rx.writtenDate}T12:00:00Z`);
  for (let t = start; t <= asOf.getTime(); t += 30 * DAY_MS) {
    fills.push({
      prescriptionId: rx.id,
      date: new Date(t).toISOString().slice(0, 10),
      quantity: 30,
      daysSupply: 30,
    });
  }
  return fills.slice(-3);
}

/** Mulberry32: a small seeded generator, so every run perturbs the same medicines. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function shuffled<T>(items: readonly T[], random: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

interface Variant {
  ehr: EhrMedication[];
  prescriptions: PharmacyPrescription[];
  perturbations: Perturbation[];
}

/** Whether a perturbation can be seen on this medicine (see the header). */
function applicable(kind: PerturbationKind, ehr: EhrMedication, rx: PharmacyPrescription): boolean {
  if (kind === 'dose') return ehr.strength !== undefined || (ehr.dose !== undefined && ehr.dose.unit !== '');
  if (kind === 'frequency') return ehr.frequencyPerDay !== undefined && !ehr.prn && !rx.prn;
  if (kind === 'route') return ehr.route !== undefined && rx.route !== undefined;
  return true;
}

/** A drug for `add`: from elsewhere in the corpus, sharing no ingredient or class with the patient's list. */
function addCandidate(
  active: readonly MedicationRequest[],
  all: readonly MedicationRequest[],
  terminology: Terminology,
  random: () => number,
): MedicationRequest | undefined {
  const concepts = active.map((r) => terminology.get(rxcuiOf(r)) ?? terminology.lookupDrug(nameOf(r)));
  const ingredients = new Set(concepts.flatMap((c) => c?.ingredients.map((i) => i.rxcui) ?? []));
  const classes = new Set(concepts.flatMap((c) => c?.classes ?? []));
  const seen = new Set<string>();
  const candidates = all.filter((r) => {
    const rxcui = rxcuiOf(r);
    if (seen.has(rxcui)) return false;
    seen.add(rxcui);
    const c = terminology.get(rxcui);
    return (
      c !== undefined &&
      c.ingredients.length > 0 &&
      c.ingredients.every((i) => !ingredients.has(i.rxcui)) &&
      c.classes.every((k) => !classes.has(k))
    );
  });
  return candidates[Math.floor(random() * candidates.length)];
}

function perturb(
  kinds: readonly PerturbationKind[],
  active: readonly MedicationRequest[],
  all: readonly MedicationRequest[],
  terminology: Terminology,
  random: () => number,
): Variant {
  const ehr = active.map((r) => ehrMedicationFromFhir(r));
  const prescriptions = active.map((r, i) => pharmacyPrescriptionFromRequest(r, i));
  const perturbations: Perturbation[] = [];
  const taken = new Set<number>();
  const dropped = new Set<number>();
  for (const kind of kinds) {
    if (kind === 'add') {
      const other = addCandidate(active, all, terminology, random);
      if (!other) continue;
      prescriptions.push(pharmacyPrescriptionFromRequest(other, prescriptions.length));
      perturbations.push({ kind, rxcui: rxcuiOf(other), drug: nameOf(other) });
      continue;
    }
    const order = shuffled(
      active.map((_, i) => i),
      random,
    );
    const i = order.find((j) => {
      const e = ehr[j];
      const rx = prescriptions[j];
      return !taken.has(j) && e !== undefined && rx !== undefined && applicable(kind, e, rx);
    });
    if (i === undefined) continue;
    taken.add(i);
    const request = active[i] as MedicationRequest;
    const rx = prescriptions[i] as PharmacyPrescription;
    if (kind === 'drop') dropped.add(i);
    else if (kind === 'dose') {
      rx.dose = { value: (rx.dose?.value ?? 1) * 2, unit: rx.dose?.unit ?? doseUnitOf(rx.drugName) };
      rx.sig = `${rx.sig} (dose doubled)`;
    } else if (kind === 'frequency') {
      rx.frequencyPerDay = (rx.frequencyPerDay ?? 1) + 1;
      rx.frequencyText = `${rx.frequencyPerDay} times a day`;
    } else if (kind === 'route') {
      rx.route = rx.route === 'oral' ? 'sublingual' : 'oral';
    } else {
      // The EHR's request stopped on the day it was written; the pharmacy has filled it since.
      ehr[i] = ehrMedicationFromFhir({ ...request, status: 'stopped' });
    }
    perturbations.push({ kind, rxcui: rxcuiOf(request), drug: nameOf(request) });
  }
  return {
    ehr,
    prescriptions: prescriptions.filter((_, i) => !dropped.has(i)),
    perturbations,
  };
}

function profileOf(patient: number, prescriptions: PharmacyPrescription[], asOf: Date): PharmacyProfile {
  return {
    patient: {
      id: `synthea-${patient}`,
      given: 'Synthetic',
      family: 'Patient',
      birthDate: '1970-01-01',
      gender: 'unknown',
      identifiers: [],
      site: 'eval',
    },
    prescriptions,
    fills: prescriptions.flatMap((rx) => fillsFor(rx, asOf)),
    allergies: [],
  };
}

function key(x: Expectation): string {
  return `${x.type}|${x.rxcui}`;
}

/** Runs the self and perturbed reconciliations for every patient in `dir`; empty when the corpus is absent. */
export function runSyntheaReconcile(dir: string = SYNTHEA_DIR, seed = 20_240_601): CaseResult[] {
  const { patients, all } = loadPatients(dir);
  const terminology = createStarterTerminology();
  const random = seeded(seed);
  const results: CaseResult[] = [];
  patients.forEach(({ requests, asOf }, p) => {
    const active = requests.filter((r) => r.status === 'active');
    const variants: Array<[string, readonly PerturbationKind[]]> = [
      ['self', []],
      ...PERTURBATIONS.map((k): [string, readonly PerturbationKind[]] => [k, [k]]),
      ['all', PERTURBATIONS],
    ];
    for (const [name, kinds] of variants) {
      const variant = perturb(kinds, active, all, terminology, random);
      if (name !== 'self' && variant.perturbations.length === 0) continue; // nothing it could change
      const result = reconcileMedications({
        ehr: variant.ehr,
        profile: profileOf(p + 1, variant.prescriptions, asOf),
        terminology,
        asOf,
        source: 'ehr-list',
      });
      const expected = variant.perturbations.map((x) => ({
        type: EXPECTED_TYPE[x.kind],
        rxcui: x.rxcui,
        drug: x.drug,
      }));
      const found = result.discrepancies.map((d) => ({
        type: d.type,
        rxcui: d.ehr?.rxcui ?? d.pharmacy?.rxcui ?? '',
        drug: d.ehr?.name ?? d.pharmacy?.drugName ?? d.drug,
      }));
      const expectedKeys = new Set(expected.map(key));
      const foundKeys = new Set(found.map(key));
      results.push({
        patient: p + 1,
        variant: name,
        meds: active.length,
        expected,
        found,
        falsePositives: found.filter((f) => !expectedKeys.has(key(f))),
        missed: expected.filter((e) => !foundKeys.has(key(e))),
      });
    }
  });
  return results;
}

export interface SyntheaTotals {
  cases: number;
  expected: number;
  found: number;
  truePositives: number;
  falsePositives: number;
  missed: number;
  precision: number;
  recall: number;
}

export function totalsOf(results: readonly CaseResult[]): SyntheaTotals {
  const expected = results.reduce((n, r) => n + r.expected.length, 0);
  const found = results.reduce((n, r) => n + r.found.length, 0);
  const falsePositives = results.reduce((n, r) => n + r.falsePositives.length, 0);
  const missed = results.reduce((n, r) => n + r.missed.length, 0);
  const truePositives = found - falsePositives;
  return {
    cases: results.length,
    expected,
    found,
    truePositives,
    falsePositives,
    missed,
    precision: found === 0 ? 1 : truePositives / found,
    recall: expected === 0 ? 1 : (expected - missed) / expected,
  };
}

function describe(x: readonly Expectation[]): string {
  return x.map((e) => `${e.type} ${e.drug}`).join('; ') || '-';
}

export function evalSyntheaReconcile(): void {
  if (!existsSync(SYNTHEA_DIR)) {
    console.log('skipped: ../shared/corpus/paired/synthea-bulk-10 is not present');
    return;
  }
  const results = runSyntheaReconcile();
  console.log('patient | variant          | meds | expected | found | false pos | missed');
  for (const r of results) {
    console.log(
      `P${String(r.patient).padEnd(6)} | ${r.variant.padEnd(16)} | ${String(r.meds).padStart(4)} | ${String(
        r.expected.length,
      ).padStart(8)} | ${String(r.found.length).padStart(5)} | ${String(r.falsePositives.length).padStart(
        9,
      )} | ${String(r.missed.length).padStart(6)}`,
    );
    if (r.falsePositives.length > 0 || r.missed.length > 0)
      console.log(`        false positives: ${describe(r.falsePositives)}; missed: ${describe(r.missed)}`);
  }
  for (const variant of ['self', ...PERTURBATIONS, 'all']) {
    const t = totalsOf(results.filter((r) => r.variant === variant));
    if (t.cases === 0) continue;
    console.log(
      `${variant.padEnd(16)} ${t.cases} patients, expected ${t.expected}, found ${t.found}, false positives ${t.falsePositives}, missed ${t.missed}`,
    );
  }
  const t = totalsOf(results);
  console.log(
    `\nTotal: ${t.cases} cases, ${t.expected} expected, ${t.found} found, precision ${t.precision.toFixed(3)}, recall ${t.recall.toFixed(3)}`,
  );
}

export const syntheaReconcileEval: EvalModule = {
  name: 'Synthea reconciliation (self and perturbed)',
  run: evalSyntheaReconcile,
};
