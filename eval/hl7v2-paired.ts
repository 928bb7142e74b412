// Scores our HL7 v2 -> FHIR conversion against Microsoft FHIR-Converter's output for the paired corpus, per message
// type and field (precision/recall over clinically meaningful facts). Reads ../shared in place; never copies it.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Bundle, Quantity } from '@medplum/fhirtypes';
import { parseHl7 } from '../src/inbound/hl7v2/parse-hl7.ts';
import { convertHl7v2 } from '../src/normalize/hl7v2/convert-hl7v2.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
export const PAIRED_DIR = path.resolve(here, '../../shared/corpus/paired/fhir-converter-hl7v2');

type Json = Record<string, unknown>;
type Resolve = (reference: unknown) => Json | undefined;

const str = (v: unknown): string | undefined =>
  typeof v === 'string' || typeof v === 'number' ? String(v) : undefined;
const arr = (v: unknown): Json[] =>
  Array.isArray(v) ? (v as Json[]) : v && typeof v === 'object' ? [v as Json] : [];
const obj = (v: unknown): Json | undefined =>
  v && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : undefined;

function codes(cc: unknown): string[] {
  return arr(obj(cc)?.['coding'])
    .map((c) => str(c['code']))
    .filter((c): c is string => c !== undefined)
    .map((c) => c.toUpperCase());
}
function systems(cc: unknown): string[] {
  return arr(obj(cc)?.['coding'])
    .map((c) => str(c['system']))
    .filter((s): s is string => s !== undefined);
}
/** dateTime with a time -> the UTC instant, so the same moment in two offsets compares equal. */
function when(v: unknown): string[] {
  const s = str(v);
  if (s === undefined) return [];
  return [/T/.test(s) ? new Date(s).toISOString() : s];
}
function quantity(q: unknown): string[] {
  const v = obj(q) as Quantity | undefined;
  return v?.value === undefined ? [] : [String(v.value)];
}
function one(v: unknown): string[] {
  const s = str(v);
  return s === undefined ? [] : [s];
}

