// ADT^A60 update allergy information -> Patient, Encounter (when PV1 is sent), one AllergyIntolerance per IAM with
// its IAR reactions, and AL1 segments as other ADT messages (HL7 v2.5.1 ch. 3.3.60 ADT_A60).
import type { Hl7Message, Hl7Segment } from '../../inbound/hl7v2/hl7-message.ts';
import type { Bundle } from '../../kernel/fhir.ts';
import type { Result } from '../../kernel/result.ts';
import { warningIssue } from '../../kernel/result.ts';
import { mapIam } from './map-allergy.ts';
import type { Hl7MapContext } from './map-context.ts';
import { mapPatientMessage } from './map-patient-message.ts';

export function mapAdtA60(msg: Hl7Message, context: Hl7MapContext): Result<Bundle> {
  return mapPatientMessage(msg, context, (run, patient) => {
    // Each IAM owns the IAR segments after it, up to the next IAM.
    const groups: { iam: Hl7Segment; iar: Hl7Segment[] }[] = [];
    for (const seg of msg.allSegments) {
      if (seg.name === 'IAM') groups.push({ iam: seg, iar: [] });
      else if (seg.name === 'IAR') groups[groups.length - 1]?.iar.push(seg);
    }
    groups.forEach((g, i) => mapIam(run, g.iam, i + 1, patient, g.iar));
    if (groups.length === 0 && msg.segments('AL1').length === 0)
      run.issues.push(
        warningIssue('required', 'IAM', 'an ADT^A60 without IAM or AL1 segments carries no allergy'),
      );
  });
}
