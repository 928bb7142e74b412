// C-CDA documents carried inside another message (MDM^T02 OBX ED content becomes a DocumentReference attachment
// with the C-CDA format code): found here so the pipeline can read each one with convertCcda / convertCcdaDocument.
import { Buffer } from 'node:buffer';
import type { Bundle, DocumentReference } from '@medplum/fhirtypes';

/** The IHE format codes FHIR uses for C-CDA structured documents. */
const CCDA_FORMATS = /^urn:hl7-org:sdwg:ccda-/;

export interface EmbeddedCcda {
  /** `DocumentReference/<id>` content[<n>] the document was found in. */
  location: string;
  xml: string;
}

/** Every C-CDA attachment of the Bundle's DocumentReferences (by format code, or XML that is a ClinicalDocument). */
export function embeddedCcdaDocuments(bundle: Bundle): EmbeddedCcda[] {
  const out: EmbeddedCcda[] = [];
  for (const e of bundle.entry ?? []) {
    if (e.resource?.resourceType !== 'DocumentReference') continue;
    const doc: DocumentReference = e.resource;
    doc.content.forEach((c, i) => {
      const data = c.attachment.data;
      if (!data) return;
      const isXml = /xml/.test(c.attachment.contentType ?? '');
      if (!CCDA_FORMATS.test(c.format?.code ?? '') && !isXml) return;
      const xml = Buffer.from(data, 'base64').toString('utf8');
      if (!/<([A-Za-z0-9_]+:)?ClinicalDocument[\s>]/.test(xml)) return;
      out.push({ location: `DocumentReference/${doc.id ?? ''} content[${i}]`, xml });
    });
  }
  return out;
}
