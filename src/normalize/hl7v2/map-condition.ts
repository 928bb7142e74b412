// DG1 -> Condition (encounter-diagnosis: code DG1-3 or text DG1-4, date DG1-5, type DG1-6 -> verification) and
// PRB -> Condition (problem-list-item: code PRB-3, instance PRB-4, onset PRB-16, resolution PRB-9, action PRB-1).
import type { Hl7Segment } from '../../inbound/hl7v2/hl7-message.ts';
import { stableId } from '../../kernel/ids.ts';
import type { Condition, Encounter, Reference } from '../../kernel/fhir.ts';
import { warningIssue } from '../../kernel/result.ts';
import { ACTION_CODE } from './code-tables.ts';
import { toCodeableConcept, toEntityIdentifier, toFhirDateTime } from './hl7-datatypes.ts';
import type { MapRun } from './map-context.ts';
import type { MappedPatient } from './map-patient.ts';

export function mapCondition(
  run: MapRun,
  dg1: Hl7Segment,
  position: number,
  patient: MappedPatient,
  encounter: Reference<Encounter> | undefined,
): Reference<Condition> | undefined {
  const where = position > 1 ? `DG1[${position}]` : 'DG1';
  const description = dg1.get(4);
  const code = toCodeableConcept(dg1, 3) ?? (description !== '' ? { text: description } : undefined);
  if (!code) {
    run.issues.push(warningIssue('required', `${where}-3`, 'diagnosis code is empty; condition left out'));
    return undefined;
  }
  const codeKey = code.coding?.[0]
    ? `${code.coding[0].system ?? ''}|${code.coding[0].code ?? ''}`
    : `text|${code.text ?? ''}`;
  const condition: Condition & { id: string } = {
    resourceType: 'Condition',
    // Scoped to the patient and the visit: the same diagnosis on another visit is another encounter-diagnosis.
    id: stableId('hl7v2', 'Condition', patient.key, encounter?.reference ?? '', codeKey),
    category: [
      {
        coding: [
          {
            system: 'http://terminology.hl7.org/CodeSystem/condition-category',
            code: 'encounter-diagnosis',
            display: 'Encounter Diagnosis',
          },
        ],
      },
    ],
    code,
    subject: patient.reference,
  };
  if (encounter) condition.encounter = encounter;
  const when = dg1.get('5.1');
  if (when !== '') {
    const dt = toFhirDateTime(when, run.defaultOffset);
    if (dt) condition.onsetDateTime = dt;
  }
  // DG1-6 diagnosis type (table 0052): F final -> confirmed; A admitting / W working -> provisional.
  const type = dg1.get('6.1').toUpperCase();
  const verification = type === 'F' ? 'confirmed' : type === 'A' || type === 'W' ? 'provisional' : undefined;
  if (verification) condition.verificationStatus = statusConcept(VERIFICATION, verification);
  return run.add(condition);
}

const CLINICAL = 'http://terminology.hl7.org/CodeSystem/condition-clinical';
const VERIFICATION = 'http://terminology.hl7.org/CodeSystem/condition-ver-status';

function statusConcept(system: string, code: string): NonNullable<Condition['clinicalStatus']> {
  return { coding: [{ system, code }] };
}

/** PRB-14 life cycle status is user-defined; the words senders use for FHIR's clinical statuses are recognised. */
function clinicalStatusOf(text: string): string | undefined {
  const t = text.trim().toLowerCase();
  for (const code of ['active', 'recurrence', 'relapse', 'inactive', 'remission', 'resolved'])
    if (t === code || t.startsWith(code)) return code;
  if (t === 'a') return 'active';
  if (t === 'i') return 'inactive';
  return undefined;
}

/** PRB (HL7 v2.5.1 ch. 12.4.2) -> problem-list-item Condition, scoped to the patient (not to a visit). */
export function mapProblem(
  run: MapRun,
  prb: Hl7Segment,
  position: number,
  patient: MappedPatient,
): Reference<Condition> | undefined {
  const where = position > 1 ? `PRB[${position}]` : 'PRB';
  const code = toCodeableConcept(prb, 3);
  if (!code) {
    run.issues.push(warningIssue('required', `${where}-3`, 'problem id is empty; problem left out'));
    return undefined;
  }
  const instance = toEntityIdentifier(
    prb,
    4,
    `urn:rxbridge:sender:${encodeURIComponent(run.sender)}:problem`,
  );
  const codeKey = code.coding?.[0]
    ? `${code.coding[0].system ?? ''}|${code.coding[0].code ?? ''}`
    : `text|${code.text ?? ''}`;
  const condition: Condition & { id: string } = {
    resourceType: 'Condition',
    id: stableId(
      'hl7v2',
      'Condition',
      patient.key,
      'problem',
      instance ? `${instance.system}|${instance.value}` : codeKey,
    ),
    category: [
      {
        coding: [
          {
            system: 'http://terminology.hl7.org/CodeSystem/condition-category',
            code: 'problem-list-item',
            display: 'Problem List Item',
          },
        ],
      },
    ],
    code,
    subject: patient.reference,
  };
  if (instance) condition.identifier = [instance];
  const actionCode = prb.get('1.1');
  const action = ACTION_CODE.lookup(actionCode);
  if (actionCode !== '' && !action)
    run.issues.push(
      warningIssue('value', `${where}-1`, 'action code is not in table 0287; read as an update'),
    );
  const resolved = toFhirDateTime(prb.get('9.1'), run.defaultOffset);
  if (action?.to === 'delete') {
    // Table 0287 DE: the problem is withdrawn; entered-in-error forbids a clinicalStatus (invariant con-5).
    condition.verificationStatus = statusConcept(VERIFICATION, 'entered-in-error');
  } else {
    const life = clinicalStatusOf(prb.get('14.2') || prb.get('14.1'));
    condition.clinicalStatus = statusConcept(CLINICAL, life ?? (resolved ? 'resolved' : 'active'));
    const confirmation = prb.get('13.1').toUpperCase();
    if (confirmation === 'C' || /^CONFIRMED/.test(confirmation))
      condition.verificationStatus = statusConcept(VERIFICATION, 'confirmed');
    else if (confirmation === 'P' || /^PROVISIONAL/.test(confirmation))
      condition.verificationStatus = statusConcept(VERIFICATION, 'provisional');
  }
  const onset = toFhirDateTime(prb.get('16.1'), run.defaultOffset);
  if (onset) condition.onsetDateTime = onset;
  else if (prb.get(17) !== '') condition.onsetString = prb.get(17);
  if (resolved && action?.to !== 'delete') condition.abatementDateTime = resolved;
  const established = toFhirDateTime(prb.get('7.1'), run.defaultOffset);
  if (established) condition.recordedDate = established;
  return run.add(condition);
}
