// The pharmacist's actions on a task: claim, release, decide per item with a reason, comment, edit the note, apply.
// Every change is a versioned task update plus an audit record; effects run through the TaskEffects port (outbound).
import type { AuditLog } from '../governance/audit/audit-log.ts';
import type { Clock } from '../kernel/clock.ts';
import { ErrorCode, RxBridgeError } from '../kernel/errors.ts';
import type { Task, TaskStatus, TaskStore } from '../platform/store/task-store.ts';
import {
  assertMove,
  itemsOf,
  outcomeOfDecisions,
  proposedAction,
  workOf,
  type EffectRecord,
  type ItemAction,
  type ItemDecision,
  type ItemDecisionKind,
  type TaskWork,
} from './task-model.ts';

/** Carries out an approved task's effects (pharmacy write-back, EHR outbound); implemented in src/outbound. */
export interface TaskEffects {
  /**
   * Runs every effect not yet `done` in `work.effects` and returns the records (done, failed, skipped). Must be
   * idempotent per effect key: a retry after a crash or a failure never writes twice.
   */
  run(task: Task, work: TaskWork, actor: string): Promise<EffectRecord[]>;
}

export interface ReviewServiceDeps {
  tasks: TaskStore;
  audit: AuditLog;
  clock: Clock;
  effects: TaskEffects;
}

export interface ItemDecisionInput {
  decision: ItemDecisionKind;
  reason: string;
  /** For `edit`: the pharmacist's action instead of the engine's proposal. */
  action?: ItemAction;
}

export interface ReviewService {
  get(id: string): Promise<Task>;
  claim(id: string, actor: string): Promise<Task>;
  release(id: string, actor: string): Promise<Task>;
  decideItem(id: string, itemId: string, input: ItemDecisionInput, actor: string): Promise<Task>;
  /** Decides the whole task: every undecided item gets this decision, or a task without items is closed with it. */
  decideTask(id: string, input: { decision: ItemDecisionKind; reason: string }, actor: string): Promise<Task>;
  comment(id: string, text: string, actor: string): Promise<Task>;
  setNote(id: string, text: string, actor: string): Promise<Task>;
  apply(id: string, actor: string): Promise<Task>;
}

