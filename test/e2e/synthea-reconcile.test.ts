// Synthea patients reconciled against themselves and seeded perturbations: no false positives, nothing missed.
import { existsSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { PERTURBATIONS, SYNTHEA_DIR, runSyntheaReconcile, totalsOf } from '../../eval/synthea-reconcile.ts';

describe.skipIf(!existsSync(SYNTHEA_DIR))('Synthea reconciliation (../shared corpus)', () => {
  const results = runSyntheaReconcile();

  test('every patient against itself: 0 discrepancies', () => {
    const self = results.filter((r) => r.variant === 'self');
    expect(self.length).toBeGreaterThan(0);
    expect(self.flatMap((r) => r.found)).toEqual([]);
  });

  test('perturbed copies: exactly the perturbations (same type, same drug), nothing more', () => {
    expect(results.flatMap((r) => r.falsePositives)).toEqual([]);
    expect(results.flatMap((r) => r.missed)).toEqual([]);
    const t = totalsOf(results);
    expect(t.precision).toBe(1);
    expect(t.recall).toBe(1);
  });

  test('every perturbation kind is exercised at least once', () => {
    for (const kind of PERTURBATIONS) {
      expect(
        results.some((r) => r.variant === kind && r.expected.length > 0),
        kind,
      ).toBe(true);
    }
  });

  test('deterministic: the same seed perturbs the same medicines', () => {
    const again = runSyntheaReconcile();
    expect(again.map((r) => r.expected)).toEqual(results.map((r) => r.expected));
  });
});
