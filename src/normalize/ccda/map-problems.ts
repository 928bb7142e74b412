// Problem Concern Act (4.3) -> Problem Observation (4.4) -> Condition; also the diagnosis acts of discharge (4.33)
// and admission (4.34) diagnosis sections and Encounter Diagnosis (4.80), which wrap the same observation.
import type { Condition } from '@medplum/fhirtypes';
import type { Ref as Reference } from './ccda-run.ts';
import type { XmlElement } from '../../inbound/ccda/xml/xml-element.ts';
import { CodeSystem } from '../../kernel/code-map.ts';
import { concept, fhirDateTime, identifierOf, iiKey } from './ccda-datatypes.ts';
import type { CcdaRun } from './ccda-run.ts';
import type { EntryContext } from './entry-context.ts';
import { related, valueCode } from './entry-context.ts';

export const PROBLEM_CONCERN = '2.16.840.1.113883.10.20.22.4.3';
export const PROBLEM_OBSERVATION = '2.16.840.1.113883.10.20.22.4.4';
const PROBLEM_STATUS = '2.16.840.1.113883.10.20.22.4.6';

const CLINICAL = 'http://terminology.hl7.org/CodeSystem/condition-clinical';
const VERIFICATION = 'http://terminology.hl7.org/CodeSystem/condition-ver-status';
const CATEGORY = 'http://terminology.hl7.org/CodeSystem/condition-category';

function categoryOf(section: EntryContext['section']): { system: string; code: string; display: string } {
  if (section === 'healthConcerns')
    return {
      system: 'http://hl7.org/fhir/us/core/CodeSystem/condition-category',
      code: 'health-concern',
      display: 'Health Concern',
    };
  if (
    section === 'dischargeDiagnosis' ||
    section === 'admissionDiagnosis' ||
    section === 'procedureDiagnosis' ||
    section === 'encounters'
  )
    return { system: CATEGORY, code: 'encounter-diagnosis', display: 'Encounter Diagnosis' };
  return { system: CATEGORY, code: 'problem-list-item', display: 'Problem List Item' };
}

export function mapProblemObservation(
  run: CcdaRun,
  obs: XmlElement,
  at: EntryContext,
  concernStatus: string | undefined,
): Reference[] {
  const where = at.path;
  const negated = obs.attr('negationInd') === 'true';
  let code = concept(run, obs.child('value'), `${where}/value`);
  const valueNull = obs.child('value')?.attr('nullFlavor');
  if (negated && (!code || valueCode(obs) === '55607006' || valueNull)) {
    code = {
      coding: [
        { system: CodeSystem.Snomed, code: '160245001', display: 'No current problems or disability' },
      ],
      text: 'No known problems',
    };
  }
  if (!code) {
    run.warn('required', `${where}/value`, 'problem observation has no coded or textual value; not mapped');
    return [];
  }
  const c: Condition & { id: string } = {
    resourceType: 'Condition',
    id: run.id('Condition', where, iiKey(obs.child('id')) ?? ''),
    subject: run.patient ?? { display: 'patient not named in the document' },
    code,
    category: [{ coding: [categoryOf(at.section)] }],
  };
  const identifier = obs.elements('id').flatMap((i) => {
    const id = identifierOf(i);
    return id ? [id] : [];
  });
  if (identifier.length) c.identifier = identifier;
  const et = obs.child('effectiveTime');
  const onset = fhirDateTime(et?.child('low')?.attr('value') ?? et?.attr('value'));
  const abatement = fhirDateTime(et?.child('high')?.attr('value'));
  if (onset) c.onsetDateTime = onset;
  if (abatement) c.abatementDateTime = abatement;
  const statusObs = related(obs, where, PROBLEM_STATUS)[0];
  const sc = valueCode(statusObs?.el);
  let clinical =
    sc === '55561003'
      ? 'active'
      : sc === '73425007'
        ? 'inactive'
        : sc === '413322009'
          ? 'resolved'
          : undefined;
  if (!clinical) {
    if (abatement) clinical = 'resolved';
    else if (concernStatus === 'completed') clinical = 'resolved';
    else if (concernStatus === 'aborted' || concernStatus === 'suspended') clinical = 'inactive';
    else clinical = 'active';
  }
  if (negated) {
    if (c.code?.coding?.[0]?.code !== '160245001')
      c.verificationStatus = { coding: [{ system: VERIFICATION, code: 'refuted' }] };
    else c.verificationStatus = { coding: [{ system: VERIFICATION, code: 'confirmed' }] };
  } else if (obs.child('statusCode')?.attr('code') === 'nullified') {
    c.verificationStatus = { coding: [{ system: VERIFICATION, code: 'entered-in-error' }] };
  } else c.verificationStatus = { coding: [{ system: VERIFICATION, code: 'confirmed' }] };
  if (c.verificationStatus.coding?.[0]?.code !== 'entered-in-error')
    c.clinicalStatus = { coding: [{ system: CLINICAL, code: clinical }] };
  if (run.encounter && at.section !== 'problems') c.encounter = run.encounter;
  const site = concept(run, obs.at('targetSiteCode'), `${where}/targetSiteCode`);
  if (site) c.bodySite = [site];
  return [run.add(c)];
}

/** A concern or diagnosis act: each Problem Observation inside it. */
export function mapProblemAct(run: CcdaRun, act: XmlElement, at: EntryContext): Reference[] {
  const status = act.child('statusCode')?.attr('code');
  const inner = related(act, at.path, PROBLEM_OBSERVATION);
  if (inner.length === 0) {
    run.warn('required', at.path, 'problem act holds no Problem Observation; nothing mapped');
    return [];
  }
  return inner.flatMap((o) => mapProblemObservation(run, o.el, { ...at, path: o.path }, status));
}
