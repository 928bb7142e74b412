// Adherence: proportion of days covered (PDC) per drug from the pharmacy's fill history; below 0.8 is a finding.
import type { PharmacyProfile } from '../platform/pharmacy/pharmacy-system.ts';
import type { Terminology } from '../terminology/terminology.ts';
import { drugLabel, identifyDrug } from './drug-identity.ts';
import type { Finding } from './finding.ts';
import { clampSummary } from './finding.ts';

/** PDC of 0.8 is the usual adherence threshold (PQA adherence measures; DOMAIN.md "Reconciliation"). */
export const PDC_THRESHOLD = 0.8;

export interface PdcResult {
  drug: string;
  pdc: number;
  daysCovered: number;
  /** Days from the first fill in the window (the index date) to the end of the window. */
  daysInPeriod: number;
  fills: number;
  prn: boolean;
}

const DAY_MS = 86_400_000;
const dayNumber = (date: string): number => Math.floor(Date.parse(`${date.slice(0, 10)}T00:00:00Z`) / DAY_MS);

/**
 * Proportion of days covered, after the Pharmacy Quality Alliance method as we understand it:
 * - the period runs from the first fill inside the window (index date) to the window's end;
 * - each fill covers `daysSupply` days from its date, but when a fill arrives while earlier supply remains
 *   (an early refill), its days are moved to start the day after the earlier supply runs out, so stockpiled
 *   tablets count once each and are not lost;
 * - days past the window's end do not count; the result is covered days / days in the period.
 * At least two fills are needed for the drug to be measured (a single fill says little about persistence).
 */
export function proportionOfDaysCovered(
  fills: ReadonlyArray<{ date: string; daysSupply: number }>,
  window: { start: string; end: string },
): { pdc: number; daysCovered: number; daysInPeriod: number; fills: number } | undefined {
  const start = dayNumber(window.start);
  const end = dayNumber(window.end);
  const inWindow = fills
    .filter((f) => f.daysSupply > 0 && dayNumber(f.date) >= start && dayNumber(f.date) <= end)
    .sort((a, b) => a.date.localeCompare(b.date));
  if (inWindow.length < 2) return undefined;
  const index = dayNumber(inWindow[0]!.date);
  const daysInPeriod = end - index + 1;
  let nextFree = index;
  let covered = 0;
  for (const fill of inWindow) {
    const from = Math.max(dayNumber(fill.date), nextFree);
    const to = Math.min(from + fill.daysSupply - 1, end);
    if (to >= from) covered += to - from + 1;
    nextFree = from + fill.daysSupply;
  }
  return {
    pdc: Math.round((covered / daysInPeriod) * 1000) / 1000,
    daysCovered: covered,
    daysInPeriod,
    fills: inWindow.length,
  };
}

/** PDC per drug (ingredients), across every prescription of the same drug. */
export function pdcByDrug(
  profile: PharmacyProfile,
  terminology: Terminology,
  window: { start: string; end: string },
): PdcResult[] {
  const groups = new Map<
    string,
    { drug: string; prn: boolean; fills: Array<{ date: string; daysSupply: number }> }
  >();
  for (const rx of profile.prescriptions) {
    const identity = identifyDrug(terminology, {
      name: rx.drugName,
      ...(rx.rxcui ? { rxcui: rx.rxcui } : {}),
    });
    const key = [...identity.ingredients].sort().join('+');
    const group = groups.get(key) ?? { drug: drugLabel(identity), prn: true, fills: [] };
    group.prn = group.prn && rx.prn;
    group.fills.push(...profile.fills.filter((f) => f.prescriptionId === rx.id));
    groups.set(key, group);
  }
  const results: PdcResult[] = [];
  for (const group of groups.values()) {
    const pdc = proportionOfDaysCovered(group.fills, window);
    if (pdc) results.push({ drug: group.drug, prn: group.prn, ...pdc });
  }
  return results.sort((a, b) => a.pdc - b.pdc || a.drug.localeCompare(b.drug));
}

export function checkAdherence(
  profile: PharmacyProfile,
  terminology: Terminology,
  window: { start: string; end: string },
  threshold = PDC_THRESHOLD,
): Finding[] {
  // As-needed medicines are not expected to cover every day.
  return pdcByDrug(profile, terminology, window)
    .filter((r) => !r.prn && r.pdc < threshold)
    .map((r) => ({
      check: 'adherence' as const,
      rule: 'pdc-below-threshold',
      severity: r.pdc < 0.5 ? ('high' as const) : ('moderate' as const),
      summary: clampSummary(
        `Adherence: ${r.drug} covered ${Math.round(r.pdc * 100)}% of days (below ${threshold * 100}%)`,
      ),
      detail: `${r.drug}: ${r.daysCovered} of ${r.daysInPeriod} days covered from ${r.fills} fills between ${window.start} and ${window.end}. Ask the patient about missed doses, cost and side effects; consider a note to the prescriber.`,
      evidence: [`PDC ${r.pdc}`, `${r.fills} fills`, `window ${window.start}..${window.end}`],
      source: {
        label: 'Pharmacy Quality Alliance, Proportion of Days Covered (PDC) adherence measure, threshold 0.8',
        url: 'https://www.pqaalliance.org/adherence-measures',
      },
      drugs: [r.drug],
    }));
}
