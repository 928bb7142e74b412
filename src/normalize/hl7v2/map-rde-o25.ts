// RDE^O25 pharmacy/treatment refill authorization -> the same resources as RDE^O11 (HL7 v2.5.1 ch. 4A.3.9: RDE_O25
// has the RDE_O11 order structure); each order is a refill-authorized MedicationRequest.
import type { Hl7Message } from '../../inbound/hl7v2/hl7-message.ts';
import type { Bundle } from '../../kernel/fhir.ts';
import type { Result } from '../../kernel/result.ts';
import type { Hl7MapContext } from './map-context.ts';
import { mapPatientMessage } from './map-patient-message.ts';
import { mapEncodedOrders } from './map-rde-o11.ts';

export function mapRdeO25(msg: Hl7Message, context: Hl7MapContext): Result<Bundle> {
  return mapPatientMessage(msg, context, mapEncodedOrders);
}
