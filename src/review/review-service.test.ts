// Review lifecycle on a real SQLite store: claim, per-item decisions with reasons, edits, conflicts, apply and retry.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../kernel/clock.ts';
import { ErrorCode } from '../kernel/errors.ts';
// eslint-disable-next-line rxbridge/pipeline-boundaries -- the service is tested on the real SQLite adapter
import { openSqliteStore } from '../platform/store/sqlite/sqlite-store.ts';
import type { Store } from '../platform/store/store.ts';
import type { NewTask, Task } from '../platform/store/task-store.ts';
import { createReviewTask, routeTask, withRouting } from './create-task.ts';
import { createReviewService, type ReviewService, type TaskEffects } from './review-service.ts';
import { itemsOf, type EffectRecord, type TaskWork } from './task-model.ts';

const dir = mkdtempSync(join(tmpdir(), 'rxb-review-'));
const clock = new ManualClock('2026-11-21T09:00:00Z');
let store: Store;

/**
 * A TaskEffects double that records one effect per decided item, and fails the items named in `failing` until
 * they are removed from it: the retry path without a real pharmacy.
 */
function recordingEffects(failing: Set<string>) {
  const runs: string[][] = [];
  const effects: TaskEffects = {
    run(task: Task, work: TaskWork): Promise<EffectRecord[]> {
      const out: EffectRecord[] = [];
      for (const item of itemsOf(task)) {
        const d = work.decisions[item.id];
        const key = `${task.id}/${item.id}`;
        if (!d || d.decision === 'reject' || work.effects[key]?.status === 'done') continue;
        const failed = failing.has(item.id);
        out.push({
          key,
          target: 'pharmacy',
          kind: d.action.kind,
          itemId: item.id,
          status: failed ? 'failed' : 'done',
          detail: failed ? 'pharmacy system unavailable' : 'written',
          at: clock.now().toISOString(),
          attempts: (work.effects[key]?.attempts ?? 0) + 1,
        });
      }
      runs.push(out.map((o) => o.key));
      return Promise.resolve(out);
    },
  };
  return { effects, runs };
}

const item = (id: string, priority: 'high' | 'medium' | 'low', type = 'dose-change', confidence = 0.99) => ({
  id,
  type,
  priority,
  drug: `drug-${id}`,
  suggestedAction: `review ${id}`,
  ehr: {
    name: `drug-${id}`,
    strength: { value: 500, unit: 'mg' },
    frequencyPerDay: 2,
    evidence: { text: `DRUG-${id} 500MG BID` },
  },
  pharmacy: { id: `rx-${id}` },
  evidence: null,
  confidence,
});

let seq = 0;
const newTask = (items: ReturnType<typeof item>[], type = 'discharge-reconciliation'): NewTask => ({
  key: `t-${++seq}`,
  type,
  priority: items.some((i) => i.priority === 'high') ? 'high' : items.length ? items[0]!.priority : 'medium',
  patient: { pharmacyPatientId: 'P1', display: 'TEST, ONE (P1)' },
  payload: { summary: 'test', items },
});

