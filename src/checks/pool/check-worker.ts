// Worker thread for the check pool: reviews batches of patients with its own copy of the starter vocabulary.
import { parentPort } from 'node:worker_threads';
import { createStarterTerminology } from '../../terminology/starter-terminology.ts';
import type { PatientReviewInput } from './patient-review.ts';
import { reviewPatient } from './patient-review.ts';

const terminology = createStarterTerminology();

parentPort?.on('message', (message: { id: number; patients: PatientReviewInput[]; json: boolean }) => {
  try {
    const reviews = message.patients.map((p) => reviewPatient(p, terminology));
    // JSON text crosses the thread boundary as one flat string: far cheaper for the coordinator to receive
    // than a deep object graph (a 20-medicine review is ~30 KB).
    parentPort?.postMessage({
      id: message.id,
      reviews: message.json ? reviews.map((r) => JSON.stringify(r)) : reviews,
    });
  } catch (error) {
    parentPort?.postMessage({
      id: message.id,
      error: error instanceof Error ? error.message : String(error),
    });
  }
});
