// MLLP listener (plain or TLS): stores every message durably before acknowledging it; ACKs in arrival order.
import net from 'node:net';
import tls from 'node:tls';
import type { Issue } from '../../kernel/result.ts';
import { errorIssue } from '../../kernel/result.ts';
import type { AppendResult, IncomingMessage, MessageStore } from '../../platform/store/message-store.ts';
import type { AckMode, AckOutcome } from '../hl7v2/ack.ts';
import { ackCodeFor, ackModeFor, buildAck, guessHl7Header, shouldSendAck } from '../hl7v2/ack.ts';
import type { Hl7Message } from '../hl7v2/hl7-message.ts';
import { hl7MessageKeys } from '../hl7v2/message-keys.ts';
import { parseHl7 } from '../hl7v2/parse-hl7.ts';
import type { MllpFeedItem } from './mllp-framer.ts';
import { DEFAULT_MAX_FRAME_BYTES, MllpDeframer, frameMllp } from './mllp-framer.ts';

/** pino-compatible subset; lines carry control ids, types and counts, never message content. */
export interface MllpLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

/** TLS for a listener; PEM contents, not paths. TLS 1.2 is the minimum (QUALITY S8). */
export interface MllpServerTlsOptions {
  cert: string | Buffer;
  key: string | Buffer;
  /** CAs that client certificates must chain to (mutual TLS); default: the system roots. */
  ca?: string | Buffer;
  /** Mutual TLS: a client without a certificate signed by `ca` is refused during the handshake. */
  requestClientCert?: boolean;
  /** Longest TLS handshake before the socket is dropped (default 10 s). */
  handshakeTimeoutMs?: number;
}

export interface MllpServerOptions {
  /** The interface to bind; plain MLLP is reachable only there. */
  host: string;
  port: number;
  /** Recorded on every stored message, e.g. `mllp:default`. */
  channel: string;
  store: MessageStore;
  maxFrameBytes?: number;
  /** Closes a connection that has sent nothing and has nothing pending for this long (default 10 minutes). */
  idleTimeoutMs?: number;
  /** Connections beyond this many are closed at accept, before any byte is read (default: no limit). */
  maxConnections?: number;
  tls?: MllpServerTlsOptions;
  /** Frames awaiting their ACK on one connection before reading pauses (default 1,000). */
  maxPendingPerConnection?: number;
  /** How long `close()` waits for in-flight appends before dropping connections (default 30 s). */
  closeTimeoutMs?: number;
  /** Our identity in ACK MSH-3/MSH-4; default: the original MSH-5/MSH-6. */
  receivingApp?: string;
  receivingFacility?: string;
  onStored?: (result: AppendResult, input: IncomingMessage) => void;
  logger?: MllpLogger;
}

export interface MllpServer {
  address(): { host: string; port: number };
  connections(): number;
  /** ACK bytes written but not yet taken by the kernel, over all connections (bounded: reading pauses when full). */
  bufferedAckBytes(): number;
  readonly secure: boolean;
  /** Stops accepting, lets in-flight appends finish and be acknowledged, then closes every connection. */
  close(): Promise<void>;
}

const silent: MllpLogger = { info: () => undefined, warn: () => undefined, error: () => undefined };

/** One received frame awaiting its turn to be acknowledged. */
interface Pending {
  /** The ACK bytes to write (framed), null when the mode says none is sent; undefined until decided. */
  ack: Buffer | null | undefined;
  /** Close the connection after this ACK (oversize block). */
  closeAfter: boolean;
}

interface Connection {
  socket: net.Socket;
  pending: Pending[];
  paused: boolean;
  /** The socket's write buffer is full (a peer that does not read its ACKs): reading waits for 'drain'. */
  writeBlocked: boolean;
  closing: boolean;
  /** The sender half-closed: answer what is pending, then close our side. */
  readEnded: boolean;
  idle: () => void;
}

