// The value report: per workflow and period, what the engine handled, how pharmacists answered, minutes saved,
// and whether the workflow meets the bar for its next mode. JSON, CSV and an HTML page from one object.
import type { PharmacySystem } from '../../platform/pharmacy/pharmacy-system.ts';
import { MODES, WORKFLOWS, type RolloutMode, type Workflow } from './rollout-model.ts';
import type { Decision, EngineRun, RolloutStore } from './rollout-store.ts';
import { compareRuns, type Agreement } from './shadow-validation.ts';

/** Minutes a pharmacist spends on one event by hand, and reviewing the engine's proposal instead. */
export interface Baseline {
  manualMinutes: number;
  reviewMinutes: number;
}

/**
 * Defaults from the seed's figures: manual medication history 15–30 min, discharge data entry 10–20 min,
 * prior-authorization chart search 20+ min (the low or middle of each range; configure your own).
 */
export const DEFAULT_BASELINES: Record<Workflow, Baseline> = {
  'discharge-reconciliation': { manualMinutes: 15, reviewMinutes: 3 },
  'allergy-sync': { manualMinutes: 5, reviewMinutes: 1 },
  'new-rx-checks': { manualMinutes: 15, reviewMinutes: 3 },
  'dispense-outbound': { manualMinutes: 3, reviewMinutes: 0.5 },
  'adherence-notes': { manualMinutes: 10, reviewMinutes: 2 },
  'care-gaps': { manualMinutes: 20, reviewMinutes: 4 },
};

/** The bar for the next mode. */
export interface PromotionBars {
  /** shadow → suggest */
  minEvents: number;
  minShadowAgreement: number;
  /** suggest → auto */
  minDecisions: number;
  minApprovalRate: number;
  minSuggestAgreement: number;
  /** staying in auto */
  maxReversalRate: number;
  maxAutoErrorRate: number;
}

export const DEFAULT_BARS: PromotionBars = {
  minEvents: 50,
  minShadowAgreement: 0.85,
  minDecisions: 50,
  minApprovalRate: 0.9,
  minSuggestAgreement: 0.9,
  maxReversalRate: 0.05,
  maxAutoErrorRate: 0.02,
};

export interface ChecklistItem {
  check: string;
  value: number | null;
  bar: string;
  ok: boolean;
}

export interface Checklist {
  mode: RolloutMode;
  next: RolloutMode | null;
  items: ChecklistItem[];
  ready: boolean;
}

export interface WorkflowValue {
  workflow: Workflow;
  since: string;
  until: string;
  /** Events by the mode they were handled in. */
  byMode: Record<RolloutMode, number>;
  events: number;
  discrepancies: number;
  /** Proposals pharmacists approved or edited, plus auto writes not reversed. */
  accepted: number;
  decided: number;
  approvalRate: number | null;
  editRate: number | null;
  rejectRate: number | null;
  autoApplied: number;
  /** Auto writes a pharmacist reviewed afterwards and kept. */
  autoConfirmed: number;
  reversals: number;
  autoErrors: number;
  autoErrorRate: number | null;
  /** Median minutes from receipt of the event to the pharmacist's decision. */
  medianMinutesToDecision: number | null;
  latencyP50Ms: number | null;
  latencyP99Ms: number | null;
  errorRate: number | null;
  deadLetterRate: number | null;
  meanConfidence: number | null;
  minutesSaved: number;
  /** What shadow-mode events would have saved in suggest mode. */
  minutesSavedIfSuggest: number;
  agreement: Agreement;
  checklist: Checklist;
}

export interface ValueReport {
  generatedAt: string;
  since: string;
  until: string;
  workflows: WorkflowValue[];
}

export interface ReportOptions {
  since: Date;
  until: Date;
  workflows?: readonly Workflow[];
  baselines?: Partial<Record<Workflow, Baseline>>;
  bars?: PromotionBars;
  /** For later-state validation. */
  pharmacy?: PharmacySystem;
  /** Messages in the period and how many were dead-lettered (from the message store), when known. */
  deadLetters?: { messages: number; dead: number };
  /** Decisions made in the workspace (task-decisions.ts), counted with those in the rollout store. */
  workspaceDecisions?: readonly Decision[];
  now: Date;
}

function ratio(a: number, b: number): number | null {
  return b === 0 ? null : a / b;
}

