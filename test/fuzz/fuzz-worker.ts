// Runs one fuzz target in a worker thread, posting progress so the runner's watchdog can tell a hang from work.
import { parentPort, workerData } from 'node:worker_threads';
import { allTargets, runTarget } from './fuzz-targets.ts';

interface Job {
  index: number;
  runs: number;
  seed: number;
  guardMs: number;
}

const job = workerData as Job;
const target = allTargets()[job.index];
if (!target) throw new Error(`no fuzz target ${job.index}`);
parentPort?.postMessage({ kind: 'start', name: target.name });
const report = runTarget(target, {
  runs: job.runs,
  seed: job.seed,
  guardMs: job.guardMs,
  onProgress: (runs) => parentPort?.postMessage({ kind: 'progress', runs }),
});
parentPort?.postMessage({ kind: 'done', report });
