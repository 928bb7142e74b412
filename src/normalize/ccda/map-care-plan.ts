// The rest of a care summary: Health Concern Act (4.132) -> Conditions (health-concern), Goal Observation (4.121)
// -> Goal, Family History Organizer (4.45) -> FamilyMemberHistory with its conditions (4.46).
import type { FamilyMemberHistory, Goal } from '@medplum/fhirtypes';
import type { Ref as Reference } from './ccda-run.ts';
import type { XmlElement } from '../../inbound/ccda/xml/xml-element.ts';
import { concept, identifierOf, iiKey, originalText, pointOf } from './ccda-datatypes.ts';
import type { CcdaRun } from './ccda-run.ts';
import type { EntryContext } from './entry-context.ts';
import { related } from './entry-context.ts';
import { PROBLEM_OBSERVATION, mapProblemObservation } from './map-problems.ts';

const FAMILY_HISTORY_OBSERVATION = '2.16.840.1.113883.10.20.22.4.46';

/** Health concerns are Problem Observations inside a concern act; each becomes a Condition (category health-concern). */
export function mapHealthConcern(run: CcdaRun, act: XmlElement, at: EntryContext): Reference[] {
  const inner = related(act, at.path, PROBLEM_OBSERVATION);
  if (inner.length === 0) {
    run.warn(
      'not-supported',
      at.path,
      'health concern holds no Problem Observation; its other observations are not mapped',
    );
    return [];
  }
  return inner.flatMap((o) =>
    mapProblemObservation(
      run,
      o.el,
      { ...at, section: 'healthConcerns', path: o.path },
      act.child('statusCode')?.attr('code'),
    ),
  );
}

export function mapGoal(run: CcdaRun, obs: XmlElement, at: EntryContext): Reference[] {
  const where = at.path;
  const description =
    concept(run, obs.child('value'), `${where}/value`) ??
    concept(run, obs.child('code'), `${where}/code`) ??
    (obs.child('text') ? { text: originalText(run, obs.child('text'), `${where}/text`) ?? '' } : undefined);
  if (!description || (!description.coding && !description.text)) {
    run.warn('required', `${where}/code`, 'goal has no code, value or text; not mapped');
    return [];
  }
  const sc = obs.child('statusCode')?.attr('code');
  const goal: Goal & { id: string } = {
    resourceType: 'Goal',
    id: run.id('Goal', where, iiKey(obs.child('id')) ?? ''),
    lifecycleStatus:
      sc === 'completed' ? 'completed' : sc === 'cancelled' || sc === 'aborted' ? 'cancelled' : 'active',
    description,
    subject: run.patient ?? { display: 'patient not named in the document' },
  };
  const identifier = identifierOf(obs.child('id'));
  if (identifier) goal.identifier = [identifier];
  const start = pointOf(obs.child('effectiveTime'));
  if (start) goal.startDate = start.slice(0, 10);
  return [run.add(goal)];
}

const RELATIONSHIP_SYSTEM = 'http://terminology.hl7.org/CodeSystem/v3-RoleCode';

export function mapFamilyHistory(run: CcdaRun, org: XmlElement, at: EntryContext): Reference[] {
  const where = at.path;
  const subject = org.at('subject/relatedSubject');
  const relCode = subject?.child('code');
  const relationship = concept(run, relCode, `${where}/subject/relatedSubject/code`) ?? {
    coding: [{ system: RELATIONSHIP_SYSTEM, code: 'FAMMEMB', display: 'family member' }],
  };
  const conditions: NonNullable<FamilyMemberHistory['condition']> = [];
  let i = 0;
  for (const comp of org.elements('component')) {
    i++;
    const obs = comp.child('observation');
    if (!obs) continue;
    const code = concept(run, obs.child('value'), `${where}/component[${i}]/observation/value`);
    if (!code) continue;
    const condition: NonNullable<FamilyMemberHistory['condition']>[number] = { code };
    const onsetAge = related(
      obs,
      `${where}/component[${i}]/observation`,
      '2.16.840.1.113883.10.20.22.4.31',
    )[0]?.el.child('value');
    const age = Number(onsetAge?.attr('value'));
    if (onsetAge && Number.isFinite(age))
      condition.onsetAge = { value: age, unit: onsetAge.attr('unit') ?? 'a' };
    conditions.push(condition);
  }
  // Template check: components are Family History Observations (4.46); anything else was skipped above.
  if (
    conditions.length === 0 &&
    org.elements('component').some((c) =>
      c
        .child('observation')
        ?.elements('templateId')
        .some((t) => t.attr('root') === FAMILY_HISTORY_OBSERVATION),
    )
  )
    run.warn('required', where, 'family history observations have no coded value; not mapped');
  const gender = subject?.at('subject/administrativeGenderCode')?.attr('code');
  const fmh: FamilyMemberHistory & { id: string } = {
    resourceType: 'FamilyMemberHistory',
    id: run.id('FamilyMemberHistory', where, iiKey(org.child('id')) ?? ''),
    status: 'completed',
    patient: run.patient ?? { display: 'patient not named in the document' },
    relationship,
  };
  if (gender === 'M' || gender === 'F')
    fmh.sex = {
      coding: [
        { system: 'http://hl7.org/fhir/administrative-gender', code: gender === 'M' ? 'male' : 'female' },
      ],
    };
  if (conditions.length) fmh.condition = conditions;
  return [run.add(fmh)];
}
