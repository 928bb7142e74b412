// Allergy Concern Act (4.30) -> Allergy - Intolerance Observation (4.7) -> AllergyIntolerance with reactions (4.9),
// severity (4.8), criticality (4.145), status (4.28); negationInd = "no known allergy" (or refuted for one substance).
import type { AllergyIntolerance, CodeableConcept } from '@medplum/fhirtypes';
import type { Ref as Reference } from './ccda-run.ts';
import type { XmlElement } from '../../inbound/ccda/xml/xml-element.ts';
import { CodeSystem } from '../../kernel/code-map.ts';
import { concept, fhirDateTime, identifierOf, iiKey, originalText, pointOf } from './ccda-datatypes.ts';
import type { CcdaRun } from './ccda-run.ts';
import type { EntryContext } from './entry-context.ts';
import { related, valueCode } from './entry-context.ts';

export const ALLERGY_CONCERN = '2.16.840.1.113883.10.20.22.4.30';
export const ALLERGY_OBSERVATION = '2.16.840.1.113883.10.20.22.4.7';
const REACTION = '2.16.840.1.113883.10.20.22.4.9';
const SEVERITY = '2.16.840.1.113883.10.20.22.4.8';
const CRITICALITY = '2.16.840.1.113883.10.20.22.4.145';
const ALLERGY_STATUS = '2.16.840.1.113883.10.20.22.4.28';

const CLINICAL = 'http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical';
const VERIFICATION = 'http://terminology.hl7.org/CodeSystem/allergyintolerance-verification';

/** Allergy/intolerance type value (SNOMED CT) -> FHIR type and category. */
const TYPE: Record<string, { type?: AllergyIntolerance['type']; category?: AllergyIntolerance['category'] }> =
  {
    '416098002': { type: 'allergy', category: ['medication'] },
    '59037007': { type: 'intolerance', category: ['medication'] },
    '419511003': { category: ['medication'] },
    '414285001': { type: 'allergy', category: ['food'] },
    '235719002': { type: 'intolerance', category: ['food'] },
    '418471000': { category: ['food'] },
    '426232007': { type: 'allergy', category: ['environment'] },
    '419199007': { type: 'allergy' },
    '420134006': {},
    '418038007': {},
  };

/** "No known ..." situations (SNOMED CT) by the negated allergy type. */
const NO_KNOWN: Record<string, { code: string; display: string }> = {
  '416098002': { code: '409137002', display: 'No known drug allergy' },
  '419511003': { code: '409137002', display: 'No known drug allergy' },
  '59037007': { code: '409137002', display: 'No known drug allergy' },
  '414285001': { code: '429625007', display: 'No known food allergy' },
  '418471000': { code: '429625007', display: 'No known food allergy' },
  '426232007': { code: '428607008', display: 'No known environmental allergy' },
};
const NO_KNOWN_ANY = { code: '716186003', display: 'No known allergy' };

const SEVERITY_CODES: Record<string, 'mild' | 'moderate' | 'severe'> = {
  '255604002': 'mild',
  '6736007': 'moderate',
  '24484000': 'severe',
  '399166001': 'severe',
  '371923003': 'mild',
  '371924009': 'moderate',
  '442452003': 'severe',
};

function severityOf(run: CcdaRun, el: XmlElement, path: string): 'mild' | 'moderate' | 'severe' | undefined {
  const s = related(el, path, SEVERITY)[0];
  if (!s) return undefined;
  const code = valueCode(s.el);
  const sev = code ? SEVERITY_CODES[code] : undefined;
  if (!sev && code) run.warn('value', `${s.path}/value`, `severity code ${code} is not one we know`);
  return sev;
}

