// `rxbridge start` and `rxbridge demo`: run the engine until SIGINT/SIGTERM, then drain and stop cleanly.
//
// Roles (scaled mode): `listener` runs the MLLP listeners and the web app/API (it stores and acknowledges),
// `worker` runs only the pipeline (claims stored messages; its HTTP port serves health, readiness and metrics),
// `all` (default) runs both. Shutdown: stop accepting, answer what was stored, let workers settle what they hold.
import type { Command } from 'commander';
import type { FastifyInstance } from 'fastify';
import { connectMllp } from '../../inbound/mllp/mllp-client.ts';
import { startEngine, type Engine } from '../../main.ts';
import { demoCredentialLines } from '../../governance/auth/demo-account.ts';
import { NO_AUTHENTICATION } from '../../governance/auth/no-authentication.ts';
import { createHttpServer } from '../../platform/http/http-server.ts';
import { createLogger } from '../../platform/log/logger.ts';
import { CliError, ExitCode } from '../cli-output.ts';
import { demoDischargeA03 } from '../demo/demo-discharge.ts';
import { configFor } from './engine-config.ts';

interface StartOptions {
  demo?: boolean;
  httpPort?: string;
  mllpPort?: string;
  role?: string;
}

export const ROLES = ['listener', 'worker', 'all'] as const;
export type Role = (typeof ROLES)[number];

function parseRole(value: string | undefined): Role {
  const role = value ?? 'all';
  if (!(ROLES as readonly string[]).includes(role)) {
    throw new CliError(`--role: ${JSON.stringify(role)} is not one of ${ROLES.join(', ')}`, ExitCode.Usage);
  }
  return role as Role;
}

function portOverrides(options: StartOptions): Record<string, unknown> {
  const overrides: Record<string, unknown> = {};
  if (options.demo === true) overrides['demo'] = true;
  if (options.httpPort !== undefined) overrides['http.port'] = parsePort(options.httpPort, '--http-port');
  if (options.mllpPort !== undefined)
    overrides['mllp.listeners.0.port'] = parsePort(options.mllpPort, '--mllp-port');
  return overrides;
}

function parsePort(value: string, flag: string): number {
  if (!/^\d+$/.test(value) || Number(value) > 65535) {
    throw new CliError(`${flag}: ${JSON.stringify(value)} is not a port number (0-65535)`, ExitCode.Usage);
  }
  return Number(value);
}

async function runEngine(program: Command, options: StartOptions): Promise<Engine> {
  const role = parseRole(options.role);
  const config = configFor(program, portOverrides(options));
  const logger = createLogger(config.log.level, process.stderr);
  let engine: Engine;
  let health: FastifyInstance | undefined;
  try {
    engine = await startEngine({
      config,
      logger,
      workers: role !== 'listener',
      listeners: role !== 'worker',
    });
  } catch (error) {
    const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
    throw new CliError(`cannot start: ${reason}`, ExitCode.Failed);
  }
  if (role === 'worker') {
    // A worker has no API, but the orchestrator still needs liveness, readiness and metrics.
    const store = engine.store;
    const bus = engine.bus;
    health = createHttpServer({
      logger,
      metrics: engine.metrics,
      bodyLimitBytes: 1024,
      auth: NO_AUTHENTICATION,
      readiness: [
        { name: 'store', check: () => store.ping() },
        { name: 'bus', check: () => bus.ping() },
      ],
    });
    try {
      await health.listen({ host: config.http.host, port: config.http.port });
    } catch (error) {
      await engine.stop();
      const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
      throw new CliError(`cannot start: health port: ${reason}`, ExitCode.Failed);
    }
  }
  const healthAddress = health?.server.address();
  const lines = [
    `RxBridge is running (role: ${role}, store: ${engine.store.kind}, bus: ${config.bus === 'local' ? 'local' : 'nats'}${config.demo ? ', demo pharmacy loaded' : ''})`,
    ...(role === 'worker'
      ? [
          `  pipeline worker: ${config.worker.concurrency} at once; health and metrics on port ${typeof healthAddress === 'object' && healthAddress !== null ? healthAddress.port : config.http.port}`,
        ]
      : [
          `  web app and API: ${engine.httpUrl ?? '(not listening)'}`,
          ...engine.mllp.map((m) => `  HL7 v2 over MLLP: ${m.host}:${m.port} (listener "${m.name}")`),
        ]),
    ...(engine.demoCredentials ? demoCredentialLines(engine.demoCredentials) : []),
    '  press Ctrl+C to stop',
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) {
      // A second signal: the operator does not want to wait. What is stored stays stored.
      process.stdout.write(`received ${signal} again: exiting now\n`);
      process.exit(1);
    }
    stopping = true;
    process.stdout.write(`received ${signal}: no new connections; answering and finishing stored messages\n`);
    const started = Date.now();
    engine
      .stop()
      .then(async () => {
        await health?.close();
        process.stdout.write(
          `stopped after ${Date.now() - started} ms (${engine.worker?.processed ?? 0} messages processed by this process)\n`,
        );
      })
      .then(
        () => process.exit(0),
        () => process.exit(1),
      );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
  return engine;
}

