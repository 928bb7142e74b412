// The FHIR client through the TCP fault proxy (latency, dropped connections, resets every 700 ms) in front of the
// EHR sandbox injecting HTTP faults (429 + Retry-After, 503 bursts, answers slower than our timeout, connections
// reset before and after the write, tokens revoked mid-run). Every dispense is written twice (a replayed message)
// by conditional create with a deterministic identifier; notes by conditional update. Prints requests, retries,
// give-ups and duplicate writes (must be 0). Used by test/e2e/ehr-faults.test.ts; run alone for a longer run:
// `node bench/fhir-faults.ts` (BENCH_FAULT_DISPENSES, default 1000).
import { fileURLToPath } from 'node:url';
import type { Communication, MedicationDispense } from '@medplum/fhirtypes';
import { stableId } from '../src/kernel/ids.ts';
import { FhirClient, type FhirClientCounts } from '../src/platform/ehr/fhir/fhir-client.ts';
import { CircuitBreaker, RateLimiter } from '../src/platform/ehr/fhir/resilience.ts';
import { SmartTokenSource } from '../src/platform/ehr/fhir/smart-auth.ts';
import { startSandbox, type SandboxStats } from '../src/platform/ehr/sandbox/sandbox-server.ts';
import { generateSigningKey, KeyRing } from '../src/platform/ehr/smart-keys.ts';
import { startFaultProxy, type FaultProxyStats } from '../test/support/fault-proxy.ts';

const SYSTEM = 'urn:rxbridge:dispense';

export interface FaultRunReport {
  counts: FhirClientCounts;
  tokenRequests: number;
  duplicates: number;
  outcomes: { created: number; existing: number; updated: number; failed: number; searches: number };
  failures: string[];
  injected: SandboxStats['injected'];
  proxy: FaultProxyStats;
  /** After healing, one more pass: dispenses stored (must equal the number asked) and duplicates (must be 0). */
  healed: { stored: number; duplicates: number };
  seconds: number;
}

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
      while (next < items.length) await fn(items[next++] as T);
    }),
  );
}

export async function runEhrFaultRun(dispenses: number, notes: number): Promise<FaultRunReport> {
  const ring = new KeyRing([generateSigningKey('ES384', 'faults')]);
  const patients = Array.from({ length: 20 }, (_, i) => ({
    resourceType: 'Patient' as const,
    id: `pt-${i}`,
  }));
  const sandbox = await startSandbox({
    vendor: 'generic',
    clients: [{ clientId: 'rxbridge', jwks: ring.jwks(Date.now()) as never }],
    resources: patients,
  });
  const proxy = await startFaultProxy({
    target: { host: '127.0.0.1', port: Number(new URL(sandbox.url).port) },
  });
  const base = `http://127.0.0.1:${proxy.port}`;
  sandbox.setPublicUrl(base);
  const started = performance.now();
  try {
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
      fhirBase: `${base}/fhir/r4`,
    });
    const client = new FhirClient({
      name: 'faulty',
      baseUrl: `${base}/fhir/r4`,
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
    const fail = (error: unknown) => {
      outcomes.failed++;
      failures.push(error instanceof Error ? error.message : String(error));
    };
    const ids = Array.from({ length: dispenses }, (_, i) => i);
    try {
      for (let pass = 0; pass < 2; pass++) {
        await pool(ids, 8, async (i) => {
          try {
            const r = await client.createIfNoneExist(
              dispense(i),
              `identifier=${SYSTEM}|${stableId('dispense', String(i))}`,
            );
            outcomes[r.outcome]++;
          } catch (error) {
            fail(error);
          }
        });
      }
      await pool(
        Array.from({ length: notes }, (_, i) => i),
        6,
        async (i) => {
          for (const revision of [1, 2]) {
            try {
              const criteria = `identifier=urn:rxbridge:note|${stableId('note', String(i))}`;
              outcomes[(await client.conditionalUpdate(note(i, revision), criteria)).outcome]++;
            } catch (error) {
              fail(error);
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
            fail(error);
          }
        },
      );
    } finally {
      clearInterval(resetTimer);
    }
    const duplicates =
      sandbox.duplicateWrites('MedicationDispense') + sandbox.duplicateWrites('Communication');
    const report: Omit<FaultRunReport, 'healed'> = {
      counts: { ...client.counts },
      tokenRequests: auth.counts.tokenRequests,
      duplicates,
      outcomes,
      failures,
      injected: { ...sandbox.stats.injected },
      proxy: proxy.stats(),
      seconds: (performance.now() - started) / 1000,
    };
    // Healed: one more pass completes whatever gave up, still without duplicates.
    sandbox.setFaults({});
    proxy.heal();
    for (const i of ids) {
      await client.createIfNoneExist(dispense(i), `identifier=${SYSTEM}|${stableId('dispense', String(i))}`);
    }
    return {
      ...report,
      healed: {
        stored: sandbox.data.count('MedicationDispense'),
        duplicates: sandbox.duplicateWrites('MedicationDispense'),
      },
    };
  } finally {
    await proxy.close();
    await sandbox.close();
  }
}

export function formatFaultRun(r: FaultRunReport): string {
  const c = r.counts;
  return (
    `fault run: requests ${c.requests}, retries ${c.retries}, give-ups ${c.giveUps}, duplicate writes ${r.duplicates}; ` +
    `throttled ${c.throttled}, 5xx ${c.serverErrors}, network errors/timeouts ${c.networkErrors}, ` +
    `re-authentications ${c.reauthentications}, token requests ${r.tokenRequests}; ` +
    `outcomes ${JSON.stringify(r.outcomes)}; sandbox injected ${JSON.stringify(r.injected)}; ` +
    `proxy ${JSON.stringify(r.proxy)}; after healing ${r.healed.stored} dispenses, ${r.healed.duplicates} duplicates; ` +
    `${r.seconds.toFixed(1)} s`
  );
}

export async function benchFhirFaults(
  dispenses = Number(process.env['BENCH_FAULT_DISPENSES'] ?? 1000),
): Promise<void> {
  console.log('\n## FHIR client through TCP and HTTP faults');
  const report = await runEhrFaultRun(dispenses, Math.round(dispenses * 0.3));
  console.log(formatFaultRun(report));
  if (report.failures.length > 0) console.log(`failures: ${report.failures.slice(0, 10).join(' | ')}`);
  if (report.duplicates !== 0 || report.healed.duplicates !== 0 || report.healed.stored !== dispenses) {
    process.exitCode = 1;
  }
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1])
  await benchFhirFaults();
