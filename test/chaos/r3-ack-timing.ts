// R3: positive ACKs only after the durable commit, shown two ways.
//  1. Instrumented: the real MLLP server on the real store of the mode, with every append's commit time recorded
//     (when the store's append resolved) beside the time its ACK reached the sender.
//  2. Black box: the engine is killed with SIGKILL the instant an ACK arrives, restarted, and the message must be
//     there (a resend of it is then recorded as a duplicate of the stored original).
import { connect, type Socket } from 'node:net';
import { ConfigSchema } from '../../src/config/config-schema.ts';
import { frameMllp } from '../../src/inbound/mllp/mllp-framer.ts';
import { startMllpServer } from '../../src/inbound/mllp/mllp-server.ts';
import { openStore } from '../../src/main.ts';
import type { MessageStore } from '../../src/platform/store/message-store.ts';
import { dropSchemas } from '../../src/platform/store/postgres/test-database.ts';
import { startCluster } from './cluster.ts';
import { chaosMessage, runResilientIngest } from './ingest.ts';
import { result, runTag, type ScenarioOptions, type ScenarioResult } from './scenarios.ts';
import { readStore } from './verify.ts';

export async function r3AckTiming(options: ScenarioOptions): Promise<ScenarioResult> {
  const total = options.messages ?? (options.size === 'full' ? 20_000 : 1_000);
  const killProbes = options.kills ?? (options.size === 'full' ? 20 : 3);
  const cluster = await startCluster({ mode: options.mode, workers: 1 });
  const failures: string[] = [];
  try {
    // 1. Instrumented, in this process, against the cluster's own database.
    const config = ConfigSchema.parse(
      cluster.store.kind === 'sqlite'
        ? { store: `sqlite:${cluster.store.path}.r3` }
        : { store: cluster.store.url, scaled: { postgresSchema: `${cluster.store.schema}_r3` } },
    );
    const store = await openStore(config);
    const commitAt = new Map<string, number>();
    const instrumented: MessageStore = {
      ...store.messages,
      append: async (input) => {
        const r = await store.messages.append(input);
        commitAt.set(
          input.idempotencyKey.slice(input.idempotencyKey.lastIndexOf('|') + 1),
          performance.now(),
        );
        return r;
      },
    };
    const server = await startMllpServer({
      host: '127.0.0.1',
      port: 0,
      channel: 'mllp:r3',
      store: instrumented,
    });
    const tag = runTag();
    let positive = 0;
    let beforeCommit = 0;
    let minMarginMs = Infinity;
    try {
      const ingest = await runResilientIngest({
        port: server.address().port,
        total,
        connections: 4,
        window: 16,
        message: (i) => chaosMessage(tag, i),
        onAck: (i, code, at) => {
          if (code !== 'AA' && code !== 'CA') return;
          positive++;
          const committed = commitAt.get(chaosMessage(tag, i).controlId);
          if (committed === undefined || committed > at) beforeCommit++;
          else minMarginMs = Math.min(minMarginMs, at - committed);
        },
      });
      if (!ingest.complete) failures.push(`instrumented ingest ACKed ${ingest.acked.size} of ${total}`);
    } finally {
      await server.close();
      await store.close();
      if (cluster.store.kind === 'postgres')
        await dropSchemas(cluster.store.url, [`${cluster.store.schema}_r3`]).catch(() => undefined);
    }
    if (beforeCommit > 0) failures.push(`${beforeCommit} positive ACKs arrived before their commit`);

    // 2. SIGKILL on ACK arrival.
    const probeTag = runTag();
    let survived = 0;
    let resendsRecordedAsDuplicate = 0;
    for (let k = 0; k < killProbes; k++) {
      const m = chaosMessage(probeTag, k);
      const pid = cluster.listener().child.pid as number;
      const code = await sendAndKillOnAck(cluster.mllpPort, m.text, pid);
      await cluster.listener().exited;
      await cluster.startListener();
      if (code !== 'AA' && code !== 'CA') {
        failures.push(`probe ${k}: ACK ${code}`);
        continue;
      }
      const snapshot = await readStore(cluster.store);
      const stored = snapshot.messages.filter((s) => s.controlId === m.controlId);
      if (stored.length >= 1) survived++;
      // The same message again: the engine must know it already (stored before the ACK went out).
      const again = await sendAndKillOnAck(cluster.mllpPort, m.text, undefined);
      const after = (await readStore(cluster.store)).messages.filter((s) => s.controlId === m.controlId);
      if ((again === 'AA' || again === 'CA') && after.some((s) => s.state === 'duplicate'))
        resendsRecordedAsDuplicate++;
    }
    if (survived !== killProbes)
      failures.push(`${killProbes - survived} ACKed messages lost to a kill on ACK`);
    if (resendsRecordedAsDuplicate !== killProbes)
      failures.push(`${killProbes - resendsRecordedAsDuplicate} resends not recognised as duplicates`);
    return result(
      'R3',
      options.mode,
      'positive ACK only after the durable commit',
      {
        instrumentedMessages: total,
        positiveAcks: positive,
        acksBeforeCommit: beforeCommit,
        positiveAfterCommitPercent: positive > 0 ? (100 * (positive - beforeCommit)) / positive : 0,
        smallestCommitToAckMs: Number.isFinite(minMarginMs) ? Number(minMarginMs.toFixed(3)) : null,
        killOnAckProbes: killProbes,
        storedAfterKillOnAck: survived,
        resendsRecordedAsDuplicate,
      },
      failures,
    );
  } finally {
    await cluster.dispose();
  }
}

/** Sends one message; when its ACK arrives, SIGKILLs `pid` (if given) before doing anything else. */
function sendAndKillOnAck(port: number, text: string, pid: number | undefined): Promise<string> {
  return new Promise((resolve) => {
    const socket: Socket = connect({ host: '127.0.0.1', port }, () => socket.write(frameMllp(text)));
    let buffer = '';
    const timer = setTimeout(() => {
      socket.destroy();
      resolve('timeout');
    }, 15_000);
    socket.on('data', (d: Buffer) => {
      buffer += d.toString('latin1');
      if (!buffer.includes('\x1c')) return;
      if (pid !== undefined) process.kill(pid, 'SIGKILL');
      clearTimeout(timer);
      socket.destroy();
      resolve(/\rMSA\|([A-Z]{2})/.exec(buffer)?.[1] ?? '??');
    });
    socket.on('error', () => {
      clearTimeout(timer);
      resolve('error');
    });
  });
}
