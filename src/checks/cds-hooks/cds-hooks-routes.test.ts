// The CDS Hooks service over HTTP (Fastify inject): discovery, order cards, missing prefetch, 400s, access, and
// every 200 response checked against the CDS Hooks 2.0 JSON shapes; latency over 2,000 requests.
import { fileURLToPath } from 'node:url';
import Fastify from 'fastify';
import { afterAll, describe, expect, it } from 'vitest';
import { apiKeyHeader, createTestSecurity, seedApiKey } from '../../../test/support/auth.ts';
import { createHttpServer, isRoutePolicy } from '../../platform/http/http-server.ts';
import { silentLogger } from '../../platform/log/logger.ts';
import { createMetrics } from '../../platform/metrics/metrics.ts';
import { createStarterTerminology } from '../../terminology/starter-terminology.ts';
import { createCareGapEngine, VACCINE_GROUP_PLANS } from '../care-gaps/care-gaps.ts';
import type { Card } from './cds-hooks-routes.ts';
import { CDS_SERVICES, registerCdsHooksRoutes } from './cds-hooks-routes.ts';
import { DiscoveryResponseSchema, ServiceResponseSchema } from './cds-hooks-schemas.ts';

const now = new Date('2026-01-15T12:00:00Z');
const CDSI_FIXTURE = fileURLToPath(new URL('../../../test/fixtures/cdsi/', import.meta.url));
const careGaps = createCareGapEngine(
  CDSI_FIXTURE,
  VACCINE_GROUP_PLANS.filter((p) => ['Zoster', 'Td/Tdap', 'Influenza'].includes(p.group)),
);
const security = createTestSecurity();
const app = createHttpServer({
  logger: silentLogger,
  metrics: createMetrics({ defaultMetrics: false }),
  bodyLimitBytes: 1024 * 1024,
  readiness: [],
  auth: security.auth,
});
/** The EHR calling the services: a system API key scoped to cds:invoke. */
const ehr = apiKeyHeader(await seedApiKey(security.auth, { roles: ['system'], scopes: ['cds:invoke'] }));
registerCdsHooksRoutes(app, { terminology: createStarterTerminology(), careGaps, now: () => now });
/** Every successful CDS Hooks response, validated against the specification's shapes as it is sent. */
const validated: Array<{ url: string; problems: string[] }> = [];
app.addHook('onSend', async (request, reply, payload) => {
  if (reply.statusCode !== 200 || !request.url.startsWith('/cds-services') || typeof payload !== 'string')
    return payload;
  const schema = request.url === '/cds-services' ? DiscoveryResponseSchema : ServiceResponseSchema;
  const result = schema.safeParse(JSON.parse(payload));
  validated.push({
    url: request.url,
    problems: result.success ? [] : result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`),
  });
  return payload;
});
afterAll(async () => {
  await app.close();
  await security.close();
});

const entry = (resource: object) => ({ resource });
const bundle = (...resources: object[]) => ({
  resourceType: 'Bundle',
  type: 'searchset',
  entry: resources.map(entry),
});
const medication = (text: string, status = 'active') => ({
  resourceType: 'MedicationRequest',
  status,
  intent: 'order',
  subject: { reference: 'Patient/p1' },
  medicationCodeableConcept: { text },
});

const PREFETCH = {
  patient: { resourceType: 'Patient', id: 'p1', birthDate: '1948-05-01', gender: 'female' },
  allergies: bundle({
    resourceType: 'AllergyIntolerance',
    patient: { reference: 'Patient/p1' },
    code: { text: 'penicillin' },
    reaction: [{ manifestation: [{ text: 'hives' }] }],
  }),
  conditions: bundle({
    resourceType: 'Condition',
    subject: { reference: 'Patient/p1' },
    code: { coding: [{ system: 'http://hl7.org/fhir/sid/icd-10-cm', code: 'N18.4' }], text: 'CKD stage 4' },
  }),
  labs: bundle({
    resourceType: 'Observation',
    status: 'final',
    code: { coding: [{ system: 'http://loinc.org', code: '98979-8' }] },
    valueQuantity: { value: 24, unit: 'mL/min/1.73m2' },
    effectiveDateTime: '2026-01-05',
  }),
  medications: bundle(medication('simvastatin 40 mg tablet'), medication('lisinopril 10 mg tablet')),
};

function orderSign(drafts: object[], prefetch: Record<string, unknown> = PREFETCH, hook = 'order-sign') {
  const service =
    hook === 'order-sign' ? 'rxbridge-medication-checks-sign' : 'rxbridge-medication-checks-select';
  return app.inject({
    method: 'POST',
    url: `/cds-services/${service}`,
    headers: ehr,
    payload: {
      hook,
      hookInstance: 'd1f0b7f4-2f7e-4a53-9b1e-0d1c8a5b6f10',
      context: { patientId: 'p1', userId: 'Practitioner/1', draftOrders: bundle(...drafts) },
      prefetch,
    },
  });
}

describe('CDS Hooks routes', () => {
  it('lists the services with their prefetch templates', async () => {
    const res = await app.inject({ method: 'GET', url: '/cds-services' });
    expect(res.statusCode).toBe(200);
    const body = res.json<{
      services: Array<{ id: string; hook: string; prefetch: Record<string, string> }>;
    }>();
    expect(body.services.map((s) => s.hook)).toEqual(['order-select', 'order-sign', 'patient-view']);
    expect(body.services[1]?.prefetch['labs']).toMatch(/^Observation\?patient=\{\{context\.patientId\}\}/);
  });

  it('answers order-sign with complete prefetch: one card per finding, indicator, short summary, source', async () => {
    const draft = { ...medication('clarithromycin 500 mg tablet', 'draft'), id: 'draft-1' };
    const metformin = { ...medication('metformin 500 mg tablet', 'draft'), id: 'draft-2' };
    const res = await orderSign([draft, metformin]);
    expect(res.statusCode).toBe(200);
    const { cards } = res.json<{ cards: Card[] }>();
    expect(cards.length).toBeGreaterThanOrEqual(3);
    for (const card of cards) {
      expect(['info', 'warning', 'critical']).toContain(card.indicator);
      expect(card.summary.length).toBeGreaterThan(0);
      expect(card.summary.length).toBeLessThanOrEqual(140);
      expect(card.source.label.length).toBeGreaterThan(0);
    }
    const interaction = cards.find((c) => c.summary.includes('simvastatin + clarithromycin'));
    expect(interaction?.indicator).toBe('critical');
    expect(interaction?.suggestions?.[0]?.actions?.[0]).toMatchObject({
      type: 'delete',
      resourceId: 'MedicationRequest/draft-1',
    });
    expect(cards.some((c) => /^Renal dosing: metformin with eGFR 24/.test(c.summary))).toBe(true);
    expect(cards.some((c) => /prefetch missing/.test(c.summary))).toBe(false);
  });

  it('says which prefetch is missing, and still checks what it can', async () => {
    const { labs: _labs, allergies: _allergies, ...partial } = PREFETCH;
    const res = await orderSign([medication('clarithromycin 500 mg tablet', 'draft')], partial);
    expect(res.statusCode).toBe(200);
    const { cards } = res.json<{ cards: Card[] }>();
    const missing = cards.find((c) => c.summary.startsWith('Checks incomplete'));
    expect(missing?.summary).toBe('Checks incomplete: prefetch missing allergies, labs');
    expect(missing?.indicator).toBe('info');
    expect(cards.some((c) => c.indicator === 'critical')).toBe(true);
  });

  it('patient-view gives vaccine cards from the configured care-gap engine', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/cds-services/rxbridge-patient-view',
      headers: ehr,
      payload: {
        hook: 'patient-view',
        hookInstance: 'a1',
        context: { patientId: 'p1' },
        prefetch: {
          patient: PREFETCH.patient,
          medications: PREFETCH.medications,
          immunizations: bundle(),
        },
      },
    });
    expect(res.statusCode).toBe(200);
    const summaries = res.json<{ cards: Card[] }>().cards.map((c) => c.summary);
    expect(summaries).toEqual(expect.arrayContaining(['Zoster vaccine due', 'Influenza vaccine due']));
  });

  it('answers a bad body with 400 and an OperationOutcome naming the problem', async () => {
    const cases = [
      { payload: { hook: 'order-sign' }, expect: /hookInstance/ },
      {
        payload: { hook: 'order-sign', hookInstance: 'x', context: { patientId: 'p1' } },
        expect: /context\.draftOrders/,
      },
      {
        payload: {
          hook: 'patient-view',
          hookInstance: 'x',
          context: { patientId: 'p1', draftOrders: bundle() },
        },
        expect: /answers order-sign, not patient-view/,
      },
    ];
    for (const c of cases) {
      const res = await app.inject({
        method: 'POST',
        url: '/cds-services/rxbridge-medication-checks-sign',
        headers: ehr,
        payload: c.payload,
      });
      expect(res.statusCode).toBe(400);
      expect(res.headers['content-type']).toMatch(/application\/fhir\+json/);
      const outcome = res.json<{
        resourceType: string;
        issue: Array<{ severity: string; diagnostics: string }>;
      }>();
      expect(outcome.resourceType).toBe('OperationOutcome');
      expect(outcome.issue[0]?.severity).toBe('error');
      expect(outcome.issue[0]?.diagnostics).toMatch(c.expect);
    }
  });

  it('declares an access policy on every route', async () => {
    const bare = Fastify();
    const routes: Array<{ url: string; policy: unknown }> = [];
    bare.addHook('onRoute', (route) => {
      routes.push({ url: route.url, policy: (route.config as { policy?: unknown } | undefined)?.policy });
    });
    registerCdsHooksRoutes(bare, { terminology: createStarterTerminology() });
    await bare.ready();
    expect(routes.map((r) => r.url).filter((u) => u.startsWith('/cds-services/'))).toHaveLength(
      CDS_SERVICES.length,
    );
    for (const r of routes) expect(isRoutePolicy(r.policy)).toBe(true);
    expect(routes.find((r) => r.url === '/cds-services')?.policy).toEqual({ public: true });
    for (const r of routes.filter((x) => x.url !== '/cds-services')) {
      expect(r.policy).toEqual({ permission: 'cds:invoke', phi: true });
    }
    await bare.close();
  });

  it('refuses a service call without credentials (401) or from a user without cds:invoke (403)', async () => {
    const payload = { hook: 'order-sign', hookInstance: 'x', context: { patientId: 'p1' } };
    const url = '/cds-services/rxbridge-medication-checks-sign';
    expect((await app.inject({ method: 'POST', url, payload })).statusCode).toBe(401);
    const engineer = apiKeyHeader(await seedApiKey(security.auth, { roles: ['integration-engineer'] }));
    expect((await app.inject({ method: 'POST', url, payload, headers: engineer })).statusCode).toBe(403);
  });

  it('answers order-select with cards, a suggestion carrying selectionBehavior', async () => {
    const draft = { ...medication('clarithromycin 500 mg tablet', 'draft'), id: 'draft-3' };
    const res = await orderSign([draft], PREFETCH, 'order-select');
    expect(res.statusCode).toBe(200);
    const { cards } = res.json<{ cards: Card[] }>();
    const critical = cards.find((c) => c.indicator === 'critical');
    expect(critical?.suggestions?.length).toBeGreaterThan(0);
    expect(critical?.selectionBehavior).toBe('at-most-one');
  });

  it('every 200 response above matches the CDS Hooks 2.0 shapes (discovery, order-select, order-sign, patient-view)', () => {
    const urls = new Set(validated.map((v) => v.url));
    expect([...urls].sort()).toEqual([
      '/cds-services',
      '/cds-services/rxbridge-medication-checks-select',
      '/cds-services/rxbridge-medication-checks-sign',
      '/cds-services/rxbridge-patient-view',
    ]);
    expect(validated.filter((v) => v.problems.length > 0)).toEqual([]);
    console.log(`CDS Hooks shapes: ${validated.length} responses validated, 0 problems`);
  });

  it('latency through Fastify inject: 2,000 order-sign requests (printed, not asserted)', async () => {
    const drafts = [
      { ...medication('clarithromycin 500 mg tablet', 'draft'), id: 'draft-1' },
      { ...medication('metformin 500 mg tablet', 'draft'), id: 'draft-2' },
    ];
    for (let i = 0; i < 200; i++) await orderSign(drafts); // warm-up
    const times: number[] = [];
    for (let i = 0; i < 2000; i++) {
      const start = performance.now();
      const res = await orderSign(drafts);
      times.push(performance.now() - start);
      if (res.statusCode !== 200) throw new Error(`status ${res.statusCode}`);
    }
    times.sort((a, b) => a - b);
    const at = (q: number) =>
      (times[Math.min(times.length - 1, Math.floor(q * times.length))] ?? 0).toFixed(3);
    console.log(`CDS Hooks order-sign via inject, 2,000 requests: p50 ${at(0.5)} ms, p99 ${at(0.99)} ms`);
    expect(times).toHaveLength(2000);
  });
});
