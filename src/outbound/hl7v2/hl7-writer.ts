// Building HL7 v2.5.1 text from FHIR: escaped components, DTM timestamps, coding-system names, MSH and PID.
import { encodeHl7Text } from '../../inbound/hl7v2/hl7-escape.ts';
import type { CodeableConcept, Coding, Identifier, Patient } from '../../kernel/fhir.ts';
import { CodeSystem } from '../../kernel/code-map.ts';
import { localAuthorityOf } from '../../normalize/hl7v2/hl7-datatypes.ts';

/** Who sends to whom; `now` stamps MSH-7 and `controlId` is MSH-10 (the caller keeps it unique per sender). */
export interface Hl7OutboundContext {
  sendingApplication: string;
  sendingFacility: string;
  receivingApplication: string;
  receivingFacility: string;
  controlId: string;
  now: Date;
  /** MSH-11: P production, T training, D debugging. */
  processingId?: 'P' | 'T' | 'D';
}

/** One field from its components: each escaped (ch. 2.7), trailing empty components dropped. */
export function field(...components: (string | undefined)[]): string {
  const parts = components.map((c) => encodeHl7Text(c ?? ''));
  while (parts.length > 0 && parts[parts.length - 1] === '') parts.pop();
  return parts.join('^');
}

/** A segment from its fields (index 0 = field 1); trailing empty fields dropped. */
export function segment(name: string, fields: readonly string[]): string {
  const out = [...fields];
  while (out.length > 0 && out[out.length - 1] === '') out.pop();
  return [name, ...out].join('|');
}

/** FHIR date/dateTime/instant -> HL7 DTM (YYYY[MM[DD[HHMM[SS]]]][+/-ZZZZ]). */
export function toDtm(value: string | undefined): string {
  if (!value) return '';
  const m =
    /^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?(?:T(\d{2}):(\d{2})(?::(\d{2}))?(?:\.\d+)?(Z|[+-]\d{2}:\d{2})?)?$/.exec(
      value,
    );
  if (!m) return '';
  const [, y, mo = '', d = '', hh = '', mi = '', ss = '', zone] = m;
  const tz = zone === undefined ? '' : zone === 'Z' ? '+0000' : zone.replace(':', '');
  return `${y}${mo}${d}${hh}${mi}${ss}${hh === '' ? '' : tz}`;
}

/** A Date as DTM in UTC with seconds. */
export function dateToDtm(date: Date): string {
  return toDtm(date.toISOString().replace(/\.\d{3}Z$/, 'Z'));
}

const SYSTEM_NAMES: Record<string, string> = {
  [CodeSystem.RxNorm]: 'RXNORM',
  [CodeSystem.Ndc]: 'NDC',
  [CodeSystem.Cvx]: 'CVX',
  [CodeSystem.Loinc]: 'LN',
  [CodeSystem.Snomed]: 'SCT',
  [CodeSystem.Icd10Cm]: 'I10',
  [CodeSystem.Ucum]: 'UCUM',
  'http://hl7.org/fhir/sid/mvx': 'MVX',
  'http://ncicb.nci.nih.gov/xml/owl/EVS/Thesaurus.owl': 'NCIT',
};

/** A FHIR system URI -> the HL7 table 0396 name (RXNORM, NDC, CVX, HL70162 ...); '' when none is known. */
export function systemName(uri: string | undefined): string {
  if (!uri) return '';
  const known = SYSTEM_NAMES[uri];
  if (known) return known;
  const table = /^http:\/\/terminology\.hl7\.org\/CodeSystem\/v2-(\d{4})$/.exec(uri);
  if (table) return `HL7${table[1]}`;
  const local = /^urn:rxbridge:cs:(.+)$/.exec(uri);
  if (local) return decodeURIComponent(local[1] ?? '');
  return '';
}

