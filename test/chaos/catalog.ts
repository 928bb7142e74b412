// Which scenario runs in which mode.
import type { Mode } from './cluster.ts';
import { r1Framing } from './r1-framing.ts';
import { r2KillLoop } from './r2-kill-loop.ts';
import { r3AckTiming } from './r3-ack-timing.ts';
import { r4Duplicates } from './r4-duplicates.ts';
import { r5Outage } from './r5-outage.ts';
import { r6DiskFull } from './r6-disk-full.ts';
import { r7Limits } from './r7-limits.ts';
import { r8WorkerKill } from './r8-worker-kill.ts';
import { r9EhrFaults } from './r9-ehr-faults.ts';
import type { ScenarioOptions, ScenarioResult } from './scenarios.ts';

export interface Scenario {
  title: string;
  modes: readonly Mode[];
  notApplicable?: string;
  run: (options: ScenarioOptions) => Promise<ScenarioResult>;
}

export const SCENARIOS: Record<string, Scenario> = {
  R1: {
    title: 'framing: split at every byte, merged, trailing LF',
    modes: ['embedded', 'scaled'],
    run: r1Framing,
  },
  R2: { title: 'kill -9 during ingest', modes: ['embedded', 'scaled'], run: r2KillLoop },
  R3: {
    title: 'ACK timing: positive ACK after the durable commit',
    modes: ['embedded', 'scaled'],
    run: r3AckTiming,
  },
  R4: { title: 'duplicates with the same MSH-10', modes: ['embedded', 'scaled'], run: r4Duplicates },
  R5: { title: 'store or broker down during load', modes: ['embedded', 'scaled'], run: r5Outage },
  R6: { title: 'disk full (small tmpfs)', modes: ['embedded', 'scaled'], run: r6DiskFull },
  R7: {
    title: 'limits: huge message, connection churn, peer that never reads',
    modes: ['embedded', 'scaled'],
    run: r7Limits,
  },
  R8: {
    title: 'worker killed mid-task (3 workers)',
    modes: ['scaled'],
    notApplicable: 'embedded mode has no separate workers; killing its one process is R2',
    run: r8WorkerKill,
  },
  R9: { title: 'EHR faults through the fault proxy', modes: ['embedded', 'scaled'], run: r9EhrFaults },
};
