// Benchmark: rules-only text extraction — discharge notes/s (medications, allergies, problems) and sigs/s (goal ≥ 2,000 notes/s).
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { machineLine, median } from './machine.ts';
import { extractAllergies } from '../src/extract/rules/extract-allergies.ts';
import { extractMedications } from '../src/extract/rules/extract-medications.ts';
import { extractProblems } from '../src/extract/rules/extract-problems.ts';
import { parseSig } from '../src/extract/sig/parse-sig.ts';
import { createStarterTerminology } from '../src/terminology/starter-terminology.ts';

const FIXTURES = fileURLToPath(new URL('../test/fixtures/text/', import.meta.url));

function rate(inputs: readonly string[], run: (text: string) => number, ms: number): number {
  let count = 0;
  let sink = 0;
  const start = performance.now();
  let now = start;
  while (now - start < ms) {
    for (const text of inputs) sink += run(text);
    count += inputs.length;
    now = performance.now();
  }
  if (sink < 0) console.log(sink);
  return count / ((now - start) / 1000);
}

export function benchTextExtraction(): void {
  const terminology = createStarterTerminology();
  const notes = readdirSync(`${FIXTURES}discharge`)
    .filter((f) => f.endsWith('.txt'))
    .map((f) => readFileSync(`${FIXTURES}discharge/${f}`, 'utf8'));
  const sigs = readFileSync(`${FIXTURES}sigs.gold.psv`, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '' && !l.startsWith('#'))
    .map((l) => l.split('|')[0]?.trim() ?? '');
  const extractNote = (text: string) =>
    extractMedications(text, { terminology }).length +
    extractAllergies(text, { terminology }).length +
    extractProblems(text).length;
  const medicationsOnly = (text: string) => extractMedications(text, { terminology }).length;
  const sig = (text: string) => parseSig(text).dosage.length;
  // Warm up, then the median of five runs (shared, noisy machines: PERFORMANCE.md).
  rate(notes, extractNote, 500);
  rate(sigs, sig, 300);
  const noteRates = [0, 1, 2, 3, 4].map(() => rate(notes, extractNote, 400));
  const medRates = [0, 1, 2, 3, 4].map(() => rate(notes, medicationsOnly, 400));
  const sigRates = [0, 1, 2, 3, 4].map(() => rate(sigs, sig, 400));
  const avgChars = Math.round(notes.reduce((n, t) => n + t.length, 0) / notes.length);
  console.log('\n## Text extraction (rules only, one core)');
  console.log(machineLine());
  console.log(
    `input: ${notes.length} fictional discharge summaries (avg ${avgChars} chars), ${sigs.length} gold sigs`,
  );
  console.log('| measure | median rate | goal |');
  console.log('|---|---|---|');
  console.log(
    `| notes/s (medications + allergies + problems) | ${Math.round(median(noteRates))} | ≥ 2,000 |`,
  );
  console.log(`| notes/s (medications only) | ${Math.round(median(medRates))} | |`);
  console.log(`| sigs/s (parseSig → Dosage + echo) | ${Math.round(median(sigRates))} | |`);
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1])
  benchTextExtraction();
