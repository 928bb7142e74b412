import { describe, expect, it } from 'vitest';
import { MINUTES_BASELINE, minutesSaved, type MinutesBaseline } from './minutes-baseline.ts';
import { REVIEW_TASK_TYPES } from './task-model.ts';

describe('minutes saved', () => {
  it('has a baseline for every task type, each with a source and what it measured', () => {
    for (const type of REVIEW_TASK_TYPES) {
      const b = MINUTES_BASELINE[type];
      expect(b, type).toBeDefined();
      expect(b.minutes).toBeGreaterThanOrEqual(0);
      expect(b.figure.length).toBeGreaterThan(20);
      if (b.basis === 'published') expect(b.source).toMatch(/https:\/\//);
    }
  });

  it('counts applied tasks only, by type, at the published minutes', () => {
    const r = minutesSaved([
      { type: 'discharge-reconciliation', status: 'applied' },
      { type: 'discharge-reconciliation', status: 'applied' },
      { type: 'discharge-reconciliation', status: 'approved' },
      { type: 'prior-authorization', status: 'applied' },
      { type: 'interaction', status: 'rejected' },
      { type: 'exception', status: 'applied' },
    ]);
    // 2 × 19.4 + 20 + 0 = 58.8
    expect(r.total).toBe(59);
    expect(r.appliedTasks).toBe(4);
    expect(r.byType).toEqual({
      'discharge-reconciliation': { tasks: 2, minutes: 38.8 },
      'prior-authorization': { tasks: 1, minutes: 20 },
      exception: { tasks: 1, minutes: 0 },
    });
    expect(r.withoutBaseline).toBe(0);
  });

  it('counts a type without a baseline as zero and says so', () => {
    const r = minutesSaved([
      { type: 'something-new', status: 'applied' },
      { type: 'constructor', status: 'applied' },
      { type: 'immunization-report', status: 'applied' },
    ]);
    expect(r.total).toBe(2); // 1.5 rounded
    expect(r.withoutBaseline).toBe(2);
    expect(r.byType['something-new']).toEqual({ tasks: 1, minutes: 0 });
  });

  it('takes a pharmacy’s own table', () => {
    const own: Record<string, MinutesBaseline> = {
      'discharge-reconciliation': {
        minutes: 30,
        basis: 'estimate',
        source: 'own study',
        figure: 'our time study 2026',
      },
    };
    const r = minutesSaved(
      [
        { type: 'discharge-reconciliation', status: 'applied' },
        { type: 'prior-authorization', status: 'applied' },
      ],
      own,
    );
    expect(r.total).toBe(30);
    expect(r.withoutBaseline).toBe(1);
  });

  it('is zero with nothing applied', () => {
    expect(minutesSaved([])).toEqual({ total: 0, appliedTasks: 0, byType: {}, withoutBaseline: 0 });
  });
});