export function registerStartCommands(program: Command): void {
  program
    .command('start')
    .description('start the engine: MLLP listeners, pipeline workers, web app and REST API')
    .option('--demo', 'load the demo pharmacy (twelve fictional patients)')
    .option('--http-port <port>', 'HTTP port (overrides config)')
    .option('--mllp-port <port>', 'port of the first MLLP listener (overrides config)')
    .option(
      '--role <role>',
      'listener (MLLP + API), worker (pipeline only) or all; scaled mode runs several of each',
      'all',
    )
    .action(async (options: StartOptions) => {
      await runEngine(program, options);
    });

  program
    .command('demo')
    .description(
      'start with the demo pharmacy, send the example discharge over MLLP and show the task it creates',
    )
    .option('--http-port <port>', 'HTTP port (overrides config)')
    .option('--mllp-port <port>', 'port of the first MLLP listener (overrides config)')
    .option('--once', 'stop after showing the task instead of staying up')
    .action(async (options: StartOptions & { once?: boolean }) => {
      const engine = await runEngine(program, { ...options, demo: true });
      const target = engine.mllp[0];
      if (!target) throw new CliError('no MLLP listener is configured', ExitCode.Usage);
      const client = await connectMllp({
        host: target.host === '0.0.0.0' ? '127.0.0.1' : target.host,
        port: target.port,
      });
      const message = demoDischargeA03();
      const ack = await client.send(message);
      await client.close();
      process.stdout.write(
        `sent the example ADT^A03 discharge; ACK: ${ack.split('\r').find((s) => s.startsWith('MSA')) ?? ack}\n`,
      );
      const controlId = message.split('|')[9] ?? '';
      const task = await waitForTask(engine, controlId, 10_000);
      if (!task) {
        await engine.stop();
        throw new CliError('no task appeared within 10 s; see `rxbridge messages list`', ExitCode.Failed);
      }
      process.stdout.write(`task created: ${task}\n`);
      process.stdout.write(
        `open ${engine.httpUrl ?? ''} to review it, or curl ${engine.httpUrl ?? ''}/api/tasks\n`,
      );
      if (options.once === true) {
        await engine.stop();
      }
    });
}

async function waitForTask(
  engine: Engine,
  controlId: string,
  timeoutMs: number,
): Promise<string | undefined> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const [message] = (await engine.store.messages.list({ limit: 20 })).filter(
      (m) => m.summary.controlId === controlId,
    );
    if (message && (message.state === 'dead' || message.state === 'failed')) {
      throw new CliError(`the demo message failed: ${message.lastError ?? 'unknown'}`, ExitCode.Failed);
    }
    if (message) {
      const tasks = await engine.store.tasks.list({ sourceMessageId: message.id });
      const discharge = tasks.find((t) => t.type === 'discharge-reconciliation');
      if (discharge) {
        const payload = discharge.payload as { items?: Array<{ type: string; drug: string }> };
        const items = (payload.items ?? []).map((i) => `${i.type} ${i.drug}`).join('; ');
        return `${discharge.type} [${discharge.priority}] for ${discharge.patient.display}: ${items || 'no discrepancies'}`;
      }
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return undefined;
}
