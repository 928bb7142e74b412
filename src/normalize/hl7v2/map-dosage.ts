// TQ1 / TQ timing and RXR route -> FHIR Dosage parts: Timing.repeat and Timing.code from repeat patterns (table 0335),
// bounds from TQ1-6/7/8, route via table 0162 -> SNOMED CT, site and method from RXR-2/RXR-4.
import type { Hl7Segment } from '../../inbound/hl7v2/hl7-message.ts';
import type { CodeableConcept, Coding, Dosage, Timing } from '../../kernel/fhir.ts';
import { warningIssue } from '../../kernel/result.ts';
import { REPEAT_PATTERN, ROUTE } from './code-tables.ts';
import { DURATION_UNITS, codingSystemUri, toCodeableConcept, toFhirDateTime } from './hl7-datatypes.ts';
import type { MapRun } from './map-context.ts';

type Repeat = NonNullable<Timing['repeat']>;
type PeriodUnit = NonNullable<Repeat['periodUnit']>;

/** What a repeat pattern says: the Timing.repeat pieces, and whether it means "as needed". */
export interface RepeatPattern {
  repeat: Repeat;
  asNeeded: boolean;
  /** v3 GTSAbbreviation code for Timing.code, when FHIR's timing-abbreviation value set has one. */
  abbreviation: string | undefined;
}

const FIXED: Record<string, Repeat> = {
  QD: { frequency: 1, period: 1, periodUnit: 'd' },
  DAILY: { frequency: 1, period: 1, periodUnit: 'd' },
  BID: { frequency: 2, period: 1, periodUnit: 'd' },
  TID: { frequency: 3, period: 1, periodUnit: 'd' },
  QID: { frequency: 4, period: 1, periodUnit: 'd' },
  QOD: { frequency: 1, period: 2, periodUnit: 'd' },
  QAM: { frequency: 1, period: 1, periodUnit: 'd', when: ['MORN'] },
  QPM: { frequency: 1, period: 1, periodUnit: 'd', when: ['EVE'] },
  QHS: { frequency: 1, period: 1, periodUnit: 'd', when: ['HS'] },
  HS: { frequency: 1, period: 1, periodUnit: 'd', when: ['HS'] },
  QWK: { frequency: 1, period: 1, periodUnit: 'wk' },
  ONCE: { count: 1 },
  STAT: { count: 1 },
};

/** HL7 v2.5.1 table 0335 (and ch. 4.5.4.2 explicit forms): BID, TID, QID, QHS, Q6H, Q2D, Q30M, QOD, PRN ... */
export function parseRepeatPattern(code: string): RepeatPattern | undefined {
  const key = code.trim().toUpperCase();
  if (key === '') return undefined;
  // "BID PRN" / "Q6H PRN" / "PRN": as needed, with or without a schedule.
  const prn = /(^|\s)PRN$/.test(key);
  const base = key.replace(/\s*PRN$/, '').trim();
  const row = REPEAT_PATTERN.lookup(base === '' ? 'PRN' : base);
  const abbreviation = row?.to ? row.to : undefined;
  if (base === '' || base === 'PRN') return { repeat: {}, asNeeded: true, abbreviation: undefined };
  const fixed = FIXED[base];
  if (fixed) return { repeat: { ...fixed }, asNeeded: prn, abbreviation };
  // Q<n><unit>: every n seconds/minutes/hours/days/weeks/months (ch. 4.5.4.2 "Qn{S|M|H|D|W|L}").
  const every = /^Q(\d+)(S|M|H|D|W|L)$/.exec(base);
  if (every) {
    const units: Record<string, PeriodUnit> = { S: 's', M: 'min', H: 'h', D: 'd', W: 'wk', L: 'mo' };
    const unit = units[every[2] ?? ''] ?? 'd';
    const n = Number(every[1]);
    const gts = unit === 'h' && [1, 2, 3, 4, 6, 8].includes(n) ? `Q${n}H` : undefined;
    return { repeat: { frequency: 1, period: n, periodUnit: unit }, asNeeded: prn, abbreviation: gts };
  }
  // <n>ID / xID: n times a day (ch. 4.5.4.2 "xID").
  const times = /^(\d+)ID$/.exec(base);
  if (times)
    return {
      repeat: { frequency: Number(times[1]), period: 1, periodUnit: 'd' },
      asNeeded: prn,
      abbreviation,
    };
  if (base === 'C') return { repeat: {}, asNeeded: prn, abbreviation: undefined };
  return undefined;
}

