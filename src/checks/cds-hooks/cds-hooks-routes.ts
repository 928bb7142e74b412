// CDS Hooks 2.0 service: discovery, order-select / order-sign (medication checks as cards) and patient-view.
import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import type { AuditLog } from '../../governance/audit/audit-log.ts';
import { actorOf } from '../../governance/rbac/roles.ts';
import type { Resource } from '../../kernel/fhir.ts';
import { operationOutcome } from '../../platform/http/http-server.ts';
import type { Terminology } from '../../terminology/terminology.ts';
import type { CareGapEngine } from '../care-gaps/care-gaps.ts';
import type { Finding } from '../finding.ts';
import { clampSummary, sortFindings } from '../finding.ts';
import { drugOrderFromFhir, factsFromResources, patientFromFhir, resourcesOf } from '../fhir-check-input.ts';
import { preparePatientContext, runChecks } from '../run-checks.ts';

export interface CdsHooksDeps {
  terminology: Terminology;
  /** Vaccine care gaps for patient-view (absent: patient-view answers with medication checks only). */
  careGaps?: CareGapEngine;
  now?: () => Date;
  /** Every service call is audited (the prefetch is patient data). */
  audit?: AuditLog;
}

const PREFETCH = {
  patient: 'Patient/{{context.patientId}}',
  allergies: 'AllergyIntolerance?patient={{context.patientId}}',
  conditions: 'Condition?patient={{context.patientId}}&clinical-status=active',
  labs: 'Observation?patient={{context.patientId}}&code=http://loinc.org|33914-3,http://loinc.org|62238-1,http://loinc.org|98979-8,http://loinc.org|6301-6&_sort=-date',
  medications: 'MedicationRequest?patient={{context.patientId}}&status=active',
} as const;

export const CDS_SERVICES = [
  {
    hook: 'order-select',
    id: 'rxbridge-medication-checks-select',
    title: 'RxBridge medication checks',
    description:
      'Allergy, interaction (ONC high-priority), duplicate, drug-disease, renal, INR and age checks on selected medication orders.',
    prefetch: PREFETCH,
  },
  {
    hook: 'order-sign',
    id: 'rxbridge-medication-checks-sign',
    title: 'RxBridge medication checks',
    description: 'The same checks at signing.',
    prefetch: PREFETCH,
  },
  {
    hook: 'patient-view',
    id: 'rxbridge-patient-view',
    title: 'RxBridge vaccines and medication review',
    description: 'Adult vaccines due per ACIP and interactions among active medicines.',
    prefetch: {
      patient: PREFETCH.patient,
      medications: PREFETCH.medications,
      immunizations: 'Immunization?patient={{context.patientId}}',
    },
  },
] as const;

const Bundle = z.looseObject({
  resourceType: z.literal('Bundle'),
  entry: z
    .array(z.looseObject({ resource: z.looseObject({ resourceType: z.string() }).optional() }))
    .optional(),
});
const Request = z.object({
  hook: z.string().min(1),
  hookInstance: z.string().min(1),
  fhirServer: z.string().optional(),
  context: z.looseObject({
    patientId: z.string().min(1),
    userId: z.string().optional(),
    draftOrders: Bundle.optional(),
  }),
  prefetch: z.record(z.string(), z.unknown().nullable()).optional(),
});
type CdsRequest = z.infer<typeof Request>;

export interface Card {
  uuid?: string;
  summary: string;
  detail?: string;
  indicator: 'info' | 'warning' | 'critical';
  source: { label: string; url?: string };
  /** CDS Hooks 2.0 §Card Attributes: required whenever suggestions are present. */
  selectionBehavior?: 'at-most-one' | 'any';
  suggestions?: Array<{
    label: string;
    actions?: Array<{ type: 'create' | 'update' | 'delete'; description: string; resourceId?: string }>;
  }>;
}

function indicatorOf(f: Finding): Card['indicator'] {
  if (f.severity === 'critical') return 'critical';
  if (f.severity === 'high' || f.severity === 'moderate') return 'warning';
  return 'info';
}

export function cardOf(f: Finding, orderId?: string): Card {
  const card: Card = {
    summary: clampSummary(f.summary),
    detail: `${f.detail}\n\nEvidence: ${f.evidence.join('; ')}`,
    indicator: indicatorOf(f),
    source: { ...f.source },
  };
  if (orderId && (f.severity === 'critical' || f.severity === 'high')) {
    card.selectionBehavior = 'at-most-one';
    card.suggestions = [
      {
        label: 'Remove this medication order',
        actions: [
          {
            type: 'delete',
            description: `Remove the ${f.drugs[0] ?? 'medication'} order`,
            resourceId: orderId,
          },
        ],
      },
    ];
  }
  return card;
}

function missingCard(missing: readonly string[]): Card {
  return {
    summary: clampSummary(`Checks incomplete: prefetch missing ${missing.join(', ')}`),
    detail: `The request did not carry ${missing.join(', ')}. Checks that need them were skipped; configure these prefetch templates or allow FHIR access.`,
    indicator: 'info',
    source: { label: 'RxBridge' },
  };
}

