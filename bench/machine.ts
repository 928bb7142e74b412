// Describes the machine a benchmark ran on, and how fast its disk can fsync (the floor for durable ACKs).
import {
  closeSync,
  fsyncSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeSync,
} from 'node:fs';
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

/** CPU time of a process in seconds (utime + stime from /proc/<pid>/stat), or undefined when it is gone. */
export function processCpuSeconds(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name, which may hold spaces: field 14 utime, 15 stime (man 5 proc).
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
  } catch {
    return undefined;
  }
}

const CLOCK_TICKS = 100;

/** Every process whose command name is `name` (e.g. all PostgreSQL backends: `postgres`). */
export function pidsNamed(name: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/comm`, 'utf8').trim() === name) pids.push(Number(entry));
    } catch {
      // exited meanwhile
    }
  }
  return pids;
}

/** Busy and total jiffies of the whole machine (first line of /proc/stat). */
function machineJiffies(): { busy: number; total: number } {
  const line = readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '';
  const v = line.trim().split(/\s+/).slice(1).map(Number);
  const total = v.reduce((a, b) => a + b, 0);
  const idle = (v[3] ?? 0) + (v[4] ?? 0);
  return { busy: total - idle, total };
}

export interface CpuReport {
  seconds: number;
  /** CPU seconds per group over the run, and as cores busy (cpu seconds / wall seconds). */
  groups: { name: string; cpuSeconds: number; cores: number }[];
  /** Share of all cores busy over the run (every process on the machine). */
  machineBusy: number;
  /** Cores busy with processes outside the groups (other users of the machine, the kernel). */
  otherCores: number;
}

/**
 * Samples the CPU time of process groups every `intervalMs` until stopped. Groups give their pids at each sample,
 * so processes that start later are counted from when they are first seen; exited ones keep what they had.
 */
export function startCpuSampler(
  groups: Record<string, () => readonly number[]>,
  intervalMs = 250,
): { stop(): CpuReport } {
  const started = performance.now();
  const machineStart = machineJiffies();
  const base = new Map<string, Map<number, number>>();
  const last = new Map<string, Map<number, number>>();
  const sample = (): void => {
    for (const [name, pids] of Object.entries(groups)) {
      const b = base.get(name) ?? new Map<number, number>();
      const l = last.get(name) ?? new Map<number, number>();
      base.set(name, b);
      last.set(name, l);
      for (const pid of pids()) {
        const cpu = processCpuSeconds(pid);
        if (cpu === undefined) continue;
        if (!b.has(pid)) b.set(pid, cpu);
        l.set(pid, cpu);
      }
    }
  };
  sample();
  const timer = setInterval(sample, intervalMs);
  return {
    stop() {
      sample();
      clearInterval(timer);
      const seconds = (performance.now() - started) / 1000;
      const machineEnd = machineJiffies();
      const cores = cpus().length;
      const machineBusy =
        (machineEnd.busy - machineStart.busy) / Math.max(1, machineEnd.total - machineStart.total);
      const report = Object.keys(groups).map((name) => {
        const b = base.get(name) ?? new Map<number, number>();
        let cpuSeconds = 0;
        for (const [pid, end] of last.get(name) ?? new Map<number, number>())
          cpuSeconds += end - (b.get(pid) ?? end);
        return { name, cpuSeconds, cores: cpuSeconds / seconds };
      });
      const grouped = report.reduce((a, g) => a + g.cores, 0);
      return {
        seconds,
        groups: report,
        machineBusy,
        otherCores: Math.max(0, machineBusy * cores - grouped),
      };
    },
  };
}
