// R7: a 20 MB message, 10k connections opened and dropped, a peer that never reads its ACKs, and more
// connections than allowed: memory stays bounded, limits are enforced with a clear NAK, the engine keeps serving.
import { connect, type Socket } from 'node:net';
import { frameMllp } from '../../src/inbound/mllp/mllp-framer.ts';
import { startCluster, type Cluster } from './cluster.ts';
import { chaosMessage } from './ingest.ts';
import { result, runTag, sleep } from './scenarios.ts';
import type { ScenarioOptions, ScenarioResult } from './scenarios.ts';
import { readStore } from './verify.ts';

const FRAME_LIMIT = 8 * 1024 * 1024;
const MAX_CONNECTIONS = 200;

async function rssMb(cluster: Cluster): Promise<number> {
  const text = await (await fetch(`${cluster.httpUrl}/metrics`)).text();
  const m = /^rxbridge_process_resident_memory_bytes (\d+(?:\.\d+)?(?:e\+\d+)?)/m.exec(text);
  return m ? Math.round(Number(m[1]) / 1_048_576) : -1;
}

/** Sends raw bytes, returns the first ACK text (or how the connection ended) and whether the server closed. */
function exchange(
  port: number,
  bytes: Buffer,
  timeoutMs = 30_000,
): Promise<{ ack: string; closedByServer: boolean }> {
  return new Promise((resolve) => {
    let ack = '';
    let closedByServer = false;
    const socket = connect({ host: '127.0.0.1', port }, () => socket.write(bytes));
    const timer = setTimeout(() => done(), timeoutMs);
    const done = (): void => {
      clearTimeout(timer);
      socket.destroy();
      resolve({ ack, closedByServer });
    };
    socket.on('data', (d: Buffer) => {
      ack += d.toString('latin1');
      if (ack.includes('\x1c')) setTimeout(done, 300);
    });
    socket.on('end', () => {
      closedByServer = true;
    });
    socket.on('close', () => {
      closedByServer = true;
      done();
    });
    socket.on('error', () => done());
  });
}

function msaOf(ack: string): string {
  return (ack.split(/\r|\n/).find((s) => s.includes('MSA|')) ?? '').replace(String.fromCharCode(0x0b), '');
}
function errOf(ack: string): string {
  return ack.split(/\r|\n/).find((s) => s.startsWith('ERR|')) ?? '';
}

