// `npm run fuzz`: every fuzz target for FUZZ_RUNS inputs (default 1,000,000) in worker threads, with a hang watchdog.
import { cpus } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { FuzzReport } from './fuzz-targets.ts';
import { allTargets, seedMessages } from './fuzz-targets.ts';

const RUNS = Number(process.env['FUZZ_RUNS'] ?? 1_000_000);
const SEED = Number(process.env['FUZZ_SEED'] ?? Date.now() % 2 ** 31);
/** One input slower than this is reported as slow. */
const GUARD_MS = Number(process.env['FUZZ_GUARD_MS'] ?? 1000);
/** No progress (10,000 inputs) for this long: the target is hung; the worker is stopped and the seed reported. */
const HANG_MS = Number(process.env['FUZZ_HANG_MS'] ?? 60_000);
/** Only the targets whose name contains one of these comma-separated words (FUZZ_ONLY=parseSig,extract). */
const ONLY = (process.env['FUZZ_ONLY'] ?? '')
  .split(',')
  .map((w) => w.trim().toLowerCase())
  .filter((w) => w !== '');
const PARALLEL = Math.max(1, Math.min(Number(process.env['FUZZ_PARALLEL'] ?? cpus().length), 4));

interface Outcome {
  index: number;
  report?: FuzzReport;
  hung?: { afterRuns: number; seconds: number };
  error?: string;
}

function runInWorker(index: number, seed: number): Promise<Outcome> {
  return new Promise((resolve) => {
    const worker = new Worker(new URL('./fuzz-worker.ts', import.meta.url), {
      workerData: { index, runs: RUNS, seed, guardMs: GUARD_MS },
    });
    let runs = 0;
    let last = Date.now();
    const started = Date.now();
    let settled = false;
    const finish = (outcome: Outcome): void => {
      if (settled) return;
      settled = true;
      clearInterval(watchdog);
      resolve(outcome);
    };
    const watchdog = setInterval(() => {
      if (Date.now() - last > HANG_MS) {
        finish({ index, hung: { afterRuns: runs, seconds: (Date.now() - started) / 1000 } });
        void worker.terminate();
      }
    }, 1000);
    worker.on('message', (m: { kind: string; runs?: number; report?: FuzzReport }) => {
      last = Date.now();
      if (m.kind === 'progress' && m.runs !== undefined) runs = m.runs;
      if (m.kind === 'done' && m.report) finish({ index, report: m.report });
    });
    worker.on('error', (error) => finish({ index, error: error.message }));
    worker.on('exit', (code) => finish({ index, error: `worker exited with code ${code}` }));
  });
}

const targets = allTargets();
const chosen = targets
  .map((t, index) => ({ name: t.name, index }))
  .filter((t) => ONLY.length === 0 || ONLY.some((w) => t.name.toLowerCase().includes(w)))
  .map((t) => t.index);
console.log(`# Fuzzing (QUALITY S13): ${RUNS.toLocaleString('en-US')} runs per target, seed ${SEED}`);
console.log(
  `seeds for mutation: ${seedMessages().length} messages (sample set + ../shared/corpus/hl7v2 when present); per-input guard ${GUARD_MS} ms; hang watchdog ${HANG_MS / 1000} s\n`,
);
const started = Date.now();
const outcomes: Outcome[] = [];
let next = 0;
await Promise.all(
  Array.from({ length: Math.min(PARALLEL, chosen.length) }, async () => {
    while (next < chosen.length) {
      const index = chosen[next++] ?? 0;
      const outcome = await runInWorker(index, SEED + index);
      outcomes.push(outcome);
      const name = targets[index]?.name ?? String(index);
      const r = outcome.report;
      console.error(
        r
          ? `done: ${name} (${r.runs} runs, ${r.crashes} crashes)`
          : `FAILED: ${name}: ${outcome.error ?? 'hung'}`,
      );
    }
  }),
);
outcomes.sort((a, b) => a.index - b.index);

const fmt = (n: number): string => n.toLocaleString('en-US');
console.log(
  '| target | runs | crashes | hangs / inputs over the guard | median ms/input | max ms/input | slowest input timed again, ms |',
);
console.log('|---|---|---|---|---|---|---|');
let bad = 0;
for (const o of outcomes) {
  const name = targets[o.index]?.name ?? String(o.index);
  if (o.report) {
    const r = o.report;
    bad += r.crashes + r.slow;
    console.log(
      `| ${name} | ${fmt(r.runs)} | ${fmt(r.crashes)} | 0 / ${r.slow} | ${r.medianMs.toFixed(4)} | ${r.maxMs.toFixed(2)} | ${r.slowestRetimedMs.toFixed(3)} |`,
    );
  } else {
    bad++;
    const hang = o.hung ? `HUNG after ${fmt(o.hung.afterRuns)} runs` : `error: ${o.error ?? '?'}`;
    console.log(`| ${name} | ? | ? | ${hang} | | | |`);
  }
}
console.log('\nslowest input per target:');
for (const o of outcomes) {
  if (!o.report) continue;
  const r = o.report;
  console.log(
    `- ${r.name}: ${r.maxMs.toFixed(2)} ms (timed again: ${r.slowestRetimedMs.toFixed(3)} ms; seed ${r.seed}): ${r.slowest}`,
  );
  for (const f of r.failures) console.log(`  crash: ${f.error}\n    input: ${f.input}`);
}
console.log(`\ntotal ${((Date.now() - started) / 1000).toFixed(0)} s; reproduce with FUZZ_SEED=${SEED}`);
process.exitCode = bad === 0 ? 0 : 1;
