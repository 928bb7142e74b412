// `rxbridge restore <file>`: puts a checked backup in place of the embedded store (engine stopped).
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { restoreSqlite } from '../../platform/store/sqlite/sqlite-backup.ts';
import { CliError } from '../cli-output.ts';
import { sqlitePathOf } from './backup-command.ts';

export function registerRestoreCommand(program: Command): void {
  program
    .command('restore')
    .description('replace the embedded store with a backup (stop the engine first); the old file is kept')
    .argument('<file>', 'a file written by rxbridge backup')
    .option('--force', 'replace an existing store (kept as <store>.before-restore)')
    .action((file: string, options: { force?: boolean }) => {
      const target = sqlitePathOf(program);
      let report;
      try {
        report = restoreSqlite(resolve(file), target, options.force === true);
      } catch (error) {
        throw new CliError(`restore failed: ${error instanceof Error ? error.message : String(error)}`);
      }
      process.stdout.write(
        `restored ${report.path} from ${file}: integrity ok; ${report.messages} messages, ${report.tasks} tasks, ${report.auditEntries} audit entries\n` +
          'start the engine with the same keys (rxbridge.keys or RXBRIDGE_KEYS) the backup was made with.\n',
      );
    });
}
