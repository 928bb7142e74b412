// Our signing keys for SMART Backend Services: loaded from a file or an environment variable, published as a JWKS,
// rotated so that a new key is published before it signs and an old one stays published until its tokens expire.
import {
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type JsonWebKey,
  type KeyObject,
} from 'node:crypto';
import { readFileSync } from 'node:fs';
import { ErrorCode, RxBridgeError } from '../../kernel/errors.ts';
import { sha256Hex } from '../../kernel/ids.ts';

export type SigningAlg = 'RS384' | 'ES384';
export const SIGNING_ALGS: readonly SigningAlg[] = ['RS384', 'ES384'];

export interface PublicJwk {
  kty: string;
  kid: string;
  alg: SigningAlg;
  use: 'sig';
  key_ops: ['verify'];
  n?: string;
  e?: string;
  crv?: string;
  x?: string;
  y?: string;
}

export interface SigningKey {
  kid: string;
  alg: SigningAlg;
  privateKey: KeyObject;
  publicJwk: PublicJwk;
}

/** Where a private key comes from: a PEM (PKCS#8) or JWK file, or an environment variable holding either. */
export interface KeySource {
  file?: string | undefined;
  env?: string | undefined;
}

function checkAlgMatchesKey(key: KeyObject, alg: SigningAlg, where: string): void {
  const type = key.asymmetricKeyType;
  if (alg === 'RS384' && type !== 'rsa') {
    throw new RxBridgeError(ErrorCode.ConfigInvalid, `${where}: RS384 needs an RSA key, found ${type}`);
  }
  if (alg === 'RS384' && (key.asymmetricKeyDetails?.modulusLength ?? 0) < 2048) {
    throw new RxBridgeError(
      ErrorCode.ConfigInvalid,
      `${where}: RS384 needs an RSA key of at least 2048 bits`,
    );
  }
  if (alg === 'ES384' && (type !== 'ec' || key.asymmetricKeyDetails?.namedCurve !== 'secp384r1')) {
    throw new RxBridgeError(ErrorCode.ConfigInvalid, `${where}: ES384 needs an EC P-384 key`);
  }
}

/** The public half as a JWK with kid, alg and use, ready for the JWKS. */
export function publicJwkOf(privateKey: KeyObject, kid: string, alg: SigningAlg): PublicJwk {
  const jwk = createPublicKey(privateKey).export({ format: 'jwk' }) as Record<string, string>;
  const out: PublicJwk = { kty: jwk.kty ?? '', kid, alg, use: 'sig', key_ops: ['verify'] };
  for (const field of ['n', 'e', 'crv', 'x', 'y'] as const) {
    if (jwk[field] !== undefined) out[field] = jwk[field];
  }
  return out;
}

/** A kid derived from the public key (stable across restarts, reveals nothing). */
export function thumbprintKid(privateKey: KeyObject): string {
  const der = createPublicKey(privateKey).export({ format: 'der', type: 'spki' });
  return sha256Hex(der).slice(0, 16);
}

export function signingKeyFrom(
  privateKey: KeyObject,
  alg: SigningAlg,
  kid?: string,
  where = 'key',
): SigningKey {
  checkAlgMatchesKey(privateKey, alg, where);
  const id = kid ?? thumbprintKid(privateKey);
  return { kid: id, alg, privateKey, publicJwk: publicJwkOf(privateKey, id, alg) };
}

/** Reads a private key; the error names the file or variable, never the key material. */
export function loadSigningKey(
  source: KeySource,
  alg: SigningAlg,
  kid?: string,
  env: NodeJS.ProcessEnv = process.env,
): SigningKey {
  let text: string;
  let where: string;
  if (source.file !== undefined) {
    where = `key file ${source.file}`;
    try {
      text = readFileSync(source.file, 'utf8');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? 'unreadable';
      throw new RxBridgeError(ErrorCode.ConfigInvalid, `${where}: cannot read (${code})`);
    }
  } else if (source.env !== undefined) {
    where = `environment variable ${source.env}`;
    const value = env[source.env];
    if (value === undefined || value.trim() === '') {
      throw new RxBridgeError(ErrorCode.ConfigInvalid, `${where} is not set`);
    }
    text = value;
  } else {
    throw new RxBridgeError(ErrorCode.ConfigInvalid, 'a signing key needs a file or an environment variable');
  }
  let privateKey: KeyObject;
  try {
    const trimmed = text.trim();
    privateKey = trimmed.startsWith('{')
      ? createPrivateKey({ key: JSON.parse(trimmed) as JsonWebKey, format: 'jwk' })
      : createPrivateKey(trimmed.replace(/\\n/g, '\n'));
  } catch {
    throw new RxBridgeError(ErrorCode.ConfigInvalid, `${where}: not a PEM (PKCS#8) or JWK private key`);
  }
  return signingKeyFrom(privateKey, alg, kid, where);
}

