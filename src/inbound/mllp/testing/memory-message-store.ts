// Test double for the MessageStore port: append only, with hooks to hold or fail appends (other methods unused here).
import type { AppendResult, IncomingMessage, MessageStore } from '../../../platform/store/message-store.ts';

interface Held {
  input: IncomingMessage;
  release: () => void;
  fail: (error: Error) => void;
}

/** Appends resolve at once unless `hold` is set (then `release()` them) or `failWith` is set. */
export class MemoryMessageStore implements Pick<MessageStore, 'append'> {
  readonly appended: IncomingMessage[] = [];
  readonly duplicates: IncomingMessage[] = [];
  readonly held: Held[] = [];
  hold = false;
  failWith: Error | undefined;
  #byKey = new Map<string, string>();
  #sequence = 0;

  append(input: IncomingMessage): Promise<AppendResult> {
    if (this.failWith) return Promise.reject(this.failWith);
    const commit = (): AppendResult => {
      const sequence = ++this.#sequence;
      const id = `m${sequence}`;
      const original = this.#byKey.get(input.idempotencyKey);
      if (original !== undefined) {
        this.duplicates.push(input);
        return { id, sequence, duplicate: true, originalId: original };
      }
      this.#byKey.set(input.idempotencyKey, id);
      this.appended.push(input);
      return { id, sequence, duplicate: false };
    };
    if (!this.hold) return Promise.resolve(commit());
    return new Promise((resolve, reject) => {
      this.held.push({ input, release: () => resolve(commit()), fail: reject });
    });
  }

  /** Commits every held append in arrival order. */
  releaseAll(): void {
    for (const h of this.held.splice(0)) h.release();
  }

  asStore(): MessageStore {
    const notUsed = (): never => {
      throw new Error('not used by the MLLP listener');
    };
    return {
      append: (input) => this.append(input),
      claim: notUsed,
      settle: notUsed,
      get: notUsed,
      list: notUsed,
      events: notUsed,
      replay: notUsed,
      countByState: notUsed,
      prune: notUsed,
    };
  }
}
