// Test helpers for authentication: a real governance store and authenticator, seeded users with a role and site,
// session cookies from POST /api/session (password + current TOTP code), API keys, CDS Hooks client JWTs.
import type { FastifyInstance } from 'fastify';
import { exportJWK, generateKeyPair, SignJWT, type JSONWebKeySet } from 'jose';
import { randomUUID } from 'node:crypto';
import type { AuditLog } from '../../src/governance/audit/audit-log.ts';
import {
  createAuthenticator,
  type AuthSettings,
  type Authenticator,
} from '../../src/governance/auth/authenticator.ts';
import {
  createBearerVerifier,
  type CdsClientSettings,
  type OidcSettings,
} from '../../src/governance/auth/jwt-verifier.ts';
import { totpStep, hotp, base32Decode } from '../../src/governance/auth/totp.ts';
import { ephemeralKeyring, type Keyring } from '../../src/governance/crypto/keyring.ts';
import type { GovernanceStore } from '../../src/governance/governance-store.ts';
import type { Permission, Role } from '../../src/governance/rbac/roles.ts';
import { openSqliteGovernanceStore } from '../../src/governance/store/sqlite/sqlite-governance-store.ts';
import { systemClock, type Clock } from '../../src/kernel/clock.ts';

export interface TestSecurity {
  governance: GovernanceStore;
  keyring: Keyring;
  auth: Authenticator;
  close(): Promise<void>;
}

export interface TestSecurityOptions {
  /** Defaults to an in-memory database. */
  path?: string;
  clock?: Clock;
  audit?: AuditLog;
  oidc?: OidcSettings;
  cdsClients?: CdsClientSettings[];
  settings?: Partial<AuthSettings>;
  keyring?: Keyring;
}

export function createTestSecurity(options: TestSecurityOptions = {}): TestSecurity {
  const governance = openSqliteGovernanceStore(options.path ?? ':memory:');
  const keyring = options.keyring ?? ephemeralKeyring();
  const auth = createAuthenticator({
    store: governance,
    keyring,
    clock: options.clock ?? systemClock,
    ...(options.audit ? { audit: options.audit } : {}),
    bearer: createBearerVerifier(options.oidc, options.cdsClients ?? []),
    ...(options.settings ? { settings: options.settings } : {}),
  });
  return { governance, keyring, auth, close: () => governance.close() };
}

export interface SeededUser {
  id: string;
  username: string;
  password: string;
  /** Base32 TOTP secret (pharmacist and admin). */
  totpSecret?: string;
  roles: Role[];
  sites: string[];
}

let counter = 0;

/** Adds a user with the role(s) and site(s) through the real authenticator (scrypt hash, encrypted TOTP secret). */
export async function seedUser(
  auth: Authenticator,
  options: { role: Role | Role[]; site?: string | string[]; username?: string },
): Promise<SeededUser> {
  const roles = [options.role].flat();
  const sites = [options.site ?? 'main'].flat();
  counter += 1;
  const username = options.username ?? `${roles[0]}-${counter}-${Math.random().toString(36).slice(2, 8)}`;
  const created = await auth.addUser({ username, name: `Test ${roles.join('+')}`, roles, sites }, 'test');
  return {
    id: created.user.id,
    username,
    password: created.password,
    ...(created.totpSecret ? { totpSecret: created.totpSecret } : {}),
    roles,
    sites,
  };
}

/** TOTP steps already used per secret: each code is accepted once, so helpers move to the next free step. */
const usedSteps = new Map<string, number>();

/** The current TOTP code (RFC 6238) for a seeded secret, as an authenticator app would show it. */
export function currentTotp(secret: string, at: Date = new Date()): string {
  return hotp(base32Decode(secret), totpStep(at));
}

/** A code not used before within the accepted window (now-1..now+1); waits for the next step if all are used. */
export async function freshTotp(secret: string, clock: Clock = systemClock): Promise<string> {
  for (;;) {
    const now = totpStep(clock.now());
    const last = usedSteps.get(secret) ?? -Infinity;
    const step = Math.max(now - 1, last + 1);
    if (step <= now + 1) {
      usedSteps.set(secret, step);
      return hotp(base32Decode(secret), step);
    }
    await new Promise((r) => setTimeout(r, 1_000));
  }
}

