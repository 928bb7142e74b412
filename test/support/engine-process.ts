// Runs the real engine as a child process (`rxbridge start`) on given ports and store, for crash and e2e tests.
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

export const CLI = fileURLToPath(new URL('../../src/cli/main.ts', import.meta.url));
export const PROJECT_ROOT = fileURLToPath(new URL('../..', import.meta.url));

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export interface EngineProcess {
  child: ChildProcess;
  httpUrl: string;
  mllpPort: number;
  stdout: () => string;
  stderr: () => string;
  /** Resolves with the exit code or signal once the process is gone. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export interface EngineProcessOptions {
  store: string;
  httpPort: number;
  mllpPort: number;
  args?: string[];
  env?: Record<string, string>;
  readyTimeoutMs?: number;
}

export async function startEngineProcess(options: EngineProcessOptions): Promise<EngineProcess> {
  const child = spawn(
    process.execPath,
    [
      CLI,
      'start',
      '--http-port',
      String(options.httpPort),
      '--mllp-port',
      String(options.mllpPort),
      ...(options.args ?? []),
    ],
    {
      cwd: PROJECT_ROOT,
      env: {
        ...process.env,
        RXBRIDGE_STORE: options.store,
        RXBRIDGE_LOG_LEVEL: 'warn',
        ...options.env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let out = '';
  let err = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const httpUrl = `http://127.0.0.1:${options.httpPort}`;
  const deadline = Date.now() + (options.readyTimeoutMs ?? 20_000);
  let gone = false;
  void exited.then(() => (gone = true));
  for (;;) {
    if (gone) throw new Error(`engine exited before it was ready:\n${err}`);
    try {
      const r = await fetch(`${httpUrl}/readyz`);
      if (r.status === 200) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`engine not ready after ${options.readyTimeoutMs ?? 20_000} ms:\n${err}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return { child, httpUrl, mllpPort: options.mllpPort, stdout: () => out, stderr: () => err, exited };
}

export async function waitFor<T>(
  probe: () => Promise<T | undefined> | T | undefined,
  timeoutMs: number,
  what: string,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
