// The chaos scenarios R1–R9 (../shared/design/QUALITY.md) as functions: each runs against real processes in
// one runtime mode, prints nothing itself and returns its figures and whether the promises held.
// `size` picks the scale: 'quick' for CI (seconds), 'full' for the numbers QUALITY.md asks for.
import { randomUUID } from 'node:crypto';
import type { Cluster, Mode } from './cluster.ts';
import { chaosMessage, runResilientIngest, type IngestResult } from './ingest.ts';
import { figures, promisesKept, settledSnapshot, type Figures } from './verify.ts';

export type Size = 'quick' | 'full';

export interface ScenarioResult {
  id: string;
  mode: Mode;
  title: string;
  passed: boolean;
  figures: Record<string, unknown>;
  /** Why it failed, when it did. */
  failures: string[];
}

export interface ScenarioOptions {
  mode: Mode;
  size: Size;
  /** Overrides the message count. */
  messages?: number;
  /** Overrides the number of kills or the outage length (seconds), per scenario. */
  kills?: number;
  outageSeconds?: number;
  /** R5, scaled: restart the shared PostgreSQL for real (pg_ctlcluster) instead of cutting it off by proxy. */
  realRestarts?: boolean;
  log?: (line: string) => void;
}

export function runTag(): string {
  return `C${randomUUID().replaceAll('-', '').slice(0, 6).toUpperCase()}`;
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Ingest `total` messages while `chaos` runs alongside (it gets the live count of positive ACKs). */
export async function ingestWithChaos(
  cluster: Cluster,
  total: number,
  tag: string,
  chaos: (acked: () => number, done: () => boolean) => Promise<void>,
  extra: Partial<Parameters<typeof runResilientIngest>[0]> = {},
): Promise<IngestResult> {
  let positive = 0;
  let finished = false;
  const ingest = runResilientIngest({
    port: cluster.mllpPort,
    total,
    connections: 4,
    window: 32,
    message: (i) => chaosMessage(tag, i),
    ackTimeoutMs: 10_000,
    ...extra,
    onAck: (i, code, at) => {
      if (code === 'AA' || code === 'CA') positive++;
      extra.onAck?.(i, code, at);
    },
  }).finally(() => (finished = true));
  const chaosDone = chaos(
    () => positive,
    () => finished,
  );
  const result = await ingest;
  await chaosDone;
  return result;
}

/** Waits for the pipeline to finish, then computes the figures for a run of `total` messages tagged `tag`. */
export async function verifyRun(
  cluster: Cluster,
  tag: string,
  acked: ReadonlySet<string>,
  timeoutMs = 180_000,
): Promise<Figures> {
  const snapshot = await settledSnapshot(cluster.store, timeoutMs);
  return figures(snapshot, acked, (controlId) => {
    const i = Number(controlId.slice(tag.length));
    return chaosMessage(tag, i).demo;
  });
}

export function failuresOf(f: Figures, total: number): string[] {
  const out: string[] = [];
  if (f.acked !== total) out.push(`only ${f.acked} of ${total} messages were ever ACKed`);
  if (f.lostAfterAck > 0) out.push(`${f.lostAfterAck} ACKed messages are not in the store`);
  if (f.storedTwice > 0) out.push(`${f.storedTwice} messages stored twice`);
  if (f.duplicateEffects > 0) out.push(`${f.duplicateEffects} messages with duplicate effects`);
  if (f.missingEffects > 0) out.push(`${f.missingEffects} messages missing their effects`);
  if (f.orderViolations > 0) out.push(`${f.orderViolations} per-patient order violations`);
  if (f.unfinished > 0) out.push(`${f.unfinished} messages unfinished`);
  return out;
}

export function result(
  id: string,
  mode: Mode,
  title: string,
  figs: Record<string, unknown>,
  failures: string[],
): ScenarioResult {
  return { id, mode, title, passed: failures.length === 0, figures: figs, failures };
}

export { promisesKept };
