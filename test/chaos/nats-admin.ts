// Removing a chaos run's stream from a NATS server it did not start.
import { connect } from '@nats-io/transport-node';
import { jetstreamManager } from '@nats-io/jetstream';

export async function deleteStream(url: string, stream: string): Promise<void> {
  const nc = await connect({ servers: url, reconnect: false, timeout: 2_000 });
  try {
    const jsm = await jetstreamManager(nc);
    await jsm.streams.delete(stream).catch(() => false);
  } finally {
    await nc.close();
  }
}
