// Compliance and emergency routes: the audit report (filter, sort, export as JSON, CSV or FHIR AuditEvent), chain
// verification, break-glass (grant and daily report) and the consent registry.
import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import { auditCsv, toFhirAuditEvent } from '../../governance/audit/audit-event.ts';
import { AuditAction, type AuditLog, type AuditRecord } from '../../governance/audit/audit-log.ts';
import { verifyAuditTrail } from '../../governance/audit/checkpoints.ts';
import { breakGlassDetail, type Authenticator } from '../../governance/auth/authenticator.ts';
import type { ConsentRegistry } from '../../governance/consent/consent-registry.ts';
import type { Keyring } from '../../governance/crypto/keyring.ts';
import type { GovernanceStore } from '../../governance/governance-store.ts';
import { actorOf, type Principal } from '../../governance/rbac/roles.ts';
import { RxBridgeError } from '../../kernel/errors.ts';
import { sendIssue } from './http-server.ts';

export interface GovernanceRouteDeps {
  audit: AuditLog;
  governance: GovernanceStore;
  keyring: Keyring;
  auth: Authenticator;
  consent: ConsentRegistry;
}

const isoDate = z.iso.datetime({ offset: true }).or(z.iso.date());

export const AuditQuery = z.strictObject({
  since: isoDate.optional(),
  until: isoDate.optional(),
  actor: z.string().max(200).optional(),
  patient: z.string().max(200).optional(),
  category: z.string().max(60).optional(),
  action: z.enum(Object.values(AuditAction) as [AuditAction, ...AuditAction[]]).optional(),
  outcome: z.enum(['success', 'failure', 'denied']).optional(),
  sort: z.enum(['newest', 'oldest']).default('newest'),
  format: z.enum(['json', 'csv', 'fhir']).default('json'),
  limit: z.coerce.number().int().min(1).max(10_000).default(200),
});

const BreakGlassBody = z.strictObject({
  reason: z.string().trim().min(10).max(1000),
  minutes: z.number().int().min(1).max(240).default(60),
});

const DayQuery = z.strictObject({ day: z.iso.date().optional() });

function invalid(reply: FastifyReply, error: z.ZodError): FastifyReply {
  return sendIssue(reply, 400, {
    severity: 'error',
    code: 'invalid',
    path: error.issues[0]?.path.join('.') ?? '',
    message: error.issues.map((i) => `${i.path.join('.') || 'request'}: ${i.message}`).join('; '),
  });
}

export function auditJson(r: AuditRecord): Record<string, unknown> {
  return { ...r, at: r.at.toISOString() };
}

