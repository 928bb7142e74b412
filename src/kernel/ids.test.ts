// Stable ids: the same parts always give the same UUID-shaped id; different parts a different one.
import { createHash } from 'node:crypto';
import { expect, it } from 'vitest';
import { newId, sha256Hex, stableId } from './ids.ts';

it('is deterministic, UUID-shaped (version 8, RFC 9562 variant) and separates its parts', () => {
  const a = stableId('GENHOSP', 'MRN10001');
  expect(a).toBe(stableId('GENHOSP', 'MRN10001'));
  expect(a).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  expect(stableId('GENHOSP', 'MRN10001')).not.toBe(stableId('GENHOSPMRN', '10001'));
});

it('keeps the ids already issued (same digest as before the one-shot hash)', () => {
  const hex = createHash('sha256').update(['a', 'b'].join('\u001f')).digest('hex');
  expect(stableId('a', 'b').replace(/-/g, '').slice(0, 12)).toBe(hex.slice(0, 12));
  expect(sha256Hex('x')).toBe(createHash('sha256').update('x').digest('hex'));
});

it('makes version 7 ids that carry their time and differ in their random tail', () => {
  const before = Date.now();
  const ids = Array.from({ length: 1_000 }, () => newId());
  const after = Date.now();
  for (const id of ids) {
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    const ms = parseInt(id.replace(/-/g, '').slice(0, 12), 16);
    expect(ms).toBeGreaterThanOrEqual(before);
    expect(ms).toBeLessThanOrEqual(after);
  }
  expect(new Set(ids).size).toBe(ids.length);
  expect(new Set(ids.map((id) => id.slice(-8))).size).toBe(ids.length);
});
