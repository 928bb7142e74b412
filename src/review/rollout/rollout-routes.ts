// Rollout over HTTP: modes per cohort, the value report (JSON, CSV, HTML page), alerts, and pharmacists' decisions
// made outside the workspace (manual work in shadow mode, reversals of auto writes). Errors are OperationOutcome.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { AuditLog } from '../../governance/audit/audit-log.ts';
import type { Clock } from '../../kernel/clock.ts';
import { sendIssue, type RoutePolicy } from '../../platform/http/http-server.ts';
import type { TaskStore } from '../../platform/store/task-store.ts';
import { ModeChangeError, setMode } from './rollout-admin.ts';
import { MODES, WORKFLOWS, cohortKey, resolveMode, type Cohort, type ModeSetting } from './rollout-model.ts';
import type { RolloutStore } from './rollout-store.ts';
import { workspaceDecisions } from './task-decisions.ts';
import { buildValueReport, reportCsv, reportHtml } from './value-report.ts';

export interface RolloutRoutesDeps {
  store: RolloutStore;
  audit: AuditLog;
  tasks: TaskStore;
  clock: Clock;
}

/** Rollout and interface configuration: integration engineers and admins. Reports and alerts hold no patient data. */
const MANAGE: { policy: RoutePolicy } = { policy: { permission: 'interfaces:manage', phi: false } };
/** Recording a pharmacist's decision names a patient and a medicine. */
const DECIDE: { policy: RoutePolicy } = { policy: { permission: 'tasks:decide', phi: true } };

const CohortBody = z
  .strictObject({
    sites: z.array(z.string().min(1).max(100)).max(100).optional(),
    pharmacists: z.array(z.string().min(1).max(100)).max(100).optional(),
    patients: z.array(z.string().min(1).max(100)).max(10_000).optional(),
    senders: z.array(z.string().min(1).max(100)).max(100).optional(),
  })
  .optional();

const ModeBody = z.strictObject({
  workflow: z.enum(WORKFLOWS),
  mode: z.enum(MODES),
  cohort: CohortBody,
  reason: z.string().trim().min(8, 'a mode change needs a reason of at least 8 characters').max(1000),
});

const When = z
  .string()
  .refine((v) => /^\d+[dh]$/.test(v) || !Number.isNaN(Date.parse(v)), 'a date, an ISO time or a span like 7d')
  .optional();

const ReportQuery = z.strictObject({
  workflow: z.enum(WORKFLOWS).optional(),
  since: When,
  until: When,
  format: z.enum(['json', 'csv', 'html']).default('json'),
});

const DecisionBody = z.strictObject({
  workflow: z.enum(WORKFLOWS),
  messageId: z.string().min(1).max(100),
  patientId: z.string().min(1).max(100),
  itemId: z.string().min(1).max(100).optional(),
  verdict: z.enum(['manual', 'reverse', 'approve', 'edit', 'reject']),
  fields: z.record(z.string().max(40), z.string().max(200)).refine((f) => typeof f['action'] === 'string', {
    message: 'fields.action is required',
  }),
  reason: z.string().max(1000).optional(),
});

function when(value: string | undefined, now: Date, fallback: Date): Date {
  if (value === undefined) return fallback;
  const span = /^(\d+)([dh])$/.exec(value);
  if (span) return new Date(now.getTime() - Number(span[1]) * (span[2] === 'd' ? 86_400_000 : 3_600_000));
  return new Date(value);
}

function invalid(reply: FastifyReply, error: z.ZodError): FastifyReply {
  const issue = error.issues[0];
  return sendIssue(reply, 400, {
    severity: 'error',
    code: 'invalid',
    path: issue?.path.join('.') ?? '',
    message: issue?.message ?? 'invalid request',
  });
}

function cohortOf(c: NonNullable<z.infer<typeof CohortBody>>): Cohort {
  const out: Cohort = {};
  if (c.sites) out.sites = c.sites;
  if (c.pharmacists) out.pharmacists = c.pharmacists;
  if (c.patients) out.patients = c.patients;
  if (c.senders) out.senders = c.senders;
  return out;
}

function actorOf(request: FastifyRequest): string {
  const p = request.principal;
  return p ? `${p.kind === 'user' ? 'user' : p.kind}:${p.id}` : 'anonymous';
}

