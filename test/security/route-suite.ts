// S1–S3 suite (used by routes.test.ts and run.ts) against the real engine (SQLite file, real HTTP): every route enumerated from the router × {anonymous,
// each role, another site's user}; unauthenticated floods refused before any body is parsed; every PHI read
// audited exactly once, and refused when the audit cannot be written.
import { request as httpRequest } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigSchema } from '../../src/config/config-schema.ts';
import { ROLES, can, type Principal } from '../../src/governance/rbac/roles.ts';
import { startEngine, type Engine } from '../../src/main.ts';
import type { RegisteredRoute } from '../../src/platform/http/http-server.ts';
import { silentLogger } from '../../src/platform/log/logger.ts';
import { apiKeyHeader, seedApiKey, seedUser, sessionCookie } from '../support/auth.ts';

export interface RouteFigures {
  routes: number;
  publicRoutes: number;
  matrixCalls: number;
  matrixViolations: string[];
  crossSiteReads: number;
  crossSiteLeaks: string[];
  floodRequests: number;
  flood401: number;
  bodiesParsedUnauthenticated: number;
  phiReads: number;
  phiReadsWithOneEntry: number;
  phiAuditProblems: string[];
  auditDownRefused: number;
  auditDownTried: number;
  floodProblems: string[];
  auditDownProblems: string[];
}

interface Caller {
  label: string;
  headers: Record<string, string>;
  principal: Pick<Principal, 'roles' | 'scopes'>;
  actor: string;
}

const SITE = 'main';

