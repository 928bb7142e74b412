// The sandbox's in-memory FHIR store: resources by type and id with versions and lastUpdated, and the search
// rules the sandbox implements (a documented subset of FHIR R4 search; see docs/ehr.md).
import type { Resource } from '@medplum/fhirtypes';

export interface StoredResource {
  resource: Resource;
  versionId: number;
  lastUpdated: string;
}

export class SearchError extends Error {
  readonly status: number;
  constructor(message: string, status = 400) {
    super(message);
    this.status = status;
  }
}

/** Reference-valued search parameters: parameter name → the element paths that hold the reference. */
const REFERENCE_PARAMS: Record<string, readonly string[]> = {
  patient: ['subject', 'patient'],
  subject: ['subject'],
  encounter: ['encounter', 'context.encounter'],
  medication: ['medicationReference'],
  requester: ['requester'],
  performer: ['performer'],
  target: ['target'],
  recipient: ['recipient'],
};

/** Token-valued search parameters: parameter name → element paths (CodeableConcept, Coding, code or Identifier). */
const TOKEN_PARAMS: Record<string, readonly string[]> = {
  identifier: ['identifier'],
  code: ['code', 'medicationCodeableConcept', 'vaccineCode'],
  status: ['status'],
  'clinical-status': ['clinicalStatus'],
  category: ['category'],
  intent: ['intent'],
  gender: ['gender'],
  type: ['type'],
};

const CONTROL_PARAMS = new Set([
  '_count',
  '_include',
  '_revinclude',
  '_lastUpdated',
  '_id',
  '_sort',
  '_total',
  '_format',
  '_elements',
  '_summary',
]);

function valuesAt(resource: unknown, path: string): unknown[] {
  let current: unknown[] = [resource];
  for (const step of path.split('.')) {
    const next: unknown[] = [];
    for (const item of current) {
      if (item === null || typeof item !== 'object') continue;
      const value = (item as Record<string, unknown>)[step];
      if (Array.isArray(value)) next.push(...(value as unknown[]));
      else if (value !== undefined) next.push(value);
    }
    current = next;
  }
  return current;
}

export function referencesAt(resource: Resource, param: string): string[] {
  const paths = REFERENCE_PARAMS[param];
  if (paths === undefined) return [];
  const out: string[] = [];
  for (const path of paths) {
    for (const value of valuesAt(resource, path)) {
      const ref = (value as { reference?: unknown }).reference;
      if (typeof ref === 'string') out.push(ref);
    }
  }
  return out;
}

function tokenMatches(value: unknown, system: string | undefined, code: string): boolean {
  if (typeof value === 'string') return system === undefined && value === code;
  if (value === null || typeof value !== 'object') return false;
  const v = value as { coding?: unknown; system?: unknown; code?: unknown; value?: unknown };
  if (Array.isArray(v.coding)) return v.coding.some((c) => tokenMatches(c, system, code));
  const actual = typeof v.code === 'string' ? v.code : typeof v.value === 'string' ? v.value : undefined;
  if (actual !== code) return false;
  return system === undefined || v.system === system;
}

type Prefix = 'eq' | 'gt' | 'ge' | 'lt' | 'le';

function dateCondition(raw: string): { prefix: Prefix; at: number } {
  const match = /^(eq|gt|ge|lt|le)?(\d{4}(-\d{2}(-\d{2}(T[0-9:.]+(Z|[+-]\d{2}:\d{2})?)?)?)?)$/.exec(raw);
  const at = match?.[2] !== undefined ? Date.parse(match[2]) : Number.NaN;
  if (match === null || Number.isNaN(at))
    throw new SearchError(`_lastUpdated: cannot read "${raw.slice(0, 40)}"`);
  return { prefix: (match[1] as Prefix | undefined) ?? 'eq', at };
}

function compare(prefix: Prefix, value: number, at: number): boolean {
  switch (prefix) {
    case 'gt':
      return value > at;
    case 'ge':
      return value >= at;
    case 'lt':
      return value < at;
    case 'le':
      return value <= at;
    case 'eq':
      return value === at;
  }
}

