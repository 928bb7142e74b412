// HL7 v2 data types to FHIR R4 (after the HL7 v2-to-FHIR IG): DTM/TS, CWE, CX, XPN, XAD, XTN, XCN.
import type { Hl7Segment } from '../../inbound/hl7v2/hl7-message.ts';
import { CodeSystem } from '../../kernel/code-map.ts';
import type { Address, ContactPoint } from '@medplum/fhirtypes';
import type { CodeableConcept, Coding, HumanName, Identifier, Quantity } from '../../kernel/fhir.ts';
import type { Issue } from '../../kernel/result.ts';
import { warningIssue } from '../../kernel/result.ts';
import { IDENTIFIER_TYPE } from './code-tables.ts';

const DTM = /^(\d{4})(\d{2})?(\d{2})?(?:(\d{2})(\d{2})?(?:(\d{2})(\.\d{1,4})?)?)?([+-]\d{4})?$/;

/** DTM/TS -> FHIR date (YYYY, YYYY-MM or YYYY-MM-DD); undefined when it is not a date. */
export function toFhirDate(value: string): string | undefined {
  const m = DTM.exec(value.trim());
  if (!m) return undefined;
  const [, y, mo, d] = m;
  if (mo !== undefined && (Number(mo) < 1 || Number(mo) > 12)) return undefined;
  if (d !== undefined && (Number(d) < 1 || Number(d) > 31)) return undefined;
  return [y, mo, d].filter((p) => p !== undefined).join('-');
}

/**
 * DTM/TS -> FHIR dateTime. FHIR needs an offset once a time is given; a value without one takes `defaultOffset`
 * (the sender's MSH-7 offset when the caller has it), else UTC.
 */
export function toFhirDateTime(value: string, defaultOffset?: string): string | undefined {
  const m = DTM.exec(value.trim());
  if (!m) return undefined;
  const date = toFhirDate(value);
  if (date === undefined) return undefined;
  const [, , , , hh, mi, ss, frac, zone] = m;
  if (hh === undefined || m[3] === undefined) return date;
  if (Number(hh) > 23 || Number(mi ?? 0) > 59 || Number(ss ?? 0) > 60) return undefined;
  const offset = zone ?? defaultOffset;
  const tz =
    offset === undefined || offset === '+0000' || offset === '-0000'
      ? 'Z'
      : `${offset.slice(0, 3)}:${offset.slice(3)}`;
  return `${date}T${hh}:${mi ?? '00'}:${ss ?? '00'}${frac ?? ''}${tz}`;
}

/** The ±ZZZZ offset of a DTM, if it has one. */
export function offsetOf(value: string): string | undefined {
  return DTM.exec(value.trim())?.[8];
}

/** HL7 coding system names (table 0396) to FHIR system URIs. */
const CODING_SYSTEMS: Record<string, string> = {
  LN: CodeSystem.Loinc,
  LOINC: CodeSystem.Loinc,
  SCT: CodeSystem.Snomed,
  SNM: CodeSystem.Snomed,
  SNOMEDCT: CodeSystem.Snomed,
  SNOMED: CodeSystem.Snomed,
  RXNORM: CodeSystem.RxNorm,
  RXN: CodeSystem.RxNorm,
  NDC: CodeSystem.Ndc,
  I10: CodeSystem.Icd10Cm,
  I10C: CodeSystem.Icd10Cm,
  ICD10: CodeSystem.Icd10Cm,
  ICD10CM: CodeSystem.Icd10Cm,
  I9: 'http://hl7.org/fhir/sid/icd-9-cm',
  I9C: 'http://hl7.org/fhir/sid/icd-9-cm',
  ICD9: 'http://hl7.org/fhir/sid/icd-9-cm',
  CVX: CodeSystem.Cvx,
  UCUM: CodeSystem.Ucum,
  CPT: 'http://www.ama-assn.org/go/cpt',
  C4: 'http://www.ama-assn.org/go/cpt',
  // HL7 v2.5.1 table 0396 names used by pharmacy and immunization feeds (CDC IIS IG: MVX manufacturers, NCIT routes).
  MVX: 'http://hl7.org/fhir/sid/mvx',
  NCIT: 'http://ncicb.nci.nih.gov/xml/owl/EVS/Thesaurus.owl',
  NCI: 'http://ncicb.nci.nih.gov/xml/owl/EVS/Thesaurus.owl',
  UNII: 'http://fdasis.nlm.nih.gov',
  NDFRT: 'http://hl7.org/fhir/ndfrt',
};

