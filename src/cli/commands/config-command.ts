// `rxbridge config check`: validates the configuration and prints what the engine would use.
import type { Command } from 'commander';
import { loadConfig } from '../../config/load-config.ts';
import { CliError, ExitCode } from '../cli-output.ts';

export function registerConfigCommand(program: Command): void {
  const config = program.command('config').description('inspect the configuration');
  config
    .command('check')
    .description('validate the config file and RXBRIDGE_* environment; print the effective settings')
    .action(() => {
      const opts = program.opts<{ config?: string }>();
      const loaded = loadConfig(opts.config !== undefined ? { file: opts.config } : {});
      if (!loaded.ok) {
        throw new CliError(
          loaded.issues.map((i) => `config: ${i.path || '(file)'}: ${i.message}`).join('\n'),
          ExitCode.Usage,
        );
      }
      const { config: c, file } = loaded.value;
      process.stdout.write(`config OK (${file ?? 'defaults and environment; no config file'})\n`);
      process.stdout.write(
        `${JSON.stringify({ ...c, store: redactUrl(c.store), bus: redactUrl(c.bus) }, null, 2)}\n`,
      );
    });
}

/** Connection strings may hold passwords: show them without credentials. */
export function redactUrl(value: string): string {
  return value.replace(/\/\/([^@/]*)@/, '//***@');
}
