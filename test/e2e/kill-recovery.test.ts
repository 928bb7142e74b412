// kill -9 during ingest: every ACKed message is stored once and processed once (effects counted), across restarts.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { connectMllp, type MllpClient } from '../../src/inbound/mllp/mllp-client.ts';
import { openSqliteStore } from '../../src/platform/store/sqlite/sqlite-store.ts';
import type { StoredMessage } from '../../src/platform/store/message-store.ts';
import { freePort, startEngineProcess, waitFor, type EngineProcess } from '../support/engine-process.ts';

const TOTAL = Number(process.env['RXBRIDGE_KILL_TEST_MESSAGES'] ?? 10_000);
const KILLS = 4;
const WINDOW = 64;
const dir = mkdtempSync(join(tmpdir(), 'rxb-kill-'));
const dbPath = join(dir, 'rxbridge.db');

afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Half the discharges are for demo pharmacy patients (tasks expected), half for patients it does not know. */
function message(i: number): { id: string; text: string; demo: boolean } {
  const demo = i % 2 === 0;
  const mrn = demo ? `MRN${10001 + ((i / 2) % 12)}` : `MRN${50000 + (i % 400)}`;
  const id = `KILL${String(i).padStart(6, '0')}`;
  const text = [
    `MSH|^~\\&|EPICADT|GENHOSP|RXBRIDGE|MAINSTREETRX|20261121080000||ADT^A03^ADT_A03|${id}|P|2.5.1`,
    `PID|1||${mrn}^^^GENHOSP^MR||PATIENT^TEST||19500101|F`,
    'PV1|1|I|4W^412^1^GENHOSP',
    'OBX|1|TX|10183-2^Discharge medications^LN||METFORMIN 500MG BID, LISINOPRIL 10MG DAILY||||||F',
  ].join('\r');
  return { id, text, demo };
}

it(`keeps every ACKed message through ${KILLS} kill -9 restarts during a ${TOTAL}-message ingest`, async () => {
  const httpPort = await freePort();
  const mllpPort = await freePort();
  const start = (): Promise<EngineProcess> =>
    startEngineProcess({ store: `sqlite:${dbPath}`, httpPort, mllpPort, args: ['--demo'] });

  const acked = new Set<string>();
  const ackCodes: Record<string, number> = {};
  const killAt = Array.from(
    { length: KILLS },
    (_, k) => Math.floor(((k + 1) * TOTAL) / (KILLS + 1)) + Math.floor(Math.random() * 500) - 250,
  );
  let kills = 0;
  let resends = 0;
  let engine = await start();
  let next = 0;
  const unacked: number[] = [];

  // The sender: a window of messages in flight; on a dropped connection, everything not ACKed is sent again.
  while (acked.size < TOTAL) {
    let client: MllpClient;
    try {
      client = await connectMllp({ host: '127.0.0.1', port: mllpPort, timeoutMs: 10_000 });
    } catch {
      await new Promise((r) => setTimeout(r, 100));
      continue;
    }
    const queue = [...unacked];
    resends += unacked.length;
    unacked.length = 0;
    const inFlight = new Map<number, Promise<void>>();
    let broken = false;
    const sendOne = (i: number): void => {
      const m = message(i);
      const p = client
        .send(m.text)
        .then((ack) => {
          const code = /\rMSA\|([A-Z]{2})\|/.exec(`\r${ack}`)?.[1] ?? '??';
          ackCodes[code] = (ackCodes[code] ?? 0) + 1;
          if (code === 'AA' || code === 'CA') acked.add(m.id);
          else unacked.push(i);
        })
        .catch(() => {
          broken = true;
          unacked.push(i);
        })
        .finally(() => inFlight.delete(i));
      inFlight.set(i, p);
    };
    while (!broken && (queue.length > 0 || next < TOTAL)) {
      if (inFlight.size >= WINDOW) {
        await Promise.race(inFlight.values());
        continue;
      }
      const i = queue.length > 0 ? (queue.shift() as number) : next++;
      sendOne(i);
      if (kills < KILLS && acked.size >= (killAt[kills] ?? TOTAL)) {
        engine.child.kill('SIGKILL');
        await engine.exited;
        kills++;
        engine = await start();
      }
    }
    await Promise.allSettled(inFlight.values());
    unacked.push(...queue);
    await client.close().catch(() => undefined);
    if (!broken && next >= TOTAL && unacked.length === 0 && acked.size < TOTAL) break;
  }

  // Let the pipeline finish, then read the store the engine wrote.
  const reader = await openSqliteStore({ path: dbPath });
  try {
    await waitFor(
      async () => {
        const c = await reader.messages.countByState();
        return c.received + c.normalized + c.extracted + c.evaluated + c.failed === 0 ? c : undefined;
      },
      // Generous: this test is about loss and duplicates, not speed (npm run bench measures the pipeline).
      300_000,
      'the pipeline to finish',
    );
    const stored: StoredMessage[] = [];
    let before: number | undefined;
    for (;;) {
      const page = await reader.messages.list({
        limit: 5000,
        ...(before !== undefined ? { beforeSequence: before } : {}),
      });
      stored.push(...page);
      if (page.length < 5000) break;
      before = page[page.length - 1]?.sequence;
    }
    const originals = stored.filter((m) => m.state !== 'duplicate');
    const byControlId = new Map<string, number>();
    for (const m of originals)
      byControlId.set(m.summary.controlId ?? '', (byControlId.get(m.summary.controlId ?? '') ?? 0) + 1);
    const lost = [...acked].filter((id) => !byControlId.has(id));
    const storedTwice = [...byControlId.values()].filter((n) => n > 1).length;
    const counts = await reader.messages.countByState();
    const demoMessages = originals.filter((m) => Number(m.summary.controlId?.slice(4)) % 2 === 0);
    const reconciliations = await reader.tasks.count({ type: 'discharge-reconciliation' });
    const followUps = await reader.tasks.count({ type: 'post-discharge-follow-up' });
    let maxTasksPerMessage = 0;
    for (const m of demoMessages) {
      maxTasksPerMessage = Math.max(
        maxTasksPerMessage,
        (await reader.tasks.list({ sourceMessageId: m.id })).length,
      );
    }

    const report = {
      messages: TOTAL,
      kills,
      acked: acked.size,
      resent: resends,
      ackCodes,
      storedUnique: originals.length,
      duplicatesRecorded: counts.duplicate,
      lostAfterAck: lost.length,
      storedTwice,
      unfinished: counts.received + counts.normalized + counts.extracted + counts.evaluated + counts.failed,
      dead: counts.dead,
      reconciliationTasks: reconciliations,
      followUpTasks: followUps,
      demoMessages: demoMessages.length,
      maxTasksPerMessage,
    };
    console.log(`kill -9 recovery: ${JSON.stringify(report, null, 2)}`);

    expect(kills).toBe(KILLS);
    expect(acked.size).toBe(TOTAL);
    expect(lost).toEqual([]);
    expect(storedTwice).toBe(0);
    expect(originals.length).toBe(TOTAL);
    expect(report.unfinished).toBe(0);
    expect(counts.dead).toBe(0);
    // Exactly once in effect: one reconciliation and one follow-up per demo-patient discharge, never more.
    expect(reconciliations).toBe(demoMessages.length);
    expect(followUps).toBe(demoMessages.length);
    expect(maxTasksPerMessage).toBe(2);
  } finally {
    await reader.close();
    engine.child.kill('SIGTERM');
    await engine.exited;
  }
}, 600_000);
