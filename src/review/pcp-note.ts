// The note to the PCP the engine drafts from a task's decisions; the pharmacist edits it before it is sent.
import type { Task } from '../platform/store/task-store.ts';
import { itemsOf, type TaskWork } from './task-model.ts';

const ACTION_WORDS: Record<string, string> = {
  discontinue: 'discontinued',
  hold: 'put on hold',
  'update-regimen': 'updated to the discharge regimen',
  'add-note': 'noted on the profile',
};

/** The pharmacist's text when there is one, else the payload's draft, else one drafted from the decisions. */
export function noteTextOf(task: Task, work: TaskWork): string {
  if (work.note !== undefined && work.note.trim() !== '') return work.note;
  const payload = (task.payload ?? {}) as { draft?: unknown };
  if (typeof payload.draft === 'string') return payload.draft;
  return draftFromDecisions(task, work);
}

export function draftFromDecisions(task: Task, work: TaskWork): string {
  const lines: string[] = [];
  for (const item of itemsOf(task)) {
    const d = work.decisions[item.id];
    if (!d || d.decision === 'reject' || d.action.kind === 'none') continue;
    const how = ACTION_WORDS[d.action.kind] ?? d.action.kind;
    const sig = d.action.sig ? ` (${d.action.sig})` : '';
    lines.push(`- ${item.drug}: ${how}${sig}. Reason: ${d.reason}`);
  }
  if (lines.length === 0) return '';
  return [
    'Dear Doctor,',
    '',
    'After reconciling the hospital discharge medication list with our pharmacy profile, we made these changes:',
    ...lines,
    '',
    'Please tell us if any of this does not match your plan.',
    '',
    'Community pharmacy team',
  ].join('\n');
}

/** Task types whose approval sends a note to the PCP. */
export const NOTE_TASK_TYPES: ReadonlySet<string> = new Set([
  'discharge-reconciliation',
  'medication-reconciliation',
  'adherence-note',
  'mtm-summary',
]);
