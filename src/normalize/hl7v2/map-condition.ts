// DG1 -> Condition (basic): diagnosis code DG1-3 (or DG1-4 text), encounter-diagnosis category, date DG1-5.
import type { Hl7Segment } from '../../inbound/hl7v2/hl7-message.ts';
import { stableId } from '../../kernel/ids.ts';
import type { Condition, Encounter, Reference } from '../../kernel/fhir.ts';
import { warningIssue } from '../../kernel/result.ts';
import { toCodeableConcept, toFhirDateTime } from './hl7-datatypes.ts';
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
  return run.add(condition);
}
