// The engine under test as real processes, in either runtime mode:
//   embedded: one `rxbridge start --role all` on a SQLite file with the in-process bus;
//   scaled:   one `--role listener` and N `--role worker` processes on PostgreSQL (a private schema) and NATS
//             JetStream (a private nats-server, or a private stream on the shared one).
// Each process can be killed with SIGKILL and restarted on the same ports.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import {
  dropSchemas,
  randomSchemaName,
  testDatabaseUrl,
} from '../../src/platform/store/postgres/test-database.ts';
import { deleteStream } from './nats-admin.ts';
import { freePort, startEngineProcess, type EngineProcess } from '../support/engine-process.ts';
import { startPrivateNats, type PrivateNats } from './private-nats.ts';

export type Mode = 'embedded' | 'scaled';
export const MODES: readonly Mode[] = ['embedded', 'scaled'];

export interface ClusterOptions {
  mode: Mode;
  /** Scaled mode: worker processes (default 2). */
  workers?: number;
  /** Worker lease: how long a killed worker's message stays claimed before another takes it. */
  leaseMs?: number;
  /** Embedded mode: directory for the SQLite file (e.g. a small tmpfs for disk-full). */
  dataDir?: string;
  /** Scaled mode: PostgreSQL URL to use (e.g. through a fault proxy); default the test database. */
  postgresUrl?: string;
  /** Scaled mode: NATS URL; default a private nats-server started for this cluster. */
  natsUrl?: string;
  /** Extra config merged over the generated file (e.g. mllp listener limits). */
  config?: Record<string, unknown>;
  /** Load the demo pharmacy so discharges of demo patients create tasks (default true). */
  demo?: boolean;
}

export interface Cluster {
  readonly mode: Mode;
  readonly mllpPort: number;
  readonly httpUrl: string;
  /** The process that owns the MLLP port (embedded: the only one). */
  listener(): EngineProcess;
  workers(): readonly EngineProcess[];
  /** SIGKILL the listener (embedded: the engine) and start it again. */
  killListener(restart?: boolean): Promise<void>;
  startListener(): Promise<void>;
  killWorker(index: number, restart?: boolean): Promise<void>;
  startWorker(index: number): Promise<void>;
  /** How to read the store directly. */
  readonly store: { kind: 'sqlite'; path: string } | { kind: 'postgres'; url: string; schema: string };
  readonly nats: PrivateNats | undefined;
  /** SIGTERM every process, then remove the schema, stream and files. */
  dispose(): Promise<void>;
}

export async function startCluster(options: ClusterOptions): Promise<Cluster> {
  const mode = options.mode;
  const dir = mkdtempSync(join(tmpdir(), `rxb-chaos-${mode}-`));
  const dataDir = options.dataDir ?? dir;
  const schema = randomSchemaName('rxb_chaos');
  const suffix = schema.slice('rxb_chaos_'.length);
  const stream = `RXB_CHAOS_${suffix}`;
  let nats: PrivateNats | undefined;
  let natsUrl = options.natsUrl;
  if (mode === 'scaled' && natsUrl === undefined) {
    nats = await startPrivateNats();
    natsUrl = nats.url;
  }
  const pgUrl = options.postgresUrl ?? testDatabaseUrl();
  const sqlitePath = join(dataDir, 'rxbridge.db');
  const config: Record<string, unknown> = {
    store: mode === 'embedded' ? `sqlite:${sqlitePath}` : pgUrl,
    bus: mode === 'embedded' ? 'local' : natsUrl,
    demo: options.demo ?? true,
    log: { level: 'warn' },
    worker: { leaseMs: options.leaseMs ?? 5_000, pollMs: 100, retryBaseMs: 200, retryMaxMs: 2_000 },
    scaled: { postgresSchema: schema, natsStream: stream, natsSubjectPrefix: `rxbchaos.${suffix}` },
    ...options.config,
  };
  const configFile = join(dir, 'rxbridge.yaml');
  writeFileSync(configFile, stringify(config));
  const mllpPort = await freePort();
  const httpPort = await freePort();
  const workerPorts = await Promise.all(
    Array.from({ length: mode === 'scaled' ? (options.workers ?? 2) : 0 }, () => freePort()),
  );
  const env = { RXBRIDGE_CONFIG: configFile };
  const store = String(config['store']);

  let listener: EngineProcess | undefined;
  const workers: Array<EngineProcess | undefined> = workerPorts.map(() => undefined);

  const startListener = async (): Promise<void> => {
    listener = await startEngineProcess({
      store,
      httpPort,
      mllpPort,
      env,
      args: mode === 'scaled' ? ['--role', 'listener'] : [],
      readyTimeoutMs: 30_000,
    });
  };
  const startWorker = async (index: number): Promise<void> => {
    workers[index] = await startEngineProcess({
      store,
      httpPort: workerPorts[index] as number,
      mllpPort: 0,
      env,
      args: ['--role', 'worker'],
      readyTimeoutMs: 30_000,
    });
  };
  const kill = async (p: EngineProcess | undefined): Promise<void> => {
    if (!p || p.child.exitCode !== null || p.child.signalCode !== null) return;
    p.child.kill('SIGKILL');
    await p.exited;
  };

  // The listener first (it creates the schema), then the workers together.
  await startListener();
  await Promise.all(workerPorts.map((_, i) => startWorker(i)));

  return {
    mode,
    mllpPort,
    httpUrl: `http://127.0.0.1:${httpPort}`,
    listener: () => listener as EngineProcess,
    workers: () => workers.filter((w): w is EngineProcess => w !== undefined),
    async killListener(restart = true) {
      await kill(listener);
      if (restart) await startListener();
    },
    startListener,
    async killWorker(index, restart = true) {
      await kill(workers[index]);
      if (restart) await startWorker(index);
    },
    startWorker,
    store:
      mode === 'embedded'
        ? { kind: 'sqlite', path: sqlitePath }
        : { kind: 'postgres', url: testDatabaseUrl(), schema },
    nats,
    async dispose() {
      const all = [listener, ...workers].filter((p): p is EngineProcess => p !== undefined);
      for (const p of all)
        if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill('SIGTERM');
      await Promise.race([Promise.all(all.map((p) => p.exited)), new Promise((r) => setTimeout(r, 10_000))]);
      for (const p of all) await kill(p);
      if (mode === 'scaled') {
        await dropSchemas(testDatabaseUrl(), [schema]).catch(() => undefined);
        if (nats) await nats.dispose();
        else if (natsUrl !== undefined) await deleteStream(natsUrl, stream).catch(() => undefined);
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
