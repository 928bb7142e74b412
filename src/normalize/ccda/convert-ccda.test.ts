import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import type {
  AllergyIntolerance,
  Bundle,
  Condition,
  Immunization,
  MedicationRequest,
  MedicationStatement,
  Observation,
  Patient,
  Provenance,
  Resource,
} from '@medplum/fhirtypes';
import { convertCcda } from './convert-ccda.ts';

const FIXTURE = readFileSync(
  new URL('../../../test/fixtures/ccda/discharge-summary.xml', import.meta.url),
  'utf8',
);

function all<T extends Resource>(bundle: Bundle, type: T['resourceType']): T[] {
  return (bundle.entry ?? []).flatMap((e) => (e.resource?.resourceType === type ? [e.resource as T] : []));
}

function convert(xml: string = FIXTURE) {
  const r = convertCcda(xml);
  if (!r.ok) throw new Error(JSON.stringify(r.issues));
  return { ...r.value, issues: r.issues };
}

/** A minimal document around one section body. */
function doc(section: string): string {
  return `<ClinicalDocument xmlns="urn:hl7-org:v3" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
  <id root="1.2.3.4" extension="T1"/><effectiveTime value="20260101"/>
  <recordTarget><patientRole><id root="1.2.3.5" extension="P1"/><patient><name><given>A</given><family>B</family></name></patient></patientRole></recordTarget>
  <component><structuredBody><component>${section}</component></structuredBody></component></ClinicalDocument>`;
}

describe('C-CDA header', () => {
  test('Patient with identifiers (masked SSN left out), name, gender, birth date, address', () => {
    const { bundle } = convert();
    const [p] = all<Patient>(bundle, 'Patient');
    expect(p!.identifier).toEqual([{ system: 'urn:oid:2.16.840.1.113883.19.5.99999.2', value: 'MRN-1001' }]);
    expect(p!.name?.[0]).toMatchObject({ family: 'Testperson', given: ['Ada', 'M'], use: 'official' });
    expect(p!.gender).toBe('female');
    expect(p!.birthDate).toBe('1956-02-14');
    expect(p!.address?.[0]?.city).toBe('Springfield');
  });

  test('Composition carries the document id and date; the encounter and author are mapped', () => {
    const { bundle } = convert();
    const comp = bundle.entry?.[0]?.resource;
    expect(comp).toMatchObject({
      resourceType: 'Composition',
      identifier: { system: 'urn:oid:2.16.840.1.113883.19.5.99999.1', value: 'DS-0001' },
      date: '2026-03-10T14:30:00-05:00',
      title: 'Discharge Summary',
    });
    const enc = all<Resource & { class?: { code?: string }; period?: unknown }>(bundle, 'Encounter')[0];
    expect(enc).toMatchObject({ class: { code: 'IMP' }, period: { start: '2026-03-05', end: '2026-03-10' } });
    expect(all(bundle, 'Practitioner')).toHaveLength(1);
  });
});

