// S6 (authentication part): scrypt hashes, TOTP (RFC 6238 vectors), sign-in through POST /api/session, idle and
// absolute session timeouts, a new session id at every sign-in, API keys (scoped, rotated, revoked), OIDC bearer
// tokens and CDS Hooks 2.0 client JWTs (audience, lifetime, single-use jti).
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword, verifyPassword } from '../../src/governance/auth/password.ts';
import { base32Encode, hotp, totpCode, verifyTotp } from '../../src/governance/auth/totp.ts';
import { ManualClock } from '../../src/kernel/clock.ts';
import { createHttpServer } from '../../src/platform/http/http-server.ts';
import { silentLogger } from '../../src/platform/log/logger.ts';
import { createMetrics } from '../../src/platform/metrics/metrics.ts';
import {
  apiKeyHeader,
  createCdsClient,
  createTestSecurity,
  currentTotp,
  loginBody,
  seedApiKey,
  seedUser,
  sessionCookie,
  type TestSecurity,
} from '../support/auth.ts';

describe('passwords and TOTP', () => {
  it('hashes with scrypt, salted, and verifies only the right password', async () => {
    const a = await hashPassword('correct horse battery');
    const b = await hashPassword('correct horse battery');
    expect(a).toMatch(/^scrypt\$32768\$8\$1\$/);
    expect(a).not.toBe(b);
    expect(a).not.toContain('correct horse');
    expect(await verifyPassword('correct horse battery', a)).toBe(true);
    expect(await verifyPassword('correct horse batterz', a)).toBe(false);
  });

  it('matches the RFC 6238 SHA-1 test vectors (6-digit truncation of the published 8-digit values)', () => {
    const secret = Buffer.from('12345678901234567890');
    const vectors: Array<[number, string]> = [
      [59, '94287082'],
      [1111111109, '07081804'],
      [1111111111, '14050471'],
      [1234567890, '89005924'],
      [2000000000, '69279037'],
    ];
    for (const [t, code] of vectors) {
      expect(hotp(secret, Math.floor(t / 30), 8)).toBe(code);
      expect(totpCode(base32Encode(secret), new Date(t * 1000))).toBe(code.slice(2));
    }
  });

  it('accepts one step of drift and never the same step twice', () => {
    const secret = base32Encode(Buffer.from('12345678901234567890'));
    const at = new Date(1111111109 * 1000);
    const code = totpCode(secret, at);
    const step = verifyTotp(secret, code, new Date(at.getTime() + 30_000));
    expect(step).toBeDefined();
    expect(verifyTotp(secret, code, new Date(at.getTime() + 30_000), step)).toBeUndefined();
    expect(verifyTotp(secret, code, new Date(at.getTime() + 90_000))).toBeUndefined();
  });
});

