// The `workspace` config block: which pharmacy writers approved changes go through, which EHR endpoint notes,
// dispenses and immunizations go to, the immunization registry, and what the routing policy may auto-apply.
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { ErrorCode, RxBridgeError } from '../kernel/errors.ts';
import type { Issue } from '../kernel/result.ts';
import type { EhrClient } from '../platform/ehr/ehr-client.ts';
import type { Logger } from '../platform/log/logger.ts';
import type { PharmacySystem } from '../platform/pharmacy/pharmacy-system.ts';
import { REVIEW_TASK_TYPES, ReviewTaskType } from '../review/task-model.ts';
import type { MllpClientTlsOptions } from '../inbound/mllp/mllp-sender.ts';
import { createMllpRegistry } from './hl7v2/immunization-registry.ts';
import { openMllpOutbound, type MllpOutbound } from './hl7v2/mllp-outbound.ts';
import { createFhirPharmacyWriter } from './pharmacy/fhir-pharmacy-writer.ts';
import { createHl7PharmacyWriter } from './pharmacy/hl7v2-pharmacy-writer.ts';
import type { PharmacyWriter } from './pharmacy/pharmacy-writer.ts';
import type { WorkspaceOptions } from './workspace.ts';

const name = z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'lowercase letters, digits and dashes');
const port = z.number().int().min(1).max(65535);
const ackTimeoutMs = z.number().int().min(100).max(600_000).default(30_000);

/** MLLP over TLS (1.2 minimum) to a peer: the CA that signs its certificate; our certificate for mutual TLS. */
const MllpTlsSchema = z
  .strictObject({
    caFile: z.string().min(1),
    certFile: z.string().min(1).optional(),
    keyFile: z.string().min(1).optional(),
  })
  .refine((t) => (t.certFile === undefined) === (t.keyFile === undefined), {
    message: 'give certFile and keyFile together (mutual TLS) or neither',
  });

const Hl7WriterSchema = z.strictObject({
  kind: z.literal('hl7v2'),
  /** Shown in effect records as `hl7v2:<name>`. */
  name,
  host: z.string().min(1),
  port,
  tls: MllpTlsSchema.optional(),
  ackTimeoutMs,
});

const FhirWriterSchema = z.strictObject({
  kind: z.literal('fhir'),
  /** An `ehr.endpoints` name: the pharmacy system's FHIR API. */
  endpoint: z.string().min(1),
  /** MedicationRequest.identifier system of the Rx number on that server. */
  rxNumberSystem: z.string().min(1).default('urn:rxbridge:pharmacy:rx-number'),
  /** Patient identifier system of the pharmacy patient id on that server. */
  patientIdSystem: z.string().min(1).default('urn:rxbridge:pharmacy:patient'),
});

const RegistrySchema = z.strictObject({
  name,
  host: z.string().min(1),
  port,
  tls: MllpTlsSchema.optional(),
  ackTimeoutMs,
  /** MSH-4: our facility id as the registry assigned it; default: the task's site. */
  sendingFacility: z.string().min(1).optional(),
  /** MSH-5 / MSH-6 the registry expects; default: the registry's name. */
  receivingApplication: z.string().min(1).optional(),
  receivingFacility: z.string().min(1).optional(),
});

export const DEFAULT_AUTO_APPLY_TYPES: readonly ReviewTaskType[] = [
  ReviewTaskType.DispenseReport,
  ReviewTaskType.ImmunizationReport,
];

export const WorkspaceConfigSchema = z
  .strictObject({
    /** Pharmacy writers after the embedded pharmacy, in order. */
    writers: z.array(z.discriminatedUnion('kind', [Hl7WriterSchema, FhirWriterSchema])).default([]),
    /** The `ehr.endpoints` entry notes, dispenses and immunizations go to; default: the first. */
    ehrEndpoint: z.string().min(1).optional(),
    /** How notes to the PCP are filed in the EHR: a Communication, or a DocumentReference (EHRs that file notes). */
    noteAs: z.enum(['communication', 'document']).default('communication'),
    /** VXU^V04 over MLLP for approved immunization reports. */
    immunizationRegistry: RegistrySchema.optional(),
    /** What the routing policy applies without a pharmacist: these types, every item low priority and this sure. */
    autoApply: z
      .strictObject({
        types: z.array(z.enum(REVIEW_TASK_TYPES)).default(() => [...DEFAULT_AUTO_APPLY_TYPES]),
        minConfidence: z.number().min(0).max(1).default(0.95),
      })
      .prefault({}),
  })
  .prefault({});
