// Retention on a real SQLite store: by age and by size, archived (sealed) before pruning, unfinished untouched.
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { ManualClock } from '../../kernel/clock.ts';
import { readArchive, runRetention } from './retention.ts';
// eslint-disable-next-line rxbridge/pipeline-boundaries -- a real store for the test
import { openSqliteStore } from './sqlite/sqlite-store.ts';

const dir = mkdtempSync(join(tmpdir(), 'rxb-retention-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function incoming(i: number) {
  return {
    channel: 'mllp:test',
    format: 'hl7v2' as const,
    idempotencyKey: `A|B|R${i}`,
    partitionKey: `P${i}`,
    summary: { controlId: `R${i}` },
    raw: new TextEncoder().encode(`MSH|^~\\&|A|B|||20260101||ADT^A03|R${i}|P|2.5.1`),
  };
}

it('archives then prunes by age and by size; unfinished messages stay', async () => {
  const clock = new ManualClock('2026-01-01T00:00:00Z');
  const store = await openSqliteStore({ path: ':memory:', clock });
  try {
    // 10 finished messages one day apart, then one left unfinished (oldest of all but still received).
    const pending = await store.messages.append(incoming(99));
    for (let i = 0; i < 10; i++) {
      clock.advance(86_400_000);
      await store.messages.append(incoming(i));
    }
    const claimed = await store.messages.claim('w', 20, 60_000);
    for (const m of claimed) {
      if (m.summary.controlId !== 'R99') await store.messages.settle(m.id, 'w', { path: [], state: 'done' });
    }
    // Reversible "seal" so the test can tell sealed bytes from plain ones.
    const seal = (b: Uint8Array): Uint8Array => Uint8Array.from(b, (x) => x ^ 0x5a);

    // Age: older than 7 days at day 10 → the messages of days 1 and 2 (and not the unfinished one).
    const byAge = await runRetention({
      messages: store.messages,
      now: clock.now(),
      days: 7,
      maxFinished: 0,
      archiveDir: dir,
      seal,
    });
    expect(byAge.removed).toBe(2);
    expect(byAge.archived).toBe(2);
    const archive = readArchive(byAge.archiveFile as string, seal);
    expect(archive.map((a) => a.summary.controlId)).toEqual(['R0', 'R1']);
    expect(Buffer.from(archive[0]?.rawBase64 ?? '', 'base64').toString()).toContain('|R0|');
    expect(archive[0]?.events.map((e) => e.to)).toEqual(['received', 'done']);
    expect(() => readArchive(byAge.archiveFile as string)).toThrow();

    // Size: keep the newest 5 finished of the 8 left → 3 more go.
    clock.advance(1_000);
    const bySize = await runRetention({
      messages: store.messages,
      now: clock.now(),
      days: 0,
      maxFinished: 5,
      archiveDir: dir,
    });
    expect(bySize.removed).toBe(3);
    expect(readArchive(bySize.archiveFile as string).map((a) => a.summary.controlId)).toEqual([
      'R2',
      'R3',
      'R4',
    ]);
    const left = (await store.messages.list({ limit: 100 })).map((m) => m.summary.controlId);
    expect(left).toEqual(['R9', 'R8', 'R7', 'R6', 'R5', 'R99']);
    expect(await store.messages.get(pending.id)).toBeDefined();

    // Nothing more to do: no archive file written.
    const files = readdirSync(dir).length;
    const again = await runRetention({
      messages: store.messages,
      now: clock.now(),
      days: 7,
      maxFinished: 5,
      archiveDir: dir,
    });
    expect(again.removed).toBe(0);
    expect(readdirSync(dir).length).toBe(files);
  } finally {
    await store.close();
  }
});