function timingCode(code: string, pattern: RepeatPattern | undefined): CodeableConcept {
  const coding: Coding[] = [{ system: 'http://terminology.hl7.org/CodeSystem/v2-0335', code }];
  if (pattern?.abbreviation) coding.unshift({ system: REPEAT_PATTERN.system, code: pattern.abbreviation });
  return { coding, text: code };
}

/** What a timing source gives a Dosage and its order. */
export interface TimingResult {
  timing?: Timing;
  asNeeded?: boolean;
  condition?: string;
  text?: string;
  priority?: 'routine' | 'urgent' | 'asap' | 'stat';
}

/** TQ1-9 / TQ.6 priority (table 0485) -> request priority. */
function priorityOf(code: string): TimingResult['priority'] {
  switch (code.toUpperCase()) {
    case 'S':
      return 'stat';
    case 'A':
      return 'asap';
    case 'R':
      return 'routine';
    case 'T':
    case 'C':
      return 'urgent';
    default:
      return undefined;
  }
}

function applyPattern(run: MapRun, code: string, where: string, timing: Timing, out: TimingResult): void {
  if (code === '') return;
  const pattern = parseRepeatPattern(code);
  if (!pattern)
    run.issues.push(
      warningIssue(
        'not-supported',
        where,
        'repeat pattern is not a known table 0335 form; kept as Timing.code text',
      ),
    );
  timing.code = timingCode(code, pattern);
  if (pattern) {
    if (Object.keys(pattern.repeat).length > 0) timing.repeat = { ...timing.repeat, ...pattern.repeat };
    if (pattern.asNeeded) out.asNeeded = true;
  }
}

/** HHMM[SS] explicit times -> Timing.repeat.timeOfDay (FHIR time hh:mm:ss). */
function timesOfDay(values: readonly string[]): string[] {
  return values
    .map((v) => /^(\d{2})(\d{2})(\d{2})?/.exec(v.trim()))
    .filter((m): m is RegExpExecArray => m !== null && Number(m[1]) < 24 && Number(m[2]) < 60)
    .map((m) => `${m[1]}:${m[2]}:${m[3] ?? '00'}`);
}

/** HL7 v2.5.1 ch. 4.5.4 TQ1: repeat pattern TQ1-3, explicit times TQ1-4, duration TQ1-6, start/end TQ1-7/8, count TQ1-14. */
export function timingFromTq1(run: MapRun, tq1: Hl7Segment): TimingResult {
  const out: TimingResult = {};
  const timing: Timing = {};
  const code = tq1.read(3, 1, 1, 1) || tq1.read(3, 1, 1, 0);
  applyPattern(run, code, 'TQ1-3', timing, out);
  const times = timesOfDay(tq1.getAll('4.1'));
  if (times.length > 0) timing.repeat = { ...timing.repeat, timeOfDay: times };
  const start = toFhirDateTime(tq1.get('7.1'), run.defaultOffset);
  const end = toFhirDateTime(tq1.get('8.1'), run.defaultOffset);
  const durationValue = tq1.read(6, 1, 1, 0);
  const durationUnit = DURATION_UNITS[(tq1.read(6, 1, 2, 1) || tq1.read(6, 1, 2, 0)).toUpperCase()];
  if (start !== undefined || end !== undefined) {
    timing.repeat = {
      ...timing.repeat,
      boundsPeriod: { ...(start ? { start } : {}), ...(end ? { end } : {}) },
    };
  } else if (/^\d+(\.\d+)?$/.test(durationValue) && durationUnit) {
    timing.repeat = {
      ...timing.repeat,
      boundsDuration: {
        value: Number(durationValue),
        unit: durationUnit,
        system: 'http://unitsofmeasure.org',
        code: durationUnit,
      },
    };
  }
  const total = tq1.get('14');
  if (/^\d+$/.test(total) && Number(total) > 0) timing.repeat = { ...timing.repeat, count: Number(total) };
  if (Object.keys(timing).length > 0) out.timing = timing;
  const priority = priorityOf(tq1.read(9, 1, 1, 0));
  if (priority) out.priority = priority;
  const condition = tq1.get(10);
  if (condition !== '') {
    out.condition = condition;
    if (/^(PRN|as needed)\b/i.test(condition)) out.asNeeded = true;
  }
  const text = tq1.get(11);
  if (text !== '') out.text = text;
  return out;
}

