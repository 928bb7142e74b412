// The FHIR client through a TCP fault proxy (latency, dropped connections, resets) in front of a sandbox injecting
// HTTP faults (429 + Retry-After, 503 bursts, slow answers past our timeout, connections reset before and after
// the write, tokens revoked mid-run). Write-back must never duplicate: conditional create with stable identifiers.
import type { Communication, MedicationDispense } from '@medplum/fhirtypes';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { stableId } from '../../src/kernel/ids.ts';
import { FhirClient } from '../../src/platform/ehr/fhir/fhir-client.ts';
import { CircuitBreaker, RateLimiter } from '../../src/platform/ehr/fhir/resilience.ts';
import { SmartTokenSource } from '../../src/platform/ehr/fhir/smart-auth.ts';
import { startSandbox, type Sandbox } from '../../src/platform/ehr/sandbox/sandbox-server.ts';
import { generateSigningKey, KeyRing } from '../../src/platform/ehr/smart-keys.ts';
import { startFaultProxy, type FaultProxy } from '../support/fault-proxy.ts';

const DISPENSES = 200;
const NOTES = 60;
const SYSTEM = 'urn:rxbridge:dispense';

let sandbox: Sandbox;
let proxy: FaultProxy;
const ring = new KeyRing([generateSigningKey('ES384', 'faults')]);

beforeAll(async () => {
  const patients = Array.from({ length: 20 }, (_, i) => ({
    resourceType: 'Patient' as const,
    id: `pt-${i}`,
  }));
  sandbox = await startSandbox({
    vendor: 'generic',
    clients: [{ clientId: 'rxbridge', jwks: ring.jwks(Date.now()) as never }],
    resources: patients,
  });
  const port = Number(new URL(sandbox.url).port);
  proxy = await startFaultProxy({ target: { host: '127.0.0.1', port } });
  sandbox.setPublicUrl(`http://127.0.0.1:${proxy.port}`);
});

afterAll(async () => {
  await proxy.close();
  await sandbox.close();
});

function dispense(i: number): MedicationDispense {
  return {
    resourceType: 'MedicationDispense',
    status: 'completed',
    identifier: [{ system: SYSTEM, value: stableId('dispense', String(i)) }],
    subject: { reference: `Patient/pt-${i % 20}` },
    medicationCodeableConcept: {
      coding: [{ system: 'http://www.nlm.nih.gov/research/umls/rxnorm', code: '861004' }],
    },
    quantity: { value: 60 },
  };
}

function note(i: number, revision: number): Communication {
  return {
    resourceType: 'Communication',
    status: 'completed',
    identifier: [{ system: 'urn:rxbridge:note', value: stableId('note', String(i)) }],
    subject: { reference: `Patient/pt-${i % 20}` },
    payload: [{ contentString: `Pharmacy note revision ${revision}` }],
  };
}

async function pool<T>(
  items: readonly T[],
  concurrency: number,
  fn: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < items.length) {
        const item = items[next++] as T;
        await fn(item);
      }
    }),
  );
}

