// One contract for every RolloutStore adapter: run by rollout-store.test.ts against SQLite and PostgreSQL.
import { expect, it } from 'vitest';
import { resolveMode } from './rollout-model.ts';
import type { EngineRun, RolloutStore } from './rollout-store.ts';

const T0 = new Date('2026-11-01T08:00:00Z');
const at = (minutes: number): Date => new Date(T0.getTime() + minutes * 60_000);

function run(messageId: string, minutes: number): EngineRun {
  return {
    key: `discharge-reconciliation:${messageId}`,
    workflow: 'discharge-reconciliation',
    mode: 'shadow',
    cohortKey: 'site=main-street',
    messageId,
    patientId: 'P0005',
    site: 'main-street',
    receivedAt: at(minutes - 1),
    at: at(minutes),
    latencyMs: 60_000,
    meanConfidence: 0.82,
    items: [
      {
        itemId: 'd1',
        type: 'discontinued-still-active',
        priority: 'medium',
        drug: 'amlodipine',
        prescriptionId: 'P0005-RX3',
        confidence: 0.75,
        fields: { action: 'discontinue', drug: 'amlodipine', prescription: 'P0005-RX3' },
        write: {
          key: 'discharge-reconciliation:d1',
          patientId: 'P0005',
          prescriptionId: 'P0005-RX3',
          action: 'discontinue',
          drug: 'amlodipine',
        },
        disposition: 'recorded',
      },
    ],
  };
}

export function rolloutStoreContract(open: () => Promise<RolloutStore>): void {
  it('keeps mode settings in order; a cohort setting leaves everyone else in the previous mode', async () => {
    const store = await open();
    try {
      await store.addSetting({
        workflow: 'discharge-reconciliation',
        mode: 'shadow',
        actor: 'user:ana',
        reason: 'start read-only',
        at: at(0),
      });
      const pilot = await store.addSetting({
        workflow: 'discharge-reconciliation',
        mode: 'suggest',
        cohort: { sites: [' main-street ', 'main-street'] },
        actor: 'user:ana',
        reason: 'agreement 0.93 over 40 discharges',
        at: at(5),
      });
      await store.addSetting({
        workflow: 'allergy-sync',
        mode: 'off',
        actor: 'user:ana',
        reason: 'not yet',
        at: at(6),
      });
      expect(pilot.cohortKey).toBe('site=main-street');
      expect(pilot.cohort).toEqual({ sites: ['main-street'] });
      const history = await store.settings('discharge-reconciliation');
      expect(history.map((s) => s.mode)).toEqual(['shadow', 'suggest']);
      expect(history[1]?.reason).toBe('agreement 0.93 over 40 discharges');
      expect(resolveMode(history, { site: 'main-street' }).mode).toBe('suggest');
      expect(resolveMode(history, { site: 'riverside' }).mode).toBe('shadow');
      expect((await store.settings()).length).toBe(3);
    } finally {
      await store.close();
    }
  });

  it('records a run once per key and lists runs by workflow and period', async () => {
    const store = await open();
    try {
      expect(await store.saveRun(run('m1', 10))).toBe(true);
      expect(await store.saveRun(run('m1', 10))).toBe(false);
      expect(await store.saveRun(run('m2', 20))).toBe(true);
      const all = await store.runs({ workflow: 'discharge-reconciliation' });
      expect(all.map((r) => r.messageId)).toEqual(['m1', 'm2']);
      expect(all[0]?.at).toEqual(at(10));
      expect(all[0]?.items[0]?.write?.action).toBe('discontinue');
      expect((await store.runs({ since: at(15) })).map((r) => r.messageId)).toEqual(['m2']);
      expect((await store.runs({ until: at(15) })).map((r) => r.messageId)).toEqual(['m1']);
      expect(await store.runs({ workflow: 'care-gaps' })).toEqual([]);
    } finally {
      await store.close();
    }
  });

  it('records decisions once per key', async () => {
    const store = await open();
    try {
      const decision = {
        key: 'manual:m1:P0005-RX3',
        workflow: 'discharge-reconciliation' as const,
        messageId: 'm1',
        patientId: 'P0005',
        verdict: 'manual' as const,
        fields: { action: 'discontinue', drug: 'amlodipine', prescription: 'P0005-RX3' },
        pharmacist: 'user:ana',
        at: at(30),
      };
      expect(await store.saveDecision(decision)).toBe(true);
      expect(await store.saveDecision({ ...decision, verdict: 'reject' })).toBe(false);
      const listed = await store.decisions({ workflow: 'discharge-reconciliation' });
      expect(listed).toEqual([decision]);
    } finally {
      await store.close();
    }
  });

  it('claims each auto write once, counts writes in a window and releases a failed one', async () => {
    const store = await open();
    try {
      expect(await store.claimWrite('w1', 'discharge-reconciliation', at(0))).toBe(true);
      expect(await store.claimWrite('w1', 'discharge-reconciliation', at(1))).toBe(false);
      expect(await store.claimWrite('w2', 'discharge-reconciliation', at(90))).toBe(true);
      expect(await store.countWrites('discharge-reconciliation', at(60))).toBe(1);
      expect(await store.countWrites('discharge-reconciliation', at(0))).toBe(2);
      await store.releaseWrite('w2');
      expect(await store.claimWrite('w2', 'discharge-reconciliation', at(91))).toBe(true);
    } finally {
      await store.close();
    }
  });

  it('deduplicates an open alert, resolves it, and opens a new one after', async () => {
    const store = await open();
    try {
      const input = {
        key: 'agreement-low:discharge-reconciliation',
        workflow: 'discharge-reconciliation',
        rule: 'agreement-low',
        severity: 'critical' as const,
        value: 0.4,
        threshold: 0.8,
        message: 'agreement 0.40 below 0.80',
        at: at(0),
      };
      const first = await store.raiseAlert(input);
      expect(first.opened).toBe(true);
      const again = await store.raiseAlert({ ...input, value: 0.35, at: at(5) });
      expect(again.opened).toBe(false);
      expect(again.alert.id).toBe(first.alert.id);
      expect(again.alert.count).toBe(2);
      expect(again.alert.value).toBe(0.35);
      expect(again.alert.firstAt).toEqual(at(0));
      expect(again.alert.lastAt).toEqual(at(5));
      await store.markNotified(first.alert.id, at(1));
      expect((await store.alerts({ openOnly: true }))[0]?.notifiedAt).toEqual(at(1));
      expect(await store.resolveAlert(input.key, at(10))).toBe(true);
      expect(await store.resolveAlert(input.key, at(11))).toBe(false);
      expect(await store.alerts({ openOnly: true })).toEqual([]);
      const reopened = await store.raiseAlert({ ...input, at: at(20) });
      expect(reopened.opened).toBe(true);
      expect((await store.alerts({})).length).toBe(2);
    } finally {
      await store.close();
    }
  });
}
