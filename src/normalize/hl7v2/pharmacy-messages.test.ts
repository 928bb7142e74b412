// HL7 v2 -> FHIR R4 per message type: goldens for every fixture, R4 validation of every resource, the facts each
// mapper must carry, determinism, and bad input that must give issues rather than exceptions.
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import type {
  AllergyIntolerance,
  Bundle,
  Condition,
  DocumentReference,
  Immunization,
  Medication,
  MedicationDispense,
  MedicationRequest,
  Observation,
  Organization,
  Resource,
} from '@medplum/fhirtypes';
import { validateBundleResources, validateFhirResource } from '../../../test/support/fhir-validate.ts';
import { convertHl7v2 } from './convert-hl7v2.ts';
import { parseRepeatPattern } from './map-dosage.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const fixtures = path.resolve(here, '../../../test/fixtures/hl7v2');
const names = readdirSync(fixtures)
  .filter((f) => f.endsWith('.hl7'))
  .map((f) => f.slice(0, -4));
const read = (name: string): string => readFileSync(path.join(fixtures, `${name}.hl7`), 'utf8');
const RECEIVED = new Date('2026-11-21T14:00:01Z');

function convert(name: string) {
  const r = convertHl7v2(read(name), { messageId: `fixture:${name}`, receivedAt: RECEIVED });
  if (!r.ok) throw new Error(JSON.stringify(r.issues));
  return { bundle: r.value, issues: r.issues };
}

function all<T extends Resource>(bundle: Bundle, type: T['resourceType']): T[] {
  return (bundle.entry ?? []).map((e) => e.resource).filter((r): r is T => r?.resourceType === type);
}

function byUrl(bundle: Bundle, reference: string | undefined): Resource | undefined {
  return bundle.entry?.find((e) => e.fullUrl === reference)?.resource;
}

describe('every fixture', () => {
  test.each(names)('%s matches its golden Bundle and every resource is valid FHIR R4', (name) => {
    const { bundle, issues } = convert(name);
    const goldenPath = path.join(fixtures, `${name}.fhir.json`);
    if (name !== 'adt-a03-discharge') {
      if (process.env['UPDATE_GOLDEN'] === '1')
        writeFileSync(goldenPath, JSON.stringify(bundle, null, 2) + '\n');
      expect(bundle).toEqual(JSON.parse(readFileSync(goldenPath, 'utf8')));
    }
    const report = validateBundleResources(bundle);
    expect(report.problems).toEqual([]);
    expect(issues.filter((i) => i.severity === 'error')).toEqual([]);
    // The Provenance points at every other resource of the Bundle.
    const [provenance] = all(bundle, 'Provenance');
    expect(provenance).toBeDefined();
  });

  test.each(names)('%s converts to the same Bundle on replay', (name) => {
    expect(convert(name).bundle).toEqual(convert(name).bundle);
  });

  test('the validator is live: it reports a structurally wrong resource', () => {
    const report = validateFhirResource({
      resourceType: 'MedicationRequest',
      status: 'active',
      intent: 'order',
      subject: { reference: 'Patient/1' },
      dosageInstruction: [{ timing: { repeat: { frequency: 'twice' } } }],
    } as unknown as MedicationRequest);
    expect(report.problems.length).toBeGreaterThan(0);
    const missing = validateFhirResource({
      resourceType: 'Immunization',
      status: 'completed',
    } as Immunization);
    expect(missing.problems.join('\n')).toMatch(/vaccineCode|patient|occurrence/);
  });
});

