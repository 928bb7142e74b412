// ExtractedMedication → FHIR R4 MedicationStatement, carrying the evidence span and the extraction confidence.
import type { Dosage, Extension, MedicationStatement, Quantity, Timing } from '../../kernel/fhir.ts';
import { CodeSystem } from '../../kernel/code-map.ts';
import { stableId } from '../../kernel/ids.ts';
import type { ExtractedAmount, ExtractedFrequency, ExtractedMedication } from './extracted-medication.ts';
import { routeRule } from './route-rules.ts';

export const ExtractionExtension = {
  /** Complex extension: `start` and `end` (valueInteger, character offsets) and `text` (valueString). */
  Span: 'https://rxbridge.dev/fhir/StructureDefinition/evidence-span',
  /** valueDecimal 0..1. */
  Confidence: 'https://rxbridge.dev/fhir/StructureDefinition/extraction-confidence',
} as const;

/** FHIR R4 Timing.code value set (TimingAbbreviation) draws on HL7 v3 GTSAbbreviation. */
const GTS_ABBREVIATION = 'http://terminology.hl7.org/CodeSystem/v3-GTSAbbreviation';
const GTS_CODES: ReadonlyMap<string, string> = new Map([
  ['QD', 'QD'],
  ['BID', 'BID'],
  ['TID', 'TID'],
  ['QID', 'QID'],
  ['QOD', 'QOD'],
  ['QAM', 'AM'],
  ['QPM', 'PM'],
  ['WEEKLY', 'WK'],
  ['Q1H', 'Q1H'],
  ['Q2H', 'Q2H'],
  ['Q3H', 'Q3H'],
  ['Q4H', 'Q4H'],
  ['Q6H', 'Q6H'],
  ['Q8H', 'Q8H'],
]);

/** Display unit → UCUM code (FHIR Quantity.system = UCUM). Count units have no UCUM code here. */
const UCUM: ReadonlyMap<string, string> = new Map([
  ['mg', 'mg'],
  ['mcg', 'ug'],
  ['g', 'g'],
  ['mL', 'mL'],
  ['units', '[U]'],
  ['mEq', 'meq'],
  ['%', '%'],
]);

const INTERVAL = /^Q(\d+)(?:-(\d+))?H$/;

export interface MedicationStatementContext {
  /** `Patient/<id>` */
  patientReference: string;
  /** The document or message the text came from (`DocumentReference/<id>`, `Observation/<id>`). */
  sourceReference: string;
  /** The full text the span points into; when given, the span is checked against it. */
  sourceText?: string;
}

export function medicationStatementFromExtraction(
  m: ExtractedMedication,
  context: MedicationStatementContext,
): MedicationStatement {
  if (context.sourceText !== undefined && context.sourceText.slice(m.span.start, m.span.end) !== m.text) {
    throw new Error('extraction span does not match the source text');
  }
  const statement: MedicationStatement = {
    resourceType: 'MedicationStatement',
    id: stableId(
      'MedicationStatement',
      context.sourceReference,
      String(m.span.start),
      String(m.span.end),
      m.text,
    ),
    extension: [spanExtension(m), { url: ExtractionExtension.Confidence, valueDecimal: m.confidence }],
    status: m.status === 'stopped' ? 'stopped' : m.status === 'held' ? 'on-hold' : 'active',
    medicationCodeableConcept: m.concept
      ? {
          coding: [{ system: CodeSystem.RxNorm, code: m.concept.rxcui, display: m.concept.name }],
          text: m.name,
        }
      : { text: m.name },
    subject: { reference: context.patientReference },
    derivedFrom: [{ reference: context.sourceReference }],
    dosage: [dosageOf(m)],
  };
  return statement;
}

function spanExtension(m: ExtractedMedication): Extension {
  return {
    url: ExtractionExtension.Span,
    extension: [
      { url: 'start', valueInteger: m.span.start },
      { url: 'end', valueInteger: m.span.end },
      { url: 'text', valueString: m.text },
    ],
  };
}

function dosageOf(m: ExtractedMedication): Dosage {
  const dosage: Dosage = { text: m.text };
  if (m.frequency) dosage.timing = timingOf(m.frequency);
  if (m.prn) dosage.asNeededBoolean = true;
  if (m.prn && m.prnReason) {
    delete dosage.asNeededBoolean;
    dosage.asNeededCodeableConcept = { text: m.prnReason };
  }
  if (m.route) {
    const rule = routeRule(m.route);
    dosage.route = rule
      ? { coding: [{ system: CodeSystem.Snomed, code: rule.snomed, display: rule.display }], text: m.route }
      : { text: m.route };
  }
  // A discharge list's "metformin 500 mg BID" states the amount per administration as a strength.
  const amount = m.dose ?? (m.strength && UCUM.has(m.strength.unit) ? m.strength : undefined);
  if (amount) dosage.doseAndRate = [{ doseQuantity: quantityOf(amount) }];
  return dosage;
}

function timingOf(f: ExtractedFrequency): Timing {
  const gts = GTS_CODES.get(f.code);
  const timing: Timing = {
    code: gts ? { coding: [{ system: GTS_ABBREVIATION, code: gts }], text: f.text } : { text: f.text },
  };
  const interval = INTERVAL.exec(f.code);
  if (interval?.[1]) {
    timing.repeat = { frequency: 1, period: Number(interval[1]), periodUnit: 'h' };
    if (interval[2]) timing.repeat.periodMax = Number(interval[2]);
  } else if (f.code === 'QOD') {
    timing.repeat = { frequency: 1, period: 2, periodUnit: 'd' };
  } else if (f.code === 'WEEKLY') {
    timing.repeat = { frequency: 1, period: 1, periodUnit: 'wk' };
  } else {
    timing.repeat = { frequency: Math.round(f.perDay), period: 1, periodUnit: 'd' };
    // FHIR R4 EventTiming: HS = before sleep, MORN = morning, EVE = evening.
    if (f.code === 'QHS') timing.repeat.when = ['HS'];
    if (f.code === 'QAM') timing.repeat.when = ['MORN'];
    if (f.code === 'QPM') timing.repeat.when = ['EVE'];
  }
  return timing;
}

function quantityOf(amount: ExtractedAmount): Quantity {
  const code = UCUM.get(amount.unit);
  return code
    ? { value: amount.value, unit: amount.unit, system: CodeSystem.Ucum, code }
    : { value: amount.value, unit: amount.unit };
}
