// HL7 v2 text -> FHIR R4 Bundle: parse, then dispatch on the message type; unsupported types still give Patient + Provenance.
import { parseHl7 } from '../../inbound/hl7v2/parse-hl7.ts';
import type { Hl7Message } from '../../inbound/hl7v2/hl7-message.ts';
import { stableId } from '../../kernel/ids.ts';
import type { Bundle } from '../../kernel/fhir.ts';
import type { Result } from '../../kernel/result.ts';
import { fail, ok, warningIssue } from '../../kernel/result.ts';
import { ADT_TRIGGERS, mapAdt } from './map-adt.ts';
import type { Hl7MapContext } from './map-context.ts';
import { MapRun } from './map-context.ts';
import { mapAdtA60 } from './map-adt-a60.ts';
import { mapMdmT02 } from './map-mdm-t02.ts';
import { mapOmpO09 } from './map-omp-o09.ts';
import { mapOruR01 } from './map-oru-r01.ts';
import { mapPatient } from './map-patient.ts';
import { PPR_TRIGGERS, mapPpr } from './map-ppr.ts';
import { mapRdeO11 } from './map-rde-o11.ts';
import { mapRdeO25 } from './map-rde-o25.ts';
import { mapRdsO13 } from './map-rds-o13.ts';
import { mapVxuV04 } from './map-vxu-v04.ts';
import { mapProvenance } from './map-provenance.ts';

/** Any other type: the patient (when there is one) and the Provenance, with a `not-supported` warning. */
function mapUnsupported(msg: Hl7Message, context: Hl7MapContext): Result<Bundle> {
  const run = new MapRun(msg, context);
  run.issues.push(
    warningIssue(
      'not-supported',
      'MSH-9',
      `message type ${msg.type || '(empty)'} is not mapped yet; only the patient was read`,
    ),
  );
  const pid = msg.segment('PID');
  if (pid) mapPatient(run, pid);
  mapProvenance(run);
  return ok(run.bundle(stableId('hl7v2', 'Bundle', context.messageId)), [...run.issues]);
}

/** Maps a parsed message by its type (MSH-9.1^MSH-9.2). */
export function mapHl7Message(msg: Hl7Message, context: Hl7MapContext): Result<Bundle> {
  const [code, trigger = ''] = msg.type.split('^');
  if (code === 'ADT' && ADT_TRIGGERS.has(trigger)) return mapAdt(msg, context);
  switch (`${code}^${trigger}`) {
    case 'ADT^A60':
      return mapAdtA60(msg, context);
    case 'ORU^R01':
      return mapOruR01(msg, context);
    case 'MDM^T02':
      return mapMdmT02(msg, context);
    case 'RDE^O11':
      return mapRdeO11(msg, context);
    case 'RDE^O25':
      return mapRdeO25(msg, context);
    case 'OMP^O09':
      return mapOmpO09(msg, context);
    case 'RDS^O13':
      return mapRdsO13(msg, context);
    case 'VXU^V04':
      return mapVxuV04(msg, context);
  }
  if (code === 'PPR' && PPR_TRIGGERS.has(trigger)) return mapPpr(msg, context);
  return mapUnsupported(msg, context);
}

/**
 * Parses and maps one HL7 v2 message. Without a context the message id is derived from MSH-3|MSH-4|MSH-10, so the
 * same message always yields the same Bundle. Parse and decode warnings are returned with the mapping issues.
 */
export function convertHl7v2(text: string, context?: Partial<Hl7MapContext>): Result<Bundle> {
  const parsed = parseHl7(text);
  if (!parsed.ok) return fail(parsed.issues);
  const msg = parsed.value;
  const messageId =
    context?.messageId ?? stableId('hl7v2-message', msg.get('MSH-3'), msg.get('MSH-4'), msg.controlId);
  const full: Hl7MapContext = {
    messageId,
    ...(context?.receivedAt ? { receivedAt: context.receivedAt } : {}),
  };
  const mapped = mapHl7Message(msg, full);
  // msg.issues also holds escape warnings found while the mappers read fields.
  const issues = [...msg.issues, ...mapped.issues];
  return mapped.ok ? ok(mapped.value, issues) : fail(issues);
}
