// Scores parseSig against the hand-labelled sig gold set (test/fixtures/text/sigs.gold.psv), field by field.
import { readFileSync } from 'node:fs';
import { parseSig } from '../src/extract/sig/parse-sig.ts';
import type { SigResult } from '../src/extract/sig/sig-result.ts';

export const SIG_FIELDS = ['dose', 'unit', 'route', 'timing', 'prn', 'duration', 'max', 'steps'] as const;
export type SigFieldName = (typeof SIG_FIELDS)[number];

export interface GoldSig {
  sig: string;
  labels: Record<SigFieldName, string>;
}

export function readGoldSigs(path: string): GoldSig[] {
  const rows: GoldSig[] = [];
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    if (line.trim() === '' || line.startsWith('#')) continue;
    const cells = line.split('|').map((c) => c.trim());
    const [sig, ...rest] = cells;
    if (sig === undefined || rest.length !== SIG_FIELDS.length) throw new Error(`bad gold row: ${line}`);
    const labels = Object.fromEntries(SIG_FIELDS.map((f, i) => [f, rest[i] ?? '-'])) as Record<
      SigFieldName,
      string
    >;
    rows.push({ sig, labels });
  }
  return rows;
}

/** The parser's answer in the label notation (see the gold file's header). */
export function describeSig(r: SigResult): Record<SigFieldName, string> {
  const f = r.fields;
  const d = f.dose?.value;
  const t = f.timing?.value;
  let timing = '-';
  if (t && t.count === undefined && t.frequency !== undefined) {
    const period =
      t.period === 1 && t.periodMax === undefined ? '' : `${t.period}${t.periodMax ? `-${t.periodMax}` : ''}`;
    timing = `${t.frequency}/${period}${t.periodUnit}${t.when ? `@${t.when.join('+')}` : ''}`;
  }
  const prn = f.asNeeded
    ? f.asNeeded.value.reason
      ? `yes:${f.asNeeded.value.reason.toLowerCase()}`
      : 'yes'
    : '-';
  const max = f.maxDose?.value;
  return {
    dose: d ? `${d.value}${d.high !== undefined ? `-${d.high}` : ''}` : '-',
    unit: d?.unit ?? '-',
    route: f.route?.value ?? '-',
    timing,
    prn,
    duration: f.duration ? `${f.duration.value.value}${f.duration.value.unit}` : '-',
    max: max ? `${max.value} ${max.unit ?? '?'}/d` : '-',
    steps: r.dosage.length > 1 ? String(r.dosage.length) : '-',
  };
}

export interface SigGoldScore {
  total: number;
  correct: Record<SigFieldName, number>;
  /** Rows whose label states the field, and how many of those were right. */
  stated: Record<SigFieldName, [number, number]>;
  allFieldsRight: number;
  notSure: number;
  /** notSure among rows with at least one wrong field (the flag doing its job). */
  wrongFlagged: number;
  wrong: number;
  errors: Array<{ sig: string; field: SigFieldName; expected: string; got: string }>;
}

export function scoreSigGold(rows: readonly GoldSig[]): SigGoldScore {
  const zero = () => Object.fromEntries(SIG_FIELDS.map((f) => [f, 0])) as Record<SigFieldName, number>;
  const correct = zero();
  const stated = Object.fromEntries(SIG_FIELDS.map((f) => [f, [0, 0]])) as Record<
    SigFieldName,
    [number, number]
  >;
  const score: SigGoldScore = {
    total: rows.length,
    correct,
    stated,
    allFieldsRight: 0,
    notSure: 0,
    wrongFlagged: 0,
    wrong: 0,
    errors: [],
  };
  for (const row of rows) {
    const result = parseSig(row.sig);
    const got = describeSig(result);
    let allRight = true;
    for (const field of SIG_FIELDS) {
      const expected = row.labels[field].toLowerCase();
      const right = got[field].toLowerCase() === expected;
      if (right) correct[field]++;
      else {
        allRight = false;
        score.errors.push({ sig: row.sig, field, expected: row.labels[field], got: got[field] });
      }
      if (expected !== '-') {
        stated[field][0]++;
        if (right) stated[field][1]++;
      }
    }
    if (allRight) score.allFieldsRight++;
    else score.wrong++;
    if (result.notSure) {
      score.notSure++;
      if (!allRight) score.wrongFlagged++;
    }
  }
  return score;
}
