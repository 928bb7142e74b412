// FHIR Immunization (+ Patient) -> HL7 v2.5.1 VXU^V04 for immunization registries (CDC IIS IG release 1.5, profile
// Z22): MSH, PID, ORC, RXA (CVX, date, dose, lot, MVX, status), RXR (NCIT or table 0162 route, table 0163 site).
import type { Immunization, Patient } from '@medplum/fhirtypes';
import { CodeSystem } from '../../kernel/code-map.ts';
import type { Hl7OutboundContext } from './hl7-writer.ts';
import { cwe, field, msh, pid, segment, toDtm } from './hl7-writer.ts';
import { routeCwe } from './build-rds-o13.ts';
import { localAuthorityOf } from '../../normalize/hl7v2/hl7-datatypes.ts';

const NCIT = 'http://ncicb.nci.nih.gov/xml/owl/EVS/Thesaurus.owl';

/** RXA-20 completion status (table 0322) and RXA-21 action code (table 0323) from the FHIR status. */
function statusCodes(immunization: Immunization): { completion: string; action: string } {
  switch (immunization.status) {
    case 'completed':
      return { completion: immunization.isSubpotent ? 'PA' : 'CP', action: 'A' };
    case 'not-done':
      return { completion: immunization.statusReason ? 'RE' : 'NA', action: 'A' };
    case 'entered-in-error':
      return { completion: 'CP', action: 'D' };
    default:
      return { completion: '', action: 'A' };
  }
}

export function buildVxuV04(
  immunization: Immunization,
  patient: Patient,
  context: Hl7OutboundContext,
): string {
  const { completion, action } = statusCodes(immunization);
  const filler =
    immunization.identifier?.find((i) => i.type?.coding?.[0]?.code === 'FILL') ??
    immunization.identifier?.[0];
  const orc: string[] = [];
  orc[0] = 'RE';
  // CDC IIS IG: ORC-3 filler order number is required (the sender's id for this immunization record).
  orc[2] = field(filler?.value ?? immunization.id ?? '', encodeAuthority(filler?.system));
  const dose = immunization.doseQuantity;
  const rxa: string[] = [];
  rxa[0] = '0';
  rxa[1] = '1';
  rxa[2] = toDtm(immunization.occurrenceDateTime);
  rxa[4] = cwe(immunization.vaccineCode, [CodeSystem.Cvx, CodeSystem.Ndc]);
  // CDC IIS IG: 999 when the amount is unknown (historical or not administered).
  rxa[5] = dose?.value === undefined ? '999' : String(dose.value);
  rxa[6] =
    dose?.value === undefined
      ? ''
      : field(dose.code ?? dose.unit, dose.unit, dose.system === CodeSystem.Ucum ? 'UCUM' : '');
  // RXA-9 information source (NIP001): 00 new record when we are the primary source, 01+ historical; unsaid stays empty.
  rxa[8] =
    immunization.primarySource === false
      ? cwe(immunization.reportOrigin) || field('01', 'Historical information - source unspecified', 'NIP001')
      : immunization.primarySource === true
        ? field('00', 'New immunization record', 'NIP001')
        : '';
  rxa[14] = field(immunization.lotNumber);
  rxa[15] = toDtm(immunization.expirationDate);
  rxa[17] = immunization.status === 'not-done' ? cwe(immunization.statusReason) : '';
  rxa[19] = completion;
  rxa[20] = action;
  rxa[21] = toDtm(immunization.recorded);
  const segments = [
    msh(context, 'VXU^V04', 'VXU_V04', 'Z22^CDCPHINVS'),
    pid(patient),
    segment(
      'ORC',
      Array.from(orc, (f) => f ?? ''),
    ),
    segment(
      'RXA',
      Array.from(rxa, (f) => f ?? ''),
    ),
  ];
  const ncit = immunization.route?.coding?.find((c) => c.system === NCIT);
  const route = ncit?.code ? field(ncit.code, ncit.display, 'NCIT') : routeCwe(immunization.route);
  const site = cwe(immunization.site);
  if (route !== '' || site !== '') segments.push(segment('RXR', [route, site]));
  return segments.join('\r');
}

function encodeAuthority(system: string | undefined): string {
  return localAuthorityOf(system) ?? '';
}
