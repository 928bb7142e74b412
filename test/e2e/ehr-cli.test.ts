// The CLI as a user runs it: `rxbridge sandbox start` per vendor behaviour, then `rxbridge ehr check` prints the
// start-up capability report for that vendor profile, and `rxbridge ehr import` pulls a bulk export into the store.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { stableId } from '../../src/kernel/ids.ts';
import { CLI_ENTRY, runRxbridge } from '../support/run-rxbridge.ts';

const dir = mkdtempSync(join(tmpdir(), 'rxbridge-ehr-cli-'));
const children: ChildProcess[] = [];

afterAll(() => {
  for (const child of children) child.kill('SIGTERM');
  rmSync(dir, { recursive: true, force: true });
});

function startSandboxProcess(vendor: string): Promise<{ base: string; keyFile: string; out: () => string }> {
  const keyFile = join(dir, `${vendor}.pem`);
  const child = spawn(
    process.execPath,
    [CLI_ENTRY, 'sandbox', 'start', '--vendor', vendor, '--port', '0', '--write-client-key', keyFile],
    { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  children.push(child);
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const base = /FHIR base:\s+(\S+)/.exec(out)?.[1];
      if (base !== undefined && out.includes('Ctrl-C')) resolve({ base, keyFile, out: () => out });
    });
    child.once('exit', (code) => reject(new Error(`sandbox exited ${String(code)}: ${out}`)));
  });
}

test.concurrent.each([
  ['epic', /ok\s+read medications\s+MedicationRequest\?patient/],
  ['oracle-health', /ok\s+read medications\s+MedicationRequest\?patient/],
  ['generic', /ok\s+read medications\s+MedicationStatement\?patient/],
])(
  'sandbox %s: ehr check prints the capability report for that profile',
  async (vendor, medications) => {
    const { base } = await startSandboxProcess(vendor);
    const run = await runRxbridge(['ehr', 'check', '--base-url', base, '--vendor', vendor], { cwd: dir });
    console.log(run.stdout);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(medications);
    expect(run.stdout).toMatch(/0 unavailable/);
  },
  30_000,
);

test('configured endpoint: token check and bulk import of the demo patients; bad names are usage errors', async () => {
  const { base, keyFile } = await startSandboxProcess('epic');
  writeFileSync(
    join(dir, 'rxbridge.yaml'),
    [
      'ehr:',
      '  endpoints:',
      '    - name: rehearsal',
      `      baseUrl: ${base}`,
      '      vendor: epic',
      '      clientId: rxbridge',
      '      scope: system/*.read',
      `      key: { alg: ES384, file: ${keyFile} }`,
      '',
    ].join('\n'),
  );
  const check = await runRxbridge(['ehr', 'check', 'rehearsal', '--token'], { cwd: dir });
  expect(check.stdout).toMatch(/access token\s+granted/);
  const imported = await runRxbridge(['ehr', 'import', 'rehearsal', '--db', join(dir, 'ehr.db')], {
    cwd: dir,
  });
  expect(imported.code).toBe(0);
  expect(imported.stdout).toMatch(/imported \d+ resources from 3 files; 0 invalid lines/);
  // The sandbox's demo patient MRN10001 (ids are derived from the MRN).
  const patient = stableId('sandbox-patient', 'MRN10001');
  const syncArgs = ['ehr', 'sync', 'rehearsal', '--patient', patient, '--db', join(dir, 'sync.db')];
  const first = await runRxbridge(syncArgs, { cwd: dir });
  expect(first.code).toBe(0);
  expect(first.stdout).toMatch(/^\d+ searches: [1-9]\d* new, 0 updated, 0 unchanged\n/);
  expect(first.stdout).toMatch(/new MedicationRequest\//);
  const unknown = await runRxbridge(['ehr', 'import', 'nope'], { cwd: dir });
  expect(unknown.code).toBe(2);
  expect(unknown.stderr).toBe('rxbridge: no EHR endpoint named nope (ehr.endpoints: rehearsal)\n');
}, 60_000);

test('the sandbox prints an ehr.endpoints entry that the engine config accepts as it is', async () => {
  const { out, keyFile } = await startSandboxProcess('epic');
  const lines = out().split('\n');
  const from = lines.findIndex((l) => l.includes('add to the engine config')) + 1;
  const to = lines.findIndex((l) => l.startsWith('Ctrl-C'));
  const snippet = lines
    .slice(from, to)
    .map((l) => l.slice(4))
    .join('\n');
  expect(snippet).toContain(keyFile);
  const configDir = mkdtempSync(join(dir, 'snippet-'));
  writeFileSync(join(configDir, 'rxbridge.yaml'), `${snippet}\n`);
  const run = await runRxbridge(['config', 'check'], { cwd: configDir });
  expect(run.stderr).toBe('');
  expect(run.code).toBe(0);
});
