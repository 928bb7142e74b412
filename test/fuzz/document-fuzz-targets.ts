// Fuzz targets for documents: the safe XML reader and the C-CDA converter (seeded from ../shared/corpus/ccda),
// and the FHIR JSON reader of bulk NDJSON lines (seeded from ../shared/corpus/fhir). Each must return a result
// or clear issues for any input, never throw.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { parseSafeXml } from '../../src/inbound/ccda/xml/safe-xml.ts';
import type { Issue } from '../../src/kernel/result.ts';
import { convertCcda } from '../../src/normalize/ccda/convert-ccda.ts';
import { parseNdjsonLine } from '../../src/platform/ehr/bulk-data.ts';
import { applyMutations, mutations, type FuzzTarget, type Mutation } from './fuzz-targets.ts';

const CCDA_CORPUS = fileURLToPath(new URL('../../../shared/corpus/ccda/', import.meta.url));
const FHIR_CORPUS = fileURLToPath(new URL('../../../shared/corpus/fhir/', import.meta.url));
/** Larger documents make each run slow without finding more: mutate the small and medium ones. */
const MAX_SEED_CHARS = 80_000;

function filesUnder(dir: string, pattern: RegExp): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    let names: string[];
    try {
      names = readdirSync(d);
    } catch {
      return;
    }
    for (const name of names.sort()) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (pattern.test(name)) out.push(p);
    }
  };
  walk(dir);
  return out;
}

const BUILT_IN_CCDA = [
  '<?xml version="1.0"?><ClinicalDocument xmlns="urn:hl7-org:v3"><id root="1.2.3" extension="x"/><code code="34133-9" codeSystem="2.16.840.1.113883.6.1"/><recordTarget><patientRole><id root="2.16" extension="MRN1"/></patientRole></recordTarget><component><structuredBody><component><section><code code="10160-0" codeSystem="2.16.840.1.113883.6.1"/><entry><substanceAdministration classCode="SBADM" moodCode="INT"><consumable><manufacturedProduct><manufacturedMaterial><code code="197361" codeSystem="2.16.840.1.113883.6.88"/></manufacturedMaterial></manufacturedProduct></consumable></substanceAdministration></entry></section></component></structuredBody></component></ClinicalDocument>',
];

export function seedCcdaDocuments(): string[] {
  const docs = filesUnder(CCDA_CORPUS, /\.xml$/i)
    .map((p) => readFileSync(p, 'utf8'))
    .filter((t) => t.length <= MAX_SEED_CHARS);
  return [...BUILT_IN_CCDA, ...docs];
}

export function seedFhirLines(): string[] {
  const lines: string[] = ['{"resourceType":"Patient","id":"p1","name":[{"family":"Test"}]}'];
  for (const p of filesUnder(FHIR_CORPUS, /\.json$/i)) {
    try {
      const value = JSON.parse(readFileSync(p, 'utf8')) as { resourceType?: string; entry?: unknown[] };
      // Bundles contribute their entries' resources, one NDJSON line each, as a bulk export would.
      const resources =
        value.resourceType === 'Bundle' && Array.isArray(value.entry)
          ? value.entry.map((e) => (e as { resource?: unknown }).resource).filter((r) => r !== undefined)
          : [value];
      for (const r of resources.slice(0, 50)) lines.push(JSON.stringify(r));
    } catch {
      // Not JSON (some corpus files are templates): not a seed.
    }
  }
  return lines;
}

function preview(text: string, max = 160): string {
  return `${text.length} chars ${JSON.stringify(text.slice(0, max))}${text.length > max ? '…' : ''}`;
}

function fail(message: string): never {
  throw new Error(message);
}

function checkIssues(issues: readonly Issue[], what: string): void {
  if (issues.length === 0) fail(`${what}: refused without an issue`);
  for (const i of issues) {
    if (typeof i.message !== 'string' || i.message === '') fail(`${what}: issue without a message`);
  }
}

const xmlChar = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom('<', '>', '/', '=', '"', "'", '&', ';', '!', '?', ' ', '\n', ':') },
  { weight: 4, arbitrary: fc.string({ minLength: 1, maxLength: 1 }) },
  {
    weight: 1,
    arbitrary: fc.constantFrom('<!DOCTYPE', '<!ENTITY', ']]>', '<![CDATA[', '&#x0;', '&lt;', '\u0000'),
  },
);

