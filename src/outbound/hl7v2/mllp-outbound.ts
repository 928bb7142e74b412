// One outbound MLLP connection for a feed that sends a message and waits for its ACK (pharmacy RDE feed, registry).
import { MllpSender, type MllpClientTlsOptions } from '../../inbound/mllp/mllp-sender.ts';

export interface MllpOutboundOptions {
  host: string;
  port: number;
  tls?: MllpClientTlsOptions;
  /** How long to wait for the connection and for each ACK before the send fails. */
  ackTimeoutMs: number;
}

export interface MllpOutbound {
  /** Resolves with the ACK text whatever its code; rejects when no ACK comes (timeout, connection lost). */
  send(message: string): Promise<string>;
  close(): Promise<void>;
}

/**
 * Connects on the first send, one message in flight. A missing ACK fails the send after one attempt: the task's
 * effect is then `failed`, and the task's retry sends the same message again (same MSH-10) for the peer to dedupe.
 */
export function openMllpOutbound(options: MllpOutboundOptions): MllpOutbound {
  const sender = new MllpSender({
    host: options.host,
    port: options.port,
    ...(options.tls ? { tls: options.tls } : {}),
    timeoutMs: options.ackTimeoutMs,
    maxInFlight: 1,
    reconnect: { maxAttempts: 1 },
  });
  return {
    send: async (message) => (await sender.send(message)).text,
    close: () => sender.close(),
  };
}
