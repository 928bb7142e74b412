// Chaos in scaled mode (PostgreSQL with a private schema + a private nats-server), at CI size: R2, R5, R8, and
// R9 (the EHR client, mode-independent). `node test/chaos/run.ts --mode scaled` runs them full.
import { expect, it } from 'vitest';
import { describeWithPostgres, postgresAvailable } from '../../src/platform/store/postgres/test-database.ts';
import { natsServerInstalled, NATS_SERVER_BINARY } from './private-nats.ts';
import { r2KillLoop } from './r2-kill-loop.ts';
import { r5Outage } from './r5-outage.ts';
import { r8WorkerKill } from './r8-worker-kill.ts';
import { r9EhrFaults } from './r9-ehr-faults.ts';
import type { ScenarioResult } from './scenarios.ts';

function report(r: ScenarioResult): void {
  console.log(`${r.id} ${r.mode}: ${JSON.stringify(r.figures)}`);
  expect(r.failures).toEqual([]);
  expect(r.passed).toBe(true);
}

const mode = 'scaled';
const postgres = await postgresAvailable();
const nats = natsServerInstalled()
  ? { available: true }
  : { available: false, reason: `nats-server not installed at ${NATS_SERVER_BINARY}` };
const availability = postgres.available ? nats : postgres;

describeWithPostgres('chaos, scaled mode', availability, () => {
  it('R2 kill -9 listener + worker during ingest: 0 lost, 0 twice, 0 duplicate effects', async () => {
    const r = await r2KillLoop({ mode, size: 'quick', messages: 400, kills: 1 });
    report(r);
    expect(r.figures['kills']).toBe(1);
  }, 90_000);

  it('R5 PostgreSQL cut off, then NATS killed: negative ACKs, not ready, no loss, recovers', async () => {
    const r = await r5Outage({ mode, size: 'quick', messages: 400, outageSeconds: 1 });
    report(r);
    const outages = r.figures['outages'] as Array<{ notReadyObserved: boolean }>;
    expect(outages[0]?.notReadyObserved).toBe(true);
  }, 90_000);

  it('R8 3 workers, one killed mid-task: redelivered, applied once, order kept', async () => {
    report(await r8WorkerKill({ mode, size: 'quick', messages: 400, kills: 1 }));
  }, 90_000);
});

it('R9 EHR faults through the fault proxy: no duplicate writes, deadline kept, no storm', async () => {
  report(await r9EhrFaults({ mode: 'embedded', size: 'quick', messages: 80 }));
}, 60_000);
