// Sig parser: free-text directions ("1 po bid prn pain") → FHIR R4 Dosage steps with a span for every field.
import { allMatches } from '../all-matches.ts';
import type { DrugConcept, Terminology } from '../../terminology/terminology.ts';
import type { TextSpan } from '../rules/extracted-medication.ts';
import { ROUTE_RULES } from '../rules/route-rules.ts';
import { buildDosage, buildEcho } from './sig-dosage.ts';
import type {
  SigDose,
  SigDuration,
  SigField,
  SigFields,
  SigMaxDose,
  SigResult,
  SigTiming,
  SigWarning,
} from './sig-result.ts';
import {
  AFTER_NUMBER_WORDS,
  CANONICAL_WORDS,
  DOSE_UNITS,
  FILLER_WORDS,
  GLUE_PARTS,
  HOUSEHOLD_ML,
  ISMP_RULES,
  LATIN_NUMERALS,
  SPELLING_VOCABULARY,
  WEEKDAYS,
  WHEN_RULES,
} from './sig-rules.ts';

export interface ParseSigOptions {
  terminology?: Terminology;
}

/** Longest sig we read; longer text is cut and reported (a sig is a line, not a document). */
const MAX_SIG_LENGTH = 2000;

interface Token {
  /** Canonical form: lower case, no dots, synonyms mapped (tabs → tablet, twice stays twice). */
  norm: string;
  start: number;
  end: number;
  corrected: boolean;
}

