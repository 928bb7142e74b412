// Benchmark: durable MLLP ingest (fsync before ACK) beside @medplum/hl7's listener (which stores nothing).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Hl7Server, type Hl7MessageEvent } from '@medplum/hl7';
import { startMllpServer } from '../src/inbound/mllp/mllp-server.ts';
import { openSqliteStore } from '../src/platform/store/sqlite/sqlite-store.ts';
import { machineLine, measureFsyncRate, median } from './machine.ts';
import { benchDischarge, runMllpLoad, type LoadResult } from './mllp-load.ts';
import { freePort } from '../test/support/engine-process.ts';

interface Scenario {
  connections: number;
  window: number;
  perConnection: number;
}

const SCENARIOS: Scenario[] = [
  { connections: 1, window: 1, perConnection: 3000 },
  { connections: 8, window: 1, perConnection: 1500 },
  { connections: 8, window: 16, perConnection: 3000 },
];
const RUNS = Number(process.env['BENCH_RUNS'] ?? 3);

interface Target {
  name: string;
  durable: boolean;
  start: () => Promise<{ port: number; stop: () => Promise<void> }>;
}

const rxbridge: Target = {
  name: 'rxbridge (SQLite, fsync before ACK)',
  durable: true,
  start: async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rxb-bench-'));
    const store = await openSqliteStore({ path: join(dir, 'bench.db') });
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
  },
};

const medplum: Target = {
  name: '@medplum/hl7 Hl7Server (stores nothing)',
  durable: false,
  start: async () => {
    const server = new Hl7Server((connection) => {
      connection.addEventListener('message', (event: Hl7MessageEvent) => {
        event.connection.send(event.message.buildAck());
      });
    });
    const port = await freePort();
    await server.start(port);
    return { port, stop: () => server.stop({ forceDrainTimeoutMs: 1000 }) };
  },
};

async function measure(target: Target, scenario: Scenario, run: number): Promise<LoadResult> {
  const server = await target.start();
  try {
    return await runMllpLoad({
      host: '127.0.0.1',
      port: server.port,
      connections: scenario.connections,
      window: scenario.window,
      perConnection: scenario.perConnection,
      message: (c, i) => benchDischarge(c, i, `R${run}`),
    });
  } finally {
    await server.stop();
  }
}

function fmt(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

export async function benchMllpIngest(): Promise<void> {
  console.log('\n## MLLP ingest: send, wait for the ACK (1.1 KB ADT^A03), loopback');
  console.log(machineLine());
  console.log(
    `disk: ${fmt(measureFsyncRate())} fsync/s on ${tmpdir()} (one durable commit at a time cannot beat this)`,
  );
  console.log(`runs per cell: ${RUNS}, median shown\n`);
  console.log(
    '| connections | in flight per conn | rxbridge msg/s | p50 / p99 ms | @medplum/hl7 msg/s | p50 / p99 ms | ratio | wrong or missing ACKs (ours / peer) |',
  );
  console.log('|---|---|---|---|---|---|---|---|');
  for (const scenario of SCENARIOS) {
    const ours: LoadResult[] = [];
    const peer: LoadResult[] = [];
    for (let run = 0; run < RUNS; run++) {
      ours.push(await measure(rxbridge, scenario, run));
      peer.push(await measure(medplum, scenario, run));
    }
    const expected = scenario.connections * scenario.perConnection;
    const bad = (results: LoadResult[]): number =>
      results.reduce(
        (s, r) => s + (expected - (r.codes['AA'] ?? 0) - (r.codes['CA'] ?? 0)) + r.mismatched,
        0,
      );
    const o = median(ours.map((r) => r.perSecond));
    const p = median(peer.map((r) => r.perSecond));
    const lat = (rs: LoadResult[]): string =>
      `${median(rs.map((r) => r.latencyMs.p50)).toFixed(2)} / ${median(rs.map((r) => r.latencyMs.p99)).toFixed(2)}`;
    console.log(
      `| ${scenario.connections} | ${scenario.window} | ${fmt(o)} | ${lat(ours)} | ${fmt(p)} | ${lat(peer)} | ${(o / p).toFixed(2)}× | ${bad(ours)} / ${bad(peer)} |`,
    );
  }
  console.log(
    '\nrxbridge commits every message to SQLite (WAL, synchronous=FULL) before its ACK; @medplum/hl7 answers from memory.',
  );
}

if (import.meta.url === `file://${process.argv[1]}`) await benchMllpIngest();
