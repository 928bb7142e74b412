// R6: disk full. The store lives on a small tmpfs; the load fills it; the engine must refuse with negative
// ACKs (AE/CE), keep the store intact, and carry on by itself once the tmpfs is grown ("space returns").
//   embedded: the SQLite file and its WAL on the tmpfs;
//   scaled:   the run's PostgreSQL tables moved to a tablespace on the tmpfs (the WAL stays on the server's
//             disk, so this is the tables' disk filling up, which is where a busy server runs out first).
// Needs root (mount). Without it the scenario fails and says so.
import { execFileSync } from 'node:child_process';
import { chownSync, mkdtempSync, rmSync } from 'node:fs';
import { DatabaseSync } from 'node:sqlite';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { testDatabaseUrl } from '../../src/platform/store/postgres/test-database.ts';
import { startCluster, type Cluster } from './cluster.ts';
import { chaosMessage, runResilientIngest } from './ingest.ts';
import { failuresOf, result, runTag, sleep, verifyRun } from './scenarios.ts';
import type { ScenarioOptions, ScenarioResult } from './scenarios.ts';

export function canMountTmpfs(): boolean {
  if (process.getuid?.() !== 0) return false;
  const dir = mkdtempSync(join(tmpdir(), 'rxb-mnt-probe-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', dir], { stdio: 'ignore' });
    execFileSync('umount', [dir], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A discharge padded with a 16 KB note so the disk fills in seconds. */
function bigMessage(tag: string, i: number): ReturnType<typeof chaosMessage> {
  const m = chaosMessage(tag, i);
  const note = `NTE|1||${'DISCHARGE NOTE '.repeat(1100)}`;
  return { ...m, text: `${m.text}\r${note}` };
}

export async function r6DiskFull(options: ScenarioOptions): Promise<ScenarioResult> {
  if (!canMountTmpfs()) {
    return result('R6', options.mode, 'disk full', {}, [
      'cannot mount a tmpfs here (needs root and mount permission); run as root',
    ]);
  }
  const sizeMb = 8;
  const total = options.messages ?? (options.size === 'full' ? 3_000 : 1_200);
  const mountPoint = mkdtempSync(join(tmpdir(), 'rxb-full-'));
  execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${sizeMb}m`, 'tmpfs', mountPoint]);
  const tablespace = `rxb_full_${Date.now().toString(36)}`;
  let cluster: Cluster | undefined;
  const failures: string[] = [];
  try {
    if (options.mode === 'scaled') {
      chownSync(mountPoint, postgresUid(), postgresGid());
      await sql(`CREATE TABLESPACE ${tablespace} LOCATION '${mountPoint}'`);
    }
    cluster = await startCluster({
      mode: options.mode,
      workers: 1,
      ...(options.mode === 'embedded' ? { dataDir: mountPoint } : {}),
    });
    if (cluster.store.kind === 'postgres') {
      for (const table of ['messages', 'message_events', 'tasks', 'partition_heads']) {
        await sql(`ALTER TABLE ${cluster.store.schema}.${table} SET TABLESPACE ${tablespace}`);
      }
    }
    const tag = runTag();
    let firstNegativeAt: number | undefined;
    let grownAt: number | undefined;
    let firstPositiveAfterGrow: number | undefined;
    const negative: Record<string, number> = {};
    const c = cluster;
    const grow = (async () => {
      // Wait until the disk is full (negative ACKs), let it stay full a moment, then give space back.
      while (firstNegativeAt === undefined) await sleep(20);
      await sleep(2_000);
      execFileSync('mount', ['-o', `remount,size=${sizeMb * 40}m`, mountPoint]);
      grownAt = Date.now();
      options.log?.(`  disk full at ${new Date(firstNegativeAt).toISOString()}; grown to ${sizeMb * 40} MB`);
    })();
    const ingest = await runResilientIngest({
      port: c.mllpPort,
      total,
      connections: 2,
      window: 8,
      message: (i) => bigMessage(tag, i),
      ackTimeoutMs: 20_000,
      deadlineMs: 240_000,
      onAck: (_i, code) => {
        if (code !== 'AA' && code !== 'CA') {
          negative[code] = (negative[code] ?? 0) + 1;
          firstNegativeAt ??= Date.now();
        } else if (grownAt !== undefined) firstPositiveAfterGrow ??= Date.now() - grownAt;
      },
    });
    if (firstNegativeAt === undefined) {
      failures.push('the disk never filled (no negative ACK)');
      firstNegativeAt = Date.now();
    }
    await grow;
    const f = await verifyRun(c, tag, ingest.acked);
    failures.push(...failuresOf(f, total));
    const integrity = await integrityCheck(c);
    if (integrity !== 'ok') failures.push(`store integrity check: ${integrity}`);
    if (Object.keys(negative).some((code) => !['AE', 'CE'].includes(code)))
      failures.push(`unexpected negative ACK codes ${JSON.stringify(negative)}`);
    return result(
      'R6',
      options.mode,
      'disk full: refuse with AE/CE, no corruption, recover when space returns',
      {
        tmpfsMb: sizeMb,
        messages: total,
        messageBytes: bigMessage(tag, 0).text.length,
        negativeAcks: negative,
        ackCodes: ingest.codes,
        firstPositiveAckAfterGrowMs: firstPositiveAfterGrow ?? null,
        integrity,
        ...f,
      },
      failures,
    );
  } finally {
    await cluster?.dispose();
    if (options.mode === 'scaled')
      await sql(`DROP TABLESPACE IF EXISTS ${tablespace}`).catch(() => undefined);
    try {
      execFileSync('umount', [mountPoint]);
    } catch {
      // Busy: leave it for the OS; the directory is under tmp.
    }
    rmSync(mountPoint, { recursive: true, force: true });
  }
}

async function sql(text: string): Promise<void> {
  const client = new pg.Client({ connectionString: testDatabaseUrl() });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

function postgresUid(): number {
  return Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
}
function postgresGid(): number {
  return Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
}

async function integrityCheck(cluster: Cluster): Promise<string> {
  if (cluster.store.kind === 'sqlite') {
    const db = new DatabaseSync(cluster.store.path, { readOnly: true });
    try {
      const row = db.prepare('PRAGMA integrity_check').get() as { integrity_check: string };
      return row.integrity_check;
    } finally {
      db.close();
    }
  }
  // PostgreSQL: every table readable end to end and the indexes agree with the heap on the message count.
  const client = new pg.Client({
    connectionString: testDatabaseUrl(),
    options: `-c search_path=${cluster.store.schema}`,
  });
  await client.connect();
  try {
    const seq = await client.query<{ n: string }>('SELECT count(*) AS n FROM messages');
    await client.query('SET enable_seqscan = off');
    const idx = await client.query<{ n: string }>('SELECT count(*) AS n FROM messages WHERE sequence > 0');
    await client.query('SELECT count(*) FROM message_events');
    await client.query('SELECT count(*) FROM tasks');
    return seq.rows[0]?.n === idx.rows[0]?.n ? 'ok' : `heap ${seq.rows[0]?.n} vs index ${idx.rows[0]?.n}`;
  } finally {
    await client.end();
  }
}
