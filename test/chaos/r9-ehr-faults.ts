// R9: the EHR client (FHIR R4 + SMART) through the TCP fault proxy in front of the EHR sandbox, which injects
// 429 + Retry-After, 5xx bursts, slow answers past our timeout, resets and token expiry; the proxy adds latency,
// dropped connections, resets and a half-open spell. Shown: retries with backoff, no call past its deadline,
// no request storm (attempts per second stay under the rate limit), no duplicate writes.
// The EHR client is the same in both runtime modes; the mode only labels the run.
import type { MedicationDispense } from '@medplum/fhirtypes';
import { stableId } from '../../src/kernel/ids.ts';
import { FhirClient } from '../../src/platform/ehr/fhir/fhir-client.ts';
import { CircuitBreaker, RateLimiter } from '../../src/platform/ehr/fhir/resilience.ts';
import { SmartTokenSource } from '../../src/platform/ehr/fhir/smart-auth.ts';
import { startSandbox } from '../../src/platform/ehr/sandbox/sandbox-server.ts';
import { generateSigningKey, KeyRing } from '../../src/platform/ehr/smart-keys.ts';
import { startFaultProxy } from '../support/fault-proxy.ts';
import { result, sleep } from './scenarios.ts';
import type { ScenarioOptions, ScenarioResult } from './scenarios.ts';

const SYSTEM = 'urn:rxbridge:dispense';
const RATE = 200;
const DEADLINE_MS = 8_000;

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

export async function r9EhrFaults(options: ScenarioOptions): Promise<ScenarioResult> {
  const writes = options.messages ?? (options.size === 'full' ? 1_000 : 150);
  const ring = new KeyRing([generateSigningKey('ES384', 'r9')]);
  const sandbox = await startSandbox({
    vendor: 'generic',
    clients: [{ clientId: 'rxbridge', jwks: ring.jwks(Date.now()) as never }],
    resources: Array.from({ length: 20 }, (_, i) => ({ resourceType: 'Patient' as const, id: `pt-${i}` })),
  });
  const proxy = await startFaultProxy({
    target: { host: '127.0.0.1', port: Number(new URL(sandbox.url).port) },
  });
  sandbox.setPublicUrl(`http://127.0.0.1:${proxy.port}`);
  const failures: string[] = [];
  // Attempts per whole second, counted at the client's fetch: a storm would show as a spike.
  const perSecond = new Map<number, number>();
  const countingFetch: typeof fetch = (input, init) => {
    const s = Math.floor(Date.now() / 1000);
    perSecond.set(s, (perSecond.get(s) ?? 0) + 1);
    return fetch(input, init);
  };
  try {
    sandbox.setFaults({
      seed: 9,
      throttleEvery: 40,
      retryAfterSeconds: 1,
      burstEvery: 31,
      burstLength: 3,
      burstStatus: 503,
      slowProbability: 0.02,
      slowMs: 1_500,
      resetProbability: 0.04,
      expireTokensEvery: 60,
    });
    proxy.setLatency(2, 3);
    proxy.setDropRate(0.02);
    const base = `http://127.0.0.1:${proxy.port}/fhir/r4`;
    const auth = new SmartTokenSource({
      clientId: 'rxbridge',
      scope: 'system/*.read system/*.write',
      keys: ring,
      fhirBase: base,
      fetch: countingFetch,
    });
    const client = new FhirClient({
      name: 'r9',
      baseUrl: base,
      auth,
      rateLimiter: new RateLimiter({ ratePerSecond: RATE }),
      breaker: new CircuitBreaker({ failureThreshold: 30, openMs: 500 }),
      timeoutMs: 800,
      deadlineMs: DEADLINE_MS,
      maxRetries: 8,
      backoffBaseMs: 50,
      backoffCapMs: 1_000,
      cacheTtlMs: 0,
      fetch: countingFetch,
    });
    // A half-open spell and periodic resets in the middle of the run.
    const halfOpen = (async () => {
      await sleep(1_500);
      proxy.setHalfOpen(true);
      await sleep(1_500);
      proxy.setHalfOpen(false);
    })();
    const resets = setInterval(() => proxy.resetAll(), 900);
    const outcomes: Record<string, number> = {};
    let slowestCallMs = 0;
    let next = 0;
    const errors: string[] = [];
    try {
      for (const pass of [1, 2]) {
        next = 0;
        await Promise.all(
          Array.from({ length: 8 }, async () => {
            while (next < writes) {
              const i = next++;
              const started = Date.now();
              try {
                const r = await client.createIfNoneExist(
                  dispense(i),
                  `identifier=${SYSTEM}|${stableId('dispense', String(i))}`,
                );
                outcomes[`${r.outcome}${pass === 2 ? ' (replay)' : ''}`] =
                  (outcomes[`${r.outcome}${pass === 2 ? ' (replay)' : ''}`] ?? 0) + 1;
              } catch (error) {
                outcomes['failed'] = (outcomes['failed'] ?? 0) + 1;
                if (errors.length < 5) errors.push((error as Error).message);
              }
              slowestCallMs = Math.max(slowestCallMs, Date.now() - started);
            }
          }),
        );
      }
    } finally {
      clearInterval(resets);
      await halfOpen;
    }
    // Healed: everything completes, still once each.
    sandbox.setFaults({});
    proxy.heal();
    for (let i = 0; i < writes; i++) {
      await client.createIfNoneExist(dispense(i), `identifier=${SYSTEM}|${stableId('dispense', String(i))}`);
    }
    const duplicates = sandbox.duplicateWrites('MedicationDispense');
    const stored = sandbox.data.count('MedicationDispense');
    const c = client.counts;
    const peak = Math.max(...perSecond.values());
    if (duplicates > 0) failures.push(`${duplicates} duplicate writes`);
    if (stored !== writes) failures.push(`${stored} dispenses stored, ${writes} written`);
    // A call may overrun its deadline by at most one attempt's timeout (the attempt in flight when it passed).
    if (slowestCallMs > DEADLINE_MS + 1_000)
      failures.push(`a call took ${slowestCallMs} ms (deadline ${DEADLINE_MS})`);
    if (peak > RATE * 1.2 + 20)
      failures.push(`request storm: ${peak} attempts in one second (limit ${RATE}/s)`);
    if (c.retries === 0) failures.push('no retries happened: the faults did not bite');
    return result(
      'R9',
      options.mode,
      'EHR faults: 429 + Retry-After, 5xx, timeouts, half-open, token expiry',
      {
        writes,
        passes: 2,
        outcomes,
        requests: c.requests,
        retries: c.retries,
        giveUps: c.giveUps,
        throttled: c.throttled,
        serverErrors: c.serverErrors,
        networkErrorsOrTimeouts: c.networkErrors,
        reauthentications: c.reauthentications,
        sandboxInjected: sandbox.stats.injected,
        proxy: proxy.stats(),
        slowestCallMs,
        deadlineMs: DEADLINE_MS,
        peakAttemptsPerSecond: peak,
        rateLimitPerSecond: RATE,
        duplicateWrites: duplicates,
        storedAfterHeal: stored,
        sampleErrors: errors,
      },
      failures,
    );
  } finally {
    await proxy.close();
    await sandbox.close();
  }
}
