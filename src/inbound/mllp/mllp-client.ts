// MLLP client: many messages in flight on one connection, each send resolved with its ACK; reconnects and resends.
import type { MllpClientTlsOptions, MllpReconnectOptions } from './mllp-sender.ts';
import { MllpSender } from './mllp-sender.ts';

export interface MllpClientOptions {
  host: string;
  port: number;
  /** Connect timeout, and the longest wait for the next ACK while any is owed (default 30 s). */
  timeoutMs?: number;
  maxFrameBytes?: number;
  tls?: MllpClientTlsOptions;
  /** Messages written and not yet ACKed (default 10,000); later sends wait their turn. */
  maxInFlight?: number;
  /**
   * After the connection is lost or an ACK is late: reconnect with backoff and resend every unACKed message in
   * order. Default 3 consecutive failures without an ACK, then every pending send is rejected.
   */
  reconnect?: MllpReconnectOptions;
}

export interface MllpClient {
  /** Sends one message; resolves with the ACK text. ACKs are matched to sends in order (MLLP has no other key). */
  send(message: string | Buffer): Promise<string>;
  /** Sends awaiting their ACK. */
  pending(): number;
  /** Connections made after the first one. */
  reconnects(): number;
  /** Ends the connection; sends still awaiting an ACK are rejected. */
  close(): Promise<void>;
}

/** Connects once (rejecting at once if that fails), then keeps the connection up while sends are owed ACKs. */
export async function connectMllp(options: MllpClientOptions): Promise<MllpClient> {
  const sender = new MllpSender({
    ...options,
    maxInFlight: options.maxInFlight ?? 10_000,
    reconnect: { maxAttempts: 3, ...options.reconnect },
  });
  await sender.connect();
  return {
    send: async (message) => (await sender.send(message)).text,
    pending: () => sender.pending(),
    reconnects: () => sender.reconnects(),
    close: () => sender.close(),
  };
}
