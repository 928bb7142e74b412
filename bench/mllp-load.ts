// MLLP load generator on raw sockets: N connections, a window of unacknowledged messages each, ACK codes and latency.
import { connect, type Socket } from 'node:net';

export interface LoadOptions {
  host: string;
  port: number;
  connections: number;
  /** Messages in flight per connection (1 = send, wait for the ACK, send the next). */
  window: number;
  /** Messages to send per connection. */
  perConnection: number;
  /** Builds message number i of connection c (must carry a unique MSH-10). */
  message: (connection: number, index: number) => string;
  /** Open-loop pacing: messages per second across all connections (default: as fast as ACKs allow). */
  ratePerSecond?: number;
  /** Called with each ACK's latency in ms and its MSA-1 code (for histograms and time series). */
  onAck?: (latencyMs: number, code: string) => void;
}

export interface LoadResult {
  sent: number;
  acked: number;
  /** ACK counts by MSA-1 code (AA, AE, AR, CA...). */
  codes: Record<string, number>;
  /** ACKs whose MSA-2 did not echo the MSH-10 of the message they answered. */
  mismatched: number;
  /** Messages sent that never got an ACK (the connection failed or closed first). */
  missing: number;
  /** Connections that ended in a socket error (counted, not thrown, so the other figures still print). */
  socketErrors: number;
  seconds: number;
  perSecond: number;
  latencyMs: { p50: number; p99: number; max: number };
}

const VT = 0x0b;
const FS = 0x1c;
const CR = 0x0d;

function controlIdOf(message: string): string {
  return message.slice(0, message.indexOf('\r')).split('|')[9] ?? '';
}

function runConnection(options: LoadOptions, c: number, latencies: number[], codes: Record<string, number>) {
  return new Promise<{ sent: number; acked: number; mismatched: number; error: boolean }>((resolve) => {
    const socket: Socket = connect({ host: options.host, port: options.port, noDelay: true });
    const pending: Array<{ id: string; at: number }> = [];
    let next = 0;
    let acked = 0;
    let mismatched = 0;
    let buffer: Buffer = Buffer.alloc(0);
    // Paced: message n of this connection is due at n × connections / rate seconds after the start.
    const intervalMs =
      options.ratePerSecond !== undefined ? (1000 * options.connections) / options.ratePerSecond : 0;
    const startedAt = performance.now();
    let pacer: NodeJS.Timeout | undefined;
    const sendMore = (): void => {
      while (pending.length < options.window && next < options.perConnection) {
        if (intervalMs > 0) {
          const due = startedAt + next * intervalMs;
          const wait = due - performance.now();
          if (wait > 0) {
            if (pacer === undefined)
              pacer = setTimeout(() => {
                pacer = undefined;
                sendMore();
              }, wait);
            return;
          }
        }
        const message = options.message(c, next++);
        pending.push({ id: controlIdOf(message), at: performance.now() });
        const body = Buffer.from(message, 'utf8');
        const frame: Buffer = Buffer.allocUnsafe(body.length + 3);
        frame[0] = VT;
        body.copy(frame, 1);
        frame[body.length + 1] = FS;
        frame[body.length + 2] = CR;
        socket.write(frame);
      }
    };
    socket.on('connect', sendMore);
    socket.on('data', (chunk: Buffer) => {
      buffer = buffer.length === 0 ? chunk : Buffer.concat([buffer, chunk]);
      for (;;) {
        const end = buffer.indexOf(FS);
        if (end < 0 || end + 1 >= buffer.length) break;
        const start = buffer.indexOf(VT);
        const ack = buffer.subarray(start + 1, end).toString('utf8');
        buffer = buffer.subarray(end + 2);
        const sentMessage = pending.shift();
        if (!sentMessage) continue;
        const latency = performance.now() - sentMessage.at;
        latencies.push(latency);
        const msa = ack.split(/\r|\n/).find((s) => s.startsWith('MSA')) ?? '';
        const [, code = '??', echoed = ''] = msa.split('|');
        options.onAck?.(latency, code);
        codes[code] = (codes[code] ?? 0) + 1;
        if (echoed !== sentMessage.id) mismatched++;
        acked++;
      }
      if (acked === options.perConnection) {
        socket.end();
        resolve({ sent: next, acked, mismatched, error: false });
      } else sendMore();
    });
    socket.on('error', () => resolve({ sent: next, acked, mismatched, error: true }));
    socket.on('close', () => {
      if (acked < options.perConnection) resolve({ sent: next, acked, mismatched, error: false });
    });
  });
}

export async function runMllpLoad(options: LoadOptions): Promise<LoadResult> {
  const latencies: number[] = [];
  const codes: Record<string, number> = {};
  const started = performance.now();
  const results = await Promise.all(
    Array.from({ length: options.connections }, (_, c) => runConnection(options, c, latencies, codes)),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const at = (q: number): number =>
    latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0;
  const acked = results.reduce((s, r) => s + r.acked, 0);
  return {
    sent: results.reduce((s, r) => s + r.sent, 0),
    acked,
    codes,
    mismatched: results.reduce((s, r) => s + r.mismatched, 0),
    // Every message this run meant to send that was not answered, including those never sent.
    missing: options.connections * options.perConnection - acked,
    socketErrors: results.filter((r) => r.error).length,
    seconds,
    perSecond: acked / seconds,
    latencyMs: { p50: at(0.5), p99: at(0.99), max: latencies[latencies.length - 1] ?? 0 },
  };
}

/** A realistic ~1.1 KB ADT^A03 with a unique control id. */
export function benchDischarge(connection: number, index: number, runTag = 'B'): string {
  const id = `${runTag}${connection}-${index}`;
  const mrn = `MRN${20000 + ((connection * 7919 + index) % 5000)}`;
  return [
    `MSH|^~\\&|EPICADT|GENHOSP|RXBRIDGE|MAINSTREETRX|20261121083000||ADT^A03^ADT_A03|${id}|P|2.5.1|||AL|NE`,
    'EVN|A03|20261121083000|||JSMITH^SMITH^JOHN^^^^^^GENHOSP',
    `PID|1||${mrn}^^^GENHOSP^MR~999-00-1234^^^SSA^SS||TESTPATIENT^ALEX^Q^^^^L||19560704|M|||100 MAIN ST^APT 4^SPRINGFIELD^IL^62701^USA^H||^PRN^PH^^1^217^5550100|^WPN^PH^^1^217^5550199|EN|M|CAT|ACCT${index}|||||||||||N`,
    'PD1|||GENHOSP CLINIC^^1234|1234567890^OKAFOR^CHIDI^^^DR^MD',
    'PV1|1|I|4W^412^1^GENHOSP^^^^^4 WEST||||2345678901^LINDQVIST^MARTA^^^DR^MD|||MED||||1|||2345678901^LINDQVIST^MARTA^^^DR^MD|IN|V123456|||||||||||||||||01|||||||||20261118090000|20261121080000',
    'DG1|1||E11.9^Type 2 diabetes mellitus without complications^I10||20261118|F',
    'DG1|2||I10^Essential (primary) hypertension^I10||20261118|F',
    'AL1|1|DA|7980^Penicillin G^RXNORM|MO|Hives|20100101',
    'OBX|1|TX|10183-2^Discharge medications^LN||METFORMIN 500MG BID, LISINOPRIL 10MG DAILY, ATORVASTATIN 40MG QHS||||||F|||20261121080000',
    'OBX|2|NM|2160-0^Creatinine [Mass/volume] in Serum or Plasma^LN||1.1|mg/dL^mg/dL^UCUM|0.6-1.3|N|||F|||20261120060000',
  ].join('\r');
}
