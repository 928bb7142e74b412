// Encounter Activity (4.49) -> Encounter with its diagnoses (4.80 -> Condition); Procedure Activity Procedure/Act/
// Observation (4.14, 4.12, 4.13) -> Procedure; planned acts in Plan of Treatment -> ServiceRequest.
import type { Encounter, Procedure, ServiceRequest } from '@medplum/fhirtypes';
import type { Ref as Reference } from './ccda-run.ts';
import type { XmlElement } from '../../inbound/ccda/xml/xml-element.ts';
import { concept, identifierOf, iiKey, originalText, periodOf, pointOf } from './ccda-datatypes.ts';
import type { CcdaRun } from './ccda-run.ts';
import type { EntryContext } from './entry-context.ts';
import { related } from './entry-context.ts';
import { encounterClass, mapAssigned } from './map-header.ts';
import { mapProblemAct, mapProblemObservation, PROBLEM_OBSERVATION } from './map-problems.ts';

const ENCOUNTER_DIAGNOSIS = '2.16.840.1.113883.10.20.22.4.80';
const INDICATION = '2.16.840.1.113883.10.20.22.4.19';

export function mapEncounter(run: CcdaRun, enc: XmlElement, at: EntryContext): Reference[] {
  const where = at.path;
  const period = periodOf(enc.child('effectiveTime'));
  const sc = enc.child('statusCode')?.attr('code');
  const e: Encounter & { id: string } = {
    resourceType: 'Encounter',
    id: run.id('Encounter', where, iiKey(enc.child('id')) ?? ''),
    status:
      sc === 'active' ? 'in-progress' : sc === 'cancelled' || sc === 'aborted' ? 'cancelled' : 'finished',
    class: encounterClass(enc.child('code')),
    subject: run.patient ?? { display: 'patient not named in the document' },
  };
  const identifier = enc.elements('id').flatMap((i) => {
    const id = identifierOf(i);
    return id ? [id] : [];
  });
  if (identifier.length) e.identifier = identifier;
  const type = concept(run, enc.child('code'), `${where}/code`);
  if (type) e.type = [type];
  if (period) e.period = period;
  const performer = mapAssigned(run, enc.at('performer/assignedEntity'));
  if (performer?.reference) e.participant = [{ individual: performer }];
  const loc = enc.at('participant/participantRole/playingEntity/name');
  if (loc && loc.text()) e.location = [{ location: { display: loc.text() } }];
  const refs: Reference[] = [];
  const diagnoses = related(enc, where, ENCOUNTER_DIAGNOSIS).flatMap((d) =>
    mapProblemAct(run, d.el, { ...at, section: 'encounters', path: d.path }),
  );
  // Some vendors put the Problem Observation directly under the encounter.
  diagnoses.push(
    ...related(enc, where, PROBLEM_OBSERVATION).flatMap((o) =>
      mapProblemObservation(run, o.el, { ...at, section: 'encounters', path: o.path }, undefined),
    ),
  );
  if (diagnoses.length) e.diagnosis = diagnoses.map((condition) => ({ condition }));
  const reasons = related(enc, where, INDICATION).flatMap((r) => {
    const c = concept(run, r.el.child('value'), `${r.path}/value`);
    return c ? [c] : [];
  });
  if (reasons.length) e.reasonCode = reasons;
  refs.push(run.add(e), ...diagnoses);
  return refs;
}

function procedureStatus(code: string | undefined, negated: boolean): Procedure['status'] {
  if (negated) return 'not-done';
  switch (code ?? '') {
    case 'completed':
      return 'completed';
    case 'active':
      return 'in-progress';
    case 'aborted':
      return 'stopped';
    case 'cancelled':
      return 'not-done';
    case 'new':
      return 'preparation';
    case 'nullified':
      return 'entered-in-error';
    default:
      return 'unknown';
  }
}

export function mapProcedure(run: CcdaRun, el: XmlElement, at: EntryContext): Reference[] {
  const where = at.path;
  const code =
    concept(run, el.child('code'), `${where}/code`) ??
    (el.child('text') ? { text: originalText(run, el.child('text'), `${where}/text`) ?? '' } : undefined);
  if (!code || (!code.coding && !code.text)) {
    run.warn('required', `${where}/code`, 'procedure has no code or text; not mapped');
    return [];
  }
  const p: Procedure & { id: string } = {
    resourceType: 'Procedure',
    id: run.id('Procedure', where, iiKey(el.child('id')) ?? ''),
    status: procedureStatus(el.child('statusCode')?.attr('code'), el.attr('negationInd') === 'true'),
    code,
    subject: run.patient ?? { display: 'patient not named in the document' },
  };
  const identifier = el.elements('id').flatMap((i) => {
    const id = identifierOf(i);
    return id ? [id] : [];
  });
  if (identifier.length) p.identifier = identifier;
  const et = el.child('effectiveTime');
  const period = et?.child('high') ? periodOf(et) : undefined;
  const when = pointOf(et);
  if (period) p.performedPeriod = period;
  else if (when) p.performedDateTime = when;
  const site = concept(run, el.child('targetSiteCode'), `${where}/targetSiteCode`);
  if (site) p.bodySite = [site];
  if (run.encounter) p.encounter = run.encounter;
  return [run.add(p)];
}

/** A planned act, observation, procedure or encounter (moodCode INT/RQO/PRP/ARQ/APT) -> ServiceRequest. */
export function mapPlannedService(run: CcdaRun, el: XmlElement, at: EntryContext): Reference[] {
  const where = at.path;
  const code = concept(run, el.child('code'), `${where}/code`);
  const text = originalText(run, el.child('text'), `${where}/text`);
  if (!code && !text) {
    run.warn('required', `${where}/code`, 'planned activity has no code or text; not mapped');
    return [];
  }
  const mood = el.attr('moodCode') ?? 'INT';
  const sc = el.child('statusCode')?.attr('code');
  const s: ServiceRequest & { id: string } = {
    resourceType: 'ServiceRequest',
    id: run.id('ServiceRequest', where, iiKey(el.child('id')) ?? ''),
    status: sc === 'completed' ? 'completed' : sc === 'cancelled' || sc === 'aborted' ? 'revoked' : 'active',
    intent: mood === 'RQO' ? 'order' : mood === 'PRP' ? 'proposal' : 'plan',
    code: code ?? { text: text ?? '' },
    subject: run.patient ?? { display: 'patient not named in the document' },
  };
  const identifier = identifierOf(el.child('id'));
  if (identifier) s.identifier = [identifier];
  const when = pointOf(el.child('effectiveTime'));
  if (when) s.occurrenceDateTime = when;
  if (text && code) s.note = [{ text }];
  const author = mapAssigned(run, el.at('author/assignedAuthor'));
  if (author?.reference) s.requester = author;
  if (run.encounter) s.encounter = run.encounter;
  return [run.add(s)];
}
