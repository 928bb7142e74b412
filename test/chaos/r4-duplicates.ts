// R4: 10% of messages sent again with the same MSH-10 after their ACK: each processed once, every duplicate
// ACKed and recorded.
import { startCluster } from './cluster.ts';
import { failuresOf, ingestWithChaos, result, runTag, type ScenarioOptions } from './scenarios.ts';
import type { ScenarioResult } from './scenarios.ts';
import { verifyRun } from './scenarios.ts';

export async function r4Duplicates(options: ScenarioOptions): Promise<ScenarioResult> {
  const total = options.messages ?? (options.size === 'full' ? 20_000 : 2_000);
  const cluster = await startCluster({ mode: options.mode, workers: 2 });
  const tag = runTag();
  try {
    const resend = new Set<number>();
    while (resend.size < Math.round(total / 10)) resend.add(Math.floor(Math.random() * total));
    const ingest = await ingestWithChaos(cluster, total, tag, () => Promise.resolve(), {
      resendAfterAck: resend,
    });
    const f = await verifyRun(cluster, tag, ingest.acked);
    const failures = failuresOf(f, total);
    if (ingest.duplicatesAcked !== resend.size)
      failures.push(`${resend.size - ingest.duplicatesAcked} duplicates not ACKed positively`);
    if (f.duplicatesRecorded !== resend.size)
      failures.push(`${f.duplicatesRecorded} duplicates recorded, ${resend.size} sent`);
    return result(
      'R4',
      options.mode,
      'duplicates (same MSH-10) processed once, ACKed and recorded',
      {
        messages: total,
        duplicatesSent: resend.size,
        duplicatesAcked: ingest.duplicatesAcked,
        ackCodes: ingest.codes,
        ...f,
      },
      failures,
    );
  } finally {
    await cluster.dispose();
  }
}
