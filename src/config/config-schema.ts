// The one configuration schema: every setting, its default, and what makes it valid.
import { WorkspaceConfigSchema } from '../outbound/outbound-config.ts';
import { z } from 'zod';

const port = z.number().int().min(0).max(65535);

export const MllpListenerSchema = z.strictObject({
  name: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'lowercase letters, digits and dashes'),
  host: z.string().min(1).default('127.0.0.1'),
  port: port.default(2575),
  maxFrameBytes: z
    .number()
    .int()
    .min(1024)
    .default(64 * 1024 * 1024),
  idleTimeoutMs: z.number().int().min(1000).default(300_000),
  maxConnections: z.number().int().min(1).default(200),
  /**
   * Who sends on this listener: an EHR (`ehr`: discharges, orders, registrations) or the pharmacy system
   * (`pharmacy`: its RDS^O13 dispenses and VXU^V04 vaccinations, reported to the EHR).
   */
  from: z.enum(['ehr', 'pharmacy']).default('ehr'),
  /** MLLP over TLS (1.2 minimum): PEM file paths; `caFile` + `requireClientCert` for mutual TLS. */
  tls: z
    .strictObject({
      certFile: z.string().min(1),
      keyFile: z.string().min(1),
      caFile: z.string().min(1).optional(),
      requireClientCert: z.boolean().default(false),
    })
    .refine((t) => !t.requireClientCert || t.caFile !== undefined, {
      message: 'requireClientCert needs caFile (the CA that signs client certificates)',
    })
    .optional(),
});

export const EhrKeySchema = z
  .strictObject({
    alg: z.enum(['RS384', 'ES384']),
    /** Key id published in our JWKS; default: derived from the public key. */
    kid: z.string().min(1).optional(),
    /** PEM (PKCS#8) or JWK file; or `env`: the name of a variable holding one. Never the key itself. */
    file: z.string().min(1).optional(),
    env: z
      .string()
      .regex(/^[A-Z_][A-Z0-9_]*$/, 'an environment variable name (the key itself never goes in config)')
      .optional(),
  })
  .refine((k) => (k.file === undefined) !== (k.env === undefined), {
    message: 'give exactly one of file or env',
  });

export const EhrEndpointSchema = z.strictObject({
  name: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'lowercase letters, digits and dashes'),
  /** FHIR base URL (tenant included where the vendor puts it in the path). */
  baseUrl: z.url({ protocol: /^https?$/ }),
  vendor: z.enum(['epic', 'oracle-health', 'athena', 'generic']).default('generic'),
  clientId: z.string().min(1),
  /** Space-separated scopes; default: the vendor profile's. */
  scope: z.string().min(1).optional(),
  /** Token endpoint; default: discovered from .well-known/smart-configuration. */
  tokenUrl: z.url().optional(),
  /** Optional `jku` header: our JWKS URL as registered with the EHR. */
  jku: z.url().optional(),
  key: EhrKeySchema,
  /** Keys being retired: still published in our JWKS until their tokens expire. */
  previousKeys: z.array(EhrKeySchema).default([]),
  /** Default: the vendor profile's rate. */
  rateLimitPerSecond: z.number().positive().max(1000).optional(),
  timeoutMs: z.number().int().min(100).default(30_000),
  deadlineMs: z.number().int().min(100).default(60_000),
  maxRetries: z.number().int().min(0).max(20).default(5),
  cacheTtlMs: z.number().int().min(0).default(30_000),
  maxResponseBytes: z
    .number()
    .int()
    .min(1024)
    .default(32 * 1024 * 1024),
  /**
   * How this EHR writes the identifiers the pharmacy records: assigning authority (as in PID-3.4 and the pharmacy's
   * patient identifiers, e.g. GENHOSP) → the EHR's Patient.identifier system (e.g. urn:oid:2.16.840.1.113883.3.1).
   * A pharmacy patient is linked to the EHR's record only through these, and only on an unambiguous match.
   */
  patientIdentifiers: z.record(z.string().min(1), z.string().min(1)).default({}),
});