export interface SearchRequest {
  type: string;
  params: URLSearchParams;
}

export interface SearchOutcome {
  matches: StoredResource[];
  included: StoredResource[];
}

export class SandboxData {
  readonly #byType = new Map<string, Map<string, StoredResource>>();
  readonly #now: () => number;
  #lastStamp = 0;

  /** Called after every create or update (not for loaded data): the sandbox's subscriptions listen here. */
  onWrite: ((stored: StoredResource) => void) | undefined;

  constructor(now: () => number = Date.now) {
    this.#now = now;
  }

  /** Strictly increasing timestamps, so `_lastUpdated=gt<watermark>` never skips a write made in the same ms. */
  #stamp(): string {
    const now = Math.max(this.#now(), this.#lastStamp + 1);
    this.#lastStamp = now;
    return new Date(now).toISOString();
  }

  types(): string[] {
    return [...this.#byType.keys()];
  }

  count(type?: string): number {
    if (type !== undefined) return this.#byType.get(type)?.size ?? 0;
    let n = 0;
    for (const m of this.#byType.values()) n += m.size;
    return n;
  }

  all(type: string): Iterable<StoredResource> {
    return this.#byType.get(type)?.values() ?? [];
  }

  get(type: string, id: string): StoredResource | undefined {
    return this.#byType.get(type)?.get(id);
  }

  /** Loads a resource as given (keeps its id), stamping version 1 unless it carries meta. */
  load(resource: Resource, lastUpdated?: string): void {
    if (resource.id === undefined) throw new Error('a loaded resource needs an id');
    // Loaded data all carries the load time (not the strictly increasing write stamps).
    const now = this.#now();
    this.#lastStamp = Math.max(this.#lastStamp, now);
    const stamp = lastUpdated ?? resource.meta?.lastUpdated ?? new Date(now).toISOString();
    this.#put(resource, 1, stamp);
  }

  #put(resource: Resource, versionId: number, lastUpdated: string): StoredResource {
    const withMeta = {
      ...resource,
      meta: { ...resource.meta, versionId: String(versionId), lastUpdated },
    } as Resource;
    const stored: StoredResource = { resource: withMeta, versionId, lastUpdated };
    let map = this.#byType.get(resource.resourceType);
    if (map === undefined) {
      map = new Map();
      this.#byType.set(resource.resourceType, map);
    }
    map.set(resource.id as string, stored);
    return stored;
  }

  create(resource: Resource, id: string): StoredResource {
    const stored = this.#put({ ...resource, id }, 1, this.#stamp());
    this.onWrite?.(stored);
    return stored;
  }

  update(resource: Resource, id: string): { stored: StoredResource; created: boolean } {
    const existing = this.get(resource.resourceType, id);
    const stored = this.#put({ ...resource, id }, (existing?.versionId ?? 0) + 1, this.#stamp());
    this.onWrite?.(stored);
    return { stored, created: existing === undefined };
  }

  /** Resources of `type` sharing an identifier (system|value): each pair beyond the first is a duplicate write. */
  duplicateIdentifiers(type: string): number {
    const seen = new Set<string>();
    let duplicates = 0;
    for (const { resource } of this.all(type)) {
      for (const id of valuesAt(resource, 'identifier') as Array<{ system?: string; value?: string }>) {
        const key = `${id.system ?? ''}|${id.value ?? ''}`;
        if (seen.has(key)) duplicates++;
        else seen.add(key);
      }
    }
    return duplicates;
  }

  /** Search: every parameter given must be understood (strict handling), results sorted by lastUpdated then id. */
  search(request: SearchRequest, supportedParams?: ReadonlySet<string>): SearchOutcome {
    const { type, params } = request;
    const filters: Array<(r: StoredResource) => boolean> = [];
    for (const [name, raw] of params) {
      const [base, modifier] = name.split(':') as [string, string | undefined];
      if (CONTROL_PARAMS.has(base)) continue;
      if (supportedParams !== undefined && !supportedParams.has(base)) {
        throw new SearchError(`search parameter ${base} is not supported for ${type}`);
      }
      const alternatives = raw.split(',');
      if (REFERENCE_PARAMS[base] !== undefined) {
        if (modifier !== undefined)
          throw new SearchError(`modifier :${modifier} is not supported on ${base}`);
        const wanted = alternatives.map((v) =>
          v.includes('/') ? v : `${base === 'patient' || base === 'subject' ? 'Patient' : ''}/${v}`,
        );
        filters.push((r) =>
          referencesAt(r.resource, base).some((ref) => wanted.some((w) => ref === w || ref.endsWith(w))),
        );
      } else if (TOKEN_PARAMS[base] !== undefined) {
        const paths = TOKEN_PARAMS[base];
        const wanted = alternatives.map((v) => {
          const bar = v.indexOf('|');
          return bar === -1
            ? { system: undefined, code: v }
            : { system: v.slice(0, bar) || undefined, code: v.slice(bar + 1) };
        });
        const negate = modifier === 'not';
        if (modifier !== undefined && !negate)
          throw new SearchError(`modifier :${modifier} is not supported on ${base}`);
        filters.push((r) => {
          const hit = paths.some((p) =>
            valuesAt(r.resource, p).some((value) =>
              wanted.some((w) => tokenMatches(value, w.system, w.code)),
            ),
          );
          return negate ? !hit : hit;
        });
      } else {
        throw new SearchError(`search parameter ${base} is not supported for ${type}`);
      }
    }
    const ids = params.getAll('_id').flatMap((v) => v.split(','));
    if (ids.length > 0) filters.push((r) => ids.includes(r.resource.id ?? ''));
    for (const raw of params.getAll('_lastUpdated')) {
      const { prefix, at } = dateCondition(raw);
      filters.push((r) => compare(prefix, Date.parse(r.lastUpdated), at));
    }
    const matches: StoredResource[] = [];
    for (const stored of this.all(type)) if (filters.every((f) => f(stored))) matches.push(stored);
    matches.sort((a, b) =>
      a.lastUpdated < b.lastUpdated
        ? -1
        : a.lastUpdated > b.lastUpdated
          ? 1
          : (a.resource.id ?? '').localeCompare(b.resource.id ?? ''),
    );
    return { matches, included: this.#includes(type, params, matches) };
  }

  #includes(type: string, params: URLSearchParams, matches: StoredResource[]): StoredResource[] {
    const out = new Map<string, StoredResource>();
    for (const spec of params.getAll('_include')) {
      const [source, param] = spec.split(':');
      if (source !== type || param === undefined || REFERENCE_PARAMS[param] === undefined) {
        throw new SearchError(
          `_include=${spec.slice(0, 60)} is not supported (use ${type}:<reference parameter>)`,
        );
      }
      for (const m of matches) {
        for (const ref of referencesAt(m.resource, param)) {
          const [refType, refId] = ref.split('/').slice(-2);
          const target = refType !== undefined && refId !== undefined ? this.get(refType, refId) : undefined;
          if (target !== undefined) out.set(`${refType}/${refId}`, target);
        }
      }
    }
    for (const spec of params.getAll('_revinclude')) {
      const [source, param] = spec.split(':');
      if (source === undefined || param === undefined || REFERENCE_PARAMS[param] === undefined) {
        throw new SearchError(
          `_revinclude=${spec.slice(0, 60)} is not supported (use <Type>:<reference parameter>)`,
        );
      }
      const wanted = new Set(matches.map((m) => `${type}/${m.resource.id ?? ''}`));
      for (const candidate of this.all(source)) {
        if (
          referencesAt(candidate.resource, param).some((ref) =>
            wanted.has(ref.split('/').slice(-2).join('/')),
          )
        ) {
          out.set(`${source}/${candidate.resource.id ?? ''}`, candidate);
        }
      }
    }
    return [...out.values()];
  }
}
