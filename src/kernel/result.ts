// Expected failures as values: a Result lists every issue found, never just the first thrown one.

/** Mirrors FHIR OperationOutcome.issue.code and is carried into HL7 ERR segments. */
export const IssueCode = {
  Invalid: 'invalid',
  Structure: 'structure',
  Required: 'required',
  Value: 'value',
  NotSupported: 'not-supported',
  NotFound: 'not-found',
  Duplicate: 'duplicate',
  TooLong: 'too-long',
  Security: 'security',
  Processing: 'processing',
  Incomplete: 'incomplete',
  Transient: 'transient',
  Informational: 'informational',
  Exception: 'exception',
} as const;
export type IssueCode = (typeof IssueCode)[keyof typeof IssueCode];

export type IssueSeverity = 'error' | 'warning' | 'information';

export interface Issue {
  severity: IssueSeverity;
  code: IssueCode;
  /** Where: an HL7 location (`PID-3[1].4`), an XPath, a JSON path or a config key. */
  path: string;
  message: string;
}

export type Result<T> = { ok: true; value: T; issues: Issue[] } | { ok: false; issues: Issue[] };

export function ok<T>(value: T, issues: Issue[] = []): Result<T> {
  return { ok: true, value, issues };
}

export function fail<T = never>(issues: Issue[]): Result<T> {
  return { ok: false, issues };
}

export function issue(severity: IssueSeverity, code: IssueCode, path: string, message: string): Issue {
  return { severity, code, path, message };
}

export function errorIssue(code: IssueCode, path: string, message: string): Issue {
  return { severity: 'error', code, path, message };
}

export function warningIssue(code: IssueCode, path: string, message: string): Issue {
  return { severity: 'warning', code, path, message };
}

export function hasErrors(issues: readonly Issue[]): boolean {
  return issues.some((i) => i.severity === 'error');
}

/** One line per issue, for CLI output and logs (never includes message content). */
export function formatIssues(issues: readonly Issue[]): string {
  return issues.map((i) => `${i.severity} ${i.code} at ${i.path || '(root)'}: ${i.message}`).join('\n');
}