/** CodeableConcept -> CWE: the preferred coding (by system order), an alternate, and the original text (CWE.9). */
export function cwe(cc: CodeableConcept | undefined, prefer: readonly string[] = []): string {
  if (!cc) return '';
  const codings = [...(cc.coding ?? [])].filter((c) => c.code);
  codings.sort((a, b) => rank(a, prefer) - rank(b, prefer));
  const [first, second] = codings;
  const parts: (string | undefined)[] = [
    first?.code,
    first?.display ?? (first ? cc.text : undefined),
    systemName(first?.system),
    second?.code,
    second?.display,
    systemName(second?.system),
  ];
  if (!first && cc.text) parts.push('', '', cc.text);
  else if (cc.text && cc.text !== first?.display) parts.push('', '', cc.text);
  return field(...parts);
}

function rank(c: Coding, prefer: readonly string[]): number {
  const i = prefer.indexOf(c.system ?? '');
  return i === -1 ? prefer.length : i;
}

/** Identifier -> CX (value ^^^ assigning authority ^ type). */
export function cx(id: Identifier): string {
  const system = id.system ?? '';
  const aa = localAuthorityOf(system);
  const oid = /^urn:oid:(.+)$/.exec(system);
  let authority = '';
  if (aa !== undefined) authority = encodeHl7Text(aa);
  else if (oid)
    authority = `${id.assigner?.display ? encodeHl7Text(id.assigner.display) : ''}&${oid[1] ?? ''}&ISO`;
  else if (system === 'http://hl7.org/fhir/sid/us-ssn') authority = 'SSA';
  else if (id.assigner?.display) authority = encodeHl7Text(id.assigner.display);
  const type = id.type?.coding?.[0]?.code ?? '';
  const parts = [encodeHl7Text(id.value ?? ''), '', '', authority, encodeHl7Text(type)];
  while (parts.length > 0 && parts[parts.length - 1] === '') parts.pop();
  return parts.join('^');
}

export function msh(context: Hl7OutboundContext, type: string, structure: string, profile?: string): string {
  return [
    'MSH',
    '^~\\&',
    encodeHl7Text(context.sendingApplication),
    encodeHl7Text(context.sendingFacility),
    encodeHl7Text(context.receivingApplication),
    encodeHl7Text(context.receivingFacility),
    dateToDtm(context.now),
    '',
    `${type}^${structure}`,
    encodeHl7Text(context.controlId),
    context.processingId ?? 'P',
    '2.5.1',
    '',
    '',
    profile ? 'ER' : '',
    profile ? 'AL' : '',
    '',
    '',
    '',
    '',
    profile ?? '',
  ]
    .join('|')
    .replace(/\|+$/, '');
}

const SEX: Record<string, string> = { male: 'M', female: 'F', other: 'O', unknown: 'U' };

/** Patient -> PID (identifiers, name, birth date, sex, address, phone). */
export function pid(patient: Patient | undefined, fallbackIds: readonly Identifier[] = []): string {
  const ids = patient?.identifier?.length ? patient.identifier : fallbackIds;
  const name = patient?.name?.[0];
  const address = patient?.address?.[0];
  const phone = patient?.telecom?.find((t) => t.system === 'phone');
  const fields: string[] = [];
  fields[0] = '1';
  fields[2] = ids.map(cx).join('~');
  fields[4] = name
    ? field(name.family, name.given?.[0], name.given?.[1], name.suffix?.[0], name.prefix?.[0])
    : '';
  fields[6] = (patient?.birthDate ?? '').replace(/-/g, '');
  fields[7] = SEX[patient?.gender ?? ''] ?? '';
  fields[10] = address
    ? field(
        address.line?.[0],
        address.line?.[1],
        address.city,
        address.state,
        address.postalCode,
        address.country,
      )
    : '';
  fields[12] = phone?.value ? field(phone.value) : '';
  return segment(
    'PID',
    Array.from(fields, (f) => f ?? ''),
  );
}