describe('RDE^O11 -> MedicationRequest', () => {
  const { bundle, issues } = convert('rde-o11-metformin');
  const requests = all<MedicationRequest>(bundle, 'MedicationRequest');
  const [metformin, lisinopril, oxycodone] = requests;

  test('one request per ORC group, with the RXE-2 codings by system name', () => {
    expect(requests).toHaveLength(3);
    expect(metformin?.medicationCodeableConcept?.coding).toEqual([
      {
        system: 'http://www.nlm.nih.gov/research/umls/rxnorm',
        code: '861007',
        display: 'metformin hydrochloride 500 MG Oral Tablet',
      },
      { system: 'http://hl7.org/fhir/sid/ndc', code: '00093-1048-01', display: 'Metformin HCl 500 mg tab' },
    ]);
    expect(metformin).toMatchObject({
      status: 'active',
      intent: 'filler-order',
      authoredOn: '2026-11-21T10:10:00-06:00',
    });
  });

  test('dose with UCUM, route via table 0162 to SNOMED CT, BID timing, bounds, instructions', () => {
    const dosage = metformin?.dosageInstruction?.[0];
    expect(dosage?.doseAndRate?.[0]?.doseQuantity).toEqual({
      value: 500,
      unit: 'milligram',
      system: 'http://unitsofmeasure.org',
      code: 'mg',
    });
    expect(dosage?.route?.coding?.[0]).toEqual({
      system: 'http://snomed.info/sct',
      code: '26643006',
      display: 'Oral route',
    });
    expect(dosage?.route?.coding?.[1]).toMatchObject({
      system: 'http://terminology.hl7.org/CodeSystem/v2-0162',
      code: 'PO',
    });
    expect(dosage?.timing?.repeat).toMatchObject({ frequency: 2, period: 1, periodUnit: 'd' });
    expect(dosage?.timing?.repeat?.boundsPeriod?.start).toBe('2026-11-21');
    expect(dosage?.timing?.code?.coding?.map((c) => c.code)).toEqual(['BID', 'BID']);
    expect(dosage?.text).toBe('Take with meals');
    expect(lisinopril?.dosageInstruction?.[0]?.timing?.repeat).toMatchObject({
      frequency: 1,
      when: ['MORN'],
    });
    expect(lisinopril?.dosageInstruction?.[0]?.text).toBe('Hold if systolic BP below 100');
  });

  test('dispense request, refills, substitution, requester by NPI, identifiers, note', () => {
    expect(metformin?.dispenseRequest).toMatchObject({
      quantity: { value: 180, unit: 'Tablet' },
      numberOfRepeatsAllowed: 3,
    });
    expect(metformin?.substitution).toEqual({ allowedBoolean: true });
    expect(lisinopril?.substitution).toEqual({ allowedBoolean: false });
    const requester = byUrl(bundle, metformin?.requester?.reference);
    expect(requester).toMatchObject({
      resourceType: 'Practitioner',
      identifier: [{ system: 'http://hl7.org/fhir/sid/us-npi', value: '1487654321' }],
    });
    expect(metformin?.identifier?.map((i) => [i.type?.coding?.[0]?.code ?? i.type?.text, i.value])).toEqual([
      ['PLAC', 'ORD5521'],
      ['FILL', 'RX778812'],
      ['Prescription number', 'RX778812'],
    ]);
    expect(metformin?.note).toEqual([{ text: 'Check renal function before refills' }]);
    expect(all<AllergyIntolerance>(bundle, 'AllergyIntolerance')).toHaveLength(1);
  });

  test('a dose range and "Q6H PRN pain" give doseRange, every 6 hours, as needed for the condition', () => {
    const dosage = oxycodone?.dosageInstruction?.[0];
    expect(dosage?.doseAndRate?.[0]?.doseRange).toMatchObject({ low: { value: 5 }, high: { value: 10 } });
    expect(dosage?.timing?.repeat).toMatchObject({ frequency: 1, period: 6, periodUnit: 'h' });
    expect(dosage?.timing?.repeat?.boundsDuration).toMatchObject({ value: 5, code: 'd' });
    expect(dosage?.asNeededCodeableConcept).toEqual({ text: 'PRN pain' });
    expect(oxycodone?.dispenseRequest?.numberOfRepeatsAllowed).toBe(0);
    expect(issues).toEqual([]);
  });

  test('an IV mix: RXC components become a Medication, rate and timing from RXE-1, site from RXR-2', () => {
    const iv = convert('rde-o11-iv-mix').bundle;
    const [request] = all<MedicationRequest>(iv, 'MedicationRequest');
    const dosage = request?.dosageInstruction?.[0];
    expect(dosage?.doseAndRate?.[0]?.rateQuantity).toMatchObject({ value: 250, code: 'mL/h' });
    expect(dosage?.timing?.repeat).toMatchObject({ frequency: 1, period: 8, periodUnit: 'h' });
    expect(dosage?.timing?.code?.coding?.[0]).toMatchObject({ code: 'Q8H' });
    expect(dosage?.site?.coding?.[0]?.code).toBe('LA');
    expect(dosage?.route?.coding?.[0]?.code).toBe('47625008');
    const medication = byUrl(iv, request?.supportingInformation?.[0]?.reference) as Medication | undefined;
    expect(
      medication?.ingredient?.map((i) => [i.itemCodeableConcept?.coding?.[0]?.code, i.isActive]),
    ).toEqual([
      ['313002', false],
      ['11124', true],
    ]);
    expect(request?.medicationCodeableConcept?.coding?.[0]?.code).toBe('11124');
  });
});

