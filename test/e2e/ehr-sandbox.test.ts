// The EHR sandbox and the FHIR client together: search paging and includes, same-origin paging, conditional writes,
// batch/transaction, vendor behaviours, retries (and no retry on 4xx), circuit breaker, size limits, the capability
// report per vendor profile, bulk import with a crash and resume, and incremental sync with watermarks.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Bundle, Communication, Patient, Resource } from '@medplum/fhirtypes';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { importBulk } from '../../src/inbound/fhir/bulk-import.ts';
import { fetchClinicalContext } from '../../src/inbound/fhir/clinical-context.ts';
import { syncIncremental } from '../../src/inbound/fhir/incremental-sync.ts';
import { openSqliteFhirStore } from '../../src/inbound/fhir/sqlite-fhir-store.ts';
import { checkCapabilities, formatCapabilityReport } from '../../src/platform/ehr/capability-report.ts';
import { EhrError } from '../../src/platform/ehr/ehr-client.ts';
import { FhirBulkClient } from '../../src/platform/ehr/fhir/bulk-client.ts';
import { FhirClient } from '../../src/platform/ehr/fhir/fhir-client.ts';
import { CircuitBreaker, RateLimiter } from '../../src/platform/ehr/fhir/resilience.ts';
import { SmartTokenSource } from '../../src/platform/ehr/fhir/smart-auth.ts';
import { startSandbox, type Sandbox } from '../../src/platform/ehr/sandbox/sandbox-server.ts';
import type { SandboxVendorName } from '../../src/platform/ehr/sandbox/sandbox-vendors.ts';
import { generateSigningKey, KeyRing } from '../../src/platform/ehr/smart-keys.ts';
import { VENDOR_PROFILES } from '../../src/platform/ehr/vendor-profiles.ts';

const SYNTHEA_DIR = fileURLToPath(new URL('../../../shared/corpus/paired/synthea-bulk-10/', import.meta.url));
const ring = new KeyRing([generateSigningKey('ES384', 'sandbox-test')]);

/** Synthea NDJSON from ../shared when present, else a small generated set with the same shape. */
function testResources(): Resource[] {
  if (existsSync(SYNTHEA_DIR)) {
    return readdirSync(SYNTHEA_DIR)
      .filter((f) => f.endsWith('.ndjson'))
      .flatMap((f) =>
        readFileSync(`${SYNTHEA_DIR}${f}`, 'utf8')
          .split('\n')
          .filter((l) => l.trim() !== '')
          .map((l) => JSON.parse(l) as Resource),
      );
  }
  const out: Resource[] = [];
  for (let p = 0; p < 8; p++) {
    out.push({ resourceType: 'Patient', id: `p${p}` });
    for (let m = 0; m < 60; m++) {
      out.push({
        resourceType: 'MedicationRequest',
        id: `p${p}-m${m}`,
        status: 'active',
        intent: 'order',
        subject: { reference: `Patient/p${p}` },
      });
    }
  }
  return out;
}

const resources = testResources();
const firstPatient = resources.find((r) => r.resourceType === 'Patient')?.id ?? '';

async function sandboxWith(vendor: SandboxVendorName, extra: Parameters<typeof startSandbox>[0] = {}) {
  return startSandbox({
    vendor,
    clients: [{ clientId: 'rxbridge', jwks: ring.jwks(Date.now()) as never }],
    resources,
    ...extra,
  });
}

function clientFor(sandbox: Sandbox, extra: Partial<ConstructorParameters<typeof FhirClient>[0]> = {}) {
  const auth = new SmartTokenSource({
    clientId: 'rxbridge',
    scope: 'system/*.read system/*.write',
    keys: ring,
    fhirBase: sandbox.fhirBase,
  });
  const client = new FhirClient({
    name: sandbox.vendor.name,
    baseUrl: sandbox.fhirBase,
    auth,
    rateLimiter: new RateLimiter({ ratePerSecond: 1000 }),
    backoffBaseMs: 20,
    backoffCapMs: 200,
    ...extra,
  });
  return { auth, client };
}

