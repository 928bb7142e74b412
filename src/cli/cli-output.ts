// How the CLI speaks: results on stdout, one-line reasons on stderr, exit codes 0 (ok), 1 (failed), 2 (usage/config).
import { formatIssues, type Issue } from '../kernel/result.ts';

export const ExitCode = { Ok: 0, Failed: 1, Usage: 2 } as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/** An expected failure: its message is shown as one line, never with a stack trace. */
export class CliError extends Error {
  readonly exitCode: ExitCode;
  readonly issues: Issue[];
  constructor(message: string, exitCode: ExitCode = ExitCode.Failed, issues: Issue[] = []) {
    super(message);
    this.name = 'CliError';
    this.exitCode = exitCode;
    this.issues = issues;
  }
}

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

export function printIssues(issues: readonly Issue[]): void {
  if (issues.length > 0) process.stderr.write(`${formatIssues(issues)}\n`);
}
