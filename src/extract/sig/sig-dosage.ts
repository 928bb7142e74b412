// Parsed sig fields → FHIR R4 Dosage (Timing.repeat, Timing.code, SNOMED route, UCUM doses) and a readable echo.
import { CodeSystem } from '../../kernel/code-map.ts';
import type { Dosage, Quantity, Timing } from '../../kernel/fhir.ts';
import { routeRule } from '../rules/route-rules.ts';
import type { SigDose, SigFields, SigTiming } from './sig-result.ts';
import { UCUM_UNITS } from './sig-rules.ts';

/** FHIR R4 TimingAbbreviation value set codes (system v3-GTSAbbreviation). */
const GTS_ABBREVIATION = 'http://terminology.hl7.org/CodeSystem/v3-GTSAbbreviation';

/** Timing shape → TimingAbbreviation code; only shapes the code means exactly. */
function timingCode(t: SigTiming): string | undefined {
  const when = t.when ?? [];
  if (t.periodUnit === 'd' && t.period === 1 && when.length <= 1) {
    const w = when[0];
    if (t.frequency === 1 && w === undefined) return 'QD';
    if (t.frequency === 1 && w === 'MORN') return 'AM';
    if (t.frequency === 1 && w === 'EVE') return 'PM';
    if (t.frequency === 1 && w === 'HS') return 'BED';
    if (w === undefined && t.frequency === 2) return 'BID';
    if (w === undefined && t.frequency === 3) return 'TID';
    if (w === undefined && t.frequency === 4) return 'QID';
  }
  if (when.length > 0 || t.periodMax !== undefined || t.frequency !== 1) return undefined;
  if (t.periodUnit === 'd' && t.period === 2) return 'QOD';
  if (t.periodUnit === 'wk' && t.period === 1) return 'WK';
  if (t.periodUnit === 'mo' && t.period === 1) return 'MO';
  if (t.periodUnit === 'h' && [1, 2, 3, 4, 6, 8].includes(t.period ?? 0)) return `Q${t.period}H`;
  return undefined;
}

const UCUM_TIME: Readonly<Record<string, string>> = {
  min: 'minutes',
  h: 'hours',
  d: 'days',
  wk: 'weeks',
  mo: 'months',
};

function quantity(value: number, unit: string | undefined): Quantity {
  if (unit === undefined) return { value };
  const code = UCUM_UNITS.get(unit);
  return code
    ? { value, unit, system: CodeSystem.Ucum, code }
    : { value, unit, system: CodeSystem.Ucum, code: `{${unit}}` };
}

export function buildDosage(f: SigFields, sequence: number | undefined, text: string): Dosage {
  const dosage: Dosage = { text };
  if (sequence !== undefined) dosage.sequence = sequence;
  const t = f.timing?.value;
  if (t || f.duration) {
    const timing: Timing = { repeat: {} };
    const repeat = timing.repeat ?? {};
    if (t?.count !== undefined) repeat.count = t.count;
    if (t?.frequency !== undefined) repeat.frequency = t.frequency;
    if (t?.period !== undefined) repeat.period = t.period;
    if (t?.periodMax !== undefined) repeat.periodMax = t.periodMax;
    if (t?.periodUnit !== undefined) repeat.periodUnit = t.periodUnit === 'mo' ? 'mo' : t.periodUnit;
    if (t?.when) repeat.when = t.when as NonNullable<typeof repeat.when>;
    if (t?.timeOfDay) repeat.timeOfDay = t.timeOfDay;
    if (t?.dayOfWeek) repeat.dayOfWeek = t.dayOfWeek as NonNullable<typeof repeat.dayOfWeek>;
    if (f.duration) {
      const d = f.duration.value;
      repeat.boundsDuration = {
        value: d.value,
        unit: UCUM_TIME[d.unit] ?? d.unit,
        system: CodeSystem.Ucum,
        code: d.unit,
      };
    }
    timing.repeat = repeat;
    const code = t ? timingCode(t) : undefined;
    if (code) timing.code = { coding: [{ system: GTS_ABBREVIATION, code }], text: f.timing?.text ?? code };
    dosage.timing = timing;
  }
  if (f.asNeeded) {
    if (f.asNeeded.value.reason) dosage.asNeededCodeableConcept = { text: f.asNeeded.value.reason };
    else dosage.asNeededBoolean = true;
  }
  if (f.route) {
    const rule = routeRule(f.route.value);
    dosage.route = rule
      ? {
          coding: [{ system: CodeSystem.Snomed, code: rule.snomed, display: rule.display }],
          text: f.route.text,
        }
      : { text: f.route.text };
  }
  const dose = f.dose?.value;
  if (dose) {
    dosage.doseAndRate = [
      dose.high === undefined
        ? { doseQuantity: quantity(dose.value, dose.unit) }
        : { doseRange: { low: quantity(dose.value, dose.unit), high: quantity(dose.high, dose.unit) } },
    ];
  }
  const max = f.maxDose?.value;
  if (max) {
    dosage.maxDosePerPeriod = {
      numerator: quantity(max.value, max.unit),
      denominator: { value: max.perDays, unit: 'day', system: CodeSystem.Ucum, code: 'd' },
    };
  }
  return dosage;
}

// ---- echo: one readable normalized instruction ----

