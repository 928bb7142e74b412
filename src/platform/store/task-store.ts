// TaskStore port: work items for a pharmacist, created idempotently from messages.
import type { MessageId, TaskId } from '../../kernel/ids.ts';

export const TaskStatus = {
  Open: 'open',
  Claimed: 'claimed',
  Approved: 'approved',
  Edited: 'edited',
  Rejected: 'rejected',
  Applied: 'applied',
  Failed: 'failed',
} as const;
export type TaskStatus = (typeof TaskStatus)[keyof typeof TaskStatus];

export const TaskPriority = { High: 'high', Medium: 'medium', Low: 'low' } as const;
export type TaskPriority = (typeof TaskPriority)[keyof typeof TaskPriority];

export interface TaskPatient {
  /** Pharmacy patient id when matched. */
  pharmacyPatientId?: string;
  /** Source identifier with assigning authority, e.g. `MRN^^^GENHOSP`. */
  sourceIdentifier?: string;
  display: string;
}

export interface NewTask {
  /** Dedupe key: the same key never creates a second task (replays, redeliveries). */
  key: string;
  type: string;
  priority: TaskPriority;
  patient: TaskPatient;
  site?: string;
  sourceMessageId?: MessageId;
  dueAt?: Date;
  /** JSON payload: items (discrepancies, findings) with their evidence. */
  payload: unknown;
}

export interface Task extends Omit<NewTask, 'dueAt' | 'site' | 'sourceMessageId'> {
  id: TaskId;
  status: TaskStatus;
  /** Who claimed it (`user:<id>`), or null while unclaimed. */
  assignee: string | null;
  /** Bumped by every update; updates name the version they read (optimistic locking). */
  version: number;
  /** The review's own JSON: decisions per item, comments, applied effects. `{}` on a new task. */
  work: unknown;
  site: string | null;
  sourceMessageId: MessageId | null;
  dueAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface TaskFilter {
  status?: TaskStatus;
  /** Any of these statuses (combined with `status` when both are given). */
  statuses?: readonly TaskStatus[];
  assignee?: string;
  type?: string;
  priority?: TaskPriority;
  sourceMessageId?: MessageId;
  limit?: number;
}

export interface TaskUpdate {
  /** The version the caller read; a different current version refuses the update with a `conflict` error. */
  expectedVersion: number;
  status?: TaskStatus;
  assignee?: string | null;
  priority?: TaskPriority;
  work?: unknown;
}

export interface TaskStore {
  /** Creates the task unless one with the same key exists; durable before it resolves. */
  create(task: NewTask): Promise<{ task: Task; created: boolean }>;
  get(id: TaskId): Promise<Task | undefined>;
  /** Newest first. */
  list(filter: TaskFilter): Promise<Task[]>;
  count(filter: TaskFilter): Promise<number>;
  /** Applies the change and bumps the version; `not-found` or `conflict` (RxBridgeError) otherwise. */
  update(id: TaskId, change: TaskUpdate): Promise<Task>;
}
