// R2: kill -9 at random points during an MLLP ingest, restart each time; senders resend what was not ACKed.
// Scaled mode: each kill takes the listener and one worker down together.
import { startCluster } from './cluster.ts';
import {
  failuresOf,
  ingestWithChaos,
  result,
  runTag,
  sleep,
  verifyRun,
  type ScenarioOptions,
} from './scenarios.ts';
import type { ScenarioResult } from './scenarios.ts';

export async function r2KillLoop(options: ScenarioOptions): Promise<ScenarioResult> {
  const total = options.messages ?? (options.size === 'full' ? 100_000 : 2_000);
  const kills = options.kills ?? (options.size === 'full' ? 20 : 3);
  const cluster = await startCluster({ mode: options.mode, workers: 2, leaseMs: 3_000 });
  const tag = runTag();
  try {
    // Kill points spread over the run with random jitter.
    const killAt = Array.from({ length: kills }, (_, k) =>
      Math.max(
        1,
        Math.floor(((k + 1) * total) / (kills + 1) + (Math.random() - 0.5) * (total / (kills + 1))),
      ),
    );
    let done = 0;
    const ingest = await ingestWithChaos(cluster, total, tag, async (acked, finished) => {
      while (done < kills && !finished()) {
        if (acked() < (killAt[done] ?? total)) {
          await sleep(5);
          continue;
        }
        const worker = Math.floor(Math.random() * Math.max(1, cluster.workers().length));
        await Promise.all([
          cluster.killListener(),
          ...(options.mode === 'scaled' ? [cluster.killWorker(worker)] : []),
        ]);
        done++;
        options.log?.(`  kill ${done}/${kills} at ${acked()} ACKed`);
      }
    });
    const f = await verifyRun(cluster, tag, ingest.acked);
    const figs = {
      messages: total,
      kills: done,
      seconds: Number(ingest.seconds.toFixed(1)),
      resent: ingest.resent,
      ackCodes: ingest.codes,
      ...f,
    };
    const failures = failuresOf(f, total);
    if (done !== kills) failures.push(`only ${done} of ${kills} kills happened`);
    return result('R2', options.mode, 'kill -9 during ingest, restart, resend', figs, failures);
  } finally {
    await cluster.dispose();
  }
}