/** Nearest-rank percentile of sorted values. */
export function percentile(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(sorted.length, rank) - 1] ?? null;
}

function nextMode(mode: RolloutMode): RolloutMode | null {
  const i = MODES.indexOf(mode);
  return i < MODES.length - 1 ? (MODES[i + 1] ?? null) : null;
}

function check(check: string, value: number | null, bar: string, ok: boolean): ChecklistItem {
  return { check, value, bar, ok };
}

export function checklistFor(
  v: Omit<WorkflowValue, 'checklist'>,
  mode: RolloutMode,
  bars: PromotionBars,
): Checklist {
  const items: ChecklistItem[] = [];
  const a = v.agreement.rate;
  if (mode === 'off') items.push(check('workflow is configured', 1, 'turn on in shadow first', true));
  if (mode === 'shadow') {
    items.push(
      check('events in shadow', v.byMode.shadow, `>= ${bars.minEvents}`, v.byMode.shadow >= bars.minEvents),
    );
    items.push(
      check('agreement', a, `>= ${bars.minShadowAgreement}`, a !== null && a >= bars.minShadowAgreement),
    );
  }
  if (mode === 'suggest') {
    items.push(check('decisions', v.decided, `>= ${bars.minDecisions}`, v.decided >= bars.minDecisions));
    items.push(
      check(
        'approval rate',
        v.approvalRate,
        `>= ${bars.minApprovalRate}`,
        v.approvalRate !== null && v.approvalRate >= bars.minApprovalRate,
      ),
    );
    items.push(
      check('agreement', a, `>= ${bars.minSuggestAgreement}`, a !== null && a >= bars.minSuggestAgreement),
    );
  }
  if (mode === 'auto') {
    const reversalRate = ratio(v.reversals, v.autoApplied);
    items.push(
      check(
        'reversal rate',
        reversalRate,
        `<= ${bars.maxReversalRate}`,
        (reversalRate ?? 0) <= bars.maxReversalRate,
      ),
    );
    items.push(
      check(
        'auto error rate',
        v.autoErrorRate,
        `<= ${bars.maxAutoErrorRate}`,
        (v.autoErrorRate ?? 0) <= bars.maxAutoErrorRate,
      ),
    );
    items.push(
      check('agreement', a, `>= ${bars.minSuggestAgreement}`, a !== null && a >= bars.minSuggestAgreement),
    );
  }
  return { mode, next: nextMode(mode), items, ready: items.every((i) => i.ok) };
}

