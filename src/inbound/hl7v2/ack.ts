// HL7 v2 acknowledgments: original vs enhanced mode (HL7 v2.5.1 ch. 2.9) and ACK messages with ERR segments.
import type { Issue, IssueCode } from '../../kernel/result.ts';
import type { Hl7Delimiters } from './hl7-escape.ts';
import { DEFAULT_DELIMITERS, encodeHl7Text, formatEncodingCharacters } from './hl7-escape.ts';
import type { Hl7Message } from './hl7-message.ts';
import { parseHl7Path } from './hl7-path.ts';

export type AckCode = 'AA' | 'AE' | 'AR' | 'CA' | 'CE' | 'CR';

/** HL7 table 0155: when an acknowledgment is wanted. */
export type AckCondition = 'AL' | 'NE' | 'ER' | 'SU';

export type AckMode =
  | { mode: 'original' }
  | {
      mode: 'enhanced';
      /** MSH-15: when to send the accept (commit) acknowledgment. */
      accept: AckCondition;
      /** MSH-16: when the application acknowledgment is wanted (sent later by the pipeline, if at all). */
      application: AckCondition;
    };

/** How the receiver's outcome is described: stored, could not be stored (retry), or will never be accepted. */
export type AckOutcome = 'accepted' | 'error' | 'rejected';

function condition(value: string, fallback: AckCondition): AckCondition {
  return value === 'AL' || value === 'NE' || value === 'ER' || value === 'SU' ? value : fallback;
}

/**
 * HL7 v2.5.1 ch. 2.9.2: enhanced mode applies when MSH-15 or MSH-16 is valued; otherwise original mode.
 * A null or unknown MSH-15 in enhanced mode is read as AL: a sender that asked for enhanced mode is better
 * served by a commit acknowledgment it may ignore than by silence it may resend on.
 */
export function ackModeFor(msg: Hl7Message): AckMode {
  const accept = msg.get('MSH-15').trim();
  const application = msg.get('MSH-16').trim();
  if (accept === '' && application === '') return { mode: 'original' };
  return { mode: 'enhanced', accept: condition(accept, 'AL'), application: condition(application, 'AL') };
}

/** The code to send for an outcome: AA/AE/AR in original mode, CA/CE/CR (accept ACK) in enhanced mode. */
export function ackCodeFor(mode: AckMode, outcome: AckOutcome): AckCode {
  const enhanced = mode.mode === 'enhanced';
  switch (outcome) {
    case 'accepted':
      return enhanced ? 'CA' : 'AA';
    case 'error':
      return enhanced ? 'CE' : 'AE';
    case 'rejected':
      return enhanced ? 'CR' : 'AR';
    default:
      return outcome satisfies never;
  }
}

/** HL7 v2.5.1 ch. 2.9.3.1: in enhanced mode MSH-15 decides whether the accept ACK is sent at all. */
export function shouldSendAck(mode: AckMode, outcome: AckOutcome): boolean {
  if (mode.mode === 'original') return true;
  switch (mode.accept) {
    case 'AL':
      return true;
    case 'NE':
      return false;
    case 'ER':
      return outcome !== 'accepted';
    case 'SU':
      return outcome === 'accepted';
    default:
      return mode.accept satisfies never;
  }
}

/** Header fields read from text too broken to parse, so that a reject can still be addressed. */
export interface Hl7HeaderGuess {
  delimiters?: Hl7Delimiters;
  sendingApp?: string;
  sendingFacility?: string;
  receivingApp?: string;
  receivingFacility?: string;
  controlId?: string;
  processingId?: string;
  version?: string;
  trigger?: string;
}

