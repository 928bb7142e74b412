// C-CDA header (US Realm Header 2.16.840.1.113883.10.20.22.1.1) -> Patient, author Practitioner/Device,
// Organizations and the encompassing Encounter.
import type {
  Address,
  ContactPoint,
  Encounter,
  HumanName,
  Identifier,
  Organization,
  Patient,
  Practitioner,
} from '@medplum/fhirtypes';
import type { Ref as Reference } from './ccda-run.ts';
import type { XmlElement } from '../../inbound/ccda/xml/xml-element.ts';
import { collapse } from '../../inbound/ccda/xml/xml-element.ts';
import { stableId } from '../../kernel/ids.ts';
import { concept, fhirDateTime, identifierOf, periodOf } from './ccda-datatypes.ts';
import type { CcdaRun } from './ccda-run.ts';

const NAME_USE: Record<string, HumanName['use']> = {
  L: 'official',
  P: 'nickname',
  A: 'anonymous',
  ASGN: 'usual',
  C: 'old',
  OR: 'official',
  BR: 'maiden',
};
const TELECOM_USE: Record<string, ContactPoint['use']> = {
  HP: 'home',
  H: 'home',
  WP: 'work',
  MC: 'mobile',
  TMP: 'temp',
  BAD: 'old',
};
const ADDRESS_USE: Record<string, Address['use']> = {
  HP: 'home',
  H: 'home',
  WP: 'work',
  TMP: 'temp',
  BAD: 'old',
};

function own(el: XmlElement): string {
  return collapse(el.rawText());
}

export function namesOf(parent: XmlElement): HumanName[] {
  const out: HumanName[] = [];
  for (const n of parent.elements('name')) {
    if (n.attr('nullFlavor')) continue;
    const name: HumanName = {};
    const use = NAME_USE[(n.attr('use') ?? '').split(' ')[0] ?? ''];
    if (use) name.use = use;
    const given = n
      .elements('given')
      .map(own)
      .filter((s) => s !== '');
    const family = n
      .elements('family')
      .map(own)
      .filter((s) => s !== '');
    const prefix = n
      .elements('prefix')
      .map(own)
      .filter((s) => s !== '');
    const suffix = n
      .elements('suffix')
      .map(own)
      .filter((s) => s !== '');
    if (family[0]) name.family = family[0];
    if (given.length) name.given = given;
    if (prefix.length) name.prefix = prefix;
    if (suffix.length) name.suffix = suffix;
    if (!family.length && !given.length) {
      const text = own(n);
      if (text === '') continue;
      name.text = text;
    }
    const period = periodOf(n.child('validTime'));
    if (period) name.period = period;
    out.push(name);
  }
  return out;
}

export function telecomsOf(parent: XmlElement): ContactPoint[] {
  const out: ContactPoint[] = [];
  for (const t of parent.elements('telecom')) {
    const v = t.attr('value')?.trim();
    if (!v || t.attr('nullFlavor')) continue;
    const m = /^(tel|fax|mailto|http|https):\s*(.*)$/i.exec(v);
    const scheme = m?.[1]?.toLowerCase();
    const cp: ContactPoint = {
      system:
        scheme === 'fax'
          ? 'fax'
          : scheme === 'mailto'
            ? 'email'
            : scheme?.startsWith('http')
              ? 'url'
              : 'phone',
      value: scheme?.startsWith('http') ? v : (m?.[2] ?? v).trim(),
    };
    const use = TELECOM_USE[(t.attr('use') ?? '').split(' ')[0] ?? ''];
    if (use) cp.use = use;
    out.push(cp);
  }
  return out;
}

