// The sandbox's check of a SMART Backend Services client assertion, written from the specification's rules and
// independently of our minting code (no shared helpers; signatures verified with node:crypto, not jose):
// alg RS384/ES384, typ JWT if present, kid present and in the client's JWKS, iss = sub = client_id,
// aud = token endpoint, exp present and no more than 300 s ahead, not expired, jti present and never seen before.
import { createPublicKey, verify } from 'node:crypto';

export interface ClientJwks {
  keys: Array<Record<string, unknown>>;
}

export interface ValidationContext {
  /** The registered client, looked up by the assertion's `iss`. */
  clientId: string;
  jwks: ClientJwks;
  tokenEndpoint: string;
  nowSeconds: number;
  /** Seen jti values with their exp; the validator adds to it and prunes expired ones. */
  seenJti: Map<string, number>;
  /** Clock skew tolerated on exp (s). Default 0. */
  skewSeconds?: number;
}

export type ValidationResult =
  { ok: true; jti: string; kid: string; alg: string } | { ok: false; error: string };

const ALLOWED_ALGS = new Set(['RS384', 'ES384']);
/** SMART Backend Services: "exp ... no more than five minutes in the future". */
export const MAX_EXP_AHEAD_SECONDS = 300;

function decodeSegment(segment: string): Record<string, unknown> | undefined {
  if (!/^[A-Za-z0-9_-]+$/.test(segment)) return undefined;
  try {
    const value: unknown = JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/** Reads iss without verifying anything, to find which client's registration applies. */
export function unverifiedIssuer(assertion: string): string | undefined {
  const payload = decodeSegment(assertion.split('.')[1] ?? '');
  return typeof payload?.iss === 'string' ? payload.iss : undefined;
}

function verifySignature(
  alg: string,
  jwk: Record<string, unknown>,
  signingInput: string,
  signature: Buffer,
): boolean {
  let key;
  try {
    key = createPublicKey({ key: jwk, format: 'jwk' });
  } catch {
    return false;
  }
  if (alg === 'RS384') {
    if (key.asymmetricKeyType !== 'rsa') return false;
    return verify('sha384', Buffer.from(signingInput), key, signature);
  }
  // ES384: JWS signatures are the raw r||s pair (96 bytes), not DER.
  if (key.asymmetricKeyType !== 'ec' || signature.length !== 96) return false;
  return verify('sha384', Buffer.from(signingInput), { key, dsaEncoding: 'ieee-p1363' }, signature);
}

export function validateClientAssertion(assertion: string, context: ValidationContext): ValidationResult {
  const parts = assertion.split('.');
  if (parts.length !== 3) return { ok: false, error: 'assertion is not a compact JWS (three parts)' };
  const [headerPart = '', payloadPart = '', signaturePart = ''] = parts;
  const header = decodeSegment(headerPart);
  const payload = decodeSegment(payloadPart);
  if (header === undefined) return { ok: false, error: 'JOSE header is not base64url JSON' };
  if (payload === undefined) return { ok: false, error: 'claims are not base64url JSON' };
  const alg = header.alg;
  if (typeof alg !== 'string' || !ALLOWED_ALGS.has(alg)) {
    return { ok: false, error: `alg ${String(alg)} not allowed (RS384 or ES384)` };
  }
  if (header.typ !== undefined && header.typ !== 'JWT') return { ok: false, error: 'typ must be JWT' };
  const kid = header.kid;
  if (typeof kid !== 'string' || kid === '') return { ok: false, error: 'kid header missing' };
  if (payload.iss !== context.clientId) return { ok: false, error: 'iss is not the client_id' };
  if (payload.sub !== context.clientId) return { ok: false, error: 'sub is not the client_id' };
  const aud = payload.aud;
  const audOk = aud === context.tokenEndpoint || (Array.isArray(aud) && aud.includes(context.tokenEndpoint));
  if (!audOk) return { ok: false, error: 'aud is not the token endpoint' };
  const exp = payload.exp;
  if (typeof exp !== 'number' || !Number.isInteger(exp))
    return { ok: false, error: 'exp missing or not an integer' };
  const skew = context.skewSeconds ?? 0;
  if (exp <= context.nowSeconds - skew) return { ok: false, error: 'assertion expired' };
  if (exp > context.nowSeconds + MAX_EXP_AHEAD_SECONDS + skew) {
    return { ok: false, error: 'exp more than 300 seconds in the future' };
  }
  const jti = payload.jti;
  if (typeof jti !== 'string' || jti === '') return { ok: false, error: 'jti missing' };
  const candidates = context.jwks.keys.filter((k) => k.kid === kid);
  if (candidates.length === 0) return { ok: false, error: `kid ${kid} is not in the client's JWKS` };
  const signature = Buffer.from(signaturePart, 'base64url');
  const signingInput = `${headerPart}.${payloadPart}`;
  const verified = candidates.some(
    (jwk) => (jwk.alg === undefined || jwk.alg === alg) && verifySignature(alg, jwk, signingInput, signature),
  );
  if (!verified) return { ok: false, error: 'signature does not verify with the client key' };
  // Replay: checked last so a forged assertion cannot burn a genuine jti.
  for (const [seen, seenExp] of context.seenJti) {
    if (seenExp < context.nowSeconds - skew) context.seenJti.delete(seen);
    else break;
  }
  if (context.seenJti.has(jti)) return { ok: false, error: 'jti already used' };
  context.seenJti.set(jti, exp);
  return { ok: true, jti, kid, alg };
}