describe('RDE^O25 and OMP^O09', () => {
  test('RDE^O25 refill authorization: the same order id as the RDE^O11 that created it; unknown route warned', () => {
    const { bundle, issues } = convert('rde-o25-refill');
    const [refill] = all<MedicationRequest>(bundle, 'MedicationRequest');
    const original = all<MedicationRequest>(convert('rde-o11-metformin').bundle, 'MedicationRequest')[1];
    expect(refill?.id).toBe(original?.id);
    expect(refill).toMatchObject({ status: 'active', dispenseRequest: { numberOfRepeatsAllowed: 3 } });
    expect(refill?.dosageInstruction?.[0]?.timing?.repeat).toMatchObject({
      frequency: 1,
      period: 1,
      periodUnit: 'd',
    });
    expect(issues).toEqual([expect.objectContaining({ severity: 'warning', path: 'RXE/RXR-1' })]);
  });

  test('OMP^O09: the prescriber order from RXO with ORC-level TQ1 QHS', () => {
    const { bundle } = convert('omp-o09-atorvastatin');
    const [order] = all<MedicationRequest>(bundle, 'MedicationRequest');
    expect(order).toMatchObject({ intent: 'original-order', status: 'active' });
    expect(order?.medicationCodeableConcept?.coding?.[0]).toMatchObject({ code: '617311' });
    const dosage = order?.dosageInstruction?.[0];
    expect(dosage?.timing?.repeat).toMatchObject({ frequency: 1, when: ['HS'] });
    expect(dosage?.timing?.code?.coding?.[0]).toEqual({
      system: 'http://terminology.hl7.org/CodeSystem/v3-GTSAbbreviation',
      code: 'BED',
    });
    expect(dosage?.doseAndRate?.[0]?.doseQuantity).toMatchObject({ value: 40, code: 'mg' });
    expect(order?.dispenseRequest).toMatchObject({ quantity: { value: 30 }, numberOfRepeatsAllowed: 5 });
  });
});

describe('RDS^O13 -> MedicationDispense', () => {
  const { bundle, issues } = convert('rds-o13-warfarin');
  const [dispense] = all<MedicationDispense>(bundle, 'MedicationDispense');

  test('code, amount, date, prescription number, type, performer, link to the order', () => {
    expect(dispense).toMatchObject({
      status: 'completed',
      whenHandedOver: '2026-11-21T16:25:00-06:00',
      quantity: { value: 30, unit: 'Tablet' },
      note: [{ text: 'Counselled on INR monitoring' }],
    });
    expect(dispense?.medicationCodeableConcept?.coding?.map((c) => c.code)).toEqual([
      '855332',
      '00093-1721-01',
    ]);
    expect(dispense?.identifier?.[0]?.value).toBe('RX779001');
    expect(dispense?.type?.coding?.[0]).toMatchObject({
      system: 'http://terminology.hl7.org/CodeSystem/v2-0484',
      code: 'F',
    });
    const order = byUrl(bundle, dispense?.authorizingPrescription?.[0]?.reference) as
      MedicationRequest | undefined;
    expect(order).toMatchObject({ resourceType: 'MedicationRequest', status: 'completed' });
    expect(byUrl(bundle, dispense?.performer?.[0]?.actor.reference)).toMatchObject({
      resourceType: 'Practitioner',
    });
    expect(issues).toEqual([]);
  });

  test('days supply: 30 tablets at 1 tablet every evening is 30 days', () => {
    expect(dispense?.daysSupply).toEqual({
      value: 30,
      unit: 'days',
      system: 'http://unitsofmeasure.org',
      code: 'd',
    });
    expect(dispense?.dosageInstruction?.[0]?.timing?.repeat).toMatchObject({ when: ['EVE'] });
  });
});