describe('medications', () => {
  test('discharge medication -> MedicationRequest: RxNorm + NDC translation, twice daily, oral, dose 1, sig text', () => {
    const { bundle } = convert();
    const [metformin] = all<MedicationRequest>(bundle, 'MedicationRequest');
    expect(metformin!.status).toBe('active');
    expect(metformin!.intent).toBe('plan');
    expect(metformin!.category?.[0]?.coding?.[0]?.code).toBe('discharge');
    expect(metformin!.medicationCodeableConcept?.coding).toEqual([
      {
        system: 'http://www.nlm.nih.gov/research/umls/rxnorm',
        code: '861007',
        display: 'metformin hydrochloride 500 MG Oral Tablet',
      },
      { system: 'http://hl7.org/fhir/sid/ndc', code: '00093-1048-01', display: 'Metformin 500mg tab' },
    ]);
    // originalText/reference resolved through the narrative.
    expect(metformin!.medicationCodeableConcept?.text).toBe('Metformin 500 MG Oral Tablet');
    const d = metformin!.dosageInstruction?.[0];
    expect(d?.timing?.repeat).toMatchObject({
      frequency: 2,
      period: 1,
      periodUnit: 'd',
      boundsPeriod: { start: '2026-03-10' },
    });
    expect(d?.doseAndRate?.[0]?.doseQuantity).toEqual({ value: 1 });
    expect(d?.route?.coding?.[0]?.code).toBe('C38288');
    expect(d?.text).toBe('1 tablet by mouth twice daily');
  });

  test('code given only as originalText/reference: the drug is named from the narrative; EIVL_TS HS timing; [IU] dose', () => {
    const { bundle } = convert();
    const insulin = all<MedicationRequest>(bundle, 'MedicationRequest')[1]!;
    expect(insulin.medicationCodeableConcept).toEqual({ text: 'Insulin glargine 100 UNT/ML' });
    expect(insulin.dosageInstruction?.[0]?.timing?.repeat?.when).toEqual(['HS']);
    expect(insulin.dosageInstruction?.[0]?.doseAndRate?.[0]?.doseQuantity).toMatchObject({
      value: 10,
      code: '[IU]',
    });
  });

  test('medication list -> MedicationStatement with status, every 4-6 h, PRN wheezing, puff dose', () => {
    const { bundle } = convert();
    const [ms] = all<MedicationStatement>(bundle, 'MedicationStatement');
    expect(ms!.status).toBe('active');
    const d = ms!.dosage?.[0];
    expect(d?.timing?.repeat).toMatchObject({ frequency: 1, period: 4, periodMax: 6, periodUnit: 'h' });
    expect(d?.asNeededCodeableConcept?.coding?.[0]?.code).toBe('56018004');
    expect(d?.doseAndRate?.[0]?.doseQuantity).toEqual({ value: 2, unit: 'puff' });
    expect(ms!.effectivePeriod).toEqual({ start: '2020-01-03' });
  });

  test('every MedicationStatement has a status, even with statusCode missing or unknown (with a warning)', () => {
    const xml = doc(`<section><templateId root="2.16.840.1.113883.10.20.22.2.1.1"/><text/>
      <entry><substanceAdministration moodCode="EVN"><templateId root="2.16.840.1.113883.10.20.22.4.16"/>
      <consumable><manufacturedProduct><manufacturedMaterial><code code="197380" codeSystem="2.16.840.1.113883.6.88"/></manufacturedMaterial></manufacturedProduct></consumable>
      </substanceAdministration></entry></section>`);
    const { bundle, issues } = convert(xml);
    expect(all<MedicationStatement>(bundle, 'MedicationStatement')[0]!.status).toBe('unknown');
    expect(
      issues.some((i) => i.code === 'required' && i.path.endsWith('substanceAdministration/statusCode')),
    ).toBe(true);
  });
});

describe('allergies', () => {
  test('substance, reaction with severity, criticality, clinical and verification status', () => {
    const { bundle } = convert();
    const [a] = all<AllergyIntolerance>(bundle, 'AllergyIntolerance');
    expect(a!.code?.coding?.[0]).toMatchObject({
      code: '7980',
      system: 'http://www.nlm.nih.gov/research/umls/rxnorm',
    });
    expect(a!.type).toBe('allergy');
    expect(a!.category).toEqual(['medication']);
    expect(a!.criticality).toBe('high');
    expect(a!.clinicalStatus?.coding?.[0]?.code).toBe('active');
    expect(a!.verificationStatus?.coding?.[0]?.code).toBe('confirmed');
    expect(a!.reaction).toEqual([
      {
        manifestation: [
          {
            coding: [{ code: '247472004', system: 'http://snomed.info/sct', display: 'Hives' }],
            text: 'Hives',
          },
        ],
        severity: 'severe',
      },
    ]);
    expect(a!.onsetDateTime).toBe('1998-05-01');
  });

  const negated = (substance: string) =>
    doc(`<section><templateId root="2.16.840.1.113883.10.20.22.2.6.1"/><text/><entry><act><templateId root="2.16.840.1.113883.10.20.22.4.30"/><statusCode code="active"/>
      <entryRelationship typeCode="SUBJ"><observation negationInd="true"><templateId root="2.16.840.1.113883.10.20.22.4.7"/><statusCode code="completed"/>
      <value xsi:type="CD" code="416098002" codeSystem="2.16.840.1.113883.6.96"/>
      <participant typeCode="CSM"><participantRole><playingEntity>${substance}</playingEntity></participantRole></participant>
      </observation></entryRelationship></act></entry></section>`);

  test('negationInd with no substance: "no known drug allergy", confirmed', () => {
    const { bundle } = convert(negated('<code nullFlavor="NA"/>'));
    const [a] = all<AllergyIntolerance>(bundle, 'AllergyIntolerance');
    expect(a!.code?.coding?.[0]).toMatchObject({ system: 'http://snomed.info/sct', code: '409137002' });
    expect(a!.verificationStatus?.coding?.[0]?.code).toBe('confirmed');
  });

  test('negationInd with a substance: that allergy is refuted', () => {
    const { bundle } = convert(negated('<code code="7980" codeSystem="2.16.840.1.113883.6.88"/>'));
    const [a] = all<AllergyIntolerance>(bundle, 'AllergyIntolerance');
    expect(a!.code?.coding?.[0]?.code).toBe('7980');
    expect(a!.verificationStatus?.coding?.[0]?.code).toBe('refuted');
  });
});

