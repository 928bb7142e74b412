// R5: the store or the broker goes away for a while during load; senders see negative ACKs or slow ACKs
// (backpressure), nothing is lost, readiness says "not ready" meanwhile, and everything recovers by itself.
//   embedded: the SQLite file is locked by another process (BEGIN EXCLUSIVE) for the outage;
//   scaled:   PostgreSQL is cut off by a fault proxy (connections reset and refused), or with --real-restarts
//             the shared server is stopped and started again; then the private nats-server is killed and
//             started again on the same port and storage.
import { spawn } from 'node:child_process';
import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { testDatabaseUrl } from '../../src/platform/store/postgres/test-database.ts';
import { startFaultProxy } from '../support/fault-proxy.ts';
import { startCluster, type Cluster } from './cluster.ts';
import { failuresOf, ingestWithChaos, result, runTag, sleep, verifyRun } from './scenarios.ts';
import type { ScenarioOptions, ScenarioResult } from './scenarios.ts';

interface OutageFigures {
  outage: string;
  seconds: number;
  negativeAcksDuring: number;
  notReadyObserved: boolean;
  readyAgainAfterMs: number | null;
  firstPositiveAckAfterMs: number | null;
}

/** Polls /readyz while `during` runs; returns whether it went not-ready and how long after `healedAt` it recovered. */
async function watchReadiness(
  cluster: Cluster,
  until: () => boolean,
): Promise<{ notReady: boolean; readyAt: number[] }> {
  let notReady = false;
  const readyAt: number[] = [];
  while (!until()) {
    try {
      const r = await fetch(`${cluster.httpUrl}/readyz`, { signal: AbortSignal.timeout(2_000) });
      if (r.status !== 200) notReady = true;
      else readyAt.push(Date.now());
    } catch {
      notReady = true;
    }
    await sleep(200);
  }
  return { notReady, readyAt };
}

export async function r5Outage(options: ScenarioOptions): Promise<ScenarioResult> {
  const outageMs = (options.outageSeconds ?? (options.size === 'full' ? 30 : 3)) * 1000;
  const total = options.messages ?? (options.size === 'full' ? 20_000 : 1_500);
  const pgTarget = new URL(testDatabaseUrl());
  const proxy =
    options.mode === 'scaled' && !options.realRestarts
      ? await startFaultProxy({ target: { host: pgTarget.hostname, port: Number(pgTarget.port || 5432) } })
      : undefined;
  const pgViaProxy = proxy ? new URL(testDatabaseUrl()) : undefined;
  if (pgViaProxy && proxy) pgViaProxy.port = String(proxy.port);
  const cluster = await startCluster({
    mode: options.mode,
    workers: 2,
    ...(pgViaProxy ? { postgresUrl: pgViaProxy.toString() } : {}),
  });
  const outages: OutageFigures[] = [];
  const failures: string[] = [];
  const tag = runTag();
  try {
    const kinds =
      options.mode === 'embedded'
        ? ['sqlite locked']
        : [options.realRestarts ? 'postgresql stopped' : 'postgresql cut off', 'nats killed'];
    // Each outage starts at its share of the ACKed count, so it lands during the load.
    let phase: { kind: string; start: number; end: number } | undefined;
    const negativeDuring: Record<string, number> = {};
    const firstPositiveAfter: Record<string, number> = {};
    const ingest = await ingestWithChaos(
      cluster,
      total,
      tag,
      async (acked, finished) => {
        for (const [k, kind] of kinds.entries()) {
          while (acked() < ((k + 1) * total) / (kinds.length + 2) && !finished()) await sleep(10);
          options.log?.(`  ${kind} for ${outageMs / 1000} s at ${acked()} ACKed`);
          let outageOver = false;
          const watcher = watchReadiness(cluster, () => outageOver);
          phase = { kind, start: Date.now(), end: Number.POSITIVE_INFINITY };
          const restore = await beginOutage(kind, cluster, proxy, outageMs);
          await sleep(outageMs);
          await restore();
          phase.end = Date.now();
          // Watch readiness until it is back (at most 60 s).
          const healedAt = Date.now();
          while (Date.now() - healedAt < 60_000) {
            const r = await fetch(`${cluster.httpUrl}/readyz`).catch(() => undefined);
            if (r?.status === 200) break;
            await sleep(100);
          }
          outageOver = true;
          const readiness = await watcher;
          const readyAgain = Date.now() - healedAt;
          outages.push({
            outage: kind,
            seconds: outageMs / 1000,
            negativeAcksDuring: 0,
            notReadyObserved: readiness.notReady,
            readyAgainAfterMs: readyAgain < 60_000 ? readyAgain : null,
            firstPositiveAckAfterMs: null,
          });
          // Let the load run on a little before the next outage.
          await sleep(1_000);
        }
      },
      {
        onAck: (_i, code) => {
          const p = phase;
          if (!p) return;
          const now = Date.now();
          const inOutage = now >= p.start && now <= p.end + 1_000;
          if (inOutage && code !== 'AA' && code !== 'CA')
            negativeDuring[p.kind] = (negativeDuring[p.kind] ?? 0) + 1;
          if (now > p.end && (code === 'AA' || code === 'CA') && firstPositiveAfter[p.kind] === undefined)
            firstPositiveAfter[p.kind] = now - p.end;
        },
        ackTimeoutMs: outageMs + 30_000,
      },
    );
    for (const o of outages) {
      o.negativeAcksDuring = negativeDuring[o.outage] ?? 0;
      o.firstPositiveAckAfterMs = firstPositiveAfter[o.outage] ?? null;
      if (o.readyAgainAfterMs === null) failures.push(`${o.outage}: readiness never came back`);
      if (options.mode === 'scaled' && o.outage.startsWith('postgresql') && !o.notReadyObserved)
        failures.push(`${o.outage}: /readyz never said not ready`);
    }
    const f = await verifyRun(cluster, tag, ingest.acked);
    failures.push(...failuresOf(f, total));
    return result(
      'R5',
      options.mode,
      'store or broker down during load',
      {
        messages: total,
        ackCodes: ingest.codes,
        resent: ingest.resent,
        slowestPositiveAckMs: Math.round(Math.max(0, ...ingest.latencies)),
        outages,
        ...f,
      },
      failures,
    );
  } finally {
    await cluster.dispose();
    await proxy?.close();
  }
}

