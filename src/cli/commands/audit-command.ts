// `rxbridge audit verify|export|report|break-glass|checkpoint`: the audit trail for compliance, on the store.
import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { openSecurity, openStore, type Security } from '../../main.ts';
import { auditCsv, toFhirAuditEvent } from '../../governance/audit/audit-event.ts';
import type { AuditFilter, AuditRecord } from '../../governance/audit/audit-log.ts';
import { verifyAuditTrail, writeCheckpoint } from '../../governance/audit/checkpoints.ts';
import { breakGlassDetail } from '../../governance/auth/authenticator.ts';
import { systemClock } from '../../kernel/clock.ts';
import type { Store } from '../../platform/store/store.ts';
import { CliError, ExitCode, printJson } from '../cli-output.ts';
import { configFor } from './engine-config.ts';

async function withAudit<T>(
  program: Command,
  run: (store: Store, security: Security) => Promise<T>,
): Promise<T> {
  const config = configFor(program);
  let store: Store;
  try {
    store = await openStore(config);
  } catch (error) {
    throw new CliError(`cannot open the store: ${error instanceof Error ? error.message : String(error)}`);
  }
  let security: Security;
  try {
    security = await openSecurity(config, store, systemClock);
  } catch (error) {
    await store.close();
    throw new CliError(`cannot open the keys: ${error instanceof Error ? error.message : String(error)}`);
  }
  try {
    return await run(store, security);
  } finally {
    await security.governance.close();
    await store.close();
  }
}

interface FilterOptions {
  since?: string;
  until?: string;
  actor?: string;
  patient?: string;
  category?: string;
  limit: string;
}

function date(value: string | undefined, flag: string): Date | undefined {
  if (value === undefined) return undefined;
  const d = new Date(value);
  if (Number.isNaN(d.getTime()))
    throw new CliError(`${flag}: not a date or time: ${JSON.stringify(value)}`, ExitCode.Usage);
  return d;
}

function filterOf(o: FilterOptions): AuditFilter {
  const limit = Number(o.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > 1_000_000) {
    throw new CliError('--limit: a whole number from 1 to 1000000', ExitCode.Usage);
  }
  const since = date(o.since, '--since');
  const until = date(o.until, '--until');
  return {
    limit,
    ...(since ? { since } : {}),
    ...(until ? { until } : {}),
    ...(o.actor ? { actor: o.actor } : {}),
    ...(o.patient ? { patient: o.patient } : {}),
    ...(o.category ? { category: o.category } : {}),
  };
}

function withFilterOptions(command: Command): Command {
  return command
    .option('--since <time>', 'from this date/time (ISO 8601)')
    .option('--until <time>', 'before this date/time')
    .option('--actor <actor>', 'only this actor (user:<id>, api-key:<id>, system:...)')
    .option('--patient <ref>', 'only this patient reference')
    .option('--category <category>', 'only this data category (message, task, session, break-glass...)')
    .option('--limit <n>', 'at most this many entries', '10000');
}

