// MLLP sender: many messages in flight on one connection, each send resolved with the ACK that answers it, in order.
import net from 'node:net';
import { ErrorCode, RxBridgeError } from '../../kernel/errors.ts';
import { MllpDeframer, frameMllp } from './mllp-framer.ts';

export interface MllpClientOptions {
  host: string;
  port: number;
  /** Connect timeout, and the longest wait for each ACK (default 30 s). */
  timeoutMs?: number;
  maxFrameBytes?: number;
}

export interface MllpClient {
  /** Sends one message; resolves with the ACK text. ACKs are matched to sends in order (MLLP has no other key). */
  send(message: string | Buffer): Promise<string>;
  /** Sends awaiting their ACK. */
  pending(): number;
  /** Ends the connection; sends still awaiting an ACK are rejected. */
  close(): Promise<void>;
}

interface Waiter {
  resolve: (ack: string) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
}

export async function connectMllp(options: MllpClientOptions): Promise<MllpClient> {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const socket = await new Promise<net.Socket>((resolve, reject) => {
    const s = net.connect({ host: options.host, port: options.port, noDelay: true });
    const timer = setTimeout(() => {
      s.destroy();
      reject(
        new RxBridgeError(
          ErrorCode.EhrUnavailable,
          `MLLP connect to ${options.host}:${options.port} timed out`,
        ),
      );
    }, timeoutMs);
    s.once('connect', () => {
      clearTimeout(timer);
      s.removeAllListeners('error');
      resolve(s);
    });
    s.once('error', (error) => {
      clearTimeout(timer);
      reject(
        new RxBridgeError(
          ErrorCode.EhrUnavailable,
          `MLLP connect to ${options.host}:${options.port} failed`,
          {
            cause: error,
          },
        ),
      );
    });
  });

  const waiters: Waiter[] = [];
  const deframer = new MllpDeframer(
    options.maxFrameBytes === undefined ? {} : { maxFrameBytes: options.maxFrameBytes },
  );
  let failure: Error | undefined;

  const failAll = (error: Error): void => {
    failure ??= error;
    for (const w of waiters.splice(0)) {
      clearTimeout(w.timer);
      w.reject(error);
    }
  };

  socket.on('data', (chunk: Buffer) => {
    for (const item of deframer.feed(chunk)) {
      if (item.kind !== 'frame') {
        failAll(new RxBridgeError(ErrorCode.InvalidInput, item.reason));
        socket.destroy();
        return;
      }
      const w = waiters.shift();
      if (!w) continue; // An ACK nobody waits for (a late one after a timeout): nothing to match it to.
      clearTimeout(w.timer);
      w.resolve(item.frame.toString('utf8'));
    }
  });
  socket.on('error', (error) =>
    failAll(new RxBridgeError(ErrorCode.EhrUnavailable, 'MLLP connection failed', { cause: error })),
  );
  socket.on('close', () =>
    failAll(new RxBridgeError(ErrorCode.EhrUnavailable, 'MLLP connection closed before the ACK arrived')),
  );

  return {
    send: (message) =>
      new Promise<string>((resolve, reject) => {
        if (failure || socket.destroyed) {
          reject(failure ?? new RxBridgeError(ErrorCode.EhrUnavailable, 'MLLP connection is closed'));
          return;
        }
        const timer = setTimeout(() => {
          // Once one ACK is missing the order no longer says which ACK answers which send: give up on all of them.
          failAll(new RxBridgeError(ErrorCode.EhrUnavailable, `no MLLP ACK within ${timeoutMs} ms`));
          socket.destroy();
        }, timeoutMs);
        waiters.push({ resolve, reject, timer });
        socket.write(frameMllp(message));
      }),
    pending: () => waiters.length,
    close: () =>
      new Promise<void>((resolve) => {
        if (socket.destroyed) {
          resolve();
          return;
        }
        socket.once('close', () => resolve());
        socket.end();
        // A peer that never closes its side must not hold us up.
        setTimeout(() => socket.destroy(), timeoutMs).unref();
      }),
  };
}