export interface LoginBody {
  username: string;
  password: string;
  totp?: string;
}

export async function loginBody(user: SeededUser, clock?: Clock): Promise<LoginBody> {
  return {
    username: user.username,
    password: user.password,
    ...(user.totpSecret ? { totp: await freshTotp(user.totpSecret, clock) } : {}),
  };
}

/** Signs in through POST /api/session (inject on an app, or fetch on a base URL) and returns the Cookie header. */
export async function sessionCookie(
  target: FastifyInstance | string,
  user: SeededUser,
  clock?: Clock,
): Promise<string> {
  const body = await loginBody(user, clock);
  let setCookie: string | undefined;
  let status: number;
  if (typeof target === 'string') {
    const res = await fetch(`${target}/api/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    status = res.status;
    setCookie = res.headers.get('set-cookie') ?? undefined;
  } else {
    const res = await target.inject({ method: 'POST', url: '/api/session', payload: body });
    status = res.statusCode;
    const h = res.headers['set-cookie'];
    setCookie = Array.isArray(h) ? h[0] : h;
  }
  if (status !== 200 || !setCookie) throw new Error(`sign-in of ${user.username} failed with ${status}`);
  return setCookie.split(';')[0] as string;
}

/** An API key (`Authorization: ApiKey <key>`) with the roles, sites and optional narrower scopes. */
export async function seedApiKey(
  auth: Authenticator,
  options: { roles: Role[]; sites?: string[]; scopes?: Permission[]; name?: string },
): Promise<string> {
  const { key } = await auth.createApiKey(
    {
      name: options.name ?? 'test key',
      roles: options.roles,
      sites: options.sites ?? ['*'],
      ...(options.scopes ? { scopes: options.scopes } : {}),
    },
    'test',
  );
  return key;
}

export const apiKeyHeader = (key: string): { authorization: string } => ({ authorization: `ApiKey ${key}` });

/** Signs in the demo pharmacist from the lines `rxbridge start --demo` printed; returns the Cookie header. */
export async function demoSessionCookie(httpUrl: string, stdout: string): Promise<string> {
  const username = /username: (\S+)/.exec(stdout)?.[1];
  const password = /one-time password: (\S+)/.exec(stdout)?.[1];
  const secret = /secret=([A-Z2-7]+)/.exec(stdout)?.[1];
  if (!username || !password || !secret) throw new Error('the demo credentials were not printed');
  return sessionCookie(httpUrl, { id: '', username, password, totpSecret: secret, roles: [], sites: [] });
}

/** A CDS Hooks 2.0 client (an EHR): its key pair, JWKS and a JWT for one call to a service URL. */
export interface CdsClient {
  issuer: string;
  jwks: JSONWebKeySet;
  token(
    serviceUrl: string,
    options?: { expiresInSeconds?: number; jti?: string; at?: Date },
  ): Promise<string>;
}

export async function createCdsClient(issuer = 'https://ehr.example.org'): Promise<CdsClient> {
  const { privateKey, publicKey } = await generateKeyPair('ES384');
  const jwk = await exportJWK(publicKey);
  const kid = randomUUID();
  return {
    issuer,
    jwks: { keys: [{ ...jwk, kid, alg: 'ES384', use: 'sig' }] },
    token: (serviceUrl, options = {}) => {
      const now = Math.floor((options.at ?? new Date()).getTime() / 1000);
      return new SignJWT({})
        .setProtectedHeader({ alg: 'ES384', kid, typ: 'JWT' })
        .setIssuer(issuer)
        .setAudience(serviceUrl)
        .setIssuedAt(now)
        .setExpirationTime(now + (options.expiresInSeconds ?? 300))
        .setJti(options.jti ?? randomUUID())
        .sign(privateKey);
    },
  };
}
