// TaskStore review updates (claim, decide, optimistic locking, status filters) on both adapters: a SQLite file and PostgreSQL.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../kernel/clock.ts';
import { ErrorCode, RxBridgeError } from '../../kernel/errors.ts';
// eslint-disable-next-line rxbridge/pipeline-boundaries -- the port's behaviour is tested on each real adapter
import { openPostgresStore } from './postgres/postgres-store.ts';
import * as pgTest from './postgres/test-database.ts'; // eslint-disable-line rxbridge/pipeline-boundaries -- test helper
const { dropSchemas, describeWithPostgres, postgresAvailable, randomSchemaName, testDatabaseUrl } = pgTest;
// eslint-disable-next-line rxbridge/pipeline-boundaries -- the port's behaviour is tested on each real adapter
import { openSqliteStore } from './sqlite/sqlite-store.ts';
import type { Store } from './store.ts';
import type { NewTask } from './task-store.ts';

const newTask = (key: string): NewTask => ({
  key,
  type: 'discharge-reconciliation',
  priority: 'high',
  patient: { display: 'TEST, PATIENT (P1)', pharmacyPatientId: 'P1' },
  payload: { items: [{ id: 'i1' }] },
});

function describeTaskUpdates(name: string, open: () => Promise<Store>): void {
  describe(name, () => {
    let store: Store;
    beforeAll(async () => {
      store = await open();
    });
    afterAll(async () => store.close());

    it('starts unassigned at version 0 with empty work, and claims with the version it read', async () => {
      const { task } = await store.tasks.create(newTask('k-claim'));
      expect(task).toMatchObject({ status: 'open', assignee: null, version: 0, work: {} });
      const claimed = await store.tasks.update(task.id, {
        expectedVersion: 0,
        status: 'claimed',
        assignee: 'user:ana',
      });
      expect(claimed).toMatchObject({ status: 'claimed', assignee: 'user:ana', version: 1 });
      const reread = await store.tasks.get(task.id);
      expect(reread).toMatchObject({ status: 'claimed', assignee: 'user:ana', version: 1, work: {} });
    });

    it('refuses a stale version with a conflict and changes nothing', async () => {
      const { task } = await store.tasks.create(newTask('k-stale'));
      await store.tasks.update(task.id, { expectedVersion: 0, work: { comments: ['first'] } });
      const stale = store.tasks.update(task.id, { expectedVersion: 0, status: 'rejected' });
      await expect(stale).rejects.toBeInstanceOf(RxBridgeError);
      await expect(stale).rejects.toMatchObject({ code: ErrorCode.Conflict });
      const current = await store.tasks.get(task.id);
      expect(current).toMatchObject({ status: 'open', version: 1, work: { comments: ['first'] } });
    });

    it('says not-found for an unknown task', async () => {
      await expect(store.tasks.update('no-such-task', { expectedVersion: 0 })).rejects.toMatchObject({
        code: ErrorCode.NotFound,
      });
    });

    it('clears the assignee with null and filters by statuses and assignee', async () => {
      const { task } = await store.tasks.create(newTask('k-filter'));
      const t1 = await store.tasks.update(task.id, {
        expectedVersion: 0,
        status: 'claimed',
        assignee: 'user:bo',
      });
      expect(await store.tasks.count({ assignee: 'user:bo' })).toBe(1);
      expect(await store.tasks.count({ statuses: ['claimed', 'applied'], assignee: 'user:bo' })).toBe(1);
      expect(await store.tasks.count({ statuses: ['applied'], assignee: 'user:bo' })).toBe(0);
      expect(await store.tasks.count({ statuses: [] })).toBe(0);
      const released = await store.tasks.update(task.id, {
        expectedVersion: t1.version,
        status: 'open',
        assignee: null,
      });
      expect(released.assignee).toBeNull();
      expect(await store.tasks.count({ assignee: 'user:bo' })).toBe(0);
    });
  });
}

const dir = mkdtempSync(join(tmpdir(), 'rxbridge-tasks-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
describeTaskUpdates('task updates on sqlite (file)', () =>
  openSqliteStore({ path: join(dir, 'store.db'), clock: new ManualClock(new Date('2026-11-21T10:00:00Z')) }),
);

const url = testDatabaseUrl();
const schemas: string[] = [];
afterAll(() => dropSchemas(url, schemas));
describeWithPostgres('task updates on postgres', await postgresAvailable(url), () => {
  describeTaskUpdates('postgres', () => {
    const schema = randomSchemaName();
    schemas.push(schema);
    return openPostgresStore({ url, schema, clock: new ManualClock(new Date('2026-11-21T10:00:00Z')) });
  });
});
