// ORU^R01 unsolicited results -> Patient, the visit if given, one Observation per OBX (HL7 v2.5.1 ch. 7.3.1 ORU_R01);
// free-text values stay valueString for the text extractor.
import type { Hl7Message } from '../../inbound/hl7v2/hl7-message.ts';
import type { Bundle } from '../../kernel/fhir.ts';
import { stableId } from '../../kernel/ids.ts';
import type { Result } from '../../kernel/result.ts';
import { ok, warningIssue } from '../../kernel/result.ts';
import type { Hl7MapContext } from './map-context.ts';
import { MapRun } from './map-context.ts';
import { mapProvenance } from './map-provenance.ts';
import { mapObservation } from './map-observation.ts';
import { mapPatientMessage } from './map-patient-message.ts';

export function mapOruR01(msg: Hl7Message, context: Hl7MapContext): Result<Bundle> {
  if (!msg.segment('PID')) {
    // The ORU_R01 patient group is optional (ch. 7.3.1): without it results cannot be tied to anyone.
    const run = new MapRun(msg, context);
    run.issues.push(warningIssue('required', 'PID', 'results without a PID segment are not mapped'));
    mapProvenance(run);
    return ok(run.bundle(stableId('hl7v2', 'Bundle', context.messageId)), [...run.issues]);
  }
  return mapPatientMessage(msg, context, (run, patient, encounter) => {
    const results = msg.segments('OBX');
    results.forEach((obx, i) => mapObservation(run, obx, i + 1, patient.reference, encounter));
    if (results.length === 0)
      run.issues.push(warningIssue('required', 'OBX', 'results message without OBX segments'));
  });
}
