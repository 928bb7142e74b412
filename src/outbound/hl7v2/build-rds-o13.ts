// FHIR MedicationDispense -> HL7 v2.5.1 RDS^O13 for EHRs that take dispenses as v2 (ch. 4A.3.11 RDS_O13: MSH, PID,
// ORC, RXD, RXR). Every text value goes through encodeHl7Text.
import type { CodeableConcept, MedicationDispense, MedicationRequest, Patient } from '../../kernel/fhir.ts';
import { CodeSystem } from '../../kernel/code-map.ts';
import { ROUTE } from '../../normalize/hl7v2/code-tables.ts';
import type { Hl7OutboundContext } from './hl7-writer.ts';
import { cwe, field, msh, pid, segment, toDtm } from './hl7-writer.ts';

export interface RdsO13Context extends Hl7OutboundContext {
  patient?: Patient;
  /** The order the dispense fills: its placer number goes to ORC-2. */
  order?: MedicationRequest;
  /** ORC-12 / RXD-10 dispensing pharmacist as XCN text (`id^family^given`), already HL7-encoded. */
  dispensingProvider?: string;
}

const MEDICATION_SYSTEMS = [CodeSystem.RxNorm, CodeSystem.Ndc];

/** Route CodeableConcept -> CWE in table 0162 (the sender's v2 coding, else the SNOMED CT code mapped back). */
export function routeCwe(route: CodeableConcept | undefined): string {
  if (!route) return '';
  const v2 = route.coding?.find((c) => c.system === 'http://terminology.hl7.org/CodeSystem/v2-0162');
  if (v2?.code) return field(v2.code, v2.display, 'HL70162');
  const snomed = route.coding?.find((c) => c.system === CodeSystem.Snomed);
  const row = ROUTE.rows.find((r) => r.to === snomed?.code && !/^C\d+$/.test(r.from));
  if (row) return field(row.from, row.display, 'HL70162');
  return cwe(route);
}

export function buildRdsO13(dispense: MedicationDispense, context: RdsO13Context): string {
  const rxNumber =
    dispense.identifier?.[0]?.value ??
    dispense.authorizingPrescription?.[0]?.identifier?.value ??
    context.order?.identifier?.find((i) => i.type?.text === 'Prescription number')?.value ??
    '';
  const placer = context.order?.identifier?.find((i) => i.type?.coding?.[0]?.code === 'PLAC');
  const orcFields: string[] = [];
  orcFields[0] = 'RE';
  orcFields[1] = placer?.value ? field(placer.value) : '';
  orcFields[2] = field(rxNumber);
  orcFields[4] = dispense.status === 'completed' ? 'CM' : dispense.status === 'in-progress' ? 'IP' : '';
  orcFields[8] = toDtm(dispense.whenHandedOver);
  const dosage = dispense.dosageInstruction?.[0];
  const rxd: string[] = [];
  rxd[0] = '1';
  rxd[1] = cwe(dispense.medicationCodeableConcept, MEDICATION_SYSTEMS);
  rxd[2] = toDtm(dispense.whenHandedOver ?? dispense.whenPrepared);
  rxd[3] = dispense.quantity?.value === undefined ? '' : String(dispense.quantity.value);
  rxd[4] = dispense.quantity?.unit
    ? field(dispense.quantity.code ?? dispense.quantity.unit, dispense.quantity.unit)
    : '';
  rxd[6] = field(rxNumber);
  rxd[8] = (dispense.note ?? []).map((n) => field(n.text)).join('~');
  rxd[9] = context.dispensingProvider ?? '';
  const type = dispense.type?.coding?.find(
    (c) => c.system === 'http://terminology.hl7.org/CodeSystem/v2-0484',
  );
  rxd[32] = type?.code ? field(type.code, type.display, 'HL70484') : '';
  const segments = [
    msh(context, 'RDS^O13', 'RDS_O13'),
    pid(context.patient),
    segment(
      'ORC',
      Array.from(orcFields, (f) => f ?? ''),
    ),
  ];
  const timing = dosage?.timing?.code?.coding?.find(
    (c) => c.system === 'http://terminology.hl7.org/CodeSystem/v2-0335',
  )?.code;
  if (timing) segments.push(segment('TQ1', ['1', '', field(timing)]));
  segments.push(
    segment(
      'RXD',
      Array.from(rxd, (f) => f ?? ''),
    ),
  );
  const route = routeCwe(dosage?.route);
  if (route !== '') segments.push(segment('RXR', [route]));
  return segments.join('\r');
}
