// Every C-CDA in ../shared/corpus/ccda through the reader, per vendor folder: documents, structured entries present
// in the XML (counted independently of the reader: <entry> elements found by a plain text scan, comments removed),
// entries mapped, resources made, narrative facts, and issues by kind. Nothing may crash.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { convertCcdaDocument } from '../src/extract/ccda-narrative.ts';
import { createStarterTerminology } from '../src/terminology/starter-terminology.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
export const CCDA_CORPUS_DIR = path.resolve(here, '../../shared/corpus/ccda');

export interface VendorRow {
  vendor: string;
  documents: number;
  /** Whole ClinicalDocuments (the rest are published section/entry fragments). */
  wholeDocuments: number;
  refused: number;
  crashed: number;
  entriesPresent: number;
  entriesMapped: number;
  resources: number;
  fromNarrative: number;
  issues: Record<string, number>;
}

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = path.join(dir, name);
    return statSync(p).isDirectory() ? files(p) : [p];
  });
}

/** The vendor a file belongs to: the sample set's vendor folder where it has one. */
export function vendorOf(relative: string): string {
  const parts = relative.split(path.sep);
  if (parts[0] === 'chb-sample-ccdas') return `chb/${parts[1]}`;
  if (parts[0] === 'onc-2015-cert-samples' && parts[1] === 'DrummondGroup')
    return `onc/${(parts[3] ?? '').replace(/^Drummond_?Group_-_/, '')}`;
  if (parts[0] === 'onc-2015-cert-samples') return `onc/${parts[2]}`;
  return parts[0] ?? relative;
}

/** <entry> elements in the text, any prefix, comments left out: the reader's own count is not trusted here. */
export function countEntries(xml: string): number {
  const bare = xml.replace(/<!--[\s\S]*?-->/g, '');
  return (bare.match(/<([A-Za-z0-9_]+:)?entry[\s>/]/g) ?? []).length;
}

export function scoreVendors(dir: string = CCDA_CORPUS_DIR): VendorRow[] {
  const rows = new Map<string, VendorRow>();
  const terminology = createStarterTerminology();
  for (const file of files(dir).sort()) {
    const vendor = vendorOf(path.relative(dir, file));
    const row =
      rows.get(vendor) ??
      ({
        vendor,
        documents: 0,
        wholeDocuments: 0,
        refused: 0,
        crashed: 0,
        entriesPresent: 0,
        entriesMapped: 0,
        resources: 0,
        fromNarrative: 0,
        issues: {},
      } satisfies VendorRow);
    rows.set(vendor, row);
    const xml = readFileSync(file, 'utf8');
    row.documents++;
    row.entriesPresent += countEntries(xml);
    try {
      const r = convertCcdaDocument(xml, { terminology });
      for (const i of r.issues) {
        const kind = `${i.severity === 'error' ? 'error ' : ''}${i.code}`;
        row.issues[kind] = (row.issues[kind] ?? 0) + 1;
      }
      if (!r.ok) {
        row.refused++;
        continue;
      }
      if (!r.value.coverage.documentType.endsWith('fragment')) row.wholeDocuments++;
      row.entriesMapped += r.value.coverage.entriesMapped;
      row.resources += r.value.bundle.entry?.length ?? 0;
      row.fromNarrative += Object.values(r.value.fromNarrative).reduce((a, b) => a + b, 0);
    } catch {
      row.crashed++;
    }
  }
  return [...rows.values()];
}

export function formatVendors(rows: readonly VendorRow[]): string {
  const kinds = [...new Set(rows.flatMap((r) => Object.keys(r.issues)))].sort();
  const lines = [
    `| vendor | docs (whole) | refused | crashed | entries in XML | entries mapped | resources | from narrative | ${kinds.join(' | ')} |`,
    `|---|---:|---:|---:|---:|---:|---:|---:|${kinds.map(() => '---:').join('|')}|`,
  ];
  const total: VendorRow = {
    vendor: '**all**',
    documents: 0,
    wholeDocuments: 0,
    refused: 0,
    crashed: 0,
    entriesPresent: 0,
    entriesMapped: 0,
    resources: 0,
    fromNarrative: 0,
    issues: {},
  };
  for (const r of [...rows, total]) {
    if (r !== total) {
      total.documents += r.documents;
      total.wholeDocuments += r.wholeDocuments;
      total.refused += r.refused;
      total.crashed += r.crashed;
      total.entriesPresent += r.entriesPresent;
      total.entriesMapped += r.entriesMapped;
      total.resources += r.resources;
      total.fromNarrative += r.fromNarrative;
      for (const [k, v] of Object.entries(r.issues)) total.issues[k] = (total.issues[k] ?? 0) + v;
    }
    lines.push(
      `| ${r.vendor} | ${r.documents} (${r.wholeDocuments}) | ${r.refused} | ${r.crashed} | ${r.entriesPresent} | ${r.entriesMapped} | ${r.resources} | ${r.fromNarrative} | ${kinds.map((k) => r.issues[k] ?? 0).join(' | ')} |`,
    );
  }
  lines.push(
    '',
    'entries in XML: <entry> elements found by a text scan (comments removed), independent of the reader. entries mapped:',
    'those that gave at least one resource (a published fragment that is a bare statement counts as one entry mapped but',
    'has no <entry> element). Every entry not mapped has a warning naming its location and template. Refused: not',
    'well-formed XML, or a root that is no ClinicalDocument, section or entry (header snippets, empty files), each',
    'with one error issue. Issue kinds are FHIR OperationOutcome codes.',
  );
  return lines.join('\n');
}

export const ccdaVendorsEval = {
  name: 'C-CDA vendor corpus (every document, per vendor)',
  run(): void {
    if (!existsSync(CCDA_CORPUS_DIR)) {
      console.log(`skipped: ${path.relative(process.cwd(), CCDA_CORPUS_DIR)} is not present`);
      return;
    }
    console.log(formatVendors(scoreVendors()));
  },
};