export type WorkspaceConfig = z.infer<typeof WorkspaceConfigSchema>;

/**
 * For the engine's ConfigSchema: `.superRefine(addWorkspaceConfigIssues)` reports unknown endpoint names at load
 * time, each at its own path (`workspace.writers.1.endpoint`).
 */
export function addWorkspaceConfigIssues(config: WorkspaceConfigContext, ctx: z.RefinementCtx): void {
  for (const i of workspaceConfigIssues(config)) {
    ctx.addIssue({
      code: 'custom',
      path: i.path.split('.').map((part) => (/^\d+$/.test(part) ? Number(part) : part)),
      message: i.message,
    });
  }
}

/** The parts of the engine config this block is checked against (the whole Config fits). */
export interface WorkspaceConfigContext {
  workspace: WorkspaceConfig;
  /** `patientIdentifiers`: the endpoint's Patient.identifier system per assigning authority (GENHOSP → urn:oid:…). */
  ehr: { endpoints: ReadonlyArray<{ name: string; patientIdentifiers?: Readonly<Record<string, string>> }> };
}

/** Cross-block checks the block's own schema cannot make: endpoint names exist, writer names are unique. */
export function workspaceConfigIssues(config: WorkspaceConfigContext): Issue[] {
  const issues: Issue[] = [];
  const endpoints = config.ehr.endpoints.map((e) => e.name);
  const known = endpoints.length > 0 ? `one of ${endpoints.join(', ')}` : 'none are configured';
  const unknown = (path: string, value: string): void => {
    issues.push({
      severity: 'error',
      code: 'value',
      path,
      message: `no ehr.endpoints entry is named ${JSON.stringify(value)} (${known})`,
    });
  };
  const seen = new Set<string>();
  config.workspace.writers.forEach((w, i) => {
    const writerName = w.kind === 'hl7v2' ? `hl7v2:${w.name}` : `fhir:${w.endpoint}`;
    if (w.kind === 'fhir' && !endpoints.includes(w.endpoint))
      unknown(`workspace.writers.${i}.endpoint`, w.endpoint);
    if (seen.has(writerName)) {
      issues.push({
        severity: 'error',
        code: 'value',
        path: `workspace.writers.${i}`,
        message: `a second writer named ${writerName}`,
      });
    }
    seen.add(writerName);
  });
  const ehrEndpoint = config.workspace.ehrEndpoint;
  if (ehrEndpoint !== undefined && !endpoints.includes(ehrEndpoint))
    unknown('workspace.ehrEndpoint', ehrEndpoint);
  return issues;
}

export interface WorkspaceConfigDeps {
  /** The FHIR clients built from `ehr.endpoints`, by name. */
  ehrClients: ReadonlyMap<string, EhrClient>;
  logger: Logger;
  /** Not read today (no setting of this block names a variable); kept for secrets named by variable. */
  env?: NodeJS.ProcessEnv;
}

function readPem(path: string, field: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    throw new RxBridgeError(ErrorCode.ConfigInvalid, `${field}: file cannot be read`);
  }
}

function tlsOf(tls: z.infer<typeof MllpTlsSchema> | undefined, at: string): MllpClientTlsOptions | undefined {
  if (!tls) return undefined;
  return {
    ca: readPem(tls.caFile, `${at}.tls.caFile`),
    ...(tls.certFile ? { cert: readPem(tls.certFile, `${at}.tls.certFile`) } : {}),
    ...(tls.keyFile ? { key: readPem(tls.keyFile, `${at}.tls.keyFile`) } : {}),
  };
}

/**
 * WorkspaceOptions from the parsed config: writers (HL7 v2 connections open on first use), the EHR client, the
 * registry and the routing policy. Throws a `config-invalid` error naming the field for an unknown endpoint name or an
 * unreadable TLS file. The caller closes what this opens with `Workspace.close()`.
 */
