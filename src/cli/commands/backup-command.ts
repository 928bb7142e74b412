// `rxbridge backup <file>`: an online copy of the embedded store, checked; safe while the engine runs.
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { inspectSqliteFile, backupSqlite } from '../../platform/store/sqlite/sqlite-backup.ts';
import { CliError, ExitCode, printJson } from '../cli-output.ts';
import { configFor } from './engine-config.ts';

/** The embedded store's file, or a usage error naming what to do for PostgreSQL. */
export function sqlitePathOf(program: Command): string {
  const config = configFor(program);
  if (!config.store.startsWith('sqlite:')) {
    throw new CliError(
      `backup and restore cover the embedded store; the configured store is PostgreSQL: use pg_dump -n ${config.scaled.postgresSchema} (see docs/operations.md)`,
      ExitCode.Usage,
    );
  }
  const path = config.store.slice('sqlite:'.length);
  if (path === ':memory:')
    throw new CliError('the store is in memory; there is nothing to back up', ExitCode.Usage);
  return resolve(path);
}

export function registerBackupCommand(program: Command): void {
  program
    .command('backup')
    .description('copy the embedded store to a new file while the engine runs, then check the copy')
    .argument('<file>', 'the backup file to create (must not exist)')
    .option('--json', 'print JSON')
    .action(async (file: string, options: { json?: boolean }) => {
      const source = sqlitePathOf(program);
      let report;
      try {
        report = await backupSqlite(source, resolve(file));
      } catch (error) {
        throw new CliError(`backup failed: ${error instanceof Error ? error.message : String(error)}`);
      }
      if (options.json === true) {
        printJson(report);
        return;
      }
      process.stdout.write(
        [
          `backup written: ${report.path} (${report.bytes.toLocaleString('en-US')} bytes, sha256 ${report.sha256})`,
          `integrity ok; ${report.messages} messages, ${report.tasks} tasks, ${report.auditEntries} audit entries`,
          'patient data in it stays encrypted: keep the key file (rxbridge.keys) or RXBRIDGE_KEYS safe and apart;',
          'a restore needs the same keys.',
          '',
        ].join('\n'),
      );
    });

  program
    .command('backup-check')
    .description('check a backup file: integrity and contents, without restoring it')
    .argument('<file>', 'the backup file')
    .action((file: string) => {
      const report = inspectSqliteFile(resolve(file));
      printJson(report);
      if (report.integrity !== 'ok') throw new CliError(`backup is damaged: ${report.integrity}`);
    });
}
