// What every C-CDA mapper shares: the document, collected issues, the Bundle being built, the narrative index
// (element ID -> text) and the coverage counters.
import type { BundleEntry, Reference, Resource } from '@medplum/fhirtypes';

/** A reference within the Bundle; typed loosely so one can stand for any target type. */
export type Ref = Reference<never>;
import { stableId } from '../../kernel/ids.ts';
import type { Issue, IssueCode } from '../../kernel/result.ts';
import { issue, warningIssue } from '../../kernel/result.ts';
import type { XmlElement } from '../../inbound/ccda/xml/xml-element.ts';
import { collapse } from '../../inbound/ccda/xml/xml-element.ts';

export interface CcdaMapContext {
  /** The stored message or file this document came from (Provenance points at it); defaults to the document id. */
  sourceId?: string;
  receivedAt?: Date;
}

/** Per-document coverage: what was present, what became resources, and what was not understood. */
export interface CcdaCoverage {
  documentId: string;
  /** Document type: CCD, Discharge Summary, ... from ClinicalDocument/code. */
  documentType: string;
  sections: CcdaSectionCoverage[];
  /** section/entry elements seen by the mapper. */
  entries: number;
  /** Entries that produced at least one resource. */
  entriesMapped: number;
  resources: Record<string, number>;
}

export interface CcdaSectionCoverage {
  path: string;
  kind: string;
  title: string;
  entries: number;
  entriesMapped: number;
  /** The section has narrative but no entries, or narrative items no entry accounts for. */
  narrativeGaps: number;
}

/** Narrative text a structured reading did not account for, handed to the free-text extractor. */
export interface NarrativeGap {
  sectionPath: string;
  sectionKind: string;
  sectionTitle: string;
  /** The narrative text (rows and list items on their own lines). */
  text: string;
  /** Why it is a gap: the section has no entries, or these items are not in any entry. */
  reason: 'no-entries' | 'unmatched-items';
}

export class CcdaRun {
  readonly doc: XmlElement;
  readonly context: CcdaMapContext;
  readonly issues: Issue[] = [];
  readonly gaps: NarrativeGap[] = [];
  /** ClinicalDocument/id as root|extension: the idempotency key. */
  readonly documentKey: string;
  patient: Ref | undefined;
  encounter: Ref | undefined;
  readonly #entries: BundleEntry[] = [];
  readonly #seen = new Set<string>();
  #narrative: Map<string, { el: XmlElement; parent: XmlElement | undefined }> | undefined;
  #narrativeLower: Map<string, string> | undefined;
  readonly #texts = new Map<string, string>();

  constructor(doc: XmlElement, documentKey: string, context: CcdaMapContext) {
    this.doc = doc;
    this.documentKey = documentKey;
    this.context = context;
  }

  /** A deterministic id: the same document always gives the same ids. */
  id(resourceType: string, ...parts: string[]): string {
    return stableId('ccda', resourceType, this.documentKey, ...parts);
  }

  add<T extends Resource & { id: string }>(resource: T): Ref {
    const key = `${resource.resourceType}/${resource.id}`;
    if (!this.#seen.has(key)) {
      this.#seen.add(key);
      this.#entries.push({ fullUrl: `urn:uuid:${resource.id}`, resource });
    }
    return { reference: `urn:uuid:${resource.id}` };
  }

  entries(): BundleEntry[] {
    return this.#entries;
  }

  readonly #said = new Set<string>();

  warn(code: IssueCode, path: string, message: string): void {
    if (this.#once(path, message)) this.issues.push(warningIssue(code, path, message));
  }

  info(code: IssueCode, path: string, message: string): void {
    if (this.#once(path, message)) this.issues.push(issue('information', code, path, message));
  }

  /** The same thing read twice (an entry's text for two purposes) is reported once. */
  #once(path: string, message: string): boolean {
    const key = `${path}\u0000${message}`;
    if (this.#said.has(key)) return false;
    this.#said.add(key);
    return true;
  }

  /** A value the sender withheld (nullFlavor) where we needed one: a warning, so nothing is silently empty. */
  nullFlavor(path: string, flavor: string): void {
    this.warn('incomplete', path, `value withheld (nullFlavor ${flavor})`);
  }

  /**
   * The text of the narrative element with this ID (`#id` or `id`). An empty anchor (`<content ID="x"/>Eggs`, as
   * some vendors write) stands for the text of the element around it. IDs are indexed on first use, texts on demand.
   */
  narrative(ref: string): string | undefined {
    if (!this.#narrative) {
      const index = new Map<string, { el: XmlElement; parent: XmlElement | undefined }>();
      const add = (el: XmlElement, parent: XmlElement | undefined): void => {
        const id = el.attrs['ID'];
        if (id !== undefined && !index.has(id)) index.set(id, { el, parent });
        for (const c of el.children) if (typeof c !== 'string') add(c, el);
      };
      // References point into section narrative: index the section texts (the whole tree for a fragment).
      const body = this.doc.at('component/structuredBody');
      const sections = (parent: XmlElement): void => {
        for (const c of parent.elements('component')) {
          const section = c.child('section');
          if (!section) continue;
          const text = section.child('text');
          if (text) add(text, section);
          sections(section);
        }
      };
      if (body) sections(body);
      else add(this.doc, undefined);
      this.#narrative = index;
    }
    const id = ref.startsWith('#') ? ref.slice(1) : ref;
    const cached = this.#texts.get(id);
    if (cached !== undefined) return cached;
    const found = this.#narrative.get(id);
    if (!found) return undefined;
    let text = collapse(found.el.rawText());
    if (text === '' && found.el.children.length === 0 && found.parent && found.parent.name !== 'text')
      text = collapse(found.parent.rawText());
    this.#texts.set(id, text);
    return text;
  }

  /** The narrative ID a reference names when letter case is ignored (some vendors change case between the two). */
  narrativeIdIgnoringCase(ref: string): string | undefined {
    this.narrative(ref);
    if (!this.#narrativeLower) {
      this.#narrativeLower = new Map();
      for (const id of this.#narrative?.keys() ?? [])
        if (!this.#narrativeLower.has(id.toLowerCase())) this.#narrativeLower.set(id.toLowerCase(), id);
    }
    return this.#narrativeLower.get((ref.startsWith('#') ? ref.slice(1) : ref).toLowerCase());
  }
}
