// S6 (break-glass) and consent: emergency access needs a reason, ends on time, is a high-severity audit entry and
// appears in the daily report; consent decisions from FHIR Consent; minimum-necessary field policies.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toFhirAuditEvent } from '../../src/governance/audit/audit-event.ts';
import { consentGatedEhr } from '../../src/governance/consent/consent-gated-ehr.ts';
import { createConsentRegistry, decideConsent } from '../../src/governance/consent/consent-registry.ts';
import type { EhrClient } from '../../src/platform/ehr/ehr-client.ts';
import {
  applyFieldPolicy,
  LLM_EXTRACTION,
  OUTBOUND_DISPENSE,
  redactForPrompt,
} from '../../src/governance/consent/field-policy.ts';
import { ManualClock } from '../../src/kernel/clock.ts';
import { registerGovernanceRoutes } from '../../src/platform/http/governance-routes.ts';
import { createHttpServer } from '../../src/platform/http/http-server.ts';
import { silentLogger } from '../../src/platform/log/logger.ts';
import { createMetrics } from '../../src/platform/metrics/metrics.ts';
import { openSqliteStore, type SqliteStore } from '../../src/platform/store/sqlite/sqlite-store.ts';
import { createTestSecurity, seedUser, sessionCookie, type TestSecurity } from '../support/auth.ts';

describe('break-glass over HTTP', () => {
  const clock = new ManualClock(new Date());
  let store: SqliteStore;
  let security: TestSecurity;
  let app: ReturnType<typeof createHttpServer>;

  beforeAll(async () => {
    store = await openSqliteStore({ path: ':memory:', clock });
    security = createTestSecurity({ clock, audit: store.audit });
    app = createHttpServer({
      logger: silentLogger,
      metrics: createMetrics({ defaultMetrics: false }),
      bodyLimitBytes: 1024 * 1024,
      readiness: [],
      auth: security.auth,
    });
    registerGovernanceRoutes(app, {
      audit: store.audit,
      governance: security.governance,
      keyring: security.keyring,
      auth: security.auth,
      consent: createConsentRegistry({
        store: security.governance,
        keyring: security.keyring,
        audit: store.audit,
      }),
    });
    // A PHI object of another site, to see break-glass open it and close it again.
    app.get('/api/probe', { config: { policy: { permission: 'tasks:read', phi: true } } }, () => ({
      site: 'north',
      secret: 'north patient',
    }));
  });
  afterAll(async () => {
    await app.close();
    await security.close();
    await store.close();
  });

  it('needs a reason, opens other sites only until it ends, is audited high-severity and reported daily', async () => {
    const pharmacist = await seedUser(security.auth, { role: 'pharmacist', site: 'main' });
    const officer = await seedUser(security.auth, { role: 'compliance-officer', site: '*' });
    const technician = await seedUser(security.auth, { role: 'technician', site: 'main' });
    const cookie = await sessionCookie(app, pharmacist, clock);
    const probe = () => app.inject({ method: 'GET', url: '/api/probe', headers: { cookie } });
    expect((await probe()).statusCode).toBe(404);

    const post = (headers: Record<string, string>, payload: Record<string, unknown>) =>
      app.inject({ method: 'POST', url: '/api/break-glass', headers, payload });
    expect((await post({ cookie }, {})).statusCode).toBe(400);
    expect((await post({ cookie }, { reason: 'because' })).statusCode).toBe(400);
    expect(
      (await post({ cookie }, { reason: 'unconscious patient in the ED', minutes: 600 })).statusCode,
    ).toBe(400);
    const techCookie = await sessionCookie(app, technician, clock);
    expect((await post({ cookie: techCookie }, { reason: 'unconscious patient in the ED' })).statusCode).toBe(
      403,
    );

    const granted = await post(
      { cookie },
      { reason: 'unconscious patient in the ED, no consent possible', minutes: 30 },
    );
    expect(granted.statusCode).toBe(201);
    expect((await probe()).json()).toEqual({ site: 'north', secret: 'north patient' });
    // Activity keeps the session alive (idle limit 15 min) while the 30-minute grant runs.
    for (const step of [10, 10, 9]) {
      clock.advance(step * 60_000);
      expect((await probe()).statusCode).toBe(200);
    }
    clock.advance(2 * 60_000);
    expect((await probe()).statusCode).toBe(404);

    const [entry] = await store.audit.list({ category: 'break-glass' });
    expect(entry).toMatchObject({ actor: `user:${pharmacist.id}`, action: 'execute', outcome: 'success' });
    expect(toFhirAuditEvent(entry!).extension).toContainEqual({
      url: 'urn:rxbridge:audit:severity',
      valueCode: 'high',
    });

    const officerCookie = await sessionCookie(app, officer, clock);
    const day = clock.now().toISOString().slice(0, 10);
    const report = await app.inject({
      method: 'GET',
      url: `/api/audit/break-glass?day=${day}`,
      headers: { cookie: officerCookie },
    });
    expect(report.json()).toMatchObject({
      day,
      uses: [
        {
          user: pharmacist.username,
          minutes: 30,
          reason: 'unconscious patient in the ED, no consent possible',
        },
      ],
    });
    const pharmacistReport = await app.inject({
      method: 'GET',
      url: `/api/audit/break-glass?day=${day}`,
      headers: { cookie },
    });
    expect(pharmacistReport.statusCode).toBe(403);
  });

  it('gives the compliance officer the audit report: filter, sort, CSV and FHIR export', async () => {
    const officer = await seedUser(security.auth, { role: 'compliance-officer', site: '*' });
    const cookie = await sessionCookie(app, officer, clock);
    const get = (q: string) => app.inject({ method: 'GET', url: `/api/audit?${q}`, headers: { cookie } });
    const newest = (await get('category=session&sort=newest')).json<{ entries: Array<{ seq: number }> }>();
    const oldest = (await get('category=session&sort=oldest')).json<{ entries: Array<{ seq: number }> }>();
    expect(newest.entries.length).toBeGreaterThan(1);
    expect(oldest.entries.map((e) => e.seq)).toEqual(newest.entries.map((e) => e.seq).reverse());
    const csv = await get('format=csv&limit=5');
    expect(csv.headers['content-type']).toMatch(/text\/csv/);
    expect(csv.body.split('\n')[0]).toBe(
      'seq,time,patient,actor,source,action,category,outcome,entity,detail',
    );
    const fhir = (await get('format=fhir&limit=3')).json<{
      entry: Array<{ resource: { resourceType: string } }>;
    }>();
    expect(fhir.entry.every((e) => e.resource.resourceType === 'AuditEvent')).toBe(true);
    expect((await get('since=yesterday')).statusCode).toBe(400);
    const verify = await app.inject({ method: 'GET', url: '/api/audit/verify', headers: { cookie } });
    expect(verify.json()).toMatchObject({ ok: true });
  });
});

