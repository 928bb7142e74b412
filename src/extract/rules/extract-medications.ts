// Rules-based medication extraction: free text (discharge lists, sigs) → medications with exact spans.
import type { Terminology } from '../../terminology/terminology.ts';
import type {
  ExtractedAmount,
  ExtractedMedication,
  MedicationChange,
  TextSpan,
} from './extracted-medication.ts';
import { findFrequency } from './frequency-rules.ts';
import { findRoute } from './route-rules.ts';

export interface ExtractMedicationsOptions {
  terminology: Terminology;
}

// All patterns are compiled once; extraction runs per note at thousands of notes per second.
const LINE = /[^\r\n]+/g;
/** "1. ", "2) ", "(3) " before a word: a numbered item, at line start or after whitespace. */
const NUMBERED_MARKER = /(?:^|(?<=\s))\(?\d{1,2}[.)](?=\s+[A-Za-z])/g;
const LEADING_JUNK = /^[\s\-–—•*·>]+/;
const TRAILING_JUNK = /[\s.,;:–—-]+$/;
const HAS_DIGIT = /\d/;
const WORD = /[A-Za-z][A-Za-z'/-]*/y;
const AMOUNT =
  /(\d+(?:,\d{3})*(?:\.\d+)?|\.\d+)\s*(mg|mcg|µg|ug|grams?|gm|g|units?|iu|u|ml|cc|meq|%)(?![a-z])/gi;
const COUNT_DOSE =
  /\b(\d+(?:\.\d+)?|one|two|three|four|half|1\/2)\s*(tablets?|tabs?|capsules?|caps?|puffs?|sprays?|drops?|patch(?:es)?)(?![a-z])/i;
const PRN = /\b(?:p\.?r\.?n\.?|as needed|as-needed|if needed)(?![a-z])/i;
const PRN_REASON = /^\s*(?:for\s+)?([a-z][a-z' -]*)/i;
const LEADING_STATUS =
  /^(stop|stopped|discontinue|discontinued|d\/c|hold|held|new|start|started|change|changed|increase|increased|decrease|decreased|continue|continued|resume|resumed)\b(?:\s*(?:taking|using))?[\s:–—-]*/i;
const TRAILING_STATUS =
  /[([–—-]\s*(stop|stopped|discontinue|discontinued|d\/c|hold|held|on hold|new|started|changed|increased|decreased|dose changed|continue|continued|resumed)\s*[)\]]?\s*$/i;
const HEADER_STATUS =
  /\b(stop|stopped|discontinue|discontinued|hold|held|new|start|started|change|changed|continue|continued|resume)\b/i;

/** Status words → status. */
const STATUS_WORDS: ReadonlyMap<string, MedicationChange> = new Map([
  ['stop', 'stopped'],
  ['stopped', 'stopped'],
  ['discontinue', 'stopped'],
  ['discontinued', 'stopped'],
  ['d/c', 'stopped'],
  ['hold', 'held'],
  ['held', 'held'],
  ['on hold', 'held'],
  ['new', 'new'],
  ['start', 'new'],
  ['started', 'new'],
  ['change', 'changed'],
  ['changed', 'changed'],
  ['dose changed', 'changed'],
  ['increase', 'changed'],
  ['increased', 'changed'],
  ['decrease', 'changed'],
  ['decreased', 'changed'],
  ['continue', 'continued'],
  ['continued', 'continued'],
  ['resume', 'continued'],
  ['resumed', 'continued'],
]);

/** Words that begin instructions, never a drug name. */
const NOT_A_NAME: ReadonlySet<string> = new Set([
  'take',
  'then',
  'give',
  'inject',
  'inhale',
  'apply',
  'use',
  'and',
  'or',
  'with',
  'for',
  'as',
  'may',
  'if',
  'instill',
  'place',
  'chew',
  'dissolve',
  'by',
  'via',
  'at',
  'in',
  'on',
  'every',
  'each',
  'once',
  'twice',
  'daily',
  'nightly',
  'weekly',
  'before',
  'after',
  'until',
  'x',
  'qty',
  'refills',
  'dispense',
  'sig',
]);

const UNIT_DISPLAY: ReadonlyMap<string, string> = new Map([
  ['mg', 'mg'],
  ['mcg', 'mcg'],
  ['µg', 'mcg'],
  ['ug', 'mcg'],
  ['g', 'g'],
  ['gm', 'g'],
  ['gram', 'g'],
  ['grams', 'g'],
  ['unit', 'units'],
  ['units', 'units'],
  ['u', 'units'],
  ['iu', 'units'],
  ['ml', 'mL'],
  ['cc', 'mL'],
  ['meq', 'mEq'],
  ['%', '%'],
]);
/** Units that measure a product's strength; the rest (units, mL) are amounts given. */
const STRENGTH_UNITS: ReadonlySet<string> = new Set(['mg', 'mcg', 'g', 'mEq', '%']);

const COUNT_WORDS: ReadonlyMap<string, number> = new Map([
  ['one', 1],
  ['two', 2],
  ['three', 3],
  ['four', 4],
  ['half', 0.5],
  ['1/2', 0.5],
]);
const COUNT_UNITS: ReadonlyMap<string, string> = new Map([
  ['tab', 'tablet'],
  ['tabs', 'tablet'],
  ['tablet', 'tablet'],
  ['tablets', 'tablet'],
  ['cap', 'capsule'],
  ['caps', 'capsule'],
  ['capsule', 'capsule'],
  ['capsules', 'capsule'],
  ['puff', 'puff'],
  ['puffs', 'puff'],
  ['spray', 'spray'],
  ['sprays', 'spray'],
  ['drop', 'drop'],
  ['drops', 'drop'],
  ['patch', 'patch'],
  ['patches', 'patch'],
]);

const MAX_NAME_WORDS = 5;
/** Single words that start the sig part (frequency, route, PRN), so they end a name or a PRN reason. */
const SIG_WORD =
  /^(?:q\d*h?|q\d+hr?s?|qd|qod|qhs|qam|qpm|qday|bid|tid|qid|hs|po|sl|sc|sq|iv|im|pr|prn|subcut|subq|daily|nightly|weekly|orally|oral|inhaled|topical|topically|sublingual|twice|once|every|at|by|with)$/i;

interface Item {
  start: number;
  end: number;
  status: MedicationChange | undefined;
}

/**
 * Finds medications in free text: comma-, semicolon- and newline-separated lists, numbered lists and
 * one-per-line sigs. `METFORMIN 500MG BID, LISINOPRIL 10MG DAILY` gives metformin 500 mg twice daily and
 * lisinopril 10 mg daily, each with the exact span of its text.
 */
export function extractMedications(text: string, options: ExtractMedicationsOptions): ExtractedMedication[] {
  const { terminology } = options;
  const found: ExtractedMedication[] = [];
  for (const item of splitItems(text, terminology)) {
    const medication = parseItem(text, item, terminology);
    if (medication) found.push(medication);
  }
  return found;
}

function splitItems(text: string, terminology: Terminology): Item[] {
  const items: Item[] = [];
  let headerStatus: MedicationChange | undefined;
  for (const line of text.matchAll(LINE)) {
    let start = line.index;
    const lineText = line[0];
    // "Discharge medications:" or "STOP taking these medications:" heads what follows.
    const colon = lineText.indexOf(':');
    if (colon !== -1) {
      const prefix = lineText.slice(0, colon);
      if (!HAS_DIGIT.test(prefix) && !startsMedication(prefix, terminology)) {
        const word = HEADER_STATUS.exec(prefix)?.[1]?.toLowerCase();
        headerStatus = word === undefined ? undefined : STATUS_WORDS.get(word);
        start += colon + 1;
      }
    }
    const end = line.index + lineText.length;
    for (const chunk of splitChunks(text, start, end)) {
      for (const piece of splitCommas(text, chunk[0], chunk[1], terminology)) {
        items.push({ start: piece[0], end: piece[1], status: headerStatus });
      }
    }
  }
  return items;
}

/** Splits a line at semicolons and numbered-list markers. */
function splitChunks(text: string, start: number, end: number): Array<[number, number]> {
  const chunks: Array<[number, number]> = [];
  const segment = text.slice(start, end);
  let from = 0;
  const cut = (at: number, skip: number): void => {
    if (at > from) chunks.push([start + from, start + at]);
    from = at + skip;
  };
  NUMBERED_MARKER.lastIndex = 0;
  const markers = [...segment.matchAll(NUMBERED_MARKER)].map((m) => [m.index, m[0].length] as const);
  let next = 0;
  for (let i = 0; i < segment.length; i++) {
    const marker = markers[next];
    if (marker && marker[0] === i) {
      cut(i, marker[1]);
      next++;
      i += marker[1] - 1;
    } else if (segment[i] === ';') {
      cut(i, 1);
    }
  }
  cut(segment.length, 0);
  return chunks;
}

/** Splits at commas (not inside numbers like 1,000) where the next piece starts a new medication. */
function splitCommas(
  text: string,
  start: number,
  end: number,
  terminology: Terminology,
): Array<[number, number]> {
  const pieces: Array<[number, number]> = [];
  let pieceStart = start;
  for (let i = start; i < end; i++) {
    if (text[i] !== ',') continue;
    if (HAS_DIGIT.test(text[i - 1] ?? '') && HAS_DIGIT.test(text[i + 1] ?? '')) continue;
    const nextEnd = text.indexOf(',', i + 1);
    const next = text.slice(i + 1, nextEnd === -1 || nextEnd > end ? end : nextEnd);
    if (startsMedication(next, terminology)) {
      pieces.push([pieceStart, i]);
      pieceStart = i + 1;
    }
  }
  pieces.push([pieceStart, end]);
  return pieces;
}

/** True when `fragment` opens with a known drug name, or with a name followed by an amount. */
function startsMedication(fragment: string, terminology: Terminology): boolean {
  const words = leadingWords(fragment.replace(LEADING_JUNK, ''), 0);
  if (words.length === 0) return false;
  if (NOT_A_NAME.has(words[0]?.word.toLowerCase() ?? '')) return false;
  if (lookupPrefix(words, terminology)) return true;
  const afterWords = fragment.replace(LEADING_JUNK, '').slice(words.at(-1)?.end ?? 0);
  return /^\s*(?:\d+(?:,\d{3})*(?:\.\d+)?|\.\d+)\s*(?:mg|mcg|g|units?|ml|meq)(?![a-z])/i.test(afterWords);
}

interface NameWord {
  word: string;
  start: number;
  end: number;
}

/** Alphabetic words from `from`, up to the first number, punctuation or instruction word. */
function leadingWords(text: string, from: number): NameWord[] {
  const words: NameWord[] = [];
  let at = from;
  while (words.length < MAX_NAME_WORDS) {
    while (text[at] === ' ' || text[at] === '\t') at++;
    WORD.lastIndex = at;
    const m = WORD.exec(text);
    if (!m) break;
    const after = text[m.index + m[0].length];
    if (after !== undefined && /[0-9]/.test(after)) break; // "500MG" style glued tokens are not names
    const lower = m[0].toLowerCase();
    if (
      words.length > 0 &&
      (NOT_A_NAME.has(lower) || findFrequency(lower) || findRoute(lower) || PRN.test(lower))
    ) {
      break;
    }
    words.push({ word: m[0], start: m.index, end: m.index + m[0].length });
    at = m.index + m[0].length;
  }
  return words;
}

/** The longest leading run of words the terminology knows, with how many words it took. */
function lookupPrefix(words: readonly NameWord[], terminology: Terminology) {
  for (let n = words.length; n >= 1; n--) {
    const first = words[0];
    const last = words[n - 1];
    if (!first || !last) continue;
    const phrase = words
      .slice(0, n)
      .map((w) => w.word)
      .join(' ');
    const concept = terminology.lookupDrug(phrase);
    if (concept) return { concept, count: n };
  }
  return undefined;
}

function parseItem(input: string, item: Item, terminology: Terminology): ExtractedMedication | undefined {
  let start = item.start;
  let end = item.end;
  const raw = input.slice(start, end);
  const lead = LEADING_JUNK.exec(raw)?.[0].length ?? 0;
  const trail = TRAILING_JUNK.exec(raw)?.[0].length ?? 0;
  start += lead;
  end -= trail;
  if (end <= start) return undefined;
  const text = input.slice(start, end);

  let status = item.status;
  let nameFrom = 0;
  const leading = LEADING_STATUS.exec(text);
  if (leading?.[1]) {
    status = STATUS_WORDS.get(leading[1].toLowerCase()) ?? status;
    nameFrom = leading[0].length;
  }
  const trailing = TRAILING_STATUS.exec(text);
  if (trailing?.[1]) status = STATUS_WORDS.get(trailing[1].toLowerCase()) ?? status;
  if (/^take\s/i.test(text.slice(nameFrom))) nameFrom += 5;

  const words = leadingWords(text, nameFrom);
  const firstWord = words[0];
  if (!firstWord || NOT_A_NAME.has(firstWord.word.toLowerCase())) return undefined;
  const match = lookupPrefix(words, terminology);
  const nameWords = match ? words.slice(0, match.count) : words;
  const lastWord = nameWords.at(-1) ?? firstWord;
  const name = text.slice(firstWord.start, lastWord.end);
  const rest = text.slice(lastWord.end);

  const { strength, dose } = readAmounts(rest);
  const frequency = findFrequency(rest)?.frequency;
  const route = findRoute(rest)?.route;
  const prnMatch = PRN.exec(rest);
  const prn = prnMatch !== null;
  const prnReason = prnMatch ? readPrnReason(rest.slice(prnMatch.index + prnMatch[0].length)) : undefined;

  // Without a known drug, keep only what reads like an order: a name with an amount and a schedule or route.
  if (!match && (!(strength || dose) || !(frequency || route || prn))) return undefined;

  const span: TextSpan = { start, end };
  const medication: ExtractedMedication = { text, span, name, prn, confidence: 0 };
  if (match) medication.concept = match.concept;
  if (strength) medication.strength = strength;
  if (dose) medication.dose = dose;
  if (frequency) medication.frequency = frequency;
  if (route) medication.route = route;
  if (prnReason) medication.prnReason = prnReason;
  if (status) medication.status = status;
  medication.confidence = scoreConfidence(medication);
  return medication;
}

function readAmounts(rest: string): { strength?: ExtractedAmount; dose?: ExtractedAmount } {
  let strength: ExtractedAmount | undefined;
  let dose: ExtractedAmount | undefined;
  AMOUNT.lastIndex = 0;
  for (const m of rest.matchAll(AMOUNT)) {
    const unit = UNIT_DISPLAY.get((m[2] ?? '').toLowerCase());
    if (!unit || !m[1]) continue;
    const amount = { value: Number(m[1].replace(/,/g, '')), unit };
    if (STRENGTH_UNITS.has(unit) && !strength) strength = amount;
    else if (!dose) dose = amount;
  }
  const count = COUNT_DOSE.exec(rest);
  if (count?.[1] && count[2]) {
    const value = COUNT_WORDS.get(count[1].toLowerCase()) ?? Number(count[1]);
    const unit = COUNT_UNITS.get(count[2].toLowerCase());
    if (unit && Number.isFinite(value)) dose = { value, unit };
  }
  const result: { strength?: ExtractedAmount; dose?: ExtractedAmount } = {};
  if (strength) result.strength = strength;
  if (dose) result.dose = dose;
  return result;
}

function readPrnReason(after: string): string | undefined {
  const m = PRN_REASON.exec(after);
  if (!m?.[1]) return undefined;
  const words: string[] = [];
  for (const word of m[1].trim().split(/\s+/)) {
    const lower = word.toLowerCase();
    if (SIG_WORD.test(lower) || NOT_A_NAME.has(lower)) break;
    words.push(word);
    if (words.length === 4) break;
  }
  const reason = words.join(' ').replace(/[\s-]+$/, '');
  return reason === '' ? undefined : reason;
}

/** Known drug with amount and schedule ≈ 0.9; an unknown name never scores above 0.4. */
function scoreConfidence(m: ExtractedMedication): number {
  let score = m.concept ? 0.6 : 0.2;
  if (m.strength || m.dose) score += 0.15;
  if (m.frequency || m.prn) score += 0.15;
  if (m.route) score += 0.05;
  if (!m.concept) score = Math.min(score, 0.4);
  return Math.round(Math.min(score, 0.95) * 100) / 100;
}
