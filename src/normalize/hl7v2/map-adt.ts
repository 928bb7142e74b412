// ADT^A01/A03/A04/A08 (and same-structure triggers) -> Bundle: Patient (+ PCP), Encounter, Observation per OBX, AllergyIntolerance per AL1,
// Condition per DG1, and a Provenance pointing at the message.
import type { Hl7Message } from '../../inbound/hl7v2/hl7-message.ts';
import { stableId } from '../../kernel/ids.ts';
import type { Bundle, Encounter, Reference } from '../../kernel/fhir.ts';
import type { Result } from '../../kernel/result.ts';
import { errorIssue, fail, ok } from '../../kernel/result.ts';
import { mapAllergy } from './map-allergy.ts';
import { mapCondition } from './map-condition.ts';
import type { Hl7MapContext } from './map-context.ts';
import { MapRun } from './map-context.ts';
import { mapEncounter } from './map-encounter.ts';
import { mapObservation } from './map-observation.ts';
import { mapPatient } from './map-patient.ts';
import { mapProvenance } from './map-provenance.ts';

/**
 * Trigger events whose structure this mapper reads: ADT_A01 (A01/A04/A08/A13), ADT_A03, ADT_A02, ADT_A05
 * (A05/A14/A28/A31) and ADT_A06 (A06/A07) all carry PID, PD1, PV1, OBX, AL1 and DG1 the same way (ch. 3.3).
 */
export const ADT_TRIGGERS: ReadonlySet<string> = new Set([
  'A01',
  'A02',
  'A03',
  'A04',
  'A05',
  'A06',
  'A07',
  'A08',
  'A13',
  'A14',
  'A28',
  'A31',
]);

export function mapAdt(msg: Hl7Message, context: Hl7MapContext): Result<Bundle> {
  const pid = msg.segment('PID');
  if (!pid) return fail([errorIssue('required', 'PID', 'an ADT message needs a PID segment')]);
  const run = new MapRun(msg, context);
  const patient = mapPatient(run, pid);
  const pv1 = msg.segment('PV1');
  const encounter: Reference<Encounter> | undefined = pv1
    ? mapEncounter(run, pv1, patient.reference)
    : undefined;
  msg.segments('OBX').forEach((obx, i) => mapObservation(run, obx, i + 1, patient.reference, encounter));
  msg.segments('AL1').forEach((al1, i) => mapAllergy(run, al1, i + 1, patient));
  msg.segments('DG1').forEach((dg1, i) => mapCondition(run, dg1, i + 1, patient, encounter));
  mapProvenance(run);
  return ok(run.bundle(stableId('hl7v2', 'Bundle', context.messageId)), [...run.issues]);
}
