// Result Organizer (4.1) -> DiagnosticReport + Result Observations (4.2); Vital Signs Organizer (4.26) -> Vital Sign
// Observations (4.27); any other observation (social history, smoking status ...) -> Observation.
import type { DiagnosticReport, Observation } from '@medplum/fhirtypes';
import type { Ref as Reference } from './ccda-run.ts';
import type { XmlElement } from '../../inbound/ccda/xml/xml-element.ts';
import {
  concept,
  fhirDateTime,
  identifierOf,
  iiKey,
  originalText,
  periodOf,
  pointOf,
  quantityOf,
} from './ccda-datatypes.ts';
import type { CcdaRun } from './ccda-run.ts';
import type { EntryContext } from './entry-context.ts';

const OBS_CATEGORY = 'http://terminology.hl7.org/CodeSystem/observation-category';

function observationStatus(code: string | undefined): Observation['status'] {
  switch (code ?? '') {
    case 'completed':
      return 'final';
    case 'active':
    case 'new':
    case 'held':
      return 'preliminary';
    case 'aborted':
    case 'cancelled':
      return 'cancelled';
    case 'nullified':
      return 'entered-in-error';
    default:
      return 'final';
  }
}

function setValue(run: CcdaRun, o: Observation, value: XmlElement, where: string): boolean {
  switch (value.xsiType) {
    case 'PQ': {
      const q = quantityOf(value);
      if (q) o.valueQuantity = q;
      return !!q;
    }
    case 'INT': {
      const n = Number(value.attr('value'));
      if (Number.isInteger(n)) o.valueInteger = n;
      return Number.isInteger(n);
    }
    case 'REAL': {
      const n = Number(value.attr('value'));
      if (Number.isFinite(n)) o.valueQuantity = { value: n };
      return Number.isFinite(n);
    }
    case 'IVL_PQ': {
      const low = quantityOf(value.child('low'));
      const high = quantityOf(value.child('high'));
      if (low || high) o.valueRange = { ...(low ? { low } : {}), ...(high ? { high } : {}) };
      return !!(low || high);
    }
    case 'BL':
      if (value.attr('value') === 'true' || value.attr('value') === 'false') {
        o.valueBoolean = value.attr('value') === 'true';
        return true;
      }
      return false;
    case 'TS': {
      const t = fhirDateTime(value.attr('value'));
      if (t) o.valueDateTime = t;
      return !!t;
    }
    case 'ST':
    case 'ED': {
      const s = originalText(run, value, where);
      if (s) o.valueString = s;
      return !!s;
    }
    case 'CD':
    case 'CE':
    case 'CO':
    case 'CV':
    case undefined: {
      const c = concept(run, value, where);
      if (c) o.valueCodeableConcept = c;
      return !!c;
    }
    default:
      run.warn('not-supported', where, `observation value type ${value.xsiType} is not mapped`);
      return false;
  }
}

