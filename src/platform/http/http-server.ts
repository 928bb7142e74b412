// The Fastify server: health, readiness, metrics, OperationOutcome errors, authentication before body parsing, and
// a declared access policy on every route.
import { readFile } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';
import Fastify, { type FastifyInstance, type FastifyReply } from 'fastify';
import { Counter } from 'prom-client';
import type { OperationOutcome } from '@medplum/fhirtypes';
import { ErrorCode } from '../../kernel/errors.ts';
import type { Issue } from '../../kernel/result.ts';
import type { Authenticator } from '../../governance/auth/authenticator.ts';
import {
  can,
  canSeeSite,
  isPermission,
  type Permission,
  type Principal,
} from '../../governance/rbac/roles.ts';
import type { Logger } from '../log/logger.ts';
import type { EngineMetrics } from '../metrics/metrics.ts';
import { registerSessionRoutes } from './session-routes.ts';

/**
 * Who may call a route, declared on every route (`config: { policy }`); the server refuses a route without one.
 * `public`: no patient data and no secrets (health, metrics, static UI, sign-in). `signedIn`: any authenticated
 * principal. Otherwise the permission the caller's roles (and, for API keys, scopes) must grant; `phi` marks routes
 * that read or change patient data (audited, refused when the audit write fails).
 */
export type RoutePolicy =
  | { readonly public: true }
  | { readonly signedIn: true }
  | { readonly permission: Permission; readonly phi: boolean };

export const PUBLIC: RoutePolicy = { public: true };
export const SIGNED_IN: RoutePolicy = { signedIn: true };

declare module 'fastify' {
  interface FastifyContextConfig {
    policy?: RoutePolicy;
  }
  interface FastifyRequest {
    /** Set by the authentication hook before any body is parsed; absent on public routes. */
    principal?: Principal;
  }
}

export function isRoutePolicy(value: unknown): value is RoutePolicy {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  if (v.public === true || v.signedIn === true) return Object.keys(v).length === 1;
  return typeof v.permission === 'string' && isPermission(v.permission) && typeof v.phi === 'boolean';
}

export interface RegisteredRoute {
  method: string;
  url: string;
  policy: RoutePolicy;
}

const ROUTES = new WeakMap<FastifyInstance, RegisteredRoute[]>();

/** Every route registered on the server with its policy (the security suite enumerates these). */
export function registeredRoutes(app: FastifyInstance): readonly RegisteredRoute[] {
  return ROUTES.get(app) ?? [];
}

export interface ReadinessCheck {
  name: string;
  check: () => Promise<void>;
}

export interface HttpServerOptions {
  logger: Logger;
  metrics: EngineMetrics;
  bodyLimitBytes: number;
  readiness: ReadinessCheck[];
  /** Folder of the web app's static files (index.html...). */
  webRoot?: string;
  /** Resolves who is calling; runs in `onRequest`, before any body is parsed. */
  auth: Authenticator;
  /** TLS (HTTPS, 1.2 minimum) when given. */
  https?: { cert: Buffer; key: Buffer };
}

export function operationOutcome(issues: Issue[]): OperationOutcome {
  return {
    resourceType: 'OperationOutcome',
    issue: issues.map((i) => ({
      severity: i.severity === 'information' ? 'information' : i.severity,
      code: i.code,
      diagnostics: i.message,
      ...(i.path ? { expression: [i.path] } : {}),
    })),
  };
}

export function sendIssue(reply: FastifyReply, status: number, issue: Issue): FastifyReply {
  return reply
    .code(status)
    .type('application/fhir+json')
    .send(operationOutcome([issue]));
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
};