/** Starts an outage; resolves with the function that ends it. */
async function beginOutage(
  kind: string,
  cluster: Cluster,
  proxy: Awaited<ReturnType<typeof startFaultProxy>> | undefined,
  outageMs: number,
): Promise<() => Promise<void>> {
  if (kind === 'sqlite locked') {
    if (cluster.store.kind !== 'sqlite') throw new Error('sqlite outage on a postgres cluster');
    const path = cluster.store.path;
    const holder = spawn(
      process.execPath,
      [
        '-e',
        `const { DatabaseSync } = require('node:sqlite');
         const db = new DatabaseSync(${JSON.stringify(path)});
         db.exec('PRAGMA busy_timeout = 30000; BEGIN EXCLUSIVE');
         console.log('LOCKED');
         setTimeout(() => { db.exec('COMMIT'); db.close(); }, ${outageMs});`,
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    await new Promise<void>((resolve) => holder.stdout.once('data', () => resolve()));
    const exited = new Promise<void>((resolve) => holder.once('exit', () => resolve()));
    return () => exited;
  }
  if (kind === 'postgresql cut off') {
    if (!proxy) throw new Error('no proxy in front of PostgreSQL');
    proxy.setRefuse(true);
    proxy.resetAll();
    return () => {
      proxy.heal();
      return Promise.resolve();
    };
  }
  if (kind === 'postgresql stopped') {
    const version = readdirSync('/etc/postgresql')[0] ?? '';
    execFileSync('pg_ctlcluster', ['--skip-systemctl-redirect', version, 'main', 'stop', '-m', 'fast']);
    return () => {
      execFileSync('pg_ctlcluster', ['--skip-systemctl-redirect', version, 'main', 'start']);
      return Promise.resolve();
    };
  }
  if (kind === 'nats killed') {
    const nats = cluster.nats;
    if (!nats) throw new Error('the cluster has no private nats-server');
    await nats.stop(true);
    return () => nats.start();
  }
  throw new Error(`unknown outage ${kind}`);
}