export function mapObservation(
  run: CcdaRun,
  obs: XmlElement,
  at: EntryContext,
  category: { code: string; display: string },
): Reference[] {
  const where = at.path;
  const code = concept(run, obs.child('code'), `${where}/code`);
  if (!code) {
    run.warn('required', `${where}/code`, 'observation has no code; not mapped');
    return [];
  }
  const o: Observation & { id: string } = {
    resourceType: 'Observation',
    id: run.id('Observation', where, iiKey(obs.child('id')) ?? ''),
    status: observationStatus(obs.child('statusCode')?.attr('code')),
    category: [{ coding: [{ system: OBS_CATEGORY, ...category }] }],
    code,
    subject: run.patient ?? { display: 'patient not named in the document' },
  };
  const identifier = obs.elements('id').flatMap((i) => {
    const id = identifierOf(i);
    return id ? [id] : [];
  });
  if (identifier.length) o.identifier = identifier;
  const et = obs.child('effectiveTime');
  const period = et?.child('high') ? periodOf(et) : undefined;
  const when = pointOf(et);
  if (period?.end) o.effectivePeriod = period;
  else if (when) o.effectiveDateTime = when;
  const value = obs.child('value');
  if (value && !setValue(run, o, value, `${where}/value`) && value.attr('nullFlavor'))
    run.nullFlavor(`${where}/value`, value.attr('nullFlavor')!);
  const interp = obs.elements('interpretationCode').flatMap((e, i) => {
    const c = concept(run, e, `${where}/interpretationCode[${i + 1}]`);
    return c ? [c] : [];
  });
  if (interp.length) o.interpretation = interp;
  const ranges = obs.all('referenceRange/observationRange').flatMap((r) => {
    const v = r.child('value');
    const low = quantityOf(v?.child('low'));
    const high = quantityOf(v?.child('high'));
    const text = r.child('text')
      ? originalText(run, r.child('text'), `${where}/referenceRange/observationRange/text`)
      : undefined;
    if (!low && !high && !text) return [];
    return [{ ...(low ? { low } : {}), ...(high ? { high } : {}), ...(text ? { text } : {}) }];
  });
  if (ranges.length) o.referenceRange = ranges;
  if (obs.attr('negationInd') === 'true') o.dataAbsentReason = { text: 'negated: not observed' };
  const method = concept(run, obs.child('methodCode'), `${where}/methodCode`);
  if (method) o.method = method;
  const site = concept(run, obs.child('targetSiteCode'), `${where}/targetSiteCode`);
  if (site) o.bodySite = site;
  if (run.encounter) o.encounter = run.encounter;
  return [run.add(o)];
}

/** An organizer of observations (results panel or vital signs). */
export type OrganizerKind = 'laboratory' | 'vital-signs' | 'survey';

const ORGANIZER_CATEGORY: Record<OrganizerKind, { code: string; display: string }> = {
  laboratory: { code: 'laboratory', display: 'Laboratory' },
  'vital-signs': { code: 'vital-signs', display: 'Vital Signs' },
  survey: { code: 'survey', display: 'Survey' },
};

export function mapOrganizer(
  run: CcdaRun,
  org: XmlElement,
  at: EntryContext,
  kind: OrganizerKind,
): Reference[] {
  const category = ORGANIZER_CATEGORY[kind];
  const refs: Reference[] = [];
  let i = 0;
  for (const comp of org.elements('component')) {
    i++;
    const obs = comp.child('observation');
    if (!obs) {
      const other = comp.elements()[0];
      if (other)
        run.warn(
          'not-supported',
          `${at.path}/component[${i}]/${other.name}`,
          `organizer component <${other.name}> is not mapped`,
        );
      continue;
    }
    refs.push(
      ...mapObservation(run, obs, { ...at, path: `${at.path}/component[${i}]/observation` }, category),
    );
  }
  if (kind !== 'laboratory' || refs.length === 0) return refs;
  const code = concept(run, org.child('code'), `${at.path}/code`);
  const report: DiagnosticReport & { id: string } = {
    resourceType: 'DiagnosticReport',
    id: run.id('DiagnosticReport', at.path, iiKey(org.child('id')) ?? ''),
    status: observationStatus(org.child('statusCode')?.attr('code')),
    category: [
      {
        coding: [
          { system: 'http://terminology.hl7.org/CodeSystem/v2-0074', code: 'LAB', display: 'Laboratory' },
        ],
      },
    ],
    code: code ?? { text: 'results panel' },
    subject: run.patient ?? { display: 'patient not named in the document' },
    result: refs,
  };
  const identifier = identifierOf(org.child('id'));
  if (identifier) report.identifier = [identifier];
  const when = pointOf(org.child('effectiveTime'));
  if (when) report.effectiveDateTime = when;
  if (run.encounter) report.encounter = run.encounter;
  return [run.add(report), ...refs];
}
