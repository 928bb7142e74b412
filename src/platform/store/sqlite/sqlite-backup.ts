// Backup and restore of the embedded store: an online, page-by-page copy (SQLite backup API) that is safe while
// the engine runs, checked before it is trusted; restore only into a database no engine has open.
import { createHash } from 'node:crypto';
import {
  closeSync,
  existsSync,
  fsyncSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
} from 'node:fs';
import { copyFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { backup, DatabaseSync } from 'node:sqlite';

export interface SqliteFileReport {
  path: string;
  bytes: number;
  sha256: string;
  /** `ok`, or what PRAGMA integrity_check found. */
  integrity: string;
  messages: number;
  tasks: number;
  auditEntries: number;
}

function count(db: DatabaseSync, table: string): number {
  try {
    return Number((db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n);
  } catch {
    return 0;
  }
}

/** Integrity check and row counts of a database file (opened read-only). */
export function inspectSqliteFile(path: string): SqliteFileReport {
  const db = new DatabaseSync(path, { readOnly: true });
  try {
    const rows = db.prepare('PRAGMA integrity_check').all() as Array<{ integrity_check: string }>;
    const integrity = rows.map((r) => r.integrity_check).join('; ');
    if (integrity === 'ok' && count(db, 'sqlite_master') === 0) {
      return {
        ...fileFacts(path),
        integrity: 'not an RxBridge database (no tables)',
        messages: 0,
        tasks: 0,
        auditEntries: 0,
      };
    }
    return {
      ...fileFacts(path),
      integrity,
      messages: count(db, 'messages'),
      tasks: count(db, 'tasks'),
      auditEntries: count(db, 'audit_log'),
    };
  } finally {
    db.close();
  }
}

function fileFacts(path: string): { path: string; bytes: number; sha256: string } {
  return {
    path,
    bytes: statSync(path).size,
    sha256: createHash('sha256').update(readFileSync(path)).digest('hex'),
  };
}

/**
 * Copies the live database at `source` to `target` (which must not exist) while writers carry on, then checks the
 * copy. A failed copy or check removes the partial file and throws with the reason.
 */
export async function backupSqlite(source: string, target: string): Promise<SqliteFileReport> {
  if (!existsSync(source)) throw new Error(`no database at ${source}`);
  if (existsSync(target)) throw new Error(`${target} already exists; choose a new file name`);
  const partial = `${target}.partial`;
  rmSync(partial, { force: true });
  const db = new DatabaseSync(source, { readOnly: true });
  try {
    db.exec('PRAGMA busy_timeout = 10000');
    // 256 pages per step: the engine's writer gets the database between steps.
    await backup(db, partial, { rate: 256 });
  } catch (error) {
    rmSync(partial, { force: true });
    throw error;
  } finally {
    db.close();
  }
  fsyncFile(partial);
  const report = inspectSqliteFile(partial);
  if (report.integrity !== 'ok') {
    rmSync(partial, { force: true });
    throw new Error(`the copy failed its integrity check: ${report.integrity}`);
  }
  renameSync(partial, target);
  fsyncFile(dirname(target));
  return { ...report, path: target };
}

/**
 * Whether some process (an engine) has the database open. A writer in a transaction is seen by the lock; an idle
 * one by its WAL: the last connection to close removes the -wal file, so it survives our own close only while
 * another connection is open (a crashed engine's leftover WAL is folded in and removed by our open and close).
 */
export function databaseInUse(path: string): boolean {
  if (!existsSync(path)) return false;
  const db = new DatabaseSync(path);
  try {
    db.exec('PRAGMA busy_timeout = 0');
    db.exec('BEGIN EXCLUSIVE');
    db.exec('ROLLBACK');
  } catch {
    db.close();
    return true;
  }
  db.close();
  return existsSync(`${path}-wal`);
}

/**
 * Replaces the database at `target` with the backup `from` after checking the backup. Refuses when an engine has
 * the target open, or when the target exists and `force` is not set. The old database is kept beside it as
 * `<target>.before-restore` until the next restore.
 */
export function restoreSqlite(from: string, target: string, force: boolean): SqliteFileReport {
  if (!existsSync(from)) throw new Error(`no backup at ${from}`);
  const report = inspectSqliteFile(from);
  if (report.integrity !== 'ok')
    throw new Error(`the backup failed its integrity check: ${report.integrity}`);
  if (existsSync(target)) {
    if (!force)
      throw new Error(`${target} exists; add --force to replace it (it is kept as ${target}.before-restore)`);
    if (databaseInUse(target)) throw new Error(`${target} is in use: stop the engine first`);
    // Fold the WAL into the old file so the kept copy is complete on its own.
    const old = new DatabaseSync(target);
    old.exec('PRAGMA wal_checkpoint(TRUNCATE)');
    old.close();
    renameSync(target, `${target}.before-restore`);
  }
  for (const suffix of ['-wal', '-shm']) rmSync(`${target}${suffix}`, { force: true });
  const partial = join(dirname(target), `.restore-${process.pid}.partial`);
  copyFileSync(from, partial);
  fsyncFile(partial);
  renameSync(partial, target);
  fsyncFile(dirname(target));
  return { ...inspectSqliteFile(target), path: target };
}

function fsyncFile(path: string): void {
  const fd = openSync(path, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
