// REST routes for the message browser: list, show (raw + lifecycle events), replay. Every PHI read is audited.
import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import type { AuditLog } from '../governance/audit/audit-log.ts';
import { actorOf } from '../governance/rbac/roles.ts';
import { sendIssue } from '../platform/http/http-server.ts';
import { MESSAGE_STATES, canReplay, type MessageState } from '../platform/store/message-state.ts';
import type { MessageStore, StoredMessage } from '../platform/store/message-store.ts';

const ListQuery = z.strictObject({
  state: z.enum(MESSAGE_STATES as [MessageState, ...MessageState[]]).optional(),
  channel: z.string().max(100).optional(),
  type: z.string().max(40).optional(),
  /** The patient (partition) key as the message detail shows it, e.g. `GENHOSP|MRN10001`. */
  patient: z.string().min(1).max(300).optional(),
  before: z.coerce.number().int().positive().optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
});

const ReplayBody = z.strictObject({ reason: z.string().trim().min(3).max(500) });

export interface MessageRoutesDeps {
  messages: MessageStore;
  audit: AuditLog;
  /** Called after a replay so workers pick the message up at once. */
  onReplay?: (message: StoredMessage) => void;
}

/** The list view carries no message content: only ids, states and header summaries. */
export function messageSummaryJson(m: StoredMessage): Record<string, unknown> {
  return {
    id: m.id,
    // Messages belong to the installation's default site (site scoping hides them from other sites' users).
    site: null,
    sequence: m.sequence,
    channel: m.channel,
    format: m.format,
    type: m.summary.type ?? null,
    controlId: m.summary.controlId ?? null,
    sender: m.summary.sender ?? null,
    state: m.state,
    ack: m.ack,
    attempts: m.attempts,
    nextAttemptAt: m.nextAttemptAt?.toISOString() ?? null,
    lastError: m.lastError,
    duplicateOf: m.duplicateOf,
    receivedAt: m.receivedAt.toISOString(),
    updatedAt: m.updatedAt.toISOString(),
  };
}

export function registerMessageRoutes(app: FastifyInstance, deps: MessageRoutesDeps): void {
  app.get(
    '/api/messages',
    { config: { policy: { permission: 'messages:read', phi: true } } },
    async (request, reply) => {
      const query = ListQuery.safeParse(request.query);
      if (!query.success) return badQuery(reply, query.error);
      const q = query.data;
      const list = await deps.messages.list({
        limit: q.limit,
        ...(q.state ? { state: q.state } : {}),
        ...(q.channel ? { channel: q.channel } : {}),
        ...(q.type ? { type: q.type } : {}),
        ...(q.patient ? { partitionKey: q.patient } : {}),
        ...(q.before ? { beforeSequence: q.before } : {}),
      });
      await deps.audit.record({
        actor: actorOf(request.principal),
        action: 'read',
        category: 'message',
        source: 'GET /api/messages',
        outcome: 'success',
        ...(q.patient ? { patient: q.patient } : {}),
        detail: `listed ${list.length}`,
      });
      const last = list[list.length - 1];
      return {
        messages: list.map(messageSummaryJson),
        next:
          list.length === q.limit && last ? `/api/messages?before=${last.sequence}&limit=${q.limit}` : null,
      };
    },
  );

  app.get<{ Params: { id: string } }>(
    '/api/messages/:id',
    { config: { policy: { permission: 'messages:read', phi: true } } },
    async (request, reply) => {
      const message = await deps.messages.get(request.params.id);
      if (!message) {
        return sendIssue(reply, 404, {
          severity: 'error',
          code: 'not-found',
          path: 'id',
          message: 'no such message',
        });
      }
      await deps.audit.record({
        actor: actorOf(request.principal),
        action: 'read',
        category: 'message',
        patient: message.partitionKey,
        entity: message.id,
        source: 'GET /api/messages/:id',
        outcome: 'success',
      });
      const events = await deps.messages.events(message.id);
      return {
        ...messageSummaryJson(message),
        /** The patient (partition) key: `GET /api/messages?patient=` lists that patient's messages. */
        patient: message.partitionKey,
        raw: Buffer.from(message.raw).toString('utf8'),
        events: events.map((e) => ({
          at: e.at.toISOString(),
          from: e.from,
          to: e.to,
          actor: e.actor,
          detail: e.detail,
        })),
      };
    },
  );

  app.post<{ Params: { id: string } }>(
    '/api/messages/:id/replay',
    { config: { policy: { permission: 'messages:replay', phi: true } } },
    async (request, reply) => {
      const body = ReplayBody.safeParse(request.body ?? {});
      if (!body.success) return badQuery(reply, body.error);
      const message = await deps.messages.get(request.params.id);
      if (!message) {
        return sendIssue(reply, 404, {
          severity: 'error',
          code: 'not-found',
          path: 'id',
          message: 'no such message',
        });
      }
      if (!canReplay(message.state)) {
        return sendIssue(reply, 409, {
          severity: 'error',
          code: 'processing',
          path: 'state',
          message: `a message in state ${message.state} cannot be replayed (still in the pipeline or a duplicate)`,
        });
      }
      await deps.messages.replay(message.id, actorOf(request.principal), body.data.reason);
      deps.onReplay?.(message);
      return reply.code(202).send({ id: message.id, state: 'received' });
    },
  );
}

function badQuery(reply: FastifyReply, error: z.ZodError): FastifyReply {
  const first = error.issues[0];
  return sendIssue(reply, 400, {
    severity: 'error',
    code: 'invalid',
    path: first?.path.join('.') ?? '',
    message: error.issues.map((i) => `${i.path.join('.') || 'request'}: ${i.message}`).join('; '),
  });
}
