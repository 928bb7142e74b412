// Problems and diagnoses in clinical text ("Diagnoses:", "Active problems:", "history of ..."), with spans.
import { allMatches } from '../all-matches.ts';
import type { TextSpan } from './extracted-medication.ts';

export interface ExtractedProblem {
  /** The problem as written, exactly `input.slice(span.start, span.end)`. */
  text: string;
  span: TextSpan;
  /** From the words around it: a diagnosis section, or "history of" (past). */
  kind: 'diagnosis' | 'history';
  confidence: number;
}

// Compiled once.
const PROBLEM_HEADER =
  /^[\t >*#-]*(?:(?:principal |secondary |discharge |admission |admitting )?diagnos[ie]s|active problems|problem list|problems|secondary|assessment)\s*:\s*(.+)$/gim;
const HISTORY_OF = /\b(?<!no )(?<!denies )(?:has a |with )?history of (?!present illness)([^.;\n]+)/gi;
const ITEM_SPLIT = /;|,(?![^(]*\))|\s\d{1,2}[.)]\s|^\d{1,2}[.)]\s|\band\b(?![^(]*\))|\.\s/g;
const NOT_A_PROBLEM = /^(?:none|n\/a|see above|stable|resolved)$/i;
/** Clauses, not problems: "was on rivaroxaban previously". */
const CLAUSE = /\b(?:was|were|is|are|has|had|but|on)\b/i;
const LABEL_PREFIX = /^[A-Za-z ]{2,20}:\s*/;

export function extractProblems(text: string): ExtractedProblem[] {
  const found: ExtractedProblem[] = [];
  PROBLEM_HEADER.lastIndex = 0;
  for (const m of allMatches(PROBLEM_HEADER, text)) {
    const body = m[1] ?? '';
    const start = m.index + m[0].length - body.length;
    collect(text, start, start + body.length, 'diagnosis', found);
  }
  HISTORY_OF.lastIndex = 0;
  for (const m of allMatches(HISTORY_OF, text)) {
    const body = m[1] ?? '';
    const start = m.index + m[0].length - body.length;
    collect(text, start, start + body.length, 'history', found);
  }
  return found.sort((a, b) => a.span.start - b.span.start);
}

function collect(
  text: string,
  start: number,
  end: number,
  kind: ExtractedProblem['kind'],
  out: ExtractedProblem[],
): void {
  const segment = text.slice(start, end);
  let from = 0;
  const cuts: Array<[number, number]> = [];
  ITEM_SPLIT.lastIndex = 0;
  for (const m of allMatches(ITEM_SPLIT, segment)) {
    cuts.push([from, m.index]);
    from = m.index + m[0].length;
  }
  cuts.push([from, segment.length]);
  for (const [a0, b0] of cuts) {
    let a = start + a0;
    let b = start + b0;
    while (a < b && /[\s.,;:*\d)-]/.test(text[a] ?? '')) a++;
    while (b > a && /[\s.,;:*]/.test(text[b - 1] ?? '')) b--;
    const label = LABEL_PREFIX.exec(text.slice(a, b));
    if (label) a += label[0].length;
    const problem = text.slice(a, b);
    if (CLAUSE.test(problem)) continue;
    if (b - a < 3 || NOT_A_PROBLEM.test(problem) || !/[a-z]{3}/i.test(problem)) continue;
    if (out.some((p) => p.span.start === a && p.span.end === b)) continue;
    out.push({
      text: problem,
      span: { start: a, end: b },
      kind,
      confidence: kind === 'diagnosis' ? 0.8 : 0.7,
    });
  }
}