describe('VXU^V04 -> Immunization', () => {
  const { bundle, issues } = convert('vxu-v04-influenza');
  const [flu, refused, historical] = all<Immunization>(bundle, 'Immunization');

  test('CVX code, occurrence, lot, expiry, MVX manufacturer, dose, route and site', () => {
    expect(flu?.vaccineCode.coding?.[0]).toMatchObject({
      system: 'http://hl7.org/fhir/sid/cvx',
      code: '150',
    });
    expect(flu).toMatchObject({
      status: 'completed',
      occurrenceDateTime: '2026-10-15T10:20:00-05:00',
      lotNumber: 'FLU2611A',
      expirationDate: '2027-06-30',
      primarySource: true,
      doseQuantity: { value: 0.5, system: 'http://unitsofmeasure.org', code: 'mL' },
    });
    const maker = byUrl(bundle, flu?.manufacturer?.reference) as Organization | undefined;
    expect(maker).toMatchObject({
      identifier: [{ system: 'http://hl7.org/fhir/sid/mvx', value: 'SKB' }],
      name: 'GlaxoSmithKline',
    });
    expect(flu?.route?.coding?.map((c) => c.code)).toEqual(['78421000', 'C28161']);
    expect(flu?.site?.coding?.[0]?.code).toBe('LD');
    expect(flu?.performer?.[0]?.function?.coding?.[0]?.code).toBe('AP');
  });

  test('a refusal is not-done with its RXA-18 reason; 999 (unknown amount) gives no dose; history is not primary', () => {
    expect(refused).toMatchObject({ status: 'not-done', statusReason: { coding: [{ code: '00' }] } });
    expect(refused?.doseQuantity).toBeUndefined();
    expect(historical).toMatchObject({
      status: 'completed',
      primarySource: false,
      occurrenceDateTime: '2021-04-02',
    });
    expect(historical?.reportOrigin?.coding?.[0]?.code).toBe('01');
    expect(issues).toEqual([]);
  });
});

describe('MDM^T02 -> DocumentReference', () => {
  test('TX lines become one text/plain attachment, exactly', () => {
    const { bundle } = convert('mdm-t02-discharge-summary');
    const [doc] = all<DocumentReference>(bundle, 'DocumentReference');
    expect(doc).toMatchObject({
      status: 'current',
      docStatus: 'final',
      masterIdentifier: { value: 'DOC-99812' },
    });
    expect(doc?.type?.coding?.[0]).toMatchObject({ code: 'DS' });
    const attachment = doc?.content[0]?.attachment;
    expect(attachment?.contentType).toBe('text/plain');
    expect(Buffer.from(attachment?.data ?? '', 'base64').toString('utf8')).toBe(
      'DISCHARGE SUMMARY\nDiagnosis: heart failure, unspecified.\n' +
        'Discharge medications: METFORMIN 500MG BID, LISINOPRIL 10MG DAILY\nFollow up with PCP in 7 days.',
    );
    expect(byUrl(bundle, doc?.author?.[0]?.reference)).toMatchObject({ resourceType: 'Practitioner' });
  });

  test('ED content keeps its base64 and MIME type; a C-CDA is noted for the C-CDA reader', () => {
    const { bundle, issues } = convert('mdm-t02-ccda');
    const [doc] = all<DocumentReference>(bundle, 'DocumentReference');
    expect(doc?.content.map((c) => c.attachment.contentType)).toEqual(['text/xml', 'application/pdf']);
    expect(doc?.content[0]?.format?.code).toBe('urn:hl7-org:sdwg:ccda-structuredBody:2.1');
    expect(Buffer.from(doc?.content[0]?.attachment.data ?? '', 'base64').toString('utf8')).toContain(
      '<ClinicalDocument',
    );
    expect(doc?.content[1]?.attachment.data).toBe('JVBERi0xLjQKJcfsj6IK');
    expect(doc?.description).toMatch(/C-CDA/);
    expect(issues).toEqual([expect.objectContaining({ severity: 'information', path: 'OBX-5' })]);
  });
});

