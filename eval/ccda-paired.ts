// Scores our C-CDA -> FHIR conversion against Microsoft FHIR-Converter's output for the paired corpus: per clinical
// item (medication, allergy, problem, immunization), code + status + dose. The converter is not truth: every
// difference is listed with the rule that explains it, and precision/recall are printed both raw and with the
// differences where the reference itself is wrong set aside. Reads ../shared in place; never copies it.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Bundle } from '@medplum/fhirtypes';
import { convertCcdaDocument, FROM_NARRATIVE_URL } from '../src/extract/ccda-narrative.ts';
import { createStarterTerminology } from '../src/terminology/starter-terminology.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
export const CCDA_PAIRED_DIR = path.resolve(here, '../../shared/corpus/paired/fhir-converter-ccda');

type Json = Record<string, unknown>;
export type Category = 'medication' | 'allergy' | 'problem' | 'immunization';
export const CATEGORIES: readonly Category[] = ['medication', 'allergy', 'problem', 'immunization'];
type Field = 'code' | 'status' | 'dose';

interface Item {
  type: string;
  codes: Set<string>;
  status?: string;
  dose?: string;
  fromNarrative: boolean;
  /** negationInd-style facts that explain status differences. */
  notDone: boolean;
  /** A coded "no known ..." statement (negated entry). */
  noKnown: boolean;
  /** Condition category code (encounter-diagnosis for discharge/admission/pre-op diagnoses). */
  category?: string;
}

/** Codes we give negated "none known" entries (SNOMED CT situations and the generic drug concept). */
const NO_KNOWN_CODES = new Set([
  '409137002',
  '716186003',
  '429625007',
  '428607008',
  '160245001',
  '410942007',
]);

export interface Difference {
  document: string;
  category: Category;
  field: Field;
  side: 'ours only' | 'expected only' | 'mismatch';
  detail: string;
  /** The rule that accounts for it; undefined = unexplained. */
  explanation?: string;
  /** True when the explanation shows the reference is wrong or incomplete (set aside in adjudicated scores). */
  referenceWrong: boolean;
}

export interface Tally {
  ours: number;
  expected: number;
  matched: number;
}

export interface CcdaPairedReport {
  documents: number;
  failed: string[];
  raw: Record<Category, Record<Field, Tally>>;
  adjudicated: Record<Category, Record<Field, Tally>>;
  differences: Difference[];
}

const arr = (v: unknown): Json[] =>
  Array.isArray(v) ? (v as Json[]) : v && typeof v === 'object' ? [v as Json] : [];
const obj = (v: unknown): Json | undefined =>
  v && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : undefined;
const str = (v: unknown): string | undefined =>
  typeof v === 'string' || typeof v === 'number' ? String(v) : undefined;

function codesOf(cc: unknown): string[] {
  return arr(obj(cc)?.['coding']).flatMap((c) => {
    const code = str(c['code']);
    return code ? [code.toUpperCase()] : [];
  });
}