/** Starts an engine, seeds callers and objects, runs the S1–S3 checks; returns the figures. */
export async function runRouteSuite(): Promise<RouteFigures> {
  const dir = mkdtempSync(join(tmpdir(), 'rxb-s1-'));
  const config = ConfigSchema.parse({
    store: `sqlite:${join(dir, 'rxbridge.db')}`,
    http: { host: '127.0.0.1', port: 0 },
    mllp: { listeners: [{ name: 'default', host: '127.0.0.1', port: 0 }] },
    worker: { pollMs: 50 },
    log: { level: 'silent' },
  });
  const engine: Engine = await startEngine({ config, logger: silentLogger });
  try {
    return await suite(engine);
  } finally {
    await engine.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function suite(engine: Engine): Promise<RouteFigures> {
  const base = engine.httpUrl!.replace('localhost', '127.0.0.1');
  const auth = engine.security.auth;
  const callers: Caller[] = [];
  for (const role of ROLES) {
    if (role === 'system') {
      const key = await seedApiKey(auth, { roles: ['system'], sites: [SITE] });
      callers.push({
        label: role,
        headers: apiKeyHeader(key),
        principal: { roles: [role] },
        actor: 'api-key:',
      });
      continue;
    }
    const user = await seedUser(auth, { role, site: SITE });
    callers.push({
      label: role,
      headers: { cookie: await sessionCookie(base, user) },
      principal: { roles: [role] },
      actor: `user:${user.id}`,
    });
  }
  const northPharmacist = await seedUser(auth, { role: ['pharmacist'], site: 'north' });
  const northEngineer = await seedUser(auth, { role: ['integration-engineer'], site: 'north' });
  const north = {
    pharmacist: { cookie: await sessionCookie(base, northPharmacist) },
    engineer: { cookie: await sessionCookie(base, northEngineer) },
  };

  // Objects of two sites.
  const appended = await engine.store.messages.append({
    channel: 'mllp:default',
    format: 'hl7v2',
    idempotencyKey: 'S1|A|1',
    partitionKey: 'MRN-S1^^^GENHOSP',
    raw: Buffer.from(
      'MSH|^~\\&|A|B|C|D|20260101||ADT^A03|S1|P|2.5.1\rPID|||MRN-S1^^^GENHOSP||Testperson^Alpha',
    ),
  });
  const mainTask = (
    await engine.store.tasks.create({
      key: 's1-main',
      type: 'discharge-reconciliation',
      priority: 'high',
      site: SITE,
      patient: { display: 'Alpha Testperson', sourceIdentifier: 'MRN-S1^^^GENHOSP' },
      payload: { items: [] },
    })
  ).task;
  const northTask = (
    await engine.store.tasks.create({
      key: 's1-north',
      type: 'discharge-reconciliation',
      priority: 'high',
      site: 'north',
      patient: { display: 'Beta Northperson', sourceIdentifier: 'MRN-N1^^^NORTHHOSP' },
      payload: { items: [] },
    })
  ).task;
  // Let the pipeline settle the message so its audit entries do not mix with the counts below.
  for (let i = 0; i < 100; i++) {
    const m = await engine.store.messages.get(appended.id);
    if (m && !['received', 'normalized', 'extracted', 'evaluated'].includes(m.state)) break;
    await new Promise((r) => setTimeout(r, 50));
  }

  const routes: readonly RegisteredRoute[] = engine.httpRoutes;
  const urlOf = (r: RegisteredRoute): string =>
    r.url
      .replace(/\/api\/tasks\/:id/, `/api/tasks/${mainTask.id}`)
      .replace(/\/api\/messages\/:id/, `/api/messages/${appended.id}`)
      .replace(/:patient/, 'MRN-S1^^^GENHOSP')
      .replace(/:[A-Za-z]+/g, 'x')
      .replace(/\*/g, 'x');
  const call = async (method: string, url: string, headers: Record<string, string>, body?: unknown) => {
    const res = await fetch(`${base}${url}`, {
      method,
      headers: { ...headers, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const text = await res.text();
    return { status: res.status, text };
  };

  // ---- S1: the matrix ----------------------------------------------------------------------------------------
  const figures: RouteFigures = {
    routes: routes.length,
    publicRoutes: routes.filter((r) => 'public' in r.policy).length,
    matrixCalls: 0,
    matrixViolations: [],
    crossSiteReads: 0,
    crossSiteLeaks: [],
    floodRequests: 0,
    flood401: 0,
    bodiesParsedUnauthenticated: 0,
    phiReads: 0,
    phiReadsWithOneEntry: 0,
    phiAuditProblems: [],
    auditDownRefused: 0,
    auditDownTried: 0,
    floodProblems: [],
    auditDownProblems: [],
  };
  const guarded = routes.filter((r) => !('public' in r.policy));
  const bodyFor = (m: string) => (m === 'GET' || m === 'DELETE' ? undefined : {});
  for (const r of guarded) {
    const url = urlOf(r);
    const anon = await call(r.method, url, {}, bodyFor(r.method));
    figures.matrixCalls += 1;
    if (anon.status !== 401) figures.matrixViolations.push(`anonymous ${r.method} ${r.url} → ${anon.status}`);
    if (r.url === '/api/session') continue; // signing out would end the callers' sessions
    for (const c of callers) {
      const res = await call(r.method, url, c.headers, bodyFor(r.method));
      figures.matrixCalls += 1;
      const allowed =
        'permission' in r.policy
          ? can(
              {
                kind: 'user',
                id: '',
                name: '',
                sites: [],
                ...c.principal,
                roles: c.principal.roles,
              },
              r.policy.permission,
            )
          : true;
      const ok = allowed ? res.status !== 401 && res.status !== 403 : res.status === 403;
      if (!ok)
        figures.matrixViolations.push(
          `${c.label} ${r.method} ${r.url} → ${res.status} (${allowed ? 'allowed' : 'denied'})`,
        );
    }
  }

  // ---- S1: other site's users --------------------------------------------------------------------------------
  const leak = (label: string, text: string) => {
    figures.crossSiteReads += 1;
    if (text.includes(mainTask.id) || text.includes('Alpha Testperson') || text.includes(appended.id)) {
      figures.crossSiteLeaks.push(label);
    }
  };
  for (const r of guarded.filter((x) => x.method === 'GET' && x.url.startsWith('/api/tasks'))) {
    const res = await call('GET', urlOf(r), north.pharmacist);
    leak(`north pharmacist GET ${r.url} → ${res.status}`, res.text);
  }
  for (const r of guarded.filter((x) => x.method === 'GET' && x.url.startsWith('/api/messages'))) {
    const res = await call('GET', urlOf(r), north.engineer);
    leak(`north engineer GET ${r.url} → ${res.status}`, res.text);
  }
  const own = await call('GET', `/api/tasks/${northTask.id}`, north.pharmacist);
  if (own.status !== 200)
    figures.crossSiteLeaks.push(`north pharmacist cannot read its own task (${own.status})`);

  // ---- S2: floods before authentication ---------------------------------------------------------------------
  const parsedBefore = await bodiesParsed(base, callers);
  const bomb = '['.repeat(200_000) + ']'.repeat(200_000);
  const laughs = `<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaaaaaaaa">${Array.from({ length: 9 }, (_, i) => `<!ENTITY ${String.fromCharCode(98 + i)} "${`&${String.fromCharCode(97 + i)};`.repeat(10)}">`).join('')}]><l>&j;</l>`;
  const taken = new Set(routes.map((r) => `${r.method} ${r.url}`));
  for (const r of guarded) {
    const url = urlOf(r);
    // A GET route is flooded with POST bodies unless a POST route (e.g. the public sign-in) shares its URL.
    if (r.method === 'GET' && taken.has(`POST ${r.url}`)) continue;
    const bodies: Array<[string, string]> = [
      ['application/json', bomb],
      ['application/xml', laughs],
      ['text/plain', 'hello'],
      ['application/x-www-form-urlencoded', 'a=1&b=2'],
    ];
    for (const [type, body] of bodies) {
      const method = r.method === 'GET' ? 'POST' : r.method;
      const res = await fetch(`${base}${url}`, { method, headers: { 'content-type': type }, body });
      await res.arrayBuffer();
      figures.floodRequests += 1;
      if (res.status === 401 || (r.method === 'GET' && res.status === 404)) figures.flood401 += 1;
      else figures.floodProblems.push(`${method} ${r.url} ${type} → ${res.status}`);
    }
    if (r.method !== 'GET') {
      figures.floodRequests += 1;
      const status = await fiftyMegabytes(base, r.method, url);
      if (status === 401) figures.flood401 += 1;
      else figures.floodProblems.push(`${r.method} ${r.url} 50 MB → ${status}`);
    }
  }
  figures.bodiesParsedUnauthenticated = (await bodiesParsed(base, callers)) - parsedBefore;

  // ---- S3: every PHI read audited exactly once --------------------------------------------------------------
  const phiGets = guarded.filter((r) => r.method === 'GET' && 'phi' in r.policy && r.policy.phi);
  /** PHI routes that answered 200 with the audit working: each must be refused when the audit is down. */
  const answered: RegisteredRoute[] = [];
  for (const r of phiGets) {
    const permission = 'permission' in r.policy ? r.policy.permission : undefined;
    const c = callers.find((x) =>
      permission
        ? can({ kind: 'user', id: '', name: '', sites: [], roles: x.principal.roles }, permission)
        : true,
    );
    if (!c || c.actor === 'api-key:') continue;
    const before = (await engine.store.audit.list({ actor: c.actor, limit: 10_000 })).length;
    const res = await call('GET', urlOf(r), c.headers);
    if (res.status !== 200) continue;
    answered.push(r);
    figures.phiReads += 1;
    const entries = (await engine.store.audit.list({ actor: c.actor, limit: 10_000 })).slice(
      0,
      (await engine.store.audit.list({ actor: c.actor, limit: 10_000 })).length - before,
    );
    const complete = entries.every((e) => e.at && e.actor && e.source && e.action && e.category && e.outcome);
    if (entries.length === 1 && complete) figures.phiReadsWithOneEntry += 1;
    else figures.phiAuditProblems.push(`${r.url}: ${entries.length} entries`);
  }

  // ---- S3: audit down → PHI refused -------------------------------------------------------------------------
  const raw = engine.store as unknown as { execRaw(sql: string): Promise<void> };
  await raw.execRaw(
    "CREATE TRIGGER s3_audit_down BEFORE INSERT ON audit_log BEGIN SELECT RAISE(ABORT, 'audit storage failure'); END;",
  );
  try {
    for (const r of answered) {
      const permission = 'permission' in r.policy ? r.policy.permission : undefined;
      const c = callers.find((x) =>
        permission
          ? can({ kind: 'user', id: '', name: '', sites: [], roles: x.principal.roles }, permission)
          : true,
      );
      if (!c) continue;
      const res = await call('GET', urlOf(r), c.headers);
      figures.auditDownTried += 1;
      const disclosed =
        res.text.includes('Alpha Testperson') ||
        res.text.includes('MRN-S1') ||
        res.text.includes('Testperson^Alpha');
      if (res.status >= 500 && !disclosed) figures.auditDownRefused += 1;
      else figures.auditDownProblems.push(`${r.url} → ${res.status}${disclosed ? ' with patient data' : ''}`);
    }
  } finally {
    await raw.execRaw('DROP TRIGGER s3_audit_down;');
  }
  return figures;
}

async function bodiesParsed(base: string, _callers: Caller[]): Promise<number> {
  const text = await (await fetch(`${base}/metrics`)).text();
  const m = /rxbridge_http_bodies_parsed_total\{policy="authenticated"\} (\d+)/.exec(text);
  return m ? Number(m[1]) : 0;
}

/** Announces 50 MB, sends 1 MB, and returns the status the server answered with before the rest was sent. */
function fiftyMegabytes(base: string, method: string, path: string): Promise<number> {
  const url = new URL(path, base);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: url.hostname,
        port: url.port,
        path: url.pathname,
        method,
        headers: { 'content-type': 'application/json', 'content-length': String(50 * 1024 * 1024) },
      },
      (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
        req.destroy();
      },
    );
    req.on('error', (error) => {
      if ((error as NodeJS.ErrnoException).code !== 'ECONNRESET') reject(error);
    });
    req.write(Buffer.alloc(1024 * 1024, 0x20));
  });
}
