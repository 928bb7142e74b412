// PPR^PC1/PC2/PC3 problem add/update/delete -> Patient, one problem-list Condition per PRB (HL7 v2.5.1 ch. 12.3.1).
import type { Hl7Message } from '../../inbound/hl7v2/hl7-message.ts';
import type { Bundle } from '../../kernel/fhir.ts';
import type { Result } from '../../kernel/result.ts';
import { warningIssue } from '../../kernel/result.ts';
import type { Hl7MapContext } from './map-context.ts';
import { mapCondition, mapProblem } from './map-condition.ts';
import { mapPatientMessage } from './map-patient-message.ts';

export const PPR_TRIGGERS: ReadonlySet<string> = new Set(['PC1', 'PC2', 'PC3']);

export function mapPpr(msg: Hl7Message, context: Hl7MapContext): Result<Bundle> {
  return mapPatientMessage(msg, context, (run, patient, encounter) => {
    const problems = msg.segments('PRB');
    problems.forEach((prb, i) => mapProblem(run, prb, i + 1, patient));
    msg.segments('DG1').forEach((dg1, i) => mapCondition(run, dg1, i + 1, patient, encounter));
    if (problems.length === 0)
      run.issues.push(warningIssue('required', 'PRB', 'no PRB segment; no problem mapped'));
  });
}
