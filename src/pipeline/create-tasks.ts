// The pipeline's way to file tasks: each created idempotently by key, counted, and audited once when new.
import type { AuditLog } from '../governance/audit/audit-log.ts';
import type { EngineMetrics } from '../platform/metrics/metrics.ts';
import type { NewTask, Task, TaskStore } from '../platform/store/task-store.ts';

export interface TaskFiling {
  tasks: TaskStore;
  audit: AuditLog;
  metrics?: EngineMetrics;
}

export async function fileTasks(
  deps: TaskFiling,
  tasks: readonly NewTask[],
  patient: string,
  source: string,
): Promise<Array<{ task: Task; created: boolean }>> {
  const out: Array<{ task: Task; created: boolean }> = [];
  for (const t of tasks) {
    const made = await deps.tasks.create(t);
    out.push(made);
    if (!made.created) continue;
    deps.metrics?.tasksCreated.inc({ type: made.task.type });
    await deps.audit.record({
      actor: 'system:pipeline',
      action: 'create',
      category: 'task',
      patient,
      entity: made.task.id,
      source,
      outcome: 'success',
      detail: made.task.type,
    });
  }
  return out;
}