/** Best effort: splits the first line on the character after `MSH`; every value stays raw (already escaped). */
export function guessHl7Header(text: string): Hl7HeaderGuess {
  const start = text.indexOf('MSH');
  if (start === -1 || start > 16) return {};
  const sep = text[start + 3];
  if (sep === undefined || /[\sA-Za-z0-9]/.test(sep)) return {};
  let end = text.length;
  for (const c of ['\r', '\n']) {
    const at = text.indexOf(c, start);
    if (at !== -1 && at < end) end = at;
  }
  // Only as far as MSH-12; nothing after the header is looked at.
  const f = text.slice(start, Math.min(end, start + 2048)).split(sep);
  const safe = (v: string | undefined): string | undefined =>
    v !== undefined && v !== '' && v.length <= 199 && !/[\r\n]/.test(v) ? v : undefined;
  const guess: Hl7HeaderGuess = {};
  const put = <K extends keyof Hl7HeaderGuess>(key: K, value: Hl7HeaderGuess[K] | undefined): void => {
    if (value !== undefined) guess[key] = value;
  };
  // Split pieces are numbered one lower than MSH fields because MSH-1 is the separator itself.
  put('sendingApp', safe(f[2]));
  put('sendingFacility', safe(f[3]));
  put('receivingApp', safe(f[4]));
  put('receivingFacility', safe(f[5]));
  put('controlId', safe(f[9]));
  put('processingId', safe(f[10]));
  put('version', safe(f[11]));
  const enc = f[1] ?? '';
  if (enc.length >= 1) put('trigger', safe(f[8]?.split(enc[0] as string)[1]));
  return guess;
}

export interface AckOptions {
  /** Free text for MSA-3 (before v2.7) and the ERR user message when there are no issues. */
  text?: string;
  issues?: readonly Issue[];
  /** MSH-7 of the ACK. */
  now?: Date;
  /** MSA-2 when `msg` is undefined (the control id of a message that could not be parsed). */
  controlId?: string;
  /** MSH-10 of the ACK itself; generated when absent. */
  ackControlId?: string;
  /** Our application and facility (ACK MSH-3/MSH-4); default: the original MSH-5/MSH-6. */
  receivingApp?: string;
  receivingFacility?: string;
  /** Header read by `guessHl7Header` when `msg` is undefined. */
  guess?: Hl7HeaderGuess;
}

/** HL7 table 0357 (message error condition codes) for each issue code. */
const ERROR_CONDITION: Record<IssueCode, readonly [string, string]> = {
  invalid: ['102', 'Data type error'],
  structure: ['100', 'Segment sequence error'],
  required: ['101', 'Required field missing'],
  value: ['102', 'Data type error'],
  'not-supported': ['200', 'Unsupported message type'],
  'not-found': ['204', 'Unknown key identifier'],
  duplicate: ['205', 'Duplicate key identifier'],
  'too-long': ['102', 'Data type error'],
  security: ['207', 'Application internal error'],
  processing: ['207', 'Application internal error'],
  incomplete: ['101', 'Required field missing'],
  transient: ['207', 'Application internal error'],
  exception: ['207', 'Application internal error'],
  informational: ['0', 'Message accepted'],
};

const SEVERITY = { error: 'E', warning: 'W', information: 'I' } as const;

let ackCounter = 0;

function newAckControlId(now: Date): string {
  ackCounter = (ackCounter + 1) % 1_679_616;
  // At most 20 characters: MSH-10 is ST(20) up to v2.6.
  return `ACK${now.getTime().toString(36)}${ackCounter.toString(36).padStart(4, '0')}`.slice(0, 20);
}

/** HL7 DTM in UTC: YYYYMMDDHHMMSS+0000. */
function formatTimestamp(d: Date): string {
  const p = (n: number, w = 2): string => String(n).padStart(w, '0');
  return (
    `${p(d.getUTCFullYear(), 4)}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}` +
    `${p(d.getUTCHours())}${p(d.getUTCMinutes())}${p(d.getUTCSeconds())}+0000`
  );
}

function atLeast(version: string, major: number, minor: number): boolean {
  const m = /^(\d+)\.(\d+)/.exec(version);
  if (!m) return true;
  const a = Number(m[1]);
  const b = Number(m[2]);
  return a > major || (a === major && b >= minor);
}

