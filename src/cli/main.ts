// The `rxbridge` command line: one program, consistent help, exit codes 0/1/2, one-line errors.
import { Command, CommanderError } from 'commander';
import { registerAuditCommand } from './commands/audit-command.ts';
import { registerBackupCommand } from './commands/backup-command.ts';
import { registerCheckCommand } from './commands/check-command.ts';
import { registerConfigCommand } from './commands/config-command.ts';
import { registerConvertCommand } from './commands/convert-command.ts';
import { registerEhrCommand } from './commands/ehr-command.ts';
import { registerMessagesCommand } from './commands/messages-command.ts';
import { registerReconcileCommand } from './commands/reconcile-command.ts';
import { registerRestoreCommand } from './commands/restore-command.ts';
import { registerSandboxCommand } from './commands/sandbox-command.ts';
import { registerRolloutCommand } from './commands/rollout-command.ts';
import { registerSendCommand } from './commands/send-command.ts';
import { registerSigCommand } from './commands/sig-command.ts';
import { registerStartCommands } from './commands/start-command.ts';
import { registerTerminologyCommand } from './commands/terminology-command.ts';
import { registerUsersCommand } from './commands/users-command.ts';
import { CliError, ExitCode } from './cli-output.ts';

export function buildProgram(): Command {
  const program = new Command('rxbridge')
    .description('RxBridge: keeps a pharmacy in step with the EHRs that treat its patients')
    .option(
      '-c, --config <file>',
      'config file (YAML or JSON); default rxbridge.yaml in the working directory',
    )
    .showHelpAfterError('(run rxbridge --help for usage)')
    .exitOverride();
  program.configureOutput({
    writeErr: (text) => process.stderr.write(text),
    outputError: (text, write) => write(`rxbridge: ${text.replace(/^error: /, '')}`),
  });
  registerStartCommands(program);
  registerBackupCommand(program);
  registerRestoreCommand(program);
  registerConvertCommand(program);
  registerMessagesCommand(program);
  registerConfigCommand(program);
  registerSendCommand(program);
  registerTerminologyCommand(program);
  registerSigCommand(program);
  registerReconcileCommand(program);
  registerCheckCommand(program);
  registerEhrCommand(program);
  registerSandboxCommand(program);
  registerRolloutCommand(program);
  registerUsersCommand(program);
  registerAuditCommand(program);
  return program;
}

export async function runCli(argv: readonly string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return ExitCode.Ok;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version exit 0; unknown commands or options are usage errors.
      return error.exitCode === 0 ? ExitCode.Ok : ExitCode.Usage;
    }
    if (error instanceof CliError) {
      process.stderr.write(`rxbridge: ${error.message}\n`);
      return error.exitCode;
    }
    // An unexpected failure: one line for the user, never a stack trace.
    const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
    process.stderr.write(`rxbridge: failed: ${reason}\n`);
    return ExitCode.Failed;
  }
}

// Run when executed directly (bin/rxbridge.js or `node src/cli/main.ts`).
if (
  process.argv[1] !== undefined &&
  /(?:bin[\\/]rxbridge(?:\.js)?|cli[\\/]main\.ts)$/.test(process.argv[1])
) {
  const code = await runCli(process.argv.slice(2));
  if (code !== ExitCode.Ok || process.exitCode === undefined) process.exitCode = code;
}
