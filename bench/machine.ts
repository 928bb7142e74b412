// Describes the machine a benchmark ran on, and how fast its disk can fsync (the floor for durable ACKs).
import { closeSync, fsyncSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';

export function machineLine(): string {
  const cpu = cpus();
  return `machine: ${cpu.length} cores (${cpu[0]?.model.trim() ?? 'unknown CPU'}), Node ${process.version}, ${process.platform}/${process.arch}`;
}

/** fsyncs per second for 1 KB appends to a file in `dir` (what one durable commit at a time can reach). */
export function measureFsyncRate(dir: string = tmpdir(), seconds = 1): number {
  const work = mkdtempSync(join(dir, 'rxb-fsync-'));
  const fd = openSync(join(work, 'probe'), 'a');
  const block = Buffer.alloc(1024, 0x41);
  let count = 0;
  const end = performance.now() + seconds * 1000;
  try {
    while (performance.now() < end) {
      writeSync(fd, block);
      fsyncSync(fd);
      count++;
    }
  } finally {
    closeSync(fd);
    rmSync(work, { recursive: true, force: true });
  }
  return count / seconds;
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}