/** A FHIR system for an HL7 coding system name; local names keep their name in an RxBridge URN. */
export function codingSystemUri(name: string): string | undefined {
  const key = name.trim().toUpperCase();
  if (key === '') return undefined;
  const known = CODING_SYSTEMS[key];
  if (known) return known;
  const table = /^HL7(\d{4})$/.exec(key);
  if (table) return `http://terminology.hl7.org/CodeSystem/v2-${table[1]}`;
  if (/^(https?:|urn:)/i.test(name)) return name;
  return `urn:rxbridge:cs:${encodeURIComponent(name.trim())}`;
}

function coding(code: string, display: string, system: string): Coding | undefined {
  if (code === '' && display === '') return undefined;
  const c: Coding = {};
  const uri = codingSystemUri(system);
  if (uri !== undefined) c.system = uri;
  if (code !== '') c.code = code;
  if (display !== '') c.display = display;
  return c;
}

/** CE/CWE/CNE (components 1-3 and the alternate 4-6, original text 9) at `field`, repetition `rep`. */
export function toCodeableConcept(seg: Hl7Segment, field: number, rep = 1): CodeableConcept | undefined {
  const read = (c: number): string => seg.read(field, rep, c, 0);
  const codings = [coding(read(1), read(2), read(3)), coding(read(4), read(5), read(6))].filter(
    (c): c is Coding => c !== undefined && c.code !== undefined,
  );
  const text = read(9) || read(2) || (codings.length === 0 ? read(1) : '');
  if (codings.length === 0 && text === '') return undefined;
  const cc: CodeableConcept = {};
  if (codings.length > 0) cc.coding = codings;
  if (text !== '') cc.text = text;
  return cc;
}

const LOCAL_AUTHORITY_PREFIX = 'urn:rxbridge:aa:';

/** The identifier system for an assigning authority known only by its namespace (HD.1), e.g. `GENHOSP`. */
export function localAuthoritySystem(namespace: string): string {
  return `${LOCAL_AUTHORITY_PREFIX}${encodeURIComponent(namespace)}`;
}

/** The assigning authority's namespace back from a system made by localAuthoritySystem; undefined otherwise. */
export function localAuthorityOf(system: string | undefined): string | undefined {
  if (system === undefined || !system.startsWith(LOCAL_AUTHORITY_PREFIX)) return undefined;
  try {
    return decodeURIComponent(system.slice(LOCAL_AUTHORITY_PREFIX.length));
  } catch {
    return system.slice(LOCAL_AUTHORITY_PREFIX.length);
  }
}

/** HD (assigning authority) -> an identifier system: a given OID or URI, else `urn:rxbridge:aa:<namespace>`. */
export function authoritySystem(
  namespace: string,
  universalId: string,
  universalIdType: string,
): string | undefined {
  const type = universalIdType.toUpperCase();
  if (universalId !== '') {
    if (type === 'ISO' || /^\d+(\.\d+)+$/.test(universalId)) return `urn:oid:${universalId}`;
    if (type === 'URI' || /^(https?:|urn:)/i.test(universalId)) return universalId;
    if (type === 'UUID') return `urn:uuid:${universalId.toLowerCase()}`;
  }
  if (namespace === '') return undefined;
  if (/^(https?:|urn:)/i.test(namespace)) return namespace;
  return localAuthoritySystem(namespace);
}

/** The US SSN system when the identifier says so (CX.5 SS from SSA). */
const SSN_SYSTEM = 'http://hl7.org/fhir/sid/us-ssn';

