// Medication reconciliation: an EHR or discharge list against the pharmacy profile → matches and discrepancies.
import { findRoute } from '../extract/rules/route-rules.ts';
import type {
  PharmacyFill,
  PharmacyPrescription,
  PharmacyProfile,
} from '../platform/pharmacy/pharmacy-system.ts';
import type { Amount } from '../terminology/amount.ts';
import { isMeasuredUnit, sameAmount } from '../terminology/amount.ts';
import type { Terminology } from '../terminology/terminology.ts';
import type {
  Discrepancy,
  DiscrepancyType,
  MatchedMedication,
  PharmacyEvidence,
  ReconciliationResult,
  ReconciliationSource,
} from './discrepancy.ts';
import { discrepancyIdsFor } from './discrepancy-id.ts';
import type { EhrMedication } from './ehr-medication.ts';
import type { PriorityRule } from './priority-rules.ts';
import { PRIORITY_RULES, priorityFor } from './priority-rules.ts';
import { formulationOf, sameFormulation } from './formulation.ts';
import type { Regimen } from './suggested-actions.ts';
import {
  commissionAction,
  describeRegimen,
  doseChangeAction,
  duplicateAction,
  formulationChangeAction,
  newNotYetFilledAction,
  stoppedStillFillingAction,
  frequencyChangeAction,
  heldStillActiveAction,
  omissionAction,
  routeChangeAction,
  stoppedStillActiveAction,
  therapeuticDuplicationAction,
} from './suggested-actions.ts';

export interface ReconcileMedicationsInput {
  ehr: EhrMedication[];
  profile: PharmacyProfile;
  terminology: Terminology;
  /** Fills after this moment are ignored; the most recent fill before it is cited as evidence. */
  asOf: Date;
  source: ReconciliationSource;
  /** Priority rules, first match wins; defaults to PRIORITY_RULES. */
  priorityRules?: readonly PriorityRule[];
  /**
   * Discharge date (YYYY-MM-DD). With it, a list entry marked new whose prescription has no fill since this
   * date is reported as new-not-yet-filled. An entry's own `statusDate` takes precedence.
   */
  dischargeDate?: string;
}

/** Classes where two different drugs at once are usually a mistake (therapeutic duplication). */
export const DUPLICATION_CLASSES: readonly string[] = [
  'ACE inhibitor',
  'ARB',
  'statin',
  'anticoagulant',
  'SSRI',
  'proton pump inhibitor',
  'beta blocker',
  'sulfonylurea',
  'long-acting insulin',
  'benzodiazepine',
];

const DUPLICATION_CLASS_SET: ReadonlySet<string> = new Set(DUPLICATION_CLASSES);

const TYPE_ORDER: readonly DiscrepancyType[] = [
  'discontinued-still-filling',
  'discontinued-still-active',
  'new-not-yet-filled',
  'held-still-active',
  'dose-change',
  'frequency-change',
  'route-change',
  'formulation-change',
  'omission',
  'commission',
  'duplicate',
  'therapeutic-duplication',
];
const TYPE_RANK: ReadonlyMap<DiscrepancyType, number> = new Map(TYPE_ORDER.map((t, i) => [t, i]));
const PRIORITY_ORDER = { high: 0, medium: 1, low: 2 } as const;
/** Each type in words for the summary line ("dose change"), spelled once. */
const TYPE_WORDS: ReadonlyMap<DiscrepancyType, string> = new Map(
  TYPE_ORDER.map((t) => [t, t.replace(/-/g, ' ')]),
);

/** Code-unit order: stable across locales, and cheap. */
function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** One side's drug after terminology: what it is, and how it is taken. */
interface Resolved {
  /** Sorted ingredient rxcuis, or the normalized name when the terminology does not know the drug. */
  key: string;
  drug: string;
  classes: readonly string[];
  highAlert: boolean;
  regimen: Regimen;
  /** Ingredient keys, one per ingredient (a combination product has several). */
  parts: readonly string[];
  formulation: ReturnType<typeof formulationOf>;
}

interface EhrSide extends Resolved {
  med: EhrMedication;
  index: number;
}

interface PharmacySide extends Resolved {
  rx: PharmacyPrescription;
}