describe('problems, results, vitals, immunizations, encounters', () => {
  test('Condition with SNOMED + ICD-10 translation, narrative text, onset, active', () => {
    const { bundle } = convert();
    const [c] = all<Condition>(bundle, 'Condition');
    expect(c!.code?.coding?.map((x) => x.code)).toEqual(['44054006', 'E11.9']);
    expect(c!.code?.text).toBe('Type 2 diabetes mellitus');
    expect(c!.onsetDateTime).toBe('2010-06-01');
    expect(c!.clinicalStatus?.coding?.[0]?.code).toBe('active');
  });

  test('lab and vital sign Observations with values; a DiagnosticReport for the panel', () => {
    const { bundle } = convert();
    const obs = all<Observation>(bundle, 'Observation');
    const a1c = obs.find((o) => o.code.coding?.[0]?.code === '4548-4');
    expect(a1c).toMatchObject({
      status: 'final',
      valueQuantity: { value: 8.1, unit: '%' },
      effectiveDateTime: '2026-03-06T08:00:00-05:00',
    });
    expect(a1c!.category?.[0]?.coding?.[0]?.code).toBe('laboratory');
    const weight = obs.find((o) => o.code.coding?.[0]?.code === '29463-7');
    expect(weight!.category?.[0]?.coding?.[0]?.code).toBe('vital-signs');
    expect(all(bundle, 'DiagnosticReport')).toHaveLength(1);
  });

  test('Immunization given (CVX, lot, route) and refused (not-done with the reason)', () => {
    const { bundle } = convert();
    const [given, refused] = all<Immunization>(bundle, 'Immunization');
    expect(given).toMatchObject({
      status: 'completed',
      lotNumber: 'LOT-42',
      occurrenceDateTime: '2025-10-01',
    });
    expect(given!.vaccineCode.coding?.[0]).toMatchObject({
      system: 'http://hl7.org/fhir/sid/cvx',
      code: '141',
    });
    expect(refused!.status).toBe('not-done');
    expect(refused!.statusReason?.coding?.[0]?.code).toBe('PATOBJ');
  });
});