function settingJson(s: ModeSetting) {
  return {
    id: s.id,
    workflow: s.workflow,
    mode: s.mode,
    cohort: s.cohortKey,
    actor: s.actor,
    reason: s.reason,
    at: s.at.toISOString(),
  };
}

export function registerRolloutRoutes(app: FastifyInstance, deps: RolloutRoutesDeps): void {
  app.get('/api/rollout', { config: MANAGE }, async () => {
    const workflows = [];
    for (const workflow of WORKFLOWS) {
      const history = await deps.store.settings(workflow);
      const inForce = new Map<string, ModeSetting>();
      for (const s of history) inForce.set(s.cohortKey, s);
      workflows.push({
        workflow,
        defaultMode: resolveMode(history, {}).mode,
        settings: [...inForce.values()].map(settingJson),
      });
    }
    return { workflows, openAlerts: await deps.store.alerts({ openOnly: true }) };
  });

  app.post('/api/rollout/modes', { config: MANAGE }, async (request, reply) => {
    const body = ModeBody.safeParse(request.body ?? {});
    if (!body.success) return invalid(reply, body.error);
    try {
      const { setting, previous } = await setMode(deps.store, deps.audit, {
        workflow: body.data.workflow,
        mode: body.data.mode,
        ...(body.data.cohort ? { cohort: cohortOf(body.data.cohort) } : {}),
        actor: actorOf(request),
        reason: body.data.reason,
        source: 'POST /api/rollout/modes',
        at: deps.clock.now(),
      });
      return reply.code(201).send({ ...settingJson(setting), previous, cohort: cohortKey(setting.cohort) });
    } catch (error) {
      if (error instanceof ModeChangeError)
        return sendIssue(reply, 400, {
          severity: 'error',
          code: 'invalid',
          path: 'reason',
          message: error.message,
        });
      throw error;
    }
  });

  app.get('/api/rollout/report', { config: MANAGE }, async (request, reply) => {
    const q = ReportQuery.safeParse(request.query ?? {});
    if (!q.success) return invalid(reply, q.error);
    const now = deps.clock.now();
    const since = when(q.data.since, now, new Date(now.getTime() - 7 * 86_400_000));
    const until = when(q.data.until, now, now);
    const report = await buildValueReport(deps.store, {
      since,
      until,
      ...(q.data.workflow ? { workflows: [q.data.workflow] } : {}),
      workspaceDecisions: await workspaceDecisions(deps.tasks, since),
      now,
    });
    if (q.data.format === 'csv')
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', 'attachment; filename="rxbridge-value-report.csv"')
        .send(reportCsv(report));
    if (q.data.format === 'html') return reply.type('text/html; charset=utf-8').send(reportHtml(report));
    return report;
  });

  app.get('/api/rollout/alerts', { config: MANAGE }, async (request) => {
    const all = (request.query as { all?: string } | undefined)?.all === 'true';
    return { alerts: await deps.store.alerts({ openOnly: !all }) };
  });

  app.post('/api/rollout/decisions', { config: DECIDE }, async (request, reply) => {
    const body = DecisionBody.safeParse(request.body ?? {});
    if (!body.success) return invalid(reply, body.error);
    const d = body.data;
    const actor = actorOf(request);
    const key = `api:${d.messageId}:${d.itemId ?? d.fields['prescription'] ?? d.fields['drug'] ?? ''}:${d.verdict}`;
    const created = await deps.store.saveDecision({
      key,
      workflow: d.workflow,
      messageId: d.messageId,
      patientId: d.patientId,
      ...(d.itemId ? { itemId: d.itemId } : {}),
      verdict: d.verdict,
      fields: d.fields,
      pharmacist: actor,
      at: deps.clock.now(),
      ...(d.reason ? { reason: d.reason } : {}),
    });
    await deps.audit.record({
      actor,
      action: 'create',
      category: 'decision',
      patient: d.patientId,
      entity: key,
      source: 'POST /api/rollout/decisions',
      outcome: 'success',
      detail: `${d.verdict} ${d.fields['action'] ?? ''}${created ? '' : ' (already recorded)'}`,
    });
    return reply.code(created ? 201 : 200).send({ key, created });
  });
}
