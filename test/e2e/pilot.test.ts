// The scripted rollout pilot (eval/pilot.ts) on the demo pharmacy: each step's figures, the forced regression
// caught by the report and an alert, and every mode change and auto write in the audit trail with its reason.
import { beforeAll, describe, expect, it } from 'vitest';
import { runPilot, type PilotResult } from '../../eval/pilot.ts';

describe('rollout pilot: off → shadow → suggest → auto for site main-street, then a degraded extractor', () => {
  let pilot: PilotResult;
  const lines: string[] = [];
  beforeAll(async () => {
    pilot = await runPilot({ log: (l) => lines.push(l) });
    console.log(lines.join('\n'));
  }, 60_000);

  const step = (mode: string, degraded = false) => {
    const s = pilot.steps.find((x) => x.mode === mode && x.degraded === degraded);
    if (s === undefined) throw new Error(`no ${mode} step`);
    return s;
  };

  it('off: the engine records nothing and creates nothing for the cohort', () => {
    expect(step('off').value.events).toBe(0);
    expect(step('off').value.discrepancies).toBe(0);
  });

  it('shadow: every cohort discharge recorded, nothing written, agreement measured against decisions and the pharmacy state', () => {
    const v = step('shadow').value;
    expect(v.byMode.shadow).toBe(12);
    expect(pilot.shadowTasks).toBe(0);
    expect(v.minutesSaved).toBe(0);
    expect(v.minutesSavedIfSuggest).toBeGreaterThan(0);
    expect(v.agreement.bySource.decision).toBeGreaterThan(0);
    expect(v.agreement.bySource['pharmacy-state']).toBeGreaterThan(0);
    expect(v.agreement.rate).toBeGreaterThanOrEqual(0.85);
    expect(v.agreement.perField['action']?.compared).toBe(v.agreement.compared);
    expect(v.checklist.next).toBe('suggest');
    expect(v.checklist.ready).toBe(true);
  });

  it('suggest: pharmacists approve the proposals; the checklist clears auto', () => {
    const v = step('suggest').value;
    expect(v.byMode.suggest).toBe(12);
    expect(v.decided).toBeGreaterThanOrEqual(8);
    expect(v.approvalRate).toBeGreaterThanOrEqual(0.8);
    expect(v.minutesSaved).toBeGreaterThan(0);
    expect(v.checklist.ready).toBe(true);
  });

  it('auto: guardrail-passing writes applied, the rest reviewed, no alert', () => {
    const s = step('auto');
    expect(s.value.autoApplied).toBeGreaterThan(0);
    expect(s.value.decided).toBeGreaterThan(0);
    expect(s.value.agreement.rate).toBeGreaterThanOrEqual(0.85);
    expect(s.alerts).toEqual([]);
  });

  it('the forced regression: agreement and accuracy collapse, the checklist fails, alerts open and reach the webhook', () => {
    const before = step('auto').value;
    const s = step('auto', true);
    expect(s.value.agreement.rate).toBeLessThan(0.8);
    expect(s.value.agreement.rate).toBeLessThan(before.agreement.rate ?? 0);
    expect(s.value.checklist.ready).toBe(false);
    expect(s.value.minutesSaved).toBeLessThan(before.minutesSaved);
    const rules = s.alerts.map((a) => a.rule).sort();
    expect(rules).toContain('agreement-low');
    expect(rules).toContain('accuracy-low');
    expect(s.webhooks).toBeGreaterThanOrEqual(2);
    expect(pilot.webhookBodies).toContainEqual(
      expect.objectContaining({
        rule: 'agreement-low',
        workflow: 'discharge-reconciliation',
        severity: 'critical',
      }),
    );
    expect(pilot.metrics).toMatch(
      /rxbridge_rollout_alerts_open\{workflow="discharge-reconciliation",rule="agreement-low"\} 1/,
    );
    const gauge = /rxbridge_rollout_agreement_ratio\{workflow="discharge-reconciliation"\} ([0-9.]+)/.exec(
      pilot.metrics,
    );
    expect(Number(gauge?.[1])).toBeLessThan(0.8);
  });

  it('every mode change is in the audit trail with its reason', () => {
    const modes = pilot.modeChanges.map((a) => /-> (\w+) for cohort/.exec(a.detail ?? '')?.[1]);
    expect(modes).toEqual(['off', 'off', 'shadow', 'suggest', 'auto']);
    for (const a of pilot.modeChanges) {
      expect(a.actor).toBe('user:pilot-lead');
      expect(a.detail).toMatch(/reason: .{8,}/);
    }
  });

  it('every auto-applied write is in the audit trail with its reason; a replay writes nothing twice', () => {
    expect(pilot.autoAppliedKeys.length).toBeGreaterThan(0);
    for (const key of pilot.autoAppliedKeys) {
      const entries = pilot.autoWrites.filter((a) => a.entity === key && a.outcome === 'success');
      expect(entries).toHaveLength(1);
      expect(entries[0]?.detail).toMatch(/guardrails passed: type \S+, priority (medium|low), confidence/);
      expect(entries[0]?.detail).toMatch(/mode auto for cohort site=main-street \(setting #\d+/);
      expect(entries[0]?.patient).toMatch(/^P\d{4}$/);
    }
    expect(pilot.replayWrites.after).toBe(pilot.replayWrites.before);
  });

  it('patients outside the cohort stay in the previous mode (off): no runs, no tasks', () => {
    expect(pilot.outsideCohortRuns).toBe(0);
    expect(pilot.outsideCohortTasks).toBe(0);
  });

  it('the whole-pilot report exports as CSV and as a page', () => {
    const [header, row] = pilot.csv.trim().split('\n');
    expect(header?.split(',')).toContain('minutes_saved');
    expect(row?.startsWith('discharge-reconciliation,')).toBe(true);
    expect(pilot.html).toContain('<h2>discharge-reconciliation</h2>');
    expect(pilot.html).toContain('Promotion checklist');
  });
});