/** The withdrawn TQ data type (RXE-1, ORC-7; still sent by v2.3-era systems): interval 2.1, start 4, end 5, priority 6. */
export function timingFromTq(run: MapRun, seg: Hl7Segment, field: number): TimingResult {
  const out: TimingResult = {};
  const timing: Timing = {};
  const where = `${seg.name}-${field}.2`;
  applyPattern(run, seg.read(field, 1, 2, 1), where, timing, out);
  const times = timesOfDay(seg.read(field, 1, 2, 2).split(','));
  if (times.length > 0) timing.repeat = { ...timing.repeat, timeOfDay: times };
  const start = toFhirDateTime(seg.read(field, 1, 4, 1), run.defaultOffset);
  const end = toFhirDateTime(seg.read(field, 1, 5, 1), run.defaultOffset);
  if (start !== undefined || end !== undefined)
    timing.repeat = {
      ...timing.repeat,
      boundsPeriod: { ...(start ? { start } : {}), ...(end ? { end } : {}) },
    };
  // TQ.3 duration: "X<n>" times or "D<n>"/"W<n>"/"H<n>"/"M<n>"/"S<n>" (ch. 4.4.3).
  const duration = /^([XSMHDWL])(\d+)$/.exec(seg.read(field, 1, 3, 0).toUpperCase());
  if (duration) {
    if (duration[1] === 'X') timing.repeat = { ...timing.repeat, count: Number(duration[2]) };
    else if (!timing.repeat?.boundsPeriod) {
      const unit = DURATION_UNITS[duration[1] as string] as PeriodUnit;
      timing.repeat = {
        ...timing.repeat,
        boundsDuration: { value: Number(duration[2]), unit, system: 'http://unitsofmeasure.org', code: unit },
      };
    }
  }
  if (Object.keys(timing).length > 0) out.timing = timing;
  const priority = priorityOf(seg.read(field, 1, 6, 0));
  if (priority) out.priority = priority;
  const condition = seg.read(field, 1, 7, 0);
  if (condition !== '') {
    out.condition = condition;
    if (/^(PRN|as needed)\b/i.test(condition)) out.asNeeded = true;
  }
  const text = seg.read(field, 1, 8, 0);
  if (text !== '') out.text = text;
  return out;
}

/** RXR-1 route: the sender's coding plus SNOMED CT through table 0162 (or the CDC IIS NCIT codes). */
export function routeOf(run: MapRun, rxr: Hl7Segment, where: string): CodeableConcept | undefined {
  const code = rxr.read(1, 1, 1, 0);
  const cc = toCodeableConcept(rxr, 1);
  if (!cc) return undefined;
  const system = rxr.read(1, 1, 3, 0);
  const sourceSystem =
    system === '' ? 'http://terminology.hl7.org/CodeSystem/v2-0162' : codingSystemUri(system);
  const coding: Coding[] = (cc.coding ?? []).map((c) =>
    c.code === code && system === '' && sourceSystem ? { ...c, system: sourceSystem } : c,
  );
  const row = code === '' ? undefined : ROUTE.lookup(code);
  if (row) coding.unshift({ system: ROUTE.system, code: row.to, display: row.display });
  else if (code !== '')
    run.issues.push(
      warningIssue('value', `${where}-1`, 'route is not in table 0162; kept without a SNOMED CT code'),
    );
  return { ...cc, ...(coding.length > 0 ? { coding } : {}) };
}

/** RXR -> the route, site (RXR-2) and method (RXR-4) of a Dosage. */
export function applyRxr(run: MapRun, dosage: Dosage, rxr: Hl7Segment | undefined, where = 'RXR'): void {
  if (!rxr) return;
  const route = routeOf(run, rxr, where);
  if (route) dosage.route = route;
  const site = toCodeableConcept(rxr, 2);
  if (site) dosage.site = site;
  const method = toCodeableConcept(rxr, 4);
  if (method) dosage.method = method;
}

/** Doses per day a repeat implies (for days-supply arithmetic); undefined when not a regular schedule. */
export function dosesPerDay(repeat: Repeat | undefined): number | undefined {
  if (!repeat?.frequency || !repeat.period || !repeat.periodUnit) return undefined;
  const perDay: Partial<Record<PeriodUnit, number>> = { h: 24, min: 1440, s: 86400, d: 1, wk: 1 / 7 };
  const factor = perDay[repeat.periodUnit];
  return factor === undefined ? undefined : (repeat.frequency / repeat.period) * factor;
}
