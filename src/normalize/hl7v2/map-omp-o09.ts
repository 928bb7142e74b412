// OMP^O09 pharmacy/treatment order from the prescriber -> one MedicationRequest per ORC/RXO group (intent
// original-order), with timing from TQ1 and route from RXR (HL7 v2.5.1 ch. 4A.3.1 OMP_O09).
import type { Hl7Message } from '../../inbound/hl7v2/hl7-message.ts';
import type { Bundle } from '../../kernel/fhir.ts';
import type { Result } from '../../kernel/result.ts';
import { warningIssue } from '../../kernel/result.ts';
import type { Hl7MapContext } from './map-context.ts';
import { mapMedicationRequest } from './map-medication-request.ts';
import { mapPatientMessage } from './map-patient-message.ts';
import { orderGroups } from './order-groups.ts';

export function mapOmpO09(msg: Hl7Message, context: Hl7MapContext): Result<Bundle> {
  return mapPatientMessage(msg, context, (run, patient, encounter) => {
    const groups = orderGroups(msg);
    if (groups.length === 0)
      run.issues.push(warningIssue('required', 'ORC', 'no ORC/RXO order group; no MedicationRequest mapped'));
    for (const group of groups)
      mapMedicationRequest(run, group, patient, encounter, { source: 'RXO', intent: 'original-order' });
  });
}