beforeAll(async () => {
  store = await openSqliteStore({ path: join(dir, 'store.db'), clock });
});
afterAll(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('review service', () => {
  let review: ReviewService;
  const failing = new Set<string>();
  let runs: string[][];
  beforeAll(() => {
    const r = recordingEffects(failing);
    runs = r.runs;
    review = createReviewService({ tasks: store.tasks, audit: store.audit, clock, effects: r.effects });
  });

  it('claims, refuses a second pharmacist, and decides each item with its reason into approved', async () => {
    const { task } = await store.tasks.create(newTask([item('a', 'high'), item('b', 'medium')]));
    const claimed = await review.claim(task.id, 'user:ana');
    expect(claimed).toMatchObject({ status: 'claimed', assignee: 'user:ana' });
    await expect(
      review.decideItem(task.id, 'a', { decision: 'approve', reason: 'ok' }, 'user:bo'),
    ).rejects.toMatchObject({
      code: ErrorCode.Conflict,
    });
    const one = await review.decideItem(
      task.id,
      'a',
      { decision: 'approve', reason: 'confirmed with prescriber' },
      'user:ana',
    );
    expect(one.status).toBe('claimed');
    const two = await review.decideItem(task.id, 'b', { decision: 'approve', reason: 'matches' }, 'user:ana');
    expect(two.status).toBe('approved');
    const work = two.work as TaskWork;
    expect(work.decisions['a']).toMatchObject({
      decision: 'approve',
      reason: 'confirmed with prescriber',
      by: 'user:ana',
    });
    expect(work.decisions['a']!.action).toMatchObject({ kind: 'update-regimen', sig: 'DRUG-a 500MG BID' });
    expect(work.history.map((h) => `${h.from}->${h.to}`)).toEqual(['open->claimed', 'claimed->approved']);
  });

  it('an edit carries the pharmacist action and makes the task edited; an edit without one is refused', async () => {
    const { task } = await store.tasks.create(newTask([item('c', 'medium'), item('d', 'low')]));
    await expect(
      review.decideItem(task.id, 'c', { decision: 'edit', reason: 'different dose' }, 'user:ana'),
    ).rejects.toMatchObject({
      code: ErrorCode.InvalidInput,
    });
    await review.decideItem(
      task.id,
      'c',
      {
        decision: 'edit',
        reason: 'prescriber said 250 mg',
        action: { kind: 'update-regimen', sig: '250 mg twice daily' },
      },
      'user:ana',
    );
    const done = await review.decideItem(
      task.id,
      'd',
      { decision: 'reject', reason: 'hospital list wrong' },
      'user:ana',
    );
    expect(done.status).toBe('edited');
  });

  it('every item rejected makes the task rejected, which cannot be applied', async () => {
    const { task } = await store.tasks.create(newTask([item('e', 'low')]));
    const t = await review.decideTask(
      task.id,
      { decision: 'reject', reason: 'duplicate message' },
      'user:ana',
    );
    expect(t.status).toBe('rejected');
    await expect(review.apply(task.id, 'user:ana')).rejects.toMatchObject({
      code: ErrorCode.IllegalTransition,
    });
  });

  it('apply before every item is decided is refused', async () => {
    const { task } = await store.tasks.create(newTask([item('f', 'low'), item('g', 'low')]));
    await review.decideItem(task.id, 'f', { decision: 'approve', reason: 'ok ok' }, 'user:ana');
    await expect(review.apply(task.id, 'user:ana')).rejects.toMatchObject({
      code: ErrorCode.IllegalTransition,
    });
  });

  it('a failed effect makes the task failed; a retry runs only what did not succeed, then applied', async () => {
    const { task } = await store.tasks.create(newTask([item('h', 'medium'), item('i', 'medium')]));
    await review.decideTask(task.id, { decision: 'approve', reason: 'confirmed' }, 'user:ana');
    failing.add('i');
    const first = await review.apply(task.id, 'user:ana');
    expect(first.status).toBe('failed');
    expect(runs.at(-1)).toEqual([`${task.id}/h`, `${task.id}/i`]);
    failing.delete('i');
    const second = await review.apply(task.id, 'user:ana');
    expect(second.status).toBe('applied');
    expect(runs.at(-1)).toEqual([`${task.id}/i`]);
    expect((second.work as TaskWork).effects[`${task.id}/i`]?.attempts).toBe(2);
    // Applying an applied task again runs nothing.
    await review.apply(task.id, 'user:ana');
    expect(runs.at(-1)).toEqual([`${task.id}/i`]);
    const audit = await store.audit.list({ entity: task.id, limit: 50 });
    expect(audit.filter((a) => a.action === 'execute').map((a) => a.detail)).toEqual([
      'apply: applied',
      'apply: failed',
    ]);
  });

  it('two concurrent decisions on one task both land (serialized), none lost', async () => {
    const { task } = await store.tasks.create(newTask([item('j', 'low'), item('k', 'low')]));
    await review.claim(task.id, 'user:ana');
    const [a, b] = await Promise.all([
      review.decideItem(task.id, 'j', { decision: 'approve', reason: 'fine' }, 'user:ana'),
      review.decideItem(task.id, 'k', { decision: 'approve', reason: 'fine' }, 'user:ana'),
    ]);
    expect([a.version, b.version].sort()).toEqual([2, 3]);
    expect(Object.keys(((await review.get(task.id)).work as TaskWork).decisions).sort()).toEqual(['j', 'k']);
  });

  it('release puts a claimed task back in the queue', async () => {
    const { task } = await store.tasks.create(newTask([item('l', 'low')]));
    await review.claim(task.id, 'user:ana');
    const released = await review.release(task.id, 'user:ana');
    expect(released).toMatchObject({ status: 'open', assignee: null });
  });
});

describe('routing policy', () => {
  const policy = { autoApplyTypes: ['medication-reconciliation'], minConfidence: 0.9 };

  it('queues everything not configured, not low priority, or below the threshold', () => {
    expect(routeTask(newTask([item('m', 'low')]) as never, policy).route).toBe('queue');
    expect(
      routeTask(newTask([item('n', 'medium')], 'medication-reconciliation') as never, policy).route,
    ).toBe('queue');
    expect(
      routeTask(
        newTask([item('o', 'low', 'dose-change', 0.8)], 'medication-reconciliation') as never,
        policy,
      ),
    ).toMatchObject({
      route: 'queue',
      reason: '1 item(s) below the 0.9 threshold',
    });
    expect(routeTask(newTask([], 'medication-reconciliation') as never, policy).route).toBe('queue');
    expect(routeTask(newTask([item('p', 'low')], 'medication-reconciliation') as never, policy).route).toBe(
      'auto-apply',
    );
  });

  it('auto-applies a low-risk task at creation, audited as the routing system; the rest wait', async () => {
    const { effects } = recordingEffects(new Set());
    const review = createReviewService({ tasks: store.tasks, audit: store.audit, clock, effects });
    const deps = {
      tasks: store.tasks,
      audit: store.audit,
      policy,
      review,
      actor: 'system:test',
      source: 'test',
    };
    const auto = await createReviewTask(deps, newTask([item('q', 'low')], 'medication-reconciliation'));
    expect(auto.routing.route).toBe('auto-apply');
    expect(auto.task.status).toBe('applied');
    expect((auto.task.work as TaskWork).decisions['q']?.by).toBe('system:routing');
    const queued = await createReviewTask(deps, newTask([item('r', 'high')], 'medication-reconciliation'));
    expect(queued.task.status).toBe('open');
    // The same key again creates nothing and applies nothing.
    const again = await createReviewTask(deps, {
      ...newTask([item('q', 'low')], 'medication-reconciliation'),
      key: auto.task.key,
    });
    expect(again.created).toBe(false);

    const routed = withRouting(store.tasks, { policy, review, onError: () => undefined });
    const created = await routed.create(newTask([item('s', 'low')], 'medication-reconciliation'));
    for (let i = 0; i < 100 && (await store.tasks.get(created.task.id))?.status !== 'applied'; i++) {
      await new Promise((r) => setTimeout(r, 10));
    }
    expect((await store.tasks.get(created.task.id))?.status).toBe('applied');
  });
});
