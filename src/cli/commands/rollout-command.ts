// `rxbridge rollout status|set|report|alerts` and `rxbridge report`: workflow modes per cohort, the value report,
// rollout alerts. Works straight on the store named by the config (SQLite file or PostgreSQL).
import { writeFile } from 'node:fs/promises';
import { userInfo } from 'node:os';
import type { Command } from 'commander';
import { openRolloutStore, openStore } from '../../main.ts';
import type { Store } from '../../platform/store/store.ts';
import {
  applyRules,
  evaluateRules,
  webhookNotifier,
  type AlertNotifier,
} from '../../review/rollout/alerts.ts';
import { ModeChangeError, setMode } from '../../review/rollout/rollout-admin.ts';
import {
  MODES,
  WORKFLOWS,
  cohortKey,
  isMode,
  isWorkflow,
  parseCohort,
  resolveMode,
  type ModeSetting,
  type Workflow,
} from '../../review/rollout/rollout-model.ts';
import type { RolloutStore } from '../../review/rollout/rollout-store.ts';
import { workspaceDecisions } from '../../review/rollout/task-decisions.ts';
import {
  buildValueReport,
  reportCsv,
  reportHtml,
  type ValueReport,
} from '../../review/rollout/value-report.ts';
import { CliError, ExitCode, printJson } from '../cli-output.ts';
import { configFor } from './engine-config.ts';

