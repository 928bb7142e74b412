// Test helpers for the NATS bus: where the test server is, whether it answers, and a private stream per test.
import { randomUUID } from 'node:crypto';
import { connect } from '@nats-io/transport-node';
import { jetstreamManager } from '@nats-io/jetstream';

/** nats://127.0.0.1:4222 unless RXBRIDGE_TEST_NATS_URL says otherwise. */
export function testNatsUrl(): string {
  return process.env['RXBRIDGE_TEST_NATS_URL'] ?? 'nats://127.0.0.1:4222';
}

/**
 * Whether a NATS server with JetStream answers at testNatsUrl(). On CI (CI=true) an absent server is an
 * error, so that a missing service container fails the build instead of silently skipping the suite.
 */
export async function natsAvailable(): Promise<boolean> {
  try {
    const nc = await connect({ servers: testNatsUrl(), timeout: 2_000, reconnect: false });
    try {
      await jetstreamManager(nc);
    } finally {
      await nc.close();
    }
    return true;
  } catch (error) {
    const reason = `NATS with JetStream is not reachable at ${testNatsUrl()} (${error instanceof Error ? error.message : String(error)})`;
    if (process.env['CI'] === 'true') {
      throw new Error(
        `${reason}. CI=true requires it: start \`nats-server -js\` or set RXBRIDGE_TEST_NATS_URL.`,
      );
    }
    console.warn(`Skipping NATS bus tests: ${reason}.`);
    return false;
  }
}

/** A stream name and subject prefix no other test (or parallel test file) uses. */
export function testNamespace(): { stream: string; subjectPrefix: string } {
  const suffix = randomUUID().replaceAll('-', '').slice(0, 12);
  return { stream: `RXBRIDGE_TEST_${suffix}`, subjectPrefix: `rxbridge-test.${suffix}` };
}

/** Removes a test's stream (and with it its consumers); a stream that was never created is fine. */
export async function deleteTestStream(stream: string): Promise<void> {
  const nc = await connect({ servers: testNatsUrl(), reconnect: false });
  try {
    const jsm = await jetstreamManager(nc);
    await jsm.streams.delete(stream).catch(() => false);
  } finally {
    await nc.close();
  }
}
