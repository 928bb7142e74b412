// SMART Backend Services: minted assertions checked by the sandbox's independent validator; one token refresh
// for a thousand concurrent callers; JWKS rotation.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';

import { FhirClient } from '../../src/platform/ehr/fhir/fhir-client.ts';

import { RateLimiter } from '../../src/platform/ehr/fhir/resilience.ts';

import { mintClientAssertion, SmartTokenSource } from '../../src/platform/ehr/fhir/smart-auth.ts';

import { validateClientAssertion } from '../../src/platform/ehr/sandbox/assertion-validator.ts';

import { startSandbox, type Sandbox } from '../../src/platform/ehr/sandbox/sandbox-server.ts';
import {
  generateSigningKey,
  KeyRing,
  loadSigningKey,
  privateKeyPem,
} from '../../src/platform/ehr/smart-keys.ts';

const TOKEN_URL = 'https://ehr.example.org/oauth2/token';

function claimsOf(jwt: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(jwt.split('.')[1] ?? '', 'base64url').toString('utf8')) as Record<
    string,
    unknown
  >;
}

describe('client assertions', () => {
  test('minted assertions (RS384 and ES384, across a key rotation) pass the independent validator (10,000 in bench/fhir-assertions.ts)', async () => {
    const N = 1000;
    const rsa = generateSigningKey('RS384', 'rsa-1');
    const ec = generateSigningKey('ES384', 'ec-2');
    const start = Date.parse('2026-03-01T00:00:00Z');
    const ring = new KeyRing([rsa], { leadMs: 60_000, retainMs: 600_000 });
    ring.rotate(ec, start); // ec published now, signs from start + 60 s
    const seenJti = new Map<string, number>();
    const jtis = new Set<string>();
    const byKid: Record<string, number> = {};
    let failures = 0;
    for (let i = 0; i < N; i++) {
      const nowMs = start + i * Math.floor(120_000 / N); // spread over two minutes: half before, half after the switch
      const jwt = await mintClientAssertion({
        clientId: 'rxbridge-test',
        audience: TOKEN_URL,
        keys: ring,
        nowMs,
      });
      const result = validateClientAssertion(jwt, {
        clientId: 'rxbridge-test',
        jwks: ring.jwks(nowMs) as never,
        tokenEndpoint: TOKEN_URL,
        nowSeconds: Math.floor(nowMs / 1000),
        seenJti,
      });
      if (!result.ok) failures++;
      else byKid[result.kid] = (byKid[result.kid] ?? 0) + 1;
      const claims = claimsOf(jwt);
      jtis.add(String(claims.jti));
      expect((claims.exp as number) - (claims.iat as number)).toBeLessThanOrEqual(300);
    }
    console.log(
      `assertions: ${N} minted, ${N - failures} valid, ${jtis.size} unique jti, by kid ${JSON.stringify(byKid)}`,
    );
    expect(failures).toBe(0);
    expect(jtis.size).toBe(N);
    expect(byKid['rsa-1']).toBe(N / 2);
    expect(byKid['ec-2']).toBe(N / 2);
  }, 60_000);

  test('the validator refuses what the spec forbids', async () => {
    const key = generateSigningKey('ES384', 'k1');
    const ring = new KeyRing([key]);
    const nowMs = Date.parse('2026-03-01T00:00:00Z');
    const ctx = (extra: Partial<Parameters<typeof validateClientAssertion>[1]> = {}) => ({
      clientId: 'c1',
      jwks: ring.jwks(nowMs) as never,
      tokenEndpoint: TOKEN_URL,
      nowSeconds: Math.floor(nowMs / 1000),
      seenJti: new Map<string, number>(),
      ...extra,
    });
    const good = await mintClientAssertion({ clientId: 'c1', audience: TOKEN_URL, keys: ring, nowMs });
    expect(validateClientAssertion(good, ctx())).toMatchObject({ ok: true });
    // Replay of the same jti.
    const seen = new Map<string, number>();
    expect(validateClientAssertion(good, ctx({ seenJti: seen }))).toMatchObject({ ok: true });
    expect(validateClientAssertion(good, ctx({ seenJti: seen }))).toEqual({
      ok: false,
      error: 'jti already used',
    });
    // Wrong audience, other client, expired, kid not published, tampered signature.
    expect(validateClientAssertion(good, ctx({ tokenEndpoint: 'https://other/token' }))).toMatchObject({
      ok: false,
    });
    expect(validateClientAssertion(good, ctx({ clientId: 'c2' }))).toMatchObject({ ok: false });
    expect(validateClientAssertion(good, ctx({ nowSeconds: Math.floor(nowMs / 1000) + 301 }))).toEqual({
      ok: false,
      error: 'assertion expired',
    });
    expect(validateClientAssertion(good, ctx({ jwks: { keys: [] } }))).toMatchObject({ ok: false });
    const [h, p, s = ''] = good.split('.');
    const flipped = `${h}.${p}.${s.slice(0, -4)}${s.slice(-4) === 'AAAA' ? 'BBBB' : 'AAAA'}`;
    expect(validateClientAssertion(flipped, ctx())).toMatchObject({ ok: false });
    // exp too far ahead: hand-built claims with a 10-minute life.
    const longLived = await mintClientAssertion({
      clientId: 'c1',
      audience: TOKEN_URL,
      keys: ring,
      nowMs: nowMs + 600_000,
    });
    expect(validateClientAssertion(longLived, ctx())).toEqual({
      ok: false,
      error: 'exp more than 300 seconds in the future',
    });
    // alg none / HS256 are refused.
    const none = `${Buffer.from('{"alg":"none","kid":"k1"}').toString('base64url')}.${p}.`;
    expect(validateClientAssertion(none, ctx())).toMatchObject({ ok: false });
  });

  test('keys load from a PEM file or an environment variable; errors name the source, not the key', () => {
    const key = generateSigningKey('RS384');
    const env = { RXB_KEY: privateKeyPem(key) };
    const loaded = loadSigningKey({ env: 'RXB_KEY' }, 'RS384', undefined, env);
    expect(loaded.kid).toBe(key.kid);
    expect(() => loadSigningKey({ env: 'MISSING' }, 'RS384', undefined, {})).toThrow(/MISSING is not set/);
    expect(() => loadSigningKey({ env: 'RXB_KEY' }, 'ES384', undefined, env)).toThrow(
      /ES384 needs an EC P-384 key/,
    );
    expect(() => loadSigningKey({ file: '/nonexistent/key.pem' }, 'RS384')).toThrow(/cannot read \(ENOENT\)/);
  });

  test('rotation: the new key is published before it signs; the old one stays until its tokens expire', () => {
    const a = generateSigningKey('ES384', 'a');
    const b = generateSigningKey('ES384', 'b');
    const ring = new KeyRing([a], { leadMs: 1000, retainMs: 5000 });
    ring.rotate(b, 10_000);
    expect(ring.jwks(10_000).keys.map((k) => k.kid)).toEqual(['a', 'b']);
    expect(ring.signingKey(10_500).kid).toBe('a');
    expect(ring.signingKey(11_000).kid).toBe('b');
    expect(ring.jwks(15_999).keys.map((k) => k.kid)).toEqual(['a', 'b']);
    expect(ring.jwks(16_000).keys.map((k) => k.kid)).toEqual(['b']);
  });
});