export function createReviewService(deps: ReviewServiceDeps): ReviewService {
  const { tasks, audit, clock } = deps;
  // One action per task at a time in this process; other processes are kept out by the version check.
  const locks = new Map<string, Promise<unknown>>();
  const serial = <T>(id: string, run: () => Promise<T>): Promise<T> => {
    const previous = locks.get(id) ?? Promise.resolve();
    const next = previous.then(run, run);
    const settled = next.catch(() => undefined);
    locks.set(id, settled);
    void settled.then(() => {
      if (locks.get(id) === settled) locks.delete(id);
    });
    return next;
  };

  async function load(id: string): Promise<Task> {
    const task = await tasks.get(id);
    if (!task) throw new RxBridgeError(ErrorCode.NotFound, `no task ${id}`);
    return task;
  }

  async function record(
    task: Task,
    actor: string,
    action: 'update' | 'execute',
    detail: string,
  ): Promise<void> {
    await audit.record({
      actor,
      action,
      category: 'task',
      entity: task.id,
      ...(task.patient.pharmacyPatientId ? { patient: task.patient.pharmacyPatientId } : {}),
      source: 'review',
      outcome: 'success',
      detail,
    });
  }

  function historyEntry(work: TaskWork, actor: string, from: TaskStatus, to: TaskStatus, note: string): void {
    work.history.push({ at: clock.now().toISOString(), by: actor, from, to, note });
  }

  /** Claims an open task for `actor` on the way (one-click decisions); refuses a task someone else holds. */
  function ensureHeldBy(task: Task, actor: string, work: TaskWork): TaskStatus {
    if (task.status === 'open') {
      historyEntry(work, actor, 'open', 'claimed', 'claimed');
      return 'claimed';
    }
    if (task.status !== 'claimed') {
      throw new RxBridgeError(
        ErrorCode.IllegalTransition,
        `the task is ${task.status}; decisions are closed`,
      );
    }
    if (task.assignee !== null && task.assignee !== actor) {
      throw new RxBridgeError(ErrorCode.Conflict, `the task is claimed by ${task.assignee}`);
    }
    return 'claimed';
  }

  /** After a decision: when every item is decided, the task moves to approved / edited / rejected. */
  function settleDecisions(task: Task, work: TaskWork, actor: string): TaskStatus {
    const items = itemsOf(task);
    const decided = items.map((i) => work.decisions[i.id]).filter((d): d is ItemDecision => d !== undefined);
    if (items.length === 0 || decided.length < items.length) return 'claimed';
    const outcome = outcomeOfDecisions(decided);
    const decision = outcome === 'approved' ? 'approve' : outcome === 'edited' ? 'edit' : 'reject';
    work.outcome = {
      decision,
      reason: `${decided.length} item(s) decided`,
      by: actor,
      at: clock.now().toISOString(),
    };
    assertMove('claimed', outcome);
    historyEntry(work, actor, 'claimed', outcome, work.outcome.reason);
    return outcome;
  }

  const service: ReviewService = {
    get: load,

    claim: (id, actor) =>
      serial(id, async () => {
        const task = await load(id);
        if (task.status === 'claimed' && task.assignee === actor) return task;
        assertMove(task.status, 'claimed');
        const work = workOf(task);
        historyEntry(work, actor, task.status, 'claimed', 'claimed');
        const next = await tasks.update(id, {
          expectedVersion: task.version,
          status: 'claimed',
          assignee: actor,
          work,
        });
        await record(next, actor, 'update', 'claimed');
        return next;
      }),

    release: (id, actor) =>
      serial(id, async () => {
        const task = await load(id);
        if (task.status !== 'claimed') {
          throw new RxBridgeError(ErrorCode.IllegalTransition, `a ${task.status} task cannot be released`);
        }
        const work = workOf(task);
        historyEntry(work, actor, 'claimed', 'open', 'released');
        const next = await tasks.update(id, {
          expectedVersion: task.version,
          status: 'open',
          assignee: null,
          work,
        });
        await record(next, actor, 'update', 'released');
        return next;
      }),

    decideItem: (id, itemId, input, actor) =>
      serial(id, async () => {
        const task = await load(id);
        const item = itemsOf(task).find((i) => i.id === itemId);
        if (!item) throw new RxBridgeError(ErrorCode.NotFound, `task ${id} has no item ${itemId}`);
        const work = workOf(task);
        ensureHeldBy(task, actor, work);
        if (input.decision === 'edit' && input.action === undefined) {
          throw new RxBridgeError(ErrorCode.InvalidInput, 'an edit needs the action to apply instead');
        }
        const action: ItemAction =
          input.decision === 'reject' ? { kind: 'none' } : (input.action ?? proposedAction(item));
        work.decisions[itemId] = {
          decision: input.decision,
          reason: input.reason,
          action,
          by: actor,
          at: clock.now().toISOString(),
        };
        const status = settleDecisions(task, work, actor);
        const next = await tasks.update(id, { expectedVersion: task.version, status, assignee: actor, work });
        await record(next, actor, 'update', `item ${itemId}: ${input.decision}`);
        return next;
      }),

    decideTask: (id, input, actor) =>
      serial(id, async () => {
        const task = await load(id);
        const work = workOf(task);
        ensureHeldBy(task, actor, work);
        const items = itemsOf(task);
        const at = clock.now().toISOString();
        let status: TaskStatus;
        if (items.length > 0) {
          if (input.decision === 'edit') {
            throw new RxBridgeError(ErrorCode.InvalidInput, 'edits are made per item');
          }
          for (const item of items) {
            if (work.decisions[item.id]) continue;
            work.decisions[item.id] = {
              decision: input.decision,
              reason: input.reason,
              action: input.decision === 'reject' ? { kind: 'none' } : proposedAction(item),
              by: actor,
              at,
            };
          }
          status = settleDecisions(task, work, actor);
        } else {
          status =
            input.decision === 'approve' ? 'approved' : input.decision === 'edit' ? 'edited' : 'rejected';
          work.outcome = { decision: input.decision, reason: input.reason, by: actor, at };
          historyEntry(work, actor, 'claimed', status, input.reason);
        }
        const next = await tasks.update(id, { expectedVersion: task.version, status, assignee: actor, work });
        await record(next, actor, 'update', `task: ${input.decision}`);
        return next;
      }),

    comment: (id, text, actor) =>
      serial(id, async () => {
        const task = await load(id);
        const work = workOf(task);
        work.comments.push({ by: actor, at: clock.now().toISOString(), text });
        const next = await tasks.update(id, { expectedVersion: task.version, work });
        await record(next, actor, 'update', 'comment');
        return next;
      }),

    setNote: (id, text, actor) =>
      serial(id, async () => {
        const task = await load(id);
        if (task.status === 'applied' || task.status === 'rejected') {
          throw new RxBridgeError(ErrorCode.IllegalTransition, `the note of a ${task.status} task is final`);
        }
        const work = workOf(task);
        work.note = text;
        const next = await tasks.update(id, { expectedVersion: task.version, work });
        await record(next, actor, 'update', 'note edited');
        return next;
      }),

    apply: (id, actor) =>
      serial(id, async () => {
        const task = await load(id);
        if (task.status === 'applied') return task;
        if (task.status !== 'approved' && task.status !== 'edited' && task.status !== 'failed') {
          throw new RxBridgeError(
            ErrorCode.IllegalTransition,
            `a ${task.status} task cannot be applied: decide every item first`,
          );
        }
        const work = workOf(task);
        const results = await deps.effects.run(task, work, actor);
        for (const r of results) work.effects[r.key] = r;
        const failed = results.filter((r) => r.status === 'failed');
        const status: TaskStatus = failed.length > 0 ? 'failed' : 'applied';
        historyEntry(
          work,
          actor,
          task.status,
          status,
          failed.length > 0
            ? `${failed.length} of ${results.length} effect(s) failed`
            : `${results.length} effect(s) applied`,
        );
        const next = await tasks.update(id, { expectedVersion: task.version, status, work });
        await record(next, actor, 'execute', `apply: ${status}`);
        return next;
      }),
  };
  return service;
}