export function registerAuditCommand(program: Command): void {
  const audit = program.command('audit').description('verify, report and export the audit trail');

  audit
    .command('verify')
    .description('recompute the hash chain and check every signed checkpoint; exit 1 if anything was altered')
    .action(async () => {
      await withAudit(program, async (store, security) => {
        const result = await verifyAuditTrail(store.audit, security.governance, security.keyring);
        if (!result.ok) {
          throw new CliError(
            `audit trail ALTERED at entry ${result.firstBadSeq ?? '?'}: ${result.problem ?? 'unknown'} (${result.checked} entries intact before it)`,
          );
        }
        process.stdout.write(
          `audit trail intact: ${result.checked} entries, ${result.checkpoints} signed checkpoints verified\n`,
        );
      });
    });

  audit
    .command('checkpoint')
    .description('sign the newest entry now (the engine also does this every minute and when it stops)')
    .action(async () => {
      await withAudit(program, async (store, security) => {
        const c = await writeCheckpoint(store.audit, security.governance, security.keyring);
        process.stdout.write(c ? `checkpoint at entry ${c.seq}\n` : 'nothing new to sign\n');
      });
    });

  withFilterOptions(
    audit
      .command('export')
      .description('export entries as FHIR AuditEvent (a Bundle), JSON or CSV')
      .option('--format <format>', 'fhir, json or csv', 'fhir')
      .option('--out <file>', 'write here instead of stdout'),
  ).action(async (o: FilterOptions & { format: string; out?: string }) => {
    if (!['fhir', 'json', 'csv'].includes(o.format)) {
      throw new CliError('--format: fhir, json or csv', ExitCode.Usage);
    }
    const filter = filterOf(o);
    await withAudit(program, async (store) => {
      const records = (await store.audit.list(filter)).reverse();
      await store.audit.record({
        actor: 'cli:audit',
        action: 'export',
        category: 'audit',
        source: 'rxbridge audit export',
        outcome: 'success',
        detail: `${records.length} entries as ${o.format}`,
      });
      const text =
        o.format === 'csv'
          ? auditCsv(records)
          : `${JSON.stringify(
              o.format === 'fhir'
                ? {
                    resourceType: 'Bundle',
                    type: 'collection',
                    total: records.length,
                    entry: records.map((r) => ({ resource: toFhirAuditEvent(r) })),
                  }
                : records,
              null,
              2,
            )}\n`;
      if (o.out) {
        writeFileSync(o.out, text, { mode: 0o600 });
        process.stdout.write(`${records.length} entries written to ${o.out}\n`);
      } else process.stdout.write(text);
    });
  });

  withFilterOptions(
    audit
      .command('report')
      .description('a readable report of entries (time, patient, actor, source, action, category, outcome)')
      .option('--sort <order>', 'newest or oldest', 'newest')
      .option('--json', 'print JSON'),
  ).action(async (o: FilterOptions & { sort: string; json?: boolean }) => {
    const filter = filterOf(o);
    await withAudit(program, async (store) => {
      const records = await store.audit.list(filter);
      if (o.sort === 'oldest') records.reverse();
      await store.audit.record({
        actor: 'cli:audit',
        action: 'read',
        category: 'audit',
        source: 'rxbridge audit report',
        outcome: 'success',
        detail: `${records.length} entries`,
      });
      if (o.json === true) return printJson(records);
      process.stdout.write(reportLines(records).join('\n') + '\n');
      return undefined;
    });
  });

  audit
    .command('break-glass')
    .description('daily report of every emergency access: who, when, for how long and why')
    .option('--day <yyyy-mm-dd>', 'the day (UTC); default today')
    .action(async (o: { day?: string }) => {
      const day = o.day ?? new Date().toISOString().slice(0, 10);
      if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) throw new CliError('--day: YYYY-MM-DD', ExitCode.Usage);
      await withAudit(program, async (store, security) => {
        const start = new Date(`${day}T00:00:00Z`).getTime();
        const grants = (await security.governance.breakGlass.since(start)).filter(
          (g) => g.grantedAt < start + 86_400_000,
        );
        const users = new Map((await security.governance.users.list()).map((u) => [u.id, u.username]));
        await store.audit.record({
          actor: 'cli:audit',
          action: 'read',
          category: 'break-glass',
          source: 'rxbridge audit break-glass',
          outcome: 'success',
          detail: `report for ${day}: ${grants.length} uses`,
        });
        process.stdout.write(`break-glass uses on ${day}: ${grants.length}\n`);
        for (const g of grants) {
          const d = breakGlassDetail(security.keyring, g);
          process.stdout.write(
            `  ${new Date(g.grantedAt).toISOString()}  ${users.get(g.userId) ?? g.userId}  ${d.minutes} min  until ${new Date(g.expiresAt).toISOString()}  reason: ${d.reason}\n`,
          );
        }
      });
    });
}

function reportLines(records: readonly AuditRecord[]): string[] {
  const rows = records.map((r) => [
    r.at.toISOString(),
    r.patient ?? '-',
    r.actor,
    r.source,
    r.action,
    r.category,
    r.outcome,
  ]);
  const head = ['time', 'patient', 'actor', 'source', 'action', 'category', 'outcome'];
  const widths = head.map((h, i) =>
    Math.min(40, Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length))),
  );
  const fmt = (r: string[]): string =>
    r.map((c, i) => c.slice(0, widths[i]).padEnd(widths[i] ?? 0)).join('  ');
  return [fmt(head), ...rows.map(fmt), `${records.length} entries`];
}
