// Chaos R1–R7 in embedded mode (SQLite + in-process bus), at CI size; `node test/chaos/run.ts` runs them full.
import { expect, it } from 'vitest';
import { r1Framing } from './r1-framing.ts';
import { r2KillLoop } from './r2-kill-loop.ts';
import { r3AckTiming } from './r3-ack-timing.ts';
import { r4Duplicates } from './r4-duplicates.ts';
import { r5Outage } from './r5-outage.ts';
import { canMountTmpfs, r6DiskFull } from './r6-disk-full.ts';
import { r7Limits } from './r7-limits.ts';
import type { ScenarioResult } from './scenarios.ts';

function report(r: ScenarioResult): void {
  console.log(`${r.id} ${r.mode}: ${JSON.stringify(r.figures)}`);
  expect(r.failures).toEqual([]);
  expect(r.passed).toBe(true);
}

const mode = 'embedded';

it('R1 framing: every split point, merged, byte by byte', async () => {
  const r = await r1Framing({ mode, size: 'quick', messages: 1 });
  report(r);
  expect(r.figures['runsWithWrongAcks']).toBe(0);
}, 60_000);

it('R2 kill -9 twice during ingest: 0 lost, 0 twice, 0 duplicate effects, order kept', async () => {
  const r = await r2KillLoop({ mode, size: 'quick', messages: 600, kills: 2 });
  report(r);
  expect(r.figures['kills']).toBe(2);
  expect(r.figures['lostAfterAck']).toBe(0);
}, 90_000);

it('R3 positive ACKs only after the commit (instrumented and SIGKILL on ACK)', async () => {
  const r = await r3AckTiming({ mode, size: 'quick', messages: 300, kills: 1 });
  report(r);
  expect(r.figures['acksBeforeCommit']).toBe(0);
}, 60_000);

it('R4 10% duplicates: processed once, ACKed and recorded', async () => {
  const r = await r4Duplicates({ mode, size: 'quick', messages: 400 });
  report(r);
  expect(r.figures['duplicatesRecorded']).toBe(40);
}, 60_000);

it('R5 store locked by another process: backpressure, no loss, recovers', async () => {
  report(await r5Outage({ mode, size: 'quick', messages: 400, outageSeconds: 1 }));
}, 60_000);

// Disk full needs a tmpfs mount (root). CI runs as root; elsewhere without root this cannot be shown.
it.runIf(canMountTmpfs() || process.env['CI'] === 'true')(
  'R6 disk full on a tmpfs: AE/CE, store intact, recovers when space returns',
  async () => {
    const r = await r6DiskFull({ mode, size: 'quick', messages: 700 });
    report(r);
    expect(Object.keys(r.figures['negativeAcks'] as object).length).toBeGreaterThan(0);
  },
  90_000,
);

it('R7 20 MB message NAKed, churn, connection limit, peer that never reads', async () => {
  report(await r7Limits({ mode, size: 'quick', messages: 300 }));
}, 60_000);
