// substanceAdministration timing and amounts -> FHIR Dosage: IVL_TS bounds, PIVL_TS period (with
// institutionSpecified = "times a day"), EIVL_TS event (HS, AC, PC ...), doseQuantity / range, rate, route, PRN.
import type { Dosage, Timing, TimingRepeat } from '@medplum/fhirtypes';
import type { XmlElement } from '../../inbound/ccda/xml/xml-element.ts';
import { concept, originalText, periodOf, quantityOf } from './ccda-datatypes.ts';
import type { CcdaRun } from './ccda-run.ts';

const PERIOD_UNITS: Record<string, TimingRepeat['periodUnit']> = {
  s: 's',
  min: 'min',
  h: 'h',
  d: 'd',
  wk: 'wk',
  mo: 'mo',
  a: 'a',
};

/** v3 TimingEvent codes that FHIR EventTiming shares (C-CDA EIVL_TS event/@code). */
const EVENTS = new Set([
  'HS',
  'WAKE',
  'C',
  'CM',
  'CD',
  'CV',
  'AC',
  'ACM',
  'ACD',
  'ACV',
  'PC',
  'PCM',
  'PCD',
  'PCV',
]);

function repeatFromPivl(run: CcdaRun, et: XmlElement, where: string): TimingRepeat | undefined {
  const period = et.child('period');
  if (!period) return undefined;
  const low = period.child('low');
  const high = period.child('high');
  const base = low ?? period;
  const value = Number(base.attr('value'));
  const unit = PERIOD_UNITS[base.attr('unit') ?? ''];
  if (!Number.isFinite(value) || value <= 0 || !unit) {
    run.warn(
      'value',
      `${where}/period`,
      `PIVL_TS period ${base.attr('value') ?? '(none)'} ${base.attr('unit') ?? ''} is not usable`,
    );
    return undefined;
  }
  // institutionSpecified: "6 h" means four times a day at the institution's times, not exactly every 6 hours.
  if (et.attr('institutionSpecified') === 'true' && unit === 'h' && 24 % value === 0 && !high)
    return { frequency: 24 / value, period: 1, periodUnit: 'd' };
  const repeat: TimingRepeat = { frequency: 1, period: value, periodUnit: unit };
  const max = Number(high?.attr('value'));
  if (high && Number.isFinite(max) && max > value) repeat.periodMax = max;
  const phase = et.child('phase');
  const phaseLow = phase?.child('low')?.attr('value') ?? phase?.attr('value');
  const hm = phaseLow ? /^\d{8}(\d{2})(\d{2})?/.exec(phaseLow) : null;
  if (hm) repeat.timeOfDay = [`${hm[1]}:${hm[2] ?? '00'}:00`];
  return repeat;
}

function repeatFromEivl(run: CcdaRun, et: XmlElement, where: string): TimingRepeat | undefined {
  const code = et.child('event')?.attr('code');
  if (!code || !EVENTS.has(code)) {
    run.warn('value', `${where}/event`, `EIVL_TS event ${code ?? '(none)'} is not a known timing event`);
    return undefined;
  }
  const repeat: TimingRepeat = { when: [code as NonNullable<TimingRepeat['when']>[number]] };
  const offset = et.at('offset/low') ?? et.child('offset');
  const minutes = Number(offset?.attr('value'));
  const unit = offset?.attr('unit');
  if (offset && Number.isFinite(minutes))
    repeat.offset = unit === 'h' ? minutes * 60 : unit === 'd' ? minutes * 1440 : minutes;
  return repeat;
}

/** The Dosage of a Medication Activity; `bounds` is its IVL_TS, also given to the caller for effective[x]. */
export function dosageOf(run: CcdaRun, sa: XmlElement, where: string): Dosage | undefined {
  const dosage: Dosage = {};
  const timing: Timing = {};
  let repeat: TimingRepeat = {};
  sa.elements('effectiveTime').forEach((et, i) => {
    const at = `${where}/effectiveTime[${i + 1}]`;
    const type = et.xsiType;
    if (type === 'PIVL_TS') Object.assign(repeat, repeatFromPivl(run, et, at));
    else if (type === 'EIVL_TS') Object.assign(repeat, repeatFromEivl(run, et, at));
    else if (type === 'IVL_TS' || type === undefined) {
      const p = periodOf(et);
      if (p && i === 0) repeat.boundsPeriod = p;
    } else if (type === 'SXPR_TS') {
      run.warn('not-supported', at, 'SXPR_TS (combined schedule) timing is not mapped; see the sig text');
    } else if (type !== 'TS') run.warn('not-supported', at, `effectiveTime type ${type} is not mapped`);
  });
  if (Object.keys(repeat).length === 0) repeat = {};
  if (Object.keys(repeat).length > 0) timing.repeat = repeat;
  if (timing.repeat) dosage.timing = timing;

  const dose = sa.child('doseQuantity');
  const rate = sa.child('rateQuantity');
  const doseAndRate: NonNullable<Dosage['doseAndRate']>[number] = {};
  if (dose) {
    const low = dose.child('low');
    const high = dose.child('high');
    if (low || high) {
      const lq = quantityOf(low);
      const hq = quantityOf(high);
      if (lq || hq) doseAndRate.doseRange = { ...(lq ? { low: lq } : {}), ...(hq ? { high: hq } : {}) };
    } else {
      const q = quantityOf(dose);
      if (q) doseAndRate.doseQuantity = q;
      else if (dose.attr('nullFlavor')) run.nullFlavor(`${where}/doseQuantity`, dose.attr('nullFlavor')!);
    }
  }
  if (rate) {
    const q = quantityOf(rate.child('low') ?? rate);
    if (q) doseAndRate.rateQuantity = q;
  }
  if (Object.keys(doseAndRate).length > 0) dosage.doseAndRate = [doseAndRate];
  // A count dose keeps its form as the unit (administrationUnitCode: tablet, puff ...).
  const unitCode = sa.child('administrationUnitCode');
  const dq = doseAndRate.doseQuantity;
  if (dq && !dq.unit && unitCode?.attr('displayName')) dq.unit = unitCode.attr('displayName')!;

  const max = sa.child('maxDoseQuantity');
  const num = quantityOf(max?.child('numerator'));
  const den = quantityOf(max?.child('denominator'));
  if (num && den) dosage.maxDosePerPeriod = { numerator: num, denominator: den };

  const route = concept(run, sa.child('routeCode'), `${where}/routeCode`);
  if (route) dosage.route = route;
  const site = concept(run, sa.child('approachSiteCode'), `${where}/approachSiteCode`);
  if (site) dosage.site = site;

  const pre = sa.at('precondition/criterion');
  if (pre) {
    const why = concept(run, pre.child('value'), `${where}/precondition/criterion/value`);
    const text =
      why ??
      (pre.child('text')
        ? { text: originalText(run, pre.child('text'), `${where}/precondition/criterion/text`) ?? '' }
        : undefined);
    if (text && (text.coding || text.text)) dosage.asNeededCodeableConcept = text;
    else dosage.asNeededBoolean = true;
  }
  const sig = originalText(run, sa.child('text'), `${where}/text`);
  if (sig) dosage.text = sig;
  return Object.keys(dosage).length > 0 ? dosage : undefined;
}