/** One workflow's figures from its runs and decisions in the period. */
export async function workflowValue(
  workflow: Workflow,
  runs: readonly EngineRun[],
  decisions: readonly Decision[],
  options: ReportOptions,
): Promise<WorkflowValue> {
  const baseline = options.baselines?.[workflow] ?? DEFAULT_BASELINES[workflow];
  const byMode: Record<RolloutMode, number> = { off: 0, shadow: 0, suggest: 0, auto: 0 };
  let minutesSaved = 0;
  let minutesSavedIfSuggest = 0;
  let discrepancies = 0;
  let autoApplied = 0;
  let autoErrors = 0;
  let errors = 0;
  const confidences: number[] = [];
  // An event where the engine and the pharmacist disagreed (a rejection, an edit, a reversal, a miss, a false
  // alarm) saved nothing: the work was done by hand after all, with the review on top in suggest and auto.
  const { agreement, comparisons } = await compareRuns(runs, decisions, options.pharmacy);
  const redone = new Set(comparisons.filter((c) => !c.agree).map((c) => c.messageId));
  for (const run of runs) {
    byMode[run.mode]++;
    discrepancies += run.items.length;
    const applied = run.items.filter((i) => i.disposition === 'auto-applied').length;
    autoApplied += applied;
    autoErrors += run.items.filter((i) => i.disposition === 'error').length;
    if (run.error !== undefined) errors++;
    if (run.meanConfidence !== undefined) confidences.push(run.meanConfidence);
    const saved = baseline.manualMinutes - baseline.reviewMinutes;
    const wasted = redone.has(run.messageId);
    if (run.mode === 'suggest') minutesSaved += wasted ? -baseline.reviewMinutes : saved;
    if (run.mode === 'auto')
      minutesSaved += wasted
        ? -baseline.reviewMinutes
        : run.items.length > 0 && applied === run.items.length
          ? baseline.manualMinutes
          : saved;
    if (run.mode === 'shadow' && !wasted) minutesSavedIfSuggest += saved;
  }
  // Answers to task items make the approval rates; answers to auto writes are audits (confirmed or reversed).
  const autoItems = new Set(
    runs.flatMap((r) =>
      r.items.filter((i) => i.disposition === 'auto-applied').map((i) => `${r.messageId}|${i.itemId}`),
    ),
  );
  const answers = decisions.filter((d) => d.itemId !== undefined);
  const onAuto = (d: Decision): boolean => autoItems.has(`${d.messageId}|${d.itemId ?? ''}`);
  const count = (verdict: Decision['verdict']): number =>
    answers.filter((d) => d.verdict === verdict && !onAuto(d)).length;
  const approved = count('approve');
  const edited = count('edit');
  const rejected = count('reject');
  const reversals = answers.filter((d) => d.verdict === 'reverse' && onAuto(d)).length;
  const autoConfirmed = answers.filter((d) => d.verdict === 'approve' && onAuto(d)).length;
  const decided = approved + edited + rejected;
  const runByMessage = new Map(runs.map((r) => [r.messageId, r]));
  const waits = decisions
    .filter((d) => d.verdict !== 'reverse')
    .map((d) => {
      const run = runByMessage.get(d.messageId);
      return run ? (d.at.getTime() - run.receivedAt.getTime()) / 60_000 : undefined;
    })
    .filter((m): m is number => m !== undefined)
    .sort((a, b) => a - b);
  const latencies = runs.map((r) => r.latencyMs).sort((a, b) => a - b);
  const value: Omit<WorkflowValue, 'checklist'> = {
    workflow,
    since: options.since.toISOString(),
    until: options.until.toISOString(),
    byMode,
    events: runs.length,
    discrepancies,
    accepted: approved + edited + autoApplied - reversals,
    decided,
    approvalRate: ratio(approved, decided),
    editRate: ratio(edited, decided),
    rejectRate: ratio(rejected, decided),
    autoApplied,
    autoConfirmed,
    reversals,
    autoErrors,
    autoErrorRate: ratio(autoErrors + reversals, autoApplied + autoErrors),
    medianMinutesToDecision: percentile(waits, 50),
    latencyP50Ms: percentile(latencies, 50),
    latencyP99Ms: percentile(latencies, 99),
    errorRate: ratio(errors, runs.length),
    deadLetterRate: options.deadLetters
      ? ratio(options.deadLetters.dead, options.deadLetters.messages)
      : null,
    meanConfidence: confidences.length ? confidences.reduce((a, b) => a + b, 0) / confidences.length : null,
    minutesSaved,
    minutesSavedIfSuggest,
    agreement,
  };
  const mode = runs.at(-1)?.mode ?? 'off';
  return { ...value, checklist: checklistFor(value, mode, options.bars ?? DEFAULT_BARS) };
}

export async function buildValueReport(store: RolloutStore, options: ReportOptions): Promise<ValueReport> {
  const workflows: WorkflowValue[] = [];
  for (const workflow of options.workflows ?? WORKFLOWS) {
    const range = { workflow, since: options.since, until: options.until };
    const runs = await store.runs(range);
    if (runs.length === 0 && options.workflows === undefined) continue;
    // Decisions may come after the period's events: take those on the period's messages up to now.
    const messages = new Set(runs.map((r) => r.messageId));
    const decisions = [
      ...(await store.decisions({ workflow, since: options.since })),
      ...(options.workspaceDecisions ?? []).filter((d) => d.workflow === workflow),
    ]
      .filter((d) => messages.has(d.messageId))
      .sort((a, b) => a.at.getTime() - b.at.getTime());
    workflows.push(await workflowValue(workflow, runs, decisions, options));
  }
  return {
    generatedAt: options.now.toISOString(),
    since: options.since.toISOString(),
    until: options.until.toISOString(),
    workflows,
  };
}

function fmt(value: number | null, digits = 2): string {
  return value === null ? '' : Number.isInteger(value) ? String(value) : value.toFixed(digits);
}