export async function startMllpServer(options: MllpServerOptions): Promise<MllpServer> {
  const log = options.logger ?? silent;
  const maxPending = options.maxPendingPerConnection ?? 1000;
  const maxFrameBytes = options.maxFrameBytes ?? DEFAULT_MAX_FRAME_BYTES;
  const idleTimeoutMs = options.idleTimeoutMs ?? 10 * 60_000;
  const ackIdentity = {
    ...(options.receivingApp !== undefined ? { receivingApp: options.receivingApp } : {}),
    ...(options.receivingFacility !== undefined ? { receivingFacility: options.receivingFacility } : {}),
  };
  const open = new Set<Connection>();
  let closing = false;

  const onConnection = (socket: net.Socket): void => {
    if (closing) {
      socket.destroy();
      return;
    }
    const conn: Connection = {
      socket,
      pending: [],
      paused: false,
      writeBlocked: false,
      closing: false,
      readEnded: false,
      idle: () => undefined,
    };
    open.add(conn);
    const deframer = new MllpDeframer({ maxFrameBytes });
    let frames = 0;
    log.info(
      { channel: options.channel, remote: socket.remoteAddress, connections: open.size },
      'mllp connection opened',
    );

    /** Reads only while this connection has room: few undecided frames and a write buffer the peer is draining. */
    const updateReading = (): void => {
      if (conn.closing) return;
      const full = conn.writeBlocked || conn.pending.length > maxPending;
      if (full && !conn.paused) {
        conn.paused = true;
        socket.pause();
      } else if (!full && conn.paused && conn.pending.length <= maxPending / 2) {
        conn.paused = false;
        socket.resume();
      }
    };

    /** Ends our side; a peer that neither reads what is left nor closes its side is cut off after a grace period. */
    const endSoon = (): void => {
      // Nothing read after this is stored: it could not be acknowledged, so the sender keeps it and resends.
      conn.closing = true;
      socket.end();
      setTimeout(() => socket.destroy(), Math.min(idleTimeoutMs, 5_000)).unref();
    };

    /** Writes every ACK at the head of the queue that is decided, in one write. */
    const flush = (): void => {
      const out: Buffer[] = [];
      let close = false;
      while (conn.pending.length > 0) {
        const head = conn.pending[0] as Pending;
        if (head.ack === undefined) break;
        conn.pending.shift();
        if (head.ack !== null) out.push(head.ack);
        if (head.closeAfter) {
          close = true;
          break;
        }
      }
      if (out.length > 0 && socket.writable) {
        const drained = socket.write(out.length === 1 ? (out[0] as Buffer) : Buffer.concat(out));
        if (!drained && !conn.writeBlocked) {
          conn.writeBlocked = true;
          socket.once('drain', () => {
            conn.writeBlocked = false;
            updateReading();
          });
        }
      }
      if (close) {
        conn.closing = true;
        conn.pending.length = 0;
        endSoon();
        socket.resume();
        return;
      }
      updateReading();
      if (conn.pending.length === 0) {
        if (conn.readEnded) socket.end();
        conn.idle();
      }
    };

    // ACKs decided in the same tick (a committed batch resolves many appends at once) leave in one write.
    let flushScheduled = false;
    const scheduledFlush = (): void => {
      flushScheduled = false;
      flush();
    };
    const settle = (entry: Pending, ack: string | null): void => {
      entry.ack = ack === null ? null : frameMllp(Buffer.from(ack, 'latin1'));
      if (flushScheduled) return;
      flushScheduled = true;
      process.nextTick(scheduledFlush);
    };

    const handle = (item: MllpFeedItem): void => {
      const entry: Pending = { ack: undefined, closeAfter: false };
      conn.pending.push(entry);
      frames++;
      if (item.kind === 'oversize') {
        entry.closeAfter = true;
        // Nothing after it on this connection is read: the ACKs owed before it still go out, then the close.
        conn.closing = true;
        const head = item.head.toString('latin1');
        const guess = guessHl7Header(head);
        log.warn(
          { channel: options.channel, controlId: guess.controlId, size: item.size, limit: item.limit },
          'mllp block too large; rejected and connection closed',
        );
        const issue = errorIssue('too-long', '', `${item.reason}; the message was not stored`);
        // The MSH alone (when it fits in the head) says whether the sender wants AR or, in enhanced mode, CR.
        const header = parseHl7(head.split(/\r|\n/, 1)[0] ?? '');
        const ack = header.ok
          ? buildAck(header.value, ackCodeFor(ackModeFor(header.value), 'rejected'), {
              issues: [issue],
              ...ackIdentity,
            })
          : buildAck(undefined, 'AR', { guess, issues: [issue], ...ackIdentity });
        settle(entry, ack);
        return;
      }
      receive(item.frame, entry);
    };

    const receive = (frame: Buffer, entry: Pending): void => {
      // latin1 maps bytes 1:1, so header values echoed in the ACK keep their exact bytes whatever MSH-18 says.
      const text = frame.toString('latin1');
      const parsed = parseHl7(text);
      if (!parsed.ok) {
        const guess = guessHl7Header(text);
        log.warn(
          {
            channel: options.channel,
            controlId: guess.controlId,
            issues: parsed.issues.length,
            bytes: frame.length,
          },
          'unparseable HL7 message rejected',
        );
        settle(entry, buildAck(undefined, 'AR', { guess, issues: parsed.issues, ...ackIdentity }));
        return;
      }
      const msg = parsed.value;
      const mode = ackModeFor(msg);
      const respond = (outcome: AckOutcome, issues: Issue[] = []): void => {
        const send = shouldSendAck(mode, outcome);
        settle(entry, send ? buildAck(msg, ackCodeFor(mode, outcome), { issues, ...ackIdentity }) : null);
      };
      const missing = requiredHeaderIssues(msg);
      if (missing.length > 0) {
        log.warn(
          { channel: options.channel, type: msg.type, issues: missing.length },
          'HL7 message without required header fields rejected',
        );
        respond('rejected', missing);
        return;
      }
      const keys = hl7MessageKeys(msg);
      const positive = positiveAck(mode);
      const input: IncomingMessage = {
        channel: options.channel,
        format: 'hl7v2',
        idempotencyKey: keys.idempotencyKey,
        partitionKey: keys.partitionKey,
        raw: frame,
        summary: keys.summary,
        ...(positive !== undefined ? { ack: positive } : {}),
      };
      let appended: Promise<AppendResult>;
      try {
        appended = options.store.append(input);
      } catch (error) {
        appended = Promise.reject(error instanceof Error ? error : new Error(String(error)));
      }
      appended.then(
        (result) => {
          try {
            options.onStored?.(result, input);
          } catch (error) {
            log.error({ channel: options.channel, err: errorName(error) }, 'onStored callback failed');
          }
          // A duplicate was stored before: the sender lost our ACK and resent, so it gets a positive one again.
          respond('accepted');
        },
        (error: unknown) => {
          log.error(
            {
              channel: options.channel,
              controlId: keys.summary.controlId,
              type: keys.summary.type,
              err: errorName(error),
            },
            'store append failed; negative ACK sent',
          );
          respond('error', [errorIssue('transient', '', 'the message was not stored; send it again later')]);
        },
      );
    };

    /** Bytes that arrived after this connection began to close: not stored, not ACKed; the sender resends them. */
    let unreadBytes = 0;
    socket.on('data', (chunk: Buffer) => {
      if (conn.closing) {
        unreadBytes += chunk.length;
        return;
      }
      for (const item of deframer.feed(chunk)) {
        handle(item);
        if (conn.closing) break;
      }
      // Backpressure: stop reading until the store has caught up with this sender.
      updateReading();
    });
    socket.on('end', () => {
      conn.readEnded = true;
      if (conn.pending.length === 0) socket.end();
    });
    socket.setTimeout(idleTimeoutMs);
    socket.on('timeout', () => {
      if (conn.pending.length === 0) {
        log.info({ channel: options.channel, frames }, 'mllp connection idle; closing');
        endSoon();
      } else {
        // Still deciding ACKs; ask again later (a settle that writes nothing, as for MSH-15 NE, is not activity).
        socket.setTimeout(idleTimeoutMs);
      }
    });
    socket.on('error', (error) => {
      log.warn(
        { channel: options.channel, err: errorName(error), pending: conn.pending.length },
        'mllp socket error',
      );
    });
    socket.on('close', () => {
      open.delete(conn);
      conn.idle();
      log.info(
        { channel: options.channel, frames, discardedBytes: deframer.discardedBytes, connections: open.size },
        'mllp connection closed',
      );
      if (unreadBytes > 0) {
        log.warn(
          { channel: options.channel, unreadBytes },
          'data received while the connection was closing was not stored; the sender must resend it',
        );
      }
      if (deframer.discardedBytes > 0) {
        log.warn(
          { channel: options.channel, discardedBytes: deframer.discardedBytes },
          'bytes outside MLLP blocks were dropped',
        );
      }
    });
  };

  // allowHalfOpen: a sender may send its last messages and half-close; their ACKs are still owed.
  let server: net.Server;
  if (options.tls) {
    const t = options.tls;
    const mutual = t.requestClientCert === true;
    server = tls.createServer(
      {
        cert: t.cert,
        key: t.key,
        ...(t.ca !== undefined ? { ca: t.ca } : {}),
        // QUALITY S8: TLS 1.0 and 1.1 are refused in the handshake.
        minVersion: 'TLSv1.2',
        requestCert: mutual,
        rejectUnauthorized: mutual,
        handshakeTimeout: t.handshakeTimeoutMs ?? 10_000,
        noDelay: true,
        allowHalfOpen: true,
      },
      onConnection,
    );
    server.on('tlsClientError', (error: Error, socket: tls.TLSSocket) => {
      log.warn(
        { channel: options.channel, remote: socket.remoteAddress, err: errorName(error) },
        'mllp TLS handshake refused',
      );
      // Without this the refused socket stays counted by the server and close() never completes.
      socket.destroy();
    });
  } else {
    server = net.createServer({ noDelay: true, allowHalfOpen: true }, onConnection);
    if (!isLoopback(options.host)) {
      log.warn(
        { channel: options.channel, host: options.host },
        'plain MLLP (no TLS) listening on a non-loopback interface',
      );
    }
  }
  // Every accepted TCP socket, including TLS ones still in their handshake, so close() can end them all.
  const sockets = new Set<net.Socket>();
  server.on('connection', (raw: net.Socket) => {
    sockets.add(raw);
    raw.once('close', () => sockets.delete(raw));
  });
  if (options.maxConnections !== undefined) {
    server.maxConnections = options.maxConnections;
    // Node closes the extra socket at accept time; nothing is read from it and no resources are kept.
    server.on('drop', (data?: net.DropArgument) => {
      log.warn(
        { channel: options.channel, remote: data?.remoteAddress, limit: options.maxConnections },
        'mllp connection refused: too many connections',
      );
    });
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  server.on('error', (error) =>
    log.error({ channel: options.channel, err: errorName(error) }, 'mllp server error'),
  );
  const bound = server.address();
  const port = typeof bound === 'object' && bound !== null ? bound.port : options.port;
  log.info(
    { channel: options.channel, host: options.host, port, tls: options.tls !== undefined },
    'mllp listener started',
  );

  return {
    address: () => ({ host: options.host, port }),
    connections: () => Math.max(open.size, sockets.size),
    bufferedAckBytes: () => {
      let total = 0;
      for (const conn of open) total += conn.socket.writableLength;
      return total;
    },
    secure: options.tls !== undefined,
    close: async () => {
      if (closing) return;
      closing = true;
      const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
      const drains = [...open].map(
        (conn) =>
          new Promise<void>((resolve) => {
            conn.closing = true;
            conn.socket.pause();
            const done = (): void => {
              if (conn.pending.length > 0 && !conn.socket.destroyed) return;
              conn.idle = () => undefined;
              if (!open.has(conn)) {
                resolve();
                return;
              }
              conn.socket.once('close', () => resolve());
              conn.socket.end();
              // Read (and drop, unACKed) whatever else arrives, or a paused socket would never see the peer's FIN.
              conn.socket.resume();
            };
            conn.idle = done;
            done();
          }),
      );
      const grace = options.closeTimeoutMs ?? 30_000;
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<void>((resolve) => {
        timer = setTimeout(() => {
          for (const conn of open) conn.socket.destroy();
          resolve();
        }, grace);
      });
      await Promise.race([Promise.all(drains), timeout]);
      clearTimeout(timer);
      // Sockets that never finished a TLS handshake, or whose TLS layer closed without its TCP socket.
      for (const raw of sockets) raw.destroy();
      await stopped;
      log.info({ channel: options.channel }, 'mllp listener stopped');
    },
  };
}

/** MSH-9 and MSH-10 are required (HL7 v2.5.1 ch. 2.14.9): without them there is no dedupe key and no ACK to match. */
function requiredHeaderIssues(msg: Hl7Message): Issue[] {
  const issues: Issue[] = [];
  if (msg.controlId === '') issues.push(errorIssue('required', 'MSH-10', 'message control id is required'));
  if (msg.get('MSH-9.1') === '') issues.push(errorIssue('required', 'MSH-9', 'message type is required'));
  return issues;
}

function positiveAck(mode: AckMode): string | undefined {
  return shouldSendAck(mode, 'accepted') ? ackCodeFor(mode, 'accepted') : undefined;
}

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || host.startsWith('127.');
}

/** Error names and codes only: messages from drivers can quote data. */
function errorName(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return typeof code === 'string' ? `${error.name}:${code}` : error.name;
  }
  return typeof error;
}
