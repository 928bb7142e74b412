// Rules-based medication extraction: free text (discharge lists, sigs) → medications with exact spans.
import { allMatches } from '../all-matches.ts';
import type { DrugConcept, Terminology } from '../../terminology/terminology.ts';
import type {
  ExtractedAmount,
  ExtractedMedication,
  MedicationChange,
  TextSpan,
} from './extracted-medication.ts';
import { parseSig } from '../sig/parse-sig.ts';
import {
  AFTER_NAME_STATUS,
  CHANGE_PHRASE,
  DISCHARGE_LIST_HEADER,
  EXCLUDING_AFTER,
  EXCLUDING_TRIGGERS,
  HEADER_ONLY_CUES,
  HOME_GROUP_CUE,
  HOME_LIST_ACTION,
  HOME_LIST_HEADER,
  ITEM_FIELD_LABEL,
  LEADING_CUE,
  LIMITED_COURSE,
  PRESCRIBED_CUE,
  sectionKindOf,
  STATUS_CUES,
  TRIGGER_TERMINATORS,
  WEAK_STATUS_CUES,
} from './document-context.ts';
import type { SectionKind } from './document-context.ts';
import { findDoseForm } from './form-rules.ts';
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
const QUALIFIER = /[A-Za-z]{1,2}\d{1,2}(?![A-Za-z0-9.])/y;
const AMOUNT =
  /(\d+(?:,\d{3})*(?:\.\d+)?|\.\d+)\s*(mg|mcg|µg|ug|grams?|gm|g|units?|unt|iu|u|ml|cc|meq|%)(?:\s*\/\s*(ml|actuat|hr|24\s?hr))?(?![a-z])/gi;
