// Must-show: 10,000 SMART Backend Services client assertions, minted by our code across a key rotation (RS384 then
// ES384), each verified by the sandbox's independent validator (alg, iss = sub = client_id, aud, exp ≤ 300 s,
// unique jti, kid in our JWKS, signature). Run alone: `node bench/fhir-assertions.ts` (BENCH_ASSERTIONS=N).
import { fileURLToPath } from 'node:url';
import { mintClientAssertion } from '../src/platform/ehr/fhir/smart-auth.ts';
import { validateClientAssertion } from '../src/platform/ehr/sandbox/assertion-validator.ts';
import { generateSigningKey, KeyRing } from '../src/platform/ehr/smart-keys.ts';

export async function benchFhirAssertions(
  count = Number(process.env['BENCH_ASSERTIONS'] ?? 10_000),
): Promise<void> {
  console.log('\n## SMART client assertions (minted, then checked by the independent validator)');
  const tokenUrl = 'https://ehr.example.org/oauth2/token';
  const start = Date.parse('2026-03-01T00:00:00Z');
  const ring = new KeyRing([generateSigningKey('RS384', 'rsa-old')], { leadMs: 60_000, retainMs: 600_000 });
  ring.rotate(generateSigningKey('ES384', 'ec-new'), start);
  const seenJti = new Map<string, number>();
  const errors = new Map<string, number>();
  const byKid = new Map<string, number>();
  let maxLifetime = 0;
  const t0 = performance.now();
  for (let i = 0; i < count; i++) {
    const nowMs = start + Math.floor((i * 120_000) / count);
    const jwt = await mintClientAssertion({ clientId: 'rxbridge', audience: tokenUrl, keys: ring, nowMs });
    const claims = JSON.parse(Buffer.from(jwt.split('.')[1] ?? '', 'base64url').toString('utf8')) as {
      exp: number;
      iat: number;
    };
    maxLifetime = Math.max(maxLifetime, claims.exp - claims.iat);
    const result = validateClientAssertion(jwt, {
      clientId: 'rxbridge',
      jwks: ring.jwks(nowMs) as never,
      tokenEndpoint: tokenUrl,
      nowSeconds: Math.floor(nowMs / 1000),
      seenJti,
    });
    if (result.ok) byKid.set(result.kid, (byKid.get(result.kid) ?? 0) + 1);
    else errors.set(result.error, (errors.get(result.error) ?? 0) + 1);
  }
  const seconds = (performance.now() - t0) / 1000;
  const valid = [...byKid.values()].reduce((a, b) => a + b, 0);
  console.log(
    `assertions: ${count} minted, ${valid} valid, ${count - valid} rejected ${JSON.stringify(Object.fromEntries(errors))}; ` +
      `unique jti ${seenJti.size}; longest exp - iat ${maxLifetime} s; by kid ${JSON.stringify(Object.fromEntries(byKid))}; ` +
      `${seconds.toFixed(1)} s`,
  );
  if (valid !== count) process.exitCode = 1;
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1])
  await benchFhirAssertions();
