// A resilient MLLP sender for chaos runs, on raw sockets: C connections, each owning a fixed set of patients
// (so one patient's messages go in order on one connection), a window of unACKed messages per connection, and
// "resend everything not positively ACKed" after a NAK, a timeout or a dropped connection, like a real interface.
import { connect, type Socket } from 'node:net';
import { frameMllp } from '../../src/inbound/mllp/mllp-framer.ts';

/** Demo pharmacy patients (their discharges create two tasks each) and patients the pharmacy does not know. */
export const DEMO_MRNS = Array.from({ length: 12 }, (_, i) => `MRN${10001 + i}`);

export interface ChaosMessage {
  controlId: string;
  text: string;
  patient: string;
  /** Whether the pharmacy knows the patient (then the discharge has effects: two tasks). */
  demo: boolean;
}

/** Message i of a run: a discharge, half for demo patients; `patients` distinct patients in all. */
export function chaosMessage(runTag: string, i: number, patients = 400): ChaosMessage {
  const p = i % patients;
  const demo = p < DEMO_MRNS.length;
  const patient = demo ? (DEMO_MRNS[p] as string) : `MRN${50000 + p}`;
  const controlId = `${runTag}${String(i).padStart(7, '0')}`;
  const text = [
    `MSH|^~\\&|EPICADT|GENHOSP|RXBRIDGE|MAINSTREETRX|20261121080000||ADT^A03^ADT_A03|${controlId}|P|2.5.1`,
    `PID|1||${patient}^^^GENHOSP^MR||PATIENT^TEST||19500101|F`,
    'PV1|1|I|4W^412^1^GENHOSP',
    'OBX|1|TX|10183-2^Discharge medications^LN||METFORMIN 500MG BID, LISINOPRIL 10MG DAILY||||||F',
  ].join('\r');
  return { controlId, text, patient, demo };
}

export interface IngestOptions {
  port: number;
  host?: string;
  total: number;
  connections: number;
  window: number;
  message: (i: number) => ChaosMessage;
  /** Give up after this long (the figures are still returned). */
  deadlineMs?: number;
  /** An ACK not received within this long counts as lost: the connection is dropped and the window resent. */
  ackTimeoutMs?: number;
  /** Also send these indices again after their first positive ACK (R4: duplicates with the same MSH-10). */
  resendAfterAck?: ReadonlySet<number>;
  /** Called on every ACK with the message index, its code and the time it arrived (performance.now()). */
  onAck?: (i: number, code: string, at: number) => void;
}

export interface IngestResult {
  /** Control ids positively acknowledged (AA/CA) at least once. */
  acked: Set<string>;
  codes: Record<string, number>;
  /** Messages sent again because their ACK was negative, late or lost with the connection. */
  resent: number;
  /** Duplicates sent on purpose (resendAfterAck) and ACKed. */
  duplicatesAcked: number;
  connectFailures: number;
  dropped: number;
  seconds: number;
  /** ACK latency per message, ms, for positive ACKs. */
  latencies: number[];
  complete: boolean;
}

const VT = 0x0b;
const FS = 0x1c;

export async function runResilientIngest(options: IngestOptions): Promise<IngestResult> {
  const started = performance.now();
  const deadline = Date.now() + (options.deadlineMs ?? 600_000);
  const result: IngestResult = {
    acked: new Set(),
    codes: {},
    resent: 0,
    duplicatesAcked: 0,
    connectFailures: 0,
    dropped: 0,
    seconds: 0,
    latencies: [],
    complete: false,
  };
  const perConnection: number[][] = Array.from({ length: options.connections }, () => []);
  for (let i = 0; i < options.total; i++) {
    // Every message of one patient on the same connection: patient = i mod patients, so use the patient id.
    const m = options.message(i);
    let h = 0;
    for (const ch of m.patient) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
    perConnection[h % options.connections]?.push(i);
  }
  await Promise.all(perConnection.map((indices) => sendAll(indices, options, result, deadline)));
  result.seconds = (performance.now() - started) / 1000;
  result.complete = result.acked.size === options.total;
  return result;
}

interface InFlight {
  i: number;
  at: number;
  duplicate: boolean;
}