export function addressesOf(parent: XmlElement): Address[] {
  const out: Address[] = [];
  for (const a of parent.elements('addr')) {
    if (a.attr('nullFlavor')) continue;
    const addr: Address = {};
    const lines = a
      .elements('streetAddressLine')
      .map(own)
      .filter((s) => s !== '');
    if (lines.length) addr.line = lines;
    const city = a.child('city');
    if (city && own(city)) addr.city = own(city);
    const state = a.child('state');
    if (state && own(state)) addr.state = own(state);
    const zip = a.child('postalCode');
    if (zip && own(zip)) addr.postalCode = own(zip);
    const country = a.child('country');
    if (country && own(country)) addr.country = own(country);
    const use = ADDRESS_USE[(a.attr('use') ?? '').split(' ')[0] ?? ''];
    if (use) addr.use = use;
    if (Object.keys(addr).length > (use ? 1 : 0)) out.push(addr);
  }
  return out;
}

function identifiersOf(parent: XmlElement): Identifier[] {
  return parent.elements('id').flatMap((i) => {
    const id = identifierOf(i);
    return id ? [id] : [];
  });
}

/** recordTarget/patientRole -> Patient; its id is derived from its identifiers so every document for the patient agrees. */
export function mapPatient(run: CcdaRun): Reference | undefined {
  const role = run.doc.at('recordTarget/patientRole');
  if (!role) {
    run.warn(
      'required',
      '/ClinicalDocument/recordTarget',
      'no recordTarget/patientRole: the document names no patient',
    );
    return undefined;
  }
  const where = '/ClinicalDocument/recordTarget/patientRole';
  const identifier = identifiersOf(role);
  if (identifier.length === 0) run.warn('required', `${where}/id`, 'patient has no usable identifier');
  const key = identifier.map((i) => `${i.system ?? ''}|${i.value ?? ''}`).sort();
  const patient: Patient & { id: string } = {
    resourceType: 'Patient',
    id: key.length > 0 ? stableId('ccda', 'Patient', ...key) : run.id('Patient'),
  };
  if (identifier.length) patient.identifier = identifier;
  const person = role.child('patient');
  if (person) {
    const name = namesOf(person);
    if (name.length) patient.name = name;
    const g = person.child('administrativeGenderCode')?.attr('code');
    patient.gender = g === 'M' ? 'male' : g === 'F' ? 'female' : g === 'UN' ? 'other' : 'unknown';
    const birth = fhirDateTime(person.child('birthTime')?.attr('value'));
    if (birth) patient.birthDate = birth.slice(0, 10);
    const deceasedTime = fhirDateTime(person.child('sdtc:deceasedTime')?.attr('value'));
    if (deceasedTime) patient.deceasedDateTime = deceasedTime;
    else if (person.child('sdtc:deceasedInd')?.attr('value') === 'true') patient.deceasedBoolean = true;
    const marital = concept(run, person.child('maritalStatusCode'), `${where}/patient/maritalStatusCode`);
    if (marital) patient.maritalStatus = marital;
    const langs = person.all('languageCommunication/languageCode').flatMap((l) => {
      const code = l.attr('code');
      return code ? [{ language: { coding: [{ system: 'urn:ietf:bcp:47', code }] } }] : [];
    });
    if (langs.length) patient.communication = langs;
  } else run.warn('required', `${where}/patient`, 'patientRole has no patient element');
  const telecom = telecomsOf(role);
  if (telecom.length) patient.telecom = telecom;
  const address = addressesOf(role);
  if (address.length) patient.address = address;
  const ref = run.add(patient);
  run.patient = ref;
  return ref;
}

export function mapOrganization(run: CcdaRun, org: XmlElement | undefined): Reference | undefined {
  if (!org) return undefined;
  const identifier = identifiersOf(org);
  const name = org
    .elements('name')
    .map(own)
    .find((s) => s !== '');
  if (!name && identifier.length === 0) return undefined;
  const key = identifier.length ? identifier.map((i) => `${i.system}|${i.value}`).join(',') : `name:${name}`;
  const o: Organization & { id: string } = {
    resourceType: 'Organization',
    id: stableId('ccda', 'Organization', key),
  };
  if (identifier.length) o.identifier = identifier;
  if (name) o.name = name;
  const telecom = telecomsOf(org);
  if (telecom.length) o.telecom = telecom;
  const address = addressesOf(org);
  if (address.length) o.address = address;
  const ref = run.add(o);
  if (name) ref.display = name;
  return ref;
}