export function createHttpServer(options: HttpServerOptions): FastifyInstance {
  const app = (options.https
    ? Fastify({
        logger: false,
        bodyLimit: options.bodyLimitBytes,
        https: { ...options.https, minVersion: 'TLSv1.2' },
      })
    : Fastify({ logger: false, bodyLimit: options.bodyLimitBytes })) as unknown as FastifyInstance;
  const routes: RegisteredRoute[] = [];
  ROUTES.set(app, routes);

  app.addHook('onRoute', (route) => {
    const policy: unknown = route.config?.policy;
    if (!isRoutePolicy(policy)) {
      throw new Error(`route ${String(route.method)} ${route.url} has no declared access policy`);
    }
    for (const method of [route.method].flat()) {
      if (method !== 'HEAD') routes.push({ method: String(method), url: route.url, policy });
    }
  });

  // Bodies that reach parsing, by route policy (public / authenticated): the security suite checks that no
  // unauthenticated request to a protected route ever gets here.
  const bodiesParsed =
    (options.metrics.registry.getSingleMetric('rxbridge_http_bodies_parsed_total') as
      Counter<'policy'> | undefined) ??
    new Counter({
      name: 'rxbridge_http_bodies_parsed_total',
      help: 'Request bodies handed to a parser, by route policy (public or authenticated)',
      labelNames: ['policy'],
      registers: [options.metrics.registry],
    });
  app.addHook('preParsing', async (request, _reply, payload) => {
    const policy = request.routeOptions.config?.policy;
    bodiesParsed.inc({
      policy: policy === undefined ? 'none' : 'public' in policy ? 'public' : 'authenticated',
    });
    return payload;
  });

  // Authentication and authorization before anything reads the body (Fastify parses bodies after onRequest).
  app.addHook('onRequest', async (request, reply) => {
    const policy = request.routeOptions.config?.policy;
    // No route here: answer 404 now, so an unknown URL never gets a body parsed either.
    if (policy === undefined) {
      return sendIssue(reply, 404, {
        severity: 'error',
        code: 'not-found',
        path: request.url.split('?')[0] ?? '',
        message: 'no such route',
      });
    }
    if ('public' in policy) return undefined;
    const principal = await options.auth.authenticate({
      cookie: request.headers.cookie,
      authorization: request.headers.authorization,
      path: request.url,
    });
    if (!principal) {
      reply.header('www-authenticate', 'Bearer, ApiKey');
      return sendIssue(reply, 401, {
        severity: 'error',
        code: 'security',
        path: '',
        message: 'authentication required: sign in, or send an API key or bearer token',
      });
    }
    // Cookie sessions: an unsafe request must come from our own origin (SameSite=Strict is the first guard).
    if (
      request.headers.authorization === undefined &&
      !['GET', 'HEAD', 'OPTIONS'].includes(request.method) &&
      !sameOrigin(request.headers.origin, request.headers.host)
    ) {
      return sendIssue(reply, 403, {
        severity: 'error',
        code: 'security',
        path: 'Origin',
        message: 'a signed-in change must come from the RxBridge web app itself',
      });
    }
    if ('permission' in policy && !can(principal, policy.permission)) {
      return sendIssue(reply, 403, {
        severity: 'error',
        code: 'security',
        path: '',
        message: `this needs the ${policy.permission} permission, which your roles do not grant`,
      });
    }
    request.principal = principal;
    return undefined;
  });

  // Site scoping, enforced once for every PHI route: an object carrying `site` (null: the default site) that the
  // caller may not see is not found, and is left out of lists. Routes should also filter in their queries.
  app.addHook('preSerialization', async (request, reply, payload: unknown) => {
    const policy = request.routeOptions.config?.policy;
    const principal = request.principal;
    if (!policy || !('permission' in policy) || !policy.phi || !principal) return payload;
    if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) return payload;
    const now = new Date();
    const hidden = (o: unknown): boolean =>
      typeof o === 'object' &&
      o !== null &&
      'site' in o &&
      !canSeeSite(principal, o.site as string | null, now, options.auth.settings.defaultSite);
    if (hidden(payload)) {
      reply.code(404);
      return operationOutcome([{ severity: 'error', code: 'not-found', path: 'id', message: 'not found' }]);
    }
    let changed = false;
    const out: Record<string, unknown> = { ...(payload as Record<string, unknown>) };
    for (const [key, value] of Object.entries(out)) {
      if (Array.isArray(value) && value.some(hidden)) {
        out[key] = value.filter((v) => !hidden(v));
        changed = true;
      }
    }
    return changed ? out : payload;
  });

  app.addHook('onSend', async (request, reply, payload) => {
    if (request.protocol === 'https') reply.header('strict-transport-security', 'max-age=31536000');
    reply.header('x-content-type-options', 'nosniff');
    reply.header('referrer-policy', 'no-referrer');
    reply.header(
      'content-security-policy',
      "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; frame-ancestors 'none'; base-uri 'none'",
    );
    return payload;
  });

  app.setErrorHandler((error: { statusCode?: number; code?: string; message?: string }, request, reply) => {
    if (error.code === ErrorCode.AuditUnavailable) {
      // No audit entry, no patient data: the response is refused rather than sent unrecorded.
      options.logger.error({ route: request.routeOptions.url, method: request.method }, 'audit write failed');
      return sendIssue(reply, 503, {
        severity: 'error',
        code: 'transient',
        path: '',
        message: 'the audit log is unavailable, so the data is withheld; try again shortly',
      });
    }
    const status = typeof error.statusCode === 'number' && error.statusCode >= 400 ? error.statusCode : 500;
    if (status >= 500) {
      options.logger.error(
        { err: error, route: request.routeOptions.url, method: request.method },
        'request failed',
      );
      return sendIssue(reply, status, {
        severity: 'error',
        code: 'exception',
        path: '',
        message: 'internal error; see the server log',
      });
    }
    // Client errors (bad JSON, body too large, validation): say what, never how it failed inside.
    return sendIssue(reply, status, {
      severity: 'error',
      code: status === 413 ? 'too-long' : 'invalid',
      path: '',
      message: error.message ?? 'bad request',
    });
  });

  app.setNotFoundHandler((request, reply) =>
    sendIssue(reply, 404, {
      severity: 'error',
      code: 'not-found',
      path: request.url.split('?')[0] ?? '',
      message: 'no such route',
    }),
  );

  app.get('/healthz', { config: { policy: PUBLIC } }, () => ({ status: 'ok' }));

  app.get('/readyz', { config: { policy: PUBLIC } }, async (_request, reply) => {
    const results = await Promise.all(
      options.readiness.map(async (r) => {
        try {
          await withTimeout(r.check(), 2000);
          return { name: r.name, ok: true };
        } catch {
          return { name: r.name, ok: false };
        }
      }),
    );
    const ready = results.every((r) => r.ok);
    return reply.code(ready ? 200 : 503).send({ status: ready ? 'ready' : 'not-ready', checks: results });
  });

  app.get('/metrics', { config: { policy: PUBLIC } }, async (_request, reply) => {
    const body = await options.metrics.registry.metrics();
    return reply.type(options.metrics.registry.contentType).send(body);
  });

  registerSessionRoutes(app, options.auth);

  if (options.webRoot !== undefined) {
    const root = options.webRoot;
    const serve = async (file: string, reply: FastifyReply): Promise<FastifyReply> => {
      const safe = normalize(file).replace(/^(\.\.(\/|\\|$))+/, '');
      try {
        const body = await readFile(join(root, safe));
        return reply.type(CONTENT_TYPES[extname(safe)] ?? 'application/octet-stream').send(body);
      } catch {
        return sendIssue(reply, 404, {
          severity: 'error',
          code: 'not-found',
          path: file,
          message: 'no such file',
        });
      }
    };
    app.get('/', { config: { policy: PUBLIC } }, (_request, reply) => serve('index.html', reply));
    app.get<{ Params: { file: string } }>('/static/:file', { config: { policy: PUBLIC } }, (request, reply) =>
      serve(request.params.file, reply),
    );
  }

  return app;
}

/** No Origin header (same-origin navigation, non-browser clients) or one whose host is ours. */
function sameOrigin(origin: string | undefined, host: string | undefined): boolean {
  if (origin === undefined) return true;
  try {
    return new URL(origin).host === host;
  } catch {
    return false;
  }
}

async function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error('timed out')), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}