test('writes and searches survive TCP and HTTP faults: counts printed, no duplicate writes', async () => {
  sandbox.setFaults({
    seed: 7,
    throttleEvery: 150,
    retryAfterSeconds: 1,
    burstEvery: 37,
    burstLength: 3,
    burstStatus: 503,
    slowProbability: 0.02,
    slowMs: 1500,
    resetProbability: 0.06,
    expireTokensEvery: 70,
  });
  proxy.setLatency(2, 3);
  proxy.setDropRate(0.03);
  const resetTimer = setInterval(() => proxy.resetAll(), 700);

  const auth = new SmartTokenSource({
    clientId: 'rxbridge',
    scope: 'system/*.read system/*.write',
    keys: ring,
    fhirBase: `http://127.0.0.1:${proxy.port}/fhir/r4`,
  });
  const client = new FhirClient({
    name: 'faulty',
    baseUrl: `http://127.0.0.1:${proxy.port}/fhir/r4`,
    auth,
    rateLimiter: new RateLimiter({ ratePerSecond: 400 }),
    breaker: new CircuitBreaker({ failureThreshold: 30, openMs: 500 }),
    timeoutMs: 800,
    deadlineMs: 20_000,
    maxRetries: 10,
    backoffBaseMs: 50,
    backoffCapMs: 1000,
    cacheTtlMs: 0,
  });

  const failures: string[] = [];
  const outcomes = { created: 0, existing: 0, updated: 0, failed: 0, searches: 0 };
  const ids = Array.from({ length: DISPENSES }, (_, i) => i);
  try {
    // Every dispense written twice (a replayed message): the second pass must find the first.
    for (const pass of [1, 2]) {
      await pool(ids, 8, async (i) => {
        try {
          const r = await client.createIfNoneExist(
            dispense(i),
            `identifier=${SYSTEM}|${stableId('dispense', String(i))}`,
          );
          outcomes[r.outcome]++;
        } catch (error) {
          outcomes.failed++;
          failures.push(String((error as Error).message));
        }
      });
      expect(pass).toBeGreaterThan(0);
    }
    await pool(
      Array.from({ length: NOTES }, (_, i) => i),
      6,
      async (i) => {
        for (const revision of [1, 2]) {
          try {
            const r = await client.conditionalUpdate(
              note(i, revision),
              `identifier=urn:rxbridge:note|${stableId('note', String(i))}`,
            );
            outcomes[r.outcome]++;
          } catch (error) {
            outcomes.failed++;
            failures.push(String((error as Error).message));
          }
        }
      },
    );
    await pool(
      Array.from({ length: 20 }, (_, i) => i),
      4,
      async (i) => {
        try {
          await client.searchAll('MedicationDispense', { patient: `pt-${i}`, _count: '3' });
          outcomes.searches++;
        } catch (error) {
          outcomes.failed++;
          failures.push(String((error as Error).message));
        }
      },
    );
  } finally {
    clearInterval(resetTimer);
  }

  const duplicates = sandbox.duplicateWrites('MedicationDispense') + sandbox.duplicateWrites('Communication');
  const c = client.counts;
  console.log(
    `fault run: requests ${c.requests}, retries ${c.retries}, give-ups ${c.giveUps}, duplicate writes ${duplicates}; ` +
      `throttled ${c.throttled}, 5xx ${c.serverErrors}, network errors/timeouts ${c.networkErrors}, ` +
      `re-authentications ${c.reauthentications}, token requests ${auth.counts.tokenRequests}; ` +
      `outcomes ${JSON.stringify(outcomes)}; sandbox injected ${JSON.stringify(sandbox.stats.injected)}; ` +
      `proxy ${JSON.stringify(proxy.stats())}`,
  );
  if (failures.length > 0) console.log(`failures: ${failures.join(' | ')}`);
  // Faults of every kind really happened.
  expect(sandbox.stats.injected.throttled).toBeGreaterThan(0);
  expect(sandbox.stats.injected.serverErrors).toBeGreaterThan(0);
  expect(sandbox.stats.injected.resets).toBeGreaterThan(0);
  expect(sandbox.stats.injected.slow).toBeGreaterThan(0);
  expect(sandbox.stats.injected.tokenExpiries).toBeGreaterThan(0);
  expect(proxy.stats().resets + proxy.stats().dropped).toBeGreaterThan(0);
  expect(c.retries).toBeGreaterThan(0);
  expect(c.reauthentications).toBeGreaterThan(0);
  // Never a duplicate write, whatever was retried.
  expect(duplicates).toBe(0);
  expect(sandbox.data.count('MedicationDispense')).toBeLessThanOrEqual(DISPENSES);
  // A call either succeeded, gave up on a retryable fault, or met a second revoked token (one re-assertion per call).
  expect(failures.every((f) => /gave up|HTTP 401|circuit open/.test(f))).toBe(true);
  expect(c.giveUps).toBeLessThanOrEqual(outcomes.failed);

  // Healed: one more pass completes everything, still without duplicates.
  sandbox.setFaults({});
  proxy.heal();
  for (const i of ids) {
    const r = await client.createIfNoneExist(
      dispense(i),
      `identifier=${SYSTEM}|${stableId('dispense', String(i))}`,
    );
    expect(['created', 'existing']).toContain(r.outcome);
  }
  expect(sandbox.data.count('MedicationDispense')).toBe(DISPENSES);
  expect(sandbox.duplicateWrites('MedicationDispense')).toBe(0);
}, 60_000);
