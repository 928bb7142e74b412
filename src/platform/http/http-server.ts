// The Fastify server: health, readiness, metrics, OperationOutcome errors, and a declared access policy on every route.
import { readFile } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';
import Fastify, { type FastifyInstance, type FastifyReply } from 'fastify';
import type { OperationOutcome } from '@medplum/fhirtypes';
import type { Issue } from '../../kernel/result.ts';
import type { Logger } from '../log/logger.ts';
import type { EngineMetrics } from '../metrics/metrics.ts';

/**
 * Who may call a route. `public`: no patient data (health, metrics, static UI). `phi`: reads or changes patient
 * data and is audited. Enforcement by role arrives with the governance issue; the declaration is required now.
 */
export type RouteAccess = 'public' | 'phi';

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: RouteAccess;
  }
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
  const app = Fastify({
    logger: false,
    bodyLimit: options.bodyLimitBytes,
  });

  app.addHook('onRoute', (route) => {
    const access = route.config?.access;
    if (access !== 'public' && access !== 'phi') {
      throw new Error(`route ${String(route.method)} ${route.url} has no declared access policy`);
    }
  });

  app.addHook('onSend', async (_request, reply, payload) => {
    reply.header('x-content-type-options', 'nosniff');
    reply.header('referrer-policy', 'no-referrer');
    reply.header(
      'content-security-policy',
      "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; frame-ancestors 'none'; base-uri 'none'",
    );
    return payload;
  });

  app.setErrorHandler((error: { statusCode?: number; code?: string; message?: string }, request, reply) => {
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

  app.get('/healthz', { config: { access: 'public' } }, () => ({ status: 'ok' }));

  app.get('/readyz', { config: { access: 'public' } }, async (_request, reply) => {
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

  app.get('/metrics', { config: { access: 'public' } }, async (_request, reply) => {
    const body = await options.metrics.registry.metrics();
    return reply.type(options.metrics.registry.contentType).send(body);
  });

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
    app.get('/', { config: { access: 'public' } }, (_request, reply) => serve('index.html', reply));
    app.get<{ Params: { file: string } }>(
      '/static/:file',
      { config: { access: 'public' } },
      (request, reply) => serve(request.params.file, reply),
    );
  }

  return app;
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
