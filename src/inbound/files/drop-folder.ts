// A drop folder for C-CDA documents, Direct messages (.eml) and XDM zips: each file is stored (one message per
// document) and then moved to `done/`, or to `failed/` with a `<name>.issues.txt` saying why. Files are picked up
// only once they stop changing, so a half-copied file is never read.
import { mkdir, readdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { formatIssues } from '../../kernel/result.ts';
import type { MessageStore } from '../../platform/store/message-store.ts';
import type { DirectOptions } from '../direct/direct-intake.ts';
import { ingestCcdaFile } from './ccda-ingest.ts';

export interface DropFolderOptions {
  dir: string;
  store: MessageStore;
  /** Channel name recorded on stored messages (default `files:<folder name>`). */
  channel?: string;
  direct?: DirectOptions;
  /** A file is read once its size and mtime have not changed for this long (default 500 ms). */
  settleMs?: number;
}

export interface DropFolderScan {
  stored: number;
  duplicates: number;
  failedFiles: string[];
}

const ACCEPTED = /\.(xml|eml|zip)$/i;

/** Scans the folder once; call it on a timer (see startDropFolder). */
export async function scanDropFolder(
  options: DropFolderOptions,
  seen = new Map<string, string>(),
): Promise<DropFolderScan> {
  const { dir, store } = options;
  const channel = options.channel ?? `files:${path.basename(dir)}`;
  await mkdir(path.join(dir, 'done'), { recursive: true });
  await mkdir(path.join(dir, 'failed'), { recursive: true });
  const result: DropFolderScan = { stored: 0, duplicates: 0, failedFiles: [] };
  for (const name of (await readdir(dir)).sort()) {
    if (!ACCEPTED.test(name)) continue;
    const file = path.join(dir, name);
    const s = await stat(file).catch(() => undefined);
    if (!s?.isFile()) continue;
    // Wait until the file is still: same size and mtime as the last scan and older than settleMs.
    const signature = `${s.size}:${s.mtimeMs}`;
    const settled = seen.get(name) === signature && Date.now() - s.mtimeMs >= (options.settleMs ?? 500);
    seen.set(name, signature);
    if (!settled) continue;
    seen.delete(name);
    const ingested = await ingestCcdaFile(store, channel, name, await readFile(file), options.direct);
    const problems = ingested.ok
      ? ingested.value.flatMap((d) => d.issues.map((i) => ({ ...i, path: `${d.location} ${i.path}` })))
      : ingested.issues;
    const anyStored = ingested.ok && ingested.value.some((d) => d.append);
    if (ingested.ok)
      for (const d of ingested.value) {
        if (d.append?.duplicate) result.duplicates++;
        else if (d.append) result.stored++;
      }
    if (anyStored && !problems.some((i) => i.severity === 'error')) {
      await rename(file, path.join(dir, 'done', name));
    } else {
      result.failedFiles.push(name);
      await rename(file, path.join(dir, 'failed', name));
      await writeFile(path.join(dir, 'failed', `${name}.issues.txt`), `${formatIssues(problems)}\n`);
    }
  }
  return result;
}

/** Polls the folder every `intervalMs` until the returned stop function is called. */
export function startDropFolder(
  options: DropFolderOptions,
  intervalMs = 1000,
  onError?: (error: unknown) => void,
): () => Promise<void> {
  const seen = new Map<string, string>();
  let running: Promise<unknown> = Promise.resolve();
  const timer = setInterval(() => {
    running = running.then(() => scanDropFolder(options, seen)).catch((error: unknown) => onError?.(error));
  }, intervalMs);
  return async () => {
    clearInterval(timer);
    await running;
  };
}