/** A fresh key pair (tests, the sandbox, `rxbridge ehr keygen`). */
export function generateSigningKey(alg: SigningAlg, kid?: string): SigningKey {
  const { privateKey } =
    alg === 'RS384'
      ? generateKeyPairSync('rsa', { modulusLength: 2048 })
      : generateKeyPairSync('ec', { namedCurve: 'P-384' });
  return signingKeyFrom(privateKey, alg, kid);
}

export function privateKeyPem(key: SigningKey): string {
  return key.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
}

interface RingEntry {
  key: SigningKey;
  /** Published in the JWKS from this time (ms). */
  publishFrom: number;
  /** Signs from this time (ms): after publishFrom, so EHRs that cache our JWKS have seen it. */
  signFrom: number;
  /** Dropped from the JWKS after this time (ms); set when a newer key takes over. */
  publishUntil?: number;
}

export interface RotationTiming {
  /** How long a new key is published before it signs (ms). Default 1 hour: EHRs cache JWKS. */
  leadMs?: number;
  /** How long a replaced key stays published after its last signature (ms). Default 1 hour. */
  retainMs?: number;
}

/**
 * The keys one client signs with. `signingKey(now)` is the newest key whose signing time has come; `jwks(now)`
 * lists every key that is published: upcoming ones (before they sign) and replaced ones (until their tokens expire).
 */
export class KeyRing {
  #entries: RingEntry[] = [];
  readonly #leadMs: number;
  readonly #retainMs: number;

  constructor(initial: readonly SigningKey[], timing: RotationTiming = {}) {
    this.#leadMs = timing.leadMs ?? 3_600_000;
    this.#retainMs = timing.retainMs ?? 3_600_000;
    // Keys given at start-up are published and may sign at once (the EHR registered them already).
    for (const key of initial) this.#entries.push({ key, publishFrom: 0, signFrom: 0 });
    if (new Set(initial.map((k) => k.kid)).size !== initial.length) {
      throw new RxBridgeError(ErrorCode.ConfigInvalid, 'signing keys must have distinct kids');
    }
  }

  /** Adds a key: published now, signing from now + lead; the keys it replaces stay published for lead + retain. */
  rotate(key: SigningKey, now: number): void {
    if (this.#entries.some((e) => e.key.kid === key.kid)) {
      throw new RxBridgeError(ErrorCode.Conflict, `key ${key.kid} is already in the ring`);
    }
    const signFrom = now + this.#leadMs;
    for (const entry of this.#entries) {
      if (entry.publishUntil === undefined) entry.publishUntil = signFrom + this.#retainMs;
    }
    this.#entries.push({ key, publishFrom: now, signFrom });
  }

  signingKey(now: number): SigningKey {
    let best: RingEntry | undefined;
    for (const e of this.#entries) {
      if (e.signFrom <= now && (e.publishUntil === undefined || now < e.publishUntil)) {
        if (best === undefined || e.signFrom >= best.signFrom) best = e;
      }
    }
    if (best === undefined) throw new RxBridgeError(ErrorCode.ConfigInvalid, 'no signing key is active');
    return best.key;
  }

  jwks(now: number): { keys: PublicJwk[] } {
    return {
      keys: this.#entries
        .filter((e) => e.publishFrom <= now && (e.publishUntil === undefined || now < e.publishUntil))
        .map((e) => e.key.publicJwk),
    };
  }
}
