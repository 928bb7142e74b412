// Changing a workflow's mode: an audited admin action that always carries a reason.
import type { AuditLog } from '../../governance/audit/audit-log.ts';
import {
  cohortKey,
  normalizeCohort,
  resolveMode,
  type Cohort,
  type ModeSetting,
  type RolloutMode,
  type Workflow,
} from './rollout-model.ts';
import type { RolloutStore } from './rollout-store.ts';

export interface ModeChange {
  workflow: Workflow;
  mode: RolloutMode;
  /** Undefined or empty: the default for everyone outside a cohort setting. */
  cohort?: Cohort;
  /** `user:<id>` or `cli:<os user>`. */
  actor: string;
  reason: string;
  /** Where the change came from (`rxbridge rollout set`, an HTTP route, the pilot script). */
  source: string;
  at: Date;
}

export class ModeChangeError extends Error {}

/** The mode the cohort had before (its own setting, else the default). */
function previousMode(history: readonly ModeSetting[], key: string): RolloutMode {
  const own = history.filter((s) => s.cohortKey === key).at(-1);
  if (own) return own.mode;
  return resolveMode(
    history.filter((s) => s.cohortKey === '*'),
    {},
  ).mode;
}

/** Records the setting and its audit entry; a missing or too-short reason is refused before anything is written. */
export async function setMode(
  store: RolloutStore,
  audit: AuditLog,
  change: ModeChange,
): Promise<{ setting: ModeSetting; previous: RolloutMode }> {
  const reason = change.reason.trim();
  if (reason.length < 8) {
    throw new ModeChangeError('a mode change needs a reason of at least 8 characters (--reason "...")');
  }
  const cohort = normalizeCohort(change.cohort);
  const key = cohortKey(cohort);
  const previous = previousMode(await store.settings(change.workflow), key);
  const setting = await store.addSetting({
    workflow: change.workflow,
    mode: change.mode,
    ...(cohort ? { cohort } : {}),
    actor: change.actor,
    reason,
    at: change.at,
  });
  await audit.record({
    actor: change.actor,
    action: 'update',
    category: 'config',
    entity: `rollout:${change.workflow}:${key}`,
    source: change.source,
    outcome: 'success',
    detail: `mode ${previous} -> ${change.mode} for cohort ${key} (setting #${setting.id}); reason: ${reason}`,
  });
  return { setting, previous };
}