export async function r7Limits(options: ScenarioOptions): Promise<ScenarioResult> {
  const churn = options.messages ?? (options.size === 'full' ? 10_000 : 2_000);
  const cluster = await startCluster({
    mode: options.mode,
    workers: 1,
    config: {
      mllp: {
        listeners: [{ name: 'default', maxFrameBytes: FRAME_LIMIT, maxConnections: MAX_CONNECTIONS }],
      },
    },
  });
  const failures: string[] = [];
  const tag = runTag();
  const port = cluster.mllpPort;
  const rss: Record<string, number> = {};
  try {
    rss['start'] = await rssMb(cluster);

    // 1. A 20 MB message over the 8 MB limit: a clear rejection, the connection closed, nothing stored.
    const big = chaosMessage(tag, 0);
    const huge = Buffer.from(`${big.text}\rNTE|1||${'X'.repeat(20 * 1024 * 1024)}`, 'latin1');
    const rejected = await exchange(port, frameMllp(huge));
    const rejectedMsa = msaOf(rejected.ack);
    if (!/MSA\|(AR|CR)\|/.test(rejectedMsa))
      failures.push(`20 MB message: expected AR/CR, got ${rejectedMsa || 'nothing'}`);
    if (!rejected.closedByServer) failures.push('20 MB message: connection left open');
    rss['after20MbMessage'] = await rssMb(cluster);

    // 2. A 6 MB message under the limit is accepted and stored whole.
    const six = chaosMessage(tag, 1);
    const sixBytes = Buffer.from(`${six.text}\rNTE|1||${'Y'.repeat(6 * 1024 * 1024)}`, 'latin1');
    const accepted = await exchange(port, frameMllp(sixBytes));
    if (!/MSA\|(AA|CA)\|/.test(msaOf(accepted.ack))) failures.push(`6 MB message: ${msaOf(accepted.ack)}`);
    rss['after6MbMessage'] = await rssMb(cluster);

    // 3. Connections opened and dropped, in waves below the connection limit; half send a partial frame first.
    let opened = 0;
    const wave = 100;
    for (let done = 0; done < churn; done += wave) {
      await Promise.all(
        Array.from(
          { length: Math.min(wave, churn - done) },
          (_, k) =>
            new Promise<void>((resolve) => {
              const s = connect({ host: '127.0.0.1', port }, () => {
                opened++;
                if (k % 2 === 0) s.write(Buffer.from('\x0bMSH|^~\\&|PARTIAL'));
                s.destroy();
                resolve();
              });
              s.on('error', () => resolve());
            }),
        ),
      );
    }
    await sleep(500);
    rss['afterChurn'] = await rssMb(cluster);

    // 4. More connections than allowed: the extra ones are closed at accept; the allowed ones still work.
    const held: Socket[] = [];
    let closedAtAccept = 0;
    await Promise.all(
      Array.from(
        { length: MAX_CONNECTIONS + 50 },
        () =>
          new Promise<void>((resolve) => {
            const s = connect({ host: '127.0.0.1', port }, () => {
              held.push(s);
              setTimeout(resolve, 300);
            });
            s.on('close', () => closedAtAccept++);
            s.on('error', () => resolve());
          }),
      ),
    );
    await sleep(300);
    const closedOverLimit = closedAtAccept;
    for (const s of held) s.destroy();
    if (closedOverLimit < 50)
      failures.push(`only ${closedOverLimit} of 50 connections over the limit were refused`);
    await sleep(500);

    // 5. A peer that sends and never reads: the server must stop reading from it, not buffer without end.
    const slowPeer = connect({ host: '127.0.0.1', port });
    slowPeer.on('error', () => undefined);
    await new Promise<void>((resolve) => slowPeer.once('connect', () => resolve()));
    slowPeer.pause();
    let written = 0;
    const writeUntil = Date.now() + 5_000;
    while (Date.now() < writeUntil) {
      const ok = slowPeer.write(frameMllp(chaosMessage(tag, 10 + (written % 1000)).text));
      written++;
      if (!ok) await Promise.race([new Promise((r) => slowPeer.once('drain', r)), sleep(500)]);
    }
    rss['withPeerNotReading'] = await rssMb(cluster);
    slowPeer.destroy();

    // 6. Still serving: a normal message is ACKed.
    const after = await exchange(port, frameMllp(chaosMessage(tag, 5).text));
    if (!/MSA\|(AA|CA)\|/.test(msaOf(after.ack)))
      failures.push(`after the abuse: ${msaOf(after.ack) || 'no ACK'}`);
    rss['end'] = await rssMb(cluster);

    const stored = (await readStore(cluster.store)).messages.filter((m) => m.controlId.startsWith(tag));
    if (stored.some((m) => m.controlId === big.controlId))
      failures.push('the rejected 20 MB message was stored');
    const maxRss = Math.max(...Object.values(rss));
    if (maxRss > 600) failures.push(`RSS reached ${maxRss} MB`);
    return result(
      'R7',
      options.mode,
      '20 MB message, connection churn, connection limit, peer that never reads',
      {
        frameLimitBytes: FRAME_LIMIT,
        hugeMessageAck: rejectedMsa,
        hugeMessageErr: errOf(rejected.ack),
        hugeMessageConnectionClosed: rejected.closedByServer,
        sixMbMessageAck: msaOf(accepted.ack),
        connectionsOpenedAndDropped: opened,
        connectionLimit: MAX_CONNECTIONS,
        refusedOverLimit: closedOverLimit,
        framesWrittenByPeerNotReading: written,
        rssMb: rss,
        maxRssMb: maxRss,
        ackAfterwards: msaOf(after.ack),
      },
      failures,
    );
  } finally {
    await cluster.dispose();
  }
}
