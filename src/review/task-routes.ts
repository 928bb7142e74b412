// REST routes for the review queue: tasks with their type, priority, status, patient and items.
import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import type { AuditLog } from '../governance/audit/audit-log.ts';
import { sendIssue } from '../platform/http/http-server.ts';
import { TaskPriority, TaskStatus, type Task, type TaskStore } from '../platform/store/task-store.ts';

const ListQuery = z.strictObject({
  status: z.enum(Object.values(TaskStatus) as [TaskStatus, ...TaskStatus[]]).optional(),
  type: z.string().max(60).optional(),
  priority: z.enum(Object.values(TaskPriority) as [TaskPriority, ...TaskPriority[]]).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

export function taskJson(task: Task): Record<string, unknown> {
  const payload = (task.payload ?? {}) as { items?: unknown[]; summary?: string };
  return {
    id: task.id,
    type: task.type,
    priority: task.priority,
    status: task.status,
    patient: task.patient,
    site: task.site,
    summary: payload.summary ?? null,
    items: payload.items ?? [],
    payload: task.payload,
    sourceMessageId: task.sourceMessageId,
    dueAt: task.dueAt?.toISOString() ?? null,
    createdAt: task.createdAt.toISOString(),
    updatedAt: task.updatedAt.toISOString(),
  };
}

export function registerTaskRoutes(app: FastifyInstance, deps: { tasks: TaskStore; audit: AuditLog }): void {
  app.get('/api/tasks', { config: { policy: { permission: 'tasks:read', phi: true } } }, async (request, reply) => {
    const query = ListQuery.safeParse(request.query);
    if (!query.success) return invalid(reply, query.error);
    const q = query.data;
    const filter = {
      ...(q.status ? { status: q.status } : {}),
      ...(q.type ? { type: q.type } : {}),
      ...(q.priority ? { priority: q.priority } : {}),
    };
    const [tasks, total] = await Promise.all([
      deps.tasks.list({ ...filter, limit: q.limit }),
      deps.tasks.count(filter),
    ]);
    await deps.audit.record({
      actor: 'anonymous',
      action: 'read',
      category: 'task',
      source: 'GET /api/tasks',
      outcome: 'success',
      detail: `listed ${tasks.length}`,
    });
    return { total, tasks: tasks.map(taskJson) };
  });

  app.get<{ Params: { id: string } }>(
    '/api/tasks/:id',
    { config: { policy: { permission: 'tasks:read', phi: true } } },
    async (request, reply) => {
      const task = await deps.tasks.get(request.params.id);
      if (!task)
        return sendIssue(reply, 404, {
          severity: 'error',
          code: 'not-found',
          path: 'id',
          message: 'no such task',
        });
      await deps.audit.record({
        actor: 'anonymous',
        action: 'read',
        category: 'task',
        entity: task.id,
        ...(task.patient.pharmacyPatientId ? { patient: task.patient.pharmacyPatientId } : {}),
        source: 'GET /api/tasks/:id',
        outcome: 'success',
      });
      return taskJson(task);
    },
  );
}

function invalid(reply: FastifyReply, error: z.ZodError): FastifyReply {
  return sendIssue(reply, 400, {
    severity: 'error',
    code: 'invalid',
    path: error.issues[0]?.path.join('.') ?? '',
    message: error.issues.map((i) => `${i.path.join('.') || 'request'}: ${i.message}`).join('; '),
  });
}
