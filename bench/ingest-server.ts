// A listener under test, in its own process so the load generator never shares its event loop.
// Usage: node bench/ingest-server.ts <rxbridge-sqlite|rxbridge-memory|medplum>; prints "READY <port>", stops on SIGTERM.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Hl7Server, type Hl7MessageEvent } from '@medplum/hl7';
import { startMllpServer } from '../src/inbound/mllp/mllp-server.ts';
import type { AppendResult, IncomingMessage, MessageStore } from '../src/platform/store/message-store.ts';
import { openSqliteStore } from '../src/platform/store/sqlite/sqlite-store.ts';
import { encryptedStore } from '../src/governance/crypto/encrypted-store.ts';
import { ephemeralKeyring } from '../src/governance/crypto/keyring.ts';
import { freePort } from '../test/support/engine-process.ts';

export const INGEST_TARGETS = ['rxbridge-sqlite', 'rxbridge-memory', 'medplum'] as const;
export type IngestTarget = (typeof INGEST_TARGETS)[number];

/** Resolves every append at once: the listener's own ceiling, with no durability at all. */
function instantStore(): MessageStore {
  let sequence = 0;
  const unsupported = (): never => {
    throw new Error('not used by the listener');
  };
  return {
    append: (_input: IncomingMessage): Promise<AppendResult> =>
      Promise.resolve({ id: String(++sequence), sequence, duplicate: false }),
    claim: unsupported,
    settle: unsupported,
    get: unsupported,
    list: unsupported,
    events: unsupported,
    replay: unsupported,
    countByState: unsupported,
    prune: unsupported,
  };
}

async function start(target: IngestTarget): Promise<{ port: number; stop: () => Promise<void> }> {
  switch (target) {
    case 'rxbridge-sqlite': {
      const dir = mkdtempSync(join(tmpdir(), 'rxb-bench-'));
      // As the engine composes it (src/main.ts openStore): bodies and patient keys encrypted at rest.
      const store = encryptedStore(
        await openSqliteStore({ path: join(dir, 'bench.db') }),
        ephemeralKeyring(),
      );
      const server = await startMllpServer({
        host: '127.0.0.1',
        port: 0,
        channel: 'mllp:bench',
        store: store.messages,
      });
      return {
        port: server.address().port,
        stop: async () => {
          await server.close();
          await store.close();
          rmSync(dir, { recursive: true, force: true });
        },
      };
    }
    case 'rxbridge-memory': {
      const server = await startMllpServer({
        host: '127.0.0.1',
        port: 0,
        channel: 'mllp:bench',
        store: instantStore(),
      });
      return { port: server.address().port, stop: () => server.close() };
    }
    case 'medplum': {
      const server = new Hl7Server((connection) => {
        connection.addEventListener('message', (event: Hl7MessageEvent) => {
          event.connection.send(event.message.buildAck());
        });
      });
      const port = await freePort();
      await server.start(port);
      return { port, stop: () => server.stop({ forceDrainTimeoutMs: 1000 }) };
    }
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const target = process.argv[2] as IngestTarget;
  if (!INGEST_TARGETS.includes(target)) {
    process.stderr.write(`usage: node bench/ingest-server.ts <${INGEST_TARGETS.join('|')}>\n`);
    process.exit(2);
  }
  const server = await start(target);
  process.stdout.write(`READY ${server.port}\n`);
  process.once('SIGTERM', () => {
    server.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  });
}
