// AL1 and IAM -> AllergyIntolerance: allergen, category (table 0127), criticality and reaction severity (table 0128),
// reactions, onset; IAM action codes (table 0323) and clinical status (table 0438) -> clinical/verification status.
import type { Hl7Segment } from '../../inbound/hl7v2/hl7-message.ts';
import { stableId } from '../../kernel/ids.ts';
import type { AllergyIntolerance, CodeableConcept, Reference } from '../../kernel/fhir.ts';
import { warningIssue } from '../../kernel/result.ts';
import {
  ACTION_CODE,
  ALLERGY_CATEGORY,
  ALLERGY_CRITICALITY,
  ALLERGY_VERIFICATION,
  REACTION_SEVERITY,
} from './code-tables.ts';
import { toCodeableConcept, toEntityIdentifier, toFhirDateTime } from './hl7-datatypes.ts';
import type { MapRun } from './map-context.ts';
import type { MappedPatient } from './map-patient.ts';

const CLINICAL = 'http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical';
const VERIFICATION = 'http://terminology.hl7.org/CodeSystem/allergyintolerance-verification';

function status(system: string, code: string): CodeableConcept {
  return { coding: [{ system, code }] };
}

/** The fields AL1 (ch. 3.4.6) and IAM (ch. 3.4.7) share, by field number. */
function baseAllergy(
  run: MapRun,
  seg: Hl7Segment,
  where: string,
  patient: MappedPatient,
): (AllergyIntolerance & { id: string }) | undefined {
  const code = toCodeableConcept(seg, 3);
  if (!code) {
    run.issues.push(warningIssue('required', `${where}-3`, 'allergen is empty; allergy left out'));
    return undefined;
  }
  // Patient-scoped: the same allergen for the same patient is one resource whichever message reports it.
  const allergenKey = code.coding?.[0]
    ? `${code.coding[0].system ?? ''}|${code.coding[0].code ?? ''}`
    : `text|${code.text ?? ''}`;
  const allergy: AllergyIntolerance & { id: string } = {
    resourceType: 'AllergyIntolerance',
    id: stableId('hl7v2', 'AllergyIntolerance', patient.key, allergenKey),
    clinicalStatus: status(CLINICAL, 'active'),
    code,
    patient: patient.reference,
  };
  const typeCode = seg.get('2.1');
  const category = ALLERGY_CATEGORY.lookup(typeCode);
  if (category) allergy.category = [category.to as 'medication' | 'food' | 'environment' | 'biologic'];
  else if (typeCode !== '')
    run.issues.push(
      warningIssue('value', `${where}-2`, 'allergen type is not in table 0127; category left out'),
    );
  const severityCode = seg.get('4.1');
  const criticality = ALLERGY_CRITICALITY.lookup(severityCode);
  if (criticality) allergy.criticality = criticality.to as NonNullable<AllergyIntolerance['criticality']>;
  else if (severityCode !== '')
    run.issues.push(
      warningIssue('value', `${where}-4`, 'severity is not in table 0128; criticality left out'),
    );
  const reactions = seg.getAll(5).filter((r) => r !== '');
  if (reactions.length > 0) {
    const severity = REACTION_SEVERITY.lookup(severityCode);
    allergy.reaction = [
      {
        manifestation: reactions.map((text) => ({ text })),
        ...(severity ? { severity: severity.to as 'mild' | 'moderate' | 'severe' } : {}),
      },
    ];
  }
  return allergy;
}

export function mapAllergy(
  run: MapRun,
  al1: Hl7Segment,
  position: number,
  patient: MappedPatient,
): Reference<AllergyIntolerance> | undefined {
  const where = position > 1 ? `AL1[${position}]` : 'AL1';
  const allergy = baseAllergy(run, al1, where, patient);
  if (!allergy) return undefined;
  // AL1-6 identification date: the closest FHIR element is the onset (HL7 v2-to-FHIR IG AL1 map).
  const identified = al1.get('6.1');
  if (identified !== '') {
    const dt = toFhirDateTime(identified, run.defaultOffset);
    if (dt) allergy.onsetDateTime = dt;
  }
  return run.add(allergy);
}

/** IAM (ADT^A60): `reactions` are the IAR segments that follow it (v2.7+). */
export function mapIam(
  run: MapRun,
  iam: Hl7Segment,
  position: number,
  patient: MappedPatient,
  reactions: readonly Hl7Segment[] = [],
): Reference<AllergyIntolerance> | undefined {
  const where = position > 1 ? `IAM[${position}]` : 'IAM';
  const allergy = baseAllergy(run, iam, where, patient);
  if (!allergy) return undefined;
  const uid = toEntityIdentifier(iam, 7, `urn:rxbridge:sender:${encodeURIComponent(run.sender)}:allergy`);
  if (uid) allergy.identifier = [uid];
  // IAM-9 sensitivity to causative agent (table 0436): allergy vs intolerance.
  const sensitivity = iam.get('9.1').toUpperCase();
  if (['AL', 'FA', 'DA', 'MA', 'EA'].includes(sensitivity)) allergy.type = 'allergy';
  else if (['AD', 'FI', 'IN', 'CT'].includes(sensitivity)) allergy.type = 'intolerance';
  const verification = ALLERGY_VERIFICATION.lookup(iam.get('17.1'));
  if (verification) allergy.verificationStatus = status(VERIFICATION, verification.to);
  const actionCode = iam.get('6.1');
  const action = ACTION_CODE.lookup(actionCode);
  if (actionCode !== '' && !action)
    run.issues.push(
      warningIssue('value', `${where}-6`, 'action code is not in table 0323; read as an update'),
    );
  // Table 0323 D (delete): the sender withdraws the record; FHIR says so with entered-in-error, which forbids a
  // clinicalStatus (invariant ait-2).
  if (action?.to === 'delete' || verification?.to === 'entered-in-error') {
    allergy.verificationStatus = status(VERIFICATION, 'entered-in-error');
    delete allergy.clinicalStatus;
  }
  const onset = iam.get('11.1');
  const onsetDate = onset === '' ? undefined : toFhirDateTime(onset, run.defaultOffset);
  if (onsetDate) allergy.onsetDateTime = onsetDate;
  else if (iam.get(12) !== '') allergy.onsetString = iam.get(12);
  const reported = toFhirDateTime(iam.get('13.1'), run.defaultOffset);
  if (reported) allergy.recordedDate = reported;
  // IAR (v2.7 ch. 3.4.8): coded reaction IAR-1 with its own severity IAR-2.
  const coded = reactions.flatMap((iar) => {
    const manifestation = toCodeableConcept(iar, 1);
    if (!manifestation) return [];
    const severity = REACTION_SEVERITY.lookup(iar.get('2.1'));
    return [
      {
        manifestation: [manifestation],
        ...(severity ? { severity: severity.to as 'mild' | 'moderate' | 'severe' } : {}),
      },
    ];
  });
  if (coded.length > 0) allergy.reaction = [...(allergy.reaction ?? []), ...coded];
  return run.add(allergy);
}
