// The web app's task type names (queue filter, dashboard chart) match the engine's, for every task type.
import { expect, it } from 'vitest';
import { REVIEW_TASK_TYPES, TASK_TYPE_LABELS } from '../../src/review/task-model.ts';
import { TASK_TYPE_LABEL, typeName } from '../../web/src/format.ts';

it('names every task type as the engine does', () => {
  for (const type of REVIEW_TASK_TYPES) expect(TASK_TYPE_LABEL[type], type).toBe(TASK_TYPE_LABELS[type]);
  expect(TASK_TYPE_LABEL['dispense-report']).toBe('Dispense to EHR');
  expect(TASK_TYPE_LABEL['immunization-report']).toBe('Immunization to EHR / registry');
});

it('prefers the name the engine sent, then its own, then the id', () => {
  expect(typeName('care-gap', { 'care-gap': 'Care gap (engine)' })).toBe('Care gap (engine)');
  expect(typeName('care-gap')).toBe('Care gap');
  expect(typeName('not-a-type')).toBe('not-a-type');
});