describe('sessions, API keys and bearer tokens over HTTP', () => {
  const clock = new ManualClock(new Date());
  let security: TestSecurity;
  let app: ReturnType<typeof createHttpServer>;
  const oidcKeys = generateKeyPair('RS256');
  let oidcToken: (claims: Record<string, unknown>, expires?: number) => Promise<string>;
  let cds: Awaited<ReturnType<typeof createCdsClient>>;

  beforeAll(async () => {
    const { privateKey, publicKey } = await oidcKeys;
    const jwk = { ...(await exportJWK(publicKey)), kid: 'idp-1', alg: 'RS256' };
    oidcToken = (claims, expires = 600) =>
      new SignJWT(claims)
        .setProtectedHeader({ alg: 'RS256', kid: 'idp-1' })
        .setIssuer('https://idp.example.org')
        .setAudience('rxbridge')
        .setSubject(typeof claims['sub'] === 'string' ? claims['sub'] : 'alice')
        .setIssuedAt(Math.floor(clock.now().getTime() / 1000))
        .setExpirationTime(Math.floor(clock.now().getTime() / 1000) + expires)
        .sign(privateKey);
    cds = await createCdsClient();
    security = createTestSecurity({
      clock,
      oidc: {
        issuer: 'https://idp.example.org',
        audience: 'rxbridge',
        jwks: { keys: [jwk] },
        rolesClaim: 'rxbridge_roles',
        sitesClaim: 'rxbridge_sites',
      },
      cdsClients: [{ issuer: cds.issuer, jwks: cds.jwks, sites: ['main'] }],
    });
    app = createHttpServer({
      logger: silentLogger,
      metrics: createMetrics({ defaultMetrics: false }),
      bodyLimitBytes: 1024 * 1024,
      readiness: [],
      auth: security.auth,
    });
    app.get('/probe', { config: { policy: { permission: 'tasks:read', phi: false } } }, (request) => ({
      who: request.principal?.id,
      kind: request.principal?.kind,
    }));
    app.post('/probe-change', { config: { policy: { permission: 'tasks:read', phi: false } } }, () => ({
      ok: true,
    }));
    app.post(
      '/cds-services/probe',
      { config: { policy: { permission: 'cds:invoke', phi: false } } },
      (request) => ({ who: request.principal?.id }),
    );
  });
  afterAll(async () => {
    await app.close();
    await security.close();
  });

  const probe = (headers: Record<string, string>) => app.inject({ method: 'GET', url: '/probe', headers });

  it('signs a pharmacist in only with password and TOTP, with one answer for every failure', async () => {
    const user = await seedUser(security.auth, { role: 'pharmacist' });
    expect(user.totpSecret).toMatch(/^[A-Z2-7]{32}$/);
    const attempts = [
      { username: user.username, password: user.password },
      { username: user.username, password: user.password, totp: '000000' },
      {
        username: user.username,
        password: 'wrong password here',
        totp: currentTotp(user.totpSecret!, clock.now()),
      },
      { username: 'nobody-at-all', password: user.password, totp: '123456' },
    ];
    const bodies = new Set<string>();
    for (const payload of attempts) {
      const res = await app.inject({ method: 'POST', url: '/api/session', payload });
      expect(res.statusCode).toBe(401);
      expect(res.headers['set-cookie']).toBeUndefined();
      bodies.add(res.body);
    }
    expect(bodies.size).toBe(1);
    const res = await app.inject({
      method: 'POST',
      url: '/api/session',
      payload: await loginBody(user, clock),
    });
    expect(res.statusCode).toBe(200);
    const cookie = String(res.headers['set-cookie']);
    expect(cookie).toMatch(
      /^rxb_session=[A-Za-z0-9_-]{40,}; Path=\/; HttpOnly; SameSite=Strict; Max-Age=\d+$/,
    );
    expect(res.json()).toEqual({
      user: { id: user.id, name: expect.any(String), roles: ['pharmacist'], sites: ['main'] },
    });
    const me = await app.inject({
      method: 'GET',
      url: '/api/session',
      headers: { cookie: cookie.split(';')[0]! },
    });
    expect(me.json<{ user: { id: string } }>().user.id).toBe(user.id);
  });

  it('ends a session after 15 idle minutes and at the absolute limit; activity keeps it alive until then', async () => {
    const user = await seedUser(security.auth, { role: 'technician' });
    expect(user.totpSecret).toBeUndefined();
    const cookie = await sessionCookie(app, user, clock);
    expect((await probe({ cookie })).statusCode).toBe(200);
    clock.advance(14 * 60_000);
    expect((await probe({ cookie })).statusCode).toBe(200);
    clock.advance(14 * 60_000);
    expect((await probe({ cookie })).statusCode).toBe(200);
    clock.advance(15 * 60_000 + 1);
    expect((await probe({ cookie })).statusCode).toBe(401);

    const again = await sessionCookie(app, user, clock);
    for (let i = 0; i < 60; i++) {
      clock.advance(14 * 60_000);
      if ((await probe({ cookie: again })).statusCode !== 200) {
        expect(i * 14).toBeGreaterThanOrEqual(12 * 60 - 14);
        return;
      }
    }
    throw new Error('the session outlived its absolute limit');
  });

  it('issues a new session id at every sign-in and signs the old one out (no fixation)', async () => {
    const user = await seedUser(security.auth, { role: 'technician' });
    const first = await sessionCookie(app, user, clock);
    const res = await app.inject({
      method: 'POST',
      url: '/api/session',
      headers: { cookie: first },
      payload: await loginBody(user, clock),
    });
    const second = String(res.headers['set-cookie']).split(';')[0]!;
    expect(second).not.toBe(first);
    expect((await probe({ cookie: first })).statusCode).toBe(401);
    expect((await probe({ cookie: second })).statusCode).toBe(200);
    const out = await app.inject({ method: 'DELETE', url: '/api/session', headers: { cookie: second } });
    expect(out.statusCode).toBe(204);
    expect((await probe({ cookie: second })).statusCode).toBe(401);
  });

  it('refuses a cookie-signed change from another origin (CSRF), and a reset password ends the sessions', async () => {
    const user = await seedUser(security.auth, { role: 'technician' });
    const cookie = await sessionCookie(app, user, clock);
    const post = (origin?: string) =>
      app.inject({
        method: 'POST',
        url: '/probe-change',
        headers: { cookie, host: 'rxbridge.local', ...(origin ? { origin } : {}) },
        payload: {},
      });
    expect((await post('https://evil.example')).statusCode).toBe(403);
    expect((await post('http://rxbridge.local')).statusCode).toBe(200);
    expect((await post()).statusCode).toBe(200);
    const fresh = await security.auth.resetPassword(user.username, 'test');
    expect((await probe({ cookie })).statusCode).toBe(401);
    expect(await sessionCookie(app, { ...user, password: fresh }, clock)).toMatch(/^rxb_session=/);
  });

  it('stores only hashes of sessions and API keys; scopes narrow a key; rotation and revocation end the old secret', async () => {
    const key = await seedApiKey(security.auth, { roles: ['pharmacist'], scopes: ['tasks:read'] });
    expect((await probe(apiKeyHeader(key))).json()).toMatchObject({ kind: 'api-key' });
    const id = /^rxb_([^.]+)\./.exec(key)![1]!;
    const stored = JSON.stringify(await security.governance.apiKeys.get(id));
    expect(stored).not.toContain(key.split('.')[1]);
    const narrow = await seedApiKey(security.auth, { roles: ['pharmacist'], scopes: ['tasks:decide'] });
    expect((await probe(apiKeyHeader(narrow))).statusCode).toBe(403);
    const rotated = await security.auth.rotateApiKey(id, 'test');
    expect((await probe(apiKeyHeader(key))).statusCode).toBe(401);
    expect((await probe(apiKeyHeader(rotated.key))).statusCode).toBe(200);
    await security.auth.revokeApiKey(id, 'test');
    expect((await probe(apiKeyHeader(rotated.key))).statusCode).toBe(401);
    expect((await probe({ authorization: 'ApiKey rxb_nonsense.abc' })).statusCode).toBe(401);
  });

  it('accepts OIDC bearer tokens from the configured issuer; MFA roles only with an MFA amr', async () => {
    const ok = await oidcToken({ sub: 'alice', rxbridge_roles: ['technician'], rxbridge_sites: ['main'] });
    expect((await probe({ authorization: `Bearer ${ok}` })).json()).toEqual({ who: 'alice', kind: 'oidc' });
    const noMfa = await oidcToken({ sub: 'bob', rxbridge_roles: ['pharmacist'] });
    expect((await probe({ authorization: `Bearer ${noMfa}` })).statusCode).toBe(401);
    const mfa = await oidcToken({ sub: 'bob', rxbridge_roles: ['pharmacist'], amr: ['pwd', 'otp'] });
    expect((await probe({ authorization: `Bearer ${mfa}` })).statusCode).toBe(200);
    const expired = await oidcToken({ sub: 'alice', rxbridge_roles: ['technician'] }, -120);
    expect((await probe({ authorization: `Bearer ${expired}` })).statusCode).toBe(401);
    const { privateKey } = await generateKeyPair('RS256');
    const forged = await new SignJWT({ rxbridge_roles: ['technician'] })
      .setProtectedHeader({ alg: 'RS256', kid: 'idp-1' })
      .setIssuer('https://idp.example.org')
      .setAudience('rxbridge')
      .setSubject('mallory')
      .setExpirationTime('5m')
      .sign(privateKey);
    expect((await probe({ authorization: `Bearer ${forged}` })).statusCode).toBe(401);
  });

  it('CDS Hooks 2.0: the client JWT must name the service URL, live at most 5 minutes and be used once', async () => {
    const call = (token: string) =>
      app.inject({
        method: 'POST',
        url: '/cds-services/probe',
        headers: { authorization: `Bearer ${token}` },
        payload: {},
      });
    const token = await cds.token('https://rxbridge.example.org/cds-services/probe', { at: clock.now() });
    expect((await call(token)).json()).toEqual({ who: cds.issuer });
    expect((await call(token)).statusCode).toBe(401); // replayed jti
    expect(
      (await call(await cds.token('https://rxbridge.example.org/cds-services/other', { at: clock.now() })))
        .statusCode,
    ).toBe(401);
    expect(
      (
        await call(
          await cds.token('https://rxbridge.example.org/cds-services/probe', {
            expiresInSeconds: 3600,
            at: clock.now(),
          }),
        )
      ).statusCode,
    ).toBe(401);
  });
});
