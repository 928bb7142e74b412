// Store keys for an HL7 v2 message: dedupe key (MSH-3|MSH-4|MSH-10), patient partition key and a PHI-free summary.
import type { Hl7Message } from './hl7-message.ts';

export interface Hl7MessageKeys {
  idempotencyKey: string;
  partitionKey: string;
  summary: { type: string; controlId: string; sender: string };
}

/**
 * MSH-10 is unique per sending application and facility (HL7 v2.5.1 ch. 2.14.9.10), so the three together
 * identify a resend. The partition key is the first PID-3 identifier with its assigning authority (PID-3.4);
 * an identifier without one is qualified by the sending facility so two senders' local numbers never collide.
 */
export function hl7MessageKeys(msg: Hl7Message): Hl7MessageKeys {
  const controlId = msg.controlId;
  const sendingApp = msg.get('MSH-3.1');
  const sendingFacility = msg.get('MSH-4.1');
  const idempotencyKey = `${msg.get('MSH-3')}|${msg.get('MSH-4')}|${controlId}`;
  return {
    idempotencyKey,
    partitionKey: patientPartition(msg) ?? `msg:${controlId}`,
    summary: { type: msg.type, controlId, sender: `${sendingApp}^${sendingFacility}` },
  };
}

function patientPartition(msg: Hl7Message): string | undefined {
  const pid = msg.segment('PID');
  if (!pid) return undefined;
  const count = pid.repetitions(3);
  for (let r = 1; r <= count; r++) {
    const id = pid.read(3, r, 1, 0);
    if (id === '') continue;
    const authority = pid.read(3, r, 4, 1) || pid.read(3, r, 4, 0) || `facility:${msg.get('MSH-4.1')}`;
    return `${id}^${authority}`;
  }
  // v2.3 and earlier senders still fill PID-2 (external id) instead of PID-3.
  const external = pid.read(2, 1, 1, 0);
  if (external !== '') return `${external}^${pid.read(2, 1, 4, 1) || `facility:${msg.get('MSH-4.1')}`}`;
  return undefined;
}
