// Adult vaccine care gaps per ACIP, evaluated from the immunization history against the CDC CDSi supporting data.
//
// A simplified reading of the CDSi Logic Specification: for each vaccine group we pick the ACIP adult series
// named in VACCINE_GROUP_PLANS, count history doses whose CVX the series accepts (at or after the dose's minimum
// age and interval, less CDSi's 4-day grace), then forecast the next target dose from its ages and intervals.
// Conditional skips, live-virus conflicts and risk (indication) series are not evaluated yet.
import type { CdsiAntigen, CdsiSeries, CdsiSeriesDose } from './cdsi-supporting-data.ts';
import { loadCdsiAntigens } from './cdsi-supporting-data.ts';

export type CareGapStatus = 'due' | 'overdue' | 'complete' | 'not-due' | 'not-recommended';

export interface ImmunizationRecord {
  cvx: string;
  /** YYYY-MM-DD */
  date: string;
}

export interface CareGap {
  vaccineGroup: string;
  status: CareGapStatus;
  reason: string;
  /** YYYY-MM-DD when the next dose is recommended, when one is. */
  dueDate?: string;
  /** YYYY-MM-DD after which it is overdue, when the schedule says. */
  overdueDate?: string;
  series?: string;
  source: { label: string; url?: string };
}

export interface VaccineGroupPlan {
  group: string;
  antigen: string;
  /** `booster`: only the series' recurring dose after the last accepted dose (adult Td/Tdap every 10 years). */
  kind: 'series' | 'booster' | 'seasonal';
  series: readonly string[];
  /** ACIP adult age band where routine vaccination applies (years, [min, max)). */
  ages?: readonly [number, number?];
  /** Any one of these CVX codes completes the series (ACIP: PCV20 or PCV21 alone is a complete series). */
  completeAfterCvx?: readonly string[];
  source: { label: string; url?: string };
}

const ACIP_ADULT = 'https://www.cdc.gov/vaccines/hcp/imz-schedules/adult-age.html';

export const VACCINE_GROUP_PLANS: readonly VaccineGroupPlan[] = [
  {
    group: 'Influenza',
    antigen: 'Influenza',
    kind: 'seasonal',
    series: ['Influenza standard series'],
    ages: [19],
    source: {
      label: 'ACIP adult schedule: influenza, annually (CDC CDSi supporting data 4.64, Influenza)',
      url: ACIP_ADULT,
    },
  },
  {
    group: 'Td/Tdap',
    antigen: 'Tetanus',
    kind: 'booster',
    series: ['Tetanus standard series'],
    ages: [19],
    source: {
      label: 'ACIP adult schedule: Td or Tdap every 10 years (CDC CDSi supporting data 4.64, Tetanus)',
      url: ACIP_ADULT,
    },
  },
  {
    group: 'Zoster',
    antigen: 'Zoster',
    kind: 'series',
    series: ['Zoster 2-dose series'],
    source: {
      label:
        'ACIP adult schedule: recombinant zoster vaccine, 2 doses at age 50 and older (CDC CDSi 4.64, Zoster)',
      url: ACIP_ADULT,
    },
  },
  {
    group: 'Pneumococcal',
    antigen: 'Pneumococcal',
    kind: 'series',
    series: ['Pneumococcal 50+ 1-dose PCV series', 'Pneumococcal 50+ 2-dose PPSV23-PCV series'],
    ages: [50],
    completeAfterCvx: ['216', '327'],
    source: {
      label:
        'ACIP adult schedule: pneumococcal conjugate vaccine at 50 and older (CDC CDSi 4.64, Pneumococcal 50+ series)',
      url: ACIP_ADULT,
    },
  },
  {
    group: 'HepB',
    antigen: 'HepB',
    kind: 'series',
    series: ['HepB 19+ 3-dose series', 'HepB Heplisav-B 2-dose series', 'HepB 19+ 4-dose series'],
    ages: [19, 60],
    source: {
      label: 'ACIP adult schedule: hepatitis B for all adults 19-59 (60+ by risk) (CDC CDSi 4.64, HepB)',
      url: ACIP_ADULT,
    },
  },
  {
    group: 'COVID-19',
    antigen: 'COVID-19',
    kind: 'seasonal',
    series: ['COVID-19 start at 2 years+ shared clinical decision-making series'],
    ages: [19],
    source: {
      label:
        'ACIP: COVID-19 vaccination for the current season, shared clinical decision-making (CDC CDSi 4.64, COVID-19)',
      url: ACIP_ADULT,
    },
  },
];

