// Bearer JWTs verified with jose against a JWKS: OIDC single sign-on and CDS Hooks 2.0 clients.
import {
  createLocalJWKSet,
  createRemoteJWKSet,
  decodeJwt,
  jwtVerify,
  type JSONWebKeySet,
  type JWTPayload,
  type JWTVerifyGetKey,
} from 'jose';
import { ALL_SITES, isRole, MFA_ROLES, type Principal, type Role } from '../rbac/roles.ts';

export interface OidcSettings {
  issuer: string;
  audience: string;
  /** Either the issuer's JWKS URL or the key set itself (tests, air-gapped sites). */
  jwksUrl?: string;
  jwks?: JSONWebKeySet;
  /** Claim holding RxBridge role names. */
  rolesClaim: string;
  /** Claim holding site ids (or `*`). */
  sitesClaim: string;
}

export interface CdsClientSettings {
  /** The CDS client's `iss`. */
  issuer: string;
  jwksUrl?: string;
  jwks?: JSONWebKeySet;
  /** Sites whose patients this EHR may ask about. */
  sites: string[];
}

const ALGORITHMS = ['RS256', 'RS384', 'ES256', 'ES384', 'PS256', 'EdDSA'];
/** Accepted clock skew, seconds. */
const SKEW = 30;

function keySet(s: { jwksUrl?: string; jwks?: JSONWebKeySet }, what: string): JWTVerifyGetKey {
  if (s.jwks) return createLocalJWKSet(s.jwks);
  if (s.jwksUrl) return createRemoteJWKSet(new URL(s.jwksUrl), { timeoutDuration: 5_000 });
  throw new Error(`${what}: needs jwksUrl or jwks`);
}

function stringList(value: unknown): string[] {
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string');
  if (typeof value === 'string') return value.split(/[\s,]+/).filter(Boolean);
  return [];
}

export interface BearerVerifier {
  /** The principal for a valid token, undefined otherwise (never throws). */
  verify(token: string, requestPath: string, now: Date): Promise<Principal | undefined>;
}

export function createBearerVerifier(
  oidc: OidcSettings | undefined,
  cdsClients: readonly CdsClientSettings[],
): BearerVerifier {
  const oidcKeys = oidc ? keySet(oidc, 'security.oidc') : undefined;
  const clients = new Map(
    cdsClients.map((c) => [c.issuer, { settings: c, keys: keySet(c, `cds client ${c.issuer}`) }]),
  );
  /** jti values seen from CDS clients, with their expiry: a replayed token is refused. */
  const seenJti = new Map<string, number>();

  const verifyOidc = async (token: string, now: Date): Promise<Principal | undefined> => {
    if (!oidc || !oidcKeys) return undefined;
    const { payload } = await jwtVerify(token, oidcKeys, {
      issuer: oidc.issuer,
      audience: oidc.audience,
      algorithms: ALGORITHMS,
      clockTolerance: SKEW,
      currentDate: now,
      requiredClaims: ['exp', 'sub'],
    });
    const amr = stringList(payload['amr']);
    const mfa = amr.some((m) => ['mfa', 'otp', 'hwk', 'swk', 'fido'].includes(m));
    // Roles that need a second factor are granted only when the identity provider says it used one.
    const roles = stringList(payload[oidc.rolesClaim])
      .filter(isRole)
      .filter((r: Role) => r !== 'system' && (mfa || !MFA_ROLES.has(r)));
    if (roles.length === 0) return undefined;
    return {
      kind: 'oidc',
      id: String(payload.sub),
      name: typeof payload['name'] === 'string' ? payload['name'] : String(payload.sub),
      roles,
      sites: stringList(payload[oidc.sitesClaim]),
    };
  };

  const verifyCds = async (
    token: string,
    path: string,
    now: Date,
    iss: string,
  ): Promise<Principal | undefined> => {
    const client = clients.get(iss);
    if (!client) return undefined;
    const { payload } = await jwtVerify(token, client.keys, {
      issuer: iss,
      algorithms: ALGORITHMS,
      clockTolerance: SKEW,
      currentDate: now,
      requiredClaims: ['exp', 'iat', 'jti', 'aud'],
    });
    // CDS Hooks 2.0: aud is the service endpoint URL; the token lives at most 5 minutes; jti is single-use.
    const audiences = stringList(payload.aud);
    if (!audiences.some((a) => sameServicePath(a, path))) return undefined;
    if (!shortLived(payload)) return undefined;
    const nowSec = now.getTime() / 1000;
    for (const [jti, exp] of seenJti) if (exp < nowSec - SKEW) seenJti.delete(jti);
    const key = `${iss} ${String(payload.jti)}`;
    if (seenJti.has(key)) return undefined;
    seenJti.set(key, payload.exp ?? nowSec);
    return {
      kind: 'cds-client',
      id: iss,
      name: iss,
      roles: ['system'],
      sites: client.settings.sites.length > 0 ? client.settings.sites : [ALL_SITES],
      scopes: ['cds:invoke'],
    };
  };

  return {
    verify: async (token, path, now) => {
      try {
        const iss = decodeJwt(token).iss;
        if (iss !== undefined && clients.has(iss)) return await verifyCds(token, path, now, iss);
        return await verifyOidc(token, now);
      } catch {
        return undefined;
      }
    },
  };
}

function sameServicePath(aud: string, path: string): boolean {
  try {
    return new URL(aud).pathname.replace(/\/$/, '') === path.split('?')[0]?.replace(/\/$/, '');
  } catch {
    return false;
  }
}

function shortLived(payload: JWTPayload): boolean {
  return payload.exp !== undefined && payload.iat !== undefined && payload.exp - payload.iat <= 300;
}
