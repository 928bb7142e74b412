// Reads what the engine wrote, straight from its database, and computes the promises' figures:
// acknowledged-but-lost, stored twice, duplicate effects, and order per patient.
import { DatabaseSync } from 'node:sqlite';
import pg from 'pg';
import type { Cluster } from './cluster.ts';

export interface StoreSnapshot {
  messages: Array<{
    id: string;
    sequence: number;
    controlId: string;
    partition: string;
    state: string;
    duplicateOf: string | null;
    lastError: string | null;
    /** When it reached a finished state (ms), if it did. */
    finishedAt: number | null;
  }>;
  /** Tasks: source message id, type and creation order. */
  tasks: Array<{ seq: number; sourceMessageId: string | null; type: string }>;
}

const FINISHED = ['done', 'duplicate', 'dead', 'awaiting-review', 'applied'];
const UNFINISHED = ['received', 'normalized', 'extracted', 'evaluated', 'failed'];

export async function readStore(store: Cluster['store']): Promise<StoreSnapshot> {
  const finishedList = FINISHED.map((s) => `'${s}'`).join(',');
  const messagesSql = (at: string): string => `
    SELECT m.id, m.sequence, m.idempotency_key AS key, m.partition_key AS partition, m.state,
           m.duplicate_of AS duplicate_of, m.last_error AS last_error,
           (SELECT max(${at}) FROM message_events e WHERE e.message_id = m.id AND e.to_state IN (${finishedList}))
             AS finished_at
    FROM messages m ORDER BY m.sequence`;
  const tasksSql = 'SELECT seq, source_message_id, type FROM tasks ORDER BY seq';
  type MRow = {
    id: string;
    sequence: number | string;
    key: string;
    partition: string;
    state: string;
    duplicate_of: string | null;
    last_error: string | null;
    finished_at: number | string | null;
  };
  type TRow = { seq: number | string; source_message_id: string | null; type: string };
  let mrows: MRow[];
  let trows: TRow[];
  if (store.kind === 'sqlite') {
    const db = new DatabaseSync(store.path, { readOnly: true });
    try {
      db.exec('PRAGMA busy_timeout = 5000');
      mrows = db.prepare(messagesSql('e.at')).all() as unknown as MRow[];
      trows = db.prepare(tasksSql).all() as unknown as TRow[];
    } finally {
      db.close();
    }
  } else {
    const client = new pg.Client({ connectionString: store.url, options: `-c search_path=${store.schema}` });
    await client.connect();
    try {
      mrows = (await client.query<MRow>(messagesSql('(extract(epoch FROM e.at) * 1000)'))).rows;
      trows = (await client.query<TRow>(tasksSql)).rows;
    } finally {
      await client.end();
    }
  }
  return {
    messages: mrows.map((r) => ({
      id: r.id,
      sequence: Number(r.sequence),
      controlId: r.key.slice(r.key.lastIndexOf('|') + 1),
      partition: r.partition,
      state: r.state,
      duplicateOf: r.duplicate_of,
      lastError: r.last_error,
      finishedAt: r.finished_at === null ? null : Number(r.finished_at),
    })),
    tasks: trows.map((r) => ({ seq: Number(r.seq), sourceMessageId: r.source_message_id, type: r.type })),
  };
}

export interface Figures {
  acked: number;
  storedUnique: number;
  duplicatesRecorded: number;
  /** Positively ACKed but not in the store. */
  lostAfterAck: number;
  /** Originals stored more than once. */
  storedTwice: number;
  unfinished: number;
  dead: number;
  /** Messages with effects (demo patients' discharges) and tasks they made. */
  messagesWithEffects: number;
  tasks: number;
  /** Messages with more tasks than one run of the pipeline makes (2): a duplicate effect. */
  duplicateEffects: number;
  /** Demo discharges that ended with fewer than 2 tasks (an effect lost). */
  missingEffects: number;
  /** Patients whose messages finished out of commit order, or whose tasks were created out of order. */
  orderViolations: number;
  /** Why messages went to the dead letters (first words of the error), when any did. */
  deadReasons: Record<string, number>;
}

