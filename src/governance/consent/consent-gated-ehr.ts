// An EhrClient that asks the consent registry first: before fetching a patient's data for a purpose, and before
// writing it back. A refusal is a ConsentDenied error and no request leaves.
import { ErrorCode, RxBridgeError } from '../../kernel/errors.ts';
import type { EhrClient } from '../../platform/ehr/ehr-client.ts';
import type { ConsentRegistry } from './consent-registry.ts';

export interface ConsentScope {
  /** The patient whose data is fetched or sent (pharmacy patient id or source identifier). */
  patient: string;
  /** HL7 v3 PurposeOfUse: TREAT, HPAYMT (prior authorization), HOPERAT... */
  purpose: string;
  /** Who asks (audit actor). */
  actor: string;
}

export function consentGatedEhr(client: EhrClient, consent: ConsentRegistry, scope: ConsentScope): EhrClient {
  const ask = async (dataType: string): Promise<void> => {
    const decision = await consent.check(
      { patient: scope.patient, recipient: `ehr:${client.endpoint}`, purpose: scope.purpose, dataType },
      scope.actor,
    );
    if (!decision.allowed) {
      throw new RxBridgeError(ErrorCode.ConsentDenied, `consent: ${decision.reason}`);
    }
  };
  return {
    endpoint: client.endpoint,
    capabilities: (options) => client.capabilities(options),
    read: async (resourceType, id, options) => {
      await ask(resourceType);
      return client.read(resourceType, id, options);
    },
    searchPages: (resourceType, params, options) => ({
      [Symbol.asyncIterator]: async function* () {
        await ask(resourceType);
        yield* client.searchPages(resourceType, params, options);
      },
    }),
    searchAll: async (resourceType, params, options) => {
      await ask(resourceType);
      return client.searchAll(resourceType, params, options);
    },
    createIfNoneExist: async (resource, criteria, options) => {
      await ask(resource.resourceType);
      return client.createIfNoneExist(resource, criteria, options);
    },
    conditionalUpdate: async (resource, criteria, options) => {
      await ask(resource.resourceType);
      return client.conditionalUpdate(resource, criteria, options);
    },
    batch: async (bundle, options) => {
      const types = new Set((bundle.entry ?? []).map((e) => e.resource?.resourceType ?? 'Bundle'));
      for (const t of types) await ask(t);
      return client.batch(bundle, options);
    },
  };
}
