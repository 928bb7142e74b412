// rxbridge backup / restore as a user runs them, against a real SQLite store that stays open (as a running
// engine keeps it) during the backup.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { ConfigSchema } from '../../config/config-schema.ts';
import { openStore } from '../../main.ts';
import { runRxbridge } from '../../../test/support/run-rxbridge.ts';

const dir = mkdtempSync(join(tmpdir(), 'rxb-backup-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const env = { RXBRIDGE_STORE: 'sqlite:./rxbridge.db', RXBRIDGE_LOG_LEVEL: 'silent' };

function incoming(i: number) {
  return {
    channel: 'mllp:test',
    format: 'hl7v2' as const,
    idempotencyKey: `APP|FAC|B${i}`,
    partitionKey: `MRN${i % 7}^H`,
    raw: new TextEncoder().encode(`MSH|^~\\&|APP|FAC|||20260101||ADT^A03|B${i}|P|2.5.1`),
  };
}

it('backs up a store in use, refuses unsafe restores, restores the backup exactly', async () => {
  const config = ConfigSchema.parse({ store: `sqlite:${join(dir, 'rxbridge.db')}` });
  const store = await openStore(config);
  for (let i = 0; i < 300; i++) await store.messages.append(incoming(i));

  // While the store is open and being written to.
  const writes = (async () => {
    for (let i = 300; i < 400; i++) await store.messages.append(incoming(i));
  })();
  const backup = await runRxbridge(['backup', 'first.db', '--json'], { cwd: dir, env });
  await writes;
  expect(backup.stderr).toBe('');
  expect(backup.code).toBe(0);
  const report = JSON.parse(backup.stdout) as { integrity: string; messages: number; sha256: string };
  expect(report.integrity).toBe('ok');
  expect(report.messages).toBeGreaterThanOrEqual(300);
  expect(report.messages).toBeLessThanOrEqual(400);

  // The same name twice: refused, the first backup untouched.
  const again = await runRxbridge(['backup', 'first.db'], { cwd: dir, env });
  expect(again.code).toBe(1);
  expect(again.stderr).toContain('already exists');

  // Restore while the engine (this store) has the database open: refused.
  const busy = await runRxbridge(['restore', 'first.db', '--force'], { cwd: dir, env });
  expect(busy.code).toBe(1);
  expect(busy.stderr).toContain('in use');
  await store.close();

  // Without --force an existing store is not replaced.
  const noForce = await runRxbridge(['restore', 'first.db'], { cwd: dir, env });
  expect(noForce.code).toBe(1);
  expect(noForce.stderr).toContain('--force');

  const restored = await runRxbridge(['restore', 'first.db', '--force'], { cwd: dir, env });
  expect(restored.stderr).toBe('');
  expect(restored.code).toBe(0);
  expect(existsSync(join(dir, 'rxbridge.db.before-restore'))).toBe(true);
  const reopened = await openStore(config);
  try {
    const counts = await reopened.messages.countByState();
    expect(Object.values(counts).reduce((a, b) => a + b, 0)).toBe(report.messages);
    // The restored store works: new appends, and a known key is still a duplicate.
    expect((await reopened.messages.append(incoming(0))).duplicate).toBe(true);
    expect((await reopened.messages.append(incoming(1000))).duplicate).toBe(false);
  } finally {
    await reopened.close();
  }

  // A damaged backup is refused before anything is replaced.
  const check = await runRxbridge(['restore', 'nothing-here.db', '--force'], { cwd: dir, env });
  expect(check.code).toBe(1);
  expect(check.stderr).toContain('no backup');
}, 60_000);

it('says what to do instead when the store is PostgreSQL', async () => {
  const r = await runRxbridge(['backup', 'x.db'], {
    cwd: dir,
    env: { RXBRIDGE_STORE: 'postgres://127.0.0.1:5432/test', RXBRIDGE_LOG_LEVEL: 'silent' },
  });
  expect(r.code).toBe(2);
  expect(r.stderr).toContain('pg_dump');
});
