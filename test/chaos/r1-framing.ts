// R1: framing against the running engine over real TCP. A stream of messages (each frame followed by a stray
// LF, as some senders do) is split into two writes at every byte boundary, and also sent merged in one write and
// byte by byte; every message must be ACKed once, in order, and stored once, in order.
import { connect } from 'node:net';
import { frameMllp } from '../../src/inbound/mllp/mllp-framer.ts';
import { startCluster } from './cluster.ts';
import { chaosMessage } from './ingest.ts';
import { result, runTag } from './scenarios.ts';
import type { ScenarioOptions, ScenarioResult } from './scenarios.ts';
import { readStore } from './verify.ts';

/** Writes the chunks (a tick apart, so each is its own read), returns the MSA-2 of each ACK in arrival order. */
function sendChunks(port: number, chunks: Buffer[], expected: number): Promise<string[]> {
  return new Promise((resolve) => {
    const ids: string[] = [];
    let buffer = '';
    const socket = connect({ host: '127.0.0.1', port, noDelay: true }, () => {
      let k = 0;
      const next = (): void => {
        const chunk = chunks[k++];
        if (!chunk) return;
        socket.write(chunk);
        setImmediate(next);
      };
      next();
    });
    const timer = setTimeout(() => finish(), 15_000);
    const finish = (): void => {
      clearTimeout(timer);
      socket.destroy();
      resolve(ids);
    };
    socket.on('data', (d: Buffer) => {
      buffer += d.toString('latin1');
      for (;;) {
        const end = buffer.indexOf('\x1c');
        if (end < 0) break;
        const ack = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const msa = ack.split('\r').find((s) => s.startsWith('MSA|')) ?? '';
        ids.push(`${msa.split('|')[1] ?? ''}:${msa.split('|')[2] ?? ''}`);
      }
      if (ids.length >= expected) finish();
    });
    socket.on('error', finish);
  });
}

export async function r1Framing(options: ScenarioOptions): Promise<ScenarioResult> {
  const perStream = options.messages ?? (options.size === 'full' ? 3 : 2);
  const cluster = await startCluster({ mode: options.mode, workers: 1, demo: false });
  const failures: string[] = [];
  const tag = runTag();
  let runs = 0;
  let messagesSent = 0;
  let wrongAcks = 0;
  try {
    const streamFor = (run: number): { bytes: Buffer; ids: string[] } => {
      const ids: string[] = [];
      const parts: Buffer[] = [];
      for (let j = 0; j < perStream; j++) {
        const m = chaosMessage(tag, run * 10 + j, 7);
        ids.push(m.controlId);
        parts.push(frameMllp(m.text), Buffer.from('\n'));
      }
      return { bytes: Buffer.concat(parts), ids };
    };
    const check = async (run: number, split: (b: Buffer) => Buffer[]): Promise<void> => {
      const { bytes, ids } = streamFor(run);
      const acks = await sendChunks(cluster.mllpPort, split(bytes), ids.length);
      runs++;
      messagesSent += ids.length;
      const want = ids.map((id) => `AA:${id}`);
      if (acks.join() !== want.join()) {
        wrongAcks++;
        if (failures.length < 5) failures.push(`run ${run}: ACKs ${acks.join(' ')} for ${ids.join(' ')}`);
      }
    };
    const length = streamFor(0).bytes.length;
    let run = 0;
    // Every byte boundary.
    for (let cut = 1; cut < length; cut++) {
      await check(run++, (b) => [b.subarray(0, cut), b.subarray(cut)]);
    }
    // Merged: all in one write; and one byte per write.
    await check(run++, (b) => [b]);
    await check(run++, (b) => Array.from({ length: b.length }, (_, i) => b.subarray(i, i + 1)));

    // Stored once each, in the order sent (sequence order matches the control-id order within each run).
    const snapshot = await readStore(cluster.store);
    const mine = snapshot.messages.filter((m) => m.controlId.startsWith(tag));
    const counts = new Map<string, number>();
    for (const m of mine) counts.set(m.controlId, (counts.get(m.controlId) ?? 0) + 1);
    const storedTwice = [...counts.values()].filter((n) => n > 1).length;
    let outOfOrder = 0;
    for (let k = 1; k < mine.length; k++) {
      if ((mine[k]?.controlId ?? '') < (mine[k - 1]?.controlId ?? '')) outOfOrder++;
    }
    if (counts.size !== messagesSent) failures.push(`${messagesSent - counts.size} messages not stored`);
    if (storedTwice > 0) failures.push(`${storedTwice} stored twice`);
    if (outOfOrder > 0) failures.push(`${outOfOrder} stored out of order`);
    return result(
      'R1',
      options.mode,
      'framing: every split point, merged reads, trailing LF',
      {
        streamBytes: length,
        messagesPerStream: perStream,
        runs,
        messagesSent,
        runsWithWrongAcks: wrongAcks,
        storedOnce: counts.size,
        storedTwice,
        outOfOrder,
      },
      failures,
    );
  } finally {
    await cluster.dispose();
  }
}
