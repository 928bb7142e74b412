// The one path by which a task comes into being: create idempotently, audit, then route (auto-apply or queue).
// Rollout modes (src/review/rollout) hook in here through `beforeCreate`.
import type { AuditLog } from '../governance/audit/audit-log.ts';
import type { EngineMetrics } from '../platform/metrics/metrics.ts';
import type { NewTask, Task, TaskStore } from '../platform/store/task-store.ts';
import type { ReviewService } from './review-service.ts';
import { itemsOf } from './task-model.ts';

/**
 * Auto-apply only for configured low-risk task types whose every item is low priority and at or above the confidence
 * threshold; everything else waits for a pharmacist. An empty type list (the default) auto-applies nothing.
 */
export interface RoutingPolicy {
  autoApplyTypes: readonly string[];
  minConfidence: number;
}

export const DEFAULT_ROUTING_POLICY: RoutingPolicy = { autoApplyTypes: [], minConfidence: 0.95 };

export type RoutingDecision = { route: 'queue'; reason: string } | { route: 'auto-apply'; reason: string };

export function routeTask(
  task: Pick<Task, 'type' | 'priority' | 'payload'>,
  policy: RoutingPolicy,
): RoutingDecision {
  if (!policy.autoApplyTypes.includes(task.type))
    return { route: 'queue', reason: `${task.type} needs review` };
  if (task.priority !== 'low') return { route: 'queue', reason: `${task.priority} priority needs review` };
  const items = itemsOf(task);
  if (items.length === 0) return { route: 'queue', reason: 'nothing to apply' };
  const unsure = items.filter((i) => i.priority !== 'low' || (i.confidence ?? 0) < policy.minConfidence);
  if (unsure.length > 0) {
    return { route: 'queue', reason: `${unsure.length} item(s) below the ${policy.minConfidence} threshold` };
  }
  return { route: 'auto-apply', reason: `low risk, every item at or above ${policy.minConfidence}` };
}

export interface CreateTaskDeps {
  tasks: TaskStore;
  audit: AuditLog;
  policy?: RoutingPolicy;
  /** Needed to auto-apply; without it every task is queued. */
  review?: ReviewService;
  metrics?: EngineMetrics;
  /** The actor recorded for creation (`system:pipeline`). */
  actor: string;
  source: string;
  /** Rollout hook: may change the task or veto auto-apply (return `queue`). */
  beforeCreate?: (task: NewTask) => Promise<{ task: NewTask; allowAutoApply: boolean }>;
}

export interface CreatedTask {
  task: Task;
  created: boolean;
  routing: RoutingDecision;
}

export async function createReviewTask(deps: CreateTaskDeps, input: NewTask): Promise<CreatedTask> {
  let candidate = input;
  let allowAuto = true;
  if (deps.beforeCreate) {
    const hooked = await deps.beforeCreate(input);
    candidate = hooked.task;
    allowAuto = hooked.allowAutoApply;
  }
  const { task, created } = await deps.tasks.create(candidate);
  let routing = routeTask(task, deps.policy ?? DEFAULT_ROUTING_POLICY);
  if (routing.route === 'auto-apply' && (!allowAuto || !deps.review)) {
    routing = {
      route: 'queue',
      reason: allowAuto ? 'auto-apply not wired' : 'rollout mode keeps it for review',
    };
  }
  if (!created) return { task, created, routing };
  deps.metrics?.tasksCreated.inc({ type: task.type });
  await deps.audit.record({
    actor: deps.actor,
    action: 'create',
    category: 'task',
    ...(task.patient.pharmacyPatientId ? { patient: task.patient.pharmacyPatientId } : {}),
    entity: task.id,
    source: deps.source,
    outcome: 'success',
    detail: `${task.type}; ${routing.route}: ${routing.reason}`,
  });
  if (routing.route === 'auto-apply' && deps.review) {
    const actor = 'system:routing';
    const decided = await deps.review.decideTask(
      task.id,
      { decision: 'approve', reason: routing.reason },
      actor,
    );
    const applied = await deps.review.apply(decided.id, actor);
    return { task: applied, created, routing };
  }
  return { task, created, routing };
}

/**
 * A TaskStore whose `create` routes each new task after it is stored (for creators that audit creation themselves,
 * like the pipeline): auto-apply runs in the background and a failure there leaves the task queued.
 */
export function withRouting(
  tasks: TaskStore,
  deps: { policy: RoutingPolicy; review: ReviewService; onError: (taskId: string, error: unknown) => void },
): TaskStore {
  return {
    ...tasks,
    async create(input) {
      const result = await tasks.create(input);
      if (result.created && routeTask(result.task, deps.policy).route === 'auto-apply') {
        const reason = routeTask(result.task, deps.policy).reason;
        const id = result.task.id;
        void (async () => {
          const actor = 'system:routing';
          await deps.review.decideTask(id, { decision: 'approve', reason }, actor);
          await deps.review.apply(id, actor);
        })().catch((error: unknown) => deps.onError(id, error));
      }
      return result;
    },
  };
}