function itemsOf(bundle: Bundle | Json): Record<Category, Item[]> {
  const entries = arr((bundle as Json)['entry']);
  const byRef = new Map<string, Json>();
  for (const e of entries) {
    const r = obj(e['resource']);
    if (!r) continue;
    byRef.set(`${str(r['resourceType'])}/${str(r['id'])}`, r);
    const url = str(e['fullUrl']);
    if (url) byRef.set(url, r);
  }
  const out: Record<Category, Item[]> = { medication: [], allergy: [], problem: [], immunization: [] };
  for (const e of entries) {
    const r = obj(e['resource']);
    if (!r) continue;
    const type = str(r['resourceType']) ?? '';
    const narrative = arr(r['extension']).some((x) => x['url'] === FROM_NARRATIVE_URL);
    const base = { type, fromNarrative: narrative, notDone: false, noKnown: false };
    if (
      type === 'MedicationStatement' ||
      type === 'MedicationRequest' ||
      type === 'MedicationAdministration'
    ) {
      const medRef = str(obj(r['medicationReference'])?.['reference']);
      const med = medRef ? byRef.get(medRef) : undefined;
      const codes = codesOf(r['medicationCodeableConcept'] ?? med?.['code']);
      const dosage = arr(r[type === 'MedicationStatement' ? 'dosage' : 'dosageInstruction'])[0];
      const dose =
        type === 'MedicationAdministration'
          ? str(obj(obj(r['dosage'])?.['dose'])?.['value'])
          : str(obj(obj(arr(dosage?.['doseAndRate'])[0])?.['doseQuantity'])?.['value']);
      out.medication.push({
        ...base,
        noKnown: codes.some((c) => NO_KNOWN_CODES.has(c)) && str(r['status']) === 'not-taken',
        codes: new Set(codes),
        ...(str(r['status']) ? { status: str(r['status'])! } : {}),
        ...(dose ? { dose } : {}),
      });
    } else if (type === 'AllergyIntolerance') {
      // The converter writes the substance on each reaction; the same fact, read from either place.
      const codes = [...codesOf(r['code']), ...arr(r['reaction']).flatMap((x) => codesOf(x['substance']))];
      const status = codesOf(r['clinicalStatus'])[0]?.toLowerCase();
      out.allergy.push({
        ...base,
        noKnown: codes.some((c) => NO_KNOWN_CODES.has(c)),
        codes: new Set(codes),
        ...(status ? { status } : {}),
      });
    } else if (type === 'Condition') {
      const status = codesOf(r['clinicalStatus'])[0]?.toLowerCase();
      const codes = codesOf(r['code']);
      const category = arr(r['category'])
        .flatMap((c) => codesOf(c))[0]
        ?.toLowerCase();
      out.problem.push({
        ...base,
        noKnown: codes.some((c) => NO_KNOWN_CODES.has(c)),
        codes: new Set(codes),
        ...(status ? { status } : {}),
        ...(category ? { category } : {}),
      });
    } else if (type === 'Immunization') {
      const status = str(r['status']);
      out.immunization.push({
        ...base,
        codes: new Set(codesOf(r['vaccineCode'])),
        ...(status ? { status } : {}),
        notDone: status === 'not-done' || obj(r['statusReason']) !== undefined,
      });
    }
  }
  return out;
}

const emptyTallies = (): Record<Category, Record<Field, Tally>> =>
  Object.fromEntries(
    CATEGORIES.map((c) => [
      c,
      {
        code: { ours: 0, expected: 0, matched: 0 },
        status: { ours: 0, expected: 0, matched: 0 },
        dose: { ours: 0, expected: 0, matched: 0 },
      },
    ]),
  ) as Record<Category, Record<Field, Tally>>;