const DAY_MS = 86_400_000;

/** Adds a CDSi duration ("10 years + 4 weeks - 4 days") to a date (CDSi Logic Spec: years, months, then days). */
export function addDuration(date: Date, duration: string): Date {
  const d = new Date(date.getTime());
  const terms = duration.replace(/\s+/g, ' ').match(/([+-]?)\s*(\d+)\s*(year|month|week|day)s?/gi) ?? [];
  for (const term of terms) {
    const m = /([+-]?)\s*(\d+)\s*(year|month|week|day)/i.exec(term);
    if (!m) continue;
    const n = Number(m[2]) * (m[1] === '-' ? -1 : 1);
    const unit = m[3]!.toLowerCase();
    if (unit === 'year') d.setUTCFullYear(d.getUTCFullYear() + n);
    else if (unit === 'month') d.setUTCMonth(d.getUTCMonth() + n);
    else d.setTime(d.getTime() + n * (unit === 'week' ? 7 : 1) * DAY_MS);
  }
  return d;
}

const iso = (d: Date): string => d.toISOString().slice(0, 10);
const parseDate = (s: string): Date => new Date(`${s.slice(0, 10)}T00:00:00Z`);
const ymd = (s: string): Date => new Date(`${s.slice(0, 4)}-${s.slice(4, 6)}-${s.slice(6, 8)}T00:00:00Z`);

function ageYears(birthDate: Date, at: Date): number {
  let age = at.getUTCFullYear() - birthDate.getUTCFullYear();
  const m = at.getUTCMonth() - birthDate.getUTCMonth();
  if (m < 0 || (m === 0 && at.getUTCDate() < birthDate.getUTCDate())) age--;
  return age;
}

interface SeriesProgress {
  series: CdsiSeries;
  valid: Array<{ dose: CdsiSeriesDose; record: ImmunizationRecord }>;
  /** Index of the next target dose, or doses.length when all are satisfied. */
  next: number;
}

/** Walks the history against the series' target doses (CDSi "evaluate": age and interval, with the 4-day grace). */
function evaluateSeries(
  series: CdsiSeries,
  birthDate: Date,
  history: readonly ImmunizationRecord[],
): SeriesProgress {
  const valid: SeriesProgress['valid'] = [];
  let next = 0;
  for (const record of history) {
    const dose = series.doses[next];
    if (!dose) break;
    if (!dose.cvx.has(record.cvx)) continue;
    const when = parseDate(record.date);
    const minAge = dose.absMinAge || dose.minAge;
    if (minAge && when < addDuration(birthDate, minAge)) continue;
    const prev = valid.at(-1);
    const interval = dose.intervals.find((i) => i.fromPrevious && i.minInt);
    if (
      prev &&
      interval &&
      when < addDuration(addDuration(parseDate(prev.record.date), interval.minInt), '-4 days')
    )
      continue;
    valid.push({ dose, record });
    if (!dose.recurring) next++;
  }
  return { series, valid, next };
}

function statusFor(asOf: Date, due: Date, overdue: Date | undefined): CareGapStatus {
  if (overdue && asOf > overdue) return 'overdue';
  return asOf >= due ? 'due' : 'not-due';
}

/** The influenza or COVID-19 season containing `asOf`, from the supporting data's window, moved by whole years. */
function seasonOf(dose: CdsiSeriesDose, asOf: Date): { start: Date; end?: Date } | undefined {
  if (!dose.seasonStart) return undefined;
  let start = ymd(dose.seasonStart);
  let end = dose.seasonEnd ? ymd(dose.seasonEnd) : addDuration(start, '1 year - 1 day');
  while (asOf < start) {
    start = addDuration(start, '-1 year');
    end = addDuration(end, '-1 year');
  }
  while (asOf > end) {
    start = addDuration(start, '1 year');
    end = addDuration(end, '1 year');
  }
  return { start, end };
}