// Numbers (1,000 / 2.5 / .5 / 1/2 / 5/325), words with inner dots (p.o., b.i.d.), and punctuation worth keeping.
const TOKEN =
  /(\d+(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?(?:\/\d+(?:\.\d+)?)?|\.\d+)|([a-zµ]+(?:\.[a-zµ]+)*\.?)|([#\-/(),;:+*=])/giu;
const IS_NUMBER = /^(?:\d+(?:\.\d+)?|\.\d+)$/;
const FRACTION = /^(\d+)\/(\d+)$/;
const DOT = /\./g;
const COMMA = /,/g;

const NUM = String.raw`(\d+(?:\.\d+)?|\.\d+)`;
const B = String.raw`(?<=^| )`;
const E = String.raw`(?= |$)`;
const UNIT_ALT = [...DOSE_UNITS].join('|');
const PERIOD_WORD = String.raw`(?:d|daily|wk|weekly|mo|monthly)`;

// Field patterns on the canonical token string (tokens joined by single spaces). Compiled once.
const QUANTITY = new RegExp(`${B}(?:# ?|disp(?: :)?(?: #)? ?)${NUM}(?: (?:${UNIT_ALT}))?${E}`, 'g');
const REFILLS = new RegExp(`${B}refills(?: :)? ?${NUM}${E}`, 'g');
const MAX_DOSE = new RegExp(
  `${B}(?:(?:max|maximum)(?: daily dose| dose)?(?: of)?|mdd|(?:do )?not to exceed|do not exceed|dne|nte)(?: more than)? ${NUM}(?: (${UNIT_ALT}|doses?))?(?: ?(?:/|per|a|in|each) ?(?:d|24 h|daily))?${E}`,
  'g',
);
const DURATION = new RegExp(`${B}(?:for|x) ?${NUM}(?: more)? ?(d|wk|mo)${E}`, 'g');
const DURATION_BARE = new RegExp(`${B}${NUM} (d|wk|mo)${E}`, 'g');
const PRN = /(?<=^| )(?:prn|as needed|as need|if needed|when needed)(?= |$)/g;
const STRENGTH_BEFORE_FORM = new RegExp(`${B}${NUM} ${NUM} (mg|mcg|g|meq) (tablet|capsule)${E}`, 'g');
const DOSE = new RegExp(`${B}${NUM}(?: ?(?:-|to) ?${NUM})? (${UNIT_ALT})${E}`, 'g');
const STRENGTH = new RegExp(`${B}\\( ${NUM} (mg|mcg|g|meq)(?: total)? \\)${E}`, 'g');
const BARE_DOSE = new RegExp(
  `${B}${NUM}(?: ?(?:-|to) ?${NUM})?(?= (?:po|by|sl|subcut|iv|im|pr|inhaled|bid|tid|qid|qd|qod|qhs|qam|qpm|daily|q|every|prn|once|twice|nightly|at)${E})`,
  'g',
);
const SLIDING_SCALE = /(?<=^| )(?:per|sliding scale)(?= |$)/;
const TIME_OF_DAY = new RegExp(`${B}at ${NUM}(?: : ${NUM})? ?(am|pm)${E}`, 'g');
const OFFSET = new RegExp(`${B}${NUM} min(?= (?:before|after))`, 'g');
const ONCE = /(?<=^| )(?:once|stat|today|now|x ?1 dose|one time only|on d 1)(?= |$)/g;
const WEEKDAY = /(?<=^| )(mondays?|tuesdays?|wednesdays?|thursdays?|fridays?|saturdays?|sundays?)(?= |$)/g;
const AS_DIRECTED = /(?<=^| )as directed(?= |$)/;
const EXCEPT = /(?<=^| )except(?= |$)/;

/** Verbs that name a route by themselves (a "take" does not: tablets are also dissolved, chewed or inserted). */
const VERB_ROUTES: ReadonlyMap<string, string> = new Map([
  ['inhale', 'inhalation'],
  ['apply', 'topical'],
]);

interface TimingRule {
  /** Tokens one of which must be present for the pattern to be tried (skips most regex runs). */
  needs: readonly string[];
  pattern: RegExp;
  build: (m: RegExpMatchArray) => SigTiming | undefined;
}

const num = (s: string | undefined): number => Number(s);
const PERIOD_UNITS: ReadonlyMap<string, 'min' | 'h' | 'd' | 'wk' | 'mo'> = new Map([
  ['min', 'min'],
  ['h', 'h'],
  ['d', 'd'],
  ['daily', 'd'],
  ['wk', 'wk'],
  ['weekly', 'wk'],
  ['mo', 'mo'],
  ['monthly', 'mo'],
]);

/** Frequency phrases; the leftmost, then longest, wins per step. */
const TIMING_RULES: readonly TimingRule[] = [
  {
    needs: ['every', 'q', 'each'],
    // "every 4-6 hours", "q 8 h", "every 3 days", "q 5 min", "every 4 weeks"
    pattern: new RegExp(`${B}(?:every|q|each) ?${NUM}(?: ?(?:-|to) ?${NUM})? ?(min|h|d|wk|mo)${E}`, 'g'),
    build: (m) => {
      const period = num(m[1]);
      const unit = PERIOD_UNITS.get(m[3] ?? '');
      if (!(period > 0) || !unit) return undefined;
      const t: SigTiming = { frequency: 1, period, periodUnit: unit };
      if (m[2] !== undefined && num(m[2]) > period) t.periodMax = num(m[2]);
      return t;
    },
  },
  {
    needs: ['times', 'time', 'x'],
    // "3 times daily", "2 ( 2 ) times a day", "4x daily", "3 times a week"
    pattern: new RegExp(
      `${B}${NUM}(?: \\( ${NUM} \\))? ?(?:times?|x) ?(?:(?:a|per|each|every) )?${PERIOD_WORD}${E}`,
      'g',
    ),
    build: (m) => {
      const unit = PERIOD_UNITS.get(/(\S+)$/.exec(m[0])?.[1] ?? '');
      const n = num(m[1]);
      return unit && n > 0 ? { frequency: n, period: 1, periodUnit: unit } : undefined;
    },
  },
  {
    needs: ['twice', 'bid', 'bd'],
    pattern: new RegExp(`${B}(?:twice (?:(?:a|per|each) )?${PERIOD_WORD}|bid|bd)${E}`, 'g'),
    build: (m) => ({ frequency: 2, period: 1, periodUnit: /wk|weekly/.test(m[0]) ? 'wk' : 'd' }),
  },
  {
    needs: ['tid'],
    pattern: new RegExp(`${B}tid${E}`, 'g'),
    build: () => ({ frequency: 3, period: 1, periodUnit: 'd' }),
  },
  {
    needs: ['qid'],
    pattern: new RegExp(`${B}qid${E}`, 'g'),
    build: () => ({ frequency: 4, period: 1, periodUnit: 'd' }),
  },
  {
    needs: ['qod', 'other', '2nd', 'alternate'],
    pattern: new RegExp(`${B}(?:qod|every other d|every 2nd d|q other d|alternate d)${E}`, 'g'),
    build: () => ({ frequency: 1, period: 2, periodUnit: 'd' }),
  },
  {
    needs: ['once', 'wk', 'weekly', 'qwk', 'q'],
    pattern: new RegExp(
      `${B}(?:once (?:(?:a|per|each) )?(?:wk|weekly)|(?:every|each|per|a) wk|weekly|qwk|q wk)${E}`,
      'g',
    ),
    build: () => ({ frequency: 1, period: 1, periodUnit: 'wk' }),
  },
  {
    needs: ['once', 'mo', 'monthly', 'q'],
    pattern: new RegExp(
      `${B}(?:once (?:(?:a|per|each) )?(?:mo|monthly)|(?:every|each|per|a) mo|monthly|q mo)${E}`,
      'g',
    ),
    build: () => ({ frequency: 1, period: 1, periodUnit: 'mo' }),
  },
  {
    needs: ['once', '1', 'time', 'daily', 'd', 'qd', 'q', 'qday', 'od'],
    pattern: new RegExp(
      `${B}(?:once (?:(?:a|per|each) )?(?:d|daily)|(?:1|one) time (?:(?:a|per) )?(?:d|daily)|daily|every d|each d|a d|per d|qd|q d|qday|od)${E}`,
      'g',
    ),
    build: () => ({ frequency: 1, period: 1, periodUnit: 'd' }),
  },
];

/** Tokens one of which a pattern needs before it is worth running (a cheap set lookup instead of a regex scan). */
const NEEDS: ReadonlyMap<RegExp, readonly string[]> = new Map([
  [QUANTITY, ['#', 'disp']],
  [REFILLS, ['refills']],
  [MAX_DOSE, ['max', 'maximum', 'mdd', 'exceed', 'dne', 'nte']],
  [DURATION, ['for', 'x']],
  [DURATION_BARE, ['d', 'wk', 'mo']],
  [PRN, ['prn', 'needed', 'need']],
  [STRENGTH_BEFORE_FORM, ['mg', 'mcg', 'g', 'meq']],
  [STRENGTH, ['(']],
  [TIME_OF_DAY, ['am', 'pm']],
  [OFFSET, ['min']],
  [ONCE, ['once', 'stat', 'today', 'now', 'x', 'one', 'd']],
  [WEEKDAY, [...WEEKDAYS.keys()]],
  ...WHEN_RULES.map((r) => [r.pattern, r.needs] as [RegExp, readonly string[]]),
]);

const SIG_KEYWORDS: ReadonlySet<string> = new Set([
  'prn',
  'bid',
  'tid',
  'qid',
  'qd',
  'qod',
  'qhs',
  'qam',
  'qpm',
  'hs',
  'daily',
  'weekly',
  'monthly',
  'nightly',
  'every',
  'q',
  'po',
  'sl',
  'subcut',
  'iv',
  'im',
  'pr',
  'inhaled',
  'max',
  'maximum',
  'mdd',
  'not',
  'do',
  'may',
  'disp',
  'refills',
  'then',
  'x',
  'for',
  'once',
  'twice',
  'by',
  'at',
  'with',
  'before',
  'after',
  'in',
  'until',
  'and',
  'take',
  'use',
]);

const KNOWN_WORDS: ReadonlySet<string> = new Set([
  ...CANONICAL_WORDS.keys(),
  ...CANONICAL_WORDS.values(),
  ...FILLER_WORDS,
  ...SPELLING_VOCABULARY,
  ...GLUE_PARTS,
  ...WEEKDAYS.keys(),
  ...SIG_KEYWORDS,
  'needed',
  'other',
  'bedtime',
  'bed',
  'time',
  'night',
  'morning',
  'breakfast',
  'lunch',
  'dinner',
  'supper',
  'meal',
  'meals',
  'exceed',
  'mouth',
  'nebulizer',
  'nebulization',
  'topically',
  'transdermally',
  'rectally',
  'vaginally',
  'sublingual',
  'intramuscularly',
  'intravenously',
  'stat',
  'today',
  'now',
  'increase',
  'week',
  'pain',
  'prn',
  'sliding',
  'scale',
  'day',
  'days',
]);
const SPELLING_BY_LENGTH: ReadonlyMap<number, readonly string[]> = (() => {
  const m = new Map<number, string[]>();
  for (const w of new Set(SPELLING_VOCABULARY)) {
    for (const len of [w.length - 1, w.length, w.length + 1]) {
      const list = m.get(len) ?? [];
      list.push(w);
      m.set(len, list);
    }
  }
  return m;
})();
const GLUE_SET: ReadonlySet<string> = new Set(GLUE_PARTS);

/** PRN reasons stop at punctuation, numbers and sig keywords. */
const REASON_STOP: ReadonlySet<string> = new Set([
  ',',
  ';',
  ':',
  '(',
  ')',
  '#',
  '*',
  '=',
  'max',
  'maximum',
  'mdd',
  'not',
  'do',
  'may',
  'disp',
  'refills',
  'then',
  'x',
  'every',
  'q',
  'po',
  'by',
  'sl',
  'subcut',
  'iv',
  'im',
  'bid',
  'tid',
  'qid',
  'qd',
  'daily',
  'qhs',
  'hs',
  'at',
  'until',
  'up',
  'dne',
  'nte',
  'take',
  'use',
  'with',
  'before',
  'after',
  'once',
  'twice',
  'nightly',
]);

/**
 * Parses one sig. Every field carries the span it was read from; what cannot be read lowers the
 * confidence and sets `notSure` instead of being guessed.
 */
export function parseSig(text: string, options: ParseSigOptions = {}): SigResult {
  const input = text.length > MAX_SIG_LENGTH ? text.slice(0, MAX_SIG_LENGTH) : text;
  const warnings = findWarnings(input);
  if (text.length > MAX_SIG_LENGTH) {
    warnings.push({
      code: 'unparsed-text',
      message: `sig longer than ${MAX_SIG_LENGTH} characters; the rest was not read`,
      span: { start: 0, end: input.length },
    });
  }
  const tokens = tokenize(input);
  const reader = new SigReader(input, tokens, options.terminology);
  return reader.read(warnings);
}

function findWarnings(input: string): SigWarning[] {
  const warnings: SigWarning[] = [];
  for (const rule of ISMP_RULES) {
    rule.pattern.lastIndex = 0;
    for (const m of allMatches(rule.pattern, input)) {
      warnings.push({
        code: rule.code,
        message: rule.message,
        span: { start: m.index, end: m.index + m[0].length },
      });
    }
  }
  return warnings.sort((a, b) => a.span.start - b.span.start);
}

function oneEditApart(a: string, b: string): boolean {
  if (a === b || Math.abs(a.length - b.length) > 1) return false;
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  if (a.length === b.length) {
    if (a.slice(i + 1) === b.slice(i + 1)) return true;
    return a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2);
  }
  return a.length > b.length ? a.slice(i + 1) === b.slice(i) : a.slice(i) === b.slice(i + 1);
}

function correctSpelling(word: string): string | undefined {
  if (word.length < 4 || KNOWN_WORDS.has(word)) return undefined;
  let found: string | undefined;
  for (const candidate of SPELLING_BY_LENGTH.get(word.length) ?? []) {
    if (!oneEditApart(word, candidate)) continue;
    if (found !== undefined && found !== candidate) return undefined; // ambiguous: leave it
    found = candidate;
  }
  return found;
}

/** "tabpo" → tab + po, "bidx" → bid + x; only for words made of two known parts. */
function splitGlued(word: string): [string, string] | undefined {
  if (KNOWN_WORDS.has(word)) return undefined;
  for (let i = 1; i < word.length; i++) {
    const a = word.slice(0, i);
    const b = word.slice(i);
    if (GLUE_SET.has(a) && GLUE_SET.has(b)) return [a, b];
  }
  return undefined;
}

function canonical(word: string): string {
  return CANONICAL_WORDS.get(word) ?? word;
}

/** How one lower-case word reads: canonical form, or a glued pair ("tabpo"), and whether spelling was corrected. */
interface WordReading {
  norm: string;
  corrected: boolean;
  /** The written first part (its length places the cut) and the canonical second part. */
  glued?: [string, string];
}
/** Readings depend on the word alone; sigs repeat the same words, and correction scans the vocabulary. */
const WORD_CACHE = new Map<string, WordReading>();
const WORD_CACHE_LIMIT = 50_000;
function readWord(word: string): WordReading {
  const known = WORD_CACHE.get(word);
  if (known) return known;
  let reading: WordReading;
  const glued = splitGlued(word);
  if (glued)
    reading = { norm: canonical(glued[0]), corrected: false, glued: [glued[0], canonical(glued[1])] };
  else {
    const fixed = correctSpelling(word);
    reading = { norm: canonical(fixed ?? word), corrected: fixed !== undefined };
  }
  if (WORD_CACHE.size >= WORD_CACHE_LIMIT) WORD_CACHE.clear();
  WORD_CACHE.set(word, reading);
  return reading;
}

function tokenize(input: string): Token[] {
  const raw: Token[] = [];
  TOKEN.lastIndex = 0;
  for (const m of allMatches(TOKEN, input)) {
    const start = m.index;
    const end = start + m[0].length;
    if (m[1] !== undefined) {
      let value = m[1].replace(COMMA, '');
      const fraction = FRACTION.exec(value);
      if (fraction) {
        const a = Number(fraction[1]);
        const b = Number(fraction[2]);
        // 1/2, 1/4, 3/4 are amounts; 5/325 is a combination strength and stays as written.
        if (b > 0 && b <= 4 && a < b) value = String(a / b);
      }
      raw.push({ norm: value, start, end, corrected: false });
    } else if (m[2] !== undefined) {
      let end2 = end;
      // A sentence's full stop is not part of a plain word ("pain." → "pain"); abbreviations keep theirs (p.o.).
      if (m[2].endsWith('.') && m[2].indexOf('.') === m[2].length - 1) end2 = end - 1;
      const word = m[2].toLowerCase().replace(DOT, '');
      if (word === '') continue;
      const reading = readWord(word);
      if (reading.glued) {
        const cut = start + reading.glued[0].length;
        raw.push({ norm: reading.norm, start, end: cut, corrected: false });
        raw.push({ norm: reading.glued[1], start: cut, end: end2, corrected: false });
        continue;
      }
      raw.push({ norm: reading.norm, start, end: end2, corrected: reading.corrected });
    } else if (m[3] !== undefined) {
      raw.push({ norm: m[3], start, end, corrected: false });
    }
  }
  return contextualize(raw);
}

/** Meanings that depend on neighbours: "1 T" (tablet), "ii tabs", "one half", "2 (two) times". */
function contextualize(raw: Token[]): Token[] {
  const out: Token[] = [];
  for (let i = 0; i < raw.length; i++) {
    const t = raw[i] as Token;
    const prev = out.at(-1);
    const next = raw[i + 1];
    if (prev && IS_NUMBER.test(prev.norm)) {
      const after = AFTER_NUMBER_WORDS.get(t.norm);
      if (after !== undefined) {
        out.push({ ...t, norm: after });
        continue;
      }
    }
    const latin = LATIN_NUMERALS.get(t.norm);
    if (latin !== undefined && next && DOSE_UNITS.has(canonical(next.norm))) {
      out.push({ ...t, norm: latin });
      continue;
    }
    // "one half", "a half", "one-half" → 0.5
    if (t.norm === '0.5' && prev && (prev.norm === '1' || prev.norm === 'a')) {
      out.pop();
      out.push({ norm: '0.5', start: prev.start, end: t.end, corrected: false });
      continue;
    }
    if (t.norm === '0.5' && prev?.norm === '-' && out.at(-2)?.norm === '1') {
      const first = out.at(-2) as Token;
      out.pop();
      out.pop();
      out.push({ norm: '0.5', start: first.start, end: t.end, corrected: false });
      continue;
    }
    // "half a tablet": the article belongs to the amount.
    if (t.norm === 'a' && prev?.norm === '0.5' && next && DOSE_UNITS.has(canonical(next.norm))) continue;
    out.push(t);
  }
  return out;
}

interface Step {
  /** Token range [from, to). */
  from: number;
  to: number;
  fields: SigFields;
}

/** One parse: the canonical string, which tokens each field claimed, and the fields found. */
class SigReader {
  readonly input: string;
  readonly tokens: Token[];
  readonly terminology: Terminology | undefined;
  readonly claimed: Uint8Array;
  /** Canonical string and, per token, its start offset in it. */
  readonly canon: string;
  readonly tokenAt: Int32Array;
  readonly offsets: number[];
  readonly tokenSet: ReadonlySet<string>;

  constructor(input: string, tokens: Token[], terminology: Terminology | undefined) {
    this.input = input;
    this.tokens = tokens;
    this.terminology = terminology;
    this.claimed = new Uint8Array(tokens.length);
    this.tokenSet = new Set(tokens.map((t) => t.norm));
    this.offsets = [];
    let canon = '';
    for (const t of tokens) {
      if (canon !== '') canon += ' ';
      this.offsets.push(canon.length);
      canon += t.norm;
    }
    this.canon = canon;
    this.tokenAt = new Int32Array(canon.length + 1).fill(-1);
    tokens.forEach((t, i) => {
      const at = this.offsets[i] ?? 0;
      this.tokenAt.fill(i, at, at + t.norm.length);
    });
  }

  read(warnings: SigWarning[]): SigResult {
    const global: SigFields = {};
    const q = this.claimFirst(QUANTITY, 0, this.tokens.length);
    if (q) global.quantity = this.field(Number(q.m[1]), q.from, q.to);
    const r = this.claimFirst(REFILLS, 0, this.tokens.length);
    if (r) global.refills = this.field(Number(r.m[1]), r.from, r.to);
    const max = this.claimFirst(MAX_DOSE, 0, this.tokens.length);
    const prn = this.readPrn();
    if (prn) global.asNeeded = prn;

    const steps = this.splitSteps().map((range) => this.readStep(range.from, range.to));
    const first = steps[0];
    if (max) {
      const unitWord = max.m[2];
      const value: SigMaxDose = { value: Number(max.m[1]), perDays: 1 };
      const unit =
        unitWord === undefined || unitWord.startsWith('dose') ? first?.fields.dose?.value.unit : unitWord;
      if (unit !== undefined) value.unit = unit;
      global.maxDose = this.field(value, max.from, max.to);
    }
    const route = this.readRoute(0, this.tokens.length) ?? this.routeFromVerb();
    if (route) global.route = route;
    const drug = this.readDrug();
    if (drug) global.drug = drug;

    // Steps without a dose or schedule are not steps ("then stop").
    const real = steps.filter((s) => s.fields.dose || s.fields.timing || s.fields.duration);
    const used = real.length > 0 ? real : steps.slice(0, 1);
    if (used.length === 1 && used[0]) {
      const only = used[0];
      // "1 tablet orally once a day 90 days": a bare "N days" after the schedule is the duration.
      if (!only.fields.duration) {
        const bare = this.claimFirst(DURATION_BARE, only.from, only.to);
        if (bare) only.fields.duration = this.durationField(bare);
      }
    }
    const stepFields = used.map((s) => ({ ...s.fields, ...this.sigWide(global, s.fields) }));
    const fields: SigFields = { ...global, ...(stepFields[0] ?? {}) };
    if (used.length > 1) delete fields.duration;

    const confidence = this.score(fields, used.length, warnings);
    const dosage = stepFields.map((f, i) =>
      buildDosage(f, used.length > 1 ? i + 1 : undefined, this.stepText(used[i] as Step)),
    );
    return {
      dosage,
      echo: buildEcho(stepFields, global),
      confidence,
      notSure: confidence < 0.7,
      fields,
      steps: stepFields,
      warnings,
    };
  }

  private sigWide(global: SigFields, step: SigFields): SigFields {
    const out: SigFields = {};
    if (!step.route && global.route) out.route = global.route;
    if (global.asNeeded) out.asNeeded = global.asNeeded;
    if (global.maxDose) out.maxDose = global.maxDose;
    return out;
  }

  private stepText(step: Step): string {
    const first = this.tokens[step.from];
    const last = this.tokens[step.to - 1];
    return first && last ? this.input.slice(first.start, last.end) : this.input.trim();
  }

  /** Splits at "then", and at a comma or "week N:" that opens a new dose after a step with a duration. */
  private splitSteps(): Array<{ from: number; to: number }> {
    const cuts: number[] = [];
    for (let i = 0; i < this.tokens.length; i++) {
      const t = this.tokens[i] as Token;
      if (t.norm === 'then' && !this.claimed[i]) cuts.push(i);
      else if ((t.norm === ',' || t.norm === ';') && this.startsDose(i + 1) && this.hasDurationBefore(i))
        cuts.push(i);
      else if (
        t.norm === 'wk' &&
        i > 0 &&
        IS_NUMBER.test(this.tokens[i + 1]?.norm ?? '') &&
        this.isSentenceStart(i)
      ) {
        cuts.push(i);
      }
    }
    const ranges: Array<{ from: number; to: number }> = [];
    let from = 0;
    for (const cut of cuts) {
      if (cut > from) ranges.push({ from, to: cut });
      from = cut;
    }
    ranges.push({ from, to: this.tokens.length });
    return ranges;
  }

  /** First token of the sig or of a sentence (the previous word ended with a full stop or colon). */
  private isSentenceStart(i: number): boolean {
    const prev = this.tokens[i - 1];
    const here = this.tokens[i];
    if (!prev || !here) return true;
    const between = this.input.slice(prev.end, here.start);
    return /[.:;]/.test(between);
  }

  private startsDose(i: number): boolean {
    const a = this.tokens[i]?.norm ?? '';
    const b = this.tokens[i + 1]?.norm ?? '';
    return IS_NUMBER.test(a) && DOSE_UNITS.has(b);
  }

  private hasDurationBefore(i: number): boolean {
    for (let j = i - 1; j >= 0 && j >= i - 6; j--) {
      const n = this.tokens[j]?.norm;
      if (n === 'd' || n === 'wk') return true;
      if (n === ',' || n === ';') return false;
    }
    return false;
  }

  private readStep(from: number, to: number): Step {
    const fields: SigFields = {};
    const dur = this.claimFirst(DURATION, from, to);
    if (dur) fields.duration = this.durationField(dur);

    const sb = this.claimFirst(STRENGTH_BEFORE_FORM, from, to);
    if (sb) {
      fields.dose = this.field({ value: Number(sb.m[1]), unit: sb.m[4] ?? 'tablet' }, sb.from, sb.to);
      fields.strength = this.field(
        { value: Number(sb.m[2]), unit: sb.m[3] ?? 'mg' },
        sb.from + 1,
        sb.from + 3,
      );
    } else {
      const dose = this.claimFirst(DOSE, from, to);
      if (dose) {
        const after = this.canonFrom(dose.to, Math.min(dose.to + 2, to));
        if (SLIDING_SCALE.test(after)) {
          // "1 unit per 50 mg/dL": a scale, not a dose; leave it to a human.
        } else {
          fields.dose = this.field(doseValue(dose.m[1], dose.m[2], dose.m[3]), dose.from, dose.to);
        }
      } else {
        const bare = this.claimFirst(BARE_DOSE, from, to);
        if (bare) fields.dose = this.field(doseValue(bare.m[1], bare.m[2], undefined), bare.from, bare.to);
      }
      const strength = this.claimFirst(STRENGTH, from, to);
      if (strength) {
        fields.strength = this.field(
          { value: Number(strength.m[1]), unit: strength.m[2] ?? 'mg' },
          strength.from,
          strength.to,
        );
      }
    }
    const timing = this.readTiming(from, to);
    if (timing) fields.timing = timing;
    const route = this.readRoute(from, to);
    if (route) fields.route = route;
    return { from, to, fields };
  }

  private durationField(d: Claim): SigField<SigDuration> {
    const unit = d.m[2] === 'wk' ? 'wk' : d.m[2] === 'mo' ? 'mo' : 'd';
    return this.field({ value: Number(d.m[1]), unit }, d.from, d.to);
  }

  private readTiming(from: number, to: number): SigField<SigTiming> | undefined {
    let best: { claim: Claim; timing: SigTiming } | undefined;
    for (const rule of TIMING_RULES) {
      if (!rule.needs.some((w) => this.tokenSet.has(w))) continue;
      for (const c of this.matches(rule.pattern, from, to)) {
        if (!this.free(c)) continue;
        const timing = rule.build(c.m);
        if (!timing) continue;
        if (!best || c.from < best.claim.from || (c.from === best.claim.from && c.to > best.claim.to)) {
          best = { claim: c, timing };
        }
        break;
      }
    }
    if (best) this.claim(best.claim);
    const spans: Array<[number, number]> = best ? [[best.claim.from, best.claim.to]] : [];
    let timing: SigTiming | undefined = best?.timing;

    const when: string[] = [];
    let whenPerDay = 0;
    for (const rule of WHEN_RULES) {
      for (const c of this.matches(rule.pattern, from, to)) {
        if (!this.free(c)) continue;
        this.claim(c);
        spans.push([c.from, c.to]);
        if (!when.includes(rule.when)) {
          when.push(rule.when);
          whenPerDay = when.length === 1 ? rule.perDay : Math.max(whenPerDay, when.length);
        }
      }
    }
    for (const c of this.matches(OFFSET, from, to)) if (this.free(c)) this.claim(c);
    const times: string[] = [];
    for (const c of this.matches(TIME_OF_DAY, from, to)) {
      if (!this.free(c)) continue;
      let hour = Number(c.m[1]);
      const minute = c.m[2] === undefined ? 0 : Number(c.m[2]);
      if (!(hour >= 1 && hour <= 12 && minute < 60)) continue;
      if (c.m[3] === 'pm' && hour < 12) hour += 12;
      if (c.m[3] === 'am' && hour === 12) hour = 0;
      this.claim(c);
      spans.push([c.from, c.to]);
      times.push(`${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}:00`);
    }
    const days: string[] = [];
    const segment = this.canonFrom(from, to);
    if (!EXCEPT.test(segment)) {
      for (const c of this.matches(WEEKDAY, from, to)) {
        const code = WEEKDAYS.get(c.m[1] ?? '');
        if (code && !days.includes(code) && this.free(c)) {
          this.claim(c);
          spans.push([c.from, c.to]);
          days.push(code);
        }
      }
    }
    if (!timing && when.length > 0) timing = { frequency: whenPerDay, period: 1, periodUnit: 'd' };
    if (!timing && days.length > 0) timing = { frequency: days.length, period: 1, periodUnit: 'wk' };
    if (!timing) {
      const once = this.matches(ONCE, from, to).find((c) => this.free(c));
      if (once) {
        this.claim(once);
        spans.push([once.from, once.to]);
        timing = { count: 1 };
      }
    }
    if (!timing) return undefined;
    if (when.length > 0 && timing.periodUnit === 'd' && timing.period === 1) timing.when = when;
    if (times.length > 0) timing.timeOfDay = times;
    if (days.length > 0 && timing.periodUnit === 'wk') timing.dayOfWeek = days;
    const start = Math.min(...spans.map((s) => s[0]));
    const end = Math.max(...spans.map((s) => s[1]));
    return this.field(timing, start, end);
  }

  private readRoute(from: number, to: number): SigField<string> | undefined {
    const segment = this.canonFrom(from, to);
    const base = this.offsets[from] ?? 0;
    let best: { route: string; at: number; len: number } | undefined;
    for (const rule of ROUTE_RULES) {
      const m = rule.pattern.exec(segment);
      if (m && (!best || m.index < best.at)) best = { route: rule.route, at: m.index, len: m[0].length };
    }
    if (!best) return undefined;
    const a = this.tokenAt[base + best.at] ?? -1;
    const b = this.tokenAt[base + best.at + best.len - 1] ?? -1;
    if (a < 0 || b < 0) return undefined;
    for (let i = a; i <= b; i++) this.claimed[i] = 1;
    return this.field(best.route, a, b + 1);
  }

  /** "Inhale 2 puffs", "Apply to affected area": the verb names the route when nothing else does. */
  private routeFromVerb(): SigField<string> | undefined {
    for (let i = 0; i < this.tokens.length; i++) {
      const route = VERB_ROUTES.get(this.tokens[i]?.norm ?? '');
      if (route !== undefined && !this.claimed[i]) return this.field(route, i, i + 1);
    }
    return undefined;
  }

  private readPrn(): SigField<{ reason?: string; reasonSpan?: TextSpan }> | undefined {
    const c = this.matches(PRN, 0, this.tokens.length).find((x) => this.free(x));
    if (!c) return undefined;
    this.claim(c);
    let i = c.to;
    if (this.tokens[i]?.norm === 'for') i++;
    const reasonFrom = i;
    while (i < this.tokens.length && i - reasonFrom < 6) {
      const t = this.tokens[i] as Token;
      if (this.claimed[i] || REASON_STOP.has(t.norm) || IS_NUMBER.test(t.norm) || t.norm === '.') break;
      if (t.norm === 'for' && IS_NUMBER.test(this.tokens[i + 1]?.norm ?? '')) break;
      i++;
    }
    // A trailing "or"/"and" belongs to nothing.
    while (i > reasonFrom && ['or', 'and', '-', '/'].includes(this.tokens[i - 1]?.norm ?? '')) i--;
    if (i === reasonFrom) return this.field({}, c.from, c.to);
    for (let j = reasonFrom; j < i; j++) this.claimed[j] = 1;
    const first = this.tokens[reasonFrom] as Token;
    const last = this.tokens[i - 1] as Token;
    const reasonSpan = { start: first.start, end: last.end };
    return this.field({ reason: this.input.slice(first.start, last.end), reasonSpan }, c.from, i);
  }

  /** A drug name in the sig ("take amoxicillin 500 mg ..."), when the terminology knows it. */
  private readDrug(): SigField<DrugConcept> | undefined {
    if (!this.terminology) return undefined;
    for (let i = 0; i < this.tokens.length; i++) {
      const t = this.tokens[i] as Token;
      if (this.claimed[i] || t.norm.length < 4 || KNOWN_WORDS.has(t.norm) || !/^[a-z]/.test(t.norm)) continue;
      for (let n = Math.min(4, this.tokens.length - i); n >= 1; n--) {
        const last = this.tokens[i + n - 1] as Token;
        // Words inside a sig are not known to name a drug, so no spelling correction here.
        const concept = this.terminology.lookupDrug(this.input.slice(t.start, last.end), {
          correctSpelling: false,
        });
        if (concept) {
          for (let j = i; j < i + n; j++) this.claimed[j] = 1;
          return this.field(concept, i, i + n);
        }
      }
    }
    return undefined;
  }

  private score(fields: SigFields, stepCount: number, warnings: SigWarning[]): number {
    if (this.tokens.length === 0) return 0;
    let score = 1;
    let unknown = 0;
    for (let i = 0; i < this.tokens.length; i++) {
      const t = this.tokens[i] as Token;
      if (t.corrected) score -= 0.03;
      if (this.claimed[i] || FILLER_WORDS.has(t.norm) || /^[^a-z0-9]+$/.test(t.norm)) continue;
      if (t.norm === 'then' && stepCount > 1) continue;
      unknown++;
      const start = t.start;
      warnings.push({ code: 'unparsed-text', message: 'not understood', span: { start, end: t.end } });
    }
    score -= Math.min(0.6, unknown * 0.12);
    if (!fields.timing && !fields.asNeeded) score -= 0.3;
    if (!fields.dose) score -= 0.15;
    if (AS_DIRECTED.test(this.canon)) score -= 0.4;
    warnings.sort((a, b) => a.span.start - b.span.start);
    return Math.round(Math.max(0, Math.min(1, score)) * 100) / 100;
  }

  // ---- matching helpers: regexes run on the canonical string; matches map back to whole tokens ----

  private canonFrom(from: number, to: number): string {
    if (from >= to) return '';
    const a = this.offsets[from] ?? 0;
    const lastTok = this.tokens[to - 1] as Token;
    const b = (this.offsets[to - 1] ?? 0) + lastTok.norm.length;
    return this.canon.slice(a, b);
  }

  private matches(pattern: RegExp, from: number, to: number): Claim[] {
    const needs = NEEDS.get(pattern);
    if (needs && !needs.some((w) => this.tokenSet.has(w))) return [];
    const segment = this.canonFrom(from, to);
    if (segment === '') return [];
    const base = this.offsets[from] ?? 0;
    const out: Claim[] = [];
    pattern.lastIndex = 0;
    for (const m of allMatches(pattern, segment)) {
      const a = this.tokenAt[base + m.index] ?? -1;
      const b = this.tokenAt[base + m.index + Math.max(0, m[0].length - 1)] ?? -1;
      if (a < 0 || b < 0 || m[0].length === 0) continue;
      out.push({ m, from: a, to: b + 1 });
    }
    return out;
  }

  private claimFirst(pattern: RegExp, from: number, to: number): Claim | undefined {
    const c = this.matches(pattern, from, to).find((x) => this.free(x));
    if (c) this.claim(c);
    return c;
  }

  private free(c: Claim): boolean {
    for (let i = c.from; i < c.to; i++) if (this.claimed[i]) return false;
    return true;
  }

  private claim(c: Claim): void {
    this.claimed.fill(1, c.from, c.to);
  }

  private field<T>(value: T, from: number, to: number): SigField<T> {
    const first = this.tokens[from] as Token;
    const last = this.tokens[to - 1] as Token;
    const span = { start: first.start, end: last.end };
    return { value, span, text: this.input.slice(span.start, span.end) };
  }
}

interface Claim {
  m: RegExpMatchArray;
  from: number;
  to: number;
}

function doseValue(low: string | undefined, high: string | undefined, unit: string | undefined): SigDose {
  let value = Number(low);
  let top = high === undefined ? undefined : Number(high);
  let u = unit;
  const ml = u === undefined ? undefined : HOUSEHOLD_ML.get(u);
  if (ml !== undefined) {
    value *= ml;
    if (top !== undefined) top *= ml;
    u = 'mL';
  }
  const dose: SigDose = { value };
  if (top !== undefined && top > value) dose.high = top;
  if (u !== undefined) dose.unit = u;
  return dose;
}
