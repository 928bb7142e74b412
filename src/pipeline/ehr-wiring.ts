// Builds the EHR flows from config (the endpoint they use, its vendor profile and identifier systems) and runs the
// scheduled incremental sync. Composition code: main.ts calls it once per engine.
import type { Config } from '../config/config-schema.ts';
import { ErrorCode, RxBridgeError } from '../kernel/errors.ts';
import type { EhrConnection } from '../platform/ehr/fhir/from-config.ts';
import type { Logger } from '../platform/log/logger.ts';
import type { FhirResourceStore } from '../inbound/fhir/fhir-resource-store.ts';
import { createEhrFlows, type EhrFlows, type EhrFlowsDeps } from './ehr-flows.ts';

/** The flows on the configured endpoint (ehr.flows.endpoint, else the first); undefined without endpoints. */
export function ehrFlowsFrom(
  config: Config,
  connections: ReadonlyMap<string, EhrConnection>,
  store: FhirResourceStore,
  deps: Omit<EhrFlowsDeps, 'client' | 'profile' | 'store' | 'identifierSystems' | 'reconcileOnLink'>,
): EhrFlows | undefined {
  const endpoints = config.ehr.endpoints;
  if (endpoints.length === 0) return undefined;
  const name = config.ehr.flows.endpoint ?? endpoints[0]!.name;
  const endpoint = endpoints.find((e) => e.name === name);
  const connection = connections.get(name);
  if (endpoint === undefined || connection === undefined) {
    throw new RxBridgeError(
      ErrorCode.ConfigInvalid,
      `ehr.flows.endpoint: no ehr.endpoints entry is named ${name} (have: ${endpoints.map((e) => e.name).join(', ')})`,
    );
  }
  return createEhrFlows({
    ...deps,
    client: connection.client,
    profile: connection.profile,
    store,
    identifierSystems: endpoint.patientIdentifiers,
    reconcileOnLink: config.ehr.flows.reconcileOnLink,
  });
}

/** Syncs linked patients every `everyMs` (one run at a time); returns the stop function. Logs counts only. */
export function startEhrSync(flows: EhrFlows, everyMs: number, logger: Logger): () => Promise<void> {
  let running: Promise<void> | undefined;
  const run = (): void => {
    if (running) return;
    running = flows
      .syncLinked()
      .then((r) =>
        logger.info(
          {
            endpoint: flows.endpoint,
            patients: r.patients,
            searches: r.searches,
            changes: r.changes,
            flagged: r.flagged.length,
            failures: r.failures.length,
          },
          'EHR sync done',
        ),
      )
      .catch((error: unknown) =>
        logger.warn(
          { endpoint: flows.endpoint, err: error instanceof Error ? error.message : String(error) },
          'EHR sync failed',
        ),
      )
      .finally(() => {
        running = undefined;
      });
  };
  const timer = setInterval(run, everyMs);
  timer.unref();
  return async () => {
    clearInterval(timer);
    await running;
  };
}
