// The pharmacists' decisions made in the workspace (task work records), read as rollout decisions so that
// shadow validation and the value report count them with those recorded through the rollout store.
import type { Task, TaskStore } from '../../platform/store/task-store.ts';
import { itemsOf, workOf } from '../task-model.ts';
import { fieldsOfAction } from './proposals.ts';
import type { Workflow } from './rollout-model.ts';
import type { Decision } from './rollout-store.ts';

/** Task type → rollout workflow, for the task types a workflow creates. */
const WORKFLOW_OF_TASK: Readonly<Record<string, Workflow>> = {
  'discharge-reconciliation': 'discharge-reconciliation',
  'allergy-conflict': 'allergy-sync',
  interaction: 'new-rx-checks',
  'renal-dose': 'new-rx-checks',
  'adherence-note': 'adherence-notes',
  'care-gap': 'care-gaps',
};

export function decisionsOfTask(task: Task): Decision[] {
  const workflow = WORKFLOW_OF_TASK[task.type];
  if (workflow === undefined || task.sourceMessageId === null) return [];
  const work = workOf(task);
  const out: Decision[] = [];
  for (const item of itemsOf(task)) {
    const d = work.decisions[item.id];
    if (d === undefined) continue;
    const prescriptionId = typeof item.pharmacy?.['id'] === 'string' ? item.pharmacy['id'] : undefined;
    const decision: Decision = {
      key: `task:${task.id}:${item.id}`,
      workflow,
      messageId: task.sourceMessageId,
      patientId: task.patient.pharmacyPatientId ?? '',
      itemId: item.id,
      verdict: d.decision,
      fields: fieldsOfAction(d.action, item.drug, prescriptionId),
      pharmacist: d.by,
      at: new Date(d.at),
    };
    if (d.reason) decision.reason = d.reason;
    out.push(decision);
  }
  return out;
}

/** Decisions on the workspace tasks created since `since` (newest `limit` tasks of each type). */
export async function workspaceDecisions(tasks: TaskStore, since: Date, limit = 10_000): Promise<Decision[]> {
  const out: Decision[] = [];
  for (const type of Object.keys(WORKFLOW_OF_TASK)) {
    for (const task of await tasks.list({ type, limit })) {
      if (task.createdAt >= since) out.push(...decisionsOfTask(task));
    }
  }
  return out;
}
