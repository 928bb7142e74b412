// The pharmacist's workspace put together: review service, effects (write-back, EHR outbound), the one task creation
// path, routing, and the REST routes with their OpenAPI document. main.ts builds it once per engine.
import type { Bundle } from '@medplum/fhirtypes';
import type { FastifyInstance } from 'fastify';
import type { AuditLog } from '../governance/audit/audit-log.ts';
import type { Clock } from '../kernel/clock.ts';
import { convertHl7v2 } from '../normalize/hl7v2/convert-hl7v2.ts';
import type { EhrClient } from '../platform/ehr/ehr-client.ts';
import type { Logger } from '../platform/log/logger.ts';
import type { EngineMetrics } from '../platform/metrics/metrics.ts';
import type { MessageStore } from '../platform/store/message-store.ts';
import type { NewTask, TaskStore } from '../platform/store/task-store.ts';
import {
  createReviewTask,
  DEFAULT_ROUTING_POLICY,
  withRouting,
  type CreatedTask,
  type RoutingPolicy,
} from '../review/create-task.ts';
import { registerOpenApiRoute } from '../review/openapi.ts';
import { createReviewService, type ReviewService } from '../review/review-service.ts';
import { registerWorkspaceRoutes } from '../review/task-routes.ts';
import type { Terminology } from '../terminology/terminology.ts';
import { createTaskEffects } from './apply-task.ts';
import { treatmentConsent, type ConsentGate } from './consent-gate.ts';
import type { ImmunizationRegistry } from './hl7v2/immunization-registry.ts';
import type { PharmacyWriter } from './pharmacy/pharmacy-writer.ts';
import type { WritablePharmacy } from './pharmacy/writable-pharmacy.ts';
import type { PharmacySystem } from '../platform/pharmacy/pharmacy-system.ts';

export interface WorkspaceOptions {
  /** Writers after the embedded pharmacy (an HL7 v2 RDE feed, a FHIR pharmacy system). */
  writers?: PharmacyWriter[];
  /** Writers that read the engine's pharmacy (built from config before the pharmacy exists); after `writers`. */
  writerFactories?: Array<(pharmacy: PharmacySystem) => PharmacyWriter>;
  /** The EHR notes to the PCP, reported dispenses and immunizations go to. */
  ehr?: EhrClient;
  /** Identifier system of the EHR's MRN for an assigning authority (default `urn:rxbridge:authority:<aa>`). */
  ehrPatientSystem?: (authority: string) => string;
  /** How notes to the PCP are filed: a Communication (default) or a DocumentReference. */
  noteAs?: 'communication' | 'document';
  /** The immunization registry approved immunization reports are sent to (VXU^V04 over MLLP). */
  registry?: ImmunizationRegistry;
  /** Releases what the options hold open (registry and writer connections); called by Workspace.close. */
  close?: () => Promise<void>;
  /** The consent registry (governance); without one, treatment purposes are allowed (see consent-gate.ts). */
  consent?: ConsentGate;
  policy?: RoutingPolicy;
  /** How often dead letters are turned into exception tasks (default 5 s). */
  exceptionSyncMs?: number;
}

export interface WorkspaceDeps {
  tasks: TaskStore;
  messages: MessageStore;
  audit: AuditLog;
  clock: Clock;
  logger: Logger;
  metrics?: EngineMetrics;
  pharmacy: WritablePharmacy;
  terminology: Terminology;
  /** The site of records without one (config security.defaultSite). */
  defaultSite?: string;
  options?: WorkspaceOptions;
}

export interface Workspace {
  review: ReviewService;
  /** The one creation path for tasks made outside the pipeline (follow-ups, rollout). */
  createTask(task: NewTask, actor: string, source: string): Promise<CreatedTask>;
  /** The TaskStore to give the pipeline: new tasks are routed (auto-apply) after the pipeline stores them. */
  pipelineTasks: TaskStore;
  /** Creates an exception task for each dead-lettered message not yet in the queue; returns how many. */
  syncExceptions(): Promise<number>;
  register(app: FastifyInstance): void;
  /** Closes the outbound connections the options hold (registry, HL7 v2 writers). Safe to call twice. */
  close(): Promise<void>;
}

