// REST routes of the pharmacist's workspace: the queue, a task with its decisions, apply, follow-ups, the patient's
// profile and timeline, the dashboard and the exception queue. Bodies and queries are zod schemas, which also
// generate the OpenAPI 3.1 document (review/openapi.ts). Errors are OperationOutcome; every PHI read is audited.
import type { FastifyContextConfig, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Bundle } from '@medplum/fhirtypes';
import { z } from 'zod';
import type { AuditLog } from '../governance/audit/audit-log.ts';
import type { Clock } from '../kernel/clock.ts';
import { ErrorCode, RxBridgeError } from '../kernel/errors.ts';
import { actorOf as principalActor, canSeeSite } from '../governance/rbac/roles.ts';
import { sendIssue } from '../platform/http/http-server.ts';
import type { PharmacyProfile, PharmacySystem } from '../platform/pharmacy/pharmacy-system.ts';
import type { MessageStore } from '../platform/store/message-store.ts';
import { MESSAGE_STATES } from '../platform/store/message-state.ts';
import {
  TaskPriority,
  TaskStatus,
  type NewTask,
  type Task,
  type TaskStore,
} from '../platform/store/task-store.ts';
import type { Terminology } from '../terminology/terminology.ts';
import {
  adherenceNoteTask,
  medicationReviewTasks,
  mtmSummaryTask,
  priorAuthHtml,
  priorAuthPacket,
  priorAuthTask,
  type PriorAuthPacket,
} from './follow-ups.ts';
import { minutesSaved, MINUTES_SAVED_METHOD } from './minutes-baseline.ts';
import { noteTextOf } from './pcp-note.ts';
import type { ReviewService } from './review-service.ts';
import {
  ACTIVE_STATUSES,
  dueAtOf,
  ItemAction,
  itemsOf,
  proposedAction,
  REVIEW_TASK_TYPES,
  slaStateOf,
  TASK_TYPE_LABELS,
  workOf,
  type ReviewTaskType,
} from './task-model.ts';

// ---- schemas (also the OpenAPI document's) ------------------------------------------------------------------

const statusEnum = z.enum(Object.values(TaskStatus) as [TaskStatus, ...TaskStatus[]]);
const priorityEnum = z.enum(Object.values(TaskPriority) as [TaskPriority, ...TaskPriority[]]);

export const TaskListQuery = z.strictObject({
  status: statusEnum.optional().describe('one status'),
  view: z.enum(['active', 'done', 'all', 'mine', 'exceptions']).default('active').describe('a queue view'),
  type: z.enum(REVIEW_TASK_TYPES).optional(),
  priority: priorityEnum.optional(),
  sla: z.enum(['overdue', 'due-soon', 'on-time', 'done']).optional(),
  patient: z.string().max(100).optional().describe('pharmacy patient id'),
  sort: z
    .enum(['urgency', 'newest'])
    .default('urgency')
    .describe(
      'urgency: priority then due time, counts over the whole view; newest: latest first, counts over the page',
    ),
  limit: z.coerce.number().int().min(1).max(500).default(200),
});
export const ItemDecisionBody = z.strictObject({
  decision: z.enum(['approve', 'edit', 'reject']),
  reason: z.string().trim().min(3, 'give a reason of at least 3 characters').max(1000),
  action: ItemAction.optional().describe('for edit: what to do instead of the proposal'),
});
export const TaskDecisionBody = z.strictObject({
  decision: z.enum(['approve', 'edit', 'reject']),
  reason: z.string().trim().min(3, 'give a reason of at least 3 characters').max(1000),
});
export const CommentBody = z.strictObject({ text: z.string().trim().min(1).max(4000) });
export const NoteBody = z.strictObject({ text: z.string().max(20_000) });
export const FollowUpBody = z.strictObject({
  kind: z.enum(['adherence-note', 'prior-authorization', 'mtm-summary', 'medication-review']),
  drug: z.string().trim().min(2).max(200).optional().describe('prior-authorization: the drug'),
});
export const IdParams = z.strictObject({ id: z.string().min(1).max(100) });
export const ItemParams = z.strictObject({
  id: z.string().min(1).max(100),
  itemId: z.string().min(1).max(200),
});