describe('token cache against the sandbox', () => {
  let sandbox: Sandbox;
  const key = generateSigningKey('ES384', 'cache-key');
  const ring = new KeyRing([key]);

  beforeAll(async () => {
    sandbox = await startSandbox({
      vendor: 'generic',
      clients: [{ clientId: 'rxbridge', jwks: ring.jwks(Date.now()) as never }],
      resources: [{ resourceType: 'Patient', id: 'p1', gender: 'female' }],
    });
  });
  afterAll(async () => {
    await sandbox.close();
  });

  function client() {
    const auth = new SmartTokenSource({
      clientId: 'rxbridge',
      scope: 'system/*.read',
      keys: ring,
      fhirBase: sandbox.fhirBase,
    });
    const fhir = new FhirClient({
      name: 'sandbox',
      baseUrl: sandbox.fhirBase,
      auth,
      cacheTtlMs: 0,
      rateLimiter: new RateLimiter({ ratePerSecond: 1_000_000 }),
    });
    return { auth, fhir };
  }

  test('1,000 concurrent calls at token expiry cause exactly one token request', async () => {
    // Sandbox and client share a clock we can move: the cached token expires, then a thousand calls arrive together.
    let offset = 0;
    const now = (): number => Date.now() + offset;
    const shortLived = await startSandbox({
      vendor: 'generic',
      now,
      clients: [{ clientId: 'rxbridge', jwks: ring.jwks(Date.now()) as never }],
      resources: [{ resourceType: 'Patient', id: 'p1', gender: 'female' }],
    });
    try {
      const auth = new SmartTokenSource({
        clientId: 'rxbridge',
        scope: 'system/*.read',
        keys: ring,
        fhirBase: shortLived.fhirBase,
        now,
      });
      const fhir = new FhirClient({
        name: 'short-lived',
        baseUrl: shortLived.fhirBase,
        auth,
        cacheTtlMs: 0,
        rateLimiter: new RateLimiter({ ratePerSecond: 1_000_000 }),
      });
      await fhir.read('Patient', 'p1');
      expect(shortLived.stats.tokenRequests).toBe(1);
      offset += 300_000; // the 300-second token has expired for both sides
      const results = await Promise.all(Array.from({ length: 1000 }, () => fhir.read('Patient', 'p1')));
      expect(results.every((r) => r?.id === 'p1')).toBe(true);
      console.log(
        `1000 concurrent reads at token expiry: ${shortLived.stats.tokenRequests - 1} token request(s)`,
      );
      expect(shortLived.stats.tokenRequests).toBe(2);
      expect(fhir.counts.reauthentications).toBe(0);
    } finally {
      await shortLived.close();
    }
  });

  test('tokens revoked server-side: 1,000 concurrent 401s, one re-assertion', async () => {
    const { auth, fhir } = client();
    await fhir.read('Patient', 'p1');
    sandbox.expireAllTokens();
    const before = sandbox.stats.tokenRequests;
    const results = await Promise.all(Array.from({ length: 1000 }, () => fhir.read('Patient', 'p1')));
    expect(results.every((r) => r?.id === 'p1')).toBe(true);
    expect(sandbox.stats.tokenRequests - before).toBe(1);
    expect(auth.counts.tokenRequests).toBe(2);
    expect(fhir.counts.reauthentications).toBe(1000);
  });

  test('malformed token requests get OAuth errors, never a 500', async () => {
    const post = (body: Record<string, string>) =>
      fetch(sandbox.tokenUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(body),
      }).then(async (r) => ({ status: r.status, body: (await r.json()) as { error: string } }));
    const base = {
      grant_type: 'client_credentials',
      client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
      scope: 'system/*.read',
    };
    const claims = Buffer.from(JSON.stringify({ iss: 'rxbridge' })).toString('base64url');
    expect(await post({ ...base, client_assertion: `%%%.${claims}.x` })).toMatchObject({
      status: 401,
      body: { error: 'invalid_client' },
    });
    expect(await post({ ...base, client_assertion: 'not-a-jwt' })).toMatchObject({
      status: 401,
      body: { error: 'invalid_client' },
    });
    expect(await post({ ...base, grant_type: 'password' })).toMatchObject({
      status: 400,
      body: { error: 'unsupported_grant_type' },
    });
    expect(await post({ ...base, scope: '' })).toMatchObject({
      status: 400,
      body: { error: 'invalid_scope' },
    });
  });

  test('an assertion from an unregistered key is refused with a clear error', async () => {
    const stranger = new KeyRing([generateSigningKey('ES384', 'stranger')]);
    const auth = new SmartTokenSource({
      clientId: 'rxbridge',
      scope: 'system/*.read',
      keys: stranger,
      fhirBase: sandbox.fhirBase,
    });
    await expect(auth.get()).rejects.toThrow(
      /token request refused: HTTP 401 \(invalid_client: kid stranger is not in the client's JWKS\)/,
    );
  });
});