/** Why ours and theirs differ on one fact; referenceWrong when the C-CDA shows the converter's output is wrong. */
function explain(
  category: Category,
  field: Field,
  side: Difference['side'],
  ours: Item | undefined,
  theirs: Item | undefined,
  expectedEmpty: boolean,
): { explanation?: string; referenceWrong: boolean } {
  if (side === 'ours only' && ours?.fromNarrative)
    return {
      explanation: 'read from section narrative no entry carries; the converter does not read narrative',
      referenceWrong: true,
    };
  if (side === 'ours only' && field === 'status' && ours?.type === 'MedicationStatement')
    return {
      explanation: 'the converter omits MedicationStatement.status, which FHIR R4 requires (1..1)',
      referenceWrong: true,
    };
  if (side === 'ours only' && field === 'status' && (category === 'allergy' || category === 'problem'))
    return {
      explanation:
        'the converter leaves clinicalStatus out; ours comes from the status observation or the concern act statusCode',
      referenceWrong: true,
    };
  if (side === 'mismatch' && field === 'status' && category === 'immunization' && ours?.status === 'not-done')
    return {
      explanation:
        'negationInd="true" (not given, with a refusal reason): the converter still says completed',
      referenceWrong: true,
    };
  if (side === 'expected only' && theirs?.type === 'MedicationRequest' && category === 'medication')
    return {
      explanation:
        'the converter adds a MedicationRequest for the Medication Supply Order (4.17) nested in a Medication Activity; we map the activity once',
      referenceWrong: true,
    };
  if (side === 'ours only' && ours?.type === 'MedicationRequest' && category === 'medication')
    return {
      explanation:
        'planned medication (Plan of Treatment, moodCode INT) mapped as a MedicationRequest; the converter leaves it out',
      referenceWrong: true,
    };
  if (side === 'ours only' && field === 'status' && category === 'immunization' && theirs)
    return {
      explanation: 'the converter omits Immunization.status, which FHIR R4 requires (1..1)',
      referenceWrong: true,
    };
  if (side === 'ours only' && ours?.noKnown)
    return {
      explanation:
        'negated entry ("no known allergies / problems / medications"): coded as the SNOMED CT situation; the converter drops it or codes the problem type (55607006)',
      referenceWrong: true,
    };
  if (side === 'expected only' && field === 'code' && theirs?.codes.has('55607006'))
    return {
      explanation:
        'the converter codes a negated problem with the observation type 55607006 "Problem" instead of "no known problems"',
      referenceWrong: true,
    };
  if (side === 'ours only' && field === 'code' && category === 'allergy' && theirs && theirs.codes.size === 0)
    return {
      explanation: 'the converter drops the allergen (participant/playingEntity/code)',
      referenceWrong: true,
    };
  if (
    side === 'mismatch' &&
    field === 'status' &&
    category === 'problem' &&
    /^\d+$/.test(theirs?.status ?? '')
  )
    return {
      explanation:
        'the converter writes the Health Status Observation (4.5, e.g. 81323004 "Alive and well") into Condition.clinicalStatus, which is bound to condition-clinical',
      referenceWrong: true,
    };
  if (side === 'ours only' && category === 'problem' && ours?.category === 'encounter-diagnosis' && !theirs)
    return {
      explanation: 'discharge diagnosis act (4.33) mapped; the converter skips that section',
      referenceWrong: true,
    };
  if (side === 'ours only' && !theirs && ours && !ours.fromNarrative && expectedEmpty)
    return {
      explanation: `the converter emits no ${category} at all for this document although it has coded ${category} entries (sections skipped silently)`,
      referenceWrong: true,
    };
  return { referenceWrong: false };
}

function tally(t: Tally, ours: number, expected: number, matched: number): void {
  t.ours += ours;
  t.expected += expected;
  t.matched += matched;
}

function compareDocument(
  name: string,
  mine: Record<Category, Item[]>,
  theirs: Record<Category, Item[]>,
  report: CcdaPairedReport,
): void {
  for (const category of CATEGORIES) {
    const ours = [...mine[category]];
    const expected = theirs[category];
    const pairs: [Item | undefined, Item | undefined][] = [];
    const used = new Set<Item>();
    for (const t of expected) {
      const m = ours.find((o) => !used.has(o) && [...t.codes].some((c) => o.codes.has(c)));
      if (m) used.add(m);
      pairs.push([m, t]);
    }
    // Items without codes on one side pair with the leftovers of the other in document order.
    for (const p of pairs) {
      if (p[0] !== undefined) continue;
      const m = ours.find((o) => !used.has(o) && (o.codes.size === 0 || p[1]!.codes.size === 0));
      if (m) {
        used.add(m);
        p[0] = m;
      }
    }
    for (const o of ours) if (!used.has(o)) pairs.push([o, undefined]);
    for (const [o, t] of pairs) {
      for (const field of ['code', 'status', 'dose'] as const) {
        const a = field === 'code' ? (o && o.codes.size ? [...o.codes].join('|') : undefined) : o?.[field];
        const b = field === 'code' ? (t && t.codes.size ? [...t.codes].join('|') : undefined) : t?.[field];
        if (a === undefined && b === undefined) continue;
        const same =
          field === 'code'
            ? o !== undefined && t !== undefined && a !== undefined && b !== undefined
            : a === b;
        const raw = report.raw[category][field];
        const adj = report.adjudicated[category][field];
        if (same) {
          tally(raw, 1, 1, 1);
          tally(adj, 1, 1, 1);
          continue;
        }
        const side: Difference['side'] =
          a === undefined ? 'expected only' : b === undefined ? 'ours only' : 'mismatch';
        tally(raw, a === undefined ? 0 : 1, b === undefined ? 0 : 1, 0);
        const why = explain(category, field, side, o, t, expected.length === 0);
        if (why.referenceWrong) {
          // Set aside: ours counts as right where the reference is shown wrong or silent.
          if (a !== undefined) tally(adj, 1, 1, 1);
        } else tally(adj, a === undefined ? 0 : 1, b === undefined ? 0 : 1, 0);
        report.differences.push({
          document: name,
          category,
          field,
          side,
          detail: `ours ${a ?? '-'} / expected ${b ?? '-'} (${o?.type ?? t?.type ?? '?'})`,
          ...(why.explanation ? { explanation: why.explanation } : {}),
          referenceWrong: why.referenceWrong,
        });
      }
    }
  }
}

