// MLLP sender for outbound feeds: reconnects with backoff and resends, in order, every message not yet ACKed.
import net from 'node:net';
import tls from 'node:tls';
import { ErrorCode, RxBridgeError } from '../../kernel/errors.ts';
import { MllpDeframer, frameMllp } from './mllp-framer.ts';

/** TLS for the client side; PEM contents. The server certificate is always verified unless told otherwise. */
export interface MllpClientTlsOptions {
  /** CAs the server certificate must chain to; default: the system roots. */
  ca?: string | Buffer;
  /** Our certificate and key, for listeners that require mutual TLS. */
  cert?: string | Buffer;
  key?: string | Buffer;
  /** Name checked against the server certificate (default: the host). */
  servername?: string;
  /** Only for tests against self-made certificates without a CA; default true. */
  rejectUnauthorized?: boolean;
}

export interface MllpReconnectOptions {
  /** Consecutive failures (connect refused, connection lost, ACK timeout) without one ACK before giving up. */
  maxAttempts?: number;
  /** First delay before reconnecting; doubles per failure, with jitter, up to `maxDelayMs`. */
  baseDelayMs?: number;
  maxDelayMs?: number;
}

export interface MllpSenderOptions {
  host: string;
  port: number;
  tls?: MllpClientTlsOptions;
  /** Connect timeout, and the longest wait for the next ACK while any is owed (default 30 s). */
  timeoutMs?: number;
  /** Messages written and not yet ACKed on the connection; the rest wait their turn (default 1). */
  maxInFlight?: number;
  reconnect?: MllpReconnectOptions;
  maxFrameBytes?: number;
}

/** The acknowledgment that answered one message. */
export interface MllpAck {
  /** MSA-1: AA/AE/AR, or CA/CE/CR in enhanced mode ('' when the reply has no MSA). */
  code: string;
  /** MSA-2 as received; for a well-behaved peer, the MSH-10 of the message it answers. */
  controlId: string;
  /** The whole ACK message. */
  text: string;
  /** Times the message was written (more than 1 when it was resent after a reconnect). */
  attempts: number;
}

interface Entry {
  frame: Buffer;
  /** MSH-10 of the message ('' when it cannot be read). */
  controlId: string;
  attempts: number;
  resolve: (ack: MllpAck) => void;
  reject: (error: Error) => void;
}

/** MSA-1 and MSA-2 of an ACK; the field separator is read from its MSH. */
export function readMsa(ack: string): { code: string; controlId: string } {
  const start = ack.indexOf('MSH');
  const sep = start === -1 ? '|' : (ack[start + 3] ?? '|');
  for (const segment of ack.split(/\r\n|\r|\n/)) {
    if (!segment.startsWith(`MSA${sep}`)) continue;
    const fields = segment.split(sep);
    return { code: fields[1] ?? '', controlId: fields[2] ?? '' };
  }
  return { code: '', controlId: '' };
}

/** MSH fields read from the first line only (a 20 MB message is not split); [] when there is no MSH. */
function headerFields(message: string | Buffer): string[] {
  const head = (
    typeof message === 'string' ? message.slice(0, 4096) : message.subarray(0, 4096).toString('latin1')
  )
    .trimStart()
    .split(/[\r\n]/, 1)[0];
  if (head === undefined || !head.startsWith('MSH')) return [];
  return head.split(head[3] ?? '|');
}

/**
 * Acknowledgment types (HL7 table 0155) that promise no ACK for a message that succeeds: NE (never), ER (only on
 * error). When both MSH-15 (accept) and MSH-16 (application) say so, a receiver may answer nothing, and since ACKs
 * are matched in order, the next message's ACK would answer this one.
 */
const SILENT_ON_SUCCESS = new Set(['NE', 'ER']);

/** How many recently ACKed control ids are remembered to recognise a repeated ACK. */
const RECENT_ACKS = 1024;

