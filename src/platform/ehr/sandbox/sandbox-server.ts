// The EHR sandbox: a FHIR R4 server to rehearse against before touching a real EHR. SMART Backend Services token
// endpoint (validates assertions by the spec's rules), discovery, CapabilityStatement, search with paging and
// _include/_revinclude/_lastUpdated, conditional create/update, batch/transaction, Bulk Data $export, vendor
// behaviours and configurable faults. Behaviour is documented in docs/ehr.md.
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Bundle, BundleEntry, CapabilityStatement, Resource } from '@medplum/fhirtypes';
import { type ClientJwks, unverifiedIssuer, validateClientAssertion } from './assertion-validator.ts';
import { SandboxData, SearchError, type StoredResource } from './sandbox-data.ts';
import { VENDORS, type SandboxVendor, type SandboxVendorName } from './sandbox-vendors.ts';

export interface SandboxClient {
  clientId: string;
  /** Inline JWKS, or a URL the sandbox fetches (and accepts as `jku`). */
  jwks?: ClientJwks;
  jwksUrl?: string;
  /** Scopes this client may be granted; default `system/*.read system/*.write`. */
  scopes?: string;
}

/** Faults the sandbox injects into FHIR requests (token and discovery requests are left alone). */
export interface SandboxFaults {
  /** Every Nth FHIR request answers 429 with Retry-After. */
  throttleEvery?: number;
  retryAfterSeconds?: number;
  /** Every `burstEvery` requests, the next `burstLength` answer 503 (or 500 when `burstStatus` says so). */
  burstEvery?: number;
  burstLength?: number;
  burstStatus?: number;
  /** Probability [0,1] that a request is held `slowMs` before it is answered. */
  slowProbability?: number;
  slowMs?: number;
  /** Probability [0,1] that the connection is reset instead of answered (after the write is applied, half of the time). */
  resetProbability?: number;
  /** Every Nth FHIR request revokes all access tokens first (token expiry mid-run). */
  expireTokensEvery?: number;
  /** Probability [0,1] that a bulk file download is cut off half-way. */
  bulkCutProbability?: number;
  /** Every Nth subscription notification is not sent (the receiver must notice the gap). */
  dropNotificationEvery?: number;
  /** Next links on a foreign origin (tests that the client refuses them). */
  foreignNextLink?: boolean;
  /** Seed for the fault dice (deterministic runs). */
  seed?: number;
}

export interface SandboxOptions {
  vendor?: SandboxVendorName;
  tenant?: string;
  clients?: SandboxClient[];
  resources?: Iterable<Resource>;
  host?: string;
  port?: number;
  pageSize?: number;
  maxPageSize?: number;
  tokenLifetimeSeconds?: number;
  /** Requests per second per client before 429 (with RateLimit headers); undefined: no limit. */
  rateLimitPerSecond?: number;
  faults?: SandboxFaults;
  /** Status polls a bulk job answers 202 before it completes. Default 2. */
  bulkPollsBeforeReady?: number;
  bulkRetryAfterSeconds?: number;
  /** Resources per bulk NDJSON file. Default 50,000. */
  bulkFileSize?: number;
  /** Serve every bulk export this many times over, each copy with its own ids (benchmarks). Default 1. */
  bulkCopies?: number;
  now?: () => number;
}

export interface SandboxStats {
  requests: number;
  tokenRequests: number;
  tokensIssued: number;
  assertionsRejected: number;
  byStatus: Record<string, number>;
  injected: {
    throttled: number;
    serverErrors: number;
    slow: number;
    resets: number;
    tokenExpiries: number;
    bulkCuts: number;
  };
  creates: number;
  conditionalCreateMatches: number;
  updates: number;
  bulkResourcesServed: number;
}

export interface Sandbox {
  readonly url: string;
  readonly fhirBase: string;
  readonly tokenUrl: string;
  readonly vendor: SandboxVendor;
  readonly data: SandboxData;
  readonly stats: SandboxStats;
  setFaults(faults: SandboxFaults): void;
  /** The origin clients reach the sandbox through (a proxy in front): used in links, discovery and `aud`. */
  setPublicUrl(origin: string): void;
  expireAllTokens(): void;
  /** Resources of a type sharing an identifier value: duplicate writes (0 when conditional create works). */
  duplicateWrites(type: string): number;
  /** Sends a heartbeat (with the event count so far) to every active rest-hook subscription. */
  heartbeat(): Promise<void>;
  /** Notifications sent and dropped (fault), per subscription id. */
  readonly notifications: Map<string, { sent: number; dropped: number; failed: number }>;
  close(): Promise<void>;
}

interface TokenGrant {
  clientId: string;
  scopes: string[];
  expiresAt: number;
}

interface BulkJob {
  id: string;
  clientId: string;
  types: string[];
  since: number | undefined;
  transactionTime: string;
  polls: number;
  cancelled: boolean;
  patientIds: Set<string> | undefined;
  snapshot: Map<string, StoredResource[]>;
  files: Array<{ type: string; firstCopy: number; copies: number; count: number }>;
}

interface PagedSearch {
  type: string;
  params: URLSearchParams;
  matches: StoredResource[];
  expires: number;
}

const FHIR_JSON = 'application/fhir+json; charset=utf-8';
const MAX_BODY_BYTES = 16 * 1024 * 1024;

/** Small deterministic PRNG (mulberry32) for reproducible fault runs. */
function dice(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

function outcome(severity: 'error' | 'warning', code: string, diagnostics: string): Resource {
  return { resourceType: 'OperationOutcome', issue: [{ severity, code: code as 'invalid', diagnostics }] };
}

class HttpProblem extends Error {
  readonly status: number;
  readonly code: string;
  readonly headers: Record<string, string>;
  constructor(status: number, code: string, message: string, headers: Record<string, string> = {}) {
    super(message);
    this.status = status;
    this.code = code;
    this.headers = headers;
  }
}

/** Copy k of a bulk line: every UUID's first 8 hex digits replaced by k, so ids and references stay consistent. */
function copyLine(line: string, copy: number): string {
  if (copy === 0) return line;
  const prefix = copy.toString(16).padStart(8, '0');
  return line.replace(/[0-9a-f]{8}(-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})/g, `${prefix}$1`);
}

