// FHIR MedicationStatement from an extraction: coding, dosage, evidence extensions, deterministic ids.
import { describe, expect, test } from 'vitest';
// Tests compose the real starter vocabulary; the code under test sees only the Terminology port.
// eslint-disable-next-line rxbridge/pipeline-boundaries -- a test composes the real starter vocabulary; the code under test sees only the Terminology port
import { createStarterTerminology } from '../../terminology/starter-terminology.ts';
import { extractMedications } from './extract-medications.ts';
import {
  ExtractionExtension,
  medicationStatementFromExtraction,
} from './medication-statement-from-extraction.ts';

const terminology = createStarterTerminology();
const context = { patientReference: 'Patient/p1', sourceReference: 'Observation/obx-5' };

function statementsFor(text: string) {
  return extractMedications(text, { terminology }).map((m) =>
    medicationStatementFromExtraction(m, { ...context, sourceText: text }),
  );
}

describe('medicationStatementFromExtraction', () => {
  const input = 'METFORMIN 500MG BID, LISINOPRIL 10MG DAILY';

  test('codes the drug in RxNorm and keeps the words as written', () => {
    const [metformin] = statementsFor(input);
    expect(metformin).toMatchObject({
      resourceType: 'MedicationStatement',
      status: 'active',
      medicationCodeableConcept: {
        coding: [
          { system: 'http://www.nlm.nih.gov/research/umls/rxnorm', code: '6809', display: 'metformin' },
        ],
        text: 'METFORMIN',
      },
      subject: { reference: 'Patient/p1' },
      derivedFrom: [{ reference: 'Observation/obx-5' }],
    });
  });

  test('dosage carries text, timing, dose and route', () => {
    const [metformin, lisinopril] = statementsFor(input);
    expect(metformin?.dosage?.[0]).toEqual({
      text: 'METFORMIN 500MG BID',
      timing: {
        code: {
          coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-GTSAbbreviation', code: 'BID' }],
          text: 'BID',
        },
        repeat: { frequency: 2, period: 1, periodUnit: 'd' },
      },
      doseAndRate: [
        { doseQuantity: { value: 500, unit: 'mg', system: 'http://unitsofmeasure.org', code: 'mg' } },
      ],
    });
    expect(lisinopril?.dosage?.[0]?.timing?.code?.coding?.[0]?.code).toBe('QD');
    const [oxycodone] = statementsFor('Oxycodone 5 mg PO q4-6h PRN pain');
    expect(oxycodone?.dosage?.[0]).toMatchObject({
      timing: { repeat: { frequency: 1, period: 4, periodMax: 6, periodUnit: 'h' } },
      asNeededCodeableConcept: { text: 'pain' },
      route: { coding: [{ system: 'http://snomed.info/sct', code: '26643006', display: 'Oral route' }] },
    });
    const [glargine] = statementsFor('Lantus 20 units SC at bedtime');
    expect(glargine?.dosage?.[0]).toMatchObject({
      timing: { repeat: { when: ['HS'] } },
      doseAndRate: [{ doseQuantity: { value: 20, unit: 'units', code: '[U]' } }],
    });
  });

  test('span and confidence extensions', () => {
    const [, lisinopril] = statementsFor(input);
    expect(lisinopril?.extension).toEqual([
      {
        url: ExtractionExtension.Span,
        extension: [
          { url: 'start', valueInteger: 21 },
          { url: 'end', valueInteger: 42 },
          { url: 'text', valueString: 'LISINOPRIL 10MG DAILY' },
        ],
      },
      { url: ExtractionExtension.Confidence, valueDecimal: expect.any(Number) as number },
    ]);
    expect(ExtractionExtension.Span.startsWith('https://rxbridge.dev/fhir/StructureDefinition/')).toBe(true);
  });

  test('ids are deterministic per source and span', () => {
    const first = statementsFor(input).map((s) => s.id);
    const again = statementsFor(input).map((s) => s.id);
    expect(again).toEqual(first);
    expect(new Set(first).size).toBe(2);
    const other = extractMedications(input, { terminology }).map(
      (m) => medicationStatementFromExtraction(m, { ...context, sourceReference: 'Observation/other' }).id,
    );
    expect(other[0]).not.toBe(first[0]);
  });

  test('status follows the change; unknown drugs have text only', () => {
    const [stopped, held, unknown] = statementsFor(
      'STOP aspirin 81 mg daily; HOLD warfarin 5 mg daily; Zorbitrex 10 mg daily',
    );
    expect(stopped?.status).toBe('stopped');
    expect(held?.status).toBe('on-hold');
    expect(unknown?.medicationCodeableConcept).toEqual({ text: 'Zorbitrex' });
  });

  test('refuses a span that does not point at its text', () => {
    const [m] = extractMedications(input, { terminology });
    expect(() =>
      medicationStatementFromExtraction(m!, { ...context, sourceText: 'something else entirely' }),
    ).toThrow();
  });
});
