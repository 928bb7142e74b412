// Allergies in clinical text: substance, reaction, severity and "no known allergies", each with its source span.
import { allMatches } from '../all-matches.ts';
import type { DrugConcept, Terminology } from '../../terminology/terminology.ts';
import type { TextSpan } from './extracted-medication.ts';

export interface ExtractedAllergy {
  /** The whole mention, exactly `input.slice(span.start, span.end)`. */
  text: string;
  span: TextSpan;
  /** Absent for "no known allergies". */
  substance?: { text: string; span: TextSpan; concept?: DrugConcept };
  reaction?: { text: string; span: TextSpan };
  severity?: 'mild' | 'moderate' | 'severe';
  /** NKDA / "no known drug allergies" (drug: true) or "no known allergies". */
  noKnown?: { drug: boolean };
  confidence: number;
}

// Compiled once.
const NO_KNOWN =
  /\b(?:nkda|no known drug allerg(?:y|ies)|no known (?:allerg(?:y|ies)|allergens)|nka|denies (?:any )?(?:drug )?allergies|no allergies)\b/gi;
const ALLERGY_LINE =
  /^[\t >*#-]*(?:allerg(?:y|ies)(?: and (?:adverse reactions|intolerances))?|adverse reactions)\s*[:-]\s*(.*)$/gim;
const ALLERGIC_TO = /\ballergic to ([^.;\n]+)/gi;
const SEVERITY =
  /\b(mild|moderate|severe|anaphylaxis|anaphylactic|life[- ]threatening|stevens[- ]johnson)\b/i;
const SEVERE_WORDS = /anaphyla|life|stevens/i;
const ITEM_SPLIT = /;|,(?![^(]*\))/g;
const REACTION = /\(([^)]*)\)|\s[-–—:]\s*(.+)$/;

/** Finds allergy mentions: "Allergies:" lines, "allergic to ...", and NKDA-style statements. */
export function extractAllergies(text: string, options: { terminology: Terminology }): ExtractedAllergy[] {
  const found: ExtractedAllergy[] = [];
  const covered: TextSpan[] = [];
  NO_KNOWN.lastIndex = 0;
  for (const m of allMatches(NO_KNOWN, text)) {
    const span = { start: m.index, end: m.index + m[0].length };
    const drug = /drug|nkda/i.test(m[0]);
    found.push({ text: m[0], span, noKnown: { drug }, confidence: 0.95 });
    covered.push(span);
  }
  const lists: Array<[number, number]> = [];
  ALLERGY_LINE.lastIndex = 0;
  for (const m of allMatches(ALLERGY_LINE, text)) {
    const body = m[1] ?? '';
    const start = m.index + m[0].length - body.length;
    lists.push([start, start + body.length]);
  }
  ALLERGIC_TO.lastIndex = 0;
  for (const m of allMatches(ALLERGIC_TO, text)) {
    const body = m[1] ?? '';
    const start = m.index + m[0].length - body.length;
    lists.push([start, start + body.length]);
  }
  for (const [start, end] of lists) {
    for (const [from, to] of splitList(text, start, end)) {
      if (covered.some((c) => c.start < to && from < c.end)) continue;
      const allergy = readAllergy(text, from, to, options.terminology);
      if (allergy) found.push(allergy);
    }
  }
  return found.sort((a, b) => a.span.start - b.span.start);
}

function splitList(text: string, start: number, end: number): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  const segment = text.slice(start, end);
  let from = 0;
  ITEM_SPLIT.lastIndex = 0;
  for (const m of allMatches(ITEM_SPLIT, segment)) {
    out.push([start + from, start + m.index]);
    from = m.index + m[0].length;
  }
  out.push([start + from, end]);
  return out.map(([a, b]) => trim(text, a, b)).filter(([a, b]) => b > a);
}

function trim(text: string, a: number, b: number): [number, number] {
  while (a < b && /[\s.,;:*-]/.test(text[a] ?? '')) a++;
  while (b > a && /[\s.,;:*]/.test(text[b - 1] ?? '')) b--;
  return [a, b];
}

function readAllergy(
  text: string,
  from: number,
  to: number,
  terminology: Terminology,
): ExtractedAllergy | undefined {
  const item = text.slice(from, to);
  if (!/[a-z]/i.test(item) || /^(?:none|n\/a|unknown)$/i.test(item.trim())) return undefined;
  const reactionMatch = REACTION.exec(item);
  const substanceEnd = reactionMatch ? reactionMatch.index : item.length;
  const [sa, sb] = trim(text, from, from + substanceEnd);
  if (sb <= sa) return undefined;
  const substanceText = text.slice(sa, sb);
  const allergy: ExtractedAllergy = {
    text: item,
    span: { start: from, end: to },
    substance: { text: substanceText, span: { start: sa, end: sb } },
    confidence: 0.6,
  };
  const concept = terminology.lookupDrug(substanceText);
  if (concept && allergy.substance) {
    allergy.substance.concept = concept;
    allergy.confidence = 0.85;
  }
  if (reactionMatch) {
    const body = reactionMatch[1] ?? reactionMatch[2] ?? '';
    const offset = reactionMatch.index + reactionMatch[0].indexOf(body);
    // "(angioedema, severe)": the severity word is not part of the reaction.
    const reactionText = body.replace(/,?\s*\(?\b(?:mild|moderate|severe)\b\)?\s*$/i, '').trim();
    if (reactionText !== '') {
      const rs = from + offset + body.indexOf(reactionText);
      allergy.reaction = { text: reactionText, span: { start: rs, end: rs + reactionText.length } };
    }
  }
  const sev = SEVERITY.exec(item)?.[1];
  if (sev)
    allergy.severity = SEVERE_WORDS.test(sev)
      ? 'severe'
      : (sev.toLowerCase() as 'mild' | 'moderate' | 'severe');
  return allergy;
}