/** SMART scope permissions: v1 words (read, write, *) or v2 letters (c r u d s). */
function actionsOf(perm: string): Set<'read' | 'write'> {
  const out = new Set<'read' | 'write'>();
  if (perm === 'read' || perm === '*') out.add('read');
  if (perm === 'write' || perm === '*') out.add('write');
  if (/^c?r?u?d?s?$/.test(perm)) {
    if (/[rs]/.test(perm)) out.add('read');
    if (/[cud]/.test(perm)) out.add('write');
  }
  return out;
}

const SCOPE_PATTERN = /^system\/([A-Za-z]+|\*)\.([a-z*]+)$/;

/** Whether `scopes` allow `action` on `type` (`*` as type: only a wildcard scope covers it). */
function scopeAllows(scopes: readonly string[], type: string, action: 'read' | 'write'): boolean {
  return scopes.some((scope) => {
    const match = SCOPE_PATTERN.exec(scope);
    if (match === null) return false;
    const [, scopeType = '', perm = ''] = match;
    if (scopeType !== '*' && scopeType !== type) return false;
    return actionsOf(perm).has(action);
  });
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new HttpProblem(413, 'too-long', `request body over ${MAX_BODY_BYTES} bytes`));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const vendor = VENDORS[options.vendor ?? 'generic'];
  const tenant = options.tenant ?? 'ec2458f2-1e24-41c8-b71b-0e701af7583d';
  const basePath = vendor.basePath.replace('{tenant}', tenant);
  const tokenPath = vendor.tokenPath.replace('{tenant}', tenant);
  const now = options.now ?? Date.now;
  const data = new SandboxData(now);
  // Subscriptions (R4 rest-hook, notifications shaped by the R4 Subscriptions Backport IG): criteria match by type.
  interface ActiveSubscription {
    id: string;
    type: string;
    endpoint: string;
    headers: Record<string, string>;
    payload: 'full-resource' | 'id-only' | 'empty';
    events: number;
  }
  const subscriptions = new Map<string, ActiveSubscription>();
  const notifications = new Map<string, { sent: number; dropped: number; failed: number }>();
  let notificationNo = 0;
  const pendingNotifications = new Set<Promise<void>>();

  function notificationBundle(sub: ActiveSubscription, kind: string, event?: StoredResource): Bundle {
    const reference =
      event === undefined ? undefined : `${event.resource.resourceType}/${event.resource.id ?? ''}`;
    const status: Resource = {
      resourceType: 'Parameters',
      meta: {
        profile: [
          'http://hl7.org/fhir/uv/subscriptions-backport/StructureDefinition/backport-subscription-status-r4',
        ],
      },
      parameter: [
        { name: 'subscription', valueReference: { reference: `${fhirBase()}/Subscription/${sub.id}` } },
        { name: 'topic', valueCanonical: `urn:rxbridge:sandbox:${sub.type}` },
        { name: 'status', valueCode: 'active' },
        { name: 'type', valueCode: kind },
        { name: 'events-since-subscription-start', valueString: String(sub.events) },
        ...(event === undefined
          ? []
          : [
              {
                name: 'notification-event',
                part: [
                  { name: 'event-number', valueString: String(sub.events) },
                  { name: 'timestamp', valueInstant: new Date(now()).toISOString() },
                  ...(sub.payload !== 'empty' ? [{ name: 'focus', valueReference: { reference } }] : []),
                ],
              },
            ]),
      ],
    } as Resource;
    return {
      resourceType: 'Bundle',
      type: 'history',
      timestamp: new Date(now()).toISOString(),
      entry: [
        {
          fullUrl: `urn:uuid:${randomBytes(16).toString('hex')}`,
          resource: status,
          request: { method: 'GET', url: `Subscription/${sub.id}/$status` },
          response: { status: '200' },
        },
        ...(event !== undefined && sub.payload === 'full-resource'
          ? [
              {
                fullUrl: `${fhirBase()}/${reference ?? ''}`,
                resource: event.resource,
                request: { method: 'PUT' as const, url: reference ?? '' },
                response: { status: '200' },
              },
            ]
          : []),
      ],
    };
  }

  function deliver(sub: ActiveSubscription, bundle: Bundle, droppable: boolean): Promise<void> {
    const counts = notifications.get(sub.id) ?? { sent: 0, dropped: 0, failed: 0 };
    notifications.set(sub.id, counts);
    if (droppable) notificationNo++;
    if (
      droppable &&
      faults.dropNotificationEvery !== undefined &&
      notificationNo % faults.dropNotificationEvery === 0
    ) {
      counts.dropped++;
      return Promise.resolve();
    }
    const sending = fetch(sub.endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/fhir+json', ...sub.headers },
      body: JSON.stringify(bundle),
      signal: AbortSignal.timeout(5000),
    })
      .then(async (response) => {
        await response.body?.cancel();
        if (response.ok) counts.sent++;
        else counts.failed++;
      })
      .catch(() => {
        counts.failed++;
      });
    pendingNotifications.add(sending);
    void sending.finally(() => pendingNotifications.delete(sending));
    return sending;
  }

  data.onWrite = (stored) => {
    if (stored.resource.resourceType === 'Subscription') {
      const s = stored.resource as {
        id?: string;
        criteria?: string;
        status?: string;
        channel?: { type?: string; endpoint?: string; header?: string[]; payload?: string };
      };
      const channel = s.channel;
      if (channel?.type !== 'rest-hook' || channel.endpoint === undefined || s.criteria === undefined) return;
      const headers: Record<string, string> = {};
      for (const h of channel.header ?? []) {
        const colon = h.indexOf(':');
        if (colon > 0) headers[h.slice(0, colon).trim().toLowerCase()] = h.slice(colon + 1).trim();
      }
      const payloadExt = (channel as { _payload?: { extension?: Array<{ valueCode?: string }> } })._payload
        ?.extension?.[0]?.valueCode;
      const sub: ActiveSubscription = {
        id: s.id ?? '',
        type: s.criteria.split('?')[0] ?? '',
        endpoint: channel.endpoint,
        headers,
        payload:
          payloadExt === 'id-only'
            ? 'id-only'
            : channel.payload === undefined
              ? 'empty'
              : payloadExt === 'empty'
                ? 'empty'
                : 'full-resource',
        events: 0,
      };
      subscriptions.set(sub.id, sub);
      void deliver(sub, notificationBundle(sub, 'handshake'), false);
      return;
    }
    for (const sub of subscriptions.values()) {
      if (sub.type !== stored.resource.resourceType) continue;
      sub.events++;
      void deliver(sub, notificationBundle(sub, 'event-notification', stored), true);
    }
  };
  for (const resource of options.resources ?? []) data.load(resource);
  const clients = new Map((options.clients ?? []).map((c) => [c.clientId, c]));
  const rules = new Map(vendor.resources.map((r) => [r.type, r]));
  const pageSize = options.pageSize ?? 50;
  const maxPageSize = options.maxPageSize ?? 1000;
  const tokenLifetime = options.tokenLifetimeSeconds ?? vendor.tokenLifetimeSeconds;
  let faults: SandboxFaults = options.faults ?? {};
  let roll = dice(faults.seed ?? 1);
  const tokens = new Map<string, TokenGrant>();
  const seenJti = new Map<string, number>();
  const jobs = new Map<string, BulkJob>();
  const pages = new Map<string, PagedSearch>();
  const jwksCache = new Map<string, { jwks: ClientJwks; fetched: number }>();
  const lastBulkRequest = new Map<string, number>();
  const rateWindows = new Map<string, { second: number; count: number }>();
  let activeDownloads = 0;
  let fhirRequestNo = 0;
  const stats: SandboxStats = {
    requests: 0,
    tokenRequests: 0,
    tokensIssued: 0,
    assertionsRejected: 0,
    byStatus: {},
    injected: { throttled: 0, serverErrors: 0, slow: 0, resets: 0, tokenExpiries: 0, bulkCuts: 0 },
    creates: 0,
    conditionalCreateMatches: 0,
    updates: 0,
    bulkResourcesServed: 0,
  };

  let origin = '';
  const fhirBase = (): string => `${origin}${basePath}`;
  const tokenUrl = (): string => `${origin}${tokenPath}`;

  function send(
    res: ServerResponse,
    status: number,
    body: unknown,
    headers: Record<string, string> = {},
  ): void {
    stats.byStatus[status] = (stats.byStatus[status] ?? 0) + 1;
    if (res.headersSent || res.destroyed) return;
    const text = body === undefined ? '' : JSON.stringify(body);
    res.writeHead(status, {
      ...(body !== undefined ? { 'content-type': headers['content-type'] ?? FHIR_JSON } : {}),
      'content-length': Buffer.byteLength(text),
      ...headers,
    });
    res.end(text);
  }

  function smartConfiguration(): unknown {
    return {
      issuer: fhirBase(),
      token_endpoint: tokenUrl(),
      token_endpoint_auth_methods_supported: ['private_key_jwt'],
      token_endpoint_auth_signing_alg_values_supported: ['RS384', 'ES384'],
      grant_types_supported: ['client_credentials'],
      scopes_supported: [
        'system/*.read',
        'system/*.write',
        ...vendor.resources.map((r) => `system/${r.type}.read`),
      ],
      capabilities: ['client-confidential-asymmetric', 'permission-v1', 'permission-v2'],
    };
  }

  function capabilityStatement(): CapabilityStatement {
    return {
      resourceType: 'CapabilityStatement',
      status: 'active',
      date: '2026-01-01',
      kind: 'instance',
      fhirVersion: '4.0.1',
      format: ['json'],
      software: { name: vendor.softwareName },
      implementation: { description: `RxBridge EHR sandbox (${vendor.name})`, url: fhirBase() },
      rest: [
        {
          mode: 'server',
          security: {
            service: [
              {
                coding: [
                  {
                    system: 'http://terminology.hl7.org/CodeSystem/restful-security-service',
                    code: 'SMART-on-FHIR',
                  },
                ],
              },
            ],
            extension: [
              {
                url: 'http://fhir-registry.smarthealthit.org/StructureDefinition/oauth-uris',
                extension: [{ url: 'token', valueUri: tokenUrl() }],
              },
            ],
          },
          resource: vendor.resources.map((r) => ({
            type: r.type as 'Patient',
            interaction: [
              { code: 'read' as const },
              { code: 'search-type' as const },
              ...(r.write ? [{ code: 'create' as const }, { code: 'update' as const }] : []),
            ],
            ...(r.write ? { conditionalCreate: true, conditionalUpdate: true } : {}),
            searchParam: r.searchParams.map((name) => ({
              name,
              type: (name === '_lastUpdated'
                ? 'date'
                : [
                      'patient',
                      'subject',
                      'encounter',
                      'medication',
                      'requester',
                      'performer',
                      'target',
                      'recipient',
                    ].includes(name)
                  ? 'reference'
                  : 'token') as 'token',
            })),
            ...(r.type === 'Patient' || r.type === 'Group'
              ? {
                  operation: [
                    {
                      name: 'export',
                      definition: 'http://hl7.org/fhir/uv/bulkdata/OperationDefinition/patient-export',
                    },
                  ],
                }
              : {}),
          })),
          interaction: [{ code: 'batch' }, { code: 'transaction' }],
          operation: [
            { name: 'export', definition: 'http://hl7.org/fhir/uv/bulkdata/OperationDefinition/export' },
          ],
        },
      ],
    };
  }

  async function clientJwks(
    client: SandboxClient,
    jku: string | undefined,
    refresh: boolean,
  ): Promise<ClientJwks> {
    if (jku !== undefined && jku !== client.jwksUrl) {
      throw new HttpProblem(401, 'invalid_client', 'jku is not the JWKS URL registered for this client');
    }
    if (client.jwksUrl === undefined) return client.jwks ?? { keys: [] };
    const cached = jwksCache.get(client.jwksUrl);
    if (cached !== undefined && !refresh && now() - cached.fetched < 60_000) return cached.jwks;
    const response = await fetch(client.jwksUrl, { signal: AbortSignal.timeout(5000) }).catch(
      () => undefined,
    );
    if (response === undefined || !response.ok) {
      throw new HttpProblem(401, 'invalid_client', 'client JWKS could not be fetched');
    }
    const jwks = (await response.json()) as ClientJwks;
    jwksCache.set(client.jwksUrl, { jwks, fetched: now() });
    return jwks;
  }

  async function handleToken(req: IncomingMessage, res: ServerResponse): Promise<void> {
    stats.tokenRequests++;
    const oauthError = (status: number, error: string, description: string): void => {
      stats.assertionsRejected += error === 'invalid_client' ? 1 : 0;
      send(
        res,
        status,
        { error, error_description: description },
        { 'content-type': 'application/json', 'cache-control': 'no-store' },
      );
    };
    if (req.method !== 'POST') return oauthError(405, 'invalid_request', 'use POST');
    if (!(req.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded')) {
      return oauthError(400, 'invalid_request', 'content-type must be application/x-www-form-urlencoded');
    }
    const form = new URLSearchParams(await readBody(req));
    if (form.get('grant_type') !== 'client_credentials') {
      return oauthError(400, 'unsupported_grant_type', 'grant_type must be client_credentials');
    }
    if (form.get('client_assertion_type') !== 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer') {
      return oauthError(400, 'invalid_request', 'client_assertion_type must be jwt-bearer');
    }
    const assertion = form.get('client_assertion') ?? '';
    const scope = form.get('scope') ?? '';
    if (scope.trim() === '') return oauthError(400, 'invalid_scope', 'scope is required');
    const iss = unverifiedIssuer(assertion);
    const client = iss === undefined ? undefined : clients.get(iss);
    if (client === undefined) return oauthError(401, 'invalid_client', 'unknown client');
    let header: { jku?: string; kid?: string };
    try {
      header = JSON.parse(
        Buffer.from(assertion.split('.')[0] ?? '', 'base64url').toString('utf8'),
      ) as typeof header;
    } catch {
      return oauthError(401, 'invalid_client', 'JOSE header is not base64url JSON');
    }
    let jwks: ClientJwks;
    try {
      jwks = await clientJwks(client, header.jku, false);
      if (!jwks.keys.some((k) => k.kid === header.kid) && client.jwksUrl !== undefined) {
        jwks = await clientJwks(client, header.jku, true);
      }
    } catch (error) {
      const p = error as HttpProblem;
      return oauthError(p.status ?? 401, p.code ?? 'invalid_client', p.message);
    }
    const result = validateClientAssertion(assertion, {
      clientId: client.clientId,
      jwks,
      tokenEndpoint: tokenUrl(),
      nowSeconds: Math.floor(now() / 1000),
      seenJti,
    });
    if (!result.ok) return oauthError(401, 'invalid_client', result.error);
    const allowed = (client.scopes ?? 'system/*.read system/*.write').split(/\s+/);
    const requested = scope.split(/\s+/).filter(Boolean);
    const granted = requested.filter((s) => {
      const m = SCOPE_PATTERN.exec(s);
      if (m === null) return false;
      const actions = actionsOf(m[2] ?? '');
      return actions.size > 0 && [...actions].every((a) => scopeAllows(allowed, m[1] ?? '', a));
    });
    if (granted.length === 0)
      return oauthError(400, 'invalid_scope', 'none of the requested scopes is allowed');
    const accessToken = randomBytes(24).toString('base64url');
    tokens.set(accessToken, {
      clientId: client.clientId,
      scopes: granted,
      expiresAt: now() + tokenLifetime * 1000,
    });
    stats.tokensIssued++;
    send(
      res,
      200,
      {
        access_token: accessToken,
        token_type: 'bearer',
        expires_in: tokenLifetime,
        scope: granted.join(' '),
      },
      { 'content-type': 'application/json', 'cache-control': 'no-store' },
    );
  }

  function authorize(req: IncomingMessage): TokenGrant {
    const header = req.headers.authorization ?? '';
    const match = /^Bearer (\S+)$/i.exec(header);
    const grant = match?.[1] === undefined ? undefined : tokens.get(match[1]);
    if (grant === undefined || grant.expiresAt <= now()) {
      if (match?.[1] !== undefined) tokens.delete(match[1]);
      throw new HttpProblem(
        401,
        'login',
        grant === undefined ? 'no valid access token' : 'access token expired',
        {
          'www-authenticate': 'Bearer error="invalid_token"',
        },
      );
    }
    return grant;
  }

  function requireScope(grant: TokenGrant, type: string, action: 'read' | 'write'): void {
    if (!scopeAllows(grant.scopes, type, action)) {
      throw new HttpProblem(403, 'forbidden', `the token's scopes do not allow ${action} of ${type}`);
    }
  }

  function requireType(type: string, write: boolean): void {
    const rule = rules.get(type);
    if (rule === undefined)
      throw new HttpProblem(404, 'not-supported', `resource type ${type} is not supported by this server`);
    if (write && !rule.write)
      throw new HttpProblem(405, 'not-supported', `${type} cannot be written on this server`);
  }

  function rateLimit(clientId: string): void {
    if (options.rateLimitPerSecond === undefined) return;
    const second = Math.floor(now() / 1000);
    const window = rateWindows.get(clientId);
    const current = window?.second === second ? window : { second, count: 0 };
    current.count++;
    rateWindows.set(clientId, current);
    const remaining = options.rateLimitPerSecond - current.count;
    if (remaining < 0) {
      throw new HttpProblem(429, 'throttled', 'rate limit exceeded', {
        'retry-after': '1',
        'ratelimit-limit': String(options.rateLimitPerSecond),
        'ratelimit-remaining': '0',
        'ratelimit-reset': '1',
      });
    }
  }

  function bulkThrottle(clientId: string): void {
    if (vendor.bulkMinIntervalMs === undefined) return;
    const last = lastBulkRequest.get(clientId);
    const at = now();
    if (last !== undefined && at - last < vendor.bulkMinIntervalMs) {
      stats.injected.throttled++;
      throw new HttpProblem(429, 'throttled', 'too many bulk requests', {
        'retry-after': String(Math.ceil(vendor.bulkMinIntervalMs / 1000)),
      });
    }
    lastBulkRequest.set(clientId, at);
  }

  function bundleEntry(stored: StoredResource, mode: 'match' | 'include'): BundleEntry {
    return {
      fullUrl: `${fhirBase()}/${stored.resource.resourceType}/${stored.resource.id ?? ''}`,
      resource: stored.resource,
      search: { mode },
    };
  }

  function searchPage(search: PagedSearch, id: string, offset: number, count: number): Bundle {
    const slice = search.matches.slice(offset, offset + count);
    const included = data.search({ type: search.type, params: includeOnly(search.params, slice) }).included;
    const link: Bundle['link'] = [
      { relation: 'self', url: `${fhirBase()}/${search.type}?${search.params.toString()}` },
    ];
    if (offset + count < search.matches.length) {
      const nextOrigin = faults.foreignNextLink ? 'http://elsewhere.invalid' : origin;
      link.push({
        relation: 'next',
        url: `${nextOrigin}${basePath}?_getpages=${id}&_getpagesoffset=${offset + count}&_count=${count}`,
      });
    }
    return {
      resourceType: 'Bundle',
      type: 'searchset',
      meta: { lastUpdated: new Date(now()).toISOString() },
      total: search.matches.length,
      link,
      entry: [
        ...slice.map((s) => bundleEntry(s, 'match')),
        ...included.map((s) => bundleEntry(s, 'include')),
      ],
    };
  }

  /** Search params that select exactly `slice` and carry the original includes (for per-page includes). */
  function includeOnly(params: URLSearchParams, slice: StoredResource[]): URLSearchParams {
    const out = new URLSearchParams();
    out.set('_id', slice.map((s) => s.resource.id ?? '').join(',') || '\u0000none');
    for (const v of params.getAll('_include')) out.append('_include', v);
    for (const v of params.getAll('_revinclude')) out.append('_revinclude', v);
    return out;
  }

  function runSearch(type: string, params: URLSearchParams): Bundle {
    const rule = rules.get(type);
    if (rule === undefined)
      throw new HttpProblem(404, 'not-supported', `resource type ${type} is not supported by this server`);
    if (vendor.requirePatient && type !== 'Patient' && type !== 'Medication' && type !== 'Group') {
      if (!params.has('patient') && !params.has('subject') && !params.has('_id')) {
        throw new HttpProblem(400, 'required', `${type} search requires a patient parameter on this server`);
      }
    }
    const count = Math.min(maxPageSize, Math.max(1, Number(params.get('_count') ?? pageSize) || pageSize));
    let result;
    try {
      result = data.search({ type, params }, new Set(rule.searchParams));
    } catch (error) {
      if (error instanceof SearchError) throw new HttpProblem(error.status, 'not-supported', error.message);
      throw error;
    }
    const id = randomBytes(9).toString('base64url');
    const search: PagedSearch = { type, params, matches: result.matches, expires: now() + 10 * 60_000 };
    if (result.matches.length > count) pages.set(id, search);
    for (const [key, value] of pages) if (value.expires < now()) pages.delete(key);
    return searchPage(search, id, 0, count);
  }

  function parseResource(body: string, expectedType: string | undefined): Resource {
    let parsed: unknown;
    try {
      parsed = JSON.parse(body);
    } catch {
      throw new HttpProblem(400, 'structure', 'body is not JSON');
    }
    const resource = parsed as Resource;
    if (typeof parsed !== 'object' || parsed === null || typeof resource.resourceType !== 'string') {
      throw new HttpProblem(400, 'structure', 'body is not a FHIR resource (no resourceType)');
    }
    if (expectedType !== undefined && resource.resourceType !== expectedType) {
      throw new HttpProblem(
        400,
        'invalid',
        `resourceType ${resource.resourceType} does not match the URL (${expectedType})`,
      );
    }
    return resource;
  }

  function matchCriteria(type: string, criteria: string): StoredResource[] {
    const params = new URLSearchParams(criteria);
    if ([...params.keys()].length === 0)
      throw new HttpProblem(400, 'invalid', 'conditional criteria are empty');
    try {
      return data.search({ type, params }, new Set(rules.get(type)?.searchParams ?? [])).matches;
    } catch (error) {
      if (error instanceof SearchError) throw new HttpProblem(400, 'invalid', `criteria: ${error.message}`);
      throw error;
    }
  }

  interface WriteResult {
    status: number;
    stored: StoredResource;
  }

  function conditionalCreate(resource: Resource, ifNoneExist: string | undefined): WriteResult {
    requireType(resource.resourceType, true);
    if (ifNoneExist !== undefined) {
      const matches = matchCriteria(resource.resourceType, ifNoneExist);
      if (matches.length > 1)
        throw new HttpProblem(412, 'duplicate', 'If-None-Exist matches more than one resource');
      if (matches[0] !== undefined) {
        stats.conditionalCreateMatches++;
        return { status: 200, stored: matches[0] };
      }
    }
    stats.creates++;
    return { status: 201, stored: data.create(resource, randomBytes(12).toString('hex')) };
  }

  function conditionalUpdate(resource: Resource, criteria: string): WriteResult {
    requireType(resource.resourceType, true);
    const matches = matchCriteria(resource.resourceType, criteria);
    if (matches.length > 1) throw new HttpProblem(412, 'duplicate', 'criteria match more than one resource');
    const id = matches[0]?.resource.id ?? resource.id ?? randomBytes(12).toString('hex');
    if (resource.id !== undefined && matches[0] !== undefined && resource.id !== matches[0].resource.id) {
      throw new HttpProblem(400, 'invalid', 'resource id does not match the resource the criteria found');
    }
    const { stored, created } = data.update(resource, id);
    if (created) stats.creates++;
    else stats.updates++;
    return { status: created ? 201 : 200, stored };
  }

  function writeResponse(res: ServerResponse, result: WriteResult, prefer: string | undefined): void {
    const r = result.stored.resource;
    const location = `${fhirBase()}/${r.resourceType}/${r.id ?? ''}/_history/${result.stored.versionId}`;
    const headers = {
      location,
      etag: `W/"${result.stored.versionId}"`,
      'last-modified': new Date(result.stored.lastUpdated).toUTCString(),
    };
    send(res, result.status, prefer?.includes('return=minimal') ? undefined : r, headers);
  }

  function processBundle(bundle: Bundle): Bundle {
    if (bundle.resourceType !== 'Bundle' || (bundle.type !== 'batch' && bundle.type !== 'transaction')) {
      throw new HttpProblem(400, 'invalid', 'POST to the base takes a batch or transaction Bundle');
    }
    const entries = bundle.entry ?? [];
    const transaction = bundle.type === 'transaction';
    if (transaction) {
      // All or nothing: check every entry before applying any.
      entries.forEach((entry, i) => {
        const method = entry.request?.method;
        const url = entry.request?.url ?? '';
        if (method === 'GET') return;
        if (entry.resource === undefined) throw new HttpProblem(400, 'invalid', `entry ${i}: no resource`);
        const type = url.split('?')[0]?.split('/')[0] ?? '';
        if (type !== entry.resource.resourceType) {
          throw new HttpProblem(400, 'invalid', `entry ${i}: request.url does not match the resource type`);
        }
        requireType(type, true);
        if (
          method === 'POST' &&
          entry.request?.ifNoneExist !== undefined &&
          matchCriteria(type, entry.request.ifNoneExist).length > 1
        ) {
          throw new HttpProblem(412, 'duplicate', `entry ${i}: If-None-Exist matches more than one resource`);
        }
        if (
          method === 'PUT' &&
          url.includes('?') &&
          matchCriteria(type, url.split('?')[1] ?? '').length > 1
        ) {
          throw new HttpProblem(412, 'duplicate', `entry ${i}: criteria match more than one resource`);
        }
        if (method !== 'POST' && method !== 'PUT')
          throw new HttpProblem(400, 'not-supported', `entry ${i}: method ${String(method)} not supported`);
      });
    }
    // urn:uuid fullUrls become the ids the server assigns (transaction reference resolution).
    const assigned = new Map<string, string>();
    const response: BundleEntry[] = [];
    for (const entry of entries) {
      try {
        let resource = entry.resource;
        if (resource !== undefined && assigned.size > 0) {
          let text = JSON.stringify(resource);
          for (const [from, to] of assigned) text = text.split(`"${from}"`).join(`"${to}"`);
          resource = JSON.parse(text) as Resource;
        }
        const method = entry.request?.method;
        const url = entry.request?.url ?? '';
        let result: WriteResult;
        if (method === 'GET') {
          const [path = '', query = ''] = url.split('?');
          const [type = '', id] = path.split('/');
          if (id !== undefined) {
            const found = data.get(type, id);
            if (found === undefined) throw new HttpProblem(404, 'not-found', `${type}/${id} not found`);
            response.push({ resource: found.resource, response: { status: '200 OK' } });
          } else {
            response.push({
              resource: runSearch(type, new URLSearchParams(query)),
              response: { status: '200 OK' },
            });
          }
          continue;
        }
        if (resource === undefined) throw new HttpProblem(400, 'invalid', 'entry has no resource');
        if ((url.split(/[/?]/)[0] ?? '') !== resource.resourceType) {
          throw new HttpProblem(400, 'invalid', 'request.url does not match the resource type');
        }
        if (method === 'POST') result = conditionalCreate(resource, entry.request?.ifNoneExist);
        else if (method === 'PUT' && url.includes('?'))
          result = conditionalUpdate(resource, url.split('?')[1] ?? '');
        else if (method === 'PUT') {
          requireType(resource.resourceType, true);
          const id = url.split('/')[1] ?? '';
          const { stored, created } = data.update(resource, id);
          result = { status: created ? 201 : 200, stored };
        } else throw new HttpProblem(400, 'not-supported', `method ${String(method)} not supported`);
        if (entry.fullUrl?.startsWith('urn:uuid:')) {
          assigned.set(
            entry.fullUrl,
            `${result.stored.resource.resourceType}/${result.stored.resource.id ?? ''}`,
          );
        }
        const r = result.stored.resource;
        response.push({
          response: {
            status: result.status === 201 ? '201 Created' : '200 OK',
            location: `${r.resourceType}/${r.id ?? ''}/_history/${result.stored.versionId}`,
            etag: `W/"${result.stored.versionId}"`,
          },
        });
      } catch (error) {
        if (!(error instanceof HttpProblem) || transaction) throw error;
        response.push({
          response: {
            status: String(error.status),
            outcome: outcome('error', error.code, error.message) as never,
          },
        });
      }
    }
    return {
      resourceType: 'Bundle',
      type: transaction ? 'transaction-response' : 'batch-response',
      entry: response,
    };
  }

  function kickOff(grant: TokenGrant, req: IncomingMessage, url: URL, scopePath: string): void {
    if (!(req.headers.prefer ?? '').includes('respond-async')) {
      throw new HttpProblem(400, 'invalid', 'bulk export needs Prefer: respond-async');
    }
    const format = url.searchParams.get('_outputFormat');
    if (format !== null && !['application/fhir+ndjson', 'application/ndjson', 'ndjson'].includes(format)) {
      throw new HttpProblem(400, 'not-supported', `_outputFormat ${format} is not supported`);
    }
    const sinceRaw = url.searchParams.get('_since');
    const since = sinceRaw === null ? undefined : Date.parse(sinceRaw);
    if (since !== undefined && Number.isNaN(since))
      throw new HttpProblem(400, 'invalid', '_since is not an instant');
    const requested = url.searchParams.get('_type')?.split(',').filter(Boolean);
    const types = (requested ?? data.types()).filter((t) => t !== 'Group');
    for (const type of types) {
      if (!rules.has(type)) throw new HttpProblem(400, 'not-supported', `_type ${type} is not supported`);
      requireScope(grant, type, 'read');
    }
    let patientIds: Set<string> | undefined;
    const groupMatch = /^Group\/([^/]+)$/.exec(scopePath);
    if (groupMatch !== null) {
      const group = data.get('Group', groupMatch[1] ?? '');
      if (group === undefined) throw new HttpProblem(404, 'not-found', 'Group not found');
      const members =
        (group.resource as { member?: Array<{ entity?: { reference?: string } }> }).member ?? [];
      patientIds = new Set(members.map((m) => m.entity?.reference?.split('/').pop() ?? ''));
    }
    const transactionTime = new Date(now()).toISOString();
    const snapshot = new Map<string, StoredResource[]>();
    for (const type of types) {
      const list: StoredResource[] = [];
      for (const stored of data.all(type)) {
        if (since !== undefined && Date.parse(stored.lastUpdated) <= since) continue;
        if (patientIds !== undefined) {
          const refs =
            type === 'Patient'
              ? [`Patient/${stored.resource.id ?? ''}`]
              : [
                  ...((stored.resource as { subject?: { reference?: string } }).subject?.reference
                    ? [(stored.resource as { subject: { reference: string } }).subject.reference]
                    : []),
                  ...((stored.resource as { patient?: { reference?: string } }).patient?.reference
                    ? [(stored.resource as { patient: { reference: string } }).patient.reference]
                    : []),
                ];
          if (!refs.some((r) => patientIds?.has(r.split('/').pop() ?? ''))) continue;
        }
        list.push(stored);
      }
      if (list.length > 0) snapshot.set(type, list);
    }
    const copies = options.bulkCopies ?? 1;
    const fileSize = options.bulkFileSize ?? 50_000;
    const files: BulkJob['files'] = [];
    for (const [type, list] of snapshot) {
      const perFile = Math.max(1, Math.floor(fileSize / list.length));
      for (let first = 0; first < copies; first += perFile) {
        const n = Math.min(perFile, copies - first);
        files.push({ type, firstCopy: first, copies: n, count: n * list.length });
      }
    }
    const id = randomBytes(12).toString('hex');
    jobs.set(id, {
      id,
      clientId: grant.clientId,
      types,
      since,
      transactionTime,
      polls: 0,
      cancelled: false,
      patientIds,
      snapshot,
      files,
    });
    stats.byStatus[202] = (stats.byStatus[202] ?? 0) + 1;
    throw new BulkAccepted(`${fhirBase()}/$export-status/${id}`);
  }

  class BulkAccepted extends Error {
    readonly location: string;
    constructor(location: string) {
      super('accepted');
      this.location = location;
    }
  }

  function exportStatus(grant: TokenGrant, req: IncomingMessage, res: ServerResponse, id: string): void {
    const job = jobs.get(id);
    if (job === undefined || job.clientId !== grant.clientId)
      throw new HttpProblem(404, 'not-found', 'no such export job');
    if (req.method === 'DELETE') {
      jobs.delete(id);
      return send(res, 202, undefined);
    }
    const needed = options.bulkPollsBeforeReady ?? 2;
    if (job.polls < needed) {
      job.polls++;
      return send(res, 202, undefined, {
        'x-progress': `${Math.round((job.polls / (needed + 1)) * 100)}% (building files)`,
        'retry-after': String(options.bulkRetryAfterSeconds ?? 1),
      });
    }
    send(
      res,
      200,
      {
        transactionTime: job.transactionTime,
        request: `${fhirBase()}/$export`,
        requiresAccessToken: true,
        output: job.files.map((f, i) => ({
          type: f.type,
          url: `${fhirBase()}/$export-file/${id}/${i}`,
          count: f.count,
        })),
        error: [],
      },
      { 'content-type': 'application/json', expires: new Date(now() + 3_600_000).toUTCString() },
    );
  }

  async function exportFile(
    grant: TokenGrant,
    res: ServerResponse,
    id: string,
    index: number,
  ): Promise<void> {
    const job = jobs.get(id);
    const file = job?.files[index];
    if (job === undefined || file === undefined || job.clientId !== grant.clientId) {
      throw new HttpProblem(404, 'not-found', 'no such export file');
    }
    if (
      vendor.bulkMaxConcurrentDownloads !== undefined &&
      activeDownloads >= vendor.bulkMaxConcurrentDownloads
    ) {
      stats.injected.throttled++;
      throw new HttpProblem(429, 'throttled', 'too many concurrent downloads', { 'retry-after': '1' });
    }
    const list = job.snapshot.get(file.type) ?? [];
    const lines = list.map((s) => JSON.stringify(s.resource));
    const cutAt =
      faults.bulkCutProbability !== undefined && roll() < faults.bulkCutProbability
        ? Math.floor(file.count / 2)
        : -1;
    activeDownloads++;
    stats.byStatus[200] = (stats.byStatus[200] ?? 0) + 1;
    res.writeHead(200, { 'content-type': 'application/fhir+ndjson' });
    try {
      let buffer = '';
      let sent = 0;
      for (let copy = file.firstCopy; copy < file.firstCopy + file.copies; copy++) {
        for (const line of lines) {
          if (sent === cutAt) {
            stats.injected.bulkCuts++;
            res.write(buffer);
            res.destroy();
            return;
          }
          buffer += `${copyLine(line, copy)}\n`;
          sent++;
          if (buffer.length >= 256 * 1024) {
            const flushed = res.write(buffer);
            buffer = '';
            if (!flushed) await new Promise<void>((resolve) => res.once('drain', resolve));
            if (res.destroyed) return;
          }
        }
      }
      res.end(buffer);
      stats.bulkResourcesServed += sent;
    } finally {
      activeDownloads--;
    }
  }

  async function handleFhir(
    req: IncomingMessage,
    res: ServerResponse,
    url: URL,
    path: string,
  ): Promise<void> {
    const method = req.method ?? 'GET';
    if (path === '/.well-known/smart-configuration' && method === 'GET') {
      return send(res, 200, smartConfiguration(), { 'content-type': 'application/json' });
    }
    if (path === '/metadata' && method === 'GET') return send(res, 200, capabilityStatement());
    fhirRequestNo++;
    const n = fhirRequestNo;
    if (faults.expireTokensEvery !== undefined && n % faults.expireTokensEvery === 0) {
      tokens.clear();
      stats.injected.tokenExpiries++;
    }
    const grant = authorize(req);
    if (faults.slowProbability !== undefined && roll() < faults.slowProbability) {
      stats.injected.slow++;
      await new Promise((resolve) => setTimeout(resolve, faults.slowMs ?? 2000));
    }
    if (faults.throttleEvery !== undefined && n % faults.throttleEvery === 0) {
      stats.injected.throttled++;
      throw new HttpProblem(429, 'throttled', 'too many requests', {
        'retry-after': String(faults.retryAfterSeconds ?? 1),
      });
    }
    if (faults.burstEvery !== undefined && (n - 1) % faults.burstEvery < (faults.burstLength ?? 3)) {
      stats.injected.serverErrors++;
      throw new HttpProblem(faults.burstStatus ?? 503, 'transient', 'service temporarily unavailable');
    }
    const resetRoll = faults.resetProbability !== undefined ? roll() : 1;
    const resetBefore = resetRoll < (faults.resetProbability ?? 0) / 2;
    const resetAfter = !resetBefore && resetRoll < (faults.resetProbability ?? 0);
    if (resetBefore) {
      stats.injected.resets++;
      req.socket.destroy();
      return;
    }
    rateLimit(grant.clientId);
    const segments = path.split('/').filter(Boolean);
    const query = url.searchParams;
    // A response lost after the write was applied: the client's retry must not write twice.
    const respond = (fn: () => void): void => {
      if (resetAfter) {
        stats.injected.resets++;
        req.socket.destroy();
        return;
      }
      fn();
    };

    if (segments.length === 0 && method === 'GET' && query.has('_getpages')) {
      const search = pages.get(query.get('_getpages') ?? '');
      if (search === undefined)
        throw new HttpProblem(410, 'not-found', 'paging session expired; search again');
      requireScope(grant, search.type, 'read');
      const offset = Number(query.get('_getpagesoffset') ?? 0);
      const count = Math.min(maxPageSize, Number(query.get('_count') ?? pageSize) || pageSize);
      return respond(() => send(res, 200, searchPage(search, query.get('_getpages') ?? '', offset, count)));
    }
    if (segments.length === 0 && method === 'POST') {
      const bundle = parseResource(await readBody(req), 'Bundle') as Bundle;
      for (const e of bundle.entry ?? []) {
        const type = (e.request?.url ?? '').split(/[/?]/)[0] ?? '';
        requireScope(grant, type, e.request?.method === 'GET' ? 'read' : 'write');
      }
      const result = processBundle(bundle);
      return respond(() => send(res, 200, result));
    }
    const exportAt = segments.indexOf('$export');
    if (exportAt !== -1 && (method === 'GET' || method === 'POST')) {
      bulkThrottle(grant.clientId);
      try {
        kickOff(grant, req, url, segments.slice(0, exportAt).join('/'));
      } catch (error) {
        if (error instanceof BulkAccepted) {
          res.writeHead(202, { 'content-location': error.location, 'content-length': 0 });
          res.end();
          return;
        }
        throw error;
      }
    }
    if (segments[0] === '$export-status' && segments[1] !== undefined) {
      bulkThrottle(grant.clientId);
      return exportStatus(grant, req, res, segments[1]);
    }
    if (segments[0] === '$export-file' && segments[1] !== undefined && method === 'GET') {
      return exportFile(grant, res, segments[1], Number(segments[2] ?? -1));
    }
    const [type = '', id, extra] = segments;
    if (!/^[A-Z][A-Za-z]+$/.test(type)) throw new HttpProblem(404, 'not-found', 'unknown path');
    if (method === 'GET' && id === undefined) {
      requireScope(grant, type, 'read');
      const bundle = runSearch(type, query);
      return respond(() => send(res, 200, bundle));
    }
    if (method === 'POST' && id === '_search') {
      requireScope(grant, type, 'read');
      const form = new URLSearchParams(await readBody(req));
      for (const [k, v] of query) form.append(k, v);
      const bundle = runSearch(type, form);
      return respond(() => send(res, 200, bundle));
    }
    if (method === 'GET' && id !== undefined && extra === undefined) {
      requireScope(grant, type, 'read');
      requireType(type, false);
      const found = data.get(type, id);
      if (found === undefined) throw new HttpProblem(404, 'not-found', `${type}/${id} not found`);
      return respond(() =>
        send(res, 200, found.resource, {
          etag: `W/"${found.versionId}"`,
          'last-modified': new Date(found.lastUpdated).toUTCString(),
        }),
      );
    }
    if (method === 'POST' && id === undefined) {
      requireScope(grant, type, 'write');
      const resource = parseResource(await readBody(req), type);
      const ifNoneExist = req.headers['if-none-exist'];
      const result = conditionalCreate(resource, typeof ifNoneExist === 'string' ? ifNoneExist : undefined);
      return respond(() => writeResponse(res, result, String(req.headers.prefer ?? '')));
    }
    if (method === 'PUT') {
      requireScope(grant, type, 'write');
      const resource = parseResource(await readBody(req), type);
      let result: WriteResult;
      if (id === undefined) {
        result = conditionalUpdate(resource, url.search.slice(1));
      } else {
        requireType(type, true);
        if (resource.id !== id) throw new HttpProblem(400, 'invalid', 'resource id does not match the URL');
        const { stored, created } = data.update(resource, id);
        if (created) stats.creates++;
        else stats.updates++;
        result = { status: created ? 201 : 200, stored };
      }
      return respond(() => writeResponse(res, result, String(req.headers.prefer ?? '')));
    }
    throw new HttpProblem(405, 'not-supported', `${method} is not supported here`);
  }

  const server: Server = createServer((req, res) => {
    stats.requests++;
    const url = new URL(req.url ?? '/', 'http://sandbox.invalid');
    const path = url.pathname;
    const handle = async (): Promise<void> => {
      if (path === tokenPath) return handleToken(req, res);
      if (path === basePath || path.startsWith(`${basePath}/`)) {
        return handleFhir(req, res, url, path.slice(basePath.length) || '/');
      }
      throw new HttpProblem(404, 'not-found', 'unknown path');
    };
    handle().catch((error: unknown) => {
      if (error instanceof HttpProblem) {
        send(res, error.status, outcome('error', error.code, error.message), error.headers);
      } else {
        send(res, 500, outcome('error', 'exception', 'internal sandbox error'));
      }
    });
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const address = server.address() as AddressInfo;
  origin = `http://${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}`;

  const listenOrigin = origin;
  return {
    url: listenOrigin,
    get fhirBase() {
      return fhirBase();
    },
    get tokenUrl() {
      return tokenUrl();
    },
    vendor,
    data,
    stats,
    setFaults(next: SandboxFaults) {
      faults = next;
      roll = dice(next.seed ?? 1);
      fhirRequestNo = 0;
    },
    expireAllTokens() {
      tokens.clear();
    },
    setPublicUrl(url: string) {
      origin = url.replace(/\/+$/, '');
    },
    duplicateWrites: (type: string) => data.duplicateIdentifiers(type),
    notifications,
    async heartbeat() {
      await Promise.all([...pendingNotifications]);
      await Promise.all(
        [...subscriptions.values()].map((s) => deliver(s, notificationBundle(s, 'heartbeat'), false)),
      );
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