/** CX -> Identifier (PID-3, PV1-19). Type from CX.5 via v2-0203. */
export function toIdentifier(seg: Hl7Segment, field: number, rep: number): Identifier | undefined {
  const value = seg.read(field, rep, 1, 0);
  if (value === '') return undefined;
  const namespace = seg.read(field, rep, 4, 1);
  const typeCode = seg.read(field, rep, 5, 0);
  const id: Identifier = { value };
  const system =
    typeCode === 'SS' && /^(USSSA|SSA|SSN|)$/i.test(namespace)
      ? SSN_SYSTEM
      : authoritySystem(namespace, seg.read(field, rep, 4, 2), seg.read(field, rep, 4, 3));
  if (system !== undefined) id.system = system;
  if (typeCode !== '') {
    const row = IDENTIFIER_TYPE.lookup(typeCode);
    id.type = {
      coding: [{ system: CodeSystem.V2_0203, code: typeCode, ...(row ? { display: row.display } : {}) }],
    };
  }
  if (namespace !== '') id.assigner = { display: namespace };
  return id;
}

/** HL7 table 0200 name type -> HumanName.use. */
const NAME_USE: Record<string, HumanName['use']> = {
  L: 'official',
  D: 'usual',
  M: 'maiden',
  N: 'nickname',
  A: 'anonymous',
  S: 'anonymous',
  TEMP: 'temp',
  BAD: 'old',
};

/** XPN -> HumanName; `offset` shifts the components for XCN, whose name starts at component 2. */
export function toHumanName(seg: Hl7Segment, field: number, rep: number, offset = 0): HumanName | undefined {
  const read = (c: number, s = 0): string => seg.read(field, rep, c + offset, s);
  const name: HumanName = {};
  const family = read(1, 1);
  const given = [read(2), read(3)].filter((g) => g !== '');
  if (family !== '') name.family = family;
  if (given.length > 0) name.given = given;
  const suffix = [read(4), read(6)].filter((s) => s !== '');
  if (suffix.length > 0) name.suffix = suffix;
  if (read(5) !== '') name.prefix = [read(5)];
  if (name.family === undefined && name.given === undefined) return undefined;
  const use = NAME_USE[read(offset === 0 ? 7 : 9).toUpperCase()];
  if (use !== undefined) name.use = use;
  return name;
}

/** HL7 table 0190 address type -> Address.use/type. */
export function toAddress(seg: Hl7Segment, field: number, rep: number): Address | undefined {
  const read = (c: number, s = 0): string => seg.read(field, rep, c, s);
  const a: Address = {};
  const line = [read(1, 1) || read(1), read(2)].filter((l) => l !== '');
  if (line.length > 0) a.line = line;
  if (read(3) !== '') a.city = read(3);
  if (read(4) !== '') a.state = read(4);
  if (read(5) !== '') a.postalCode = read(5);
  if (read(6) !== '') a.country = read(6);
  if (Object.keys(a).length === 0) return undefined;
  switch (read(7).toUpperCase()) {
    case 'H':
    case 'P':
      a.use = 'home';
      break;
    case 'B':
    case 'O':
      a.use = 'work';
      break;
    case 'C':
      a.use = 'temp';
      break;
    case 'BA':
    case 'OLD':
      a.use = 'old';
      break;
    case 'M':
      a.type = 'postal';
      break;
  }
  return a;
}

/** XTN -> ContactPoint; `defaultUse` from the field (PID-13 home, PID-14 work). */
export function toContactPoint(
  seg: Hl7Segment,
  field: number,
  rep: number,
  defaultUse: ContactPoint['use'],
): ContactPoint | undefined {
  const read = (c: number): string => seg.read(field, rep, c, 0);
  const useCode = read(2).toUpperCase();
  const equipment = read(3).toUpperCase();
  const email = read(4);
  const cp: ContactPoint = {};
  if (email !== '' && (equipment === 'INTERNET' || equipment === 'X.400' || useCode === 'NET')) {
    cp.system = 'email';
    cp.value = email;
  } else {
    const built = [
      read(5) ? `+${read(5)} ` : '',
      read(6) ? `(${read(6)}) ` : '',
      read(7),
      read(8) ? ` x${read(8)}` : '',
    ]
      .join('')
      .trim();
    const value = read(1) || built;
    if (value === '') return undefined;
    cp.value = value;
    cp.system = equipment === 'FX' ? 'fax' : equipment === 'BP' ? 'pager' : 'phone';
  }
  const use: ContactPoint['use'] =
    equipment === 'CP' ? 'mobile' : useCode === 'WPN' ? 'work' : useCode === 'PRN' ? 'home' : defaultUse;
  if (use !== undefined) cp.use = use;
  return cp;
}