export function workspaceOptionsFromConfig(
  config: WorkspaceConfigContext,
  deps: WorkspaceConfigDeps,
): WorkspaceOptions {
  const issues = workspaceConfigIssues(config);
  if (issues.length > 0) {
    throw new RxBridgeError(ErrorCode.ConfigInvalid, issues.map((i) => `${i.path}: ${i.message}`).join('; '));
  }
  const block = config.workspace;
  const connections: MllpOutbound[] = [];
  const factories: Array<(pharmacy: PharmacySystem) => PharmacyWriter> = [];
  block.writers.forEach((w, i) => {
    const at = `workspace.writers.${i}`;
    if (w.kind === 'hl7v2') {
      const tls = tlsOf(w.tls, at);
      const mllp = openMllpOutbound({
        host: w.host,
        port: w.port,
        ackTimeoutMs: w.ackTimeoutMs,
        ...(tls ? { tls } : {}),
      });
      connections.push(mllp);
      factories.push((pharmacy) =>
        createHl7PharmacyWriter({ name: `hl7v2:${w.name}`, pharmacy, send: (m) => mllp.send(m) }),
      );
      return;
    }
    const client = deps.ehrClients.get(w.endpoint);
    if (!client)
      throw new RxBridgeError(ErrorCode.ConfigInvalid, `${at}.endpoint: no client for ${w.endpoint}`);
    factories.push((pharmacy) =>
      createFhirPharmacyWriter({
        client,
        systems: { rxNumber: w.rxNumberSystem, patientId: w.patientIdSystem },
        rxNumberOf: async (patientId, prescriptionId) =>
          (await pharmacy.getProfile(patientId))?.prescriptions.find((p) => p.id === prescriptionId)
            ?.rxNumber,
      }),
    );
  });
  const ehrName = block.ehrEndpoint ?? config.ehr.endpoints[0]?.name;
  const ehr = ehrName === undefined ? undefined : deps.ehrClients.get(ehrName);
  if (ehrName !== undefined && !ehr) {
    throw new RxBridgeError(
      ErrorCode.ConfigInvalid,
      `${block.ehrEndpoint === undefined ? 'ehr.endpoints.0' : 'workspace.ehrEndpoint'}: no client for ${ehrName}`,
    );
  }
  const r = block.immunizationRegistry;
  const registryTls = r ? tlsOf(r.tls, 'workspace.immunizationRegistry') : undefined;
  const registry = r
    ? createMllpRegistry({
        name: r.name,
        host: r.host,
        port: r.port,
        ackTimeoutMs: r.ackTimeoutMs,
        ...(registryTls ? { tls: registryTls } : {}),
        header: {
          ...(r.sendingFacility ? { sendingFacility: r.sendingFacility } : {}),
          ...(r.receivingApplication ? { receivingApplication: r.receivingApplication } : {}),
          ...(r.receivingFacility ? { receivingFacility: r.receivingFacility } : {}),
        },
      })
    : undefined;
  deps.logger.info(
    {
      writers: block.writers.map((w) => (w.kind === 'hl7v2' ? `hl7v2:${w.name}` : `fhir:${w.endpoint}`)),
      ehrEndpoint: ehrName ?? null,
      registry: r?.name ?? null,
      autoApply: block.autoApply.types,
    },
    'workspace outbound configured',
  );
  // The subject of what is sent carries the EHR's own identifier system (ehr.endpoints[].patientIdentifiers).
  const systems = new Map(
    Object.entries(config.ehr.endpoints.find((e) => e.name === ehrName)?.patientIdentifiers ?? {}),
  );
  return {
    writerFactories: factories,
    noteAs: block.noteAs,
    ehrPatientSystem: (authority) => systems.get(authority) ?? `urn:rxbridge:authority:${authority}`,
    ...(ehr ? { ehr } : {}),
    ...(registry ? { registry } : {}),
    policy: { autoApplyTypes: block.autoApply.types, minConfidence: block.autoApply.minConfidence },
    close: async () => {
      await Promise.all([...connections.map((c) => c.close()), registry?.close()]);
    },
  };
}