describe('generic sandbox', () => {
  let sandbox: Sandbox;
  beforeAll(async () => {
    sandbox = await sandboxWith('generic', { pageSize: 20 });
  });
  afterAll(async () => {
    await sandbox.close();
  });

  test('paged search follows next links; _include and _revinclude bring the referenced resources', async () => {
    const { client } = clientFor(sandbox);
    const expected = resources.filter(
      (r) =>
        r.resourceType === 'MedicationRequest' && JSON.stringify(r).includes(`"Patient/${firstPatient}"`),
    ).length;
    let pages = 0;
    let matches = 0;
    for await (const page of client.searchPages('MedicationRequest', { patient: firstPatient })) {
      pages++;
      matches += page.matches.length;
      expect(page.total).toBe(expected);
    }
    expect(matches).toBe(expected);
    expect(pages).toBe(Math.ceil(expected / 20));
    const withPatient = await client.searchAll('MedicationRequest', {
      patient: firstPatient,
      _include: 'MedicationRequest:patient',
    });
    expect(withPatient.included.some((r) => r.resourceType === 'Patient' && r.id === firstPatient)).toBe(
      true,
    );
    const rev = await client.searchAll('Patient', {
      _id: firstPatient,
      _revinclude: 'MedicationRequest:patient',
    });
    expect(rev.matches).toHaveLength(1);
    expect(rev.included.filter((r) => r.resourceType === 'MedicationRequest')).toHaveLength(expected);
  });

  test('a next link to another origin is refused, not followed', async () => {
    const { client } = clientFor(sandbox, { cacheTtlMs: 0 });
    sandbox.setFaults({ foreignNextLink: true });
    try {
      await expect(
        client.searchAll('MedicationRequest', { patient: firstPatient, _count: '2' }),
      ).rejects.toThrow(/next link points to another origin \(http:\/\/elsewhere\.invalid\); not followed/);
    } finally {
      sandbox.setFaults({});
    }
  });

  test('_lastUpdated selects what changed; unknown search parameters are a 400 with an OperationOutcome', async () => {
    const { client } = clientFor(sandbox, { cacheTtlMs: 0 });
    const cut = new Date().toISOString();
    await client.conditionalUpdate(
      { resourceType: 'Patient', identifier: [{ system: 'urn:t', value: 'lu-1' }], gender: 'female' },
      'identifier=urn:t|lu-1',
    );
    const changed = await client.searchAll<Patient>('Patient', { _lastUpdated: `gt${cut}` });
    expect(changed.matches.map((p) => p.identifier?.[0]?.value)).toEqual(['lu-1']);
    const error = await client.searchAll('Patient', { shoe_size: '9' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EhrError);
    expect((error as EhrError).status).toBe(400);
    expect((error as EhrError).outcome?.issue?.[0]?.diagnostics).toMatch(/shoe_size is not supported/);
  });

  test('conditional create is idempotent; conditional update creates then updates', async () => {
    const { client } = clientFor(sandbox);
    const dispense = {
      resourceType: 'MedicationDispense' as const,
      status: 'completed' as const,
      identifier: [{ system: 'urn:rxbridge:dispense', value: 'd-1' }],
      subject: { reference: `Patient/${firstPatient}` },
    };
    const first = await client.createIfNoneExist(dispense, 'identifier=urn:rxbridge:dispense|d-1');
    const second = await client.createIfNoneExist(dispense, 'identifier=urn:rxbridge:dispense|d-1');
    expect(first.outcome).toBe('created');
    expect(second).toMatchObject({ outcome: 'existing', id: first.id });
    expect(sandbox.duplicateWrites('MedicationDispense')).toBe(0);
    const note = {
      resourceType: 'Communication' as const,
      status: 'completed' as const,
      identifier: [{ system: 'urn:rxbridge:note', value: 'n-1' }],
    };
    const created = await client.conditionalUpdate(note, 'identifier=urn:rxbridge:note|n-1');
    const updated = await client.conditionalUpdate(
      { ...note, status: 'in-progress' },
      'identifier=urn:rxbridge:note|n-1',
    );
    expect(created).toMatchObject({ outcome: 'created', versionId: '1' });
    expect(updated).toMatchObject({ outcome: 'updated', id: created.id, versionId: '2' });
  });

  test('transaction: all or nothing, urn:uuid references resolved; batch: entries fail alone', async () => {
    const { client } = clientFor(sandbox);
    const tx: Bundle = {
      resourceType: 'Bundle',
      type: 'transaction',
      entry: [
        {
          fullUrl: 'urn:uuid:7f0c1a52-0000-4000-8000-000000000001',
          resource: { resourceType: 'Patient', identifier: [{ system: 'urn:t', value: 'tx-1' }] },
          request: { method: 'POST', url: 'Patient', ifNoneExist: 'identifier=urn:t|tx-1' },
        },
        {
          resource: {
            resourceType: 'Communication',
            status: 'completed',
            identifier: [{ system: 'urn:t', value: 'tx-c1' }],
            subject: { reference: 'urn:uuid:7f0c1a52-0000-4000-8000-000000000001' },
          },
          request: { method: 'POST', url: 'Communication', ifNoneExist: 'identifier=urn:t|tx-c1' },
        },
      ],
    };
    const response = await client.batch(tx);
    expect(response.type).toBe('transaction-response');
    const patientRef = response.entry?.[0]?.response?.location?.split('/_history')[0];
    const comm = await client.searchAll<Communication>(
      'Communication',
      { identifier: 'urn:t|tx-c1' },
      { cache: false },
    );
    expect(comm.matches[0]?.subject?.reference).toBe(patientRef);
    const before = sandbox.data.count();
    const bad: Bundle = {
      resourceType: 'Bundle',
      type: 'transaction',
      entry: [
        { resource: { resourceType: 'Patient' }, request: { method: 'POST', url: 'Patient' } },
        { resource: { resourceType: 'Patient' }, request: { method: 'POST', url: 'Observation' } },
      ],
    };
    await expect(client.batch(bad)).rejects.toThrow(/HTTP 400 \(entry 1: request.url does not match/);
    expect(sandbox.data.count()).toBe(before);
    const batch = await client.batch({ ...bad, type: 'batch' });
    expect(batch.entry?.map((e) => e.response?.status)).toEqual(['201 Created', '400']);
  });

  test('429 waits for Retry-After; 503 bursts are retried; a 404 is not retried', async () => {
    const { client } = clientFor(sandbox, { cacheTtlMs: 0 });
    sandbox.setFaults({ throttleEvery: 2, retryAfterSeconds: 1 });
    const started = Date.now();
    await client.read('Patient', firstPatient);
    await client.read('Patient', firstPatient);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect(client.counts.throttled).toBe(1);
    sandbox.setFaults({ burstEvery: 100, burstLength: 3 });
    expect((await client.read('Patient', firstPatient))?.id).toBe(firstPatient);
    expect(client.counts.serverErrors).toBe(3);
    sandbox.setFaults({});
    const requests = client.counts.requests;
    expect(await client.read('Patient', 'no-such-patient')).toBeUndefined();
    expect(client.counts.requests - requests).toBe(1);
  });

  test('a server that refuses every token: re-asserted once per token, three at most, then a clear 401', async () => {
    const { client, auth } = clientFor(sandbox, { cacheTtlMs: 0 });
    sandbox.setFaults({ expireTokensEvery: 1 });
    try {
      await expect(client.read('Patient', firstPatient)).rejects.toThrow(
        /read Patient: HTTP 401 \(no valid access token\)/,
      );
      expect(client.counts.reauthentications).toBe(3);
      expect(auth.counts.tokenRequests).toBe(4);
    } finally {
      sandbox.setFaults({});
    }
  });

  test('a token endpoint outage is retried like any other', async () => {
    let calls = 0;
    // The first two token requests meet a 503 (a proxy in front of the token endpoint), then it recovers.
    const flaky: typeof fetch = async (input, init) => {
      const url = String(input instanceof Request ? input.url : input);
      if (url === sandbox.tokenUrl && calls++ < 2) return new Response('busy', { status: 503 });
      return fetch(input, init);
    };
    const auth = new SmartTokenSource({
      clientId: 'rxbridge',
      scope: 'system/*.read',
      keys: ring,
      fhirBase: sandbox.fhirBase,
      fetch: flaky,
    });
    const client = new FhirClient({
      name: 'token-outage',
      baseUrl: sandbox.fhirBase,
      auth,
      cacheTtlMs: 0,
      backoffBaseMs: 10,
      rateLimiter: new RateLimiter({ ratePerSecond: 1000 }),
    });
    expect((await client.read('Patient', firstPatient))?.id).toBe(firstPatient);
    expect(client.counts.retries).toBe(2);
    expect(auth.counts.tokenRequests).toBe(3);
  });

  test('the circuit opens after repeated failures and fails fast; a trial after the pause closes it', async () => {
    const { client } = clientFor(sandbox, {
      cacheTtlMs: 0,
      maxRetries: 0,
      breaker: new CircuitBreaker({ failureThreshold: 3, openMs: 300 }),
    });
    sandbox.setFaults({ burstEvery: 1000, burstLength: 1000 });
    for (let i = 0; i < 3; i++)
      await expect(client.read('Patient', firstPatient)).rejects.toThrow(/HTTP 503/);
    const requests = client.counts.requests;
    await expect(client.read('Patient', firstPatient)).rejects.toThrow(/circuit open/);
    expect(client.counts.requests).toBe(requests);
    sandbox.setFaults({});
    await new Promise((resolve) => setTimeout(resolve, 350));
    expect((await client.read('Patient', firstPatient))?.id).toBe(firstPatient);
    expect(client.breaker.state).toBe('closed');
  });

  test('a response over the size limit is refused', async () => {
    const { client } = clientFor(sandbox, { maxResponseBytes: 2048, cacheTtlMs: 0 });
    await expect(client.searchAll('MedicationRequest', { patient: firstPatient })).rejects.toThrow(
      /byte limit/,
    );
  });
});

describe('server rate limits', () => {
  test('a sandbox limiting 5 requests/s: 429s with RateLimit headers, the client slows down and every read succeeds', async () => {
    const sandbox = await sandboxWith('generic', { rateLimitPerSecond: 5 });
    try {
      const { client } = clientFor(sandbox, {
        cacheTtlMs: 0,
        rateLimiter: new RateLimiter({ ratePerSecond: 50 }),
      });
      const started = Date.now();
      const reads = await Promise.all(Array.from({ length: 15 }, () => client.read('Patient', firstPatient)));
      expect(reads.every((r) => r?.id === firstPatient)).toBe(true);
      expect(client.counts.throttled).toBeGreaterThan(0);
      expect(client.counts.giveUps).toBe(0);
      expect(client.rateLimiter.rate).toBeLessThan(50);
      // 15 reads at 5 per second take at least two seconds whatever the client wanted.
      expect(Date.now() - started).toBeGreaterThanOrEqual(1900);
    } finally {
      await sandbox.close();
    }
  }, 20_000);
});

describe('vendor behaviours and the capability report', () => {
  test.each(['epic', 'oracle-health', 'generic'] as const)(
    '%s: report printed; key lines as expected',
    async (vendor) => {
      const sandbox = await sandboxWith(vendor);
      try {
        const { client } = clientFor(sandbox);
        const cs = await client.capabilities();
        for (const profileName of vendor === 'generic' ? (['generic', 'athena'] as const) : [vendor]) {
          const smart = (await (
            await fetch(`${sandbox.fhirBase}/.well-known/smart-configuration`)
          ).json()) as never;
          const report = checkCapabilities(VENDOR_PROFILES[profileName], cs, {
            baseUrl: sandbox.fhirBase,
            smart,
            keyAlg: 'ES384',
          });
          console.log(formatCapabilityReport(`sandbox-${vendor}`, report));
          const line = (feature: string) => report.lines.find((l) => l.feature === feature);
          expect(line('read medications')?.status).toBe('ok');
          expect(line('write dispense')?.status).toBe('ok');
          expect(report.summary.unavailable).toBe(profileName === 'athena' ? 1 : 0);
        }
        // The generic profile against Epic: MedicationStatement is missing, MedicationRequest is the fallback.
        if (vendor === 'epic') {
          const generic = checkCapabilities(VENDOR_PROFILES.generic, cs);
          expect(generic.lines.find((l) => l.feature === 'read medications')).toMatchObject({
            status: 'fallback',
            detail: expect.stringMatching(
              /MedicationRequest\?patient \(MedicationStatement is not offered\)/,
            ) as string,
          });
          await expect(client.searchAll('MedicationStatement', { patient: firstPatient })).rejects.toThrow(
            /HTTP 404/,
          );
          await expect(client.searchAll('Condition', {})).rejects.toThrow(/requires a patient parameter/);
        }
        if (vendor === 'oracle-health') expect(sandbox.fhirBase).toMatch(/\/r4\/[0-9a-f-]{36}$/);
        if (vendor === 'generic') {
          // The Oracle Health profile against a base URL without a tenant segment: refused in the report.
          const wrong = checkCapabilities(VENDOR_PROFILES['oracle-health'], cs, {
            baseUrl: sandbox.fhirBase,
          });
          expect(wrong.lines.find((l) => l.feature === 'tenant in URL')?.status).toBe('unavailable');
          const noEs = checkCapabilities(VENDOR_PROFILES.generic, cs, {
            smart: { token_endpoint_auth_signing_alg_values_supported: ['RS384'] },
            keyAlg: 'ES384',
          });
          expect(noEs.lines.find((l) => l.feature === 'assertion algorithm')?.status).toBe('unavailable');
        }
      } finally {
        await sandbox.close();
      }
    },
  );
});

describe('bulk import and incremental sync', () => {
  test('bulk export of the Synthea NDJSON into the store, cut mid-file and resumed after a crash', async () => {
    const sandbox = await sandboxWith('oracle-health', { bulkFileSize: 500 });
    const store = openSqliteFhirStore(':memory:');
    try {
      const { client, auth } = clientFor(sandbox);
      const bulk = new FhirBulkClient({
        client,
        auth,
        sleep: (ms) => new Promise((r) => setTimeout(r, Math.min(ms, 1100))),
      });
      // First run: the process "crashes" after a few batches.
      let batches = 0;
      const crash = new Error('simulated crash');
      await expect(
        importBulk({
          endpoint: 'oracle',
          bulk,
          store,
          request: { level: 'system' },
          onProgress: () => {
            if (++batches === 2) throw crash;
          },
        }),
      ).rejects.toBe(crash);
      const afterCrash = store.count('oracle');
      expect(afterCrash).toBeGreaterThan(0);
      expect(store.bulkCheckpoint('oracle')?.manifest).toBeDefined();
      // Second run resumes the same job, with downloads cut half-way by the server now and then.
      sandbox.setFaults({ bulkCutProbability: 0.3, seed: 3 });
      const result = await importBulk({ endpoint: 'oracle', bulk, store, request: { level: 'system' } });
      expect(result.resumed).toBe(true);
      expect(result.invalid).toEqual([]);
      expect(store.count('oracle')).toBe(resources.length);
      expect(result.resources).toBe(resources.length);
      expect(store.bulkCheckpoint('oracle')).toBeUndefined();
      expect(store.watermark('oracle', result.watermarkKey)).toBe(result.transactionTime);
      console.log(
        `bulk import: ${result.resources} resources in ${result.files} files; crash after ${afterCrash}, resumed; ` +
          `server cuts ${sandbox.stats.injected.bulkCuts}, download retries ${bulk.counts.downloadRetries}, ` +
          `429s on bulk ${sandbox.stats.injected.throttled}`,
      );
      expect(sandbox.stats.injected.throttled).toBeGreaterThan(0); // Oracle-like: polls too close together
    } finally {
      store.close();
      await sandbox.close();
    }
  }, 30_000);

  test('clinical context: the profile searches with fallbacks; what cannot be answered is listed', async () => {
    const sandbox = await sandboxWith('epic');
    try {
      const { client } = clientFor(sandbox);
      // The generic profile asks for MedicationStatement first; the Epic-like server has none, so the fallback runs.
      const context = await fetchClinicalContext(client, VENDOR_PROFILES.generic, firstPatient);
      expect(context.answers.medications?.resourceType).toBe('MedicationRequest');
      expect(context.answers.medications?.resources.length).toBeGreaterThan(0);
      expect(context.answers.allergies?.resourceType).toBe('AllergyIntolerance');
      expect(context.unanswered).toEqual([]);
      const narrow = {
        ...VENDOR_PROFILES.generic,
        questions: {
          ...VENDOR_PROFILES.generic.questions,
          medications: [VENDOR_PROFILES.generic.questions.medications[0]!],
        },
      };
      const missing = await fetchClinicalContext(client, narrow, firstPatient, ['medications']);
      expect(missing.unanswered).toEqual([
        { question: 'medications', reason: 'MedicationStatement: HTTP 404' },
      ]);
    } finally {
      await sandbox.close();
    }
  });

  test('incremental sync: watermarks per endpoint and resource; only changes are flagged', async () => {
    const sandbox = await sandboxWith('epic');
    const store = openSqliteFhirStore(':memory:');
    try {
      const { client } = clientFor(sandbox, { cacheTtlMs: 0 });
      const profile = VENDOR_PROFILES.epic;
      const first = await syncIncremental({ client, store, profile, patients: [firstPatient], overlapMs: 0 });
      expect(first.counts.inserted).toBeGreaterThan(0);
      expect(first.unanswerable).toEqual([]);
      expect(store.watermark('epic', `MedicationRequest/${firstPatient}`)).toBeDefined();
      const again = await syncIncremental({ client, store, profile, patients: [firstPatient], overlapMs: 0 });
      expect(again.changes).toEqual([]);
      // The EHR changes one medication order: the next sync flags exactly that one.
      const order = [...sandbox.data.all('MedicationRequest')].find((s) =>
        JSON.stringify(s.resource).includes(`"Patient/${firstPatient}"`),
      );
      expect(order).toBeDefined();
      sandbox.data.update({ ...order!.resource, status: 'cancelled' } as Resource, order!.resource.id ?? '');
      const third = await syncIncremental({ client, store, profile, patients: [firstPatient], overlapMs: 0 });
      expect(third.changes).toEqual([
        { resourceType: 'MedicationRequest', id: order!.resource.id, change: 'updated' },
      ]);
    } finally {
      store.close();
      await sandbox.close();
    }
  });
});