/** assignedAuthor / assignedEntity -> Practitioner (or the authoring device's name), with its organization. */
export function mapAssigned(run: CcdaRun, assigned: XmlElement | undefined): Reference | undefined {
  if (!assigned) return undefined;
  const person = assigned.child('assignedPerson');
  const device = assigned.child('assignedAuthoringDevice');
  const identifier = identifiersOf(assigned);
  if (person) {
    const name = namesOf(person);
    if (name.length === 0 && identifier.length === 0) return undefined;
    const key = identifier.length
      ? identifier.map((i) => `${i.system}|${i.value}`).join(',')
      : `name:${JSON.stringify(name)}`;
    const p: Practitioner & { id: string } = {
      resourceType: 'Practitioner',
      id: stableId('ccda', 'Practitioner', key),
    };
    if (identifier.length) p.identifier = identifier;
    if (name.length) p.name = name;
    const telecom = telecomsOf(assigned);
    if (telecom.length) p.telecom = telecom;
    const address = addressesOf(assigned);
    if (address.length) p.address = address;
    mapOrganization(run, assigned.child('representedOrganization'));
    return run.add(p);
  }
  if (device) {
    const words = [device.child('manufacturerModelName'), device.child('softwareName')]
      .map((e) => (e ? own(e) : ''))
      .filter((s) => s !== '');
    return (
      mapOrganization(run, assigned.child('representedOrganization')) ?? {
        display: words.join(' ') || 'authoring device',
      }
    );
  }
  return mapOrganization(run, assigned.child('representedOrganization'));
}

/** componentOf/encompassingEncounter -> Encounter. */
export function mapEncompassingEncounter(run: CcdaRun): Reference | undefined {
  const enc = run.doc.at('componentOf/encompassingEncounter');
  if (!enc) return undefined;
  const where = '/ClinicalDocument/componentOf/encompassingEncounter';
  const identifier = identifiersOf(enc);
  const period = periodOf(enc.child('effectiveTime'));
  const e: Encounter & { id: string } = {
    resourceType: 'Encounter',
    id: run.id('Encounter', 'encompassing'),
    status: period?.end ? 'finished' : 'unknown',
    class: encounterClass(enc.child('code')),
  };
  if (identifier.length) e.identifier = identifier;
  const type = concept(run, enc.child('code'), `${where}/code`);
  if (type) e.type = [type];
  if (period) e.period = period;
  if (run.patient) e.subject = run.patient;
  const disposition = concept(
    run,
    enc.child('dischargeDispositionCode'),
    `${where}/dischargeDispositionCode`,
  );
  if (disposition) e.hospitalization = { dischargeDisposition: disposition };
  const attender = mapAssigned(
    run,
    enc.at('encounterParticipant/assignedEntity') ?? enc.at('responsibleParty/assignedEntity'),
  );
  if (attender?.reference) e.participant = [{ individual: attender }];
  const location = enc.at('location/healthCareFacility');
  const locName = location
    ? own(location.at('location/name') ?? location.at('serviceProviderOrganization/name') ?? location)
    : '';
  if (locName) e.location = [{ location: { display: locName } }];
  const ref = run.add(e);
  run.encounter = ref;
  return ref;
}

/** Encounter.class (v3 ActCode) from a code or its translation in ActCode; ambulatory when none says. */
export function encounterClass(code: XmlElement | undefined): {
  system: string;
  code: string;
  display?: string;
} {
  const system = 'http://terminology.hl7.org/CodeSystem/v3-ActCode';
  const candidates = code ? [code, ...code.elements('translation')] : [];
  for (const c of candidates) {
    const v = c.attr('code');
    if (
      c.attr('codeSystem') === '2.16.840.1.113883.5.4' &&
      v &&
      ['AMB', 'EMER', 'IMP', 'ACUTE', 'NONAC', 'OBSENC', 'PRENC', 'SS', 'VR', 'HH', 'FLD'].includes(v)
    )
      return { system, code: v };
  }
  return { system, code: 'AMB', display: 'ambulatory' };
}
