// Sign-in for the web app: POST /api/session (password + TOTP) sets an HttpOnly SameSite=Strict cookie,
// GET shows who is signed in, DELETE signs out. Failures never say which part was wrong.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { parseCookies, SESSION_COOKIE, type Authenticator } from '../../governance/auth/authenticator.ts';
import type { Principal } from '../../governance/rbac/roles.ts';
import { PUBLIC, SIGNED_IN, sendIssue } from './http-server.ts';

const LoginBody = z.strictObject({
  username: z.string().min(1).max(100),
  password: z.string().min(1).max(200),
  totp: z
    .string()
    .regex(/^\d{6}$/)
    .optional(),
});

/** Failed sign-ins per username and per client address within the window before further tries are refused. */
const MAX_FAILURES = 5;
const FAILURE_WINDOW_MS = 15 * 60_000;

export function userJson(p: Principal): {
  user: { id: string; name: string; roles: string[]; sites: string[] };
} {
  return { user: { id: p.id, name: p.name, roles: [...p.roles], sites: [...p.sites] } };
}

function cookie(value: string, maxAgeSeconds: number, secure: boolean): string {
  return `${SESSION_COOKIE}=${value}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${maxAgeSeconds}${secure ? '; Secure' : ''}`;
}

function refused(reply: FastifyReply): FastifyReply {
  return sendIssue(reply, 401, {
    severity: 'error',
    code: 'security',
    path: '',
    message: 'sign-in failed: check the username, password and authenticator code',
  });
}

export function registerSessionRoutes(app: FastifyInstance, auth: Authenticator): void {
  const failures = new Map<string, number[]>();
  const tooMany = (key: string, now: number): boolean =>
    (failures.get(key) ?? []).filter((t) => now - t < FAILURE_WINDOW_MS).length >= MAX_FAILURES;
  const fail = (key: string, now: number): void => {
    const list = (failures.get(key) ?? []).filter((t) => now - t < FAILURE_WINDOW_MS);
    list.push(now);
    failures.set(key, list);
  };

  app.post(
    '/api/session',
    { config: { policy: PUBLIC }, bodyLimit: 4096 },
    async (request: FastifyRequest, reply: FastifyReply) => {
      const body = LoginBody.safeParse(request.body);
      if (!body.success) return refused(reply);
      const now = Date.now();
      const keys = [`u:${body.data.username}`, `ip:${request.ip}`];
      if (keys.some((k) => tooMany(k, now))) return refused(reply);
      const result = await auth.login(
        body.data.username,
        body.data.password,
        body.data.totp,
        `POST /api/session`,
      );
      if (!result) {
        for (const k of keys) fail(k, now);
        return refused(reply);
      }
      failures.delete(keys[0] as string);
      // A session id from before sign-in is never reused (fixation): the old one, if any, ends here.
      const old = parseCookies(request.headers.cookie).get(SESSION_COOKIE);
      if (old !== undefined) await auth.logout(old);
      const maxAge = Math.floor(auth.settings.sessionAbsoluteMs / 1000);
      reply.header('set-cookie', cookie(result.token, maxAge, request.protocol === 'https'));
      reply.header('cache-control', 'no-store');
      return userJson(result.principal);
    },
  );

  app.get('/api/session', { config: { policy: SIGNED_IN } }, (request, reply) => {
    reply.header('cache-control', 'no-store');
    return userJson(request.principal as Principal);
  });

  app.delete('/api/session', { config: { policy: SIGNED_IN } }, async (request, reply) => {
    const token = parseCookies(request.headers.cookie).get(SESSION_COOKIE);
    if (token !== undefined) await auth.logout(token);
    reply.header('set-cookie', cookie('', 0, request.protocol === 'https'));
    reply.header('clear-site-data', '"cache", "storage"');
    return reply.code(204).send();
  });
}