async function sendAll(
  indices: number[],
  options: IngestOptions,
  result: IngestResult,
  deadline: number,
): Promise<void> {
  // Work list: [index, isDuplicateResend]; NAKed or lost messages go back to the front, in order.
  let queue: Array<[number, boolean]> = indices.map((i) => [i, false]);
  while (queue.length > 0 && Date.now() < deadline) {
    const socket = await openSocket(options);
    if (!socket) {
      result.connectFailures++;
      await new Promise((r) => setTimeout(r, 100));
      continue;
    }
    queue = await session(socket, queue, options, result);
  }
}

function openSocket(options: IngestOptions): Promise<Socket | undefined> {
  return new Promise((resolve) => {
    const socket = connect({ host: options.host ?? '127.0.0.1', port: options.port, noDelay: true });
    const timer = setTimeout(() => {
      socket.destroy();
      resolve(undefined);
    }, 5_000);
    socket.once('connect', () => {
      clearTimeout(timer);
      resolve(socket);
    });
    socket.once('error', () => {
      clearTimeout(timer);
      resolve(undefined);
    });
  });
}

/** Sends from the queue on one connection until it is empty or the connection fails; returns what is left. */
function session(
  socket: Socket,
  queue: Array<[number, boolean]>,
  options: IngestOptions,
  result: IngestResult,
): Promise<Array<[number, boolean]>> {
  return new Promise((resolve) => {
    const inFlight: InFlight[] = [];
    const retry: Array<[number, boolean]> = [];
    let buffer: Buffer = Buffer.alloc(0);
    let finished = false;
    let ackTimer: NodeJS.Timeout | undefined;
    const ackTimeoutMs = options.ackTimeoutMs ?? 15_000;

    const armTimer = (): void => {
      if (ackTimer) clearTimeout(ackTimer);
      ackTimer = inFlight.length > 0 ? setTimeout(() => finish(true), ackTimeoutMs) : undefined;
    };
    const finish = (broken: boolean): void => {
      if (finished) return;
      finished = true;
      if (ackTimer) clearTimeout(ackTimer);
      if (broken) {
        result.dropped++;
        result.resent += inFlight.filter((f) => !f.duplicate).length;
      }
      socket.removeAllListeners('data');
      socket.destroy();
      // Unanswered first, then NAKed, then the rest: sent again in their original order.
      const lost: Array<[number, boolean]> = inFlight.map((f) => [f.i, f.duplicate]);
      resolve([...lost, ...retry, ...queue].sort((a, b) => a[0] - b[0] || Number(a[1]) - Number(b[1])));
    };
    const fill = (): void => {
      while (!finished && inFlight.length < options.window && queue.length > 0) {
        const [i, duplicate] = queue.shift() as [number, boolean];
        inFlight.push({ i, at: performance.now(), duplicate });
        socket.write(frameMllp(options.message(i).text));
      }
      armTimer();
      if (inFlight.length === 0 && queue.length === 0) {
        if (retry.length > 0) {
          // NAKed messages: a short pause, then again on this connection.
          queue = retry.splice(0);
          setTimeout(fill, 200);
        } else finish(false);
      }
    };
    socket.on('data', (chunk: Buffer) => {
      buffer = buffer.length === 0 ? chunk : Buffer.concat([buffer, chunk]);
      for (;;) {
        const end = buffer.indexOf(FS);
        if (end < 0) break;
        const start = buffer.indexOf(VT);
        const ack = buffer.subarray(start + 1, end).toString('utf8');
        buffer = buffer.subarray(end + 2);
        const sent = inFlight.shift();
        if (!sent) continue;
        const now = performance.now();
        const msa = ack.split(/\r|\n/).find((s) => s.startsWith('MSA')) ?? '';
        const code = msa.split('|')[1] ?? '??';
        result.codes[code] = (result.codes[code] ?? 0) + 1;
        options.onAck?.(sent.i, code, now);
        const controlId = options.message(sent.i).controlId;
        if (code === 'AA' || code === 'CA') {
          if (sent.duplicate) result.duplicatesAcked++;
          else {
            if (!result.acked.has(controlId)) result.latencies.push(now - sent.at);
            result.acked.add(controlId);
            if (options.resendAfterAck?.has(sent.i)) queue.push([sent.i, true]);
          }
        } else {
          result.resent++;
          retry.push([sent.i, sent.duplicate]);
        }
      }
      fill();
    });
    socket.on('error', () => finish(true));
    socket.on('close', () => finish(inFlight.length > 0 || queue.length > 0 || retry.length > 0));
    fill();
  });
}
