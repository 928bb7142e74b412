// NDC normalization: every 10-digit layout and the 11-digit form end as the same 11 digits.
import { expect, test } from 'vitest';
import { normalizeNdc } from './ndc.ts';

test.each([
  ['0002-1433-80', '00002143380'],
  ['50090-347-01', '50090034701'],
  ['12345-6789-1', '12345678901'],
  ['12345-6789-01', '12345678901'],
  ['00002143380', '00002143380'],
  [' 0002 1433 80 ', '00002143380'],
])('%s → %s', (text, ndc11) => {
  expect(normalizeNdc(text)).toBe(ndc11);
});

test.each(['0002143380', '123-4567-89', '12345-67-890', 'abc', '', '1234-123-12'])('refuses %j', (text) => {
  expect(normalizeNdc(text)).toBeUndefined();
});