function unavailable(message: string, cause?: unknown): RxBridgeError {
  return new RxBridgeError(ErrorCode.EhrUnavailable, message, cause === undefined ? undefined : { cause });
}

/**
 * Sends messages over one MLLP connection at a time. ACKs are matched to messages in order (MLLP has no other
 * key). When the connection drops or an ACK is late, every written-but-unACKed message is written again, in
 * the original order, on a new connection: the receiver may see a message twice (it dedupes on MSH-10, as HL7
 * v2 ch. 2 expects of receivers) but never loses one. `send` resolves only with the ACK itself, whatever its code.
 */
export class MllpSender {
  readonly #options: MllpSenderOptions;
  readonly #timeoutMs: number;
  readonly #maxInFlight: number;
  readonly #maxAttempts: number;
  readonly #baseDelayMs: number;
  readonly #maxDelayMs: number;
  /** Every unresolved message, oldest first; the first `#written` were written on the current socket. */
  #queue: Entry[] = [];
  #written = 0;
  #socket: net.Socket | undefined;
  #ready = false;
  #ackTimer: NodeJS.Timeout | undefined;
  #retryTimer: NodeJS.Timeout | undefined;
  #failures = 0;
  #closed = false;
  #reconnects = 0;
  #onConnected: Array<(error?: Error) => void> = [];
  /** Control ids ACKed lately, oldest first, to drop a peer's repeated ACK instead of mismatching it. */
  #recent: string[] = [];
  #recentSet = new Set<string>();
  #strayAcks = 0;

  constructor(options: MllpSenderOptions) {
    this.#options = options;
    this.#timeoutMs = options.timeoutMs ?? 30_000;
    this.#maxInFlight = Math.max(1, options.maxInFlight ?? 1);
    this.#maxAttempts = options.reconnect?.maxAttempts ?? Number.POSITIVE_INFINITY;
    this.#baseDelayMs = options.reconnect?.baseDelayMs ?? 100;
    this.#maxDelayMs = options.reconnect?.maxDelayMs ?? 5_000;
  }

  /** Messages sent and not yet ACKed (queued or in flight). */
  pending(): number {
    return this.#queue.length;
  }

  /** Connections made after the first one. */
  reconnects(): number {
    return this.#reconnects;
  }

  /** ACKs dropped because they repeated an ACK already received (a peer bug; counted, never matched). */
  strayAcks(): number {
    return this.#strayAcks;
  }

