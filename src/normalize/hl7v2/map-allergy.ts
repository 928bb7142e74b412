// AL1 -> AllergyIntolerance (basic): allergen AL1-3, category AL1-2, criticality AL1-4, reactions AL1-5, date AL1-6.
import type { Hl7Segment } from '../../inbound/hl7v2/hl7-message.ts';
import { stableId } from '../../kernel/ids.ts';
import type { AllergyIntolerance, Reference } from '../../kernel/fhir.ts';
import { warningIssue } from '../../kernel/result.ts';
import { ALLERGY_CATEGORY, ALLERGY_CRITICALITY } from './code-tables.ts';
import { toCodeableConcept, toFhirDateTime } from './hl7-datatypes.ts';
import type { MapRun } from './map-context.ts';
import type { MappedPatient } from './map-patient.ts';

export function mapAllergy(
  run: MapRun,
  al1: Hl7Segment,
  position: number,
  patient: MappedPatient,
): Reference<AllergyIntolerance> | undefined {
  const where = position > 1 ? `AL1[${position}]` : 'AL1';
  const code = toCodeableConcept(al1, 3);
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
    clinicalStatus: {
      coding: [
        { system: 'http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical', code: 'active' },
      ],
    },
    code,
    patient: patient.reference,
  };
  const category = ALLERGY_CATEGORY.lookup(al1.get('2.1'));
  if (category) allergy.category = [category.to as 'medication' | 'food' | 'environment' | 'biologic'];
  const criticality = ALLERGY_CRITICALITY.lookup(al1.get('4.1'));
  if (criticality) allergy.criticality = criticality.to as NonNullable<AllergyIntolerance['criticality']>;
  const reactions = al1.getAll(5).filter((r) => r !== '');
  if (reactions.length > 0) allergy.reaction = [{ manifestation: reactions.map((text) => ({ text })) }];
  const identified = al1.get('6.1');
  if (identified !== '') {
    const dt = toFhirDateTime(identified, run.defaultOffset);
    if (dt) allergy.onsetDateTime = dt;
  }
  return run.add(allergy);
}
