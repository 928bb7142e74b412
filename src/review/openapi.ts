// The OpenAPI 3.1 document at /api/openapi.json, generated from the same zod schemas the routes validate with.
import type { FastifyContextConfig, FastifyInstance } from 'fastify';
import { z } from 'zod';
import { PUBLIC } from '../platform/http/http-server.ts';
import {
  CommentBody,
  FollowUpBody,
  ItemDecisionBody,
  NoteBody,
  TaskDecisionBody,
  TaskListQuery,
  TaskListSchema,
} from './task-routes.ts';

interface Operation {
  method: 'get' | 'post' | 'put' | 'delete';
  path: string;
  summary: string;
  permission: 'tasks:read' | 'tasks:decide' | 'messages:read' | 'messages:replay' | 'public';
  query?: z.ZodObject;
  body?: z.ZodType;
  response?: z.ZodType;
  responseType?: string;
}

const OPERATIONS: Operation[] = [
  {
    method: 'get',
    path: '/api/tasks',
    summary: 'The review queue, most urgent first, with counts by priority, SLA and type',
    permission: 'tasks:read',
    query: TaskListQuery,
    response: TaskListSchema,
  },
  {
    method: 'get',
    path: '/api/tasks/{id}',
    summary: 'One task: items with evidence and proposals, decisions, comments, effects, history, note',
    permission: 'tasks:read',
  },
  {
    method: 'post',
    path: '/api/tasks/{id}/claim',
    summary: 'Claim the task (open → claimed)',
    permission: 'tasks:decide',
  },
  {
    method: 'post',
    path: '/api/tasks/{id}/release',
    summary: 'Give the task back to the queue (claimed → open)',
    permission: 'tasks:decide',
  },
  {
    method: 'post',
    path: '/api/tasks/{id}/items/{itemId}/decision',
    summary: 'Approve, edit or reject one item, with a reason',
    permission: 'tasks:decide',
    body: ItemDecisionBody,
  },
  {
    method: 'post',
    path: '/api/tasks/{id}/decision',
    summary: 'Decide every undecided item at once (or a task without items)',
    permission: 'tasks:decide',
    body: TaskDecisionBody,
  },
  {
    method: 'post',
    path: '/api/tasks/{id}/comments',
    summary: 'Add a comment',
    permission: 'tasks:decide',
    body: CommentBody,
  },
  {
    method: 'post',
    path: '/api/tasks/{id}/note',
    summary: "Replace the engine's draft of the note to the PCP",
    permission: 'tasks:decide',
    body: NoteBody,
  },
  {
    method: 'post',
    path: '/api/tasks/{id}/apply',
    summary: 'Apply the decided effects (pharmacy write-back, EHR outbound); idempotent, retries failures',
    permission: 'tasks:decide',
  },
  {
    method: 'get',
    path: '/api/tasks/{id}/packet.json',
    summary: 'Prior-authorization packet as JSON',
    permission: 'tasks:read',
  },
  {
    method: 'get',
    path: '/api/tasks/{id}/packet.html',
    summary: 'Prior-authorization packet as a printable page',
    permission: 'tasks:read',
    responseType: 'text/html',
  },
  {
    method: 'get',
    path: '/api/patients/{id}/profile',
    summary: 'The pharmacy profile with notes written by decisions',
    permission: 'tasks:read',
  },
  {
    method: 'get',
    path: '/api/patients/{id}/timeline',
    summary: "The patient's messages, tasks, decisions and fills, newest first",
    permission: 'tasks:read',
  },
  {
    method: 'post',
    path: '/api/patients/{id}/follow-ups',
    summary:
      'Start a follow-up: adherence note, prior-authorization packet, MTM summary, or a medication review (allergy, interaction, renal-dose tasks)',
    permission: 'tasks:decide',
    body: FollowUpBody,
  },
  {
    method: 'get',
    path: '/api/dashboard',
    summary: 'Messages by state, tasks by type, approval rate, time to review, minutes saved, error rates',
    permission: 'tasks:read',
  },
  {
    method: 'get',
    path: '/api/messages',
    summary: 'Stored messages (no content in the list); ?state, ?channel, ?type, ?patient, ?before, ?limit',
    permission: 'messages:read',
  },
  {
    method: 'get',
    path: '/api/messages/{id}',
    summary: 'One message with its raw text and lifecycle',
    permission: 'messages:read',
  },
  {
    method: 'post',
    path: '/api/messages/{id}/replay',
    summary: 'Reprocess a message from its raw bytes',
    permission: 'messages:replay',
  },
];

const OUTCOME = {
  description: 'FHIR OperationOutcome: what was wrong and where',
  content: { 'application/fhir+json': { schema: { $ref: '#/components/schemas/OperationOutcome' } } },
};

const schemaOf = (t: z.ZodType): Record<string, unknown> => {
  const s = z.toJSONSchema(t, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  delete s.$schema;
  return s;
};

export function openApiDocument(): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const op of OPERATIONS) {
    const params = [...op.path.matchAll(/\{(\w+)\}/g)].map((m) => ({
      name: m[1],
      in: 'path',
      required: true,
      schema: { type: 'string' },
    }));
    const query = op.query
      ? Object.entries((schemaOf(op.query).properties ?? {}) as Record<string, Record<string, unknown>>).map(
          ([name, schema]) => ({ name, in: 'query', required: false, schema }),
        )
      : [];
    paths[op.path] ??= {};
    paths[op.path]![op.method] = {
      summary: op.summary,
      ...(op.permission === 'public' ? { security: [] } : { 'x-permission': op.permission }),
      parameters: [...params, ...query],
      ...(op.body
        ? { requestBody: { required: true, content: { 'application/json': { schema: schemaOf(op.body) } } } }
        : {}),
      responses: {
        '200': {
          description: 'OK',
          content: {
            [op.responseType ?? 'application/json']: { schema: op.response ? schemaOf(op.response) : {} },
          },
        },
        '400': OUTCOME,
        '401': OUTCOME,
        '403': OUTCOME,
        '404': OUTCOME,
        '409': OUTCOME,
      },
    };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'RxBridge workspace API',
      version: '1',
      description:
        'The review queue, decisions and their effects. Errors are FHIR R4 OperationOutcome resources.',
    },
    components: {
      securitySchemes: { session: { type: 'apiKey', in: 'cookie', name: 'rxb_session' } },
      schemas: {
        OperationOutcome: {
          type: 'object',
          required: ['resourceType', 'issue'],
          properties: {
            resourceType: { const: 'OperationOutcome' },
            issue: {
              type: 'array',
              items: {
                type: 'object',
                properties: {
                  severity: { type: 'string' },
                  code: { type: 'string' },
                  diagnostics: { type: 'string' },
                  expression: { type: 'array', items: { type: 'string' } },
                },
              },
            },
          },
        },
      },
    },
    security: [{ session: [] }],
    paths,
  };
}

export function registerOpenApiRoute(app: FastifyInstance): void {
  const document = openApiDocument();
  const config: FastifyContextConfig = { policy: PUBLIC };
  app.get('/api/openapi.json', { config }, () => document);
}
