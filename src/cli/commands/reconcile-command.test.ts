// rxbridge reconcile as a user runs it: readable and JSON output, one-line errors, exit codes.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runRxbridge } from '../../../test/support/run-rxbridge.ts';

const FIXTURES = fileURLToPath(new URL('../../../test/fixtures/cli/', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'rxb-reconcile-'));
const fixture = (name: string) => join(FIXTURES, name);

const rxbridge = (args: string[]) => runRxbridge(args, { cwd: dir });

const RECONCILE = [
  'reconcile',
  '--ehr',
  fixture('ehr-medications.json'),
  '--pharmacy',
  fixture('pharmacy-profile.json'),
  '--as-of',
  '2026-01-15',
];

describe('rxbridge reconcile', () => {
  it('prints the summary and one line per discrepancy with priority and action, exit 0', async () => {
    const [text, json] = await Promise.all([rxbridge(RECONCILE), rxbridge([...RECONCILE, '--json'])]);
    expect(text.code).toBe(0);
    const lines = text.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^EHR medication list vs pharmacy profile: 0 matched, 3 discrepancies/);
    expect(lines.slice(1)).toEqual([
      expect.stringMatching(
        /^\[medium\] discontinued-still-active lisinopril: .*inactivate the prescription/,
      ),
      expect.stringMatching(
        /^\[medium\] dose-change metformin: .*1000 mg twice daily; pharmacy profile has 500 mg/,
      ),
      expect.stringMatching(/^\[medium\] omission atorvastatin: .*Ask the patient/),
    ]);
    expect(json.code).toBe(0);
    const result = JSON.parse(json.stdout) as { discrepancies: Array<{ type: string; drug: string }> };
    expect(result.discrepancies.map((d) => `${d.type} ${d.drug}`)).toEqual([
      'discontinued-still-active lisinopril',
      'dose-change metformin',
      'omission atorvastatin',
    ]);
  });

  it('names the file and the problem in one line, exit 1, for bad input', async () => {
    const notJson = join(dir, 'not-json.json');
    writeFileSync(notJson, '{ "resourceType": "Bundle", ');
    const wrongType = join(dir, 'observation.json');
    writeFileSync(wrongType, JSON.stringify([{ resourceType: 'Observation' }]));
    const badProfile = join(dir, 'profile.json');
    writeFileSync(
      badProfile,
      JSON.stringify({
        patient: { id: 'X' },
        prescriptions: [],
        fills: [],
        allergies: [],
      }),
    );
    const results = await Promise.all([
      rxbridge(['reconcile', '--ehr', notJson, '--pharmacy', fixture('pharmacy-profile.json')]),
      rxbridge(['reconcile', '--ehr', wrongType, '--pharmacy', fixture('pharmacy-profile.json')]),
      rxbridge(['reconcile', '--ehr', fixture('ehr-medications.json'), '--pharmacy', badProfile]),
      rxbridge(['reconcile', '--ehr', join(dir, 'missing.json'), '--pharmacy', badProfile]),
    ]);
    for (const r of results) {
      expect(r.code).toBe(1);
      expect(r.stdout).toBe('');
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).not.toMatch(/\bat .*\.ts:\d+/);
    }
    expect(results[0]?.stderr).toMatch(/not-json\.json: not valid JSON/);
    expect(results[1]?.stderr).toMatch(
      /observation\.json: item 0 is Observation; expected MedicationStatement/,
    );
    expect(results[2]?.stderr).toMatch(/profile\.json: not a pharmacy profile: patient\.given: /);
    expect(results[3]?.stderr).toMatch(/cannot read .*missing\.json/);
  });

  it('is a usage error without --pharmacy or with a bad --as-of, exit 2', async () => {
    const [missing, badDate] = await Promise.all([
      rxbridge(['reconcile', '--ehr', fixture('ehr-medications.json')]),
      rxbridge([...RECONCILE.slice(0, 5), '--as-of', 'yesterday']),
    ]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/--pharmacy <file>/);
    expect(badDate.code).toBe(2);
    expect(badDate.stderr.trim()).toBe('rxbridge: --as-of: expected YYYY-MM-DD, got "yesterday"');
  });
});