async function withStores<T>(
  program: Command,
  run: (stores: { store: Store; rollout: RolloutStore }) => Promise<T>,
): Promise<T> {
  const config = configFor(program);
  let store: Store;
  let rollout: RolloutStore;
  try {
    store = await openStore(config);
  } catch (error) {
    throw new CliError(`cannot open the store: ${error instanceof Error ? error.message : String(error)}`);
  }
  try {
    rollout = await openRolloutStore(config);
  } catch (error) {
    await store.close();
    throw new CliError(
      `cannot open the rollout tables: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  try {
    return await run({ store, rollout });
  } finally {
    await rollout.close();
    await store.close();
  }
}

function workflowArg(value: string | undefined, flag: string): Workflow | undefined {
  if (value === undefined) return undefined;
  if (!isWorkflow(value))
    throw new CliError(
      `${flag}: unknown workflow "${value}" (one of ${WORKFLOWS.join(', ')})`,
      ExitCode.Usage,
    );
  return value;
}

/** `YYYY-MM-DD`, an ISO time, or a span back from now: `7d`, `12h`. */
export function parseSince(value: string, now: Date, flag = '--since'): Date {
  const span = /^(\d+)([dh])$/.exec(value.trim());
  if (span) return new Date(now.getTime() - Number(span[1]) * (span[2] === 'd' ? 86_400_000 : 3_600_000));
  const date = new Date(/^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00Z` : value);
  if (Number.isNaN(date.getTime()))
    throw new CliError(
      `${flag}: expected YYYY-MM-DD, an ISO time or a span like 7d or 12h, got "${value}"`,
      ExitCode.Usage,
    );
  return date;
}

function pct(v: number | null): string {
  return v === null ? '-' : `${(v * 100).toFixed(1)}%`;
}

function printReport(report: ValueReport): void {
  const out: string[] = [`Value report ${report.since} to ${report.until}`];
  if (report.workflows.length === 0) out.push('(no events in this period)');
  for (const v of report.workflows) {
    const a = v.agreement;
    out.push(
      '',
      `${v.workflow} (last mode: ${v.checklist.mode})`,
      `  events ${v.events} (shadow ${v.byMode.shadow}, suggest ${v.byMode.suggest}, auto ${v.byMode.auto}); discrepancies ${v.discrepancies}, accepted ${v.accepted}`,
      `  agreement ${pct(a.rate)} over ${a.compared} items; precision ${pct(a.precision)}, recall ${pct(a.recall)}; pending ${a.pending}`,
      `  per field: ${
        Object.entries(a.perField)
          .map(([name, f]) => `${name} ${pct(f.rate)}`)
          .join(', ') || '-'
      }`,
      `  decided ${v.decided}: approved ${pct(v.approvalRate)}, edited ${pct(v.editRate)}, rejected ${pct(v.rejectRate)}`,
      `  auto-applied ${v.autoApplied} (kept after review ${v.autoConfirmed}, reversed ${v.reversals}, failed ${v.autoErrors})`,
      `  median minutes to decision ${v.medianMinutesToDecision ?? '-'}; latency p50 ${v.latencyP50Ms ?? '-'} ms, p99 ${v.latencyP99Ms ?? '-'} ms; error rate ${pct(v.errorRate)}`,
      `  estimated minutes saved ${v.minutesSaved} (shadow events would have saved ${v.minutesSavedIfSuggest})`,
      `  checklist for ${v.checklist.next ?? '(none: fully automated)'}: ${v.checklist.ready ? 'READY' : 'not ready'}`,
      ...v.checklist.items.map(
        (c) =>
          `    [${c.ok ? 'x' : ' '}] ${c.check} ${c.value === null ? '-' : Number(c.value.toFixed(3))} (bar ${c.bar})`,
      ),
    );
  }
  process.stdout.write(`${out.join('\n')}\n`);
}

interface ReportOptions {
  workflow?: string;
  since: string;
  until?: string;
  format: string;
  out?: string;
}

async function reportAction(program: Command, options: ReportOptions): Promise<void> {
  const now = new Date();
  const workflow = workflowArg(options.workflow, '--workflow');
  const since = parseSince(options.since, now);
  const until = options.until === undefined ? now : parseSince(options.until, now, '--until');
  if (!['text', 'json', 'csv', 'html'].includes(options.format))
    throw new CliError(`--format: one of text, json, csv, html (got "${options.format}")`, ExitCode.Usage);
  await withStores(program, async ({ store, rollout }) => {
    const report = await buildValueReport(rollout, {
      since,
      until,
      ...(workflow ? { workflows: [workflow] } : {}),
      workspaceDecisions: await workspaceDecisions(store.tasks, since),
      now,
    });
    await store.audit.record({
      actor: `cli:${userInfo().username}`,
      action: 'export',
      category: 'report',
      source: 'rxbridge rollout report',
      outcome: 'success',
      detail: `value report ${options.format} ${since.toISOString()}..${until.toISOString()}`,
    });
    const text =
      options.format === 'json'
        ? `${JSON.stringify(report, null, 2)}\n`
        : options.format === 'csv'
          ? reportCsv(report)
          : options.format === 'html'
            ? reportHtml(report)
            : undefined;
    if (text === undefined) {
      printReport(report);
      return;
    }
    if (options.out) {
      await writeFile(options.out, text);
      process.stdout.write(`wrote ${options.out}\n`);
    } else process.stdout.write(text);
  });
}

function addReportOptions(command: Command): Command {
  return command
    .option('--workflow <workflow>', `only this workflow (${WORKFLOWS.join(', ')})`)
    .option('--since <when>', 'start: YYYY-MM-DD, ISO time or a span back (7d, 12h)', '7d')
    .option('--until <when>', 'end (default now)')
    .option('--format <format>', 'text, json, csv or html', 'text')
    .option('--out <file>', 'write to a file instead of stdout');
}

function latestPerCohort(history: readonly ModeSetting[]): ModeSetting[] {
  const latest = new Map<string, ModeSetting>();
  for (const s of history) latest.set(s.cohortKey, s);
  return [...latest.values()];
}

export function registerRolloutCommand(program: Command): void {
  const rollout = program
    .command('rollout')
    .description('phased rollout: each workflow off, shadow, suggest or auto, per pilot cohort');

  rollout
    .command('status')
    .description('the mode of each workflow: the default and every cohort setting, with who set it and why')
    .option('--workflow <workflow>', 'only this workflow')
    .option('--history', 'every change, not only the settings in force')
    .option('--json', 'print JSON')
    .action(async (options: { workflow?: string; history?: boolean; json?: boolean }) => {
      const only = workflowArg(options.workflow, '--workflow');
      await withStores(program, async ({ rollout: store }) => {
        const rows: Array<{
          workflow: Workflow;
          cohort: string;
          mode: string;
          setBy: string | null;
          at?: string;
          reason: string;
        }> = [];
        for (const workflow of only ? [only] : WORKFLOWS) {
          const history = await store.settings(workflow);
          const shown = options.history ? history : latestPerCohort(history);
          if (!shown.some((s) => s.cohortKey === '*') && !options.history)
            rows.push({
              workflow,
              cohort: '*',
              mode: resolveMode(history, {}).mode,
              setBy: null,
              reason: '(default)',
            });
          for (const s of shown)
            rows.push({
              workflow,
              cohort: s.cohortKey,
              mode: s.mode,
              setBy: s.actor,
              at: s.at.toISOString(),
              reason: s.reason,
            });
        }
        const alerts = await store.alerts({ openOnly: true });
        if (options.json) {
          printJson({ settings: rows, openAlerts: alerts });
          return;
        }
        for (const r of rows) {
          const who = r.setBy ? `  set by ${r.setBy} at ${r.at ?? ''}: ${r.reason}` : '';
          process.stdout.write(`${r.workflow.padEnd(26)}${r.cohort.padEnd(28)}${r.mode.padEnd(9)}${who}\n`);
        }
        process.stdout.write(
          `open alerts: ${alerts.length}${alerts.map((a) => `\n  ${a.severity} ${a.key}: ${a.message}`).join('')}\n`,
        );
      });
    });

  rollout
    .command('set')
    .description('change a workflow mode for a cohort (or for everyone else); audited, with a reason')
    .argument('<workflow>', WORKFLOWS.join(' | '))
    .argument('<mode>', MODES.join(' | '))
    .option(
      '--cohort <cohort>',
      'site=a,b;pharmacist=...;patient=...;sender=GENHOSP (default: everyone else)',
    )
    .requiredOption('--reason <text>', 'why (kept in the audit trail)')
    .action(async (workflowText: string, modeText: string, options: { cohort?: string; reason: string }) => {
      const workflow = workflowArg(workflowText, '<workflow>') as Workflow;
      if (!isMode(modeText))
        throw new CliError(`<mode>: unknown mode "${modeText}" (one of ${MODES.join(', ')})`, ExitCode.Usage);
      const cohort = options.cohort === undefined ? {} : parseCohort(options.cohort);
      if (typeof cohort === 'string') throw new CliError(`--cohort: ${cohort}`, ExitCode.Usage);
      await withStores(program, async ({ store, rollout: rolloutStore }) => {
        try {
          const { setting, previous } = await setMode(rolloutStore, store.audit, {
            workflow,
            mode: modeText,
            cohort,
            actor: `cli:${userInfo().username}`,
            reason: options.reason,
            source: 'rxbridge rollout set',
            at: new Date(),
          });
          process.stdout.write(
            `${workflow} for ${cohortKey(setting.cohort)}: ${previous} -> ${setting.mode} (setting #${setting.id}, audited)\n`,
          );
        } catch (error) {
          if (error instanceof ModeChangeError) throw new CliError(error.message, ExitCode.Usage);
          throw error;
        }
      });
    });

  addReportOptions(
    rollout
      .command('report')
      .description('the value report per workflow: agreement, approvals, minutes saved, checklist'),
  ).action((options: ReportOptions) => reportAction(program, options));

  rollout
    .command('alerts')
    .description('rollout alerts (agreement, accuracy, auto errors, confidence drift); --evaluate checks now')
    .option('--all', 'resolved alerts too')
    .option('--evaluate', 'evaluate the rules on the last period now (records, deduplicates, notifies)')
    .option('--period <span>', 'the period evaluated, against the one before it', '7d')
    .option('--webhook <url>', 'deliver new alerts to this webhook')
    .option('--json', 'print JSON')
    .action(
      async (options: {
        all?: boolean;
        evaluate?: boolean;
        period: string;
        webhook?: string;
        json?: boolean;
      }) => {
        await withStores(program, async ({ store: engine, rollout: store }) => {
          if (options.evaluate) {
            const now = new Date();
            const since = parseSince(options.period, now, '--period');
            const before = new Date(since.getTime() - (now.getTime() - since.getTime()));
            const decided = await workspaceDecisions(engine.tasks, before);
            const current = await buildValueReport(store, {
              since,
              until: now,
              now,
              workspaceDecisions: decided,
            });
            const previous = await buildValueReport(store, {
              since: before,
              until: since,
              now,
              workspaceDecisions: decided,
            });
            const notifiers: AlertNotifier[] = options.webhook ? [webhookNotifier(options.webhook)] : [];
            const results = current.workflows.flatMap((v) =>
              evaluateRules(
                v,
                previous.workflows.find((p) => p.workflow === v.workflow),
              ),
            );
            const run = await applyRules(results, {
              store,
              notifiers,
              quietPeriodMs: 3_600_000,
              now,
              onDeliveryError: (name, error) =>
                process.stderr.write(
                  `rxbridge: alert delivery (${name}) failed: ${error instanceof Error ? error.message : String(error)}\n`,
                ),
            });
            process.stdout.write(
              `evaluated ${results.length} rules: ${run.raised.length} firing, ${run.notified.length} notified, ${run.resolved.length} resolved\n`,
            );
          }
          const alerts = await store.alerts({ openOnly: !options.all });
          if (options.json) {
            printJson(alerts);
            return;
          }
          for (const a of alerts)
            process.stdout.write(
              `#${a.id} ${a.severity.padEnd(8)} ${a.key.padEnd(48)} ${a.resolvedAt ? 'resolved' : 'open'}  x${a.count}  ${a.message}\n`,
            );
          if (alerts.length === 0) process.stdout.write('(no alerts)\n');
        });
      },
    );

  addReportOptions(program.command('report').description('the value report (same as rollout report)')).action(
    (options: ReportOptions) => reportAction(program, options),
  );
}
