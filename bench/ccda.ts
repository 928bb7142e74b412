// Benchmark: C-CDA -> clinical data for every whole ClinicalDocument in ../shared/corpus/ccda, RxBridge beside
// @medplum/ccda (convertXmlToCcda + convertCcdaToFhir) and bluebutton 0.4.2, same documents, same run: documents per
// second, documents handled without throwing, and clinical entries recovered.
import { createRequire } from 'node:module';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { convertCcdaToFhir, convertXmlToCcda } from '@medplum/ccda';
import type { Bundle } from '@medplum/fhirtypes';
import { machineLine, median } from './machine.ts';
import { convertCcdaDocument } from '../src/extract/ccda-narrative.ts';
import { createStarterTerminology } from '../src/terminology/starter-terminology.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const CORPUS = path.resolve(here, '../../shared/corpus/ccda');

/** The clinical resource types counted as recovered entries, for us and for @medplum/ccda alike. */
const CLINICAL = new Set([
  'MedicationStatement',
  'MedicationRequest',
  'MedicationAdministration',
  'AllergyIntolerance',
  'Condition',
  'Observation',
  'Immunization',
  'Encounter',
  'Procedure',
]);

function clinicalCount(bundle: Bundle): number {
  let n = 0;
  for (const e of bundle.entry ?? []) if (e.resource && CLINICAL.has(e.resource.resourceType)) n++;
  return n;
}

interface BlueButtonData {
  [section: string]: unknown;
}
type BlueButtonFn = (xml: string) => { data: BlueButtonData };
const require = createRequire(import.meta.url);

/** bluebutton's sections that hold the same kinds of entries; results and vitals count each test/value. */
function blueButtonCount(data: BlueButtonData): number {
  const list = (k: string): Record<string, unknown>[] =>
    Array.isArray(data[k]) ? (data[k] as Record<string, unknown>[]) : [];
  let n = 0;
  for (const k of ['medications', 'allergies', 'problems', 'immunizations', 'encounters', 'procedures'])
    n += list(k).length;
  for (const r of list('results')) n += Array.isArray(r['tests']) ? r['tests'].length : 0;
  for (const v of list('vitals')) n += Array.isArray(v['results']) ? v['results'].length : 0;
  return n;
}

type Runner = (xml: string) => number;

/** @medplum/ccda logs every value type it does not handle; keep the table readable. */
function quietly<T>(run: () => T): T {
  const { log, warn } = console;
  console.log = () => undefined;
  console.warn = () => undefined;
  try {
    return run();
  } finally {
    console.log = log;
    console.warn = warn;
  }
}

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = path.join(dir, name);
    return statSync(p).isDirectory() ? files(p) : [p];
  });
}

export function benchCcda(rounds = Number(process.env['BENCH_RUNS'] ?? 3)): void {
  console.log('\n## C-CDA documents -> FHIR / clinical data');
  if (!existsSync(CORPUS)) {
    console.log(`skipped: ${path.relative(process.cwd(), CORPUS)} is not present`);
    return;
  }
  // Whole documents only: the peers need a ClinicalDocument (the corpus also holds published fragments).
  const docs = files(CORPUS)
    .sort()
    .map((f) => readFileSync(f, 'utf8'))
    .filter((x) => /<([A-Za-z0-9_]+:)?ClinicalDocument[\s>]/.test(x.slice(0, 5000)));
  const bytes = docs.reduce((n, d) => n + d.length, 0);
  const terminology = createStarterTerminology();
  const blueButton = require('bluebutton') as BlueButtonFn;
  const contenders: { name: string; run: Runner }[] = [
    {
      name: 'rxbridge convertCcdaDocument (with narrative fallback)',
      run: (xml) => {
        const r = convertCcdaDocument(xml, { terminology });
        if (!r.ok) throw new Error('refused');
        return clinicalCount(r.value.bundle);
      },
    },
    {
      name: '@medplum/ccda convertXmlToCcda + convertCcdaToFhir',
      run: (xml) => quietly(() => clinicalCount(convertCcdaToFhir(convertXmlToCcda(xml)))),
    },
    { name: 'bluebutton 0.4.2', run: (xml) => blueButtonCount(blueButton(xml).data) },
  ];
  const results = contenders.map(() => ({
    rates: [] as number[],
    cpuRates: [] as number[],
    ok: 0,
    entries: 0,
  }));
  // One warm-up pass each (JIT), not measured.
  for (const c of contenders)
    for (const xml of docs) {
      try {
        c.run(xml);
      } catch {
        // measured below
      }
    }
  for (let round = 0; round < rounds; round++) {
    for (const [k, c] of contenders.entries()) {
      const res = results[k]!;
      let ok = 0;
      let entries = 0;
      const start = performance.now();
      const cpuStart = process.cpuUsage();
      for (const xml of docs) {
        try {
          entries += c.run(xml);
          ok++;
        } catch {
          // counted as not handled
        }
      }
      res.rates.push((docs.length / (performance.now() - start)) * 1000);
      const cpu = process.cpuUsage(cpuStart);
      res.cpuRates.push((docs.length / ((cpu.user + cpu.system) / 1000)) * 1000);
      res.ok = ok;
      res.entries = entries;
    }
  }
  console.log(machineLine());
  console.log(
    `input: ${docs.length} whole ClinicalDocuments from ../shared/corpus/ccda (${(bytes / 1024 / 1024).toFixed(1)} MB); median of ${rounds} full passes, libraries interleaved\n`,
  );
  console.log(
    '| library | docs/s (wall) | docs/s (process CPU time) | docs handled (no throw) | clinical entries recovered |',
  );
  console.log('|---|---:|---:|---:|---:|');
  for (const [k, c] of contenders.entries()) {
    const r = results[k]!;
    console.log(
      `| ${c.name} | ${Math.round(median(r.rates)).toLocaleString('en-US')} | ${Math.round(median(r.cpuRates)).toLocaleString('en-US')} | ${r.ok} of ${docs.length} | ${r.entries} |`,
    );
  }
  console.log(
    '\nprocess CPU time counts every thread of this process (GC included) and is less disturbed by other load on the machine than wall time.',
  );
  console.log(
    'clinical entries: FHIR MedicationStatement/Request/Administration, AllergyIntolerance, Condition, Observation, Immunization, Encounter and Procedure resources (rxbridge, @medplum/ccda); for bluebutton its medications, allergies, problems, immunizations, encounters, procedures, result tests and vital values. A library that throws on a document recovers nothing from it.',
  );
}

if (import.meta.url === `file://${process.argv[1]}`) benchCcda();
