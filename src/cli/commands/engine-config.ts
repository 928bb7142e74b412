// Loads config for CLI commands and turns config problems into a usage error naming each bad key.
import type { Command } from 'commander';
import type { Config } from '../../config/config-schema.ts';
import { loadConfig } from '../../config/load-config.ts';
import { CliError, ExitCode } from '../cli-output.ts';

export function configFor(program: Command, overrides: Record<string, unknown> = {}): Config {
  const opts = program.opts<{ config?: string }>();
  const loaded = loadConfig({ ...(opts.config !== undefined ? { file: opts.config } : {}), overrides });
  if (!loaded.ok) {
    throw new CliError(
      loaded.issues.map((i) => `config: ${i.path || '(file)'}: ${i.message}`).join('\n'),
      ExitCode.Usage,
    );
  }
  return loaded.value.config;
}
