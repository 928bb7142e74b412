// MessageStore port: every input becomes a durable stored message before it is acknowledged.
import { ErrorCode, RxBridgeError } from '../../kernel/errors.ts';
import type { MessageId } from '../../kernel/ids.ts';
import type { CompletedState, MessageState } from './message-state.ts';

export type MessageFormat = 'hl7v2' | 'ccda' | 'fhir' | 'webhook' | 'text';

/** Metadata safe to show in lists and logs: no patient data. */
export interface MessageSummary {
  /** e.g. `ADT^A03`, `CCD`, `Bundle`. */
  type?: string;
  /** HL7 MSH-10, C-CDA document id, webhook event id. */
  controlId?: string;
  /** HL7 MSH-3/MSH-4, or the webhook/endpoint name. */
  sender?: string;
}

export interface IncomingMessage {
  /** Which listener or endpoint received it, e.g. `mllp:default`. */
  channel: string;
  format: MessageFormat;
  /** Per-source dedupe key (HL7: MSH-3|MSH-4|MSH-10). A second append with the same key is a duplicate. */
  idempotencyKey: string;
  /** Source patient identifier with its assigning authority; messages of one partition are processed in order. */
  partitionKey: string;
  raw: Uint8Array;
  summary?: MessageSummary;
  /** The acknowledgment code that will be sent once this append resolves (AA, CA...); kept apart from the state. */
  ack?: string;
}

/**
 * The refusal of an append that cannot be stored as given, or undefined. Checked before the append joins a group
 * commit, so a malformed input fails its own caller only, never the other appends committed with it.
 */
export function appendRefusal(input: IncomingMessage): RxBridgeError | undefined {
  const problem = incomingProblem(input);
  return problem === undefined
    ? undefined
    : new RxBridgeError(ErrorCode.InvalidInput, `append refused: ${problem}`);
}

function incomingProblem(input: IncomingMessage): string | undefined {
  if (typeof input !== 'object' || input === null) return 'the message is missing';
  for (const field of ['channel', 'format', 'idempotencyKey', 'partitionKey'] as const) {
    const value: unknown = input[field];
    if (typeof value !== 'string' || value === '') return `${field} must be a non-empty string`;
  }
  if (!(input.raw instanceof Uint8Array)) return 'raw must be bytes (a Uint8Array)';
  if (input.ack !== undefined && typeof input.ack !== 'string') return 'ack must be a string';
  if (input.summary !== undefined && (typeof input.summary !== 'object' || input.summary === null)) {
    return 'summary must be an object';
  }
  return undefined;
}

/** The refusal of a claim that cannot be made as asked (a lease must last, the limit must be a count), or undefined. */
export function claimRefusal(worker: string, limit: number, leaseMs: number): RxBridgeError | undefined {
  const problem = claimProblem(worker, limit, leaseMs);
  return problem === undefined
    ? undefined
    : new RxBridgeError(ErrorCode.InvalidInput, `claim refused: ${problem}`);
}

function claimProblem(worker: string, limit: number, leaseMs: number): string | undefined {
  if (typeof worker !== 'string' || worker === '') return 'worker must be a non-empty string';
  if (!Number.isInteger(limit) || limit < 0) return `limit must be a whole number, 0 or more (got ${limit})`;
  if (!Number.isFinite(leaseMs) || leaseMs <= 0) return `leaseMs must be a positive number (got ${leaseMs})`;
  return undefined;
}

export interface AppendResult {
  id: MessageId;
  /** Monotonic across the store: the order in which messages were committed. */
  sequence: number;
  /** True when the key was seen before; the message was recorded as `duplicate` of `originalId`. */
  duplicate: boolean;
  originalId?: MessageId;
}

export interface StoredMessage {
  id: MessageId;
  sequence: number;
  channel: string;
  format: MessageFormat;
  idempotencyKey: string;
  partitionKey: string;
  raw: Uint8Array;
  summary: MessageSummary;
  ack: string | null;
  state: MessageState;
  attempts: number;
  nextAttemptAt: Date | null;
  lastError: string | null;
  duplicateOf: MessageId | null;
  receivedAt: Date;
  updatedAt: Date;
}

export interface MessageEvent {
  messageId: MessageId;
  at: Date;
  from: MessageState | null;
  to: MessageState;
  actor: string;
  detail: string | null;
}

export type SettleOutcome =
  | {
      /** Intermediate states the worker passed through, in order (each recorded as an event). */
      path: MessageState[];
      state: CompletedState;
      detail?: string;
    }
  | {
      path: MessageState[];
      state: 'failed';
      error: string;
      /** Retryable failures are rescheduled with backoff until maxAttempts, then go `dead`; others go `dead` at once. */
      retryable: boolean;
    };

export interface MessageFilter {
  state?: MessageState;
  channel?: string;
  partitionKey?: string;
  type?: string;
  /** Only messages with a sequence lower than this (paging newest first). */
  beforeSequence?: number;
  limit?: number;
}

export interface RetryPolicy {
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxAttempts: 5,
  baseDelayMs: 1_000,
  maxDelayMs: 5 * 60_000,
};

export interface MessageStore {
  /** Durable (committed and fsynced) before it resolves; concurrent appends share one commit; idempotent on key. */
  append(input: IncomingMessage): Promise<AppendResult>;
  /**
   * Leases up to `limit` messages that are due (received, failed past their next attempt, or with an expired lease),
   * at most one per partition and only the oldest unfinished one of each partition, oldest first.
   */
  claim(worker: string, limit: number, leaseMs: number): Promise<StoredMessage[]>;
  /** Records the path and the outcome and releases the lease. Refuses illegal transitions and foreign leases. */
  settle(id: MessageId, worker: string, outcome: SettleOutcome): Promise<void>;
  get(id: MessageId): Promise<StoredMessage | undefined>;
  /** Newest first. */
  list(filter: MessageFilter): Promise<StoredMessage[]>;
  events(id: MessageId): Promise<MessageEvent[]>;
  /** Puts a finished or dead message back to `received` with its attempts reset. */
  replay(id: MessageId, actor: string, reason: string): Promise<void>;
  countByState(): Promise<Record<MessageState, number>>;
  /** Retention: deletes finished messages (done, duplicate, dead) received before `before`; returns how many. */
  prune(before: Date): Promise<number>;
}