export const TaskSummarySchema = z.object({
  id: z.string(),
  type: z.string(),
  typeLabel: z.string(),
  priority: priorityEnum,
  status: statusEnum,
  assignee: z.string().nullable(),
  version: z.number().int(),
  patient: z.object({ display: z.string(), pharmacyPatientId: z.string().optional() }),
  site: z.string().nullable(),
  summary: z.string().nullable(),
  sourceControlId: z
    .string()
    .nullable()
    .describe('MSH-10 (or document id) of the message the task came from'),
  itemCount: z.number().int(),
  decidedCount: z.number().int(),
  dueAt: z.string(),
  sla: z.enum(['overdue', 'due-soon', 'on-time', 'done']),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export const TaskListSchema = z.object({
  total: z.number().int(),
  counts: z.object({
    byPriority: z.record(z.string(), z.number()),
    bySla: z.record(z.string(), z.number()),
    byType: z.record(z.string(), z.number()),
  }),
  tasks: z.array(TaskSummarySchema),
  /** The name of every task type, for filters that list types no task in this page has. */
  typeLabels: z.record(z.string(), z.string()),
});

// ---- JSON views ------------------------------------------------------------------------------------------

export function taskSummaryJson(task: Task, now: Date): z.infer<typeof TaskSummarySchema> {
  const payload = (task.payload ?? {}) as { summary?: string; source?: { controlId?: string | null } };
  const work = workOf(task);
  const items = itemsOf(task);
  return {
    id: task.id,
    type: task.type,
    typeLabel: TASK_TYPE_LABELS[task.type as ReviewTaskType] ?? task.type,
    priority: task.priority,
    status: task.status,
    assignee: task.assignee,
    version: task.version,
    patient: task.patient,
    site: task.site,
    summary: payload.summary ?? null,
    sourceControlId: payload.source?.controlId ?? null,
    itemCount: items.length,
    decidedCount: items.filter((i) => work.decisions[i.id] !== undefined).length,
    dueAt: dueAtOf(task).toISOString(),
    sla: slaStateOf(task, now),
    createdAt: task.createdAt.toISOString(),
    updatedAt: task.updatedAt.toISOString(),
  };
}

export function taskJson(task: Task, now: Date): Record<string, unknown> {
  const work = workOf(task);
  return {
    ...taskSummaryJson(task, now),
    items: itemsOf(task).map((item) => ({
      ...item,
      proposed: proposedAction(item),
      decision: work.decisions[item.id] ?? null,
    })),
    payload: task.payload,
    sourceMessageId: task.sourceMessageId,
    comments: work.comments,
    effects: Object.values(work.effects),
    history: work.history,
    outcome: work.outcome ?? null,
    note: noteTextOf(task, work),
    noteEdited: work.note !== undefined,
  };
}

// ---- routes ----------------------------------------------------------------------------------------------

export interface WorkspaceRouteDeps {
  tasks: TaskStore;
  messages: MessageStore;
  audit: AuditLog;
  clock: Clock;
  review: ReviewService;
  pharmacy: PharmacySystem;
  terminology: Terminology;
  /** Profile notes written by approved decisions (the writable embedded pharmacy). */
  notesOf?: (patientId: string) => unknown[];
  /** The stored messages of a patient as FHIR bundles (for the prior-authorization packet). */
  bundlesOf?: (sourceIdentifier: string) => Promise<Bundle[]>;
  /** The site of records without one (config security.defaultSite). */
  defaultSite?: string;
  /** Creates a task through the one creation path (routing, rollout). */
  createTask: (task: NewTask) => Promise<{ task: Task; created: boolean }>;
}

export type Permission = 'tasks:read' | 'tasks:decide';

/** The role policy of a workspace route: the permission needed; every one reads or changes patient data. */
export function routeConfig(permission: Permission): FastifyContextConfig {
  return { policy: { permission, phi: true } };
}

/** The audit actor of a request: `user:<id>`, `api-key:<id>`... (`anonymous` only on servers without sign-in). */
export function actorOf(request: FastifyRequest): string {
  return principalActor(request.principal);
}

/**
 * Site scoping in the queries (the server also drops what the caller may not see from responses): a principal sees
 * its sites' tasks and patients; a record without a site belongs to the default site.
 */
export function seesSite(
  request: FastifyRequest,
  site: string | null | undefined,
  defaultSite: string,
): boolean {
  const p = request.principal;
  return p === undefined || canSeeSite(p, site, new Date(), defaultSite);
}

/** RxBridgeError codes as HTTP: what the caller can do about it, in plain words. */
export function sendError(reply: FastifyReply, error: unknown): FastifyReply {
  if (error instanceof RxBridgeError) {
    const status: Partial<Record<ErrorCode, number>> = {
      [ErrorCode.NotFound]: 404,
      [ErrorCode.Conflict]: 409,
      [ErrorCode.IllegalTransition]: 409,
      [ErrorCode.InvalidInput]: 400,
      [ErrorCode.ConsentDenied]: 403,
      [ErrorCode.StoreUnavailable]: 503,
      [ErrorCode.AuditUnavailable]: 503,
    };
    const code = status[error.code] ?? 500;
    const fhirCode =
      code === 404 ? 'not-found' : code === 409 ? 'processing' : code === 400 ? 'invalid' : 'exception';
    return sendIssue(reply, code, { severity: 'error', code: fhirCode, path: '', message: error.message });
  }
  throw error;
}

function invalid(reply: FastifyReply, error: z.ZodError): FastifyReply {
  return sendIssue(reply, 400, {
    severity: 'error',
    code: 'invalid',
    path: error.issues[0]?.path.join('.') ?? '',
    message: error.issues.map((i) => `${i.path.join('.') || 'request'}: ${i.message}`).join('; '),
  });
}

function parse<T extends z.ZodType>(
  schema: T,
  value: unknown,
  reply: FastifyReply,
): { ok: true; value: z.infer<T> } | { ok: false; reply: FastifyReply } {
  const r = schema.safeParse(value ?? {});
  return r.success ? { ok: true, value: r.data } : { ok: false, reply: invalid(reply, r.error) };
}

const DAY_MS = 86_400_000;

function countsOf(rows: ReadonlyArray<{ priority: string; sla: string; type: string }>) {
  const counts = {
    byPriority: { high: 0, medium: 0, low: 0 } as Record<string, number>,
    bySla: { overdue: 0, 'due-soon': 0, 'on-time': 0, done: 0 } as Record<string, number>,
    byType: {} as Record<string, number>,
  };
  for (const r of rows) {
    counts.byPriority[r.priority] = (counts.byPriority[r.priority] ?? 0) + 1;
    counts.bySla[r.sla] = (counts.bySla[r.sla] ?? 0) + 1;
    counts.byType[r.type] = (counts.byType[r.type] ?? 0) + 1;
  }
  return counts;
}

export function registerWorkspaceRoutes(app: FastifyInstance, deps: WorkspaceRouteDeps): void {
  const { tasks, audit, review, clock } = deps;
  const read = routeConfig('tasks:read');
  const decide = routeConfig('tasks:decide');

  const auditRead = async (request: FastifyRequest, source: string, entity?: string, patient?: string) =>
    audit.record({
      actor: actorOf(request),
      action: 'read',
      category: 'task',
      ...(entity ? { entity } : {}),
      ...(patient ? { patient } : {}),
      source,
      outcome: 'success',
    });

  /** Loads the whole active queue (bounded) once and filters in memory: counts stay consistent with the list. */
  const defaultSite = deps.defaultSite ?? 'main';
  async function queue(q: z.infer<typeof TaskListQuery>, request: FastifyRequest) {
    const actor = actorOf(request);
    const visible = (t: Task): boolean => seesSite(request, t.site, defaultSite);
    const now = clock.now();
    const statuses =
      q.status !== undefined
        ? [q.status]
        : q.view === 'done'
          ? (['applied', 'rejected'] as const)
          : q.view === 'all'
            ? undefined
            : q.view === 'exceptions'
              ? (['failed'] as const)
              : ACTIVE_STATUSES;
    if (q.sort === 'newest' && (q.view === 'active' || q.view === 'all' || q.view === 'done')) {
      // Straight from the store's newest-first index: cheap enough to poll.
      const page = await tasks.list({
        ...(statuses ? { statuses } : {}),
        ...(q.type ? { type: q.type } : {}),
        ...(q.priority ? { priority: q.priority } : {}),
        limit: q.limit,
      });
      const rows = page
        .filter(visible)
        .map((t) => taskSummaryJson(t, now))
        .filter((r) => (q.sla ? r.sla === q.sla : true));
      return { total: rows.length, counts: countsOf(rows), tasks: rows, typeLabels: TASK_TYPE_LABELS };
    }
    let list = await tasks.list({ ...(statuses ? { statuses } : {}), limit: 2000 });
    if (q.view === 'exceptions') {
      const exceptions = await tasks.list({ type: 'exception', statuses: ACTIVE_STATUSES, limit: 500 });
      list = [...list, ...exceptions.filter((t) => t.status !== 'failed')];
    }
    list = list.filter(visible);
    if (q.view === 'mine') list = list.filter((t) => t.assignee === actor);
    if (q.patient) list = list.filter((t) => t.patient.pharmacyPatientId === q.patient);
    const rows = list.map((t) => taskSummaryJson(t, now));
    const counts = countsOf(rows);
    const rank = { high: 0, medium: 1, low: 2 } as const;
    const filtered = rows
      .filter((r) => (q.type ? r.type === q.type : true))
      .filter((r) => (q.priority ? r.priority === q.priority : true))
      .filter((r) => (q.sla ? r.sla === q.sla : true))
      // Most urgent first: priority, then the earliest due.
      .sort((a, b) => rank[a.priority] - rank[b.priority] || a.dueAt.localeCompare(b.dueAt));
    return {
      total: filtered.length,
      counts,
      tasks: filtered.slice(0, q.limit),
      typeLabels: TASK_TYPE_LABELS,
    };
  }

  app.get('/api/tasks', { config: read }, async (request, reply) => {
    const q = parse(TaskListQuery, request.query, reply);
    if (!q.ok) return q.reply;
    const result = await queue(q.value, request);
    await auditRead(request, 'GET /api/tasks');
    return result;
  });

  app.get<{ Params: { id: string } }>('/api/tasks/:id', { config: read }, async (request, reply) => {
    try {
      const task = await review.get(request.params.id);
      await auditRead(request, 'GET /api/tasks/:id', task.id, task.patient.pharmacyPatientId);
      return taskJson(task, clock.now());
    } catch (error) {
      return sendError(reply, error);
    }
  });

  const action = <B extends z.ZodType>(
    path: string,
    body: B | undefined,
    run: (id: string, value: z.infer<B>, actor: string, params: Record<string, string>) => Promise<Task>,
  ): void => {
    app.post<{ Params: Record<string, string> }>(path, { config: decide }, async (request, reply) => {
      let value: z.infer<B> = undefined as z.infer<B>;
      if (body) {
        const parsed = parse(body, request.body, reply);
        if (!parsed.ok) return parsed.reply;
        value = parsed.value;
      }
      try {
        const task = await run(request.params.id ?? '', value, actorOf(request), request.params);
        return taskJson(task, clock.now());
      } catch (error) {
        return sendError(reply, error);
      }
    });
  };

  action('/api/tasks/:id/claim', undefined, (id, _v, actor) => review.claim(id, actor));
  action('/api/tasks/:id/release', undefined, (id, _v, actor) => review.release(id, actor));
  action('/api/tasks/:id/items/:itemId/decision', ItemDecisionBody, (id, v, actor, params) =>
    review.decideItem(
      id,
      params.itemId ?? '',
      { decision: v.decision, reason: v.reason, ...(v.action ? { action: v.action } : {}) },
      actor,
    ),
  );
  action('/api/tasks/:id/decision', TaskDecisionBody, (id, v, actor) => review.decideTask(id, v, actor));
  action('/api/tasks/:id/comments', CommentBody, (id, v, actor) => review.comment(id, v.text, actor));
  action('/api/tasks/:id/note', NoteBody, (id, v, actor) => review.setNote(id, v.text, actor));
  action('/api/tasks/:id/apply', undefined, (id, _v, actor) => review.apply(id, actor));

  // ---- prior-authorization packet --------------------------------------------------------------------------
  const packetOf = async (request: FastifyRequest<{ Params: { id: string } }>): Promise<PriorAuthPacket> => {
    const task = await review.get(request.params.id);
    const packet = (task.payload as { packet?: PriorAuthPacket } | null)?.packet;
    if (task.type !== 'prior-authorization' || !packet) {
      throw new RxBridgeError(ErrorCode.NotFound, 'this task has no prior-authorization packet');
    }
    await audit.record({
      actor: actorOf(request),
      action: 'export',
      category: 'task',
      entity: task.id,
      ...(task.patient.pharmacyPatientId ? { patient: task.patient.pharmacyPatientId } : {}),
      source: 'GET /api/tasks/:id/packet',
      outcome: 'success',
    });
    return packet;
  };
  app.get<{ Params: { id: string } }>(
    '/api/tasks/:id/packet.json',
    { config: read },
    async (request, reply) => {
      try {
        return await packetOf(request);
      } catch (error) {
        return sendError(reply, error);
      }
    },
  );
  app.get<{ Params: { id: string } }>(
    '/api/tasks/:id/packet.html',
    { config: read },
    async (request, reply) => {
      try {
        const packet = await packetOf(request);
        return reply.type('text/html; charset=utf-8').send(priorAuthHtml(packet));
      } catch (error) {
        return sendError(reply, error);
      }
    },
  );

  // ---- patients ----------------------------------------------------------------------------------------------
  const profileOf = async (id: string, request: FastifyRequest): Promise<PharmacyProfile> => {
    const profile = await deps.pharmacy.getProfile(id);
    if (!profile || !seesSite(request, profile.patient.site, defaultSite)) {
      throw new RxBridgeError(ErrorCode.NotFound, `no pharmacy patient ${id}`);
    }
    return profile;
  };

  /** The patient's stored messages (under every linked identifier) as FHIR bundles. */
  const bundlesFor = async (profile: PharmacyProfile): Promise<Bundle[]> => {
    const bundles: Bundle[] = [];
    for (const i of profile.patient.identifiers) {
      bundles.push(...((await deps.bundlesOf?.(`${i.value}^${i.system}`)) ?? []));
    }
    return bundles;
  };

  app.get<{ Params: { id: string } }>(
    '/api/patients/:id/profile',
    { config: read },
    async (request, reply) => {
      try {
        const profile = await profileOf(request.params.id, request);
        await audit.record({
          actor: actorOf(request),
          action: 'read',
          category: 'profile',
          patient: profile.patient.id,
          source: 'GET /api/patients/:id/profile',
          outcome: 'success',
        });
        return { ...profile, notes: deps.notesOf?.(profile.patient.id) ?? [] };
      } catch (error) {
        return sendError(reply, error);
      }
    },
  );

  app.get<{ Params: { id: string } }>(
    '/api/patients/:id/timeline',
    { config: read },
    async (request, reply) => {
      try {
        const profile = await profileOf(request.params.id, request);
        const mine = (await tasks.list({ limit: 2000 })).filter(
          (t) => t.patient.pharmacyPatientId === profile.patient.id,
        );
        const sources = new Set(mine.map((t) => t.patient.sourceIdentifier).filter((s): s is string => !!s));
        const events: Array<{ at: string; kind: string; title: string; ref: string }> = [];
        for (const t of mine) {
          events.push({
            at: t.createdAt.toISOString(),
            kind: 'task',
            title: `${TASK_TYPE_LABELS[t.type as ReviewTaskType] ?? t.type} (${t.status})`,
            ref: t.id,
          });
          for (const h of workOf(t).history) {
            events.push({ at: h.at, kind: 'decision', title: `${h.from} → ${h.to}: ${h.note}`, ref: t.id });
          }
        }
        for (const source of sources) {
          for (const m of await deps.messages.list({ partitionKey: source, limit: 200 })) {
            events.push({
              at: m.receivedAt.toISOString(),
              kind: 'message',
              title: `${m.summary.type ?? m.format} received (${m.state})`,
              ref: m.id,
            });
          }
        }
        for (const f of profile.fills) {
          const rx = profile.prescriptions.find((p) => p.id === f.prescriptionId);
          events.push({
            at: `${f.date}T12:00:00.000Z`,
            kind: 'fill',
            title: `Filled ${rx?.drugName ?? f.prescriptionId}: ${f.quantity} for ${f.daysSupply} days`,
            ref: f.prescriptionId,
          });
        }
        events.sort((a, b) => b.at.localeCompare(a.at));
        await audit.record({
          actor: actorOf(request),
          action: 'read',
          category: 'patient',
          patient: profile.patient.id,
          source: 'GET /api/patients/:id/timeline',
          outcome: 'success',
        });
        return { patient: profile.patient, events };
      } catch (error) {
        return sendError(reply, error);
      }
    },
  );

  app.post<{ Params: { id: string } }>(
    '/api/patients/:id/follow-ups',
    { config: decide },
    async (request, reply) => {
      const body = parse(FollowUpBody, request.body, reply);
      if (!body.ok) return body.reply;
      try {
        const profile = await profileOf(request.params.id, request);
        const now = clock.now();
        let task: NewTask | undefined;
        if (body.value.kind === 'adherence-note') {
          task = adherenceNoteTask(profile, deps.terminology, now);
          if (!task) {
            return sendIssue(reply, 422, {
              severity: 'information',
              code: 'informational',
              path: 'kind',
              message: 'every scheduled medicine covers at least 80% of days: no adherence note is needed',
            });
          }
        } else if (body.value.kind === 'medication-review') {
          const bundles = await bundlesFor(profile);
          const made = medicationReviewTasks({ profile, bundles, terminology: deps.terminology, asOf: now });
          const results = [];
          for (const t of made) results.push(await deps.createTask(t));
          return reply.code(results.some((r) => r.created) ? 201 : 200).send({
            findings: made.length,
            tasks: results.map((r) => taskSummaryJson(r.task, now)),
          });
        } else if (body.value.kind === 'prior-authorization') {
          if (!body.value.drug) {
            return sendIssue(reply, 400, {
              severity: 'error',
              code: 'required',
              path: 'drug',
              message: 'name the drug the prior authorization is for',
            });
          }
          const bundles = await bundlesFor(profile);
          task = priorAuthTask(
            priorAuthPacket({ drug: body.value.drug, profile, bundles, asOf: now }),
            profile,
            now,
          );
        } else {
          const open = (await tasks.list({ statuses: ACTIVE_STATUSES, limit: 2000 }))
            .filter((t) => t.patient.pharmacyPatientId === profile.patient.id)
            .map((t) => (t.payload as { summary?: string } | null)?.summary ?? t.type);
          task = mtmSummaryTask(profile, open, now);
        }
        const created = await deps.createTask(task);
        return reply.code(created.created ? 201 : 200).send(taskJson(created.task, now));
      } catch (error) {
        return sendError(reply, error);
      }
    },
  );

  // ---- dashboard ---------------------------------------------------------------------------------------------
  // Counts and durations only, no patient data: not a PHI read, so not audited per call.
  app.get('/api/dashboard', { config: { policy: { permission: 'tasks:read', phi: false } } }, async () => {
    const now = clock.now();
    const all = await tasks.list({ limit: 5000 });
    const byType: Record<string, number> = {};
    const byStatus: Record<string, number> = {};
    let decidedItems = 0;
    let approvedItems = 0;
    const reviewMinutes: number[] = [];
    for (const t of all) {
      byType[t.type] = (byType[t.type] ?? 0) + 1;
      byStatus[t.status] = (byStatus[t.status] ?? 0) + 1;
      const work = workOf(t);
      for (const d of Object.values(work.decisions)) {
        decidedItems += 1;
        if (d.decision !== 'reject') approvedItems += 1;
      }
      if (work.outcome) {
        reviewMinutes.push((Date.parse(work.outcome.at) - t.createdAt.getTime()) / 60_000);
      }
    }
    reviewMinutes.sort((a, b) => a - b);
    const pct = (p: number): number | null =>
      reviewMinutes.length === 0
        ? null
        : Math.round(
            reviewMinutes[Math.min(reviewMinutes.length - 1, Math.floor(p * reviewMinutes.length))]! * 10,
          ) / 10;
    const saved = minutesSaved(all);
    const messages = await deps.messages.countByState();
    const totalMessages = MESSAGE_STATES.reduce((n, s) => n + messages[s], 0);
    const failedEffects = all.filter((t) => t.status === 'failed').length;
    const recent = all.filter((t) => now.getTime() - t.createdAt.getTime() < 7 * DAY_MS);
    return {
      messagesByState: messages,
      tasksByType: byType,
      tasksByStatus: byStatus,
      approvalRate: decidedItems === 0 ? null : approvedItems / decidedItems,
      decidedItems,
      timeToReviewMinutes: { p50: pct(0.5), p90: pct(0.9), count: reviewMinutes.length },
      // Published by-hand minutes per applied task, by type (src/review/minutes-baseline.ts).
      estimatedMinutesSaved: saved.total,
      minutesSaved: { ...saved, method: MINUTES_SAVED_METHOD },
      typeLabels: TASK_TYPE_LABELS,
      errorRates: {
        deadMessages: totalMessages === 0 ? 0 : messages.dead / totalMessages,
        failedTasks: all.length === 0 ? 0 : failedEffects / all.length,
      },
      tasksLast7Days: recent.length,
      generatedAt: now.toISOString(),
    };
  });
}
