// The FHIR R4 adapter behind EhrClient: bearer tokens from SMART Backend Services, a per-endpoint rate limiter,
// retries with backoff and jitter under a deadline, a circuit breaker, timeouts, size limits, same-origin paging,
// conditional writes and a small response cache.
import type {
  Bundle,
  BundleEntry,
  CapabilityStatement,
  OperationOutcome,
  Resource,
} from '@medplum/fhirtypes';
import { ErrorCode } from '../../../kernel/errors.ts';
import {
  EhrError,
  type EhrClient,
  type EhrRequestOptions,
  type SearchPage,
  type SearchParams,
  type WriteOutcome,
} from '../ehr-client.ts';
import { backoffMs, CircuitBreaker, parseRetryAfter, RateLimiter, sleep } from './resilience.ts';
import type { SmartTokenSource } from './smart-auth.ts';

export interface FhirClientOptions {
  /** Endpoint name from config (used in errors and metrics). */
  name: string;
  /** FHIR base URL, tenant included where the vendor puts it in the path. */
  baseUrl: string;
  /** Absent for open servers (tests, some sandboxes). */
  auth?: SmartTokenSource;
  rateLimiter?: RateLimiter;
  breaker?: CircuitBreaker;
  /** Per attempt (ms). Default 30 s. */
  timeoutMs?: number;
  /** Overall per call, retries included (ms). Default 60 s. */
  deadlineMs?: number;
  /** Retries after the first attempt. Default 5. */
  maxRetries?: number;
  backoffBaseMs?: number;
  backoffCapMs?: number;
  /** Largest response body accepted (bytes). Default 32 MiB. */
  maxResponseBytes?: number;
  /** Response cache for reads and searches (ms); 0 turns it off. Default 30 s. */
  cacheTtlMs?: number;
  cacheMaxEntries?: number;
  fetch?: typeof fetch;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
}

/** What the client did, for the fault-run report and metrics. */
export interface FhirClientCounts {
  /** HTTP attempts sent (first tries and retries). */
  requests: number;
  retries: number;
  /** Calls that failed after retrying or at the deadline (retryable failures only). */
  giveUps: number;
  throttled: number;
  serverErrors: number;
  networkErrors: number;
  reauthentications: number;
  cacheHits: number;
  circuitRejections: number;
}

interface HttpResult {
  status: number;
  headers: Headers;
  body: unknown;
}

interface SendInit {
  method: 'GET' | 'POST' | 'PUT';
  url: string;
  headers?: Record<string, string>;
  body?: unknown;
  /** Safe to send again after a network error or 5xx (reads, conditional writes). */
  idempotent: boolean;
  operation: string;
}

class RetryableFailure extends Error {
  readonly status: number | undefined;
  readonly retryAfterMs: number | undefined;
  constructor(message: string, status?: number, retryAfterMs?: number, options?: { cause?: unknown }) {
    super(message, options);
    this.status = status;
    this.retryAfterMs = retryAfterMs;
  }
}

const FHIR_JSON = 'application/fhir+json';

function isOperationOutcome(body: unknown): body is OperationOutcome {
  return typeof body === 'object' && body !== null && (body as Resource).resourceType === 'OperationOutcome';
}

/** `Location: [base]/Type/id/_history/vid` → id and version. */
function parseLocation(location: string | null): { id?: string; versionId?: string } {
  if (location === null) return {};
  const match = /([A-Za-z]+)\/([A-Za-z0-9\-.]{1,64})(?:\/_history\/([A-Za-z0-9\-.]{1,64}))?\/?$/.exec(
    location.split('?')[0] ?? '',
  );
  if (match === null) return {};
  return { ...(match[2] ? { id: match[2] } : {}), ...(match[3] ? { versionId: match[3] } : {}) };
}

export function searchQuery(params: SearchParams): string {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) {
    if (value === undefined) continue;
    if (typeof value === 'string') query.append(name, value);
    else for (const v of value) query.append(name, v);
  }
  return query.toString();
}

