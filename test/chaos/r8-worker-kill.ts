// R8 (scaled mode): workers killed with SIGKILL mid-task while three of them drain a backlog; the killed
// worker's messages are redelivered once its lease runs out and applied once, in order per patient.
import { startCluster } from './cluster.ts';
import { failuresOf, ingestWithChaos, result, runTag, sleep, verifyRun } from './scenarios.ts';
import type { ScenarioOptions, ScenarioResult } from './scenarios.ts';
import { readStore } from './verify.ts';

export async function r8WorkerKill(options: ScenarioOptions): Promise<ScenarioResult> {
  const total = options.messages ?? (options.size === 'full' ? 20_000 : 1_500);
  const kills = options.kills ?? (options.size === 'full' ? 20 : 3);
  const cluster = await startCluster({ mode: 'scaled', workers: 3, leaseMs: 2_000 });
  const tag = runTag();
  try {
    let done = 0;
    let midTask = 0;
    const ingest = await ingestWithChaos(cluster, total, tag, async (acked, finished) => {
      // Kill while there is a backlog, so each worker has messages in hand.
      while (done < kills) {
        if (acked() < ((done + 1) * total) / (kills + 2) && !finished()) {
          await sleep(10);
          continue;
        }
        const index = done % 3;
        const before = (await readStore(cluster.store)).messages.filter((m) =>
          ['normalized', 'extracted', 'evaluated', 'received'].includes(m.state),
        ).length;
        if (before > 0) midTask++;
        await cluster.killWorker(index);
        done++;
        options.log?.(`  killed worker ${index} (${done}/${kills}) with ${before} messages unfinished`);
      }
    });
    const f = await verifyRun(cluster, tag, ingest.acked);
    const failures = failuresOf(f, total);
    if (done !== kills) failures.push(`only ${done} of ${kills} kills`);
    return result(
      'R8',
      'scaled',
      'worker killed mid-task: redelivered, applied once, order kept (3 workers)',
      { messages: total, workers: 3, kills: done, killsWithBacklog: midTask, ...f },
      failures,
    );
  } finally {
    await cluster.dispose();
  }
}
