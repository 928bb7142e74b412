// Which scenario runs in which mode.
import type { Mode } from './cluster.ts';
import { r2KillLoop } from './r2-kill-loop.ts';
import type { ScenarioOptions, ScenarioResult } from './scenarios.ts';

export interface Scenario {
  title: string;
  modes: readonly Mode[];
  notApplicable?: string;
  run: (options: ScenarioOptions) => Promise<ScenarioResult>;
}

export const SCENARIOS: Record<string, Scenario> = {
  R2: { title: 'kill -9 during ingest', modes: ['embedded', 'scaled'], run: r2KillLoop },
};
