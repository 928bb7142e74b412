// Plain clinical text (discharge summary, note) → FHIR R4 Bundle of MedicationStatement, AllergyIntolerance and Condition.
import type { AllergyIntolerance, Bundle, Condition, Extension, Resource } from '../kernel/fhir.ts';
import { CodeSystem } from '../kernel/code-map.ts';
import { stableId } from '../kernel/ids.ts';
import type { Issue, Result } from '../kernel/result.ts';
import { ok } from '../kernel/result.ts';
import type { Terminology } from '../terminology/terminology.ts';
import type { ExtractedAllergy } from './rules/extract-allergies.ts';
import { extractAllergies } from './rules/extract-allergies.ts';
import { extractMedications } from './rules/extract-medications.ts';
import type { ExtractedProblem } from './rules/extract-problems.ts';
import { extractProblems } from './rules/extract-problems.ts';
import type { TextSpan } from './rules/extracted-medication.ts';
import {
  ExtractionExtension,
  medicationStatementFromExtraction,
} from './rules/medication-statement-from-extraction.ts';

export interface ClinicalTextContext {
  terminology: Terminology;
  /** `Patient/<id>`; a placeholder reference when the text names no patient we know. */
  patientReference: string;
  /** The document the text came from (`DocumentReference/<id>`, `file:<hash>`). */
  sourceReference: string;
}

/** SNOMED CT situations for "no known allergy" statements (FHIR US Core AllergyIntolerance guidance). */
const NO_KNOWN_DRUG_ALLERGY = { code: '409137002', display: 'No known drug allergy' };
const NO_KNOWN_ALLERGY = { code: '716186003', display: 'No known allergy' };
const CLINICAL_STATUS_ALLERGY = 'http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical';
const VERIFICATION_ALLERGY = 'http://terminology.hl7.org/CodeSystem/allergyintolerance-verification';
const CLINICAL_STATUS_CONDITION = 'http://terminology.hl7.org/CodeSystem/condition-clinical';
const CONDITION_CATEGORY = 'http://terminology.hl7.org/CodeSystem/condition-category';

/**
 * Extracts medications (with status and sig), allergies and problems from plain text. Low-confidence
 * findings are kept and reported as warnings so a human reviews them; nothing is dropped silently.
 */
export function convertClinicalText(text: string, context: ClinicalTextContext): Result<Bundle> {
  const issues: Issue[] = [];
  const resources: Resource[] = [];
  for (const m of extractMedications(text, { terminology: context.terminology })) {
    resources.push(medicationStatementFromExtraction(m, { ...context, sourceText: text }));
    if (m.confidence < 0.6 || m.sig?.notSure) {
      issues.push({
        severity: 'warning',
        code: 'incomplete',
        path: `text[${m.span.start}..${m.span.end}]`,
        message: `medication "${m.name}" read with low confidence; review against the source`,
      });
    }
  }
  for (const a of extractAllergies(text, { terminology: context.terminology })) {
    resources.push(allergyResource(a, context));
  }
  for (const p of extractProblems(text)) resources.push(conditionResource(p, context));
  if (resources.length === 0) {
    issues.push({
      severity: 'information',
      code: 'not-found',
      path: 'text',
      message: 'no medications, allergies or problems found in the text',
    });
  }
  const bundle: Bundle = {
    resourceType: 'Bundle',
    id: stableId('Bundle', context.sourceReference, text),
    type: 'collection',
    entry: resources.map((resource) => ({ fullUrl: `urn:uuid:${resource.id ?? ''}`, resource })),
  };
  return ok(bundle, issues);
}

function evidence(span: TextSpan, text: string, confidence: number): Extension[] {
  return [
    {
      url: ExtractionExtension.Span,
      extension: [
        { url: 'start', valueInteger: span.start },
        { url: 'end', valueInteger: span.end },
        { url: 'text', valueString: text },
      ],
    },
    { url: ExtractionExtension.Confidence, valueDecimal: confidence },
  ];
}

function allergyResource(a: ExtractedAllergy, context: ClinicalTextContext): AllergyIntolerance {
  const resource: AllergyIntolerance = {
    resourceType: 'AllergyIntolerance',
    id: stableId('AllergyIntolerance', context.sourceReference, String(a.span.start), a.text),
    extension: evidence(a.span, a.text, a.confidence),
    clinicalStatus: { coding: [{ system: CLINICAL_STATUS_ALLERGY, code: 'active' }] },
    verificationStatus: { coding: [{ system: VERIFICATION_ALLERGY, code: 'unconfirmed' }] },
    patient: { reference: context.patientReference },
  };
  if (a.noKnown) {
    const code = a.noKnown.drug ? NO_KNOWN_DRUG_ALLERGY : NO_KNOWN_ALLERGY;
    resource.code = { coding: [{ system: CodeSystem.Snomed, ...code }], text: a.text };
    return resource;
  }
  const concept = a.substance?.concept;
  resource.code = concept
    ? {
        coding: [{ system: CodeSystem.RxNorm, code: concept.rxcui, display: concept.name }],
        text: a.substance?.text ?? a.text,
      }
    : { text: a.substance?.text ?? a.text };
  if (a.reaction || a.severity) {
    const reaction: NonNullable<AllergyIntolerance['reaction']>[number] = {
      manifestation: [{ text: a.reaction?.text ?? 'unspecified reaction' }],
    };
    if (a.severity) reaction.severity = a.severity;
    resource.reaction = [reaction];
  }
  return resource;
}

function conditionResource(p: ExtractedProblem, context: ClinicalTextContext): Condition {
  return {
    resourceType: 'Condition',
    id: stableId('Condition', context.sourceReference, String(p.span.start), p.text),
    extension: evidence(p.span, p.text, p.confidence),
    clinicalStatus: { coding: [{ system: CLINICAL_STATUS_CONDITION, code: 'active' }] },
    category: [
      {
        coding: [
          {
            system: CONDITION_CATEGORY,
            code: p.kind === 'history' ? 'problem-list-item' : 'encounter-diagnosis',
          },
        ],
      },
    ],
    code: { text: p.text },
    subject: { reference: context.patientReference },
  };
}
