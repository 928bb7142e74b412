// GET /.well-known/jwks.json: our public keys, rotation-aware, never a private part.
import type { AddressInfo } from 'node:net';
import Fastify from 'fastify';
import { expect, test } from 'vitest';
import { keyRingFor } from '../../src/platform/ehr/fhir/from-config.ts';
import { registerJwksRoute } from '../../src/platform/ehr/jwks-route.ts';
import { SmartTokenSource } from '../../src/platform/ehr/fhir/smart-auth.ts';
import { startSandbox } from '../../src/platform/ehr/sandbox/sandbox-server.ts';
import { generateSigningKey, KeyRing, privateKeyPem } from '../../src/platform/ehr/smart-keys.ts';
import { EhrEndpointSchema } from '../../src/config/config-schema.ts';

test('the JWKS lists every published key (a rotated-in key before it signs) and no private material', async () => {
  let now = 1_000_000;
  const ring = new KeyRing([generateSigningKey('RS384', 'old')], { leadMs: 60_000, retainMs: 60_000 });
  const app = Fastify();
  registerJwksRoute(app, [ring], () => now);
  const kids = async () => {
    const response = await app.inject({ method: 'GET', url: '/.well-known/jwks.json' });
    expect(response.statusCode).toBe(200);
    const body = response.json<{ keys: Array<Record<string, unknown>> }>();
    for (const key of body.keys) {
      expect(Object.keys(key).some((k) => ['d', 'p', 'q', 'dp', 'dq', 'qi'].includes(k))).toBe(false);
      expect(key.use).toBe('sig');
    }
    return body.keys.map((k) => k.kid);
  };
  expect(await kids()).toEqual(['old']);
  ring.rotate(generateSigningKey('ES384', 'new'), now);
  expect(await kids()).toEqual(['old', 'new']); // published before it signs
  now += 60_000;
  expect(ring.signingKey(now).kid).toBe('new');
  expect(await kids()).toEqual(['old', 'new']); // old kept while its tokens may live
  now += 60_000;
  expect(await kids()).toEqual(['new']);
  await app.close();
});

test('endpoint config takes key references only; keys come from the environment', () => {
  const key = generateSigningKey('ES384', 'env-key');
  const config = EhrEndpointSchema.parse({
    name: 'epic-prod',
    baseUrl: 'https://fhir.example.org/api/FHIR/R4',
    vendor: 'epic',
    clientId: 'abc',
    key: { alg: 'ES384', kid: 'env-key', env: 'RXB_EPIC_KEY' },
  });
  expect(keyRingFor(config, { RXB_EPIC_KEY: privateKeyPem(key) }).signingKey(Date.now()).kid).toBe('env-key');
  const inline = EhrEndpointSchema.safeParse({
    name: 'x',
    baseUrl: 'https://fhir.example.org',
    clientId: 'abc',
    key: { alg: 'ES384', env: privateKeyPem(key) },
  });
  expect(inline.success).toBe(false);
  const both = EhrEndpointSchema.safeParse({
    name: 'x',
    baseUrl: 'https://fhir.example.org',
    clientId: 'abc',
    key: { alg: 'ES384', env: 'A', file: 'b.pem' },
  });
  expect(both.success).toBe(false);
});

test('the sandbox fetches our published JWKS (jku) and follows a rotation to the new key', async () => {
  const ring = new KeyRing([generateSigningKey('RS384', 'first')], { leadMs: 200, retainMs: 60_000 });
  const app = Fastify();
  registerJwksRoute(app, [ring]);
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address() as AddressInfo;
  const jwksUrl = `http://127.0.0.1:${address.port}/.well-known/jwks.json`;
  const sandbox = await startSandbox({ vendor: 'epic', clients: [{ clientId: 'rxbridge', jwksUrl }] });
  try {
    const token = () =>
      new SmartTokenSource({
        clientId: 'rxbridge',
        scope: 'system/Patient.read',
        keys: ring,
        fhirBase: sandbox.fhirBase,
        jku: jwksUrl,
      }).get();
    await expect(token()).resolves.toMatch(/.+/);
    ring.rotate(generateSigningKey('ES384', 'second'), Date.now());
    await new Promise((resolve) => setTimeout(resolve, 250));
    expect(ring.signingKey(Date.now()).kid).toBe('second');
    // The sandbox cached the old JWKS; an unknown kid makes it fetch again and find the new key.
    await expect(token()).resolves.toMatch(/.+/);
    expect(sandbox.stats.tokensIssued).toBe(2);
    // A jku that is not the registered JWKS URL is refused.
    const elsewhere = new SmartTokenSource({
      clientId: 'rxbridge',
      scope: 'system/Patient.read',
      keys: ring,
      fhirBase: sandbox.fhirBase,
      jku: 'https://attacker.invalid/jwks.json',
    });
    await expect(elsewhere.get()).rejects.toThrow(/jku is not the JWKS URL registered for this client/);
  } finally {
    await sandbox.close();
    await app.close();
  }
});
