// PharmacyWriter over HL7 v2.5.1: each change becomes an RDE^O11 (ch. 4A.3.1: MSH, PID, ORC, RXE, NTE) sent over
// MLLP to the pharmacy system's interface engine. ORC-1 says what changes: DC discontinue, HD hold, XO change.
import { ErrorCode, RxBridgeError } from '../../kernel/errors.ts';
import { stableId } from '../../kernel/ids.ts';
import type { Patient } from '../../kernel/fhir.ts';
import { localAuthoritySystem } from '../../normalize/hl7v2/hl7-datatypes.ts';
import type { PharmacyPatient, PharmacySystem } from '../../platform/pharmacy/pharmacy-system.ts';
import { field, msh, pid, segment, type Hl7OutboundContext } from '../hl7v2/hl7-writer.ts';
import type { PharmacyWriter, PrescriptionChange, WriteReceipt } from './pharmacy-writer.ts';

/** Sends one HL7 message and resolves with the ACK text (an MLLP client, or a test double of the wire). */
export type Hl7Send = (message: string) => Promise<string>;

export interface Hl7PharmacyWriterOptions {
  /** Reads the patient for PID and the prescription number for ORC-3 / RXE-15. */
  pharmacy: PharmacySystem;
  send: Hl7Send;
  /** Shown in effect records, e.g. `hl7v2:pharmacy-host:2576`. */
  name: string;
  sendingApplication?: string;
  sendingFacility?: string;
  receivingApplication?: string;
  receivingFacility?: string;
  now?: () => Date;
}

const ORDER_CONTROL: Record<PrescriptionChange['action'], string> = {
  discontinue: 'DC',
  hold: 'HD',
  'update-regimen': 'XO',
  'add-note': 'XO',
};

/** MSH-10 derived from the change key: a resend after a lost ACK carries the same control id, so the receiver dedupes. */
export function controlIdOf(key: string): string {
  return `RXB${stableId('rde', key).replace(/-/g, '').slice(0, 17).toUpperCase()}`;
}

/** The pharmacy's patient as a FHIR Patient for PID (the pharmacy id and every linked identifier). */
export function pharmacyPatientResource(p: PharmacyPatient): Patient {
  return {
    resourceType: 'Patient',
    identifier: [
      { system: localAuthoritySystem('RXBRIDGE-PHARMACY'), value: p.id },
      ...p.identifiers.map((i) => ({ system: localAuthoritySystem(i.system), value: i.value })),
    ],
    name: [{ family: p.family, given: [p.given] }],
    birthDate: p.birthDate,
    gender: p.gender,
  };
}

export function buildRdeO11(
  change: PrescriptionChange,
  patient: PharmacyPatient,
  rx: { rxNumber: string; drugName: string; rxcui?: string } | undefined,
  context: Hl7OutboundContext,
): string {
  const orc: string[] = [];
  orc[0] = ORDER_CONTROL[change.action];
  orc[2] = rx ? field(rx.rxNumber) : '';
  orc[11] = field(change.decidedBy.replace(/^user:/, ''));
  const rxe: string[] = [];
  rxe[1] = rx?.rxcui ? field(rx.rxcui, rx.drugName, 'RXNORM') : field('', rx?.drugName ?? change.drug);
  if (change.strength) {
    rxe[2] = String(change.strength.value);
    rxe[4] = field(change.strength.unit);
  }
  rxe[14] = rx ? field(rx.rxNumber) : '';
  rxe[20] = change.sig ? field(change.sig) : '';
  const nte = change.note ?? change.reason;
  return [
    msh(context, 'RDE^O11', 'RDE_O11'),
    pid(pharmacyPatientResource(patient)),
    segment(
      'ORC',
      Array.from(orc, (f) => f ?? ''),
    ),
    segment(
      'RXE',
      Array.from(rxe, (f) => f ?? ''),
    ),
    ...(nte ? [segment('NTE', ['1', 'P', field(nte.slice(0, 1000))])] : []),
  ].join('\r');
}

/** MSA-1 of an ACK ('' when the reply has none). */
function ackCode(ack: string): string {
  const msa = ack.split(/\r\n?|\n/).find((s) => s.startsWith('MSA'));
  return msa?.split('|')[1] ?? '';
}

export function createHl7PharmacyWriter(options: Hl7PharmacyWriterOptions): PharmacyWriter {
  const sent = new Map<string, string>();
  const now = options.now ?? (() => new Date());
  return {
    name: options.name,
    async apply(change): Promise<WriteReceipt> {
      const controlId = controlIdOf(change.key);
      if (sent.has(change.key)) return { applied: false, reference: `MSH-10 ${controlId}` };
      const profile = await options.pharmacy.getProfile(change.patientId);
      if (!profile)
        throw new RxBridgeError(ErrorCode.NotFound, `pharmacy patient ${change.patientId} not found`);
      const rx = profile.prescriptions.find((p) => p.id === change.prescriptionId);
      const message = buildRdeO11(change, profile.patient, rx, {
        sendingApplication: options.sendingApplication ?? 'RXBRIDGE',
        sendingFacility: options.sendingFacility ?? profile.patient.site,
        receivingApplication: options.receivingApplication ?? 'PHARMACY',
        receivingFacility: options.receivingFacility ?? profile.patient.site,
        controlId,
        now: now(),
      });
      const ack = await options.send(message);
      const code = ackCode(ack);
      if (code !== 'AA' && code !== 'CA') {
        const retry = code === 'AE' || code === 'CE';
        throw new RxBridgeError(
          retry ? ErrorCode.EhrUnavailable : ErrorCode.EhrRejected,
          `pharmacy interface answered ${code || 'without MSA'} to RDE^O11 ${controlId}`,
        );
      }
      sent.set(change.key, controlId);
      return { applied: true, reference: `MSH-10 ${controlId}` };
    },
  };
}
