// RDE^O11 pharmacy/treatment encoded order -> Patient, Encounter, allergies, one MedicationRequest per ORC group
// (from RXE; RXO when a group has no RXE), Provenance. HL7 v2.5.1 ch. 4A.3.5 RDE_O11.
import type { Hl7Message } from '../../inbound/hl7v2/hl7-message.ts';
import type { Bundle } from '../../kernel/fhir.ts';
import type { Result } from '../../kernel/result.ts';
import { warningIssue } from '../../kernel/result.ts';
import type { Hl7MapContext } from './map-context.ts';
import type { MapRun } from './map-context.ts';
import type { MessageBody } from './map-patient-message.ts';
import { mapPatientMessage } from './map-patient-message.ts';
import { mapMedicationRequest } from './map-medication-request.ts';
import { orderGroups, orderPart } from './order-groups.ts';

/** The body RDE^O11 and RDE^O25 share: the RXE is the pharmacy's (filler's) encoding of the order. */
export const mapEncodedOrders: MessageBody = (run: MapRun, patient, encounter) => {
  const groups = orderGroups(run.msg);
  if (groups.length === 0)
    run.issues.push(warningIssue('required', 'ORC', 'no ORC/RXE order group; no MedicationRequest mapped'));
  for (const group of groups) {
    const source = orderPart(group, 'RXE') ? 'RXE' : 'RXO';
    mapMedicationRequest(run, group, patient, encounter, {
      source,
      intent: source === 'RXE' ? 'filler-order' : 'original-order',
    });
  }
};

export function mapRdeO11(msg: Hl7Message, context: Hl7MapContext): Result<Bundle> {
  return mapPatientMessage(msg, context, mapEncodedOrders);
}
