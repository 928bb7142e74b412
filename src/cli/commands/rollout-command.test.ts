// `rxbridge rollout` and `rxbridge report` as a user runs them, on a real SQLite store file.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { runRxbridge, type CliRun } from '../../../test/support/run-rxbridge.ts';
import { loadConfig } from '../../config/load-config.ts';
import { openRolloutStore, openStore } from '../../main.ts';
import { runCli } from '../main.ts';

/** The engine's config for a store file (its key file sits beside it). */
function configOf(db: string) {
  const loaded = loadConfig({ overrides: { store: `sqlite:${db}` } });
  if (!loaded.ok) throw new Error('config');
  return loaded.value.config;
}

describe('rxbridge rollout', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rxb-rollout-cli-'));
  const db = join(dir, 'rxbridge.db');
  const env = { RXBRIDGE_STORE: `sqlite:${db}` };
  /** As a separate process, exactly as a user runs it. */
  const cliProcess = (...args: string[]) => runRxbridge(args, { cwd: dir, env });
  /** In this process (same program, same output), to keep the suite fast. */
  const cli = async (...args: string[]): Promise<CliRun> => {
    let stdout = '';
    let stderr = '';
    const out = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      stdout += String(chunk);
      return true;
    });
    const err = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
      stderr += String(chunk);
      return true;
    });
    const before = process.env['RXBRIDGE_STORE'];
    process.env['RXBRIDGE_STORE'] = env.RXBRIDGE_STORE;
    try {
      const code = await runCli(args);
      return { code, stdout, stderr };
    } finally {
      out.mockRestore();
      err.mockRestore();
      if (before === undefined) delete process.env['RXBRIDGE_STORE'];
      else process.env['RXBRIDGE_STORE'] = before;
    }
  };

  beforeAll(async () => {
    // One shadow run and a pharmacist's manual decision, as the pipeline and the decision interface record them.
    const rollout = await openRolloutStore(configOf(db));
    const at = new Date(Date.now() - 3_600_000);
    const fields = { action: 'discontinue', drug: 'amlodipine', prescription: 'P0005-RX3' };
    for (const [i, agree] of [true, true, true, true, true, false].entries()) {
      await rollout.saveRun({
        key: `discharge-reconciliation:m${i}`,
        workflow: 'discharge-reconciliation',
        mode: 'shadow',
        cohortKey: 'site=main-street',
        messageId: `m${i}`,
        patientId: 'P0005',
        receivedAt: at,
        at,
        latencyMs: 40 + i,
        items: [
          {
            itemId: `d${i}`,
            type: 'discontinued-still-active',
            priority: 'medium',
            drug: 'amlodipine',
            prescriptionId: 'P0005-RX3',
            confidence: 0.75,
            fields,
            disposition: 'recorded',
          },
        ],
      });
      await rollout.saveDecision({
        key: `manual:m${i}`,
        workflow: 'discharge-reconciliation',
        messageId: `m${i}`,
        patientId: 'P0005',
        verdict: 'manual',
        fields: agree ? fields : { ...fields, action: 'hold' },
        pharmacist: 'user:rph',
        at: new Date(at.getTime() + 30 * 60_000),
      });
    }
    await rollout.close();
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('set changes one cohort with a reason and audits it; status shows who and why', async () => {
    const set = await cliProcess(
      'rollout',
      'set',
      'discharge-reconciliation',
      'suggest',
      '--cohort',
      'site=main-street',
      '--reason',
      'shadow agreement 0.83 over 6 discharges',
    );
    expect(set).toMatchObject({ code: 0, stderr: '' });
    expect(set.stdout).toMatch(
      /discharge-reconciliation for site=main-street: suggest -> suggest \(setting #1, audited\)/,
    );
    const status = await cli('rollout', 'status', '--workflow', 'discharge-reconciliation', '--json');
    const parsed = JSON.parse(status.stdout) as {
      settings: Array<{ cohort: string; mode: string; reason: string }>;
    };
    expect(parsed.settings).toEqual([
      expect.objectContaining({ cohort: '*', mode: 'suggest', reason: '(default)' }),
      expect.objectContaining({
        cohort: 'site=main-street',
        mode: 'suggest',
        reason: 'shadow agreement 0.83 over 6 discharges',
      }),
    ]);
    const store = await openStore(configOf(db));
    const audit = await store.audit.list({ entity: 'rollout:discharge-reconciliation:site=main-street' });
    await store.close();
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({
      action: 'update',
      category: 'config',
      source: 'rxbridge rollout set',
      outcome: 'success',
    });
    expect(audit[0]?.detail).toContain('reason: shadow agreement 0.83 over 6 discharges');
  });

  it('refuses bad input with a one-line reason and exit 2, writing nothing', async () => {
    for (const [args, message] of [
      [
        ['rollout', 'set', 'discharge-reconciliation', 'auto', '--reason', 'short'],
        /reason of at least 8 characters/,
      ],
      [
        ['rollout', 'set', 'discharge-reconciliation', 'turbo', '--reason', 'long enough'],
        /unknown mode "turbo"/,
      ],
      [['rollout', 'set', 'billing', 'auto', '--reason', 'long enough'], /unknown workflow "billing"/],
      [
        [
          'rollout',
          'set',
          'discharge-reconciliation',
          'auto',
          '--cohort',
          'ward=4W',
          '--reason',
          'long enough',
        ],
        /"ward": unknown cohort key/,
      ],
      [['rollout', 'set', 'discharge-reconciliation', 'auto'], /required option '--reason <text>'/],
      [['rollout', 'status', '--workflow', 'billing'], /--workflow: unknown workflow "billing"/],
      [['report', '--since', 'last tuesday'], /--since: expected YYYY-MM-DD/],
    ] as const) {
      const r = await cli(...args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
    const store = await openRolloutStore(configOf(db));
    expect(await store.settings()).toHaveLength(1);
    await store.close();
  });

  it('report gives agreement and value figures as text, JSON, CSV and an HTML page', async () => {
    const text = await cli('report', '--workflow', 'discharge-reconciliation', '--since', '1d');
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/agreement 83\.3% over 6 items/);
    expect(text.stdout).toMatch(/estimated minutes saved 0 \(shadow events would have saved 60\)/);
    const json = await cli('rollout', 'report', '--since', '1d', '--format', 'json');
    const report = JSON.parse(json.stdout) as {
      workflows: Array<{ events: number; agreement: { perField: Record<string, { rate: number }> } }>;
    };
    expect(report.workflows[0]?.events).toBe(6);
    expect(report.workflows[0]?.agreement.perField['action']?.rate).toBeCloseTo(5 / 6);
    const csv = await cli('rollout', 'report', '--since', '1d', '--format', 'csv');
    expect(csv.stdout.split('\n')[1]).toMatch(/^discharge-reconciliation,.*,shadow,6,6,0,0,/);
    const out = join(dir, 'report.html');
    expect((await cli('rollout', 'report', '--since', '1d', '--format', 'html', '--out', out)).code).toBe(0);
    expect(readFileSync(out, 'utf8')).toContain('<h2>discharge-reconciliation</h2>');
  });

  it('alerts --evaluate opens an alert when agreement is under the bar, and lists it', async () => {
    // 5 of 6 agree (0.83): above the 0.8 bar, no alert.
    const ok = await cli('rollout', 'alerts', '--evaluate', '--period', '1d');
    expect(ok.stdout).toMatch(/0 firing/);
    const rollout = await openRolloutStore(configOf(db));
    const at = new Date(Date.now() - 1_800_000);
    for (let i = 10; i < 14; i++) {
      await rollout.saveRun({
        key: `discharge-reconciliation:m${i}`,
        workflow: 'discharge-reconciliation',
        mode: 'shadow',
        cohortKey: '*',
        messageId: `m${i}`,
        patientId: 'P0001',
        receivedAt: at,
        at,
        latencyMs: 10,
        items: [
          {
            itemId: `x${i}`,
            type: 'dose-change',
            priority: 'medium',
            drug: 'metformin',
            confidence: 0.9,
            fields: { action: 'update-regimen', drug: 'metformin' },
            disposition: 'recorded',
          },
        ],
      });
    }
    await rollout.close();
    const firing = await cli('rollout', 'alerts', '--evaluate', '--period', '1d');
    expect(firing.stdout).toMatch(/2 firing/);
    expect(firing.stdout).toMatch(
      /critical agreement-low:discharge-reconciliation\s+open\s+x1\s+discharge-reconciliation: agreement with pharmacists 0\.50/,
    );
    const status = await cli('rollout', 'status', '--workflow', 'discharge-reconciliation');
    expect(status.stdout).toMatch(/open alerts: 2/);
  });
});