export function registerGovernanceRoutes(app: FastifyInstance, deps: GovernanceRouteDeps): void {
  const compliance = { policy: { permission: 'audit:read', phi: true } } as const;

  app.get('/api/audit', { config: compliance }, async (request, reply) => {
    const parsed = AuditQuery.safeParse(request.query);
    if (!parsed.success) return invalid(reply, parsed.error);
    const q = parsed.data;
    const records = await deps.audit.list({
      limit: q.limit,
      ...(q.since ? { since: new Date(q.since) } : {}),
      ...(q.until ? { until: new Date(q.until) } : {}),
      ...(q.actor ? { actor: q.actor } : {}),
      ...(q.patient ? { patient: q.patient } : {}),
      ...(q.category ? { category: q.category } : {}),
      ...(q.action ? { action: q.action } : {}),
      ...(q.outcome ? { outcome: q.outcome } : {}),
    });
    if (q.sort === 'oldest') records.reverse();
    await deps.audit.record({
      actor: actorOf(request.principal),
      action: q.format === 'json' ? 'read' : 'export',
      category: 'audit',
      source: 'GET /api/audit',
      outcome: 'success',
      detail: `${records.length} entries as ${q.format}`,
      ...(q.patient ? { patient: q.patient } : {}),
    });
    reply.header('cache-control', 'no-store');
    if (q.format === 'csv') return reply.type('text/csv; charset=utf-8').send(auditCsv(records));
    if (q.format === 'fhir') {
      return reply.type('application/fhir+json').send({
        resourceType: 'Bundle',
        type: 'collection',
        total: records.length,
        entry: records.map((r) => ({ resource: toFhirAuditEvent(r) })),
      });
    }
    return { total: records.length, entries: records.map(auditJson) };
  });

  app.get('/api/audit/verify', { config: { policy: { permission: 'audit:read', phi: false } } }, async () =>
    verifyAuditTrail(deps.audit, deps.governance, deps.keyring),
  );

  app.get('/api/audit/break-glass', { config: compliance }, async (request, reply) => {
    const parsed = DayQuery.safeParse(request.query);
    if (!parsed.success) return invalid(reply, parsed.error);
    const day = parsed.data.day ?? new Date().toISOString().slice(0, 10);
    const start = new Date(`${day}T00:00:00Z`).getTime();
    const grants = (await deps.governance.breakGlass.since(start)).filter(
      (g) => g.grantedAt < start + 86_400_000,
    );
    const users = new Map((await deps.governance.users.list()).map((u) => [u.id, u.username]));
    await deps.audit.record({
      actor: actorOf(request.principal),
      action: 'read',
      category: 'break-glass',
      source: 'GET /api/audit/break-glass',
      outcome: 'success',
      detail: `report for ${day}: ${grants.length} uses`,
    });
    return {
      day,
      uses: grants.map((g) => ({
        id: g.id,
        user: users.get(g.userId) ?? g.userId,
        grantedAt: new Date(g.grantedAt).toISOString(),
        expiresAt: new Date(g.expiresAt).toISOString(),
        ...breakGlassDetail(deps.keyring, g),
      })),
    };
  });

  app.post(
    '/api/break-glass',
    { config: { policy: { permission: 'break-glass', phi: false } }, bodyLimit: 8192 },
    async (request, reply) => {
      const parsed = BreakGlassBody.safeParse(request.body ?? {});
      if (!parsed.success) return invalid(reply, parsed.error);
      const principal = request.principal as Principal;
      if (principal.kind !== 'user') {
        return sendIssue(reply, 403, {
          severity: 'error',
          code: 'security',
          path: '',
          message: 'break-glass is for signed-in people, not systems',
        });
      }
      const grant = await deps.auth.grantBreakGlass(
        principal,
        parsed.data.reason,
        parsed.data.minutes,
        'POST /api/break-glass',
      );
      return reply.code(201).send({ id: grant.id, expiresAt: grant.expiresAt.toISOString() });
    },
  );

  app.get<{ Params: { patient: string } }>(
    '/api/consents/:patient',
    { config: { policy: { permission: 'consent:manage', phi: true } } },
    async (request) => {
      const list = await deps.consent.list(request.params.patient);
      await deps.audit.record({
        actor: actorOf(request.principal),
        action: 'read',
        category: 'consent',
        patient: request.params.patient,
        source: 'GET /api/consents/:patient',
        outcome: 'success',
      });
      return {
        resourceType: 'Bundle',
        type: 'searchset',
        total: list.length,
        entry: list.map((resource) => ({ resource })),
      };
    },
  );

  app.put<{ Params: { patient: string } }>(
    '/api/consents/:patient',
    { config: { policy: { permission: 'consent:manage', phi: true } }, bodyLimit: 256 * 1024 },
    async (request, reply) => {
      const body = request.body as { resourceType?: unknown } | undefined;
      if (!body || body.resourceType !== 'Consent') {
        return sendIssue(reply, 400, {
          severity: 'error',
          code: 'invalid',
          path: 'resourceType',
          message: 'the body must be a FHIR Consent resource',
        });
      }
      try {
        const stored = await deps.consent.put(
          request.params.patient,
          body as Parameters<ConsentRegistry['put']>[1],
          actorOf(request.principal),
        );
        return await reply.code(200).type('application/fhir+json').send(stored);
      } catch (error) {
        if (error instanceof RxBridgeError) throw error;
        return sendIssue(reply, 400, {
          severity: 'error',
          code: 'invalid',
          path: '',
          message: error instanceof Error ? error.message : 'invalid Consent',
        });
      }
    },
  );
}