const xmlMutation = mutations(xmlChar, { maxDelete: 60, maxDuplicate: 400 });

/** Mutations that keep the markup well formed: a value or text changed, so the converter (not only the reader) runs. */
const contentChar = fc.constantFrom(...'abcXYZ0123456789 .-:'.split(''));
const contentMutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({
    op: fc.constant('replace' as const),
    at: fc.nat(),
    text: fc.string({ unit: contentChar, minLength: 1, maxLength: 6 }),
  }),
  fc.record({
    op: fc.constant('insert' as const),
    at: fc.nat(),
    text: fc.string({ unit: contentChar, maxLength: 12 }),
  }),
);

/** Only mutations that land between tags, or inside attribute values, keep the document well formed. */
function contentOnly(seed: string, ms: readonly Mutation[]): string {
  let s = seed;
  for (const m of ms) {
    const next = applyMutations(s, [m]);
    const at = 'at' in m && s.length > 0 ? m.at % (s.length + 1) : 0;
    const before = s.lastIndexOf('<', at);
    const close = s.lastIndexOf('>', at);
    const quote = s.slice(Math.max(before, 0), at).split('"').length % 2 === 0;
    if (close >= before || quote) s = next;
  }
  return s;
}

/** Every seed equally likely (fast-check's constantFrom favours the first ones). */
function pick(seeds: readonly string[]): fc.Arbitrary<string> {
  return fc.noBias(fc.nat({ max: seeds.length - 1 })).map((i) => seeds[i] ?? '');
}

function mutated(seeds: readonly string[], randomMax: number): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 1, arbitrary: fc.string({ unit: xmlChar, maxLength: randomMax }) },
    {
      weight: 4,
      arbitrary: fc
        .tuple(pick(seeds), fc.array(xmlMutation, { minLength: 1, maxLength: 6 }))
        .map(([seed, ms]) => applyMutations(seed, ms)),
    },
    {
      weight: 4,
      arbitrary: fc
        .tuple(pick(seeds), fc.array(contentMutation, { minLength: 1, maxLength: 8 }))
        .map(([seed, ms]) => contentOnly(seed, ms)),
    },
  );
}

function checkXml(input: string): void {
  const r = parseSafeXml(input);
  if (!r.ok) checkIssues(r.issues, 'parseSafeXml');
}

function checkCcda(input: string): void {
  const r = convertCcda(input);
  if (!r.ok) {
    checkIssues(r.issues, 'convertCcda');
    return;
  }
  JSON.stringify(r.value);
}

function checkFhirLine(input: string): void {
  const r = parseNdjsonLine(input);
  if (!r.ok) {
    if (typeof r.error !== 'string' || r.error === '') fail('parseNdjsonLine: refusal without a reason');
    return;
  }
  if (typeof r.resource.resourceType !== 'string' || typeof r.resource.id !== 'string')
    fail('parseNdjsonLine: accepted a resource without resourceType and id');
}

export function documentTargets(): FuzzTarget[] {
  const docs = seedCcdaDocuments();
  const lines = seedFhirLines();
  return [
    {
      name: `parseSafeXml (C-CDA XML reader: random, mutated documents: ${docs.length} seeds)`,
      arbitrary: mutated(docs, 400),
      check: checkXml,
      describe: (s) => preview(s),
      ciRuns: 2_000,
    } satisfies FuzzTarget<string>,
    {
      name: `convertCcda (C-CDA to FHIR: mutated documents: ${docs.length} seeds)`,
      arbitrary: mutated(docs, 400),
      check: checkCcda,
      describe: (s) => preview(s),
      ciRuns: 2_000,
    } satisfies FuzzTarget<string>,
    {
      name: `parseNdjsonLine (FHIR JSON reader: mutated resources: ${lines.length} seeds)`,
      arbitrary: fc.oneof(
        { weight: 1, arbitrary: fc.json() },
        { weight: 1, arbitrary: fc.string({ maxLength: 200 }) },
        {
          weight: 6,
          arbitrary: fc
            .tuple(pick(lines), fc.array(xmlMutation, { minLength: 1, maxLength: 6 }))
            .map(([seed, ms]) => applyMutations(seed, ms)),
        },
      ),
      check: checkFhirLine,
      describe: (s) => preview(s),
    } satisfies FuzzTarget<string>,
  ] as FuzzTarget[];
}
