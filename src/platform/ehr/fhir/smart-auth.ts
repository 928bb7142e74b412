// SMART Backend Services (client-credentials with a signed JWT assertion): mint the assertion, fetch a token,
// share it between concurrent callers (one refresh at a time), refresh ahead of expiry, re-assert once on 401.
import { randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
import { ErrorCode } from '../../../kernel/errors.ts';
import { EhrError } from '../ehr-client.ts';
import type { KeyRing } from '../smart-keys.ts';

/** The spec's ceiling for an assertion's lifetime (SMART Backend Services: exp no more than five minutes ahead). */
export const MAX_ASSERTION_SECONDS = 300;

export interface AssertionInput {
  clientId: string;
  /** The token endpoint URL: the assertion's `aud`. */
  audience: string;
  keys: KeyRing;
  nowMs: number;
  lifetimeSeconds?: number;
  /** Optional `jku` header: where the EHR may fetch our JWKS (must be registered with the EHR). */
  jku?: string;
}

export async function mintClientAssertion(input: AssertionInput): Promise<string> {
  const lifetime = Math.min(input.lifetimeSeconds ?? MAX_ASSERTION_SECONDS, MAX_ASSERTION_SECONDS);
  const key = input.keys.signingKey(input.nowMs);
  const iat = Math.floor(input.nowMs / 1000);
  const header: { alg: string; kid: string; typ: string; jku?: string } = {
    alg: key.alg,
    kid: key.kid,
    typ: 'JWT',
  };
  if (input.jku !== undefined) header.jku = input.jku;
  return new SignJWT({})
    .setProtectedHeader(header)
    .setIssuer(input.clientId)
    .setSubject(input.clientId)
    .setAudience(input.audience)
    .setIssuedAt(iat)
    .setExpirationTime(iat + lifetime)
    .setJti(randomUUID())
    .sign(key.privateKey);
}

export interface AccessToken {
  accessToken: string;
  /** When we treat it as expired (ms since epoch), from `expires_in`. */
  expiresAt: number;
  scope?: string;
}

export interface TokenSourceOptions {
  clientId: string;
  scope: string;
  keys: KeyRing;
  /** Token endpoint, or undefined to discover it from `[fhirBase]/.well-known/smart-configuration`. */
  tokenUrl?: string;
  fhirBase: string;
  jku?: string;
  now?: () => number;
  /** Refresh this long before expiry (ms). Default 60 s, or a quarter of a short lifetime. */
  refreshAheadMs?: number;
  fetch?: typeof fetch;
  timeoutMs?: number;
}

export interface TokenSourceCounts {
  tokenRequests: number;
  discoveries: number;
}

/** Token cache for one endpoint. `get()` is safe to call from any number of concurrent requests. */
export class SmartTokenSource {
  readonly counts: TokenSourceCounts = { tokenRequests: 0, discoveries: 0 };
  readonly #options: TokenSourceOptions;
  readonly #now: () => number;
  readonly #fetch: typeof fetch;
  #token: AccessToken | undefined;
  #inflight: Promise<AccessToken> | undefined;
  #tokenUrl: string | undefined;

  constructor(options: TokenSourceOptions) {
    this.#options = options;
    this.#now = options.now ?? Date.now;
    this.#fetch = options.fetch ?? fetch;
    this.#tokenUrl = options.tokenUrl;
  }

  /** A valid token: the cached one, or the single refresh every concurrent caller waits on. */
  async get(): Promise<string> {
    const token = this.#token;
    if (token !== undefined && this.#now() < token.expiresAt - this.#refreshAhead(token))
      return token.accessToken;
    return (await this.#refresh()).accessToken;
  }

  /** After a 401 with this token: forget it (once per token) so the next `get()` re-asserts. */
  invalidate(rejected: string): void {
    if (this.#token?.accessToken === rejected) this.#token = undefined;
  }

  #refreshAhead(token: AccessToken): number {
    if (this.#options.refreshAheadMs !== undefined) return this.#options.refreshAheadMs;
    const lifetime = token.expiresAt - (this.#issuedAt ?? token.expiresAt);
    return Math.min(60_000, Math.max(0, lifetime / 4));
  }

  #issuedAt: number | undefined;

  #refresh(): Promise<AccessToken> {
    this.#inflight ??= this.#requestToken().finally(() => {
      this.#inflight = undefined;
    });
    return this.#inflight;
  }

  async tokenUrl(): Promise<string> {
    if (this.#tokenUrl !== undefined) return this.#tokenUrl;
    this.counts.discoveries++;
    const url = `${this.#options.fhirBase.replace(/\/$/, '')}/.well-known/smart-configuration`;
    const response = await this.#fetch(url, {
      headers: { accept: 'application/json' },
      signal: AbortSignal.timeout(this.#options.timeoutMs ?? 10_000),
    }).catch((cause: unknown) => {
      throw new EhrError(ErrorCode.EhrUnavailable, 'SMART discovery failed: network error', { cause });
    });
    if (!response.ok) {
      throw new EhrError(
        response.status >= 500 || response.status === 429 ? ErrorCode.EhrUnavailable : ErrorCode.EhrRejected,
        `SMART discovery failed: HTTP ${response.status}`,
        { status: response.status },
      );
    }
    const body = (await response.json()) as { token_endpoint?: unknown };
    if (typeof body.token_endpoint !== 'string') {
      throw new EhrError(ErrorCode.EhrRejected, 'SMART configuration has no token_endpoint');
    }
    this.#tokenUrl = body.token_endpoint;
    return this.#tokenUrl;
  }

  async #requestToken(): Promise<AccessToken> {
    const tokenUrl = await this.tokenUrl();
    const issuedAt = this.#now();
    const assertion = await mintClientAssertion({
      clientId: this.#options.clientId,
      audience: tokenUrl,
      keys: this.#options.keys,
      nowMs: issuedAt,
      ...(this.#options.jku !== undefined ? { jku: this.#options.jku } : {}),
    });
    this.counts.tokenRequests++;
    const body = new URLSearchParams({
      grant_type: 'client_credentials',
      scope: this.#options.scope,
      client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
      client_assertion: assertion,
    });
    let response: Response;
    try {
      response = await this.#fetch(tokenUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
        body,
        signal: AbortSignal.timeout(this.#options.timeoutMs ?? 10_000),
      });
    } catch (cause) {
      throw new EhrError(ErrorCode.EhrUnavailable, 'token request failed: network error', { cause });
    }
    const text = await response.text();
    if (!response.ok) {
      // OAuth errors carry `error` and maybe `error_description`; neither holds patient data.
      let reason = '';
      try {
        const parsed = JSON.parse(text) as { error?: string; error_description?: string };
        reason = [parsed.error, parsed.error_description].filter(Boolean).join(': ');
      } catch {
        reason = '';
      }
      throw new EhrError(
        response.status >= 500 || response.status === 429 ? ErrorCode.EhrUnavailable : ErrorCode.EhrRejected,
        `token request refused: HTTP ${response.status}${reason ? ` (${reason.slice(0, 200)})` : ''}`,
        { status: response.status },
      );
    }
    let parsed: { access_token?: unknown; expires_in?: unknown; scope?: unknown; token_type?: unknown };
    try {
      parsed = JSON.parse(text) as typeof parsed;
    } catch {
      throw new EhrError(ErrorCode.EhrRejected, 'token response is not JSON');
    }
    if (typeof parsed.access_token !== 'string' || parsed.access_token === '') {
      throw new EhrError(ErrorCode.EhrRejected, 'token response has no access_token');
    }
    if (typeof parsed.token_type === 'string' && parsed.token_type.toLowerCase() !== 'bearer') {
      throw new EhrError(ErrorCode.EhrRejected, `token_type ${parsed.token_type} is not bearer`);
    }
    const expiresIn =
      typeof parsed.expires_in === 'number' && parsed.expires_in > 0 ? parsed.expires_in : 300;
    const token: AccessToken = {
      accessToken: parsed.access_token,
      expiresAt: issuedAt + expiresIn * 1000,
      ...(typeof parsed.scope === 'string' ? { scope: parsed.scope } : {}),
    };
    this.#issuedAt = issuedAt;
    this.#token = token;
    return token;
  }
}