export class FhirClient implements EhrClient {
  readonly endpoint: string;
  readonly counts: FhirClientCounts = {
    requests: 0,
    retries: 0,
    giveUps: 0,
    throttled: 0,
    serverErrors: 0,
    networkErrors: 0,
    reauthentications: 0,
    cacheHits: 0,
    circuitRejections: 0,
  };
  readonly rateLimiter: RateLimiter;
  readonly breaker: CircuitBreaker;
  readonly #base: URL;
  readonly #baseText: string;
  readonly #o: Required<
    Pick<
      FhirClientOptions,
      | 'timeoutMs'
      | 'deadlineMs'
      | 'maxRetries'
      | 'backoffBaseMs'
      | 'backoffCapMs'
      | 'maxResponseBytes'
      | 'cacheTtlMs'
      | 'cacheMaxEntries'
    >
  >;
  readonly #auth: SmartTokenSource | undefined;
  readonly #fetch: typeof fetch;
  readonly #now: () => number;
  readonly #sleep: (ms: number) => Promise<void>;
  readonly #random: () => number;
  readonly #cache = new Map<string, { expires: number; result: HttpResult }>();
  /** Which token a 401 refused (kept out of the error itself so it never reaches a log). */
  readonly #rejectedTokens = new WeakMap<EhrError, string>();

  constructor(options: FhirClientOptions) {
    this.endpoint = options.name;
    this.#baseText = options.baseUrl.replace(/\/+$/, '');
    this.#base = new URL(this.#baseText);
    this.#auth = options.auth;
    this.#fetch = options.fetch ?? fetch;
    this.#now = options.now ?? Date.now;
    this.#sleep = options.sleep ?? sleep;
    this.#random = options.random ?? Math.random;
    this.rateLimiter = options.rateLimiter ?? new RateLimiter({ now: this.#now, sleep: this.#sleep });
    this.breaker = options.breaker ?? new CircuitBreaker({ now: this.#now });
    this.#o = {
      timeoutMs: options.timeoutMs ?? 30_000,
      deadlineMs: options.deadlineMs ?? 60_000,
      maxRetries: options.maxRetries ?? 5,
      backoffBaseMs: options.backoffBaseMs ?? 250,
      backoffCapMs: options.backoffCapMs ?? 10_000,
      maxResponseBytes: options.maxResponseBytes ?? 32 * 1024 * 1024,
      cacheTtlMs: options.cacheTtlMs ?? 30_000,
      cacheMaxEntries: options.cacheMaxEntries ?? 500,
    };
  }

  get baseUrl(): string {
    return this.#baseText;
  }

  async capabilities(options: EhrRequestOptions = {}): Promise<CapabilityStatement> {
    const result = await this.#get(`${this.#baseText}/metadata`, 'capabilities', options);
    const body = result.body as Resource | undefined;
    if (body?.resourceType !== 'CapabilityStatement') {
      throw new EhrError(
        ErrorCode.EhrRejected,
        `${this.endpoint}: /metadata did not return a CapabilityStatement`,
      );
    }
    return body;
  }

  async read<T extends Resource>(
    resourceType: T['resourceType'],
    id: string,
    options: EhrRequestOptions = {},
  ): Promise<T | undefined> {
    if (!/^[A-Za-z0-9\-.]{1,64}$/.test(id)) {
      throw new EhrError(ErrorCode.EhrRejected, `${this.endpoint}: read ${resourceType}: not a FHIR id`);
    }
    try {
      const result = await this.#get(
        `${this.#baseText}/${resourceType}/${id}`,
        `read ${resourceType}`,
        options,
      );
      return result.body as T;
    } catch (error) {
      if (error instanceof EhrError && (error.status === 404 || error.status === 410)) return undefined;
      throw error;
    }
  }

  async *searchPages<T extends Resource>(
    resourceType: T['resourceType'],
    params: SearchParams,
    options: EhrRequestOptions = {},
  ): AsyncIterable<SearchPage<T>> {
    const query = searchQuery(params);
    let url: string | undefined = `${this.#baseText}/${resourceType}${query ? `?${query}` : ''}`;
    const seen = new Set<string>();
    while (url !== undefined) {
      if (seen.has(url)) {
        throw new EhrError(
          ErrorCode.EhrRejected,
          `${this.endpoint}: search ${resourceType}: paging loops back`,
        );
      }
      seen.add(url);
      const result = await this.#get(url, `search ${resourceType}`, options);
      const bundle = result.body as Bundle;
      if (bundle?.resourceType !== 'Bundle') {
        throw new EhrError(
          ErrorCode.EhrRejected,
          `${this.endpoint}: search ${resourceType}: response is not a Bundle`,
        );
      }
      const page: SearchPage<T> = { matches: [], included: [] };
      if (typeof bundle.total === 'number') page.total = bundle.total;
      for (const entry of bundle.entry ?? []) {
        const resource = entry.resource;
        if (resource === undefined) continue;
        const mode = entry.search?.mode;
        if (mode === 'match' || (mode === undefined && resource.resourceType === resourceType)) {
          page.matches.push(resource as T);
        } else if (resource.resourceType !== 'OperationOutcome') {
          page.included.push(resource);
        }
      }
      yield page;
      url = this.#nextLink(bundle, resourceType);
    }
  }

  async searchAll<T extends Resource>(
    resourceType: T['resourceType'],
    params: SearchParams,
    options: EhrRequestOptions & { maxResources?: number } = {},
  ): Promise<SearchPage<T>> {
    const max = options.maxResources ?? 10_000;
    const all: SearchPage<T> = { matches: [], included: [] };
    for await (const page of this.searchPages<T>(resourceType, params, options)) {
      all.matches.push(...page.matches);
      all.included.push(...page.included);
      if (page.total !== undefined) all.total = page.total;
      if (all.matches.length >= max) {
        throw new EhrError(
          ErrorCode.EhrRejected,
          `${this.endpoint}: search ${resourceType}: more than ${max} results; narrow the search`,
        );
      }
    }
    return all;
  }

  /** Follows `next` only on the base's origin and path (a server may not send us, and our token, elsewhere). */
  #nextLink(bundle: Bundle, resourceType: string): string | undefined {
    const next = bundle.link?.find((l) => l.relation === 'next')?.url;
    if (next === undefined) return undefined;
    let url: URL;
    try {
      url = new URL(next, `${this.#baseText}/`);
    } catch {
      throw new EhrError(
        ErrorCode.EhrRejected,
        `${this.endpoint}: search ${resourceType}: next link is not a URL`,
      );
    }
    if (url.origin !== this.#base.origin) {
      throw new EhrError(
        ErrorCode.EhrRejected,
        `${this.endpoint}: search ${resourceType}: next link points to another origin (${url.origin}); not followed`,
      );
    }
    return url.toString();
  }

  async createIfNoneExist<T extends Resource>(
    resource: T,
    criteria: string,
    options: EhrRequestOptions = {},
  ): Promise<WriteOutcome> {
    const type = resource.resourceType;
    if (criteria.trim() === '') {
      throw new EhrError(
        ErrorCode.EhrRejected,
        `${this.endpoint}: create ${type}: If-None-Exist criteria are empty`,
      );
    }
    const result = await this.#send(
      {
        method: 'POST',
        url: `${this.#baseText}/${type}`,
        headers: { 'if-none-exist': criteria, prefer: 'return=representation' },
        body: resource,
        idempotent: true,
        operation: `create ${type}`,
      },
      options,
    );
    return this.#writeOutcome(type, result, result.status === 201 ? 'created' : 'existing');
  }

