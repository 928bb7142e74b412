// CDS Hooks 2.0 response shapes as zod schemas: discovery and service responses, used to check what we send.
// Section names below are those of the CDS Hooks 2.0 specification (cds-hooks.hl7.org/2.0).
import { z } from 'zod';

/** §Discovery, "Prefetch Template": a map of keys to FHIR query templates. */
const PrefetchTemplates = z.record(z.string(), z.string());

/** §Discovery, "CDS Service": hook, id and description required; title, prefetch, usageRequirements optional. */
export const CdsServiceSchema = z.looseObject({
  hook: z.string().min(1),
  title: z.string().optional(),
  description: z.string().min(1),
  id: z.string().min(1),
  prefetch: PrefetchTemplates.optional(),
  usageRequirements: z.string().optional(),
});

/** §Discovery, "Response": an object with a `services` array. */
export const DiscoveryResponseSchema = z.looseObject({ services: z.array(CdsServiceSchema) });

/** §Card Attributes, "Source": label required; url, icon (absolute URL, 100×100 PNG), topic (a Coding) optional. */
const SourceSchema = z.looseObject({
  label: z.string().min(1),
  url: z.url().optional(),
  icon: z.url().optional(),
  topic: z
    .looseObject({ system: z.string().optional(), code: z.string(), display: z.string().optional() })
    .optional(),
});

/** §Card Attributes, "Action": type create|update|delete and a description; resource / resourceId by type. */
const ActionSchema = z
  .looseObject({
    type: z.enum(['create', 'update', 'delete']),
    description: z.string().min(1),
    resource: z.looseObject({ resourceType: z.string() }).optional(),
    resourceId: z.union([z.string(), z.array(z.string())]).optional(),
  })
  .refine((a) => (a.type === 'delete' ? a.resourceId !== undefined : a.resource !== undefined), {
    message: 'create/update need resource; delete needs resourceId',
  });

/** §Card Attributes, "Suggestion": label required; uuid, isRecommended, actions optional. */
const SuggestionSchema = z.looseObject({
  label: z.string().min(1),
  uuid: z.string().optional(),
  isRecommended: z.boolean().optional(),
  actions: z.array(ActionSchema).optional(),
});

/** §Card Attributes, "Link": label, url and type absolute|smart; appContext only for smart links. */
const LinkSchema = z.looseObject({
  label: z.string().min(1),
  url: z.url(),
  type: z.enum(['absolute', 'smart']),
  appContext: z.string().optional(),
});

/** §Card Attributes, "Override Reason": a Coding. */
const OverrideReasonSchema = z.looseObject({
  code: z.string(),
  system: z.string(),
  display: z.string().optional(),
});

/**
 * §Card Attributes: summary (a "<140-character" one-line message) and indicator info|warning|critical and
 * source are required; selectionBehavior (at-most-one | any) MUST be present when suggestions are.
 */
export const CardSchema = z
  .looseObject({
    uuid: z.string().optional(),
    summary: z.string().min(1).max(140),
    detail: z.string().optional(),
    indicator: z.enum(['info', 'warning', 'critical']),
    source: SourceSchema,
    suggestions: z.array(SuggestionSchema).optional(),
    selectionBehavior: z.enum(['at-most-one', 'any']).optional(),
    overrideReasons: z.array(OverrideReasonSchema).optional(),
    links: z.array(LinkSchema).optional(),
  })
  .refine((c) => !c.suggestions?.length || c.selectionBehavior !== undefined, {
    message: 'selectionBehavior is required when suggestions are present',
    path: ['selectionBehavior'],
  });

/** §CDS Service Response: cards required (may be empty); systemActions optional (Actions). */
export const ServiceResponseSchema = z.looseObject({
  cards: z.array(CardSchema),
  systemActions: z.array(ActionSchema).optional(),
});
