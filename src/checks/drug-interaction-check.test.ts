// Drug-drug interactions: an ONC high-priority pair (critical, never suppressed) and a non-interruptive pair (info).
import { describe, expect, it } from 'vitest';
import { checkDrugInteractions } from './drug-interaction-check.ts';
import { buildCheckContext } from './check-context.ts';
import type { InteractionRule } from './interaction-rules.ts';
import { ONC_HIGH_PRIORITY_DDI } from './interaction-rules.ts';
import { runChecks } from './run-checks.ts';
import { createStarterTerminology } from '../terminology/starter-terminology.ts';

const terminology = createStarterTerminology();

function interactions(order: string, active: string[]) {
  return runChecks(
    {
      order: { name: order },
      patient: {},
      allergies: [],
      problems: [],
      labs: [],
      activeMedications: active.map((name) => ({ name })),
      terminology,
    },
    { only: ['drug-drug-interaction'] },
  );
}

describe('checkDrugInteractions', () => {
  it('flags an ONC high-priority pair in either direction: critical, never suppressed, with its source', () => {
    for (const [order, active] of [
      ['clarithromycin 500 mg', 'simvastatin 40 mg'],
      ['Zocor 20 mg', 'clarithromycin 250 mg'],
    ] as const) {
      const [finding, ...rest] = interactions(order, ['metformin 500 mg', active]);
      expect(rest).toEqual([]);
      expect(finding).toMatchObject({
        rule: 'onc-ddi-25',
        severity: 'critical',
        neverSuppress: true,
        drugs: ['simvastatin', 'clarithromycin'],
      });
      expect(finding?.summary.length).toBeLessThanOrEqual(140);
      expect(finding?.source.url).toBe('https://doi.org/10.1136/amiajnl-2011-000612');
    }
  });

  it('reports a non-interruptive pair as info, marked non-interruptive', () => {
    const findings = interactions('hydrochlorothiazide 25 mg', ['lisinopril 10 mg']);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ severity: 'info', nonInterruptive: true });
    expect(findings[0]?.rule).toMatch(/^onc-ni-\d+$/);
    expect(findings[0]?.source.label).toMatch(/non-interruptive/);
  });

  it('ignores unrelated drugs and a renewal of the same drug', () => {
    expect(interactions('simvastatin 40 mg', ['simvastatin 20 mg', 'metformin 500 mg'])).toEqual([]);
    expect(interactions('amlodipine 5 mg', ['levothyroxine 100 mcg'])).toEqual([]);
  });

  it('uses a rule table given by the caller, first match in table order', () => {
    const custom: InteractionRule[] = [
      {
        id: 'test-1',
        item: 1,
        object: { label: 'A', members: ['metformin'] },
        precipitant: { label: 'B', members: ['lisinopril'] },
        effect: 'test effect',
        tier: 'onc-high-priority',
        source: { label: 'test table' },
      },
      { ...ONC_HIGH_PRIORITY_DDI[0]!, id: 'test-2' },
    ];
    const ctx = buildCheckContext({
      order: { name: 'lisinopril 10 mg' },
      patient: {},
      allergies: [],
      problems: [],
      labs: [],
      activeMedications: [{ name: 'metformin 500 mg' }],
      terminology,
    });
    const findings = checkDrugInteractions(ctx, { high: custom, low: [] });
    expect(findings.map((f) => [f.rule, f.drugs])).toEqual([['test-1', ['metformin', 'lisinopril']]]);
  });
});