  /** Opens the connection now (one attempt; rejects if it fails) instead of on the first send. */
  connect(): Promise<void> {
    if (this.#closed) return Promise.reject(unavailable('MLLP sender is closed'));
    if (this.#ready) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      this.#onConnected.push((error) => (error ? reject(error) : resolve()));
      if (!this.#socket) this.#open();
    });
  }

  /** Queues one message; resolves with the ACK that answers it. Rejects only when the sender gives up or closes. */
  send(message: string | Buffer): Promise<MllpAck> {
    if (this.#closed) return Promise.reject(unavailable('MLLP sender is closed'));
    const fields = headerFields(message);
    // MSH-1 is the separator itself, so MSH-n is fields[n - 1].
    const accept = (fields[14] ?? '').trim().toUpperCase();
    const application = (fields[15] ?? '').trim().toUpperCase();
    if (SILENT_ON_SUCCESS.has(accept) && SILENT_ON_SUCCESS.has(application)) {
      return Promise.reject(
        new RxBridgeError(
          ErrorCode.InvalidInput,
          `MSH-15 '${accept}' and MSH-16 '${application}' let the receiver send no ACK when the message succeeds; this sender needs an ACK for every message to know it arrived (set MSH-15 or MSH-16 to AL, or leave both empty)`,
        ),
      );
    }
    return new Promise<MllpAck>((resolve, reject) => {
      const controlId = fields[9] ?? '';
      this.#queue.push({ frame: frameMllp(message), controlId, attempts: 0, resolve, reject });
      this.#pump();
    });
  }

  /**
   * Stops the sender. With `drainMs` > 0 it first waits that long for queued messages to be ACKed; whatever is
   * still unACKed then is rejected (never silently dropped).
   */
  async close(drainMs = 0): Promise<void> {
    if (drainMs > 0 && this.#queue.length > 0 && !this.#closed) {
      const until = Date.now() + drainMs;
      while (this.#queue.length > 0 && Date.now() < until) await new Promise((r) => setTimeout(r, 10));
    }
    if (this.#closed) return;
    this.#closed = true;
    clearTimeout(this.#retryTimer);
    clearTimeout(this.#ackTimer);
    this.#rejectAll(unavailable('MLLP sender closed before the ACK arrived'));
    for (const done of this.#onConnected.splice(0)) done(unavailable('MLLP sender closed while connecting'));
    const socket = this.#socket;
    this.#socket = undefined;
    this.#ready = false;
    if (!socket || socket.destroyed) return;
    await new Promise<void>((resolve) => {
      socket.once('close', () => resolve());
      socket.end();
      // A peer that never closes its side must not hold us up.
      setTimeout(() => socket.destroy(), Math.min(this.#timeoutMs, 5_000)).unref();
    });
  }

  #pump(): void {
    if (this.#closed) return;
    if (!this.#socket) {
      if (this.#retryTimer === undefined && this.#queue.length > 0) this.#open();
      return;
    }
    if (!this.#ready) return;
    const socket = this.#socket;
    const batch: Buffer[] = [];
    while (this.#written < this.#queue.length && this.#written < this.#maxInFlight) {
      const entry = this.#queue[this.#written] as Entry;
      entry.attempts++;
      batch.push(entry.frame);
      this.#written++;
    }
    if (batch.length === 0) return;
    socket.write(batch.length === 1 ? (batch[0] as Buffer) : Buffer.concat(batch));
    if (this.#ackTimer === undefined) this.#armAckTimer();
  }

  #armAckTimer(): void {
    clearTimeout(this.#ackTimer);
    this.#ackTimer = undefined;
    const socket = this.#socket;
    if (this.#written === 0 || !socket) return;
    this.#ackTimer = setTimeout(() => {
      this.#ackTimer = undefined;
      this.#drop(socket, unavailable(`no MLLP ACK within ${this.#timeoutMs} ms`));
    }, this.#timeoutMs);
  }

  #open(): void {
    const { host, port } = this.#options;
    const t = this.#options.tls;
    const socket: net.Socket = t
      ? tls.connect({
          host,
          port,
          // QUALITY S8: never below TLS 1.2.
          minVersion: 'TLSv1.2',
          ...(t.ca !== undefined ? { ca: t.ca } : {}),
          ...(t.cert !== undefined ? { cert: t.cert } : {}),
          ...(t.key !== undefined ? { key: t.key } : {}),
          ...(t.servername !== undefined ? { servername: t.servername } : {}),
          rejectUnauthorized: t.rejectUnauthorized ?? true,
        })
      : net.connect({ host, port, noDelay: true });
    if (t) socket.setNoDelay(true);
    this.#socket = socket;
    this.#ready = false;
    this.#written = 0;
    const deframer = new MllpDeframer(
      this.#options.maxFrameBytes === undefined ? {} : { maxFrameBytes: this.#options.maxFrameBytes },
    );
    const connectTimer = setTimeout(() => {
      this.#drop(socket, unavailable(`MLLP connect to ${host}:${port} timed out`));
    }, this.#timeoutMs);
    socket.once(t ? 'secureConnect' : 'connect', () => {
      clearTimeout(connectTimer);
      if (socket !== this.#socket) return;
      this.#ready = true;
      for (const done of this.#onConnected.splice(0)) done();
      this.#pump();
    });
    socket.on('data', (chunk: Buffer) => {
      if (socket !== this.#socket) return;
      this.#receive(socket, deframer, chunk);
    });
    socket.on('error', (error) => {
      clearTimeout(connectTimer);
      const what = this.#ready ? 'MLLP connection failed' : `MLLP connect to ${host}:${port} failed`;
      this.#drop(socket, unavailable(what, error));
    });
    socket.on('close', () => {
      clearTimeout(connectTimer);
      this.#drop(socket, unavailable('MLLP connection closed before the ACK arrived'));
    });
  }

  #receive(socket: net.Socket, deframer: MllpDeframer, chunk: Buffer): void {
    for (const item of deframer.feed(chunk)) {
      if (item.kind !== 'frame') {
        this.#drop(socket, new RxBridgeError(ErrorCode.InvalidInput, item.reason));
        return;
      }
      // An ACK with nothing in flight cannot be matched to anything (MLLP has no other key); it is ignored.
      if (this.#written === 0) {
        this.#strayAcks++;
        continue;
      }
      const head = this.#queue[0] as Entry;
      const text = item.frame.toString('utf8');
      const msa = readMsa(text);
      // A peer that repeats the ACK of an earlier message (seen in the wild) must not shift every later match.
      if (msa.controlId !== head.controlId && head.controlId !== '' && this.#recentSet.has(msa.controlId)) {
        this.#strayAcks++;
        continue;
      }
      this.#queue.shift();
      this.#written--;
      this.#failures = 0;
      this.#remember(head.controlId);
      head.resolve({ ...msa, text, attempts: head.attempts });
      this.#armAckTimer();
    }
    this.#pump();
  }

  /** Ends one connection; schedules the next attempt, or gives up after `maxAttempts` failures in a row. */
  #drop(socket: net.Socket, error: Error): void {
    if (socket !== this.#socket) {
      socket.destroy();
      return;
    }
    this.#socket = undefined;
    this.#ready = false;
    this.#written = 0;
    clearTimeout(this.#ackTimer);
    this.#ackTimer = undefined;
    socket.destroy();
    if (this.#closed) return;
    // An initial `connect()` is one attempt: the caller learns at once that the address is wrong.
    const waiting = this.#onConnected.splice(0);
    for (const done of waiting) done(error);
    this.#failures++;
    if (this.#failures >= this.#maxAttempts) {
      this.#failures = 0;
      const attempts = this.#maxAttempts;
      this.#rejectAll(
        unavailable(
          `${error.message} (gave up after ${attempts} attempt${attempts === 1 ? '' : 's'})`,
          error,
        ),
      );
      return;
    }
    if (this.#queue.length === 0) {
      // Nothing is owed: the next send starts afresh.
      this.#failures = 0;
      return;
    }
    const exponential = this.#baseDelayMs * 2 ** Math.min(this.#failures - 1, 20);
    const delay = Math.min(this.#maxDelayMs, exponential) * (0.5 + Math.random() / 2);
    this.#retryTimer = setTimeout(() => {
      this.#retryTimer = undefined;
      if (this.#closed || this.#socket) return;
      this.#reconnects++;
      this.#pump();
    }, delay);
  }

  #remember(controlId: string): void {
    if (controlId === '' || this.#recentSet.has(controlId)) return;
    this.#recent.push(controlId);
    this.#recentSet.add(controlId);
    if (this.#recent.length > RECENT_ACKS) this.#recentSet.delete(this.#recent.shift() as string);
  }

  #rejectAll(error: Error): void {
    for (const entry of this.#queue.splice(0)) entry.reject(error);
    this.#written = 0;
  }
}

/** An outbound sender that never drops a message: it retries until the peer ACKs or `close()` is called. */
export function createMllpSender(
  options: MllpSenderOptions & { timeoutMs: number; maxInFlight: number },
): MllpSender {
  return new MllpSender(options);
}
