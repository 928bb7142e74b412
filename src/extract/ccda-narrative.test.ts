import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import type { Extension, MedicationStatement } from '@medplum/fhirtypes';
// eslint-disable-next-line rxbridge/pipeline-boundaries -- a test composes the real starter vocabulary; the code under test sees only the Terminology port
import { createStarterTerminology } from '../terminology/starter-terminology.ts';
import { FROM_NARRATIVE_URL, convertCcdaDocument } from './ccda-narrative.ts';
import { ExtractionExtension } from './rules/medication-statement-from-extraction.ts';

const FIXTURE = readFileSync(
  new URL('../../test/fixtures/ccda/discharge-summary.xml', import.meta.url),
  'utf8',
);
const terminology = createStarterTerminology();

function ext(r: { extension?: Extension[] }, url: string): Extension | undefined {
  return r.extension?.find((e) => e.url === url);
}

describe('C-CDA narrative fallback', () => {
  const result = convertCcdaDocument(FIXTURE, { terminology });
  if (!result.ok) throw new Error('fixture did not convert');
  const statements = (result.value.bundle.entry ?? []).flatMap((e) =>
    e.resource?.resourceType === 'MedicationStatement' ? [e.resource] : [],
  );
  const fromNarrative = statements.filter((s) => ext(s, FROM_NARRATIVE_URL));

  test('the coded entry is not marked; narrative-only facts are, with their section, span and lowered confidence', () => {
    expect(statements.length - fromNarrative.length).toBe(1);
    expect(result.value.fromNarrative).toEqual({ MedicationStatement: 3 });
    const lisinopril = fromNarrative.find((s) => /lisinopril/i.test(s.medicationCodeableConcept?.text ?? ''));
    expect(ext(lisinopril!, FROM_NARRATIVE_URL)?.valueString).toBe(
      '/ClinicalDocument/component/structuredBody/component[1]/section',
    );
    const span = ext(lisinopril!, ExtractionExtension.Span)?.extension;
    expect(span?.find((e) => e.url === 'text')?.valueString).toBe('Lisinopril 10 mg tablet');
    const confidence = ext(lisinopril!, ExtractionExtension.Confidence)?.valueDecimal ?? 1;
    expect(confidence).toBeLessThan(0.8);
  });

  test('discharge instructions without entries: a stop and a new medicine, each with a warning to review', () => {
    const glipizide = fromNarrative.find((s) => /glipizide/i.test(s.medicationCodeableConcept?.text ?? ''));
    expect((glipizide as MedicationStatement).status).toBe('stopped');
    expect(fromNarrative.some((s) => /aspirin/i.test(s.medicationCodeableConcept?.text ?? ''))).toBe(true);
    expect(
      result.issues.filter((i) => i.message.includes('read from the narrative')).map((i) => i.path),
    ).toEqual([
      '/ClinicalDocument/component/structuredBody/component[1]/section/text',
      '/ClinicalDocument/component/structuredBody/component[9]/section/text',
    ]);
  });

  test('a Provenance (derive) points at the section narrative the facts came from', () => {
    const provs = (result.value.bundle.entry ?? []).flatMap((e) =>
      e.resource?.resourceType === 'Provenance' && e.resource.activity?.coding?.[0]?.code === 'DERIVE'
        ? [e.resource]
        : [],
    );
    expect(provs).toHaveLength(2);
    expect(provs[1]!.target).toHaveLength(2);
  });

  test('deterministic: converting again gives the same narrative resources', () => {
    const again = convertCcdaDocument(FIXTURE, { terminology });
    expect(again.ok && JSON.stringify(again.value.bundle)).toBe(JSON.stringify(result.value.bundle));
  });
});
