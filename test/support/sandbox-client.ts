// A FHIR client of the EHR sandbox as the tests use it: SMART Backend Services as `rxbridge`, no read cache, a
// rate limit high enough never to slow a test.
import { FhirClient } from '../../src/platform/ehr/fhir/fhir-client.ts';
import { RateLimiter } from '../../src/platform/ehr/fhir/resilience.ts';
import { SmartTokenSource } from '../../src/platform/ehr/fhir/smart-auth.ts';
import type { Sandbox } from '../../src/platform/ehr/sandbox/sandbox-server.ts';
import type { KeyRing } from '../../src/platform/ehr/smart-keys.ts';

export function sandboxClient(
  sandbox: Sandbox,
  keys: KeyRing,
  options: Partial<ConstructorParameters<typeof FhirClient>[0]> = {},
): FhirClient {
  return new FhirClient({
    name: 'sandbox',
    baseUrl: sandbox.fhirBase,
    auth: new SmartTokenSource({
      clientId: 'rxbridge',
      scope: 'system/*.read system/*.write',
      keys,
      fhirBase: sandbox.fhirBase,
    }),
    cacheTtlMs: 0,
    rateLimiter: new RateLimiter({ ratePerSecond: 1_000 }),
    ...options,
  });
}