function nameKey(name: string): string {
  return (
    name
      .toLowerCase()
      .split(/\s+\d|\s*\(/)[0]
      ?.replace(/[^a-z]+/g, ' ')
      .trim() ?? ''
  );
}

interface DrugIdentity {
  key: string;
  drug: string;
  classes: readonly string[];
  highAlert: boolean;
  parts: readonly string[];
}

/** Resolved drugs by terminology and written name (+ rxcui): names recur across patients; results are frozen. */
const RESOLVED = new WeakMap<Terminology, Map<string, DrugIdentity>>();
const RESOLVED_LIMIT = 50_000;

function resolveDrug(terminology: Terminology, rxcui: string | undefined, name: string): DrugIdentity {
  let memo = RESOLVED.get(terminology);
  if (!memo) RESOLVED.set(terminology, (memo = new Map<string, DrugIdentity>()));
  const key = rxcui === undefined ? name : `${name}\u0000${rxcui}`;
  let found = memo.get(key);
  if (!found) {
    found = Object.freeze(lookUpDrug(terminology, rxcui, name));
    if (memo.size >= RESOLVED_LIMIT) memo.clear();
    memo.set(key, found);
  }
  return found;
}

function lookUpDrug(terminology: Terminology, rxcui: string | undefined, name: string): DrugIdentity {
  const concept = (rxcui !== undefined ? terminology.get(rxcui) : undefined) ?? terminology.lookupDrug(name);
  if (!concept || concept.ingredients.length === 0) {
    // A combination the vocabulary does not list ("lisinopril/hydrochlorothiazide 20/12.5"): each part alone.
    const pieces = name.split(/\s*\/\s*|\s+and\s+|\s*-\s*(?=[a-z])/i).filter((p) => /[a-z]{3}/i.test(p));
    if (pieces.length > 1) {
      const resolved = pieces.map((p) => resolveDrug(terminology, undefined, p));
      if (resolved.every((r) => !r.key.startsWith('name:'))) {
        const sorted = [...resolved].sort((a, b) => a.key.localeCompare(b.key));
        return {
          key: sorted.map((r) => r.key).join('+'),
          drug: resolved.map((r) => r.drug).join(' / '),
          classes: [...new Set(resolved.flatMap((r) => r.classes))],
          highAlert: resolved.some((r) => r.highAlert),
          parts: sorted.flatMap((r) => r.parts),
        };
      }
    }
    const key = `name:${nameKey(name)}`;
    return { key, drug: nameKey(name) || name, classes: [], highAlert: false, parts: [key] };
  }
  const ingredients = [...concept.ingredients].sort((a, b) => a.rxcui.localeCompare(b.rxcui));
  return {
    key: ingredients.map((i) => i.rxcui).join('+'),
    drug: concept.ingredients.map((i) => i.name).join(' / '),
    classes: concept.classes,
    highAlert: concept.highAlert,
    parts: ingredients.map((i) => i.rxcui),
  };
}

/** Amount per day: per-dose amount × administrations per day, when both are known (2 × 500 mg = 1000 mg). */
function dailyAmount(r: Regimen): Amount | undefined {
  if (!r.amount || r.frequencyPerDay === undefined || r.prn) return undefined;
  return { value: Math.round(r.amount.value * r.frequencyPerDay * 1e6) / 1e6, unit: r.amount.unit };
}

/** Amount per administration: a measured dose, or count × strength, or the strength alone when no dose is given. */
function amountPerDose(strength: Amount | undefined, dose: Amount | undefined): Amount | undefined {
  if (dose && isMeasuredUnit(dose.unit)) return dose;
  if (!strength || !isMeasuredUnit(strength.unit)) return undefined;
  const count = dose ? dose.value : 1;
  return count === 1
    ? strength
    : { value: Math.round(strength.value * count * 1e6) / 1e6, unit: strength.unit };
}

/** Routes as written → canonical route; a handful of spellings recur, each read once by the route rules. */
const ROUTES = new Map<string, string>();

function canonicalRoute(route: string | undefined): string | undefined {
  if (route === undefined || route.trim() === '') return undefined;
  let found = ROUTES.get(route);
  if (found === undefined) {
    found = findRoute(route)?.route ?? route.trim().toLowerCase();
    if (ROUTES.size >= 10_000) ROUTES.clear();
    ROUTES.set(route, found);
  }
  return found;
}

function regimenOf(x: {
  strength?: Amount;
  dose?: Amount;
  frequencyPerDay?: number;
  frequencyText?: string;
  route?: string;
  prn: boolean;
}): Regimen {
  const regimen: Regimen = { prn: x.prn };
  const amount = amountPerDose(x.strength, x.dose);
  if (amount) regimen.amount = amount;
  if (x.frequencyPerDay !== undefined) regimen.frequencyPerDay = x.frequencyPerDay;
  if (x.frequencyText !== undefined) regimen.frequencyText = x.frequencyText;
  const route = canonicalRoute(x.route);
  if (route) regimen.route = route;
  return regimen;
}

function sameFrequency(a: Regimen, b: Regimen): boolean | undefined {
  if (a.prn !== b.prn) return false;
  if (a.frequencyPerDay === undefined || b.frequencyPerDay === undefined) return undefined;
  return Math.abs(a.frequencyPerDay - b.frequencyPerDay) < 1e-6;
}

function lastFillOf(
  fills: readonly PharmacyFill[],
  prescriptionId: string,
  cutoff: string,
): PharmacyFill | undefined {
  let last: PharmacyFill | undefined;
  for (const fill of fills) {
    if (fill.prescriptionId !== prescriptionId || fill.date > cutoff) continue;
    if (!last || fill.date > last.date) last = fill;
  }
  return last;
}

/**
 * Compares an EHR or discharge medication list with the pharmacy's active prescriptions. Drugs match by
 * ingredient through the terminology, so brand and generic, and salt forms, are the same drug.
 */
export function reconcileMedications(input: ReconcileMedicationsInput): ReconciliationResult {
  const { terminology, profile, source, asOf } = input;
  const rules = input.priorityRules ?? PRIORITY_RULES;
  // Hashed once here; each discrepancy's id then costs a cheap keyed hash (discrepancy-id.ts).
  const discrepancyId = discrepancyIdsFor(profile.patient.id);
  /** Fills dated after this day are ignored (YYYY-MM-DD). */
  const cutoff = utcDay(asOf);

  const ehr: EhrSide[] = input.ehr.map((med, index) => {
    const d = resolveDrug(terminology, med.rxcui, med.name);
    return {
      key: d.key,
      drug: d.drug,
      classes: d.classes,
      highAlert: d.highAlert,
      parts: d.parts,
      regimen: regimenOf(med),
      formulation: formulationOf(med.form === undefined ? med.name : `${med.name} ${med.form}`),
      med,
      index,
    };
  });
  // Only active prescriptions count: discontinued and on-hold ones are not what the patient takes now.
  const pharmacy: PharmacySide[] = [];
  // Every prescription, whatever its status: a stopped drug may still be filled under an inactive Rx.
  const allPrescriptions: Array<DrugIdentity & { rx: PharmacyPrescription }> = [];
  for (const rx of profile.prescriptions) {
    const d = resolveDrug(terminology, rx.rxcui, rx.drugName);
    const side = { key: d.key, drug: d.drug, classes: d.classes, highAlert: d.highAlert, parts: d.parts, rx };
    allPrescriptions.push(side);
    if (rx.status !== 'active') continue;
    pharmacy.push({
      ...side,
      regimen: regimenOf(rx),
      formulation: formulationOf(rx.form === undefined ? rx.drugName : `${rx.drugName} ${rx.form}`),
    });
  }
  const pharmacyByKey = groupBy(pharmacy, (p) => p.key);
  const ehrKeys = new Set(ehr.map((e) => e.key));

  const matched: MatchedMedication[] = [];
  const activeEhr = ehr.filter((e) => e.med.status !== 'stopped' && e.med.status !== 'held');
  const discrepancies: Discrepancy[] = [];
  const used = new Set<PharmacySide>();

  function pharmacyEvidence(rx: PharmacyPrescription): PharmacyEvidence {
    const evidence: PharmacyEvidence = {
      prescriptionId: rx.id,
      rxNumber: rx.rxNumber,
      sig: rx.sig,
      prescriber: rx.prescriber,
    };
    const lastFill = lastFillOf(profile.fills, rx.id, cutoff);
    if (lastFill) evidence.lastFill = lastFill;
    return evidence;
  }

  function report(
    type: DiscrepancyType,
    drugSide: Resolved,
    suggestedAction: string,
    sides: { ehr?: EhrSide; pharmacy?: PharmacySide; others?: Discrepancy['others'] },
  ): void {
    const prn = [sides.ehr?.regimen.prn, sides.pharmacy?.regimen.prn].filter((p) => p !== undefined);
    const { priority, reason } = priorityFor(
      {
        highAlert: drugSide.highAlert,
        classes: drugSide.classes,
        prn: prn.length > 0 && prn.every(Boolean),
        type,
      },
      rules,
    );
    const discrepancy: Discrepancy = {
      id: discrepancyId(
        type,
        drugSide.key,
        sides.ehr?.med.evidence?.text ?? sides.ehr?.med.name ?? '',
        sides.pharmacy?.rx.id ?? '',
      ),
      type,
      priority,
      priorityReason: reason,
      drug: drugSide.drug,
      suggestedAction,
      evidence: {},
    };
    if (sides.ehr) {
      discrepancy.ehr = sides.ehr.med;
      discrepancy.evidence.ehr = sides.ehr.med.evidence ?? { text: sides.ehr.med.name };
    }
    if (sides.pharmacy) {
      discrepancy.pharmacy = sides.pharmacy.rx;
      discrepancy.evidence.pharmacy = pharmacyEvidence(sides.pharmacy.rx);
    }
    if (sides.others && sides.others.length > 0) discrepancy.others = sides.others;
    discrepancies.push(discrepancy);
  }

  // Duplicates within each list.
  const ehrByKey = groupBy(
    ehr.filter((e) => e.med.status !== 'stopped'),
    (e) => e.key,
  );
  for (const group of ehrByKey.values()) {
    const [first, ...rest] = group;
    if (!first || rest.length === 0) continue;
    const entries = group.map((e) => e.med.evidence?.text ?? withRegimen(e.med.name, e.regimen));
    report('duplicate', first, duplicateAction(source, first.drug, entries, false), {
      ehr: first,
      others: rest.map((e) => ({ ehr: e.med })),
    });
  }
  for (const group of pharmacyByKey.values()) {
    const [first, ...rest] = group;
    if (!first || rest.length === 0) continue;
    const entries = group.map((p) => `Rx ${p.rx.rxNumber}: ${p.rx.sig}`);
    report('duplicate', first, duplicateAction(source, first.drug, entries, true), {
      pharmacy: first,
      others: rest.map((p) => ({ pharmacy: p.rx })),
    });
  }

  // Pair entries and prescriptions of the same drug, closest regimens first (same dose, frequency, route).
  const pairs = new Map<EhrSide, PharmacySide>();
  const scored: Array<{ e: EhrSide; p: PharmacySide; score: number }> = [];
  for (const e of activeEhr) {
    for (const p of pharmacyByKey.get(e.key) ?? []) scored.push({ e, p, score: closeness(e, p) });
  }
  scored.sort((a, b) => b.score - a.score || a.e.index - b.e.index);
  for (const { e, p } of scored) {
    if (pairs.has(e) || used.has(p)) continue;
    pairs.set(e, p);
    used.add(p);
  }
  // Each list entry against the pharmacy's prescriptions for the same ingredient(s).
  for (const e of ehr) {
    const candidates = pharmacyByKey.get(e.key) ?? [];
    if (e.med.status === 'stopped' && e.med.statusDate !== undefined) {
      // Fills after the stop date, under any prescription of the drug (active or not).
      const stopDate = e.med.statusDate;
      for (const p of allPrescriptions.filter((x) => x.key === e.key)) {
        const later = profile.fills.filter(
          (f) => f.prescriptionId === p.rx.id && f.date > stopDate && f.date <= cutoff,
        );
        if (later.length === 0) continue;
        const active = pharmacy.find((x) => x.rx === p.rx);
        if (active) used.add(active);
        const latest = later.reduce((a, b) => (b.date > a.date ? b : a));
        report(
          'discontinued-still-filling',
          e,
          stoppedStillFillingAction(source, e.drug, p.rx, stopDate, latest.date, later.length),
          { ehr: e, pharmacy: active ?? { ...e, rx: p.rx } },
        );
      }
    }
    if (e.med.status === 'stopped' || e.med.status === 'held') {
      for (const p of candidates.filter((c) => !used.has(c))) {
        used.add(p);
        if (e.med.status === 'stopped') {
          report('discontinued-still-active', e, stoppedStillActiveAction(source, e.drug, p.rx), {
            ehr: e,
            pharmacy: p,
          });
        } else {
          report('held-still-active', e, heldStillActiveAction(source, e.drug, p.rx), {
            ehr: e,
            pharmacy: p,
          });
        }
      }
      continue;
    }
    const best = pairs.get(e);
    if (!best) {
      if (candidates.length > 0) continue; // a second entry for a drug already paired: reported as a duplicate
      if (coveredByCombination(e)) continue;
      const counterpart = sameClassCounterpart(
        e,
        pharmacy.filter((p) => !ehrKeys.has(p.key)),
      );
      report('omission', e, omissionAction(source, e.drug, e.regimen, counterpart), { ehr: e });
      continue;
    }
    const before = discrepancies.length;
    const ehrAmount = e.regimen.amount;
    const rxAmount = best.regimen.amount;
    const ehrDaily = dailyAmount(e.regimen);
    const rxDaily = dailyAmount(best.regimen);
    const sameDaily = ehrDaily !== undefined && rxDaily !== undefined && sameAmount(ehrDaily, rxDaily);
    // A different strength taken so that the day's total is the same is not a dose change (the schedule may be).
    if (ehrAmount && rxAmount && !sameAmount(ehrAmount, rxAmount) && !sameDaily) {
      report('dose-change', e, doseChangeAction(source, e.drug, e.regimen, best.regimen), {
        ehr: e,
        pharmacy: best,
      });
    }
    if (sameFrequency(e.regimen, best.regimen) === false) {
      report('frequency-change', e, frequencyChangeAction(source, e.drug, e.regimen, best.regimen), {
        ehr: e,
        pharmacy: best,
      });
    }
    if (e.regimen.route && best.regimen.route && e.regimen.route !== best.regimen.route) {
      report('route-change', e, routeChangeAction(source, e.drug, e.regimen.route, best.regimen.route), {
        ehr: e,
        pharmacy: best,
      });
    }
    if (!sameFormulation(e.formulation, best.formulation)) {
      report(
        'formulation-change',
        e,
        formulationChangeAction(source, e.drug, e.formulation.label, best.formulation.label),
        { ehr: e, pharmacy: best },
      );
    }
    const newSince = e.med.status === 'new' ? (e.med.statusDate ?? input.dischargeDate) : undefined;
    if (source === 'discharge' && newSince !== undefined) {
      const filled = profile.fills.some(
        (f) => f.prescriptionId === best.rx.id && f.date >= newSince && f.date <= cutoff,
      );
      if (!filled) {
        report('new-not-yet-filled', e, newNotYetFilledAction(e.drug, best.rx, newSince), {
          ehr: e,
          pharmacy: best,
        });
      }
    }
    if (discrepancies.length === before) matched.push({ ehr: e.med, pharmacy: best.rx });
  }

  // Active prescriptions the list does not mention.
  for (const p of pharmacy) {
    if (used.has(p) || ehrKeys.has(p.key)) continue;
    if (coveredByCombination(p)) continue;
    const counterpart = sameClassCounterpart(
      p,
      ehr.filter((e) => !pharmacyByKey.has(e.key)),
    );
    const lastFill = lastFillOf(profile.fills, p.rx.id, cutoff)?.date;
    report('commission', p, commissionAction(source, p.drug, p.rx, p.regimen, lastFill, counterpart), {
      pharmacy: p,
    });
  }

  // Two different drugs of one class within a list.
  reportTherapeuticDuplicates(
    ehr.filter((e) => e.med.status !== 'stopped'),
    false,
  );
  reportTherapeuticDuplicates(pharmacy, true);

  function reportTherapeuticDuplicates(side: readonly (EhrSide | PharmacySide)[], onProfile: boolean): void {
    // One pass: the side's drugs by duplication-prone class, distinct by drug key (first position, last entry).
    const byClass = new Map<string, Map<string, EhrSide | PharmacySide>>();
    for (const s of side) {
      for (const c of s.classes) {
        if (!DUPLICATION_CLASS_SET.has(c)) continue;
        const members = byClass.get(c) ?? new Map<string, EhrSide | PharmacySide>();
        members.set(s.key, s);
        byClass.set(c, members);
      }
    }
    for (const drugClass of DUPLICATION_CLASSES) {
      const members = byClass.get(drugClass);
      if (!members || members.size < 2) continue;
      const distinct = [...members.values()];
      const [first, ...rest] = distinct;
      if (!first || rest.length === 0) continue;
      const action = therapeuticDuplicationAction(
        source,
        drugClass,
        distinct.map((d) => d.drug),
        onProfile,
      );
      const others = rest.map((r) => ('rx' in r ? { pharmacy: r.rx } : { ehr: r.med }));
      report(
        'therapeutic-duplication',
        first,
        action,
        'rx' in first ? { pharmacy: first, others } : { ehr: first, others },
      );
    }
  }

  /**
   * A combination product on one side and its ingredients as separate products on the other are the same
   * therapy (lisinopril/hydrochlorothiazide vs lisinopril + hydrochlorothiazide): no omission or commission.
   */
  function coveredByCombination(x: EhrSide | PharmacySide): boolean {
    const otherSide: readonly Resolved[] = 'rx' in x ? activeEhr : pharmacy;
    const otherParts = new Set(otherSide.flatMap((o) => o.parts));
    if (x.parts.length > 1) {
      if (!x.parts.every((part) => otherParts.has(part))) return false;
    } else {
      const combination = otherSide.find((o) => o.parts.length > 1 && o.parts.includes(x.key));
      if (!combination) return false;
      const mine = new Set(('rx' in x ? pharmacy : activeEhr).flatMap((o) => o.parts));
      if (!combination.parts.every((part) => mine.has(part))) return false;
    }
    if (!('rx' in x) && x.parts.length > 1) {
      const counterpart = pharmacy.find((p) => x.parts.includes(p.key));
      if (counterpart) matched.push({ ehr: x.med, pharmacy: counterpart.rx });
    }
    return true;
  }

  discrepancies.sort(
    (a, b) =>
      PRIORITY_ORDER[a.priority] - PRIORITY_ORDER[b.priority] ||
      (TYPE_RANK.get(a.type) ?? 0) - (TYPE_RANK.get(b.type) ?? 0) ||
      compareText(a.drug, b.drug) ||
      compareText(a.id, b.id),
  );
  return { matched, discrepancies, summary: summarize(source, matched, discrepancies) };
}

/** The UTC day of a moment (YYYY-MM-DD); the last day is kept, as most reviews in a run fall on one day. */
let lastDay = { day: NaN, text: '' };
function utcDay(moment: Date): string {
  const day = Math.floor(moment.getTime() / 86_400_000);
  if (day !== lastDay.day) lastDay = { day, text: moment.toISOString().slice(0, 10) };
  return lastDay.text;
}

function withRegimen(name: string, regimen: Regimen): string {
  const described = describeRegimen(regimen);
  return described ? `${name} ${described}` : name;
}

function groupBy<T>(items: readonly T[], keyOf: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    const group = groups.get(key);
    if (group) group.push(item);
    else groups.set(key, [item]);
  }
  return groups;
}