const CSV_COLUMNS: Array<[string, (v: WorkflowValue) => string]> = [
  ['workflow', (v) => v.workflow],
  ['since', (v) => v.since],
  ['until', (v) => v.until],
  ['mode', (v) => v.checklist.mode],
  ['events', (v) => fmt(v.events)],
  ['events_shadow', (v) => fmt(v.byMode.shadow)],
  ['events_suggest', (v) => fmt(v.byMode.suggest)],
  ['events_auto', (v) => fmt(v.byMode.auto)],
  ['discrepancies', (v) => fmt(v.discrepancies)],
  ['accepted', (v) => fmt(v.accepted)],
  ['decided', (v) => fmt(v.decided)],
  ['approval_rate', (v) => fmt(v.approvalRate, 3)],
  ['edit_rate', (v) => fmt(v.editRate, 3)],
  ['reject_rate', (v) => fmt(v.rejectRate, 3)],
  ['auto_applied', (v) => fmt(v.autoApplied)],
  ['auto_confirmed', (v) => fmt(v.autoConfirmed)],
  ['reversals', (v) => fmt(v.reversals)],
  ['auto_error_rate', (v) => fmt(v.autoErrorRate, 3)],
  ['agreement', (v) => fmt(v.agreement.rate, 3)],
  ['precision', (v) => fmt(v.agreement.precision, 3)],
  ['recall', (v) => fmt(v.agreement.recall, 3)],
  ['median_minutes_to_decision', (v) => fmt(v.medianMinutesToDecision, 1)],
  ['latency_p50_ms', (v) => fmt(v.latencyP50Ms, 1)],
  ['latency_p99_ms', (v) => fmt(v.latencyP99Ms, 1)],
  ['error_rate', (v) => fmt(v.errorRate, 3)],
  ['dead_letter_rate', (v) => fmt(v.deadLetterRate, 3)],
  ['mean_confidence', (v) => fmt(v.meanConfidence, 3)],
  ['minutes_saved', (v) => fmt(v.minutesSaved, 1)],
  ['minutes_saved_if_suggest', (v) => fmt(v.minutesSavedIfSuggest, 1)],
  ['ready_for_next_mode', (v) => (v.checklist.next === null ? '' : String(v.checklist.ready))],
];

function csvCell(text: string): string {
  return /[",\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function reportCsv(report: ValueReport): string {
  const lines = [CSV_COLUMNS.map(([name]) => name).join(',')];
  for (const v of report.workflows) lines.push(CSV_COLUMNS.map(([, get]) => csvCell(get(v))).join(','));
  return `${lines.join('\n')}\n`;
}

function esc(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** A self-contained page (no scripts) for the browser or to attach to a steering-committee email. */
export function reportHtml(report: ValueReport): string {
  const sections = report.workflows.map((v) => {
    const rows = CSV_COLUMNS.slice(3)
      .map(
        ([name, get]) =>
          `<tr><th scope="row">${esc(name.replace(/_/g, ' '))}</th><td>${esc(get(v))}</td></tr>`,
      )
      .join('');
    const fields = Object.entries(v.agreement.perField)
      .map(
        ([name, f]) =>
          `<tr><th scope="row">${esc(name)}</th><td>${fmt(f.rate, 3)}</td><td>${f.compared}</td></tr>`,
      )
      .join('');
    const checks = v.checklist.items
      .map(
        (c) =>
          `<li>${c.ok ? '&#10003;' : '&#10007;'} ${esc(c.check)}: ${esc(fmt(c.value, 3))} (bar ${esc(c.bar)})</li>`,
      )
      .join('');
    const next = v.checklist.next
      ? `Ready for ${esc(v.checklist.next)}: ${v.checklist.ready ? 'yes' : 'no'}`
      : 'Fully automated';
    return `<section><h2>${esc(v.workflow)}</h2><table><caption>Figures</caption>${rows}</table>
<table><caption>Agreement per field</caption><tr><th>field</th><th>rate</th><th>compared</th></tr>${fields}</table>
<h3>Promotion checklist (${esc(v.checklist.mode)})</h3><ul>${checks}</ul><p>${next}</p></section>`;
  });
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>RxBridge value report</title>
<style>body{font-family:system-ui,sans-serif;margin:2rem;color:#111}table{border-collapse:collapse;margin:1rem 0}
th,td{border:1px solid #999;padding:.25rem .5rem;text-align:left}caption{font-weight:bold;text-align:left}</style></head>
<body><h1>RxBridge value report</h1><p>${esc(report.since)} to ${esc(report.until)} (generated ${esc(report.generatedAt)})</p>
${sections.join('\n') || '<p>No events in this period.</p>'}</body></html>
`;
}
