// What every HL7 v2 mapper shares: the message, the caller's context, collected issues and the Bundle being built.
import type { Hl7Message } from '../../inbound/hl7v2/hl7-message.ts';
import type { Bundle, BundleEntry, Reference, Resource } from '../../kernel/fhir.ts';
import type { Issue } from '../../kernel/result.ts';
import { offsetOf } from './hl7-datatypes.ts';

export interface Hl7MapContext {
  /** The stored message id (Provenance points at it). */
  messageId: string;
  receivedAt?: Date;
}

/** One mapping run; resources are added in order and referenced as `urn:uuid:<id>` inside the Bundle. */
export class MapRun {
  readonly msg: Hl7Message;
  readonly context: Hl7MapContext;
  readonly issues: Issue[] = [];
  /** MSH-3|MSH-4: ids derived from message-scoped keys (control id, OBX position) are qualified by the sender. */
  readonly sender: string;
  /** MSH-7's offset: the sender's clock, used for its timestamps that carry none. */
  readonly defaultOffset: string | undefined;
  readonly #entries: BundleEntry[] = [];
  readonly #seen = new Set<string>();

  constructor(msg: Hl7Message, context: Hl7MapContext) {
    this.msg = msg;
    this.context = context;
    this.sender = `${msg.get('MSH-3')}|${msg.get('MSH-4')}`;
    this.defaultOffset = offsetOf(msg.get('MSH-7'));
  }

  /** Adds a resource once (by type and id) and returns a reference to it. */
  add<T extends Resource & { id: string }>(resource: T): Reference<T> {
    const key = `${resource.resourceType}/${resource.id}`;
    if (!this.#seen.has(key)) {
      this.#seen.add(key);
      this.#entries.push({ fullUrl: `urn:uuid:${resource.id}`, resource });
    }
    return { reference: `urn:uuid:${resource.id}` };
  }

  resources(): Resource[] {
    return this.#entries.flatMap((e) => (e.resource ? [e.resource] : []));
  }

  bundle(id: string): Bundle {
    // A collection of resources with deterministic ids: the pipeline reads it as data; a writer turns each entry
    // into an idempotent PUT (or a conditional create on the identifiers) when it goes to a FHIR server.
    return { resourceType: 'Bundle', id, type: 'collection', entry: [...this.#entries] };
  }
}
