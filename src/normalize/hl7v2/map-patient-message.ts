// The frame every patient-centred mapper shares: PID -> Patient (required), PV1 -> Encounter, AL1 allergies,
// the message-specific body, then a Provenance to the message.
import type { Hl7Message } from '../../inbound/hl7v2/hl7-message.ts';
import { stableId } from '../../kernel/ids.ts';
import type { Bundle, Encounter, Reference } from '../../kernel/fhir.ts';
import type { Result } from '../../kernel/result.ts';
import { errorIssue, fail, ok } from '../../kernel/result.ts';
import { mapAllergy } from './map-allergy.ts';
import type { Hl7MapContext } from './map-context.ts';
import { MapRun } from './map-context.ts';
import { mapEncounter } from './map-encounter.ts';
import type { MappedPatient } from './map-patient.ts';
import { mapPatient } from './map-patient.ts';
import { mapProvenance } from './map-provenance.ts';

export type MessageBody = (
  run: MapRun,
  patient: MappedPatient,
  encounter: Reference<Encounter> | undefined,
) => void;

export function mapPatientMessage(
  msg: Hl7Message,
  context: Hl7MapContext,
  body: MessageBody,
): Result<Bundle> {
  const pid = msg.segment('PID');
  if (!pid) return fail([errorIssue('required', 'PID', `a ${msg.type} message needs a PID segment`)]);
  const run = new MapRun(msg, context);
  const patient = mapPatient(run, pid);
  const pv1 = msg.segment('PV1');
  const encounter = pv1 ? mapEncounter(run, pv1, patient.reference) : undefined;
  msg.segments('AL1').forEach((al1, i) => mapAllergy(run, al1, i + 1, patient));
  body(run, patient, encounter);
  mapProvenance(run);
  return ok(run.bundle(stableId('hl7v2', 'Bundle', context.messageId)), [...run.issues]);
}