describe('coverage, unknown entries, determinism, provenance', () => {
  test('coverage counts entries per section; the unknown template is a warning and the rest is mapped', () => {
    const { coverage, issues, bundle } = convert();
    expect(coverage.entries).toBe(11);
    expect(coverage.entriesMapped).toBe(10);
    const unknown = issues.filter((i) => i.code === 'not-supported');
    expect(unknown).toHaveLength(1);
    expect(unknown[0]!.path).toBe(
      '/ClinicalDocument/component/structuredBody/component[8]/section/entry[2]/observation',
    );
    expect(unknown[0]!.message).toContain('2.16.840.1.113883.10.20.22.4.999');
    expect(all(bundle, 'Encounter')).toHaveLength(2);
  });

  test('narrative gaps: a row no entry accounts for, and a section without entries', () => {
    const { gaps } = convert();
    expect(gaps.map((g) => [g.sectionKind, g.reason])).toEqual([
      ['dischargeMedications', 'unmatched-items'],
      ['dischargeInstructions', 'no-entries'],
      ['planOfTreatment', 'no-entries'],
    ]);
    expect(gaps[0]!.text).toBe('Lisinopril 10 mg tablet; take 1 tablet by mouth daily');
  });

  test('the same document twice gives the same Bundle (ids included)', () => {
    expect(JSON.stringify(convert().bundle)).toBe(JSON.stringify(convert().bundle));
  });

  test('each mapped entry has a Provenance naming the document and the entry location', () => {
    const { bundle } = convert();
    const provs = all<Provenance>(bundle, 'Provenance');
    expect(provs).toHaveLength(10);
    const forAllergy = provs.find((p) =>
      p.entity?.[0]?.extension?.[0]?.valueString?.includes('component[3]'),
    );
    expect(forAllergy!.entity?.[0]?.what?.identifier).toEqual({
      system: 'urn:rxbridge:ccda-document',
      value: '2.16.840.1.113883.19.5.99999.1|DS-0001',
    });
    expect(forAllergy!.entity?.[0]?.extension?.[0]?.valueString).toBe(
      '/ClinicalDocument/component/structuredBody/component[3]/section/entry[1]/act',
    );
  });

  test('an entry that breaks a mapper is a warning; the rest of the document is still mapped', () => {
    // A Medication Activity whose effectiveTime type is unknown and whose drug is missing: warnings, no throw.
    const xml = doc(`<section><templateId root="2.16.840.1.113883.10.20.22.2.1.1"/><text/>
      <entry><substanceAdministration moodCode="EVN"><templateId root="2.16.840.1.113883.10.20.22.4.16"/><statusCode code="active"/>
      <effectiveTime xsi:type="SXPR_TS"/></substanceAdministration></entry>
      <entry><substanceAdministration moodCode="EVN"><templateId root="2.16.840.1.113883.10.20.22.4.16"/><statusCode code="completed"/>
      <consumable><manufacturedProduct><manufacturedMaterial><code code="197380" codeSystem="2.16.840.1.113883.6.88"/></manufacturedMaterial></manufacturedProduct></consumable>
      </substanceAdministration></entry></section>`);
    const { bundle, issues, coverage } = convert(xml);
    expect(coverage).toMatchObject({ entries: 2, entriesMapped: 1 });
    expect(all<MedicationStatement>(bundle, 'MedicationStatement')[0]!.status).toBe('completed');
    expect(issues.some((i) => i.message.includes('neither a code nor any text'))).toBe(true);
  });

  test('a section or entry fragment (no ClinicalDocument) is mapped with a warning that the header is missing', () => {
    const r =
      convertCcda(`<section xmlns="urn:hl7-org:v3"><code code="11450-4" codeSystem="2.16.840.1.113883.6.1"/><text/>
      <entry><observation><templateId root="2.16.840.1.113883.10.20.22.4.4"/><value code="38341003" codeSystem="2.16.840.1.113883.6.96"/></observation></entry></section>`);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(all<Condition>(r.value.bundle, 'Condition')[0]!.code?.coding?.[0]?.code).toBe('38341003');
    expect(r.issues.some((i) => i.message.includes('<section> fragment'))).toBe(true);
  });

  test('health concern, goal, family history and functional status entries are mapped too', () => {
    const xml = doc(`<section><templateId root="2.16.840.1.113883.10.20.22.2.58"/><text/>
      <entry><act><templateId root="2.16.840.1.113883.10.20.22.4.132"/><statusCode code="active"/>
        <entryRelationship typeCode="REFR"><observation><templateId root="2.16.840.1.113883.10.20.22.4.4"/>
        <value xsi:type="CD" code="161891005" codeSystem="2.16.840.1.113883.6.96" displayName="Backache"/></observation></entryRelationship></act></entry>
      <entry><observation moodCode="GOL"><templateId root="2.16.840.1.113883.10.20.22.4.121"/><code code="289169006" codeSystem="2.16.840.1.113883.6.96" displayName="Weight loss"/><statusCode code="active"/></observation></entry>
      <entry><organizer classCode="CLUSTER"><templateId root="2.16.840.1.113883.10.20.22.4.45"/>
        <subject><relatedSubject classCode="PRS"><code code="FTH" codeSystem="2.16.840.1.113883.5.111" displayName="Father"/><subject><administrativeGenderCode code="M"/></subject></relatedSubject></subject>
        <component><observation><templateId root="2.16.840.1.113883.10.20.22.4.46"/><value xsi:type="CD" code="22298006" codeSystem="2.16.840.1.113883.6.96" displayName="Myocardial infarction"/></observation></component></organizer></entry>
      <entry><observation><templateId root="2.16.840.1.113883.10.20.22.4.67"/><code code="54522-8" codeSystem="2.16.840.1.113883.6.1"/><statusCode code="completed"/><value xsi:type="CD" code="371153006" codeSystem="2.16.840.1.113883.6.96"/></observation></entry>
      </section>`);
    const { bundle, coverage } = convert(xml);
    expect(coverage).toMatchObject({ entries: 4, entriesMapped: 4 });
    const [concern] = all<Condition>(bundle, 'Condition');
    expect(concern!.category?.[0]?.coding?.[0]?.code).toBe('health-concern');
    expect(all<Resource & { lifecycleStatus?: string }>(bundle, 'Goal')[0]?.lifecycleStatus).toBe('active');
    const fmh = all<Resource & { relationship?: { coding?: { code?: string }[] }; condition?: unknown[] }>(
      bundle,
      'FamilyMemberHistory',
    )[0];
    expect(fmh?.relationship?.coding?.[0]?.code).toBe('FTH');
    expect(fmh?.condition).toHaveLength(1);
    expect(all<Observation>(bundle, 'Observation')[0]?.category?.[0]?.coding?.[0]?.code).toBe('survey');
  });

  test('property: damaged documents (cut, spliced, with markup injected) never throw; refusals say where', () => {
    const pieces = [
      '<',
      '>',
      '&',
      '&amp;',
      '"',
      '<!DOCTYPE x>',
      '</section>',
      '<entry>',
      ']]>',
      '\u0000',
      'xsi:type="PQ"',
    ];
    fc.assert(
      fc.property(fc.nat(FIXTURE.length), fc.nat(200), fc.constantFrom(...pieces), (at, cut, insert) => {
        const damaged = FIXTURE.slice(0, at) + insert + FIXTURE.slice(Math.min(FIXTURE.length, at + cut));
        const r = convertCcda(damaged);
        if (!r.ok) {
          expect(r.issues).toHaveLength(1);
          expect(r.issues[0]!.severity).toBe('error');
          expect(r.issues[0]!.path).toMatch(/^(line \d+ column \d+|\/.*)$/);
        }
      }),
      { numRuns: 300, seed: 4 },
    );
  });

  test('with a source id, each Provenance also names the stored message the document came in', () => {
    const r = convertCcda(FIXTURE, { sourceId: 'msg-42' });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const [p] = all<Provenance>(r.value.bundle, 'Provenance');
    expect(p!.entity?.[1]?.what?.identifier).toEqual({ system: 'urn:rxbridge:message', value: 'msg-42' });
  });

  test('XML that is no C-CDA (a FHIR Bundle, a header snippet) is refused with one clear issue', () => {
    const r = convertCcda('<Bundle xmlns="http://hl7.org/fhir"><type value="collection"/></Bundle>');
    expect(r.ok).toBe(false);
    expect(r.issues).toEqual([
      expect.objectContaining({ severity: 'error', code: 'not-supported', path: '/Bundle' }),
    ]);
    expect(r.issues[0]!.message).toMatch(/not a C-CDA document: the root is <Bundle>/);
  });

  test('narrative references: an empty anchor stands for its cell; a case-only mismatch resolves with a warning', () => {
    const xml = doc(`<section><templateId root="2.16.840.1.113883.10.20.22.2.5.1"/>
      <text><table><tbody><tr><td><content ID="Problem1"/>Asthma, mild</td></tr><tr><td ID="Problem2">Gout</td></tr></tbody></table></text>
      <entry><observation><templateId root="2.16.840.1.113883.10.20.22.4.4"/>
        <value xsi:type="CD" nullFlavor="OTH"><originalText><reference value="#Problem1"/></originalText></value></observation></entry>
      <entry><observation><templateId root="2.16.840.1.113883.10.20.22.4.4"/>
        <value xsi:type="CD" nullFlavor="OTH"><originalText><reference value="#problem2"/></originalText></value></observation></entry>
      </section>`);
    const { bundle, issues } = convert(xml);
    expect(all<Condition>(bundle, 'Condition').map((c) => c.code?.text)).toEqual(['Asthma, mild', 'Gout']);
    expect(issues.filter((i) => i.code === 'value').map((i) => i.message)).toEqual([
      'narrative reference #problem2 names ID Problem2 only if letter case is ignored; used it',
    ]);
  });
});
