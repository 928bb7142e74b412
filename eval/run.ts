// npm run eval: runs every evaluation module in turn and prints its report (each module skips itself without data).
import { ccdaPairedEval } from './ccda-paired.ts';
import { ccdaVendorsEval } from './ccda-vendors.ts';
import { hl7v2PairedEval } from './hl7v2-paired.ts';
import { pilotEval } from './pilot.ts';
import { scenariosEval } from './scenarios.ts';
import { syntheaReconcileEval } from './synthea-reconcile.ts';
import { evalTextExtraction } from './text-extraction.ts';

/** An evaluation: a name and a run that prints its own report. Add new modules to EVALS. */
export interface EvalModule {
  name: string;
  run(): Promise<void> | void;
}

export const EVALS: readonly EvalModule[] = [
  hl7v2PairedEval,
  ccdaPairedEval,
  ccdaVendorsEval,
  { name: 'text extraction', run: evalTextExtraction },
  scenariosEval,
  syntheaReconcileEval,
  pilotEval,
];

for (const module of EVALS) {
  console.log(`\n=== ${module.name} ===`);
  await module.run();
}