/** "5/325 mg": the strengths of a combination product. */
const COMBO_AMOUNT = /(\d+(?:\.\d+)?)\s*\/\s*(\d+(?:\.\d+)?)\s*(mg|mcg|g)(?![a-z])/i;
/** RxNorm normal form puts a quantity before some names: "24 HR metformin ...", "1 ML epoetin ...". */
const QUANTITY_PREFIX = /^\d+(?:\.\d+)?\s*(?:hr|ml|day)\s+(?=[a-z])/i;
const LEADING_FILLER = /^(?:(?:and|also|then|plus|or|so|(?:together |along )?with)\s+)+/i;
const PIPE_ROW = /\|[^|\n]*\|/;
const SENTENCE_END = /[.;](?=\s+[A-Z(])|;/g;
const COLUMN_STATUS =
  /\s{2,}(stop|stopped|discontinue|discontinued|hold|held|new|start|started|changed?|increased|decreased|continue|continued|resume|resumed|unchanged|no change)\b[^\n]*$/i;
const INNER_STATUS =
  /(?:[([–—*-]|status:)\s*(stop|stopped|discontinue|discontinued|d\/c|hold|held|on hold|new|start|started|change|changed|increase|increased|decrease|decreased|dose changed|continue|continued|resume|resumed|unchanged|no change)\b/i;
/** A table cell that opens with a status: "CHANGED - dose increased", "NEW - take with food", "DOSE INCREASED". */
const CELL_STATUS =
  /^(?:dose\s+)?(stop|stopped|discontinue|discontinued|hold|held|new|start|started|change|changed|increase|increased|decrease|decreased|continue|continued|resume|resumed|unchanged|no change)\b/i;
const STANDALONE_HEADER = /^[\s#*\-–—=]*([A-Za-z][A-Za-z /&'()-]{1,60}?)[\s:*#=-]*$/;
const COUNT_DOSE =
  /\b(\d+(?:\.\d+)?|one|two|three|four|half|1\/2)\s*(tablets?|tabs?|capsules?|caps?|puffs?|sprays?|drops?|patch(?:es)?)(?![a-z])/i;
const PRN = /\b(?:p\.?r\.?n\.?|as needed|as-needed|if needed)(?![a-z])/i;
const PRN_REASON = /^\s*(?:for\s+)?([a-z][a-z' -]*)/i;
const LEADING_STATUS =
  /^(stop|stopped|discontinue|discontinued|d\/c|hold|held|new|start|started|change|changed|increase|increased|decrease|decreased|continue|continued|cont|resume|resumed)\b(?:\s*(?:taking|using))?[\s:–—-]*/i;
const TRAILING_STATUS =
  /[([–—-]\s*(stop|stopped|discontinue|discontinued|d\/c|hold|held|on hold|new|started|changed|increased|decreased|dose changed|continue|continued|resumed|nuevo|nueva|contin[uú]e|suspender|suspenda)\s*[)\]]?\s*$/i;
const HEADER_STATUS =
  /\b(stop|stopped|discontinue|discontinued|d\/c'd|dc'd|hold|held|new|start|started|change|changed|continue|continued|resume)(?![\w'])/i;
/** "..., new." / "This is new." / "continue." closing an item: the status said after the directions. */
const CLOSING_STATUS =
  /[,;.]\s*(?:this is (?:a )?|status:?\s*)?(new|continue|continued|stop|stopped|discontinue|discontinued|hold|held|changed|resume|resumed|unchanged|no change|nuevo|nueva|contin[uú]e|suspender|suspenda)(?:\s+(?:medication|med|medicine))?\s*\.?\s*$/i;
const EXCEPT_CUE = /\b(?:resume|continue|restart|keep taking)\b[^.;]*\bexcept(?:\s+for)?\b/i;
const HOLD_WORD = /\bhold\b/i;
const BLANK_LINE = /\n[ \t]*\r?\n/;
/** "Medication    Dose / Route    Instructions" or "| Medication | How to take | Status |": a table's header row. */
const ALIGNED_TABLE_HEADER =
  /^\s*\|?\s*(?:medications?|meds|drugs?|medication name|drug name)\s*(?:\|\s*[A-Za-z]|\s{2,}[A-Za-z])/i;

/** Status words → status. */
const STATUS_WORDS: ReadonlyMap<string, MedicationChange> = new Map([
  ['stop', 'stopped'],
  ['stopped', 'stopped'],
  ['discontinue', 'stopped'],
  ['discontinued', 'stopped'],
  ['d/c', 'stopped'],
  ["d/c'd", 'stopped'],
  ["dc'd", 'stopped'],
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
  ['cont', 'continued'],
  ['resume', 'continued'],
  ['resumed', 'continued'],
  ['unchanged', 'continued'],
  ['no change', 'continued'],
  ['begin', 'new'],
  ['reduced', 'changed'],
  ['lowered', 'changed'],
  ['keep', 'continued'],
  ['continues', 'continued'],
  ['stops', 'stopped'],
  ['add', 'new'],
  ['added', 'new'],
  ['commenced', 'new'],
  ['initiated', 'new'],
  ['substituted', 'new'],
  ['transition to', 'new'],
  ['transitioned to', 'new'],
  ['switch to', 'new'],
  ['switched to', 'new'],
  ['remain', 'continued'],
  // Bilingual sheets (Spanish status words after the item).
  ['nuevo', 'new'],
  ['nueva', 'new'],
  ['continúe', 'continued'],
  ['continue', 'continued'],
  ['suspender', 'stopped'],
  ['suspenda', 'stopped'],
  ['remains', 'continued'],
]);

/** Words that begin instructions, never a drug name. */
const NOT_A_NAME: ReadonlySet<string> = new Set([
  'not',
  'no',
  'max',
  'maximum',
  'do',
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
  'check',
  'recheck',
  'eat',
  'drink',
  'call',
  'avoid',
  'day',
  'days',
  'week',
  'weeks',
  'please',
  'previously',
  'now',
  'back',
  'her',
  'his',
  'their',
  'she',
  'he',
  'we',
  'i',
  'our',
  'this',
  'that',
  'because',
  'thank',
  'dear',
  'neither',
  // Verbs and relatives end an unknown name: "Allopurinol was reduced to 100 mg daily".
  'was',
  'were',
  'is',
  'are',
  'has',
  'have',
  'had',
  'been',
  'will',
  'should',
  'must',
  'which',
  'who',
  'to',
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
  ['unt', 'units'],
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
  /** Where the item's sentence (or line) begins: context triggers are looked for from here. */
  contextStart: number;
  /** Under a "home medications (prior to admission)" heading: the list a discharge list is compared with. */
  homeList: boolean;
  /** Split from the item before it at a comma or "and" ("continue her albuterol ... and fluticasone ..."). */
  joined: boolean;
  /** Under a heading for the list the patient goes home with ("Discharge medications", "Meds on D/C"). */
  dischargeList: boolean;
  /** "switched from X to Y", "X was replaced with Y": this item is Y (`switchTo`) or X (`switchFrom`). */
  switchTo?: boolean;
  switchFrom?: boolean;
  /** Under a medication heading (a list or table), not in the letter's running prose. */
  inList?: boolean;
}

/** A medication with what the status rules need to know about where it came from. */
interface Found {
  medication: ExtractedMedication;
  item: Item;
  /** A status verb written right before the name ("continue her albuterol"), which "and ..." items share. */
  cue: MedicationChange | undefined;
  /** "Please hold X if ...": X goes on, except when the condition is met. */
  conditionalHold?: boolean;
}

/**
 * Finds medications in free text: comma-, semicolon- and newline-separated lists, numbered lists,
 * simple tables, one-per-line sigs and run-on discharge prose. `METFORMIN 500MG BID, LISINOPRIL 10MG DAILY`
 * gives metformin 500 mg twice daily and lisinopril 10 mg daily, each with the exact span of its text.
 * Sections about the hospital stay, history, allergies and problems are skipped, and mentions after a
 * ConText/NegEx trigger ("was given IV vancomycin", "no aspirin") are not medications.
 */
export function extractMedications(text: string, options: ExtractMedicationsOptions): ExtractedMedication[] {
  const { terminology } = options;
  const found: Found[] = [];
  for (const item of splitItems(text, terminology)) {
    const parsed = parseItem(text, item, terminology);
    if (parsed) found.push(parsed);
  }
  return applyImpliedStatus(text, found);
}

/**
 * Status a pharmacist reads from context when the item does not say it, applied in this order and only to
 * medications without a stated status:
 * 1. coordination — "continue her albuterol ... and fluticasone ...": the second shares the first one's verb;
 * 2. reconciliation — with a "home medications (prior to admission)" list in the document, a discharge
 *    medication also on it is continued (same name, strength, dose and schedule) or changed (anything differs),
 *    one not on it is new; home-list entries repeated in the discharge list are not reported twice;
 * 3. a course with an end ("for 7 days", "x 10 days") is new;
 * 4. when the writer names the home medicines as a group to go on with ("Resume all home medications",
 *    "Keep taking your other medications"), what is listed apart from them is new;
 * 5. on a discharge list ("Discharge medications", "Meds on D/C") with no home list in the document: continued,
 *    marked `statusImplied` with a lower confidence — the reconciliation against the pharmacy profile decides
 *    whether it is new to the pharmacy.
 * Anything else keeps an empty status rather than a guess.
 */
function applyImpliedStatus(text: string, found: Found[]): ExtractedMedication[] {
  for (let i = 1; i < found.length; i++) {
    const cur = found[i];
    const prev = found[i - 1];
    if (!cur || !prev || cur.medication.status || !cur.item.joined) continue;
    if (prev.cue && prev.item.contextStart === cur.item.contextStart) {
      cur.medication.status = prev.cue;
      cur.cue = prev.cue;
    }
  }
  // "Her ramipril 5 mg and atorvastatin 40 mg are unchanged": a verb after the last of a group says it for all.
  for (let i = found.length - 1; i > 0; i--) {
    const cur = found[i];
    const prev = found[i - 1];
    if (!cur || !prev || !cur.medication.status || prev.medication.status || !cur.item.joined) continue;
    if (prev.item.contextStart !== cur.item.contextStart) continue;
    const m = cur.medication;
    const afterName = m.text.slice(m.text.indexOf(m.name) + m.name.length);
    if (m.status && GROUP_VERB.test(afterName)) prev.medication.status = m.status;
  }
  // "X was switched to Y": X stops and Y is new; the same drug on both sides (another salt or release) is a change.
  const switchedAway = new Set<Found>();
  for (let i = 0; i < found.length; i++) {
    const cur = found[i];
    if (!cur?.item.switchTo) continue;
    const prev = found[i - 1];
    if (prev?.item.switchFrom && prev.item.contextStart === cur.item.contextStart) {
      if (drugIdentity(prev.medication) === drugIdentity(cur.medication)) {
        switchedAway.add(prev);
        cur.medication.status = 'changed';
        continue;
      }
      if (prev.medication.status !== 'held') prev.medication.status = 'stopped';
    }
    cur.medication.status = 'new';
  }
  const home = found.filter((f) => f.item.homeList);
  const dropped = new Set<Found>(switchedAway);
  if (home.length > 0) {
    const firstHome = home[0]?.item.start ?? 0;
    for (const f of found) {
      if (f.item.homeList || f.item.start < firstHome) continue;
      const key = drugIdentity(f.medication);
      const before = home.find((h) => !dropped.has(h) && drugIdentity(h.medication) === key);
      if (before) dropped.add(before);
      if (f.medication.status) continue;
      if (before)
        f.medication.status = sameRegimen(before.medication, f.medication) ? 'continued' : 'changed';
      else f.medication.status = 'new';
    }
  }
  // The same drug named again with no status of its own and no other strength, after a mention that has one
  // (a translation line, a reminder in the instructions), is the same medication: reported once, with its status.
  const seen: Found[] = [];
  for (const f of found) {
    if (dropped.has(f) || f.item.homeList) continue;
    const m = f.medication;
    const key = drugIdentity(m);
    // "finish his Z-Pak, azithromycin 250 mg daily": two names for one medication in one sentence.
    const prev = seen.at(-1);
    if (
      prev &&
      prev.item.contextStart === f.item.contextStart &&
      drugIdentity(prev.medication) === key &&
      !prev.medication.strength !== !m.strength
    ) {
      const [keep, drop] = m.strength ? [f, prev] : [prev, f];
      if (!keep.medication.status && drop.medication.status) keep.medication.status = drop.medication.status;
      dropped.add(drop);
      if (drop === prev) seen[seen.length - 1] = keep;
      continue;
    }
    const earlier = seen.find((e) => drugIdentity(e.medication) === key);
    // A translated line repeats the item with the same status in the other language: also the same medication.
    if (
      earlier?.medication.status &&
      (!m.status || m.status === earlier.medication.status) &&
      sameStrength(earlier.medication, m)
    )
      dropped.add(f);
    else seen.push(f);
  }
  // "neurology increased his levetiracetam" in the story, then the same drug on the medication list: the list
  // entry is the medication; the prose mention is reported only through it.
  const listed = new Map<string, Found>();
  for (const f of found) if (f.item.inList && !f.item.homeList) listed.set(drugIdentity(f.medication), f);
  if (listed.size > 0)
    for (const f of found) {
      if (f.item.inList || f.item.homeList || dropped.has(f)) continue;
      const entry = listed.get(drugIdentity(f.medication));
      if (!entry || dropped.has(entry)) continue;
      if (!entry.medication.status && f.medication.status) entry.medication.status = f.medication.status;
      dropped.add(f);
    }
  const homeGroup = HOME_GROUP_CUE.test(text);
  const out: ExtractedMedication[] = [];
  for (const f of found) {
    if (dropped.has(f)) continue;
    const m = f.medication;
    if (!m.status && !f.item.homeList && (LIMITED_COURSE.test(m.text) || homeGroup)) m.status = 'new';
    // The home list itself, when the writer says to resume it and does not repeat an entry: continued.
    if (!m.status && f.item.homeList && homeGroup) m.status = 'continued';
    if (!m.status && f.conditionalHold) m.status = 'continued';
    // 5. on the discharge list, with nothing to compare against: what the patient goes on taking (implied).
    if (!m.status && f.item.dischargeList && home.length === 0) {
      m.status = 'continued';
      m.statusImplied = true;
      m.confidence = Math.round(Math.max(0.1, m.confidence - 0.1) * 100) / 100;
    }
    out.push(m);
  }
  return out;
}

/** The same drug: the same ingredient(s) when coded, else the same written name. */
function drugIdentity(m: ExtractedMedication): string {
  const parts = m.ingredients ?? m.concept?.ingredients;
  if (parts && parts.length > 0)
    return parts
      .map((p) => p.rxcui)
      .sort()
      .join('+');
  return m.name.toLowerCase();
}

/** No strength on one of them, or the same strength. */
function sameStrength(a: ExtractedMedication, b: ExtractedMedication): boolean {
  if (!a.strength || !b.strength) return true;
  return a.strength.value === b.strength.value && a.strength.unit === b.strength.unit;
}

/** Same product and regimen as written: name (salt and release words count), strength, dose and schedule. */
function sameRegimen(a: ExtractedMedication, b: ExtractedMedication): boolean {
  const regimen = (m: ExtractedMedication) =>
    JSON.stringify([m.name.toLowerCase().replace(/\s+/g, ' '), m.strength, m.dose, m.frequency]);
  return regimen(a) === regimen(b);
}

const SKIPPED_SECTIONS: ReadonlySet<SectionKind> = new Set([
  'logistics',
  'avoid',
  'hospital-course',
  'history',
  'allergies',
  'problems',
]);

function statusOfHeader(header: string): MedicationChange | undefined {
  for (const cue of STATUS_CUES) if (cue.pattern.test(header)) return cue.status;
  for (const cue of HEADER_ONLY_CUES) if (cue.pattern.test(header)) return cue.status;
  const word = HEADER_STATUS.exec(header)?.[1]?.toLowerCase();
  return word === undefined ? undefined : STATUS_WORDS.get(word);
}

function splitItems(text: string, terminology: Terminology): Item[] {
  const items: Item[] = [];
  let headerStatus: MedicationChange | undefined;
  let homeList = false;
  let dischargeList = false;
  let section: SectionKind = 'other';
  // "Procedure: right hip replacement.", "Diagnosis: ...": a skipped heading with its text on the same line
  // heads that paragraph only; the letter goes on after the blank line.
  let inlineSkipped = false;
  let previousEnd = 0;
  for (const line of allMatches(LINE, text)) {
    let start = line.index;
    const lineText = line[0];
    const end = line.index + lineText.length;
    if (inlineSkipped && BLANK_LINE.test(text.slice(previousEnd, start))) {
      section = 'other';
      headerStatus = undefined;
    }
    inlineSkipped = false;
    previousEnd = end;
    if (ALIGNED_TABLE_HEADER.test(lineText)) {
      section = 'medications';
      headerStatus = undefined;
      homeList = isHomeListHeader(lineText);
      dischargeList = !homeList;
      continue;
    }
    // A line that is only a title: "DISCHARGE MEDICATIONS", "# Medications", "New Medications", "Continue".
    const standalone = STANDALONE_HEADER.exec(lineText);
    if (
      standalone?.[1] &&
      !startsMedication(standalone[1], terminology) &&
      standalone[1].split(/\s+/).length <= 8
    ) {
      const kind = sectionKindOf(standalone[1]);
      if (kind !== 'other' || lineText.trim().endsWith(':') || /^[^a-z]*$/.test(lineText)) {
        section = kind;
        // Any heading that is not skipped may carry a status: "PAIN PLAN (new - take as directed):".
        headerStatus = SKIPPED_SECTIONS.has(kind) ? undefined : statusOfHeader(standalone[1]);
        homeList = kind === 'medications' && isHomeListHeader(standalone[1]);
        dischargeList = kind === 'medications' && nextDischargeList(standalone[1], dischargeList);
        continue;
      }
    }
    // "Discharge Medications:" or "STOP taking these medications:" heads what follows.
    const colon = lineText.indexOf(':');
    if (colon !== -1) {
      const prefix = lineText.slice(0, colon);
      // A heading that ends its line may be a sentence ("Keep taking your regular medicines the same way:").
      const maxWords = lineText.slice(colon + 1).trim() === '' ? 14 : 8;
      if (section === 'medications' && ITEM_FIELD_LABEL.test(prefix)) continue;
      if (
        (!HAS_DIGIT.test(prefix) || (sectionKindOf(prefix) !== 'other' && !/^\s*\d/.test(prefix))) &&
        !startsMedication(prefix, terminology) &&
        prefix.trim().split(/\s+/).length <= maxWords
      ) {
        const kind = sectionKindOf(prefix);
        if (kind !== 'other') section = kind;
        // "In the ED you received: ketorolac 15 mg IM": a heading that is itself a ConText trigger.
        else if (!/[.;]\s/.test(prefix) && !statusOfHeader(prefix) && isExcluded(prefix))
          section = 'hospital-course';
        else if (SKIPPED_SECTIONS.has(section)) section = 'other';
        headerStatus = statusOfHeader(prefix);
        homeList = isHomeListHeader(prefix);
        if (kind === 'medications') dischargeList = nextDischargeList(prefix, dischargeList);
        start += colon + 1;
        inlineSkipped = SKIPPED_SECTIONS.has(section) && lineText.slice(colon + 1).trim() !== '';
      }
    }
    if (SKIPPED_SECTIONS.has(section)) continue;
    if (PIPE_ROW.test(lineText)) {
      pushTableRow(text, start, end, headerStatus, homeList, items);
      const row = items.at(-1);
      if (row) {
        row.dischargeList = dischargeList;
        row.inList = section === 'medications';
      }
      continue;
    }
    // Sentences that name no drug ("Take 1 tablet daily.", "Status: no change.") continue the one before.
    const sentences: Array<[number, number]> = [];
    for (const sentence of splitSentences(text, start, end)) {
      const body = text.slice(sentence[0], sentence[1]);
      const prev = sentences.at(-1);
      if (prev && !findKnownName(body, 0, terminology) && !isInlineHeader(body, terminology))
        prev[1] = sentence[1];
      else sentences.push([sentence[0], sentence[1]]);
    }
    for (const sentence of sentences) {
      let from = sentence[0];
      if (from !== start) {
        // "... continue all home medications. New medications: oxycodone ..." heads the rest of the line.
        const body = text.slice(from, sentence[1]);
        const colonAt = body.indexOf(':');
        if (colonAt !== -1 && isInlineHeader(body, terminology)) {
          const prefix = body.slice(0, colonAt);
          const kind = sectionKindOf(prefix);
          if (kind !== 'other') section = kind;
          headerStatus = statusOfHeader(prefix);
          homeList = isHomeListHeader(prefix);
          if (kind === 'medications') dischargeList = nextDischargeList(prefix, dischargeList);
          from += colonAt + 1;
          inlineSkipped = SKIPPED_SECTIONS.has(section);
        }
      }
      if (SKIPPED_SECTIONS.has(section)) continue;
      const homeSentence = homeList || HOME_LIST_SENTENCE.test(text.slice(from, sentence[1]));
      for (const chunk of splitChunks(text, from, sentence[1])) {
        let joined = false;
        for (const piece of splitCommas(text, chunk[0], chunk[1], terminology)) {
          const prev = items.at(-1);
          if (piece[2] && prev && joined) prev.switchFrom = true;
          items.push({
            switchTo: piece[2],
            start: piece[0],
            end: piece[1],
            status: headerStatus,
            contextStart: sentence[0],
            homeList: homeSentence,
            joined,
            dischargeList,
            inList: section === 'medications',
          });
          joined = true;
        }
      }
    }
  }
  return items;
}

/** A "PRN:" or "As needed:" sub-heading stays in the list it is part of; another heading says for itself. */
function nextDischargeList(header: string, current: boolean): boolean {
  if (PRN_SUBHEADING.test(header)) return current;
  return DISCHARGE_LIST_HEADER.test(header);
}
const PRN_SUBHEADING = /^[\s\-*#]*(?:prn|as needed|as-needed)(?: (?:medications?|meds|medicines))?\s*$/i;

function isHomeListHeader(header: string): boolean {
  return HOME_LIST_HEADER.test(header) && !HOME_LIST_ACTION.test(header);
}

/** "New medications: ..." inside a line: a short prefix naming a section or a status. */
function isInlineHeader(body: string, terminology: Terminology): boolean {
  const colonAt = body.indexOf(':');
  if (colonAt === -1) return false;
  const prefix = body.slice(0, colonAt);
  if (
    HAS_DIGIT.test(prefix) ||
    prefix.trim().split(/\s+/).length > 5 ||
    startsMedication(prefix, terminology)
  )
    return false;
  return sectionKindOf(prefix) !== 'other' || statusOfHeader(prefix) !== undefined;
}

/** "| Metformin | 1000 mg | PO | BID | Continue |": one item per row; a cell holding only a status word sets it. */
function pushTableRow(
  text: string,
  start: number,
  end: number,
  headerStatus: MedicationChange | undefined,
  homeList: boolean,
  items: Item[],
): void {
  let status = headerStatus;
  for (const cell of text.slice(start, end).split('|')) {
    const word = cell.trim().toLowerCase();
    const opening = CELL_STATUS.exec(word)?.[1];
    const cellStatus = STATUS_WORDS.get(word) ?? (opening ? STATUS_WORDS.get(opening) : undefined);
    if (cellStatus) status = cellStatus;
  }
  let from = start;
  let to = end;
  while (from < to && /[\s|]/.test(text[from] ?? '')) from++;
  while (to > from && /[\s|]/.test(text[to - 1] ?? '')) to--;
  if (to > from)
    items.push({
      start: from,
      end: to,
      status,
      contextStart: from,
      homeList,
      joined: false,
      dischargeList: false,
    });
}

/** Sentences of a line: a full stop or semicolon followed by a capital ends one. */
function splitSentences(text: string, start: number, end: number): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  const segment = text.slice(start, end);
  let from = 0;
  SENTENCE_END.lastIndex = 0;
  for (const m of allMatches(SENTENCE_END, segment)) {
    const cut = m.index + 1;
    if (cut > from) out.push([start + from, start + cut]);
    from = cut;
  }
  if (from < segment.length) out.push([start + from, end]);
  return out;
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
  const markers = [...allMatches(NUMBERED_MARKER, segment)].map((m) => [m.index, m[0].length] as const);
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

/** Splits at commas (not inside numbers like 1,000) and at "and", where the next piece starts a new medication. */
function splitCommas(
  text: string,
  start: number,
  end: number,
  terminology: Terminology,
): Array<[number, number, boolean]> {
  const pieces: Array<[number, number, boolean]> = [];
  let pieceStart = start;
  let switching = false;
  let target = false;
  for (let i = start; i < end; i++) {
    const c = text[i];
    let skip = 0;
    if (c !== ',' && c !== ' ' && c !== '(') continue;
    // The word after a space decides which split can apply; most spaces are followed by none of them.
    const n = c === ',' ? '' : (text[i + 1] ?? '').toLowerCase();
    if (c === ',') {
      if (HAS_DIGIT.test(text[i - 1] ?? '') && HAS_DIGIT.test(text[i + 1] ?? '')) continue;
      skip = 1;
    } else if (n === 'a' && c === ' ' && /^ and /i.test(text.slice(i, i + 5)) && i + 5 <= end) {
      skip = 5;
    } else if (
      (n === 't' || n === 'w' || n === 'b') &&
      c === ' ' &&
      SWITCH_TARGET.test(text.slice(i, i + 6)) &&
      SWITCH_VERB.test(text.slice(pieceStart, i))
    ) {
      // "switched her from omeprazole to lansoprazole", "replaced with linagliptin": the target is its own item.
      skip = SWITCH_TARGET.exec(text.slice(i, i + 6))?.[0].length ?? 1;
      switching = true;
    } else if (n === 'r' && REPLACES.test(text.slice(i, i + 40))) {
      // "torsemide 20 mg daily (replaces home furosemide 40 mg, which is stopped)": the old drug is its own item.
      skip = REPLACES.exec(text.slice(i, i + 40))?.[0].length ?? 1;
    } else continue;
    const nextStart = i + skip;
    const nextEnd = text.indexOf(',', nextStart);
    const next = text.slice(nextStart, nextEnd === -1 || nextEnd > end ? end : nextEnd);
    // "nitrofurantoin, macrocrystals 50 mg": a bare name before the comma is qualified, not ended, unless
    // what follows is a drug the terminology knows.
    const bareBefore = !HAS_DIGIT.test(text.slice(pieceStart, i));
    // "... and his albuterol inhaler": a possessive before the name does not hide it.
    const nextBody = next.replace(LEADING_JUNK, '').replace(LEADING_FILLER, '').replace(POSSESSIVE, '');
    if (
      startsMedication(nextBody, terminology) &&
      (!bareBefore ||
        c !== ',' ||
        lookupPrefix(
          leadingWords(nextBody.replace(LEADING_JUNK, ''), 0),
          terminology,
          nextBody.replace(LEADING_JUNK, ''),
        ))
    ) {
      pieces.push([pieceStart, i, target]);
      target = switching;
      pieceStart = switching ? i + skip : i + 1;
    }
    switching = false;
  }
  pieces.push([pieceStart, end, target]);
  return pieces;
}

/** A change of drug: the piece before names what is given up, the one after " to ", " with ", " by " what replaces it. */
const SWITCH_VERB = /\b(?:switch(?:ed|ing)?|chang(?:e|ed|ing)|convert(?:ed|ing)?|replaced?|substituted?)\b/i;
const REPLACES = /^[ (]replac(?:es|ing)\s+(?:(?:his|her|their|the|home)\s+)*/i;
const SWITCH_TARGET = /^ (?:to|with|by) /i;
const SWITCH_FROM =
  /\b(?:switch|chang|convert)(?:ed|ing|e)?\s+(?:\w+\s+)?from\s+(?:(?:his|her|their|your|the)\s+)?$/i;
const RELATIVE_CLAUSE = /^\s*,\s*(?:which|who|that)\b[^,]*,/i;
/** "On admission he was taking lisinopril 20 mg, ...": the home list written as a sentence. */
const HOME_LIST_SENTENCE =
  /^\W*(?:on|before|prior to) admission,?\s+(?:he|she|they|the patient|mr\.? \w+|mrs\.? \w+|ms\.? \w+)\s+(?:was|were)\s+taking\b/i;
const NOT_RESTARTED =
  /\b(?:did not|have not|has not|not yet)\s+(?:re-?start(?:ed)?|resume[d]?)\s+(?:(?:the|his|her|their|your)\s+)?$/i;
const BRAND_THEN_GENERIC = /^[A-Za-z][\w-]*(?:\s+[\w-]+){0,2}\s*\(\s*([A-Za-z][A-Za-z -]*)/;
const SENTENCE_LEAD_CUE =
  /^\W*(?:we|i|he|she|they)\s+(?:have\s+|has\s+)?(?:also\s+)?(started|added|stopped|discontinued|remains? on|continues? on)\b/i;
const USUAL_BEFORE = /\b(?:his|her|their|your)\s+(?:usual|regular|normal)\s+$/i;
const CONDITIONAL_HOLD =
  /\bhold\b[^.;]*\bif\b|\bhold\s+for\s+(?!\d|one\b|two\b|three\b|a\s+(?:day|week)\b|the\s+next\b)[a-z]/i;
const GROUP_VERB = /\b(?:are|were|have been|both|all|continue)\b/i;
const POSSESSIVE = /^\s*(?:his|her|their|your|the)\s+/i;

/** True when `fragment` opens with a known drug name, or with a name followed by an amount. */
function startsMedication(fragment: string, terminology: Terminology): boolean {
  let body = fragment.replace(LEADING_JUNK, '').replace(LEADING_FILLER, '');
  const cue = LEADING_STATUS.exec(body);
  if (cue) body = body.slice(cue[0].length).replace(/^(?:her|his|your|the)\s+/i, '');
  body = body.replace(/^take\s+/i, '');
  fragment = body;
  const words = leadingWords(body, 0);
  if (words.length === 0) return false;
  if (NOT_A_NAME.has(words[0]?.word.toLowerCase() ?? '')) return false;
  if (lookupPrefix(words, terminology, body)) return true;
  // "Timoptol (timolol 0.25%)": a brand the vocabulary does not know, with its generic name in brackets.
  const generic = BRAND_THEN_GENERIC.exec(body)?.[1];
  if (generic && lookupPrefix(leadingWords(generic, 0), terminology)) return true;
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
    if (after !== undefined && /[0-9]/.test(after)) {
      // "vitamin D3", "vitamin B12": a short letter-digit qualifier after a name word is part of the name;
      // anything else glued to a number ("500MG") is not a name.
      QUALIFIER.lastIndex = m.index;
      const q = words.length > 0 ? QUALIFIER.exec(text) : null;
      if (!q || endsName(q[0].toLowerCase())) break;
      words.push({ word: q[0], start: q.index, end: q.index + q[0].length });
      at = q.index + q[0].length;
      continue;
    }
    if (words.length > 0 && endsName(m[0].toLowerCase())) break;
    words.push({ word: m[0], start: m.index, end: m.index + m[0].length });
    at = m.index + m[0].length;
  }
  return words;
}

/**
 * Words that end a drug name (instruction, frequency, route, PRN words). The answer depends on the word alone,
 * so it is remembered: notes repeat the same few hundred words, and the rule scans are the costly part.
 */
const NAME_END_CACHE = new Map<string, boolean>();
const NAME_END_CACHE_LIMIT = 50_000;
function endsName(lower: string): boolean {
  const known = NAME_END_CACHE.get(lower);
  if (known !== undefined) return known;
  const ends = NOT_A_NAME.has(lower) || !!findFrequency(lower) || !!findRoute(lower) || PRN.test(lower);
  if (NAME_END_CACHE.size >= NAME_END_CACHE_LIMIT) NAME_END_CACHE.clear();
  NAME_END_CACHE.set(lower, ends);
  return ends;
}

/**
 * The longest leading run of words the terminology knows, with how many words it took. A misspelling is
 * corrected only when the words read as a drug mention — a strength follows them ("metfromin 500 mg") — so an
 * ordinary word one edit from a brand name in running text is not taken for a drug.
 */
function lookupPrefix(words: readonly NameWord[], terminology: Terminology, text?: string) {
  for (let n = words.length; n >= 1; n--) {
    const first = words[0];
    const last = words[n - 1];
    if (!first || !last) continue;
    const phrase = words
      .slice(0, n)
      .map((w) => w.word)
      .join(' ');
    const mention = text !== undefined && STRENGTH_AFTER.test(text.slice(last.end, last.end + 24));
    const concept = terminology.lookupDrug(phrase, { correctSpelling: mention });
    if (concept) return { concept, count: n };
  }
  return undefined;
}
/** A strength right after a name: "500 mg", "0.4mg", "10,000 units", "5/325 mg". */
const STRENGTH_AFTER =
  /^\s*(?:\d+(?:,\d{3})*(?:\.\d+)?|\.\d+)(?:\s*\/\s*\d+(?:\.\d+)?)?\s*(?:mg|mcg|µg|g|gm|units?|iu|ml|meq|%)(?![a-z])/i;

/** How far into an item a drug name may start ("At discharge she will take prednisone ..."). */
const MAX_NAME_OFFSET_WORDS = 16;

function parseItem(input: string, item: Item, terminology: Terminology): Found | undefined {
  let start = item.start;
  let end = item.end;
  const raw = input.slice(start, end);
  const lead = LEADING_JUNK.exec(raw)?.[0].length ?? 0;
  const trail = TRAILING_JUNK.exec(raw)?.[0].length ?? 0;
  start += lead;
  end -= trail;
  if (end <= start) return undefined;
  let text = input.slice(start, end);

  let status = item.status;
  let cue: MedicationChange | undefined;
  let nameFrom = LEADING_FILLER.exec(text)?.[0].length ?? 0;
  const leading = LEADING_STATUS.exec(text.slice(nameFrom));
  if (leading?.[1]) {
    cue = STATUS_WORDS.get(leading[1].toLowerCase());
    status = cue ?? status;
    nameFrom += leading[0].length;
  }
  if (/^take\s/i.test(text.slice(nameFrom))) nameFrom += 5;
  const quantity = QUANTITY_PREFIX.exec(text.slice(nameFrom));
  if (quantity) nameFrom += quantity[0].length;

  // The drug name: at the start, or a known name further in ("At discharge she will take prednisone ...").
  let words = leadingWords(text, nameFrom);
  let match = lookupPrefix(words, terminology, text);
  let far = false;
  if (!match) {
    const found = findKnownName(text, nameFrom, terminology);
    if (found) {
      far = true;
      words = found.words;
      match = found.match;
      const before = text.slice(nameFrom, found.at);
      const word = LEADING_CUE.exec(before)?.[1]?.toLowerCase().replace(/d$/, '');
      const cueStatus =
        word === undefined ? undefined : (STATUS_WORDS.get(word) ?? STATUS_WORDS.get(`${word}d`));
      if (cueStatus) {
        status = cueStatus;
        cue = cueStatus;
      } else if (PRESCRIBED_CUE.test(before)) {
        status = 'new';
        cue = 'new';
      } else if (SWITCH_FROM.test(before)) status = 'stopped';
    }
  }
  const firstWord = words[0];
  if (!firstWord || NOT_A_NAME.has(firstWord.word.toLowerCase())) return undefined;
  // ConText: a trigger earlier in the sentence ("was given", "in the hospital", "no") rules the mention out.
  const context = input.slice(item.contextStart, start + firstWord.start);
  // "We did not restart the lisinopril": kept off for now, not a negated mention.
  if (NOT_RESTARTED.test(context)) status = 'held';
  else if (isExcluded(context)) return undefined;
  // "Resume all home medications EXCEPT aspirin and naproxen": the ones named after "except" are not resumed.
  const except = EXCEPT_CUE.exec(context);
  if (except) status = HOLD_WORD.test(input.slice(item.contextStart, item.end)) ? 'held' : 'stopped';
  if (EXCLUDING_AFTER.test(text.slice((match ? words[match.count - 1] : words.at(-1))?.end ?? 0)))
    return undefined;

  const nameWords = match ? words.slice(0, match.count) : words;
  const lastWord = nameWords.at(-1) ?? firstWord;
  // The span starts at the status word or the name, whichever is first, so the evidence reads whole.
  const spanFrom = leading?.[1] && !far ? 0 : firstWord.start;
  start += spanFrom;
  text = input.slice(start, end);
  const nameStart = firstWord.start - spanFrom;
  const nameEnd = lastWord.end - spanFrom;
  const name = text.slice(nameStart, nameEnd);
  const rest = text.slice(nameEnd);

  const trailing = TRAILING_STATUS.exec(text) ?? CLOSING_STATUS.exec(rest);
  if (trailing?.[1]) status = STATUS_WORDS.get(trailing[1].toLowerCase()) ?? status;
  else {
    const column = COLUMN_STATUS.exec(rest) ?? INNER_STATUS.exec(rest);
    const word = column?.[1]?.toLowerCase();
    if (word) status = STATUS_WORDS.get(word) ?? status;
  }
  // ", which was started years ago for his prostate, has been stopped": the relative clause is skipped.
  const after = AFTER_NAME_STATUS.exec(rest.replace(RELATIVE_CLAUSE, ' '))?.[1]?.toLowerCase();
  if (after) status = STATUS_WORDS.get(after) ?? (after === 'started' ? 'new' : status);
  for (const statusCue of STATUS_CUES) if (statusCue.pattern.test(rest)) status = statusCue.status;
  if (status !== 'stopped' && status !== 'held' && CHANGE_PHRASE.test(rest)) status = 'changed';
  if (!status) status = WEAK_STATUS_CUES.find((c) => c.pattern.test(rest))?.status;
  // "Please hold the amlodipine if his systolic BP falls below 110": a condition, not a hold now.
  // "We have also started a preventer inhaler, beclometasone ...", "He remains on Movicol ... and paracetamol ...":
  // the sentence's opening verb covers what it lists, when the drug before it was not read.
  if (!status && item.joined) {
    const opening = SENTENCE_LEAD_CUE.exec(input.slice(item.contextStart, item.start));
    const verb = opening?.[1]?.toLowerCase();
    if (verb)
      status =
        verb.startsWith('remain') || verb.startsWith('continue') ? 'continued' : STATUS_WORDS.get(verb);
  }
  let conditionalHold = false;
  if (status === 'held' && CONDITIONAL_HOLD.test(input.slice(item.contextStart, end))) {
    // "..., hold for loose stools (NEW)": the status written at the end still counts.
    const closing = trailing?.[1] ? STATUS_WORDS.get(trailing[1].toLowerCase()) : undefined;
    status = closing === 'held' ? undefined : closing;
    conditionalHold = true;
  }
  // "together with his usual folic acid": the patient's own medicine, going on.
  if (!status && far && USUAL_BEFORE.test(input.slice(item.start, start))) status = 'continued';

  const { strength, dose, strengths } = readAmounts(rest);
  const frequency = findFrequency(rest)?.frequency;
  const route = findRoute(rest)?.route;
  const prnMatch = PRN.exec(rest);
  const prn = prnMatch !== null;
  const prnReason = prnMatch ? readPrnReason(rest.slice(prnMatch.index + prnMatch[0].length)) : undefined;
  const form = findDoseForm(rest);
  const ingredients = match
    ? normalFormIngredients(match.concept, rest, terminology)
    : comboIngredients(name, terminology);

  // Without a known drug, keep only what reads like an order: a name with an amount and a schedule, route or form.
  if (!match && !ingredients && (!(strength || dose) || !(frequency || route || prn || form)))
    return undefined;

  const span: TextSpan = { start, end };
  const medication: ExtractedMedication = { text, span, name, prn, confidence: 0 };
  if (match) medication.concept = match.concept;
  if (ingredients) medication.ingredients = ingredients;
  else if (match && match.concept.ingredients.length > 1) {
    const parts = match.concept.ingredients
      .map((i) => terminology.get(i.rxcui))
      .filter((c): c is NonNullable<typeof c> => c !== undefined);
    if (parts.length > 1) medication.ingredients = parts;
  }
  if (strength) medication.strength = strength;
  if (strengths.length > 0) medication.strengths = strengths;
  if (dose) medication.dose = dose;
  if (frequency) medication.frequency = frequency;
  if (route) medication.route = route;
  if (prnReason) medication.prnReason = prnReason;
  if (status) medication.status = status;
  if (form) medication.form = form;
  const directions = rest.trim();
  if (directions !== '') {
    const sig = parseSig(directions);
    if (sig.fields.timing || sig.fields.dose || sig.fields.asNeeded) {
      medication.dosage = sig.dosage;
      medication.sig = { echo: sig.echo, confidence: sig.confidence, notSure: sig.notSure };
    }
  }
  medication.confidence = scoreConfidence(medication);
  return { medication, item, cue, conditionalHold };
}

function isExcluded(context: string): boolean {
  let scope = context;
  // NegEx termination: only what follows the last terminator is in scope.
  for (const m of allMatches(TERMINATORS_GLOBAL, context)) scope = context.slice(m.index + m[0].length);
  return EXCLUDING_TRIGGERS.test(scope);
}
const TERMINATORS_GLOBAL = new RegExp(TRIGGER_TERMINATORS.source, 'gi');

/** The first known drug name within the first words of an item, with where it starts. */
function findKnownName(text: string, from: number, terminology: Terminology) {
  let at = from;
  for (let n = 0; n < MAX_NAME_OFFSET_WORDS; n++) {
    WORD_ANY.lastIndex = at;
    const m = WORD_ANY.exec(text);
    if (!m) return undefined;
    const words = leadingWords(text, m.index);
    const match = lookupPrefix(words, terminology, text);
    if (match && !NOT_A_NAME.has(m[0].toLowerCase())) return { at: m.index, words, match };
    at = m.index + m[0].length;
  }
  return undefined;
}
const WORD_ANY = /[A-Za-z][A-Za-z'/-]*/g;

/** RxNorm normal form separates components with " / ": "insulin isophane, human 70 unt/ml / insulin, regular, human 30 unt/ml". */
const NORMAL_FORM_PART = /\d\s*[A-Za-z]*(?:\/[A-Za-z]+)?\s+\/\s+([A-Za-z][A-Za-z ,'-]*?)\s+\d/g;

function normalFormIngredients(first: DrugConcept, rest: string, terminology: Terminology) {
  const parts = [first];
  NORMAL_FORM_PART.lastIndex = 0;
  for (const m of allMatches(NORMAL_FORM_PART, rest)) {
    const concept = m[1] ? terminology.lookupDrug(m[1]) : undefined;
    if (!concept) return undefined;
    parts.push(concept);
  }
  return parts.length > 1 ? parts : undefined;
}

/** "hydrocodone/acetaminophen": each part looked up when the whole is not a known product. */
function comboIngredients(name: string, terminology: Terminology) {
  if (!name.includes('/')) return undefined;
  const parts = name.split('/').map((p) => terminology.lookupDrug(p.trim()));
  if (parts.length < 2 || parts.some((p) => p === undefined)) return undefined;
  return parts as NonNullable<(typeof parts)[number]>[];
}

function readAmounts(rest: string): {
  strength?: ExtractedAmount;
  dose?: ExtractedAmount;
  strengths: ExtractedAmount[];
} {
  let strength: ExtractedAmount | undefined;
  let dose: ExtractedAmount | undefined;
  const strengths: ExtractedAmount[] = [];
  const combo = COMBO_AMOUNT.exec(rest);
  if (combo?.[1] && combo[2] && combo[3]) {
    const unit = UNIT_DISPLAY.get(combo[3].toLowerCase()) ?? combo[3];
    strengths.push({ value: Number(combo[1]), unit }, { value: Number(combo[2]), unit });
    strength = strengths[0];
  }
  AMOUNT.lastIndex = 0;
  for (const m of allMatches(AMOUNT, rest)) {
    const base = UNIT_DISPLAY.get((m[2] ?? '').toLowerCase());
    if (!base || !m[1]) continue;
    if (combo && m.index >= combo.index && m.index < combo.index + combo[0].length) continue;
    const per = m[3] ? `/${PER_UNIT.get(m[3].toLowerCase().replace(/\s/g, '')) ?? m[3]}` : '';
    const amount = { value: Number(m[1].replace(/,/g, '')), unit: base + per };
    if (per !== '' || STRENGTH_UNITS.has(base)) {
      strengths.push(amount);
      if (!strength) strength = amount;
    } else if (!dose) dose = amount;
  }
  const count = COUNT_DOSE.exec(rest);
  if (count?.[1] && count[2]) {
    const value = COUNT_WORDS.get(count[1].toLowerCase()) ?? Number(count[1]);
    const unit = COUNT_UNITS.get(count[2].toLowerCase());
    if (unit && Number.isFinite(value)) dose = { value, unit };
  }
  const result: { strength?: ExtractedAmount; dose?: ExtractedAmount; strengths: ExtractedAmount[] } = {
    strengths,
  };
  if (strength) result.strength = strength;
  if (dose) result.dose = dose;
  return result;
}

const PER_UNIT: ReadonlyMap<string, string> = new Map([
  ['ml', 'mL'],
  ['actuat', 'actuat'],
  ['hr', 'h'],
  ['24hr', '24h'],
]);

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
