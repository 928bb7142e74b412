// The CLI as a user runs it: help, exit codes 0/1/2, one-line errors without stack traces, convert on stdout.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runRxbridge } from '../../test/support/run-rxbridge.ts';
import { demoDischargeA03 } from './demo/demo-discharge.ts';

const dir = mkdtempSync(join(tmpdir(), 'rxb-cli-'));

const rxbridge = (args: string[], env: Record<string, string> = {}) => runRxbridge(args, { cwd: dir, env });

describe('rxbridge', () => {
  it('prints help listing every command, exit 0', async () => {
    const r = await rxbridge(['--help']);
    expect(r.code).toBe(0);
    for (const command of [
      'start',
      'demo',
      'convert',
      'send',
      'sig',
      'reconcile',
      'check',
      'terminology',
      'messages',
      'config',
    ])
      expect(r.stdout).toContain(command);
  });

  it('answers an unknown command with a usage error, exit 2', async () => {
    const r = await rxbridge(['frobnicate']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/unknown command 'frobnicate'/);
  });

  it('converts an HL7 v2 discharge to a FHIR R4 Bundle on stdout', async () => {
    const file = join(dir, 'a03.hl7');
    writeFileSync(file, demoDischargeA03(new Date('2026-11-21T08:00:00Z')));
    const r = await rxbridge(['convert', file]);
    expect(r.code).toBe(0);
    const bundle = JSON.parse(r.stdout) as {
      resourceType: string;
      entry: Array<{ resource: { resourceType: string; valueString?: string } }>;
    };
    expect(bundle.resourceType).toBe('Bundle');
    const types = bundle.entry.map((e) => e.resource.resourceType);
    expect(types).toEqual(expect.arrayContaining(['Patient', 'Encounter', 'Observation', 'Provenance']));
    expect(bundle.entry.find((e) => e.resource.resourceType === 'Observation')?.resource.valueString).toBe(
      'METFORMIN 500MG BID, LISINOPRIL 10MG DAILY',
    );
  });

  it('fails on a file that is not a message with one line and exit 1, no stack trace', async () => {
    const file = join(dir, 'junk.txt');
    writeFileSync(file, 'hello world');
    const r = await rxbridge(['convert', file]);
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/not a recognised format/);
    expect(r.stderr).not.toMatch(/\bat .*\.ts:\d+/);
  });

  it('says a missing file cannot be read, exit 1', async () => {
    const r = await rxbridge(['convert', join(dir, 'missing.hl7')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^rxbridge: cannot read /);
  });

  it('config check names the bad key, the value and the reason, exit 2', async () => {
    const r = await rxbridge(['config', 'check'], { RXBRIDGE_HTTP_PORT: '99999' });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/http\.port: .*99999/);
  });

  it('config check prints the effective settings without credentials, exit 0', async () => {
    const r = await rxbridge(['config', 'check'], {
      RXBRIDGE_STORE: 'postgres://app:s3cret@db.example:5432/rx',
    });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('config OK');
    expect(r.stdout).toContain('postgres://***@db.example:5432/rx');
    expect(r.stdout).not.toContain('s3cret');
  });

  it('messages list works on an empty new store', async () => {
    const r = await rxbridge(['messages', 'list'], { RXBRIDGE_STORE: `sqlite:${join(dir, 'store.db')}` });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('(no messages)');
  });

  it('messages show of an unknown id fails with one line, exit 1', async () => {
    const r = await rxbridge(['messages', 'show', 'nope'], {
      RXBRIDGE_STORE: `sqlite:${join(dir, 'store.db')}`,
    });
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toBe('rxbridge: no message with id nope');
  });
});