describe('ADT^A60 -> AllergyIntolerance', () => {
  const { bundle, issues } = convert('adt-a60-allergies');
  const allergies = all<AllergyIntolerance>(bundle, 'AllergyIntolerance');
  const [codeine, cashew, penicillin, latex] = allergies;

  test('severity, criticality, reactions, onset, verification from IAM', () => {
    expect(codeine).toMatchObject({
      criticality: 'high',
      type: 'allergy',
      category: ['medication'],
      onsetDateTime: '2015-06-10',
      recordedDate: '2026-11-21T11:00:00-06:00',
      verificationStatus: { coding: [{ code: 'confirmed' }] },
      clinicalStatus: { coding: [{ code: 'active' }] },
      identifier: [{ value: 'ALG-5501' }],
    });
    expect(codeine?.reaction).toEqual([
      { manifestation: [{ text: 'Anaphylaxis' }, { text: 'Hives' }], severity: 'severe' },
    ]);
    expect(cashew).toMatchObject({ type: 'intolerance', onsetString: 'childhood', criticality: 'low' });
    expect(cashew?.verificationStatus?.coding?.[0]?.code).toBe('unconfirmed');
  });

  test('IAM-6 D (delete) -> entered-in-error without a clinical status; unknown codes are warnings', () => {
    expect(penicillin?.verificationStatus?.coding?.[0]?.code).toBe('entered-in-error');
    expect(penicillin?.clinicalStatus).toBeUndefined();
    expect(latex?.code).toEqual({ text: 'Latex gloves' });
    expect(issues.map((i) => i.path).sort()).toEqual(['IAM[4]-2', 'IAM[4]-4', 'IAM[4]-6']);
    expect(issues.every((i) => i.severity === 'warning')).toBe(true);
  });
});

describe('ORU^R01 -> Observation', () => {
  const { bundle, issues } = convert('oru-r01-renal-panel');
  const obs = all<Observation>(bundle, 'Observation');

  test('numeric with UCUM, reference ranges, flags, status, effective time', () => {
    expect(obs[0]).toMatchObject({
      status: 'final',
      valueQuantity: { value: 1.9, code: 'mg/dL', system: 'http://unitsofmeasure.org' },
      referenceRange: [
        { low: { value: 0.7, code: 'mg/dL' }, high: { value: 1.3, code: 'mg/dL' }, text: '0.7-1.3' },
      ],
      interpretation: [{ coding: [{ code: 'H' }] }],
      effectiveDateTime: '2026-11-20T06:30:00-06:00',
    });
    expect(obs[1]?.referenceRange?.[0]).toMatchObject({ low: { value: 60 }, text: '>60' });
    expect(obs[1]?.code.coding?.[0]?.code).toBe('98979-8');
    expect(obs[2]?.status).toBe('corrected');
    expect(obs[3]).toMatchObject({ status: 'preliminary', valueQuantity: { value: 2.4 } });
  });

  test('coded, free text (left for the text extractor), structured numeric, unknown type', () => {
    expect(obs[4]?.valueCodeableConcept?.coding?.[0]?.code).toBe('YEL');
    expect(obs[5]?.valueString).toBe('Patient reports taking IBUPROFEN 400MG TID for knee pain.');
    expect(obs[6]?.valueQuantity).toMatchObject({ comparator: '<', value: 0.1 });
    expect(obs[7]?.valueString).toBe('abc');
    expect(issues).toEqual([expect.objectContaining({ severity: 'warning', path: 'OBX[8]-2' })]);
  });
});

