// The embedded pharmacy's write-backs kept on disk: every applied change in order, sealed with the installation's
// keys (drug names and notes are patient data), replayed when the engine starts so an approved change survives a
// restart. One SQLite file beside the embedded store.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import type { TextSealer } from '../../governance/crypto/text-sealer.ts';
import type { PrescriptionChange } from './pharmacy-writer.ts';

export interface JournalEntry {
  change: PrescriptionChange;
  /** When it was applied (ISO). */
  at: string;
}

export interface WriteJournal {
  /** Every entry, oldest first. */
  load(): JournalEntry[];
  /** Durable before it returns; false when the key was there already. */
  append(entry: JournalEntry): boolean;
  close(): void;
}

export function openWriteJournal(path: string, sealer?: TextSealer): WriteJournal {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const db = new DatabaseSync(path);
  db.exec('PRAGMA journal_mode = WAL');
  db.exec('PRAGMA synchronous = FULL');
  db.exec('PRAGMA busy_timeout = 5000');
  db.exec(
    'CREATE TABLE IF NOT EXISTS pharmacy_write (seq INTEGER PRIMARY KEY, key TEXT NOT NULL UNIQUE, at TEXT NOT NULL, body TEXT NOT NULL)',
  );
  const aad = (key: string): string => `pharmacy-write:${key}`;
  const insert = db.prepare(
    'INSERT INTO pharmacy_write (key, at, body) VALUES (?, ?, ?) ON CONFLICT (key) DO NOTHING',
  );
  return {
    load() {
      const rows = db.prepare('SELECT key, at, body FROM pharmacy_write ORDER BY seq').all() as Array<{
        key: string;
        at: string;
        body: string;
      }>;
      return rows.map((r) => ({
        at: r.at,
        change: JSON.parse(sealer ? sealer.open(r.body, aad(r.key)) : r.body) as PrescriptionChange,
      }));
    },
    append({ change, at }) {
      const body = JSON.stringify(change);
      return (
        Number(insert.run(change.key, at, sealer ? sealer.seal(body, aad(change.key)) : body).changes) > 0
      );
    },
    close() {
      db.close();
    },
  };
}