export const ConfigSchema = z.strictObject({
  /** Where state lives: `sqlite:<path>` (embedded) or a `postgres://` URL (scaled). */
  store: z
    .string()
    .refine((s) => s.startsWith('sqlite:') || /^postgres(ql)?:\/\//.test(s), {
      message: 'must be sqlite:<path> or a postgres:// URL',
    })
    .default('sqlite:./data/rxbridge.db'),
  /** `local` (in-process) or a `nats://` URL (JetStream). */
  bus: z
    .string()
    .refine((s) => s === 'local' || s.startsWith('nats://'), { message: 'must be local or a nats:// URL' })
    .default('local'),
  http: z
    .strictObject({
      host: z.string().min(1).default('127.0.0.1'),
      port: port.default(8080),
      bodyLimitBytes: z
        .number()
        .int()
        .min(1024)
        .default(10 * 1024 * 1024),
      /** HTTPS (TLS 1.2 minimum): PEM file paths. */
      tls: z.strictObject({ certFile: z.string().min(1), keyFile: z.string().min(1) }).optional(),
    })
    .prefault({}),
  mllp: z
    .strictObject({
      listeners: z
        .array(MllpListenerSchema)
        .min(1)
        .default(() => [MllpListenerSchema.parse({ name: 'default' })]),
    })
    .prefault({}),
  worker: z
    .strictObject({
      /** Messages processed at once by this process (different patients only). */
      concurrency: z.number().int().min(1).max(256).default(8),
      leaseMs: z.number().int().min(1000).default(60_000),
      pollMs: z.number().int().min(10).default(500),
      maxAttempts: z.number().int().min(1).default(5),
      retryBaseMs: z.number().int().min(10).default(1000),
      retryMaxMs: z
        .number()
        .int()
        .min(10)
        .default(5 * 60_000),
    })
    .prefault({}),
  /** Scaled mode: the PostgreSQL schema and NATS stream this installation uses (one server can host several). */
  scaled: z
    .strictObject({
      postgresSchema: z
        .string()
        .regex(/^[a-z_][a-z0-9_]*$/, 'lowercase letters, digits and underscores')
        .default('rxbridge'),
      natsStream: z
        .string()
        .regex(/^[A-Za-z0-9_-]+$/, 'letters, digits, _ and -')
        .default('RXBRIDGE_EVENTS'),
      natsSubjectPrefix: z
        .string()
        .regex(/^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/, 'dot-separated tokens of letters, digits, _ and -')
        .default('rxbridge.events'),
    })
    .prefault({}),
  retention: z
    .strictObject({
      /** Finished messages older than this many days are pruned; 0 keeps everything. */
      days: z.number().int().min(0).default(90),
      /** At most this many finished messages are kept (the newest); 0: no limit. */
      maxFinished: z.number().int().min(0).default(0),
      /** Pruned messages are first written here (gzipped NDJSON, encrypted with the installation's keys). */
      archiveDir: z.string().min(1).optional(),
    })
    .prefault({}),
  /** C-CDA documents from a folder (an EHR export, a Direct gateway writing .xml/.eml/.zip files). */
  files: z
    .strictObject({
      /** Watched folder: each settled file is stored (keyed by ClinicalDocument/id) before anything else. */
      dropFolder: z.string().min(1).optional(),
      pollMs: z.number().int().min(100).max(3_600_000).default(1000),
    })
    .prefault({}),
  knowledge: z
    .strictObject({
      /** CDC CDSi supporting data directory (antigen XML files): enables vaccine care gaps in CDS Hooks patient-view. */
      cdsiDir: z.string().min(1).optional(),
      /**
       * RxNorm vocabulary written by `rxbridge terminology load`; when unset, ./data/terminology/rxnorm.json is
       * used if it exists, else the built-in starter vocabulary.
       */
      rxnormFile: z.string().min(1).optional(),
    })
    .prefault({}),
  /** Authentication and access (issue #9). Keys and secrets never live here: see docs/security.md. */
  security: z
    .strictObject({
      sessionIdleMinutes: z.number().int().min(1).max(1440).default(15),
      sessionAbsoluteHours: z.number().min(1).max(72).default(12),
      /** Site of objects that carry none (site scoping). */
      defaultSite: z.string().min(1).default('main'),
      /** Single sign-on: bearer JWTs from this issuer, verified against its JWKS. */
      oidc: z
        .strictObject({
          issuer: z.string().min(1),
          audience: z.string().min(1),
          jwksUrl: z.url(),
          rolesClaim: z.string().min(1).default('rxbridge_roles'),
          sitesClaim: z.string().min(1).default('rxbridge_sites'),
        })
        .optional(),
      /** CDS Hooks 2.0 clients (EHRs) trusted to call the services: their iss and JWKS URL. */
      cdsClients: z
        .array(
          z.strictObject({
            issuer: z.string().min(1),
            jwksUrl: z.url(),
            sites: z.array(z.string().min(1)).default([]),
          }),
        )
        .default([]),
    })
    .prefault({}),
  /** EHR connections (FHIR R4 with SMART Backend Services); secrets only by file path or variable name. */
  ehr: z
    .strictObject({
      endpoints: z.array(EhrEndpointSchema).default([]),
      /**
       * FHIR subscriptions the engine receives at POST /fhir/subscriptions/<name> (rest-hook or Backport bundles).
       * The shared secret is named by its environment variable, never written here.
       */
      subscriptions: z
        .array(
          z.strictObject({
            name: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'lowercase letters, digits and dashes'),
            endpoint: z.string().min(1),
            auth: z.enum(['hmac', 'bearer']),
            secretEnv: z.string().regex(/^[A-Z_][A-Z0-9_]*$/, 'an environment variable name'),
            maxSkewSeconds: z.number().int().min(1).max(3600).default(300),
          }),
        )
        .default([]),
      /** Where resources pulled or pushed from EHRs are kept (SQLite, sealed with the installation's keys). */
      resourceStore: z.string().min(1).default('./data/ehr.db'),
      /**
       * The flows that use the EHR (docs/ehr.md): a new prescription (RDE^O11/O25, OMP^O09) checked with the EHR's
       * allergies, problems and labs; a patient linked on registration (ADT^A01/A04/A08/A28/A31) or a first order,
       * then reconciled in full; a scheduled incremental sync of linked patients, changes reconciled.
       */
      flows: z
        .strictObject({
          /** Which ehr.endpoints entry (default: the first). */
          endpoint: z.string().min(1).optional(),
          reconcileOnLink: z.boolean().default(true),
          /** Minutes between incremental syncs of linked patients; 0 turns the sync off. */
          syncMinutes: z.number().min(0).max(1440).default(0),
        })
        .prefault({}),
    })
    .prefault({}),
  /** The pharmacist's workspace outbound (docs/workspace.md): pharmacy writers, the EHR, the registry, auto-apply. */
  workspace: WorkspaceConfigSchema,
  /** Phased rollout (docs/rollout.md): auto-mode guardrails and alert delivery. Modes are data: `rxbridge rollout set`. */
  rollout: z
    .strictObject({
      /** What auto mode may write (discharge reconciliation); everything else goes to a pharmacist. */
      guardrails: z
        .strictObject({
          types: z.array(z.string().min(1)).default(['discontinued-still-active', 'held-still-active']),
          minConfidence: z.number().min(0).max(1).default(0.7),
          maxPerHour: z.number().int().min(0).default(20),
          maxPerDay: z.number().int().min(0).default(100),
        })
        .prefault({}),
      alerts: z
        .strictObject({
          /** How often the engine evaluates the alert rules; 0 turns the evaluation off. */
          intervalMinutes: z.number().int().min(0).default(15),
          /** The period evaluated, against the one before it. */
          periodHours: z.number().positive().default(24),
          /** An open alert is notified again only after this long. */
          quietMinutes: z.number().int().min(0).default(60),
          /** Name of the environment variable holding the webhook URL (URLs often carry a token). */
          webhookUrlEnv: z
            .string()
            .regex(/^[A-Z_][A-Z0-9_]*$/, 'an environment variable name')
            .optional(),
          /** Email through the site's SMTP relay (plain SMTP; the relay does TLS and authentication). */
          smtp: z
            .strictObject({
              host: z.string().min(1),
              port: port.default(25),
              from: z.email(),
              to: z.array(z.email()).min(1),
            })
            .optional(),
        })
        .prefault({}),
    })
    .prefault({}),
  /** Load the demo pharmacy (a dozen fictional patients). */
  demo: z.boolean().default(false),
  log: z
    .strictObject({
      level: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    })
    .prefault({}),
});

export type Config = z.infer<typeof ConfigSchema>;
export type MllpListenerConfig = z.infer<typeof MllpListenerSchema>;
export type EhrEndpointConfig = z.infer<typeof EhrEndpointSchema>;