/** Reports a value that could not be read, once, as a warning (never the value itself: it may be PHI). */
export function unreadable(issues: Issue[], path: string, what: string): void {
  issues.push(warningIssue('value', path, `${what} could not be read and was left out`));
}

/** Unit spellings senders use for doses and durations -> UCUM (only where the meaning is certain). */
const UCUM_UNITS: Record<string, string> = {
  MG: 'mg',
  G: 'g',
  GM: 'g',
  KG: 'kg',
  MCG: 'ug',
  UG: 'ug',
  NG: 'ng',
  ML: 'mL',
  L: 'L',
  MEQ: 'meq',
  MMOL: 'mmol',
  '%': '%',
  'MG/HR': 'mg/h',
  'MG/H': 'mg/h',
  'ML/HR': 'mL/h',
  'ML/H': 'mL/h',
  'MCG/MIN': 'ug/min',
  'MG/KG': 'mg/kg',
};

/** UCUM duration units for HL7 duration codes (TQ1-6, RPT period units): s, min, h, d, wk, mo, a. */
export const DURATION_UNITS: Record<string, 's' | 'min' | 'h' | 'd' | 'wk' | 'mo' | 'a'> = {
  S: 's',
  SEC: 's',
  M: 'min',
  MIN: 'min',
  H: 'h',
  HR: 'h',
  HOUR: 'h',
  D: 'd',
  DAY: 'd',
  DAYS: 'd',
  W: 'wk',
  WK: 'wk',
  WEEK: 'wk',
  L: 'mo',
  MO: 'mo',
  MONTH: 'mo',
  Y: 'a',
  A: 'a',
  YR: 'a',
};

/** A v2 unit (CWE code, text, coding system) as parts of a FHIR Quantity. */
export interface Hl7Unit {
  code: string;
  text: string;
  system: string;
}

/** CWE unit at field/component of a segment (component 0: the field's own components). */
export function readUnit(seg: Hl7Segment, field: number, component = 0, rep = 1): Hl7Unit {
  if (component === 0)
    return {
      code: seg.read(field, rep, 1, 0),
      text: seg.read(field, rep, 2, 0),
      system: seg.read(field, rep, 3, 0),
    };
  return {
    code: seg.read(field, rep, component, 1),
    text: seg.read(field, rep, component, 2),
    system: seg.read(field, rep, component, 3),
  };
}

/** A number and its v2 unit -> Quantity: UCUM when the sender says UCUM or the unit is a known UCUM spelling. */
export function toQuantity(value: string, unit?: Hl7Unit): Quantity | undefined {
  const text = value.trim();
  if (!/^[+-]?(\d+\.?\d*|\.\d+)$/.test(text)) return undefined;
  const q: Quantity = { value: Number(text) };
  if (!unit) return q;
  const label = unit.text || unit.code;
  if (label !== '') q.unit = label;
  const system = unit.system.toUpperCase();
  const ucum = system === 'UCUM' ? unit.code : UCUM_UNITS[unit.code.toUpperCase()];
  if (ucum !== undefined && ucum !== '') {
    q.system = CodeSystem.Ucum;
    q.code = ucum;
  } else if (unit.code !== '' && system !== '' && system !== 'UCUM' && system !== 'ISO+') {
    const uri = codingSystemUri(unit.system);
    if (uri !== undefined) {
      q.system = uri;
      q.code = unit.code;
    }
  }
  return q;
}

/** EI (entity identifier: ORC-2/3, placer/filler numbers) -> Identifier, typed PLAC/FILL when asked. */
export function toEntityIdentifier(
  seg: Hl7Segment,
  field: number,
  fallbackSystem: string,
  type?: 'PLAC' | 'FILL',
): Identifier | undefined {
  const value = seg.read(field, 1, 1, 0);
  if (value === '') return undefined;
  const system =
    authoritySystem(seg.read(field, 1, 2, 0), seg.read(field, 1, 3, 0), seg.read(field, 1, 4, 0)) ??
    fallbackSystem;
  const id: Identifier = { system, value };
  if (type)
    id.type = {
      coding: [
        {
          system: CodeSystem.V2_0203,
          code: type,
          display: type === 'PLAC' ? 'Placer Identifier' : 'Filler Identifier',
        },
      ],
    };
  return id;
}
