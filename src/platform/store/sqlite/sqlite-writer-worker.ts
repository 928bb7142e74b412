// Worker-thread entry of the SQLite writer: commits posted batches on its own connection, off the main event loop.
import { DatabaseSync } from 'node:sqlite';
import { parentPort, workerData } from 'node:worker_threads';
import type { RetryPolicy } from '../message-store.ts';
import { configureConnection, serializeError } from './sqlite-rows.ts';
import { SqliteWriter, type BatchResult, type WriteOp } from './sqlite-writer.ts';

/** What the store posts when it starts this worker. */
export interface WriterWorkerData {
  path: string;
  busyTimeoutMs: number;
  retry: RetryPolicy;
}

/** Main thread → writer. */
export type WriterRequest = { type: 'batch'; ops: WriteOp[]; now: number } | { type: 'close' };

/** Writer → main thread: `ready` (or `failed`) once, then one `result` per batch in order, `closed` at the end. */
export type WriterReply =
  | { type: 'ready' }
  | { type: 'failed'; error: ReturnType<typeof serializeError> }
  | { type: 'result'; result: BatchResult }
  | { type: 'closed' };

const port = parentPort;
if (port) {
  const data = workerData as WriterWorkerData;
  const reply = (message: WriterReply): void => port.postMessage(message);
  let db: DatabaseSync | undefined;
  let writer: SqliteWriter | undefined;
  try {
    db = new DatabaseSync(data.path);
    configureConnection(db, data.busyTimeoutMs);
    writer = new SqliteWriter(db, data.retry);
    reply({ type: 'ready' });
  } catch (error) {
    db?.close();
    reply({ type: 'failed', error: serializeError(error) });
    port.close();
  }
  port.on('message', (request: WriterRequest) => {
    if (!db || !writer) return;
    if (request.type === 'batch') {
      reply({ type: 'result', result: writer.commit(request.ops, request.now) });
      return;
    }
    db.close();
    db = undefined;
    reply({ type: 'closed' });
    port.close();
  });
}
