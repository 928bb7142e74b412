// npm run eval: the clinical scenario suite (test/fixtures/scenarios), per kind and per check precision/recall.
import { existsSync } from 'node:fs';
import {
  CDSI_DIR,
  categoryTable,
  scenarioTable,
  scoreScenarios,
  scoresByCategory,
} from '../test/fixtures/scenarios/run-scenarios.ts';
import type { EvalModule } from './run.ts';

/** Runs every scenario and prints the summary table, then precision/recall per check and the misses by name. */
export function evalScenarios(): void {
  // The vaccine scenarios need the CDC CDSi supporting data; RXBRIDGE_CDSI_DIR points elsewhere than ../shared.
  const dir = process.env['RXBRIDGE_CDSI_DIR'] ?? CDSI_DIR;
  const cdsiDir = existsSync(dir) ? dir : undefined;
  if (!cdsiDir) console.log(`(no CDSi supporting data at ${dir}: vaccine scenarios skipped)`);
  const scores = scoreScenarios(cdsiDir);
  console.log(scenarioTable(scores));
  console.log('');
  console.log(categoryTable(scoresByCategory(scores)));
  const wrong = scores.filter((s) => s.missing.length > 0 || s.falsePositives.length > 0);
  for (const s of wrong) {
    console.log(
      `- ${s.name}: missing ${s.missing.join(', ') || '-'}; false positives ${s.falsePositives.join(', ') || '-'}`,
    );
  }
  if (wrong.length === 0) console.log(`\nAll ${scores.length} scenarios as expected.`);
}

export const scenariosEval: EvalModule = { name: 'clinical scenarios', run: evalScenarios };
