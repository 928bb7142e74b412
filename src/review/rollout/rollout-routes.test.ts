// Rollout over HTTP (Fastify inject on the real server with real authentication): modes, report, alerts, decisions.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiKeyHeader, createTestSecurity, seedApiKey } from '../../../test/support/auth.ts';
import { ManualClock } from '../../kernel/clock.ts';
import { createHttpServer } from '../../platform/http/http-server.ts';
import { silentLogger } from '../../platform/log/logger.ts';
import { createMetrics } from '../../platform/metrics/metrics.ts';
// eslint-disable-next-line rxbridge/pipeline-boundaries -- a real store for the audit trail and tasks
import { openSqliteStore, type SqliteStore } from '../../platform/store/sqlite/sqlite-store.ts';
import { registerRolloutRoutes } from './rollout-routes.ts';
import type { RolloutStore } from './rollout-store.ts';
import { openSqliteRolloutStore } from './sqlite/sqlite-rollout-store.ts';

describe('rollout routes', () => {
  const clock = new ManualClock('2026-03-10T12:00:00Z');
  const security = createTestSecurity();
  const app = createHttpServer({
    logger: silentLogger,
    metrics: createMetrics({ defaultMetrics: false }),
    bodyLimitBytes: 1024 * 1024,
    readiness: [],
    auth: security.auth,
  });
  let engine: SqliteStore;
  let store: RolloutStore;
  let engineer: { authorization: string };
  let pharmacist: { authorization: string };

  beforeAll(async () => {
    engine = await openSqliteStore({ path: ':memory:', clock });
    store = openSqliteRolloutStore(':memory:');
    registerRolloutRoutes(app, { store, audit: engine.audit, tasks: engine.tasks, clock });
    engineer = apiKeyHeader(
      await seedApiKey(security.auth, { roles: ['integration-engineer'], name: 'eng' }),
    );
    pharmacist = apiKeyHeader(await seedApiKey(security.auth, { roles: ['pharmacist'], name: 'rph' }));
    const at = new Date('2026-03-09T12:00:00Z');
    await store.saveRun({
      key: 'discharge-reconciliation:m1',
      workflow: 'discharge-reconciliation',
      mode: 'shadow',
      cohortKey: '*',
      messageId: 'm1',
      patientId: 'P0005',
      receivedAt: at,
      at,
      latencyMs: 12,
      items: [
        {
          itemId: 'd1',
          type: 'discontinued-still-active',
          priority: 'medium',
          drug: 'amlodipine',
          prescriptionId: 'P0005-RX3',
          confidence: 0.75,
          fields: { action: 'discontinue', drug: 'amlodipine', prescription: 'P0005-RX3' },
          disposition: 'recorded',
        },
      ],
    });
  });
  afterAll(async () => {
    await app.close();
    await store.close();
    await engine.close();
    await security.close();
  });

  it('sets a mode for a cohort with a reason (audited) and shows it', async () => {
    const set = await app.inject({
      method: 'POST',
      url: '/api/rollout/modes',
      headers: engineer,
      payload: {
        workflow: 'discharge-reconciliation',
        mode: 'shadow',
        cohort: { sites: ['main-street'] },
        reason: 'pilot: read-only first',
      },
    });
    expect(set.statusCode).toBe(201);
    expect(set.json()).toMatchObject({ mode: 'shadow', previous: 'suggest', cohort: 'site=main-street' });
    const status = await app.inject({ method: 'GET', url: '/api/rollout', headers: engineer });
    const flow = status
      .json<{ workflows: Array<{ workflow: string; settings: Array<{ cohort: string; reason: string }> }> }>()
      .workflows.find((w) => w.workflow === 'discharge-reconciliation');
    expect(flow?.settings).toEqual([
      expect.objectContaining({ cohort: 'site=main-street', reason: 'pilot: read-only first' }),
    ]);
    const [entry] = await engine.audit.list({ entity: 'rollout:discharge-reconciliation:site=main-street' });
    expect(entry?.actor).toMatch(/^api-key:/);
    expect(entry?.detail).toContain('reason: pilot: read-only first');
  });

  it('refuses bad requests with an OperationOutcome naming the field; a pharmacist may not change modes', async () => {
    const bad = await app.inject({
      method: 'POST',
      url: '/api/rollout/modes',
      headers: engineer,
      payload: { workflow: 'discharge-reconciliation', mode: 'turbo', reason: 'because we can' },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ resourceType: 'OperationOutcome', issue: [{ expression: ['mode'] }] });
    const short = await app.inject({
      method: 'POST',
      url: '/api/rollout/modes',
      headers: engineer,
      payload: { workflow: 'care-gaps', mode: 'auto', reason: 'x' },
    });
    expect(short.json().issue[0].diagnostics).toMatch(/reason of at least 8 characters/);
    const denied = await app.inject({
      method: 'POST',
      url: '/api/rollout/modes',
      headers: pharmacist,
      payload: { workflow: 'care-gaps', mode: 'auto', reason: 'long enough reason' },
    });
    expect(denied.statusCode).toBe(403);
    expect((await store.settings('care-gaps')).length).toBe(0);
  });

  it('records a pharmacist decision once (audited) and the report counts it, as JSON, CSV and a page', async () => {
    const decision = {
      workflow: 'discharge-reconciliation',
      messageId: 'm1',
      patientId: 'P0005',
      verdict: 'manual',
      fields: { action: 'discontinue', drug: 'amlodipine', prescription: 'P0005-RX3' },
    };
    const first = await app.inject({
      method: 'POST',
      url: '/api/rollout/decisions',
      headers: pharmacist,
      payload: decision,
    });
    expect(first.statusCode).toBe(201);
    const again = await app.inject({
      method: 'POST',
      url: '/api/rollout/decisions',
      headers: pharmacist,
      payload: decision,
    });
    expect(again.json()).toMatchObject({ created: false });
    const json = await app.inject({ method: 'GET', url: '/api/rollout/report?since=7d', headers: engineer });
    const report = json.json<{
      workflows: Array<{ events: number; agreement: { rate: number; compared: number } }>;
    }>();
    expect(report.workflows[0]).toMatchObject({ events: 1, agreement: { rate: 1, compared: 1 } });
    const csv = await app.inject({
      method: 'GET',
      url: '/api/rollout/report?since=7d&format=csv',
      headers: engineer,
    });
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.body.split('\n')[1]).toMatch(/^discharge-reconciliation,/);
    const html = await app.inject({
      method: 'GET',
      url: '/api/rollout/report?since=7d&format=html',
      headers: engineer,
    });
    expect(html.headers['content-type']).toContain('text/html');
    expect(html.body).toContain('Promotion checklist');
    const badQuery = await app.inject({
      method: 'GET',
      url: '/api/rollout/report?since=yesterday-ish',
      headers: engineer,
    });
    expect(badQuery.statusCode).toBe(400);
  });

  it('lists alerts; without credentials nothing is served', async () => {
    await store.raiseAlert({
      key: 'agreement-low:discharge-reconciliation',
      workflow: 'discharge-reconciliation',
      rule: 'agreement-low',
      severity: 'critical',
      value: 0.4,
      threshold: 0.8,
      message: 'agreement 0.40',
      at: clock.now(),
    });
    const alerts = await app.inject({ method: 'GET', url: '/api/rollout/alerts', headers: engineer });
    expect(alerts.json().alerts).toEqual([expect.objectContaining({ rule: 'agreement-low', count: 1 })]);
    expect((await app.inject({ method: 'GET', url: '/api/rollout/alerts' })).statusCode).toBe(401);
  });
});
