// rxbridge check as a user runs it: readable and JSON output, one-line errors, exit codes.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runRxbridge } from '../../../test/support/run-rxbridge.ts';

const FIXTURES = fileURLToPath(new URL('../../../test/fixtures/cli/', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'rxb-check-'));
const fixture = (name: string) => join(FIXTURES, name);

const rxbridge = (args: string[]) => runRxbridge(args, { cwd: dir });

const CHECK = [
  'check',
  '--patient',
  fixture('patient-bundle.json'),
  '--order',
  fixture('order.json'),
  '--as-of',
  '2026-01-15',
];

describe('rxbridge check', () => {
  it('prints one line per finding with severity and action, and JSON with --json', async () => {
    const [text, json] = await Promise.all([rxbridge(CHECK), rxbridge([...CHECK, '--json'])]);
    expect(text.code).toBe(0);
    expect(text.stdout.trim().split('\n')).toEqual([
      'clarithromycin 500 mg tablet: 1 finding',
      expect.stringMatching(
        /^\[critical\] drug-drug-interaction: Contraindicated combination: simvastatin \+ clarithromycin .*\| .*contact the prescriber/,
      ),
    ]);
    expect(json.code).toBe(0);
    const result = JSON.parse(json.stdout) as {
      order: { name: string };
      findings: Array<{ rule: string; severity: string; source: { label: string } }>;
    };
    expect(result.order.name).toBe('clarithromycin 500 mg tablet');
    expect(result.findings.map((f) => [f.rule, f.severity])).toEqual([['onc-ddi-25', 'critical']]);
    expect(result.findings[0]?.source.label).toMatch(/ONC high-priority/);
  });

  it('finds the renal and problem-list findings for a metformin order', async () => {
    const order = join(dir, 'metformin.json');
    writeFileSync(
      order,
      JSON.stringify({
        resourceType: 'MedicationRequest',
        status: 'draft',
        intent: 'order',
        medicationCodeableConcept: { text: 'metformin 500 mg tablet' },
      }),
    );
    const r = await rxbridge([...CHECK.slice(0, 3), '--order', order, '--as-of', '2026-01-15', '--json']);
    expect(r.code).toBe(0);
    const rules = (JSON.parse(r.stdout) as { findings: Array<{ rule: string }> }).findings.map((f) => f.rule);
    expect(rules).toEqual(expect.arrayContaining(['disease-metformin-severe-renal', 'renal-metformin-0-30']));
  });

  it('refuses an order that is not a MedicationRequest and a bundle with foreign resources, exit 1', async () => {
    const bundle = join(dir, 'bundle.json');
    writeFileSync(
      bundle,
      JSON.stringify({ resourceType: 'Bundle', entry: [{ resource: { resourceType: 'Claim' } }] }),
    );
    const [badOrder, badBundle] = await Promise.all([
      rxbridge([
        'check',
        '--patient',
        fixture('patient-bundle.json'),
        '--order',
        fixture('patient-bundle.json'),
      ]),
      rxbridge(['check', '--patient', bundle, '--order', fixture('order.json')]),
    ]);
    expect(badOrder.code).toBe(1);
    expect(badOrder.stderr.trim()).toMatch(
      /^rxbridge: .*patient-bundle\.json: expected a MedicationRequest, got Bundle$/,
    );
    expect(badBundle.code).toBe(1);
    expect(badBundle.stderr.trim()).toMatch(/^rxbridge: .*bundle\.json: entry 0 is Claim; expected Patient/);
  });
});
