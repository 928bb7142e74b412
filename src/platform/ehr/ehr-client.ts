// The EhrClient port: what the pipeline asks of an EHR, whatever vendor or protocol answers.
// The FHIR R4 adapter (fhir/) implements it with SMART Backend Services, rate limiting, retries and paging.
import type { Bundle, CapabilityStatement, OperationOutcome, Resource } from '@medplum/fhirtypes';
import type { ErrorCode } from '../../kernel/errors.ts';
import { RxBridgeError } from '../../kernel/errors.ts';

/** Search parameters as FHIR names them; a repeated parameter is an array (`_include`, `_revinclude`). */
export type SearchParams = Readonly<Record<string, string | readonly string[] | undefined>>;

export interface EhrRequestOptions {
  /** Overall deadline for this call, retries included (ms). Default: the endpoint's configured deadline. */
  deadlineMs?: number;
  signal?: AbortSignal;
  /** Reads and searches may be answered from the response cache (TTL per endpoint). Default true. */
  cache?: boolean;
}

/** One page of a search: the matches, what `_include`/`_revinclude` brought along, and the server's total. */
export interface SearchPage<T extends Resource = Resource> {
  matches: T[];
  included: Resource[];
  total?: number;
}

export type WriteOutcomeKind = 'created' | 'existing' | 'updated';

/** What a conditional write did; `existing` means If-None-Exist matched and nothing was written. */
export interface WriteOutcome {
  outcome: WriteOutcomeKind;
  status: number;
  resourceType: string;
  id?: string;
  versionId?: string;
  /** The server's copy when it returned one (Prefer: return=representation). */
  resource?: Resource;
}

export interface EhrClient {
  /** The configured endpoint name (never a URL with a tenant or secret in it). */
  readonly endpoint: string;
  /** The server's CapabilityStatement (`GET [base]/metadata`). */
  capabilities(options?: EhrRequestOptions): Promise<CapabilityStatement>;
  /** A resource by id; undefined when the server answers 404 or 410. */
  read<T extends Resource>(
    resourceType: T['resourceType'],
    id: string,
    options?: EhrRequestOptions,
  ): Promise<T | undefined>;
  /** Pages of a search; `Bundle.link[next]` is followed only on the server's own origin. */
  searchPages<T extends Resource>(
    resourceType: T['resourceType'],
    params: SearchParams,
    options?: EhrRequestOptions,
  ): AsyncIterable<SearchPage<T>>;
  /** Every page of a search collected (bounded by `maxResources`, default 10,000). */
  searchAll<T extends Resource>(
    resourceType: T['resourceType'],
    params: SearchParams,
    options?: EhrRequestOptions & { maxResources?: number },
  ): Promise<SearchPage<T>>;
  /**
   * Conditional create: POST with `If-None-Exist: <criteria>` (e.g. `identifier=system|value`). A retry after a lost
   * response finds the first write and reports `existing`, so a write is never duplicated.
   */
  createIfNoneExist<T extends Resource>(
    resource: T,
    criteria: string,
    options?: EhrRequestOptions,
  ): Promise<WriteOutcome>;
  /** Conditional update: `PUT [base]/Type?<criteria>`; creates when nothing matches, updates the one match. */
  conditionalUpdate<T extends Resource>(
    resource: T,
    criteria: string,
    options?: EhrRequestOptions,
  ): Promise<WriteOutcome>;
  /** A `batch` or `transaction` Bundle posted to the base; the response Bundle as returned. */
  batch(bundle: Bundle, options?: EhrRequestOptions): Promise<Bundle>;
}

/**
 * A failed EHR call. `ehr-unavailable` (retryable: network, 429, 5xx, timeout, open circuit) or `ehr-rejected`
 * (the server refused the request: other 4xx). The message names the endpoint and operation, never patient data.
 */
export class EhrError extends RxBridgeError {
  readonly status: number | undefined;
  readonly outcome: OperationOutcome | undefined;
  constructor(
    code: typeof ErrorCode.EhrUnavailable | typeof ErrorCode.EhrRejected,
    message: string,
    details: { status?: number; outcome?: OperationOutcome; cause?: unknown } = {},
  ) {
    super(code, message, { cause: details.cause });
    this.name = 'EhrError';
    this.status = details.status;
    this.outcome = details.outcome;
  }
}
