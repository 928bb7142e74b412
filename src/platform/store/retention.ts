// Retention: finished messages (done, duplicate, dead) older than `days`, or beyond the newest `maxFinished`, are
// written to an archive file (gzipped NDJSON, sealed by the caller, e.g. encrypted with the installation's keys)
// and then pruned with their state history. Tasks and the audit trail are kept.
//
// Caveat: a message received before the cut-off that finishes while a run is in progress (a replayed old dead
// letter) can be pruned without being in that run's archive.
import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import type { MessageEvent, MessageStore, StoredMessage } from './message-store.ts';

const PRUNED_STATES = new Set(['done', 'duplicate', 'dead']);
const PAGE = 1000;

export interface RetentionOptions {
  messages: MessageStore;
  now: Date;
  /** Finished messages received more than this many days ago go; 0: no age limit. */
  days: number;
  /** At most this many finished messages are kept (the newest); 0: no size limit. */
  maxFinished: number;
  /** Write what is pruned here first; without it, pruned messages are gone. */
  archiveDir?: string;
  /** Turns the archive bytes into what is written (encryption); identity when absent. */
  seal?: (plain: Uint8Array) => Uint8Array;
}

export interface RetentionResult {
  /** Messages received before this were pruned (undefined: nothing to do). */
  cutoff: Date | undefined;
  archived: number;
  removed: number;
  archiveFile?: string;
}

export interface ArchivedMessage {
  id: string;
  sequence: number;
  channel: string;
  format: string;
  idempotencyKey: string;
  partitionKey: string;
  summary: StoredMessage['summary'];
  state: string;
  attempts: number;
  lastError: string | null;
  duplicateOf: string | null;
  receivedAt: string;
  updatedAt: string;
  rawBase64: string;
  events: Array<Omit<MessageEvent, 'at'> & { at: string }>;
}

/** Finished messages newest first, one page at a time. */
async function* finishedNewestFirst(messages: MessageStore): AsyncGenerator<StoredMessage> {
  let before: number | undefined;
  for (;;) {
    const page = await messages.list({
      limit: PAGE,
      ...(before !== undefined ? { beforeSequence: before } : {}),
    });
    for (const m of page) if (PRUNED_STATES.has(m.state)) yield m;
    if (page.length < PAGE) return;
    before = page[page.length - 1]?.sequence;
  }
}

export async function runRetention(options: RetentionOptions): Promise<RetentionResult> {
  const ageCutoff =
    options.days > 0 ? new Date(options.now.getTime() - options.days * 86_400_000) : undefined;
  if (options.maxFinished === 0 && options.archiveDir === undefined) {
    // Age only, nothing to archive: one delete, no walk over the messages.
    if (ageCutoff === undefined) return { cutoff: undefined, archived: 0, removed: 0 };
    return { cutoff: ageCutoff, archived: 0, removed: await options.messages.prune(ageCutoff) };
  }
  let cutoff = ageCutoff;
  const doomed: StoredMessage[] = [];
  let seen = 0;
  for await (const m of finishedNewestFirst(options.messages)) {
    seen++;
    // The newest `maxFinished` stay; the first one beyond them sets the size cut-off just above its receipt.
    if (options.maxFinished > 0 && seen === options.maxFinished + 1) {
      const sizeCutoff = new Date(m.receivedAt.getTime() + 1);
      if (cutoff === undefined || sizeCutoff > cutoff) cutoff = sizeCutoff;
    }
    if (cutoff !== undefined && m.receivedAt < cutoff) doomed.push(m);
  }
  if (cutoff === undefined) return { cutoff, archived: 0, removed: 0 };
  // Messages seen before the size cut-off was known, received before it, are pruned too.
  const doomedFinal = doomed.filter((m) => cutoff !== undefined && m.receivedAt < cutoff);
  let archiveFile: string | undefined;
  if (options.archiveDir !== undefined && doomedFinal.length > 0) {
    archiveFile = await writeArchive(options, doomedFinal);
  }
  const removed = await options.messages.prune(cutoff);
  return {
    cutoff,
    archived: archiveFile !== undefined ? doomedFinal.length : 0,
    removed,
    ...(archiveFile !== undefined ? { archiveFile } : {}),
  };
}

async function writeArchive(options: RetentionOptions, doomed: StoredMessage[]): Promise<string> {
  const dir = options.archiveDir as string;
  mkdirSync(dir, { recursive: true });
  const lines: string[] = [];
  for (const m of doomed.sort((a, b) => a.sequence - b.sequence)) {
    const events = await options.messages.events(m.id);
    const record: ArchivedMessage = {
      id: m.id,
      sequence: m.sequence,
      channel: m.channel,
      format: m.format,
      idempotencyKey: m.idempotencyKey,
      partitionKey: m.partitionKey,
      summary: m.summary,
      state: m.state,
      attempts: m.attempts,
      lastError: m.lastError,
      duplicateOf: m.duplicateOf,
      receivedAt: m.receivedAt.toISOString(),
      updatedAt: m.updatedAt.toISOString(),
      rawBase64: Buffer.from(m.raw).toString('base64'),
      events: events.map((e) => ({ ...e, at: e.at.toISOString() })),
    };
    lines.push(JSON.stringify(record));
  }
  const packed = gzipSync(Buffer.from(`${lines.join('\n')}\n`, 'utf8'));
  const bytes = options.seal ? options.seal(packed) : packed;
  const name = `rxbridge-archive-${options.now.toISOString().replace(/[:.]/g, '-')}.ndjson.gz${options.seal ? '.sealed' : ''}`;
  const file = join(dir, name);
  const partial = `${file}.partial`;
  const fd = openSync(partial, 'w');
  try {
    writeSync(fd, bytes);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(partial, file);
  return file;
}

/** Reads an archive written by runRetention (`unseal` undoes the seal). */
export function readArchive(file: string, unseal?: (sealed: Uint8Array) => Uint8Array): ArchivedMessage[] {
  const bytes = readFileSync(file);
  const text = gunzipSync(unseal ? unseal(bytes) : bytes).toString('utf8');
  return text
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as ArchivedMessage);
}