function errSegment(issue: Issue, version: string, d: Hl7Delimiters): string {
  const { field: F, component: C, subcomponent: S } = d;
  const [code, text] = ERROR_CONDITION[issue.code];
  const p = parseHl7Path(issue.path);
  if (atLeast(version, 2, 5)) {
    // HL7 v2.5 ch. 2.15.5: ERR-2 location (ERL), ERR-3 error code (table 0357), ERR-4 severity, ERR-8 user message.
    const location = p
      ? [
          p.segment,
          p.segment ? String(p.segmentIndex) : '',
          p.field || '',
          p.repetition || (p.field ? 1 : ''),
          p.component || '',
        ]
          .concat(p.subcomponent ? [String(p.subcomponent)] : [])
          .join(C)
          .replace(new RegExp(`\\${C}+$`), '')
      : '';
    const fields = [
      'ERR',
      '',
      location,
      [code, text, 'HL70357'].join(C),
      SEVERITY[issue.severity],
      '',
      '',
      '',
    ];
    fields.push(encodeHl7Text(issue.message, d));
    return fields.join(F);
  }
  // Before v2.5, ERR-1 (ELD): segment ^ sequence ^ field ^ code&text&table.
  const eld = [p?.segment ?? '', p?.segment ? String(p.segmentIndex) : '', p?.field ? String(p.field) : ''];
  eld.push([code, text, 'HL70357'].join(S));
  return ['ERR', eld.join(C)].join(F);
}

/**
 * Builds an ACK for `msg` (or, when it could not be parsed, from `options.guess`/`options.controlId`):
 * sender and receiver swapped, MSH-9 `ACK^<trigger>^ACK`, the original version, MSA-1 = code, MSA-2 = MSH-10,
 * and one ERR segment per issue. Values copied from the original stay in its encoding, so its delimiters are kept.
 */
export function buildAck(msg: Hl7Message | undefined, code: AckCode, options: AckOptions = {}): string {
  const guess = options.guess ?? {};
  const d = msg?.delimiters ?? guess.delimiters ?? DEFAULT_DELIMITERS;
  const raw = (path: string, fallback: string | undefined): string =>
    msg ? msg.header.rawField(Number(path)) : (fallback ?? '');
  const now = options.now ?? new Date();
  const version = (msg ? msg.version : guess.version) || '2.5.1';
  const trigger = msg ? msg.get('MSH-9.2') : (guess.trigger ?? '');
  const controlId = msg
    ? msg.header.rawField(10)
    : options.controlId !== undefined
      ? encodeHl7Text(options.controlId, d)
      : (guess.controlId ?? '');
  const ourApp =
    options.receivingApp !== undefined
      ? encodeHl7Text(options.receivingApp, d)
      : raw('5', guess.receivingApp);
  const ourFacility =
    options.receivingFacility !== undefined
      ? encodeHl7Text(options.receivingFacility, d)
      : raw('6', guess.receivingFacility);
  const type = trigger === '' ? 'ACK' : ['ACK', encodeHl7Text(trigger, d), 'ACK'].join(d.component);
  const encoding = formatEncodingCharacters(d);
  const msh = [
    `MSH${encoding}${d.field}${ourApp}`,
    ourFacility,
    raw('3', guess.sendingApp),
    raw('4', guess.sendingFacility),
    formatTimestamp(now),
    '',
    type,
    encodeHl7Text(options.ackControlId ?? newAckControlId(now), d),
    raw('11', guess.processingId) || 'P',
    encodeHl7Text(version, d),
  ].join(d.field);
  const msa = ['MSA', code, controlId];
  // MSA-3 was withdrawn in v2.7 in favour of ERR; older receivers still show it.
  if (options.text !== undefined && !atLeast(version, 2, 7)) msa.push(encodeHl7Text(options.text, d));
  const segments = [msh, msa.join(d.field)];
  const issues = options.issues ?? [];
  for (const i of issues) segments.push(errSegment(i, version, d));
  if (issues.length === 0 && options.text !== undefined && code !== 'AA' && code !== 'CA') {
    const severity = 'error';
    const issueCode: IssueCode = code === 'AE' || code === 'CE' ? 'transient' : 'invalid';
    segments.push(errSegment({ severity, code: issueCode, path: '', message: options.text }, version, d));
  }
  return segments.join('\r') + '\r';
}