  async conditionalUpdate<T extends Resource>(
    resource: T,
    criteria: string,
    options: EhrRequestOptions = {},
  ): Promise<WriteOutcome> {
    const type = resource.resourceType;
    if (criteria.trim() === '') {
      throw new EhrError(ErrorCode.EhrRejected, `${this.endpoint}: update ${type}: criteria are empty`);
    }
    const result = await this.#send(
      {
        method: 'PUT',
        url: `${this.#baseText}/${type}?${criteria}`,
        headers: { prefer: 'return=representation' },
        body: resource,
        idempotent: true,
        operation: `update ${type}`,
      },
      options,
    );
    return this.#writeOutcome(type, result, result.status === 201 ? 'created' : 'updated');
  }

  #writeOutcome(resourceType: string, result: HttpResult, outcome: WriteOutcome['outcome']): WriteOutcome {
    const location = parseLocation(result.headers.get('location') ?? result.headers.get('content-location'));
    const body = result.body as Resource | undefined;
    const resource = body !== undefined && body.resourceType === resourceType ? body : undefined;
    const id = resource?.id ?? location.id;
    const versionId = resource?.meta?.versionId ?? location.versionId;
    return {
      outcome,
      status: result.status,
      resourceType,
      ...(id !== undefined ? { id } : {}),
      ...(versionId !== undefined ? { versionId } : {}),
      ...(resource !== undefined ? { resource } : {}),
    };
  }

  async batch(bundle: Bundle, options: EhrRequestOptions = {}): Promise<Bundle> {
    if (bundle.type !== 'batch' && bundle.type !== 'transaction') {
      throw new EhrError(
        ErrorCode.EhrRejected,
        `${this.endpoint}: batch: Bundle.type must be batch or transaction`,
      );
    }
    // Safe to resend only when every entry is: reads, PUTs, and POSTs with If-None-Exist.
    const idempotent = (bundle.entry ?? []).every((e: BundleEntry) => {
      const method = e.request?.method;
      return (
        method === 'GET' || method === 'PUT' || (method === 'POST' && e.request?.ifNoneExist !== undefined)
      );
    });
    const result = await this.#send(
      { method: 'POST', url: this.#baseText, body: bundle, idempotent, operation: bundle.type },
      options,
    );
    const body = result.body as Bundle | undefined;
    if (body?.resourceType !== 'Bundle') {
      throw new EhrError(ErrorCode.EhrRejected, `${this.endpoint}: ${bundle.type}: response is not a Bundle`);
    }
    return body;
  }

  /** A raw GET for the bulk client (status polling) with the same auth, limits and retries. */
  async getRaw(
    url: string,
    headers: Record<string, string>,
    options: EhrRequestOptions = {},
  ): Promise<HttpResult> {
    return this.#send({ method: 'GET', url, headers, idempotent: true, operation: 'bulk' }, options);
  }

  /** Bearer header for streamed downloads (bulk NDJSON), or none for open servers. */
  async authorization(): Promise<Record<string, string>> {
    return this.#auth === undefined ? {} : { authorization: `Bearer ${await this.#auth.get()}` };
  }

  async #get(url: string, operation: string, options: EhrRequestOptions): Promise<HttpResult> {
    const useCache = options.cache !== false && this.#o.cacheTtlMs > 0;
    if (useCache) {
      const hit = this.#cache.get(url);
      if (hit !== undefined && hit.expires > this.#now()) {
        this.counts.cacheHits++;
        return hit.result;
      }
    }
    const result = await this.#send({ method: 'GET', url, idempotent: true, operation }, options);
    if (useCache) {
      if (this.#cache.size >= this.#o.cacheMaxEntries) {
        const oldest = this.#cache.keys().next().value;
        if (oldest !== undefined) this.#cache.delete(oldest);
      }
      this.#cache.set(url, { expires: this.#now() + this.#o.cacheTtlMs, result });
    }
    return result;
  }

  /** Drops cached responses (after a write the caller wants to read back). */
  clearCache(): void {
    this.#cache.clear();
  }

  async #send(init: SendInit, options: EhrRequestOptions): Promise<HttpResult> {
    const deadline = this.#now() + (options.deadlineMs ?? this.#o.deadlineMs);
    const what = `${this.endpoint}: ${init.operation}`;
    let attempt = 0;
    // One re-assertion per rejected token: a token revoked again later in the same call is a new expiry.
    const rejected = new Set<string>();
    for (;;) {
      if (!this.breaker.allow()) {
        this.counts.circuitRejections++;
        this.counts.giveUps++;
        throw new EhrError(
          ErrorCode.EhrUnavailable,
          `${what}: circuit open after repeated failures; next try in ${Math.ceil(this.breaker.retryInMs() / 1000)} s`,
        );
      }
      let failure: RetryableFailure;
      try {
        const result = await this.#attempt(init, deadline, options.signal);
        this.breaker.onSuccess();
        this.rateLimiter.onSuccess();
        return result;
      } catch (error) {
        if (error instanceof EhrError) {
          // The server answered and refused: the endpoint is alive.
          this.breaker.onSuccess();
          const token = this.#rejectedTokens.get(error);
          if (token !== undefined && !rejected.has(token) && rejected.size < 3) {
            rejected.add(token);
            this.counts.reauthentications++;
            continue;
          }
          throw error;
        }
        if (!(error instanceof RetryableFailure)) throw error;
        failure = error;
        if (failure.status === 429) this.breaker.onSuccess();
        else this.breaker.onFailure();
      }
      const canRetry = init.idempotent || failure.status === 429 || failure.status === 503;
      const wait = Math.max(
        failure.retryAfterMs ?? 0,
        backoffMs(attempt, this.#o.backoffBaseMs, this.#o.backoffCapMs, this.#random),
      );
      if (
        !canRetry ||
        attempt >= this.#o.maxRetries ||
        this.#now() + wait >= deadline ||
        options.signal?.aborted
      ) {
        this.counts.giveUps++;
        throw new EhrError(
          ErrorCode.EhrUnavailable,
          `${what}: ${failure.message}${attempt > 0 ? ` (gave up after ${attempt + 1} attempts)` : ''}`,
          { ...(failure.status !== undefined ? { status: failure.status } : {}), cause: failure },
        );
      }
      attempt++;
      this.counts.retries++;
      await this.#sleep(wait);
    }
  }

  async #attempt(init: SendInit, deadline: number, signal: AbortSignal | undefined): Promise<HttpResult> {
    await this.rateLimiter.acquire();
    const headers: Record<string, string> = { accept: FHIR_JSON, ...init.headers };
    let token: string | undefined;
    if (this.#auth !== undefined) {
      try {
        token = await this.#auth.get();
      } catch (error) {
        // A token endpoint that is down (network, 429, 5xx) is retried like any other outage.
        if (error instanceof EhrError && error.retryable) {
          throw new RetryableFailure(`token: ${error.message}`, error.status, undefined, { cause: error });
        }
        throw error;
      }
      headers.authorization = `Bearer ${token}`;
    }
    let body: string | undefined;
    if (init.body !== undefined) {
      headers['content-type'] = FHIR_JSON;
      body = JSON.stringify(init.body);
    }
    const remaining = Math.max(1, deadline - this.#now());
    const timeout = AbortSignal.timeout(Math.min(this.#o.timeoutMs, remaining));
    const combined = signal ? AbortSignal.any([timeout, signal]) : timeout;
    this.counts.requests++;
    let response: Response;
    try {
      response = await this.#fetch(init.url, {
        method: init.method,
        headers,
        signal: combined,
        ...(body !== undefined ? { body } : {}),
      });
    } catch (cause) {
      this.counts.networkErrors++;
      const reason = timeout.aborted ? 'timed out' : signal?.aborted ? 'aborted' : 'network error';
      throw new RetryableFailure(reason, undefined, undefined, { cause });
    }
    this.rateLimiter.onHeaders(response.headers);
    let parsed: unknown;
    try {
      parsed = await this.#readBody(response);
    } catch (error) {
      if (error instanceof EhrError) throw error;
      this.counts.networkErrors++;
      throw new RetryableFailure(
        timeout.aborted ? 'timed out reading the response' : 'connection lost mid-response',
        undefined,
        undefined,
        {
          cause: error,
        },
      );
    }
    const status = response.status;
    if (status === 429) {
      this.counts.throttled++;
      const retryAfter = parseRetryAfter(response.headers.get('retry-after'), this.#now());
      this.rateLimiter.onThrottled(retryAfter);
      throw new RetryableFailure('throttled (HTTP 429)', status, retryAfter);
    }
    if (status >= 500) {
      this.counts.serverErrors++;
      throw new RetryableFailure(
        `HTTP ${status}`,
        status,
        parseRetryAfter(response.headers.get('retry-after'), this.#now()),
      );
    }
    if (status === 401 && token !== undefined) this.#auth?.invalidate(token);
    if (status >= 400) {
      const outcome = isOperationOutcome(parsed) ? parsed : undefined;
      const first = outcome?.issue?.[0];
      const detail = first?.diagnostics ?? first?.details?.text ?? '';
      const error = new EhrError(
        ErrorCode.EhrRejected,
        `${this.endpoint}: ${init.operation}: HTTP ${status}${detail ? ` (${detail.slice(0, 200)})` : ''}`,
        { status, ...(outcome !== undefined ? { outcome } : {}) },
      );
      if (status === 401 && token !== undefined) this.#rejectedTokens.set(error, token);
      throw error;
    }
    return { status, headers: response.headers, body: parsed };
  }

  /** Reads at most maxResponseBytes; parses JSON bodies; empty bodies are undefined. */
  async #readBody(response: Response): Promise<unknown> {
    const declared = Number(response.headers.get('content-length') ?? '0');
    if (declared > this.#o.maxResponseBytes) {
      await response.body?.cancel();
      throw new EhrError(
        ErrorCode.EhrRejected,
        `${this.endpoint}: response of ${declared} bytes exceeds the ${this.#o.maxResponseBytes}-byte limit`,
      );
    }
    if (response.body === null) return undefined;
    const chunks: Uint8Array[] = [];
    let size = 0;
    const reader: ReadableStreamDefaultReader<Uint8Array> = response.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > this.#o.maxResponseBytes) {
        await reader.cancel();
        throw new EhrError(
          ErrorCode.EhrRejected,
          `${this.endpoint}: response exceeds the ${this.#o.maxResponseBytes}-byte limit`,
        );
      }
      chunks.push(value);
    }
    if (size === 0) return undefined;
    const text = Buffer.concat(chunks).toString('utf8');
    try {
      return JSON.parse(text);
    } catch {
      if (response.status >= 400) return undefined;
      throw new EhrError(
        ErrorCode.EhrRejected,
        `${this.endpoint}: response is not JSON (HTTP ${response.status})`,
      );
    }
  }
}
