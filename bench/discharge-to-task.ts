// Discharge received → task visible: the time from sending an ADT^A03 over MLLP to the discharge-reconciliation task
// appearing in GET /api/tasks for a signed-in pharmacist, under a steady load of discharges for the twelve demo
// patients. The engine runs as its own process (`rxbridge start --demo`, SQLite); the sender and the poller run here.
// Runnable alone: node bench/discharge-to-task.ts [--rate 10] [--seconds 20] [--poll-ms 20]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { connectMllp } from '../src/inbound/mllp/mllp-client.ts';
import { DEMO_PATIENT_COUNT, dischargeFor } from '../test/browser/demo-discharges.ts';
import { spawnSync } from 'node:child_process';
import { CLI, freePort, PROJECT_ROOT, startEngineProcess } from '../test/support/engine-process.ts';
import { machineLine } from './machine.ts';

const percentile = (sorted: number[], p: number): number =>
  sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)] ?? NaN;

export async function benchDischargeToTask(
  options: { rate?: number; seconds?: number; pollMs?: number } = {},
) {
  const rate = options.rate ?? 10;
  const seconds = options.seconds ?? 20;
  const pollMs = options.pollMs ?? 20;
  console.log('\n## Discharge received → task visible (ADT^A03 over MLLP → GET /api/tasks)');
  console.log(machineLine());
  const dir = mkdtempSync(join(tmpdir(), 'rxb-bench-d2t-'));
  const [httpPort, mllpPort] = [await freePort(), await freePort()];
  const store = `sqlite:${join(dir, 'store.db')}`;
  // The poller reads the queue as a pharmacist of every site, with an API key made by `rxbridge users`.
  const made = spawnSync(
    process.execPath,
    [CLI, 'users', 'api-key', 'create', '--role', 'pharmacist', '--site', '*', '--name', 'bench'],
    {
      cwd: PROJECT_ROOT,
      env: { ...process.env, RXBRIDGE_STORE: store },
      encoding: 'utf8',
    },
  );
  const apiKey = /^rxb_\S+$/m.exec(made.stdout)?.[0];
  if (!apiKey) throw new Error(`could not create an API key: ${made.stderr}`);
  const engine = await startEngineProcess({
    store,
    httpPort,
    mllpPort,
    args: ['--demo'],
    readyTimeoutMs: 30_000,
    env: { RXBRIDGE_LOG_LEVEL: process.env.RXBRIDGE_LOG_LEVEL ?? 'warn' },
  });
  try {
    const headers = { authorization: `ApiKey ${apiKey}` };
    const client = await connectMllp({ host: '127.0.0.1', port: mllpPort });
    const sentAt = new Map<string, number>();
    const acked = new Map<string, number>();
    const seen = new Map<string, number>();
    let polls = 0;
    const refused: string[] = [];
    const pollErrors: string[] = [];
    const start = performance.now();
    let lastSend = performance.now();
    let polling = true;
    const poller = (async () => {
      while (polling || seen.size < sentAt.size) {
        let res: Response;
        try {
          res = await fetch(
            `${engine.httpUrl}/api/tasks?view=all&sort=newest&type=discharge-reconciliation&limit=100`,
            { headers },
          );
        } catch (error) {
          pollErrors.push(
            `${((performance.now() - start) / 1000).toFixed(2)} s: ${String(error)} ${String((error as { cause?: unknown }).cause)}`,
          );
          await new Promise((r) => setTimeout(r, pollMs));
          continue;
        }
        const now = performance.now();
        polls++;
        if (!res.ok) {
          throw new Error(
            `GET /api/tasks answered ${res.status}: ${(await res.text()).slice(0, 200)}\n${engine.stderr().slice(-3000)}\n${engine.stdout().slice(-3000)}`,
          );
        }
        const body = (await res.json()) as { tasks: Array<{ sourceControlId: string | null }> };
        for (const t of body.tasks) {
          if (t.sourceControlId && sentAt.has(t.sourceControlId) && !seen.has(t.sourceControlId)) {
            seen.set(t.sourceControlId, now);
          }
        }
        if (!polling && performance.now() - lastSend > 30_000) break;
        await new Promise((r) => setTimeout(r, pollMs));
      }
    })();

    const total = rate * seconds;
    const sends: Promise<void>[] = [];
    for (let i = 0; i < total; i++) {
      // Steady arrival: message i leaves at start + i / rate, whatever happened to the ones before.
      const due = start + (i * 1000) / rate;
      const wait = due - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      const { controlId, text } = dischargeFor(i, i, new Date());
      sentAt.set(controlId, performance.now());
      lastSend = performance.now();
      sends.push(
        client.send(text).then((ack) => {
          if (!/MSA\|(AA|CA)/.test(ack))
            throw new Error(`discharge ${controlId} not accepted: ${ack.slice(0, 80)}`);
          acked.set(controlId, performance.now());
        }),
      );
    }
    await Promise.all(sends);
    polling = false;
    await poller;
    await client.close();
    const latencies = [...sentAt]
      .filter(([id]) => seen.has(id))
      .map(([id, t]) => seen.get(id)! - t)
      .sort((a, b) => a - b);
    const ackMs = [...sentAt]
      .filter(([id]) => acked.has(id))
      .map(([id, t]) => acked.get(id)! - t)
      .sort((a, b) => a - b);
    const missing = total - latencies.length;
    console.log(
      `load: ${rate} discharges/s for ${seconds} s (${total} messages, ${DEMO_PATIENT_COUNT} patients), poll every ${pollMs} ms + the request (${polls} polls, one per ${((performance.now() - start) / polls).toFixed(0)} ms on average: the latency resolution)`,
    );
    console.log('| measure | p50 ms | p90 ms | p99 ms | max ms | n |');
    console.log('|---|---|---|---|---|---|');
    const row = (name: string, xs: number[]): void =>
      console.log(
        `| ${name} | ${percentile(xs, 0.5).toFixed(1)} | ${percentile(xs, 0.9).toFixed(1)} | ${percentile(xs, 0.99).toFixed(1)} | ${(xs.at(-1) ?? NaN).toFixed(1)} | ${xs.length} |`,
      );
    row('MLLP ACK (stored, fsynced)', ackMs);
    row('task visible in GET /api/tasks', latencies);
    if (pollErrors.length > 0) console.log(`${pollErrors.length} polls failed, first: ${pollErrors[0]}`);
    if (refused.length > 0) console.log(`**${refused.length} discharges refused**, e.g. ${refused[0]}`);
    if (missing > 0) console.log(`**${missing} discharges never produced a visible task within 30 s**`);
    return {
      p50: percentile(latencies, 0.5),
      p99: percentile(latencies, 0.99),
      missing: missing + refused.length,
    };
  } finally {
    engine.child.kill('SIGTERM');
    await engine.exited;
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({
    options: {
      rate: { type: 'string', default: '10' },
      seconds: { type: 'string', default: '20' },
      'poll-ms': { type: 'string', default: '20' },
    },
  });
  const result = await benchDischargeToTask({
    rate: Number(values.rate),
    seconds: Number(values.seconds),
    pollMs: Number(values['poll-ms']),
  });
  if (result.missing > 0) process.exitCode = 1;
}