export function scoreCcdaPaired(dir: string = CCDA_PAIRED_DIR): CcdaPairedReport {
  const report: CcdaPairedReport = {
    documents: 0,
    failed: [],
    raw: emptyTallies(),
    adjudicated: emptyTallies(),
    differences: [],
  };
  const terminology = createStarterTerminology();
  for (const name of readdirSync(dir).sort()) {
    const input = path.join(dir, name, 'input.ccda.xml');
    const expectedPath = path.join(dir, name, 'expected.fhir.json');
    if (!existsSync(input) || !existsSync(expectedPath)) continue;
    report.documents++;
    const ours = convertCcdaDocument(readFileSync(input, 'utf8'), { terminology });
    if (!ours.ok) report.failed.push(name);
    const mine = ours.ok ? itemsOf(ours.value.bundle) : itemsOf({});
    const theirs = itemsOf(JSON.parse(readFileSync(expectedPath, 'utf8')) as Json);
    compareDocument(name, mine, theirs, report);
  }
  return report;
}

const ratio = (n: number, d: number): string => (d === 0 ? '   -' : (n / d).toFixed(3));

export function formatCcdaPaired(report: CcdaPairedReport): string {
  const lines = [
    `${report.documents} documents; conversion failures: ${report.failed.length ? report.failed.join(', ') : 'none'}`,
    '',
    '| category | field | ours | expected | matched | precision | recall | adjudicated precision | adjudicated recall |',
    '|---|---|---:|---:|---:|---:|---:|---:|---:|',
  ];
  const totals = { raw: { ours: 0, expected: 0, matched: 0 }, adj: { ours: 0, expected: 0, matched: 0 } };
  for (const c of CATEGORIES)
    for (const f of ['code', 'status', 'dose'] as const) {
      const r = report.raw[c][f];
      const a = report.adjudicated[c][f];
      tally(totals.raw, r.ours, r.expected, r.matched);
      tally(totals.adj, a.ours, a.expected, a.matched);
      if (r.ours + r.expected === 0) continue;
      lines.push(
        `| ${c} | ${f} | ${r.ours} | ${r.expected} | ${r.matched} | ${ratio(r.matched, r.ours)} | ${ratio(r.matched, r.expected)} | ${ratio(a.matched, a.ours)} | ${ratio(a.matched, a.expected)} |`,
      );
    }
  lines.push(
    `| **all** | | ${totals.raw.ours} | ${totals.raw.expected} | ${totals.raw.matched} | ${ratio(totals.raw.matched, totals.raw.ours)} | ${ratio(totals.raw.matched, totals.raw.expected)} | ${ratio(totals.adj.matched, totals.adj.ours)} | ${ratio(totals.adj.matched, totals.adj.expected)} |`,
  );
  const byReason = new Map<string, Difference[]>();
  for (const d of report.differences) {
    const k = d.explanation ?? 'UNEXPLAINED';
    byReason.set(k, [...(byReason.get(k) ?? []), d]);
  }
  lines.push('', 'Differences by explanation:');
  for (const [reason, ds] of [...byReason.entries()].sort((a, b) => b[1].length - a[1].length)) {
    lines.push(`- ${ds.length} × ${reason}`);
    if (reason === 'UNEXPLAINED')
      for (const d of ds) lines.push(`    - ${d.document}: ${d.category}.${d.field} ${d.side}: ${d.detail}`);
  }
  return lines.join('\n');
}

export const ccdaPairedEval = {
  name: 'C-CDA -> FHIR vs FHIR-Converter (paired corpus)',
  run(): void {
    if (!existsSync(CCDA_PAIRED_DIR)) {
      console.log(`skipped: ${path.relative(process.cwd(), CCDA_PAIRED_DIR)} is not present`);
      return;
    }
    console.log(formatCcdaPaired(scoreCcdaPaired()));
  },
};
