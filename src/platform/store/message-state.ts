// The message lifecycle (ARCHITECTURE §3): states and the one function that decides which transitions are legal.
import { ErrorCode, RxBridgeError } from '../../kernel/errors.ts';

export const MessageState = {
  Received: 'received',
  Normalized: 'normalized',
  Extracted: 'extracted',
  Evaluated: 'evaluated',
  AwaitingReview: 'awaiting-review',
  Applied: 'applied',
  Done: 'done',
  Failed: 'failed',
  Dead: 'dead',
  Duplicate: 'duplicate',
} as const;
export type MessageState = (typeof MessageState)[keyof typeof MessageState];

export const MESSAGE_STATES: readonly MessageState[] = Object.values(MessageState);

/** States in which a message still has pipeline work to do; they hold back later messages of the same patient. */
export const UNFINISHED_STATES: ReadonlySet<MessageState> = new Set<MessageState>([
  MessageState.Received,
  MessageState.Normalized,
  MessageState.Extracted,
  MessageState.Evaluated,
  MessageState.Failed,
]);

/** States a worker may settle a message into when its processing succeeded. */
export type CompletedState =
  typeof MessageState.AwaitingReview | typeof MessageState.Applied | typeof MessageState.Done;

const TRANSITIONS: Readonly<Record<MessageState, readonly MessageState[]>> = {
  received: ['normalized', 'failed', 'dead', 'done'],
  normalized: ['extracted', 'evaluated', 'failed', 'dead', 'done'],
  extracted: ['evaluated', 'failed', 'dead', 'done'],
  evaluated: ['awaiting-review', 'applied', 'done', 'failed', 'dead'],
  'awaiting-review': ['applied', 'done', 'received'],
  applied: ['done', 'received'],
  // A retry starts the pipeline again from the raw bytes.
  failed: ['received', 'normalized', 'failed', 'dead', 'done'],
  done: ['received'],
  dead: ['received'],
  duplicate: [],
};

export function canTransition(from: MessageState, to: MessageState): boolean {
  return TRANSITIONS[from].includes(to);
}

/** Throws IllegalTransition for a move the lifecycle does not allow; adapters call it before every write. */
export function assertTransition(from: MessageState, to: MessageState): void {
  if (!canTransition(from, to)) {
    throw new RxBridgeError(ErrorCode.IllegalTransition, `illegal message transition ${from} -> ${to}`);
  }
}

/** Replay re-queues a message from its raw bytes; allowed once the pipeline has finished with it. */
export function canReplay(state: MessageState): boolean {
  return canTransition(state, MessageState.Received) && state !== MessageState.Failed;
}
