// A pool of worker threads (one per core) reviewing patients in parallel: reconciliation + checks off the main thread.
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { PatientReview, PatientReviewInput } from './patient-review.ts';

export interface CheckPool {
  /** Reviews the patients, spread across the workers in chunks; results in input order. */
  review(patients: readonly PatientReviewInput[]): Promise<PatientReview[]>;
  /**
   * The same reviews as JSON text (one `PatientReview` per string), for callers that store or send them on:
   * the coordinating thread then receives flat strings instead of rebuilding ~30 KB of objects per patient.
   */
  reviewJson(patients: readonly PatientReviewInput[]): Promise<string[]>;
  readonly size: number;
  close(): Promise<void>;
}

export interface CheckPoolOptions {
  /** Patients per message to a worker: larger chunks cost fewer messages, smaller ones balance better. */
  chunkSize?: number;
}

interface Pending {
  resolve: (reviews: unknown[]) => void;
  reject: (error: Error) => void;
}

/**
 * Starts `size` workers (default: one per core). Each worker loads the starter vocabulary once; patients travel
 * by structured clone, so inputs and results must be plain data.
 */
export function createCheckPool(size = availableParallelism(), options: CheckPoolOptions = {}): CheckPool {
  const chunkSize = options.chunkSize ?? 32;
  const pending = new Map<number, Pending>();
  let nextId = 0;
  let nextWorker = 0;
  const workers = Array.from({ length: Math.max(1, size) }, () => {
    const worker = new Worker(new URL('./check-worker.ts', import.meta.url));
    worker.on('message', (message: { id: number; reviews?: unknown[]; error?: string }) => {
      const waiting = pending.get(message.id);
      if (!waiting) return;
      pending.delete(message.id);
      if (message.reviews) waiting.resolve(message.reviews);
      else waiting.reject(new Error(message.error ?? 'check worker failed'));
    });
    worker.on('error', (error: Error) => {
      for (const waiting of pending.values()) waiting.reject(error);
      pending.clear();
    });
    return worker;
  });

  function send(patients: PatientReviewInput[], json: boolean): Promise<unknown[]> {
    const id = nextId++;
    const worker = workers[nextWorker++ % workers.length] as Worker;
    return new Promise<unknown[]>((resolve, reject) => {
      pending.set(id, { resolve, reject });
      worker.postMessage({ id, patients, json });
    });
  }

  async function inChunks(patients: readonly PatientReviewInput[], json: boolean): Promise<unknown[]> {
    const chunks: Promise<unknown[]>[] = [];
    for (let i = 0; i < patients.length; i += chunkSize)
      chunks.push(send(patients.slice(i, i + chunkSize), json));
    return (await Promise.all(chunks)).flat();
  }

  return {
    size: workers.length,
    async review(patients) {
      return (await inChunks(patients, false)) as PatientReview[];
    },
    async reviewJson(patients) {
      return (await inChunks(patients, true)) as string[];
    },
    async close() {
      await Promise.all(workers.map((w) => w.terminate()));
    },
  };
}
