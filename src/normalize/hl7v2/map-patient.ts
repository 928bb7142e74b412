// PID (+ PD1-4 primary care provider) -> Patient (+ Practitioner), after the HL7 v2-to-FHIR IG segment maps.
import type { Hl7Segment } from '../../inbound/hl7v2/hl7-message.ts';
import { stableId } from '../../kernel/ids.ts';
import type { Practitioner } from '@medplum/fhirtypes';
import type { Identifier, Patient, Reference } from '../../kernel/fhir.ts';
import { warningIssue } from '../../kernel/result.ts';
import { ADMINISTRATIVE_GENDER } from './code-tables.ts';
import {
  toAddress,
  toContactPoint,
  toFhirDate,
  toFhirDateTime,
  toHumanName,
  toIdentifier,
  unreadable,
  localAuthoritySystem,
} from './hl7-datatypes.ts';
import type { MapRun } from './map-context.ts';

/** The key a patient is known by across messages: first identifier with its system (or the message, if none). */
export function patientKey(run: MapRun, identifiers: readonly Identifier[]): string {
  const first =
    identifiers.find((i) => i.value !== undefined && i.type?.coding?.[0]?.code !== 'SS') ?? identifiers[0];
  if (first?.value !== undefined) return `${first.system ?? `sender:${run.sender}`}|${first.value}`;
  return `message:${run.sender}|${run.msg.controlId}`;
}

export interface MappedPatient {
  reference: Reference<Patient>;
  /** Stable across messages for the same person; resources owned by the patient derive their ids from it. */
  key: string;
}

export function mapPatient(run: MapRun, pid: Hl7Segment): MappedPatient {
  const identifiers: Identifier[] = [];
  const reps = pid.repetitions(3);
  for (let r = 1; r <= reps; r++) {
    const id = toIdentifier(pid, 3, r);
    if (id) identifiers.push(id);
  }
  // v2.3 and earlier senders put the external id in PID-2 (withdrawn later).
  if (identifiers.length === 0 && pid.get('2.1') !== '') {
    const id = toIdentifier(pid, 2, 1);
    if (id) identifiers.push(id);
  }
  if (identifiers.length === 0) {
    run.issues.push(
      warningIssue('required', 'PID-3', 'no patient identifier; the Patient is tied to this message only'),
    );
  }
  const key = patientKey(run, identifiers);
  const patient: Patient & { id: string } = {
    resourceType: 'Patient',
    id: stableId('hl7v2', 'Patient', key),
  };
  if (identifiers.length > 0) patient.identifier = identifiers;

  const names = [];
  for (let r = 1; r <= pid.repetitions(5); r++) {
    const n = toHumanName(pid, 5, r);
    if (n) names.push(n);
  }
  if (names.length > 0) patient.name = names;

  const dob = pid.get('7.1');
  if (dob !== '') {
    const date = toFhirDate(dob);
    if (date) patient.birthDate = date;
    else unreadable(run.issues, 'PID-7', 'date of birth');
  }
  const sex = pid.get('8.1');
  if (sex !== '') {
    const g = ADMINISTRATIVE_GENDER.lookup(sex);
    if (g) patient.gender = g.to as NonNullable<Patient['gender']>;
    else
      run.issues.push(
        warningIssue('value', 'PID-8', 'administrative sex is not a table 0001 code; left out'),
      );
  }
  const addresses = [];
  for (let r = 1; r <= pid.repetitions(11); r++) {
    const a = toAddress(pid, 11, r);
    if (a) addresses.push(a);
  }
  if (addresses.length > 0) patient.address = addresses;
  const telecom = [];
  for (let r = 1; r <= pid.repetitions(13); r++) {
    const t = toContactPoint(pid, 13, r, 'home');
    if (t) telecom.push(t);
  }
  for (let r = 1; r <= pid.repetitions(14); r++) {
    const t = toContactPoint(pid, 14, r, 'work');
    if (t) telecom.push(t);
  }
  if (telecom.length > 0) patient.telecom = telecom;
  // PID-29 death date/time, PID-30 death indicator (Y/N).
  const died = pid.get('29.1');
  const deathTime = died === '' ? undefined : toFhirDateTime(died, run.defaultOffset);
  if (deathTime) patient.deceasedDateTime = deathTime;
  else if (pid.get(30) === 'Y') patient.deceasedBoolean = true;

  const pd1 = run.msg.segment('PD1');
  if (pd1 && pd1.get(4) !== '') {
    const pcp = mapPractitioner(run, pd1, 4);
    if (pcp) patient.generalPractitioner = [pcp];
  }
  return { reference: run.add(patient), key };
}

/** XCN -> Practitioner (identifier from XCN.1 with XCN.9 authority; NPI recognised). */
export function mapPractitioner(
  run: MapRun,
  seg: Hl7Segment,
  field: number,
  rep = 1,
): Reference<Practitioner> | undefined {
  const value = seg.read(field, rep, 1, 0);
  const name = toHumanName(seg, field, rep, 1);
  if (value === '' && !name) return undefined;
  const practitioner: Practitioner & { id: string } = { resourceType: 'Practitioner', id: '' };
  let key: string;
  if (value !== '') {
    const authority = seg.read(field, rep, 9, 1);
    const isNpi =
      /^NPI$/i.test(authority) ||
      seg.read(field, rep, 9, 2) === '2.16.840.1.113883.4.6' ||
      seg.read(field, rep, 13, 0) === 'NPI';
    const system = isNpi
      ? 'http://hl7.org/fhir/sid/us-npi'
      : authority !== ''
        ? localAuthoritySystem(authority)
        : `urn:rxbridge:sender:${encodeURIComponent(run.sender)}`;
    practitioner.identifier = [{ system, value }];
    key = `${system}|${value}`;
  } else {
    key = `name:${run.sender}|${JSON.stringify(name)}`;
  }
  practitioner.id = stableId('hl7v2', 'Practitioner', key);
  if (name) practitioner.name = [name];
  const ref = run.add(practitioner);
  const display = [name?.prefix?.[0], name?.given?.[0], name?.family]
    .filter((p) => p !== undefined)
    .join(' ');
  return display === '' ? ref : { ...ref, display };
}