const VERB: Readonly<Record<string, string>> = {
  oral: 'Take',
  sublingual: 'Place',
  inhalation: 'Inhale',
  nasal: 'Use',
  subcutaneous: 'Inject',
  intramuscular: 'Inject',
  intravenous: 'Infuse',
  topical: 'Apply',
  transdermal: 'Apply',
  ophthalmic: 'Instill',
  otic: 'Instill',
  rectal: 'Insert',
  vaginal: 'Insert',
};
const ROUTE_PHRASE: Readonly<Record<string, string>> = {
  oral: 'by mouth',
  sublingual: 'under the tongue',
  inhalation: 'by inhalation',
  nasal: 'in the nose',
  subcutaneous: 'subcutaneously',
  intramuscular: 'intramuscularly',
  intravenous: 'intravenously',
  topical: 'to the skin',
  transdermal: 'transdermally',
  ophthalmic: 'in the eye',
  otic: 'in the ear',
  rectal: 'rectally',
  vaginal: 'vaginally',
};
const WHEN_PHRASE: Readonly<Record<string, string>> = {
  HS: 'at bedtime',
  MORN: 'in the morning',
  EVE: 'in the evening',
  C: 'with meals',
  CM: 'with breakfast',
  CD: 'with lunch',
  CV: 'with dinner',
  AC: 'before meals',
  ACM: 'before breakfast',
  ACV: 'before dinner',
  PC: 'after meals',
};
const COUNT_WORD: Readonly<Record<number, string>> = {
  1: 'once',
  2: 'twice',
  3: 'three times',
  4: 'four times',
};
const UNIT_NAME: Readonly<Record<string, string>> = {
  d: 'day',
  wk: 'week',
  mo: 'month',
  h: 'hour',
  min: 'minute',
};

function plural(word: string, n: number): string {
  return n === 1 ? word : `${word}s`;
}

function doseText(d: SigDose): string {
  const amount = d.high === undefined ? String(d.value) : `${d.value}-${d.high}`;
  if (d.unit === undefined) return amount;
  const many = d.high !== undefined || d.value !== 1;
  const counted = !['mg', 'mcg', 'g', 'mL', 'meq'].includes(d.unit);
  return `${amount} ${counted && many ? plural(d.unit, 2) : d.unit}`;
}

function timingText(t: SigTiming): string {
  if (t.count === 1) return 'once';
  const parts: string[] = [];
  const when = t.when ?? [];
  const f = t.frequency ?? 1;
  const p = t.period ?? 1;
  const u = t.periodUnit ?? 'd';
  const impliedByWhen =
    u === 'd' &&
    p === 1 &&
    when.length > 0 &&
    (f === when.length || (f === 3 && ['C', 'AC', 'PC'].includes(when[0] ?? '')));
  if (!impliedByWhen || when.length === 0) {
    if (f === 1 && p === 1 && u === 'd') parts.push('daily');
    else if (f === 1 && p === 2 && u === 'd') parts.push('every other day');
    else if (f === 1 && p === 1 && u === 'wk') parts.push('once weekly');
    else if (f === 1 && p === 1 && u === 'mo') parts.push('once monthly');
    else if (f === 1) {
      const range = t.periodMax === undefined ? String(p) : `${p} to ${t.periodMax}`;
      parts.push(`every ${range} ${plural(UNIT_NAME[u] ?? u, t.periodMax === undefined ? p : 2)}`);
    } else {
      const per = u === 'd' ? 'daily' : u === 'wk' ? 'weekly' : `per ${UNIT_NAME[u] ?? u}`;
      parts.push(`${COUNT_WORD[f] ?? `${f} times`} ${per}`);
    }
  }
  if (when.length > 0) parts.push(when.map((w) => WHEN_PHRASE[w] ?? w).join(' and '));
  if (t.dayOfWeek) parts.push(`on ${t.dayOfWeek.join(', ')}`);
  if (t.timeOfDay) parts.push(`at ${t.timeOfDay.map((x) => x.slice(0, 5)).join(', ')}`);
  return parts.join(' ');
}

export function buildEcho(steps: readonly SigFields[], global: SigFields): string {
  const phrases = steps.map((f, i) => {
    const words: string[] = [];
    const route = f.route?.value;
    words.push(i === 0 ? (route ? (VERB[route] ?? 'Take') : 'Take') : 'take');
    if (f.dose) words.push(doseText(f.dose.value));
    if (f.strength) words.push(`(${f.strength.value.value} ${f.strength.value.unit})`);
    if (route && (i === 0 || route !== steps[i - 1]?.route?.value)) words.push(ROUTE_PHRASE[route] ?? route);
    if (f.timing) words.push(timingText(f.timing.value));
    if (i === 0 && global.asNeeded) {
      const reason = global.asNeeded.value.reason;
      words.push(reason ? `as needed for ${reason}` : 'as needed');
    }
    if (f.duration) {
      const d = f.duration.value;
      words.push(`for ${d.value} ${plural(UNIT_NAME[d.unit] ?? d.unit, d.value)}`);
    }
    return words.join(' ');
  });
  let echo = phrases.join(', then ');
  const max = global.maxDose?.value;
  if (max) echo += `; do not exceed ${max.value}${max.unit ? ` ${max.unit}` : ''} per day`;
  return echo;
}