/** The clinically meaningful facts per resource type, each field a list of normalized values. */
const FIELDS: Record<string, Record<string, (r: Json, resolve: Resolve) => string[]>> = {
  Patient: {
    identifier: (r) => arr(r['identifier']).flatMap((i) => one(i['value'])),
    birthDate: (r) => one(r['birthDate']),
    gender: (r) => one(r['gender']),
  },
  Encounter: {
    class: (r) => one(obj(r['class'])?.['code']),
    status: (r) => one(r['status']),
    start: (r) => when(obj(r['period'])?.['start']),
    end: (r) => when(obj(r['period'])?.['end']),
    dischargeDisposition: (r) => codes(obj(r['hospitalization'])?.['dischargeDisposition']).slice(-1),
  },
  Observation: {
    code: (r) => codes(r['code']).slice(0, 1),
    status: (r) => one(r['status']),
    value: (r) => [
      ...quantity(r['valueQuantity']),
      ...codes(r['valueCodeableConcept']).slice(0, 1),
      ...one(r['valueString']),
    ],
    effective: (r) => when(r['effectiveDateTime']),
    interpretation: (r) => arr(r['interpretation']).flatMap((i) => codes(i)),
  },
  AllergyIntolerance: {
    code: (r) => codes(r['code']).slice(0, 1),
    clinicalStatus: (r) => codes(r['clinicalStatus']).map((c) => c.toLowerCase()),
    verificationStatus: (r) => codes(r['verificationStatus']).map((c) => c.toLowerCase()),
    criticality: (r) => one(r['criticality']),
    category: (r) => (Array.isArray(r['category']) ? (r['category'] as string[]) : []),
    reactionSeverity: (r) => arr(r['reaction']).flatMap((x) => one(x['severity'])),
  },
  Condition: {
    code: (r) => codes(r['code']).slice(0, 1),
    category: (r) =>
      arr(r['category'])
        .flatMap((c) => codes(c))
        .map((c) => c.toLowerCase()),
    clinicalStatus: (r) => codes(r['clinicalStatus']).map((c) => c.toLowerCase()),
    onset: (r) => when(r['onsetDateTime']),
  },
  MedicationRequest: {
    medication: (r, resolve) =>
      codes(r['medicationCodeableConcept'] ?? resolve(r['medicationReference'])?.['code']).slice(0, 1),
    medicationSystem: (r, resolve) =>
      systems(r['medicationCodeableConcept'] ?? resolve(r['medicationReference'])?.['code']).slice(0, 1),
    status: (r) => one(r['status']),
    intent: (r) => one(r['intent']),
    dose: (r) =>
      arr(r['dosageInstruction']).flatMap((d) =>
        arr(d['doseAndRate']).flatMap((x) => quantity(x['doseQuantity'])),
      ),
    route: (r) =>
      arr(r['dosageInstruction']).flatMap((d) =>
        codes(d['route'])
          .filter((c) => !/^\d+$/.test(c))
          .slice(0, 1),
      ),
    timingCode: (r) =>
      arr(r['dosageInstruction']).flatMap((d) => codes(obj(d['timing'])?.['code']).slice(-1)),
    authoredOn: (r) => when(r['authoredOn']),
    refills: (r) => one(obj(r['dispenseRequest'])?.['numberOfRepeatsAllowed']),
    dispenseQuantity: (r) => quantity(obj(r['dispenseRequest'])?.['quantity']),
  },
  MedicationDispense: {
    medication: (r, resolve) =>
      codes(r['medicationCodeableConcept'] ?? resolve(r['medicationReference'])?.['code']).slice(0, 1),
    status: (r) => one(r['status']),
    quantity: (r) => quantity(r['quantity']),
    whenHandedOver: (r) => when(r['whenHandedOver']),
    prescriptionNumber: (r) =>
      [
        ...arr(r['identifier']).flatMap((i) => one(i['value'])),
        ...arr(r['authorizingPrescription']).flatMap((a) => one(obj(a['identifier'])?.['value'])),
      ].slice(0, 1),
    route: (r) =>
      arr(r['dosageInstruction']).flatMap((d) =>
        codes(d['route'])
          .filter((c) => !/^\d+$/.test(c))
          .slice(0, 1),
      ),
  },
  Immunization: {
    vaccine: (r) => codes(r['vaccineCode']).slice(0, 1),
    vaccineSystem: (r) => systems(r['vaccineCode']).slice(0, 1),
    status: (r) => one(r['status']),
    occurrence: (r) => when(r['occurrenceDateTime']),
    lot: (r) => one(r['lotNumber']),
    dose: (r) => quantity(r['doseQuantity']),
    route: (r) =>
      codes(r['route'])
        .filter((c) => !/^\d+$/.test(c))
        .slice(0, 1),
    site: (r) => codes(r['site']).slice(0, 1),
    primarySource: (r) => (typeof r['primarySource'] === 'boolean' ? [String(r['primarySource'])] : []),
  },
  DocumentReference: {
    status: (r) => one(r['status']),
    type: (r) => codes(r['type']).slice(0, 1),
    contentType: (r) => arr(r['content']).flatMap((c) => one(obj(c['attachment'])?.['contentType'])),
  },
};

export interface FieldScore {
  ours: number;
  expected: number;
  matched: number;
}

/** Facts of a Bundle as "Type.field" -> multiset of values. */
export function factsOf(bundle: Bundle | Json): Map<string, string[]> {
  const entries = arr((bundle as Json)['entry']);
  const byKey = new Map<string, Json>();
  for (const e of entries) {
    const r = obj(e['resource']);
    if (!r) continue;
    byKey.set(`${str(r['resourceType'])}/${str(r['id'])}`, r);
    const url = str(e['fullUrl']);
    if (url) byKey.set(url, r);
  }
  const resolve: Resolve = (ref) => {
    const s = str(obj(ref)?.['reference']);
    return s === undefined ? undefined : byKey.get(s);
  };
  const facts = new Map<string, string[]>();
  for (const e of entries) {
    const r = obj(e['resource']);
    const type = str(r?.['resourceType']);
    const fields = type ? FIELDS[type] : undefined;
    if (!r || !fields || !type) continue;
    for (const [name, get] of Object.entries(fields)) {
      const key = `${type}.${name}`;
      facts.set(key, [...(facts.get(key) ?? []), ...get(r, resolve)]);
    }
  }
  return facts;
}