export function createWorkspace(deps: WorkspaceDeps): Workspace {
  const options = deps.options ?? {};
  const consent = options.consent ?? treatmentConsent();
  const policy = options.policy ?? DEFAULT_ROUTING_POLICY;
  const effects = createTaskEffects({
    writers: [
      deps.pharmacy,
      ...(options.writers ?? []),
      ...(options.writerFactories ?? []).map((make) => make(deps.pharmacy)),
    ],
    pharmacy: deps.pharmacy,
    consent,
    ...(options.ehr ? { ehr: options.ehr } : {}),
    ...(options.ehrPatientSystem ? { ehrPatientSystem: options.ehrPatientSystem } : {}),
    ...(options.noteAs ? { noteAs: options.noteAs } : {}),
    ...(options.registry ? { registry: options.registry } : {}),
    audit: deps.audit,
    clock: deps.clock,
  });
  const review = createReviewService({ tasks: deps.tasks, audit: deps.audit, clock: deps.clock, effects });
  const createTask = (task: NewTask, actor: string, source: string): Promise<CreatedTask> =>
    createReviewTask(
      {
        tasks: deps.tasks,
        audit: deps.audit,
        policy,
        review,
        actor,
        source,
        ...(deps.metrics ? { metrics: deps.metrics } : {}),
      },
      task,
    );
  const bundlesOf = async (partitionKey: string): Promise<Bundle[]> => {
    const out: Bundle[] = [];
    for (const m of await deps.messages.list({ partitionKey, limit: 100 })) {
      if (m.format !== 'hl7v2') continue;
      const converted = convertHl7v2(Buffer.from(m.raw).toString('utf8'), {
        messageId: m.id,
        receivedAt: m.receivedAt,
      });
      if (converted.ok) out.push(converted.value);
    }
    return out;
  };
  /**
   * The exception queue: every dead-lettered message becomes an `exception` task (once, keyed by the message) so
   * what could not be processed is in front of someone, beside the failed applies.
   */
  const syncExceptions = async (): Promise<number> => {
    let created = 0;
    for (const m of await deps.messages.list({ state: 'dead', limit: 200 })) {
      const result = await createTask(
        {
          key: `exception:${m.id}`,
          type: 'exception',
          priority: 'high',
          patient: { sourceIdentifier: m.partitionKey, display: `${m.partitionKey} (message not processed)` },
          sourceMessageId: m.id,
          payload: {
            summary: `${m.summary.type ?? m.format} ${m.summary.controlId ?? ''} from ${m.summary.sender ?? m.channel} could not be processed: ${(m.lastError ?? 'unknown error').slice(0, 300)}`,
            items: [],
            source: { messageId: m.id, type: m.summary.type ?? null, controlId: m.summary.controlId ?? null },
          },
        },
        'system:workspace',
        'exception-queue',
      );
      if (result.created) created++;
    }
    return created;
  };

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => (closing ??= options.close?.() ?? Promise.resolve());

  return {
    review,
    createTask,
    syncExceptions,
    close,
    pipelineTasks: withRouting(deps.tasks, {
      policy,
      review,
      onError: (taskId, error) =>
        deps.logger.warn(
          { taskId, err: error instanceof Error ? error.message : String(error) },
          'auto-apply failed; the task stays in the queue',
        ),
    }),
    register(app) {
      registerWorkspaceRoutes(app, {
        tasks: deps.tasks,
        messages: deps.messages,
        audit: deps.audit,
        clock: deps.clock,
        review,
        pharmacy: deps.pharmacy,
        terminology: deps.terminology,
        notesOf: (id) => deps.pharmacy.notesOf(id),
        bundlesOf,
        ...(deps.defaultSite ? { defaultSite: deps.defaultSite } : {}),
        createTask: (task) => createTask(task, 'system:workspace', 'POST /api/patients/:id/follow-ups'),
      });
      registerOpenApiRoute(app);
      // Dead letters reach the exception queue within a few seconds, for as long as the server runs.
      const timer = setInterval(() => {
        syncExceptions().catch((error: unknown) =>
          deps.logger.warn(
            { err: error instanceof Error ? error.message : String(error) },
            'exception sync failed',
          ),
        );
      }, options.exceptionSyncMs ?? 5_000);
      timer.unref();
      app.addHook('onClose', () => {
        clearInterval(timer);
        return close();
      });
    },
  };
}