/** How alike two regimens are: same dose counts most, then frequency, then route. */
function closeness(e: EhrSide, p: PharmacySide): number {
  let score = 0;
  if (e.regimen.amount && p.regimen.amount && sameAmount(e.regimen.amount, p.regimen.amount)) score += 4;
  if (sameFrequency(e.regimen, p.regimen)) score += 2;
  if (e.regimen.route && e.regimen.route === p.regimen.route) score += 1;
  return score;
}

/** A drug of the same duplication-prone class on the other side ("rosuvastatin" for "atorvastatin"). */
function sameClassCounterpart(x: Resolved, others: readonly Resolved[]): string | undefined {
  for (const drugClass of DUPLICATION_CLASSES) {
    if (!x.classes.includes(drugClass)) continue;
    const other = others.find((o) => o.key !== x.key && o.classes.includes(drugClass));
    if (other) return other.drug;
  }
  return undefined;
}

function summarize(
  source: ReconciliationSource,
  matched: readonly MatchedMedication[],
  discrepancies: readonly Discrepancy[],
): string {
  const list = source === 'discharge' ? 'Discharge list' : 'EHR medication list';
  if (discrepancies.length === 0)
    return `${list} agrees with the pharmacy profile (${matched.length} matched).`;
  const high = discrepancies.filter((d) => d.priority === 'high').length;
  const items = discrepancies.map((d) => `${TYPE_WORDS.get(d.type) ?? d.type} ${d.drug}`).join('; ');
  const s = discrepancies.length === 1 ? 'y' : 'ies';
  return `${list} vs pharmacy profile: ${matched.length} matched, ${discrepancies.length} discrepanc${s}${
    high > 0 ? ` (${high} high priority)` : ''
  }: ${items}.`;
}