function prefetchResources(req: CdsRequest, key: string): Resource[] | undefined {
  const value = req.prefetch?.[key];
  if (value === undefined || value === null) return undefined;
  const v = value as { resourceType?: string };
  if (v.resourceType === 'Bundle') return resourcesOf(value);
  return v.resourceType ? [value as Resource] : undefined;
}

export function answerOrderHook(req: CdsRequest, deps: CdsHooksDeps): { cards: Card[] } {
  const now = deps.now?.() ?? new Date();
  const missing: string[] = [];
  const gathered: Resource[] = [];
  for (const key of ['patient', 'allergies', 'conditions', 'labs', 'medications']) {
    const found = prefetchResources(req, key);
    if (found) gathered.push(...found);
    else missing.push(key);
  }
  const facts = factsFromResources(gathered);
  const drafts = resourcesOf(req.context.draftOrders).filter((r) => r.resourceType === 'MedicationRequest');
  const cards: Card[] = [];
  // The patient's facts once per request, shared by every draft order.
  const context = preparePatientContext({
    patient: patientFromFhir(facts.patient, now),
    allergies: facts.allergies,
    problems: facts.problems,
    labs: facts.labs,
    activeMedications: facts.medications,
    terminology: deps.terminology,
    asOf: now,
  });
  for (const draft of drafts) {
    if (draft.resourceType !== 'MedicationRequest') continue;
    const findings = runChecks({ order: drugOrderFromFhir(draft), context });
    for (const f of findings) cards.push(cardOf(f, draft.id ? `MedicationRequest/${draft.id}` : undefined));
  }
  if (missing.length > 0) cards.push(missingCard(missing));
  return { cards };
}

export function answerPatientView(req: CdsRequest, deps: CdsHooksDeps): { cards: Card[] } {
  const now = deps.now?.() ?? new Date();
  const gathered = ['patient', 'medications', 'immunizations'].flatMap(
    (k) => prefetchResources(req, k) ?? [],
  );
  const facts = factsFromResources(gathered);
  const cards: Card[] = [];
  const missing = ['patient', 'medications', 'immunizations'].filter((k) => !prefetchResources(req, k));
  // Interactions among active medicines, each pair once.
  const context = preparePatientContext({
    patient: patientFromFhir(facts.patient, now),
    allergies: [],
    problems: [],
    labs: [],
    activeMedications: facts.medications,
    terminology: deps.terminology,
    asOf: now,
  });
  const findings: Finding[] = [];
  facts.medications.forEach((order, i) => {
    const later = facts.medications.slice(i + 1);
    findings.push(
      ...runChecks({ order, context, activeMedications: later }, { only: ['drug-drug-interaction'] }),
    );
  });
  for (const f of sortFindings(findings)) cards.push(cardOf(f));
  if (deps.careGaps && facts.patient?.birthDate) {
    for (const gap of deps.careGaps.evaluate({
      birthDate: facts.patient.birthDate,
      immunizations: facts.immunizations,
      asOf: now,
    })) {
      if (gap.status !== 'due' && gap.status !== 'overdue') continue;
      cards.push({
        summary: clampSummary(`${gap.vaccineGroup} vaccine ${gap.status}`),
        detail: gap.reason,
        indicator: gap.status === 'overdue' ? 'warning' : 'info',
        source: gap.source,
      });
    }
  }
  if (missing.length > 0) cards.push(missingCard(missing));
  return { cards };
}

function badRequest(reply: FastifyReply, message: string, path = ''): FastifyReply {
  return reply
    .code(400)
    .type('application/fhir+json')
    .send(operationOutcome([{ severity: 'error', code: 'invalid', path, message }]));
}

export function registerCdsHooksRoutes(app: FastifyInstance, deps: CdsHooksDeps): void {
  app.get('/cds-services', { config: { policy: { public: true } } }, () => ({ services: CDS_SERVICES }));
  for (const service of CDS_SERVICES) {
    app.post(
      `/cds-services/${service.id}`,
      { config: { policy: { permission: 'cds:invoke', phi: true } } },
      async (request, reply) => {
        const parsed = Request.safeParse(request.body);
        if (!parsed.success) {
          const issue = parsed.error.issues[0];
          return badRequest(
            reply,
            `invalid CDS Hooks request: ${issue?.path.join('.') || '(body)'}: ${issue?.message ?? 'invalid'}`,
            issue?.path.join('.') ?? '',
          );
        }
        if (parsed.data.hook !== service.hook)
          return badRequest(
            reply,
            `service ${service.id} answers ${service.hook}, not ${parsed.data.hook}`,
            'hook',
          );
        if (service.hook !== 'patient-view' && !parsed.data.context.draftOrders)
          return badRequest(
            reply,
            'context.draftOrders (a Bundle of MedicationRequest) is required',
            'context.draftOrders',
          );
        const patientId = (parsed.data.context as { patientId?: unknown }).patientId;
        // The prefetch is patient data read on the client's behalf: audited before any card goes back.
        await deps.audit?.record({
          actor: actorOf(request.principal),
          action: 'read',
          category: 'cds-hooks',
          ...(typeof patientId === 'string' ? { patient: patientId } : {}),
          source: `POST /cds-services/${service.id}`,
          outcome: 'success',
        });
        return service.hook === 'patient-view'
          ? answerPatientView(parsed.data, deps)
          : answerOrderHook(parsed.data, deps);
      },
    );
  }
}
