// Rollout vocabulary: workflows, modes, cohorts and the guardrails auto mode must pass.

/**
 * The workflows whose mode can be set. Wired into the pipeline: discharge-reconciliation (every mode), new-rx-checks
 * and dispense-outbound (off and shadow stop tasks and sends; suggest and auto make tasks).
 */
export const WORKFLOWS = [
  'discharge-reconciliation',
  'allergy-sync',
  'new-rx-checks',
  'dispense-outbound',
  'adherence-notes',
  'care-gaps',
] as const;
export type Workflow = (typeof WORKFLOWS)[number];

/** off: nothing; shadow: record what it would have done, write nothing; suggest: tasks; auto: apply what passes guardrails. */
export const MODES = ['off', 'shadow', 'suggest', 'auto'] as const;
export type RolloutMode = (typeof MODES)[number];

/** With nothing configured a workflow suggests (tasks for approval), as the engine did before rollout existed. */
export const DEFAULT_MODE: RolloutMode = 'suggest';

export function isWorkflow(value: string): value is Workflow {
  return (WORKFLOWS as readonly string[]).includes(value);
}

export function isMode(value: string): value is RolloutMode {
  return (MODES as readonly string[]).includes(value);
}

/**
 * Who a setting applies to. Each list present must match (AND across lists, OR within one); an empty cohort
 * (no lists) is everyone. `senders` is the rule "arrived from this hospital" (MSH-4 sending facility).
 */
export interface Cohort {
  sites?: string[];
  pharmacists?: string[];
  patients?: string[];
  senders?: string[];
}

/** What a message or task is, for cohort matching. */
export interface CohortSubject {
  site?: string;
  pharmacist?: string;
  patient?: string;
  sender?: string;
}

export interface ModeSetting {
  id: number;
  workflow: Workflow;
  mode: RolloutMode;
  /** Undefined: the workflow's default for everyone not in a cohort setting. */
  cohort?: Cohort;
  /** A stable label for the cohort (`site=main-street`), or `*` for the default. */
  cohortKey: string;
  actor: string;
  reason: string;
  at: Date;
}

export type NewModeSetting = Omit<ModeSetting, 'id' | 'cohortKey'>;

function normalized(list: string[] | undefined): string[] | undefined {
  if (list === undefined) return undefined;
  const out = [...new Set(list.map((v) => v.trim()).filter((v) => v !== ''))].sort();
  return out.length === 0 ? undefined : out;
}

export function normalizeCohort(cohort: Cohort | undefined): Cohort | undefined {
  if (cohort === undefined) return undefined;
  const out: Cohort = {};
  const sites = normalized(cohort.sites);
  const pharmacists = normalized(cohort.pharmacists);
  const patients = normalized(cohort.patients);
  const senders = normalized(cohort.senders);
  if (sites) out.sites = sites;
  if (pharmacists) out.pharmacists = pharmacists;
  if (patients) out.patients = patients;
  if (senders) out.senders = senders;
  return Object.keys(out).length === 0 ? undefined : out;
}

/** `site=a,b;sender=GENHOSP`, or `*` for everyone. Settings with the same key replace each other. */
export function cohortKey(cohort: Cohort | undefined): string {
  const c = normalizeCohort(cohort);
  if (c === undefined) return '*';
  const parts: string[] = [];
  if (c.sites) parts.push(`site=${c.sites.join(',')}`);
  if (c.pharmacists) parts.push(`pharmacist=${c.pharmacists.join(',')}`);
  if (c.patients) parts.push(`patient=${c.patients.join(',')}`);
  if (c.senders) parts.push(`sender=${c.senders.join(',')}`);
  return parts.join(';');
}

/** Parses `site=main-street;sender=GENHOSP` (the CLI's --cohort). Returns an error text on bad input. */
export function parseCohort(text: string): Cohort | string {
  if (text.trim() === '*' || text.trim() === '') return {};
  const cohort: Cohort = {};
  for (const part of text.split(';')) {
    const at = part.indexOf('=');
    if (at < 0) return `"${part}": expected key=value (site, pharmacist, patient or sender)`;
    const key = part.slice(0, at).trim();
    const values = part
      .slice(at + 1)
      .split(',')
      .map((v) => v.trim())
      .filter((v) => v !== '');
    if (values.length === 0) return `"${part}": no values after "="`;
    if (key === 'site') cohort.sites = values;
    else if (key === 'pharmacist') cohort.pharmacists = values;
    else if (key === 'patient') cohort.patients = values;
    else if (key === 'sender') cohort.senders = values;
    else return `"${key}": unknown cohort key (site, pharmacist, patient or sender)`;
  }
  return cohort;
}

function listMatches(list: string[] | undefined, value: string | undefined): boolean {
  if (list === undefined) return true;
  return value !== undefined && list.some((v) => v.toLowerCase() === value.toLowerCase());
}

export function cohortMatches(cohort: Cohort | undefined, subject: CohortSubject): boolean {
  const c = normalizeCohort(cohort);
  if (c === undefined) return true;
  return (
    listMatches(c.sites, subject.site) &&
    listMatches(c.pharmacists, subject.pharmacist) &&
    listMatches(c.patients, subject.patient) &&
    listMatches(c.senders, subject.sender)
  );
}

export interface ResolvedMode {
  mode: RolloutMode;
  /** The setting that decided, or undefined when nothing is configured (DEFAULT_MODE). */
  setting?: ModeSetting;
}

/**
 * The mode for one subject: the newest cohort setting that matches it wins; otherwise the newest default (`*`)
 * setting; otherwise DEFAULT_MODE. A cohort setting never changes anyone outside the cohort.
 * `history` is every setting of the workflow, in any order.
 */
export function resolveMode(history: readonly ModeSetting[], subject: CohortSubject): ResolvedMode {
  const latest = new Map<string, ModeSetting>();
  for (const s of history) {
    const seen = latest.get(s.cohortKey);
    if (seen === undefined || s.id > seen.id) latest.set(s.cohortKey, s);
  }
  let best: ModeSetting | undefined;
  for (const s of latest.values()) {
    if (s.cohortKey === '*' || !cohortMatches(s.cohort, subject)) continue;
    if (best === undefined || s.id > best.id) best = s;
  }
  best ??= latest.get('*');
  return best ? { mode: best.mode, setting: best } : { mode: DEFAULT_MODE };
}

/** What auto mode may write. Anything else goes to a pharmacist. */
export interface Guardrails {
  /** Discrepancy types auto mode may apply (e.g. `discontinued-still-active`). */
  types: string[];
  /** Minimum extraction confidence of the EHR side (0..1). */
  minConfidence: number;
  /** Most writes per workflow in any rolling hour; beyond it items go to review. */
  maxPerHour: number;
  /** Most writes per workflow in any rolling day. */
  maxPerDay: number;
}

/** Conservative defaults: only "stop" and "hold" instructions, confident extraction, small caps. */
export const DEFAULT_GUARDRAILS: Guardrails = {
  types: ['discontinued-still-active', 'held-still-active'],
  minConfidence: 0.7,
  maxPerHour: 20,
  maxPerDay: 100,
};