function matchCount(a: readonly string[], b: readonly string[]): number {
  const pool = new Map<string, number>();
  for (const v of b) pool.set(v, (pool.get(v) ?? 0) + 1);
  let n = 0;
  for (const v of a) {
    const left = pool.get(v) ?? 0;
    if (left > 0) {
      n++;
      pool.set(v, left - 1);
    }
  }
  return n;
}

export interface PairedReport {
  messages: number;
  failed: string[];
  /** message type -> "Type.field" -> counts */
  byType: Map<string, Map<string, FieldScore>>;
}

export function scorePaired(dir: string = PAIRED_DIR): PairedReport {
  const report: PairedReport = { messages: 0, failed: [], byType: new Map() };
  for (const name of readdirSync(dir).sort()) {
    const input = path.join(dir, name, 'input.hl7');
    const expectedPath = path.join(dir, name, 'expected.fhir.json');
    if (!existsSync(input) || !existsSync(expectedPath)) continue;
    report.messages++;
    const text = readFileSync(input, 'utf8');
    const parsed = parseHl7(text);
    const type = parsed.ok ? parsed.value.type : 'unparseable';
    const ours = convertHl7v2(text, { messageId: name });
    if (!ours.ok) report.failed.push(name);
    const mine = ours.ok ? factsOf(ours.value) : new Map<string, string[]>();
    const theirs = factsOf(JSON.parse(readFileSync(expectedPath, 'utf8')) as Json);
    const scores = report.byType.get(type) ?? new Map<string, FieldScore>();
    report.byType.set(type, scores);
    for (const key of new Set([...mine.keys(), ...theirs.keys()])) {
      const a = mine.get(key) ?? [];
      const b = theirs.get(key) ?? [];
      if (a.length === 0 && b.length === 0) continue;
      const s = scores.get(key) ?? { ours: 0, expected: 0, matched: 0 };
      s.ours += a.length;
      s.expected += b.length;
      s.matched += matchCount(a, b);
      scores.set(key, s);
    }
  }
  return report;
}

const pct = (n: number, d: number): string => (d === 0 ? '   -' : (n / d).toFixed(2));

export function formatPaired(report: PairedReport, detail: boolean): string {
  const lines: string[] = [];
  lines.push(
    `${report.messages} messages; conversion failures: ${report.failed.length ? report.failed.join(', ') : 'none'}`,
  );
  lines.push('');
  lines.push('| message type | ours | expected | matched | precision | recall |');
  lines.push('|---|---:|---:|---:|---:|---:|');
  const types = [...report.byType.keys()].sort();
  for (const type of types) {
    const t = { ours: 0, expected: 0, matched: 0 };
    for (const s of report.byType.get(type)!.values()) {
      t.ours += s.ours;
      t.expected += s.expected;
      t.matched += s.matched;
    }
    lines.push(
      `| ${type} | ${t.ours} | ${t.expected} | ${t.matched} | ${pct(t.matched, t.ours)} | ${pct(t.matched, t.expected)} |`,
    );
  }
  if (detail) {
    for (const type of types) {
      lines.push(
        '',
        `#### ${type}`,
        '',
        '| field | ours | expected | matched | precision | recall |',
        '|---|---:|---:|---:|---:|---:|',
      );
      for (const [key, s] of [...report.byType.get(type)!.entries()].sort())
        lines.push(
          `| ${key} | ${s.ours} | ${s.expected} | ${s.matched} | ${pct(s.matched, s.ours)} | ${pct(s.matched, s.expected)} |`,
        );
    }
  }
  return lines.join('\n');
}

export const hl7v2PairedEval = {
  name: 'HL7 v2 -> FHIR vs FHIR-Converter (paired corpus)',
  run(): void {
    if (!existsSync(PAIRED_DIR)) {
      console.log(`skipped: ${path.relative(process.cwd(), PAIRED_DIR)} is not present`);
      return;
    }
    const detail = process.argv.includes('--detail') || process.env['EVAL_DETAIL'] === '1';
    console.log(formatPaired(scorePaired(), detail));
    if (!detail) console.log('\n(per-field tables: npm run eval -- --detail)');
  },
};
