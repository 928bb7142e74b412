// A private nats-server (JetStream, own port and storage directory) so chaos runs can stop and restart the
// broker without touching the shared one other tests use.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../support/engine-process.ts';

export const NATS_SERVER_BINARY = process.env['RXBRIDGE_NATS_SERVER'] ?? '/usr/sbin/nats-server';

export function natsServerInstalled(): boolean {
  return existsSync(NATS_SERVER_BINARY);
}

export interface PrivateNats {
  readonly url: string;
  readonly port: number;
  /** The server's process id while it runs (for CPU sampling). */
  readonly pid: number | undefined;
  /** Stops the server (SIGKILL when `hard`, else SIGTERM); its stored stream survives in the directory. */
  stop(hard?: boolean): Promise<void>;
  /** Starts it again on the same port and directory. */
  start(): Promise<void>;
  /** Stops it and removes its directory. */
  dispose(): Promise<void>;
}

async function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port }, () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

export async function startPrivateNats(): Promise<PrivateNats> {
  if (!natsServerInstalled()) throw new Error(`nats-server not found at ${NATS_SERVER_BINARY}`);
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'rxb-nats-'));
  let child: ChildProcess | undefined;
  let exited: Promise<void> = Promise.resolve();

  const start = async (): Promise<void> => {
    const c = spawn(NATS_SERVER_BINARY, ['-a', '127.0.0.1', '-p', String(port), '-js', '-sd', dir], {
      stdio: 'ignore',
    });
    child = c;
    exited = new Promise<void>((resolve) => c.once('exit', () => resolve()));
    const deadline = Date.now() + 10_000;
    while (!(await portOpen(port))) {
      if (c.exitCode !== null) throw new Error(`nats-server exited with code ${c.exitCode}`);
      if (Date.now() > deadline) throw new Error('nats-server did not start within 10 s');
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  const stop = async (hard = false): Promise<void> => {
    if (!child || child.exitCode !== null) return;
    child.kill(hard ? 'SIGKILL' : 'SIGTERM');
    await exited;
  };
  await start();
  return {
    url: `nats://127.0.0.1:${port}`,
    port,
    get pid() {
      return child?.exitCode === null ? child.pid : undefined;
    },
    stop,
    start,
    async dispose() {
      await stop(true);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
