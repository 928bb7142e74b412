// C-CDA with narrative fallback: the structured reading (normalize/ccda), then every narrative gap (a section
// without entries, or rows no entry accounts for) read by the free-text extractor. Facts from narrative carry
// their span, a lowered confidence and the section they came from, so a reviewer can tell them apart.
import type { Extension, Provenance, Resource } from '@medplum/fhirtypes';
import type { Issue, Result } from '../kernel/result.ts';
import { fail, ok } from '../kernel/result.ts';
import { stableId } from '../kernel/ids.ts';
import type { XmlLimits } from '../inbound/ccda/xml/safe-xml.ts';
import type { CcdaConversion, CcdaMapContext } from '../normalize/ccda/convert-ccda.ts';
import { SOURCE_LOCATION_URL, convertCcda } from '../normalize/ccda/convert-ccda.ts';
import type { Terminology } from '../terminology/terminology.ts';
import { convertClinicalText } from './convert-clinical-text.ts';
import { ExtractionExtension } from './rules/medication-statement-from-extraction.ts';

/** Marks a resource read from a C-CDA section's narrative; valueString is the section's location. */
export const FROM_NARRATIVE_URL = 'https://rxbridge.dev/fhir/StructureDefinition/from-narrative';

/** Narrative facts are worth less than coded entries: the extractor's confidence is scaled by this. */
export const NARRATIVE_CONFIDENCE_FACTOR = 0.8;

export interface CcdaDocumentContext extends CcdaMapContext {
  terminology: Terminology;
  limits?: XmlLimits;
}

export interface CcdaDocumentResult extends CcdaConversion {
  /** Resources made from narrative, by type. */
  fromNarrative: Record<string, number>;
}

function lowerConfidence(resource: Resource, sectionPath: string): void {
  const withExt = resource as Resource & { extension?: Extension[] };
  const ext = withExt.extension ?? [];
  for (const e of ext)
    if (e.url === ExtractionExtension.Confidence && typeof e.valueDecimal === 'number')
      e.valueDecimal = Math.round(e.valueDecimal * NARRATIVE_CONFIDENCE_FACTOR * 100) / 100;
  ext.push({ url: FROM_NARRATIVE_URL, valueString: sectionPath });
  withExt.extension = ext;
}

/** Converts a C-CDA document: structured entries first, then what only the narrative says. */
export function convertCcdaDocument(xml: string, context: CcdaDocumentContext): Result<CcdaDocumentResult> {
  const structured = convertCcda(xml, context, context.limits);
  if (!structured.ok) return fail(structured.issues);
  const conversion = structured.value;
  const issues: Issue[] = [...structured.issues];
  const fromNarrative: Record<string, number> = {};
  const entries = conversion.bundle.entry ?? [];
  const patientReference = conversion.patient?.reference ?? `Patient/unknown-${conversion.documentKey}`;
  for (const gap of conversion.gaps) {
    const sourceReference = `ccda:${conversion.documentKey}#${gap.sectionPath}`;
    const read = convertClinicalText(gap.text, {
      terminology: context.terminology,
      patientReference,
      sourceReference,
    });
    if (!read.ok) continue;
    const found = (read.value.entry ?? []).flatMap((e) => (e.resource ? [e.resource] : []));
    if (found.length === 0) continue;
    for (const r of found) {
      lowerConfidence(r, gap.sectionPath);
      fromNarrative[r.resourceType] = (fromNarrative[r.resourceType] ?? 0) + 1;
      entries.push({ fullUrl: `urn:uuid:${r.id ?? ''}`, resource: r });
    }
    for (const i of read.issues)
      if (i.severity !== 'information') issues.push({ ...i, path: `${gap.sectionPath}/text ${i.path}` });
    issues.push({
      severity: 'warning',
      code: 'incomplete',
      path: `${gap.sectionPath}/text`,
      message: `${found.length} fact(s) read from the narrative of "${gap.sectionTitle || gap.sectionKind}" (${gap.reason === 'no-entries' ? 'section has no entries' : 'items no entry accounts for'}); review them against the document`,
    });
    const provenance: Provenance & { id: string } = {
      resourceType: 'Provenance',
      id: stableId('ccda', 'Provenance', conversion.documentKey, 'narrative', gap.sectionPath),
      target: found.map((r) => ({ reference: `urn:uuid:${r.id ?? ''}` })),
      recorded:
        (entries.find((e) => e.resource?.resourceType === 'Provenance')?.resource as Provenance | undefined)
          ?.recorded ?? new Date(0).toISOString(),
      activity: {
        coding: [
          {
            system: 'http://terminology.hl7.org/CodeSystem/v3-DataOperation',
            code: 'DERIVE',
            display: 'derive',
          },
        ],
      },
      agent: [{ who: { display: 'RxBridge free-text extractor' } }],
      entity: [
        {
          role: 'source',
          what: {
            identifier: { system: 'urn:rxbridge:ccda-document', value: conversion.documentKey },
            display: `narrative of ${gap.sectionTitle || gap.sectionKind}`,
          },
          extension: [{ url: SOURCE_LOCATION_URL, valueString: `${gap.sectionPath}/text` }],
        },
      ],
    };
    entries.push({ fullUrl: `urn:uuid:${provenance.id}`, resource: provenance });
  }
  conversion.bundle.entry = entries;
  for (const [t, n] of Object.entries(fromNarrative))
    conversion.coverage.resources[t] = (conversion.coverage.resources[t] ?? 0) + n;
  return ok({ ...conversion, fromNarrative }, issues);
}