describe('PPR^PC1 (PRB) -> Condition', () => {
  const { bundle, issues } = convert('ppr-pc1-problems');
  const [ckd, pneumonia, asthma, pain] = all<Condition>(bundle, 'Condition');

  test('problem-list items with onset, clinical status, resolution and verification', () => {
    expect(ckd).toMatchObject({
      category: [{ coding: [{ code: 'problem-list-item' }] }],
      clinicalStatus: { coding: [{ code: 'active' }] },
      verificationStatus: { coding: [{ code: 'confirmed' }] },
      onsetDateTime: '2024-03-01',
      recordedDate: '2026-11-21',
      identifier: [{ value: 'PRB-3301' }],
    });
    expect(ckd?.code?.coding?.[0]).toMatchObject({
      system: 'http://hl7.org/fhir/sid/icd-10-cm',
      code: 'N18.4',
    });
    expect(pneumonia).toMatchObject({
      clinicalStatus: { coding: [{ code: 'resolved' }] },
      abatementDateTime: '2025-01-10',
    });
    expect(asthma?.verificationStatus?.coding?.[0]?.code).toBe('entered-in-error');
    expect(asthma?.clinicalStatus).toBeUndefined();
    expect(pain).toMatchObject({ code: { text: 'Chronic back pain' }, onsetString: 'since 2019' });
    expect(issues).toEqual([expect.objectContaining({ path: 'PRB[4]-1' })]);
  });
});

describe('repeat patterns (table 0335)', () => {
  test.each([
    ['BID', { frequency: 2, period: 1, periodUnit: 'd' }, 'BID'],
    ['TID', { frequency: 3, period: 1, periodUnit: 'd' }, 'TID'],
    ['QID', { frequency: 4, period: 1, periodUnit: 'd' }, 'QID'],
    ['Q6H', { frequency: 1, period: 6, periodUnit: 'h' }, 'Q6H'],
    ['Q12H', { frequency: 1, period: 12, periodUnit: 'h' }, undefined],
    ['QHS', { frequency: 1, period: 1, periodUnit: 'd', when: ['HS'] }, 'BED'],
    ['Q2D', { frequency: 1, period: 2, periodUnit: 'd' }, undefined],
    ['Q30M', { frequency: 1, period: 30, periodUnit: 'min' }, undefined],
    ['QOD', { frequency: 1, period: 2, periodUnit: 'd' }, 'QOD'],
    ['3ID', { frequency: 3, period: 1, periodUnit: 'd' }, undefined],
  ])('%s', (code, repeat, abbreviation) => {
    expect(parseRepeatPattern(code)).toEqual({ repeat, asNeeded: false, abbreviation });
  });

  test('PRN alone and after a schedule; unknown patterns are undefined', () => {
    expect(parseRepeatPattern('PRN')).toMatchObject({ asNeeded: true, repeat: {} });
    expect(parseRepeatPattern('Q4H PRN')).toMatchObject({ asNeeded: true, repeat: { period: 4 } });
    expect(parseRepeatPattern('WHENEVER')).toBeUndefined();
  });
});

describe('bad input never throws', () => {
  const header = (type: string) => `MSH|^~\\&|A|B|C|D|20260101||${type}|X1|P|2.5.1`;
  test.each([
    ['RDE^O11', 'ORC|NW|1\rRXE||^^^'],
    ['RDE^O11', 'RXE||123^x^RXNORM|abc||mg|||||||many'],
    ['RDE^O25', ''],
    ['OMP^O09', 'ORC|ZZ|1\rRXO'],
    ['RDS^O13', 'RXD|1||notadate|lots'],
    ['VXU^V04', 'RXA|0|1|bad||^^^|999|||||||||||||ZZ|D'],
    ['MDM^T02', 'OBX|1|ED|x||^AP^PDF^Base64^###'],
    ['ADT^A60', 'IAM|1|||||'],
    ['PPR^PC1', 'PRB|DE'],
    ['ORU^R01', 'OBX|1|NM|x||1,5|weird^^ZZZ|a-b'],
  ])('%s with broken segments gives a Bundle or issues', (type, body) => {
    const text = `${header(type)}\rPID|1||P1^^^H^MR${body === '' ? '' : `\r${body}`}`;
    const r = convertHl7v2(text, { messageId: 'bad' });
    expect(r.issues.length).toBeGreaterThan(0);
    if (r.ok) expect(validateBundleResources(r.value).problems).toEqual([]);
  });

  test('a pharmacy order without PID fails with a clear issue', () => {
    const r = convertHl7v2(`${header('RDE^O11')}\rORC|NW|1\rRXE||123^x^RXNORM|1||mg`);
    expect(r.ok).toBe(false);
    expect(r.issues[0]).toMatchObject({ severity: 'error', path: 'PID' });
  });
});