describe('consent and minimum necessary', () => {
  const now = new Date('2026-06-01T00:00:00Z');
  const q = { patient: 'P1', recipient: 'ehr:genhosp', purpose: 'TREAT', dataType: 'MedicationDispense' };

  it('permits treatment without a directive, refuses other purposes, and follows recorded Consent', () => {
    expect(decideConsent([], q, now).allowed).toBe(true);
    expect(decideConsent([], { ...q, purpose: 'HPAYMT' }, now).allowed).toBe(false);
    const optOut = {
      resourceType: 'Consent' as const,
      id: 'c1',
      status: 'active' as const,
      scope: { text: 'privacy' },
      category: [{ text: 'opt-out' }],
      dateTime: '2026-05-01',
      provision: {
        type: 'deny' as const,
        provision: [
          {
            type: 'permit' as const,
            actor: [{ role: { text: 'recipient' }, reference: { identifier: { value: 'ehr:genhosp' } } }],
          },
        ],
      },
    };
    expect(decideConsent([optOut], q, now)).toMatchObject({ allowed: true, consentId: 'c1' });
    expect(decideConsent([optOut], { ...q, recipient: 'pcp:elsewhere' }, now).allowed).toBe(false);
    const expired = {
      ...optOut,
      id: 'c2',
      provision: { type: 'deny' as const, period: { end: '2026-01-01' } },
    };
    expect(decideConsent([expired], { ...q, recipient: 'pcp:elsewhere' }, now).allowed).toBe(true);
  });

  it('stores Consent encrypted and audits every decision', async () => {
    const store = await openSqliteStore({ path: ':memory:' });
    const security = createTestSecurity();
    const registry = createConsentRegistry({
      store: security.governance,
      keyring: security.keyring,
      audit: store.audit,
    });
    await registry.put(
      'MRN-C1',
      {
        resourceType: 'Consent',
        status: 'active',
        scope: { text: 'x' },
        category: [{ text: 'Jane Canarysmith' }],
        provision: { type: 'deny' },
      },
      'user:officer',
    );
    expect((await registry.check({ ...q, patient: 'MRN-C1' })).allowed).toBe(false);
    const raw = JSON.stringify(
      await security.governance.consents.forPatient(security.keyring.mac('consent-patient', 'MRN-C1')),
    );
    expect(raw).not.toContain('Canarysmith');
    expect(raw).not.toContain('MRN-C1');
    const decisions = await store.audit.list({ category: 'consent' });
    expect(decisions.map((d) => d.outcome)).toEqual(['denied', 'success']);
    await security.close();
    await store.close();
  });

  it('asks consent before an EHR fetch or write for a purpose: refused means no request leaves', async () => {
    const store = await openSqliteStore({ path: ':memory:' });
    const security = createTestSecurity();
    const registry = createConsentRegistry({
      store: security.governance,
      keyring: security.keyring,
      audit: store.audit,
    });
    const calls: string[] = [];
    const ehr = {
      endpoint: 'genhosp',
      capabilities: () => Promise.reject(new Error('unused')),
      read: (type: string, id: string) => {
        calls.push(`read ${type}/${id}`);
        return Promise.resolve(undefined);
      },
      searchPages: () => ({ [Symbol.asyncIterator]: async function* () {} }),
      searchAll: (type: string) => {
        calls.push(`search ${type}`);
        return Promise.resolve({ resources: [], total: 0 });
      },
      createIfNoneExist: () => Promise.reject(new Error('unused')),
      conditionalUpdate: () => Promise.reject(new Error('unused')),
      batch: () => Promise.reject(new Error('unused')),
    } as unknown as EhrClient;
    const forTreatment = consentGatedEhr(ehr, registry, {
      patient: 'MRN-E1',
      purpose: 'TREAT',
      actor: 'user:p',
    });
    await forTreatment.searchAll('Condition', { patient: 'x' });
    const forPayment = consentGatedEhr(ehr, registry, {
      patient: 'MRN-E1',
      purpose: 'HPAYMT',
      actor: 'user:p',
    });
    await expect(forPayment.searchAll('Condition', { patient: 'x' })).rejects.toMatchObject({
      code: 'consent-denied',
    });
    await expect(forPayment.read('Observation', 'o1')).rejects.toMatchObject({ code: 'consent-denied' });
    expect(calls).toEqual(['search Condition']);
    await registry.put(
      'MRN-E1',
      {
        resourceType: 'Consent',
        status: 'active',
        scope: { text: 'x' },
        category: [{ text: 'pa' }],
        provision: { type: 'permit', purpose: [{ code: 'HPAYMT' }] },
      },
      'user:officer',
    );
    await forPayment.read('Observation', 'o1');
    expect(calls).toEqual(['search Condition', 'read Observation/o1']);
    await security.close();
    await store.close();
  });

  it('lets only allow-listed fields leave, and strips identifiers from LLM prompt text', () => {
    const patient = {
      resourceType: 'Patient',
      id: 'p',
      name: [{ family: 'Doe' }],
      address: [{ line: ['1 Main'] }],
      telecom: [],
    };
    expect(applyFieldPolicy(OUTBOUND_DISPENSE, patient)).toEqual({
      resourceType: 'Patient',
      id: 'p',
      name: [{ family: 'Doe' }],
    });
    expect(applyFieldPolicy(LLM_EXTRACTION, patient)).toBeUndefined();
    const text =
      'Jane Doe MRN: 88812345 DOB: 03/12/1948 call (217) 555-0142 or jane@example.org SSN 123-45-6789';
    const out = redactForPrompt(text, ['Jane Doe']);
    expect(out).toBe('[NAME] [MRN] [DOB] call [PHONE] or [EMAIL] SSN [SSN]');
  });
});