function evaluatePlan(
  plan: VaccineGroupPlan,
  antigen: CdsiAntigen,
  birthDate: Date,
  history: readonly ImmunizationRecord[],
  asOf: Date,
): CareGap {
  const age = ageYears(birthDate, asOf);
  const base = { vaccineGroup: plan.group, source: plan.source };
  const [minAge, maxAge] = plan.ages ?? [];
  if (maxAge !== undefined && age >= maxAge) {
    return {
      ...base,
      status: 'not-recommended',
      reason: `Routine ${plan.group} vaccination is for ages ${minAge ?? 0}-${maxAge - 1}; at ${age} it depends on risk factors.`,
    };
  }
  const seriesList = plan.series
    .map((name) => antigen.series.find((s) => s.name === name))
    .filter((s): s is CdsiSeries => s !== undefined);
  const primary = seriesList[0];
  if (!primary)
    return {
      ...base,
      status: 'not-recommended',
      reason: `Series ${plan.series.join(', ')} not found in the supporting data.`,
    };
  const sorted = [...history].sort((a, b) => a.date.localeCompare(b.date));
  const accepted = new Set(seriesList.flatMap((s) => s.doses.flatMap((d) => [...d.cvx])));
  const relevant = sorted.filter((r) => accepted.has(r.cvx) && r.date <= iso(asOf));

  if (plan.kind === 'seasonal') {
    const seasonal = primary.doses.find((d) => d.seasonStart) ?? primary.doses[0]!;
    const season = seasonOf(seasonal, asOf);
    if (!season) return { ...base, status: 'not-recommended', reason: 'No season in the supporting data.' };
    const thisSeason = relevant.filter((r) => parseDate(r.date) >= season.start);
    if (thisSeason.length === 0) {
      const last = relevant.at(-1);
      return {
        ...base,
        status: 'due',
        dueDate: iso(season.start),
        series: primary.name,
        reason: `No ${plan.group} dose since the ${iso(season.start)} season start${last ? ` (last dose ${last.date})` : ' (none on record)'}.`,
      };
    }
    // COVID-19 at 65 and older: a second dose of the season at the data's interval.
    const extra = primary.doses.find(
      (d) =>
        d !== seasonal &&
        !d.recurring &&
        d.minAge &&
        age >= ageYears(birthDate, addDuration(birthDate, d.minAge)),
    );
    if (extra && thisSeason.length < 2) {
      const interval = extra.intervals.find((i) => i.fromPrevious);
      const due = addDuration(
        parseDate(thisSeason[0]!.date),
        interval?.earliestRecInt || interval?.minInt || '6 months',
      );
      return {
        ...base,
        status: statusFor(asOf, due, undefined),
        dueDate: iso(due),
        series: primary.name,
        reason: `Age ${age}: a second ${plan.group} dose this season, ${interval?.earliestRecInt || '6 months'} after ${thisSeason[0]!.date}.`,
      };
    }
    return {
      ...base,
      status: 'complete',
      series: primary.name,
      reason: `${plan.group} dose on ${thisSeason.at(-1)!.date} covers the current season.`,
    };
  }

  if (minAge !== undefined && age < minAge) {
    return {
      ...base,
      status: 'not-due',
      reason: `Routine ${plan.group} vaccination starts at ${minAge}; patient is ${age}.`,
    };
  }

  if (plan.kind === 'booster') {
    const booster = primary.doses.find((d) => d.recurring) ?? primary.doses.at(-1)!;
    const interval = booster.intervals.find((i) => i.fromPrevious);
    const last = relevant.at(-1);
    if (!last) {
      return {
        ...base,
        status: 'due',
        dueDate: iso(asOf),
        series: primary.name,
        reason: `No ${plan.group} dose on record: give Tdap, then Td or Tdap every 10 years.`,
      };
    }
    const due = addDuration(parseDate(last.date), interval?.earliestRecInt || '10 years');
    const overdue = interval?.latestRecInt
      ? addDuration(parseDate(last.date), interval.latestRecInt)
      : undefined;
    const status = statusFor(asOf, due, overdue);
    const gap: CareGap = {
      ...base,
      status: status === 'not-due' ? 'complete' : status,
      dueDate: iso(due),
      series: primary.name,
      reason: `Last ${plan.group} dose ${last.date}; next due ${iso(due)} (${interval?.earliestRecInt || '10 years'} interval).`,
    };
    if (overdue) gap.overdueDate = iso(overdue);
    return gap;
  }

  if (plan.completeAfterCvx && relevant.some((r) => plan.completeAfterCvx!.includes(r.cvx))) {
    const r = relevant.find((x) => plan.completeAfterCvx!.includes(x.cvx))!;
    return {
      ...base,
      status: 'complete',
      series: primary.name,
      reason: `CVX ${r.cvx} on ${r.date} completes the series.`,
    };
  }
  const progress = seriesList.map((s) => evaluateSeries(s, birthDate, relevant));
  const done = progress.find((p) => p.next >= p.series.doses.length);
  if (done) {
    return {
      ...base,
      status: 'complete',
      series: done.series.name,
      reason: `${done.valid.length} valid dose(s), last ${done.valid.at(-1)?.record.date ?? 'n/a'}: series complete.`,
    };
  }
  // The series furthest along, the first listed on ties.
  const best = progress.reduce((a, b) => (b.valid.length > a.valid.length ? b : a));
  const target = best.series.doses[best.next]!;
  const prev = best.valid.at(-1);
  const interval = target.intervals.find((i) => i.fromPrevious);
  const fromAge = target.earliestRecAge || target.minAge;
  let due = fromAge ? addDuration(birthDate, fromAge) : new Date(0);
  let overdue = target.latestRecAge ? addDuration(birthDate, target.latestRecAge) : undefined;
  if (prev && interval) {
    const fromPrev = addDuration(
      parseDate(prev.record.date),
      interval.earliestRecInt || interval.minInt || '0 days',
    );
    if (fromPrev > due) due = fromPrev;
    if (interval.latestRecInt) {
      const late = addDuration(parseDate(prev.record.date), interval.latestRecInt);
      if (!overdue || late < overdue) overdue = late;
    }
  }
  if (target.maxAge && asOf >= addDuration(birthDate, target.maxAge)) {
    return {
      ...base,
      status: 'not-recommended',
      series: best.series.name,
      reason: `${target.doseNumber} is not given after ${target.maxAge}.`,
    };
  }
  const status = statusFor(asOf, due, overdue);
  const gap: CareGap = {
    ...base,
    status,
    dueDate: iso(due),
    series: best.series.name,
    reason: prev
      ? `${best.valid.length} of ${best.series.doses.length} doses (last ${prev.record.date}); ${target.doseNumber.toLowerCase()} due ${iso(due)}${overdue ? `, overdue after ${iso(overdue)}` : ''}.`
      : `No ${plan.group} dose on record; ${target.doseNumber.toLowerCase()} recommended from ${iso(due)}.`,
  };
  if (overdue) gap.overdueDate = iso(overdue);
  return gap;
}

export interface CareGapEngine {
  evaluate(input: { birthDate: string; immunizations: readonly ImmunizationRecord[]; asOf: Date }): CareGap[];
}

/** Loads the CDSi supporting data for the planned vaccine groups from `dir` (given at run time). */
export function createCareGapEngine(
  dir: string,
  plans: readonly VaccineGroupPlan[] = VACCINE_GROUP_PLANS,
): CareGapEngine {
  const antigens = loadCdsiAntigens(dir, [...new Set(plans.map((p) => p.antigen))]);
  return {
    evaluate({ birthDate, immunizations, asOf }) {
      const dob = parseDate(birthDate);
      return plans.map((plan) => evaluatePlan(plan, antigens.get(plan.antigen)!, dob, immunizations, asOf));
    },
  };
}
