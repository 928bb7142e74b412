// The immunization registry (IIS): VXU^V04 messages sent over MLLP, each answered by an ACK that says whether the
// registry took it (AA/CA), could not take it now (AE/CE: try again) or refused it (AR/CR).
import { readMsa } from '../../inbound/mllp/mllp-sender.ts';
import { openMllpOutbound, type MllpOutboundOptions } from './mllp-outbound.ts';
import { stableId } from '../../kernel/ids.ts';

export interface ImmunizationRegistry {
  /** Config name; consent is asked for recipient `registry:<name>` and effect records show it. */
  readonly name: string;
  /** Sends one HL7 message and resolves with the ACK text; rejects when no ACK comes (timeout, connection lost). */
  send(message: string): Promise<string>;
  close(): Promise<void>;
  /** MSH-4 / MSH-5 / MSH-6 as the registry assigned them; defaults: the task's site, then the registry name. */
  readonly header?: { sendingFacility?: string; receivingApplication?: string; receivingFacility?: string };
}

export interface MllpRegistryOptions extends MllpOutboundOptions {
  name: string;
  header?: ImmunizationRegistry['header'];
}

/** The registry over one MLLP connection (see openMllpOutbound: connects on the first send, one attempt per send). */
export function createMllpRegistry(options: MllpRegistryOptions): ImmunizationRegistry {
  const { name, header, ...connection } = options;
  const mllp = openMllpOutbound(connection);
  return {
    name,
    ...(header ? { header } : {}),
    send: (message) => mllp.send(message),
    close: () => mllp.close(),
  };
}

/** MSH-10 of the VXU for an effect key: a resend after a lost ACK carries the same control id. */
export function vxuControlIdOf(key: string): string {
  return `RXV${stableId('vxu', key).replace(/-/g, '').slice(0, 17).toUpperCase()}`;
}

export type RegistryAnswer =
  | { outcome: 'accepted'; code: string }
  | { outcome: 'retry'; code: string; reason: string }
  | { outcome: 'refused'; code: string; reason: string };

/** Reads the registry's ACK: MSA-1, and the reason from MSA-3 or the first ERR (ERR-8 user message, ERR-3 code). */
export function readRegistryAck(ack: string): RegistryAnswer {
  const { code } = readMsa(ack);
  if (code === 'AA' || code === 'CA') return { outcome: 'accepted', code };
  const segments = ack.split(/\r\n|\r|\n/);
  const msa3 = segments.find((s) => s.startsWith('MSA|'))?.split('|')[3] ?? '';
  const err = segments.find((s) => s.startsWith('ERR|'))?.split('|');
  const errText = err ? (err[8] ?? '') || (err[3] ?? '').split('^')[1] || '' : '';
  const reason = (msa3 || errText || 'no reason given').slice(0, 200);
  if (code === 'AE' || code === 'CE') return { outcome: 'retry', code, reason };
  return { outcome: 'refused', code: code || '(none)', reason };
}
