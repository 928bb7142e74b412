// `rxbridge sig`: prints the Dosage JSON with the echo; bad input is a one-line usage error.
import { afterEach, beforeEach, expect, test, vi } from 'vitest';
import { runCli } from '../main.ts';

let out = '';
let err = '';
beforeEach(() => {
  out = '';
  err = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    out += String(chunk);
    return true;
  });
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
    err += String(chunk);
    return true;
  });
});
afterEach(() => {
  vi.restoreAllMocks();
});

test('rxbridge sig "1 po bid prn pain" prints the echo and the FHIR Dosage', async () => {
  expect(await runCli(['sig', '1 po bid prn pain'])).toBe(0);
  const printed = JSON.parse(out) as {
    echo: string;
    notSure: boolean;
    dosage: Array<Record<string, unknown>>;
  };
  expect(printed.echo).toBe('Take 1 by mouth twice daily as needed for pain');
  expect(printed.notSure).toBe(false);
  expect(printed.dosage[0]).toMatchObject({
    timing: { repeat: { frequency: 2, period: 1, periodUnit: 'd' } },
    asNeededCodeableConcept: { text: 'pain' },
  });
});

test('an unreadable sig is printed but flagged for a human', async () => {
  expect(await runCli(['sig', 'see', 'attached', 'sheet'])).toBe(0);
  expect((JSON.parse(out) as { notSure: boolean }).notSure).toBe(true);
  expect(err).toMatch(/not sure/);
});
