// What a clinical check reports: a finding with severity, evidence and the published source of its rule.

export const Severity = {
  Critical: 'critical',
  High: 'high',
  Moderate: 'moderate',
  Low: 'low',
  Info: 'info',
} as const;
export type Severity = (typeof Severity)[keyof typeof Severity];

export const SEVERITY_RANK: Readonly<Record<Severity, number>> = {
  critical: 0,
  high: 1,
  moderate: 2,
  low: 3,
  info: 4,
};

export const CheckName = {
  DrugAllergy: 'drug-allergy',
  DrugDrug: 'drug-drug-interaction',
  DuplicateTherapy: 'duplicate-therapy',
  DrugDisease: 'drug-disease',
  RenalDosing: 'renal-dosing',
  Inr: 'inr-monitoring',
  Age: 'age',
  Adherence: 'adherence',
  MissingData: 'missing-data',
} as const;
export type CheckName = (typeof CheckName)[keyof typeof CheckName];

/** Where a rule comes from: an FDA label section, the ONC list, ACIP, a paper. */
export interface RuleSource {
  label: string;
  url?: string;
}

export interface Finding {
  check: CheckName;
  /** The rule that fired (stable, e.g. `onc-ddi-25`, `renal-metformin-lt30`). */
  rule: string;
  severity: Severity;
  /** One line, at most 140 characters (CDS Hooks card summary). */
  summary: string;
  detail: string;
  /** The facts the rule matched: drugs, allergy and reaction, lab value and date, problem. */
  evidence: string[];
  source: RuleSource;
  /** Drugs involved (ingredient names). */
  drugs: string[];
  /** Never hidden by site alert settings (the ONC high-priority tier). */
  neverSuppress?: true;
  /** Shown without interrupting the prescriber (the ONC non-interruptive tier). */
  nonInterruptive?: true;
}

/** Trims a summary to the 140 characters CDS Hooks allows. */
export function clampSummary(text: string): string {
  return text.length <= 140 ? text : `${text.slice(0, 139)}…`;
}

/** Most severe first, then by check and rule name (code-unit order: names are ASCII, and this is stable). */
export function sortFindings(findings: Finding[]): Finding[] {
  return findings.sort(
    (a, b) =>
      SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] ||
      compareText(a.check, b.check) ||
      compareText(a.rule, b.rule),
  );
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
