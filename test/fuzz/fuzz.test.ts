// The fuzz targets in CI, small (FUZZ_TEST_RUNS, default 20,000 per target); `npm run fuzz` runs 1,000,000 each.
import { describe, expect, test } from 'vitest';
import { allTargets, runTarget } from './fuzz-targets.ts';

const RUNS = Number(process.env['FUZZ_TEST_RUNS'] ?? 20_000);

describe('fuzzing (QUALITY S13, short run)', () => {
  for (const target of allTargets()) {
    const runs = Math.min(RUNS, target.ciRuns ?? RUNS);
    test(`${target.name}: no crash in ${runs.toLocaleString('en-US')} runs`, { timeout: 120_000 }, () => {
      const report = runTarget(target, { runs });
      expect(report.failures).toEqual([]);
      expect(report.crashes).toBe(0);
      expect(report.runs).toBe(runs);
    });
  }
});
