// The CDS Hooks service over HTTP (Fastify inject): discovery, order-sign cards, missing prefetch, 400s, access.
import { fileURLToPath } from 'node:url';
import Fastify from 'fastify';
import { afterAll, describe, expect, it } from 'vitest';
import { createHttpServer } from '../../platform/http/http-server.ts';
import { silentLogger } from '../../platform/log/logger.ts';
import { createMetrics } from '../../platform/metrics/metrics.ts';
import { createStarterTerminology } from '../../terminology/starter-terminology.ts';
import { createCareGapEngine, VACCINE_GROUP_PLANS } from '../care-gaps/care-gaps.ts';
import type { Card } from './cds-hooks-routes.ts';
import { CDS_SERVICES, registerCdsHooksRoutes } from './cds-hooks-routes.ts';

const now = new Date('2026-01-15T12:00:00Z');
const CDSI_FIXTURE = fileURLToPath(new URL('../../../test/fixtures/cdsi/', import.meta.url));
const careGaps = createCareGapEngine(
  CDSI_FIXTURE,
  VACCINE_GROUP_PLANS.filter((p) => ['Zoster', 'Td/Tdap', 'Influenza'].includes(p.group)),
);
const app = createHttpServer({
  logger: silentLogger,
  metrics: createMetrics({ defaultMetrics: false }),
  bodyLimitBytes: 1024 * 1024,
  readiness: [],
});
registerCdsHooksRoutes(app, { terminology: createStarterTerminology(), careGaps, now: () => now });
afterAll(async () => app.close());

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

function orderSign(drafts: object[], prefetch: Record<string, unknown> = PREFETCH) {
  return app.inject({
    method: 'POST',
    url: '/cds-services/rxbridge-medication-checks-sign',
    payload: {
      hook: 'order-sign',
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
    const routes: Array<{ url: string; access: unknown }> = [];
    bare.addHook('onRoute', (route) => {
      routes.push({ url: route.url, access: (route.config as { access?: unknown } | undefined)?.access });
    });
    registerCdsHooksRoutes(bare, { terminology: createStarterTerminology() });
    await bare.ready();
    expect(routes.map((r) => r.url).filter((u) => u.startsWith('/cds-services/'))).toHaveLength(
      CDS_SERVICES.length,
    );
    for (const r of routes) expect(['public', 'phi']).toContain(r.access);
    expect(routes.find((r) => r.url === '/cds-services')?.access).toBe('public');
    expect(routes.filter((r) => r.url !== '/cds-services').every((r) => r.access === 'phi')).toBe(true);
    await bare.close();
  });
});
