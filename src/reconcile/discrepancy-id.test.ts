// Discrepancy ids: deterministic, UUID-shaped (version 8), different for another patient or another part.
import { describe, expect, it } from 'vitest';
import { discrepancyIdsFor } from './discrepancy-id.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('discrepancyIdsFor', () => {
  it('gives the same id for the same patient and parts, UUID-shaped', () => {
    const a = discrepancyIdsFor('P1')('dose-change', '6809', 'metformin 500 mg', 'R1');
    expect(a).toMatch(UUID);
    expect(discrepancyIdsFor('P1')('dose-change', '6809', 'metformin 500 mg', 'R1')).toBe(a);
    expect(discrepancyIdsFor('P2')('dose-change', '6809', 'metformin 500 mg', 'R1')).not.toBe(a);
    expect(discrepancyIdsFor('P1')('frequency-change', '6809', 'metformin 500 mg', 'R1')).not.toBe(a);
    // Part boundaries count: "ab" + "c" is not "a" + "bc".
    expect(discrepancyIdsFor('P1')('ab', 'c')).not.toBe(discrepancyIdsFor('P1')('a', 'bc'));
  });

  it('no collisions over 200,000 near-identical discrepancies', () => {
    const ids = new Set<string>();
    for (let p = 0; p < 200; p++) {
      const id = discrepancyIdsFor(`P${p}`);
      for (let k = 0; k < 1000; k++)
        ids.add(id('frequency-change', String(k), `drug ${k} 10 mg`, `R${k % 7}`));
    }
    expect(ids.size).toBe(200_000);
  });
});
