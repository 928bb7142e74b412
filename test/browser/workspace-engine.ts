// A real engine for workspace tests: SQLite file, demo pharmacy, MLLP and HTTP on free ports, a pharmacist signed in,
// an HL7 v2 pharmacy feed received by a real MLLP listener, and the EHR sandbox (SMART Backend Services) for notes.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectMllp, type MllpClient } from '../../src/inbound/mllp/mllp-client.ts';
import { startMllpServer, type MllpServer } from '../../src/inbound/mllp/mllp-server.ts';
import { MemoryMessageStore } from '../../src/inbound/mllp/testing/memory-message-store.ts';
import { startEngine, type Engine } from '../../src/main.ts';
import { createHl7PharmacyWriter } from '../../src/outbound/pharmacy/hl7v2-pharmacy-writer.ts';
import type { FhirClient } from '../../src/platform/ehr/fhir/fhir-client.ts';
import { startSandbox, type Sandbox } from '../../src/platform/ehr/sandbox/sandbox-server.ts';
import { generateSigningKey, KeyRing } from '../../src/platform/ehr/smart-keys.ts';
import { silentLogger } from '../../src/platform/log/logger.ts';
import { seedUser, sessionCookie, type SeededUser } from '../support/auth.ts';
import { demoEngineConfig } from '../support/demo-config.ts';
import { sandboxClient } from '../support/sandbox-client.ts';

export interface WorkspaceEngine {
  engine: Engine;
  url: string;
  mllpPort: number;
  pharmacist: SeededUser;
  /** Cookie header of a signed-in pharmacist (for API calls beside the browser). */
  cookie: string;
  /** RDE^O11 messages the pharmacy interface received. */
  pharmacyFeed: MemoryMessageStore;
  ehr: FhirClient;
  sandbox: Sandbox;
  send(message: string): Promise<string>;
  api<T = unknown>(path: string, init?: RequestInit): Promise<{ status: number; body: T }>;
  stop(): Promise<void>;
}

export async function startWorkspaceEngine(
  options: { webRoot?: string; dir?: string } = {},
): Promise<WorkspaceEngine> {
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'rxb-workspace-'));
  const config = demoEngineConfig(dir);

  // The pharmacy system's HL7 v2 interface: a real MLLP listener that stores and ACKs what it gets.
  const pharmacyFeed = new MemoryMessageStore();
  const feedServer: MllpServer = await startMllpServer({
    host: '127.0.0.1',
    port: 0,
    channel: 'mllp:pharmacy',
    store: pharmacyFeed as never,
    logger: silentLogger,
  });
  const feedClient: MllpClient = await connectMllp({ host: '127.0.0.1', port: feedServer.address().port });

  // The EHR: the sandbox FHIR server with SMART Backend Services.
  const ring = new KeyRing([generateSigningKey('ES384', 'workspace-test')]);
  const sandbox = await startSandbox({
    vendor: 'generic',
    clients: [{ clientId: 'rxbridge', jwks: ring.jwks(Date.now()) as never }],
  });
  const ehr = sandboxClient(sandbox, ring);

  const ref: { engine?: Engine } = {};
  const engine = await startEngine({
    config,
    logger: silentLogger,
    ...(options.webRoot ? { webRoot: options.webRoot } : {}),
    workspace: {
      ehr,
      exceptionSyncMs: 200,
      writers: [
        createHl7PharmacyWriter({
          name: `hl7v2:127.0.0.1:${feedServer.address().port}`,
          // The embedded pharmacy (profiles) is the engine's; read it through the engine once started.
          pharmacy: {
            findPatient: (q) => ref.engine!.pharmacy.findPatient(q),
            getProfile: (id) => ref.engine!.pharmacy.getProfile(id),
            listPatients: () => ref.engine!.pharmacy.listPatients(),
          },
          send: (m) => feedClient.send(m),
        }),
      ],
    },
  });
  ref.engine = engine;
  const url = engine.httpUrl!.replace('localhost', '127.0.0.1');
  const pharmacist = await seedUser(engine.security.auth, { role: 'pharmacist', site: '*' });
  const cookie = await sessionCookie(url, pharmacist);
  const mllpPort = engine.mllp[0]!.port;
  return {
    engine,
    url,
    mllpPort,
    pharmacist,
    cookie,
    pharmacyFeed,
    ehr,
    sandbox,
    async send(message) {
      const client = await connectMllp({ host: '127.0.0.1', port: mllpPort });
      try {
        return await client.send(message);
      } finally {
        await client.close();
      }
    },
    async api<T>(path: string, init: RequestInit = {}) {
      const res = await fetch(`${url}${path}`, {
        ...init,
        headers: {
          cookie,
          ...(init.body ? { 'content-type': 'application/json' } : {}),
          ...(init.headers as Record<string, string> | undefined),
        },
      });
      const text = await res.text();
      return { status: res.status, body: (text ? JSON.parse(text) : undefined) as T };
    },
    async stop() {
      await engine.stop();
      await feedClient.close();
      await feedServer.close();
      await sandbox.close();
      if (!options.dir) rmSync(dir, { recursive: true, force: true });
    },
  };
}