/** Figures for a run; `expectEffects(controlId)` says whether a message should have made tasks. */
export function figures(
  snapshot: StoreSnapshot,
  acked: ReadonlySet<string>,
  expectEffects: (controlId: string) => boolean,
): Figures {
  const originals = snapshot.messages.filter((m) => m.duplicateOf === null && m.state !== 'duplicate');
  const byControlId = new Map<string, number>();
  for (const m of originals) byControlId.set(m.controlId, (byControlId.get(m.controlId) ?? 0) + 1);
  const tasksByMessage = new Map<string, number>();
  for (const t of snapshot.tasks) {
    if (t.sourceMessageId !== null)
      tasksByMessage.set(t.sourceMessageId, (tasksByMessage.get(t.sourceMessageId) ?? 0) + 1);
  }
  const withEffects = originals.filter((m) => expectEffects(m.controlId));
  // Order: within a partition, in commit (sequence) order, finish times never go back and tasks are made in order.
  const byPartition = new Map<string, typeof originals>();
  for (const m of originals) {
    const list = byPartition.get(m.partition) ?? [];
    list.push(m);
    byPartition.set(m.partition, list);
  }
  const sequenceOf = new Map(originals.map((m) => [m.id, m]));
  const taskOrder = new Map<string, number>();
  let orderViolations = 0;
  for (const t of snapshot.tasks) {
    const m = t.sourceMessageId !== null ? sequenceOf.get(t.sourceMessageId) : undefined;
    if (!m) continue;
    const last = taskOrder.get(m.partition) ?? -1;
    if (m.sequence < last) orderViolations++;
    taskOrder.set(m.partition, Math.max(last, m.sequence));
  }
  for (const list of byPartition.values()) {
    let last = -Infinity;
    for (const m of list) {
      if (m.finishedAt === null) continue;
      if (m.finishedAt < last) orderViolations++;
      last = Math.max(last, m.finishedAt);
    }
  }
  return {
    acked: acked.size,
    storedUnique: byControlId.size,
    duplicatesRecorded: snapshot.messages.length - originals.length,
    lostAfterAck: [...acked].filter((id) => !byControlId.has(id)).length,
    storedTwice: [...byControlId.values()].filter((n) => n > 1).length,
    unfinished: snapshot.messages.filter((m) => UNFINISHED.includes(m.state)).length,
    dead: snapshot.messages.filter((m) => m.state === 'dead').length,
    messagesWithEffects: withEffects.length,
    tasks: snapshot.tasks.length,
    duplicateEffects: withEffects.filter((m) => (tasksByMessage.get(m.id) ?? 0) > 2).length,
    missingEffects: withEffects.filter((m) => (tasksByMessage.get(m.id) ?? 0) < 2).length,
    orderViolations,
    deadReasons: countBy(
      snapshot.messages.filter((m) => m.state === 'dead').map((m) => (m.lastError ?? '?').slice(0, 80)),
    ),
  };
}

function countBy(values: readonly string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const v of values) out[v] = (out[v] ?? 0) + 1;
  return out;
}

/** Waits until no message has pipeline work left (or the time runs out); returns the last snapshot. */
export async function settledSnapshot(store: Cluster['store'], timeoutMs: number): Promise<StoreSnapshot> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const snapshot = await readStore(store);
    const pending = snapshot.messages.filter((m) => UNFINISHED.includes(m.state)).length;
    if (pending === 0 || Date.now() > deadline) return snapshot;
    await new Promise((r) => setTimeout(r, 500));
  }
}

/** The pass rule shared by every run: nothing lost, nothing twice, no duplicate or missing effects, order kept. */
export function promisesKept(f: Figures): boolean {
  return (
    f.lostAfterAck === 0 &&
    f.storedTwice === 0 &&
    f.duplicateEffects === 0 &&
    f.missingEffects === 0 &&
    f.orderViolations === 0 &&
    f.unfinished === 0
  );
}

/** Messages with pipeline work left, by a single count query (cheap enough to poll during a soak). */
export async function unfinishedCount(store: Cluster['store']): Promise<number> {
  const sql = `SELECT count(*) AS n FROM messages WHERE state IN (${UNFINISHED.map((s) => `'${s}'`).join(',')})`;
  if (store.kind === 'sqlite') {
    const db = new DatabaseSync(store.path, { readOnly: true });
    try {
      db.exec('PRAGMA busy_timeout = 5000');
      return Number((db.prepare(sql).get() as { n: number }).n);
    } finally {
      db.close();
    }
  }
  const client = new pg.Client({ connectionString: store.url, options: `-c search_path=${store.schema}` });
  await client.connect();
  try {
    return Number((await client.query<{ n: string }>(sql)).rows[0]?.n ?? 0);
  } finally {
    await client.end();
  }
}