/** Maps one Allergy - Intolerance Observation. */
export function mapAllergyObservation(
  run: CcdaRun,
  obs: XmlElement,
  at: EntryContext,
  concernStatus: string | undefined,
): Reference[] {
  const where = at.path;
  const negated = obs.attr('negationInd') === 'true';
  const typeCode = valueCode(obs);
  const playing = obs.at('participant/participantRole/playingEntity');
  const substanceEl = playing?.child('code');
  let substance: CodeableConcept | undefined = concept(
    run,
    substanceEl,
    `${where}/participant/participantRole/playingEntity/code`,
  );
  if (!substance && playing?.child('name')) substance = { text: playing.child('name')!.text() };
  if (!substance) {
    // The substance may be given as the value's originalText (free-text allergy).
    const valueText = originalText(run, obs.at('value/originalText'), `${where}/value/originalText`);
    if (valueText && !negated) substance = { text: valueText };
  }
  const allergy: AllergyIntolerance & { id: string } = {
    resourceType: 'AllergyIntolerance',
    id: run.id('AllergyIntolerance', where, iiKey(obs.child('id')) ?? ''),
    patient: run.patient ?? { display: 'patient not named in the document' },
  };
  const identifier = obs.elements('id').flatMap((i) => {
    const id = identifierOf(i);
    return id ? [id] : [];
  });
  if (identifier.length) allergy.identifier = identifier;
  const kind = typeCode ? TYPE[typeCode] : undefined;
  if (kind?.type) allergy.type = kind.type;
  if (kind?.category) allergy.category = kind.category;

  const substanceNull = substanceEl?.attr('nullFlavor');
  if (negated && (!substance || substanceNull)) {
    const no = (typeCode && NO_KNOWN[typeCode]) || NO_KNOWN_ANY;
    allergy.code = { coding: [{ system: CodeSystem.Snomed, ...no }], text: no.display };
    allergy.clinicalStatus = { coding: [{ system: CLINICAL, code: 'active' }] };
    allergy.verificationStatus = { coding: [{ system: VERIFICATION, code: 'confirmed' }] };
    return [run.add(allergy)];
  }
  if (!substance) {
    run.warn(
      'required',
      `${where}/participant`,
      'allergy names no substance (code, name or text); mapped without one',
    );
  } else allergy.code = substance;
  if (negated) {
    // "Not allergic to peanuts": the assertion is refuted for this substance.
    allergy.verificationStatus = { coding: [{ system: VERIFICATION, code: 'refuted' }] };
  } else if (obs.child('statusCode')?.attr('code') === 'nullified') {
    allergy.verificationStatus = { coding: [{ system: VERIFICATION, code: 'entered-in-error' }] };
  } else allergy.verificationStatus = { coding: [{ system: VERIFICATION, code: 'confirmed' }] };

  // Clinical status: the Allergy Status Observation when present, else the concern act and the observation's end.
  const statusObs = related(obs, where, ALLERGY_STATUS)[0];
  const statusCode = valueCode(statusObs?.el);
  let clinical: string | undefined =
    statusCode === '55561003'
      ? 'active'
      : statusCode === '73425007'
        ? 'inactive'
        : statusCode === '413322009'
          ? 'resolved'
          : undefined;
  const end = fhirDateTime(obs.at('effectiveTime/high')?.attr('value'));
  if (!clinical) {
    if (end) clinical = 'resolved';
    else if (concernStatus === 'active' || concernStatus === 'suspended' || concernStatus === undefined)
      clinical = 'active';
    else if (concernStatus === 'completed') clinical = 'resolved';
    else if (concernStatus === 'aborted') clinical = 'inactive';
    else clinical = 'active';
  }
  if (allergy.verificationStatus?.coding?.[0]?.code !== 'entered-in-error')
    allergy.clinicalStatus = { coding: [{ system: CLINICAL, code: clinical }] };
  const onset = pointOf(obs.child('effectiveTime'));
  if (onset) allergy.onsetDateTime = onset;
  if (end && clinical === 'resolved' && end.length >= 19) allergy.lastOccurrence = end;

  const overall = severityOf(run, obs, where);
  const reactions: NonNullable<AllergyIntolerance['reaction']> = [];
  for (const r of related(obs, where, REACTION)) {
    const manifestation = concept(run, r.el.child('value'), `${r.path}/value`);
    if (!manifestation) continue;
    const reaction: NonNullable<AllergyIntolerance['reaction']>[number] = { manifestation: [manifestation] };
    const sev = severityOf(run, r.el, r.path) ?? overall;
    if (sev) reaction.severity = sev;
    const rOnset = pointOf(r.el.child('effectiveTime'));
    if (rOnset) reaction.onset = rOnset;
    reactions.push(reaction);
  }
  if (reactions.length) allergy.reaction = reactions;
  else if (overall)
    allergy.reaction = [{ manifestation: [{ text: 'unspecified reaction' }], severity: overall }];

  const crit = related(obs, where, CRITICALITY)[0];
  const critCode = valueCode(crit?.el);
  if (critCode === 'CRITL') allergy.criticality = 'low';
  else if (critCode === 'CRITH') allergy.criticality = 'high';
  else if (critCode === 'CRITU') allergy.criticality = 'unable-to-assess';
  else if (crit)
    run.warn('value', `${crit.path}/value`, `criticality ${critCode ?? '(none)'} is not CRITL/CRITH/CRITU`);
  return [run.add(allergy)];
}

/** The concern act: each allergy observation inside it. */
export function mapAllergyConcern(run: CcdaRun, act: XmlElement, at: EntryContext): Reference[] {
  const status = act.child('statusCode')?.attr('code');
  const inner = related(act, at.path, ALLERGY_OBSERVATION);
  if (inner.length === 0) {
    run.warn(
      'required',
      at.path,
      'allergy concern act holds no Allergy - Intolerance Observation; nothing mapped',
    );
    return [];
  }
  return inner.flatMap((o) => mapAllergyObservation(run, o.el, { ...at, path: o.path }, status));
}
