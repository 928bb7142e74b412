// Builds the FHIR adapter for each configured EHR endpoint: keys, token source, limiter, breaker, client.
import type { EhrEndpointConfig } from '../../../config/config-schema.ts';
import { KeyRing, loadSigningKey } from '../smart-keys.ts';
import { VENDOR_PROFILES, type VendorProfile } from '../vendor-profiles.ts';
import { FhirClient } from './fhir-client.ts';
import { CircuitBreaker, RateLimiter } from './resilience.ts';
import { SmartTokenSource } from './smart-auth.ts';

export interface EhrConnection {
  config: EhrEndpointConfig;
  profile: VendorProfile;
  keys: KeyRing;
  auth: SmartTokenSource;
  client: FhirClient;
}

/** The key ring of one endpoint: the current key signs; previous keys stay published until retired. */
export function keyRingFor(config: EhrEndpointConfig, env: NodeJS.ProcessEnv = process.env): KeyRing {
  const current = loadSigningKey(config.key, config.key.alg, config.key.kid, env);
  const previous = config.previousKeys.map((k) => loadSigningKey(k, k.alg, k.kid, env));
  const ring = new KeyRing(previous);
  if (previous.length === 0) return new KeyRing([current]);
  // Previous keys were registered earlier; the current key takes over at once (it is already registered too).
  ring.rotate(current, -Number.MAX_SAFE_INTEGER / 2);
  return ring;
}

export function connectEhr(
  config: EhrEndpointConfig,
  options: { env?: NodeJS.ProcessEnv; fetch?: typeof fetch } = {},
): EhrConnection {
  const profile = VENDOR_PROFILES[config.vendor];
  const keys = keyRingFor(config, options.env);
  const auth = new SmartTokenSource({
    clientId: config.clientId,
    scope: config.scope ?? profile.scopes.join(' '),
    keys,
    fhirBase: config.baseUrl,
    ...(config.tokenUrl !== undefined ? { tokenUrl: config.tokenUrl } : {}),
    ...(config.jku !== undefined ? { jku: config.jku } : {}),
    ...(options.fetch !== undefined ? { fetch: options.fetch } : {}),
    timeoutMs: config.timeoutMs,
  });
  const client = new FhirClient({
    name: config.name,
    baseUrl: config.baseUrl,
    auth,
    rateLimiter: new RateLimiter({
      ratePerSecond: config.rateLimitPerSecond ?? profile.defaultRatePerSecond,
    }),
    breaker: new CircuitBreaker(),
    timeoutMs: config.timeoutMs,
    deadlineMs: config.deadlineMs,
    maxRetries: config.maxRetries,
    cacheTtlMs: config.cacheTtlMs,
    maxResponseBytes: config.maxResponseBytes,
    ...(options.fetch !== undefined ? { fetch: options.fetch } : {}),
  });
  return { config, profile, keys, auth, client };
}
