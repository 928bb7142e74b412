// Task type names come from the engine: the task list carries the name of every type (the queue filter lists types
// no task has yet), and the web app shows the engine's name, or the id when the engine sent none.
import { expect, it } from 'vitest';
import type { z } from 'zod';
import { REVIEW_TASK_TYPES, TASK_TYPE_LABELS } from '../../src/review/task-model.ts';
import { TaskListSchema } from '../../src/review/task-routes.ts';
import { typeName } from '../../web/src/format.ts';

it('the task list schema carries a name for every task type', () => {
  const list: z.infer<typeof TaskListSchema> = {
    total: 0,
    counts: { byPriority: {}, bySla: {}, byType: {} },
    tasks: [],
    typeLabels: TASK_TYPE_LABELS,
  };
  const parsed = TaskListSchema.parse(list);
  expect(Object.keys(parsed.typeLabels).sort()).toEqual([...REVIEW_TASK_TYPES].sort());
  expect(parsed.typeLabels['dispense-report']).toBe('Dispense to EHR');
  expect(() => TaskListSchema.parse({ ...list, typeLabels: undefined })).toThrow();
});

it('shows the name the engine sent, else the id', () => {
  expect(typeName('care-gap', { 'care-gap': 'Care gap' })).toBe('Care gap');
  expect(typeName('care-gap')).toBe('care-gap');
  expect(typeName('not-a-type', TASK_TYPE_LABELS)).toBe('not-a-type');
});
