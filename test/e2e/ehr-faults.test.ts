// The FHIR client through a TCP fault proxy and a sandbox injecting HTTP faults (scenario in bench/fhir-faults.ts):
// every kind of fault happens, the counts are printed, and no write is ever duplicated.
import { expect, test } from 'vitest';
import { formatFaultRun, runEhrFaultRun } from '../../bench/fhir-faults.ts';

const DISPENSES = 200;

test('writes and searches survive TCP and HTTP faults: counts printed, no duplicate writes', async () => {
  const r = await runEhrFaultRun(DISPENSES, 60);
  console.log(formatFaultRun(r));
  if (r.failures.length > 0) console.log(`failures: ${r.failures.join(' | ')}`);
  // Faults of every kind really happened.
  expect(r.injected.throttled).toBeGreaterThan(0);
  expect(r.injected.serverErrors).toBeGreaterThan(0);
  expect(r.injected.resets).toBeGreaterThan(0);
  expect(r.injected.slow).toBeGreaterThan(0);
  expect(r.injected.tokenExpiries).toBeGreaterThan(0);
  expect(r.proxy.resets + r.proxy.dropped).toBeGreaterThan(0);
  expect(r.counts.retries).toBeGreaterThan(0);
  expect(r.counts.reauthentications).toBeGreaterThan(0);
  // Never a duplicate write, whatever was retried.
  expect(r.duplicates).toBe(0);
  // A call either succeeded or gave up on a retryable fault.
  expect(r.failures.every((f) => /gave up|circuit open/.test(f))).toBe(true);
  expect(r.counts.giveUps).toBeLessThanOrEqual(r.outcomes.failed);
  expect(r.outcomes.created + r.outcomes.existing + r.outcomes.updated + r.outcomes.failed).toBe(
    2 * DISPENSES + 120,
  );
  // Healed: everything written exactly once.
  expect(r.healed).toEqual({ stored: DISPENSES, duplicates: 0 });
}, 60_000);
