import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { convertHl7v2 } from '../hl7v2/convert-hl7v2.ts';
import { convertCcda } from './convert-ccda.ts';
import { embeddedCcdaDocuments } from './embedded-ccda.ts';

describe('C-CDA embedded in an MDM^T02', () => {
  test('the OBX ED C-CDA is found in the DocumentReference and reads as a ClinicalDocument', () => {
    const hl7 = readFileSync(
      new URL('../../../test/fixtures/hl7v2/mdm-t02-ccda.hl7', import.meta.url),
      'utf8',
    );
    const mdm = convertHl7v2(hl7);
    expect(mdm.ok).toBe(true);
    if (!mdm.ok) return;
    const found = embeddedCcdaDocuments(mdm.value);
    expect(found).toHaveLength(1);
    expect(found[0]!.location).toMatch(/^DocumentReference\/.+ content\[0\]$/);
    const read = convertCcda(found[0]!.xml);
    expect(read.ok).toBe(true);
    if (read.ok) expect(read.value.coverage.documentType).toBe('Discharge Summary');
  });
});
