// HL7 v2 parser: reads the delimiters from MSH, splits segments, reports every structural problem as an issue.
import type { Issue, Result } from '../../kernel/result.ts';
import { errorIssue, fail, ok, warningIssue } from '../../kernel/result.ts';
import type { Hl7Delimiters } from './hl7-escape.ts';
import { formatEncodingCharacters } from './hl7-escape.ts';
import { Hl7IssueCollector, Hl7Message, Hl7Segment } from './hl7-message.ts';

function isAlphanumeric(code: number): boolean {
  return (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122);
}

/** Characters that can never be a delimiter: letters, digits, white space and line ends. */
function unusableDelimiter(c: string): boolean {
  const code = c.charCodeAt(0);
  return isAlphanumeric(code) || code <= 32 || code === 127;
}

/** HL7 v2.5.1 ch. 2.5.2: a segment id is three characters, upper-case letters or digits, starting with a letter. */
function isSegmentName(raw: string, field: string): boolean {
  if (raw.length > 3 && raw[3] !== field) return false;
  if (raw.length < 3) return false;
  const a = raw.charCodeAt(0);
  const b = raw.charCodeAt(1);
  const c = raw.charCodeAt(2);
  return (
    a >= 65 &&
    a <= 90 &&
    ((b >= 65 && b <= 90) || (b >= 48 && b <= 57)) &&
    ((c >= 65 && c <= 90) || (c >= 48 && c <= 57))
  );
}

/** Reads MSH-1 and MSH-2 (ch. 2.14.9.1, 2.14.9.2); the fifth (truncation) character exists from v2.7. */
function readDelimiters(text: string, issues: Issue[]): Hl7Delimiters | undefined {
  const field = text[3];
  if (field === undefined || unusableDelimiter(field)) {
    issues.push(
      errorIssue(
        'structure',
        'MSH-1',
        'the field separator must follow "MSH" and cannot be a letter, digit or space',
      ),
    );
    return undefined;
  }
  let end = 4;
  while (end < text.length) {
    const c = text.charCodeAt(end);
    if (text[end] === field || c === 13 || c === 10) break;
    end++;
  }
  let chars = text.slice(4, end);
  // Some senders double the escape character (`^~\\&`), a quoting slip; read it as one and say so.
  let collapsed = chars;
  for (let i = 1; i < collapsed.length; i++) {
    if (collapsed[i] === collapsed[i - 1]) collapsed = collapsed.slice(0, i) + collapsed.slice(i-- + 1);
  }
  if (collapsed !== chars) {
    issues.push(
      warningIssue('value', 'MSH-2', 'encoding characters repeat a character; the repeat was ignored'),
    );
    chars = collapsed;
  }
  if (chars.length < 4) {
    issues.push(
      errorIssue(
        'structure',
        'MSH-2',
        'encoding characters must declare component, repetition, escape and sub-component separators',
      ),
    );
    return undefined;
  }
  if (chars.length > 5) {
    issues.push(errorIssue('structure', 'MSH-2', 'encoding characters are longer than 5 characters'));
    return undefined;
  }
  const all = field + chars;
  for (let i = 0; i < all.length; i++) {
    const c = all[i] as string;
    if (unusableDelimiter(c) || all.indexOf(c) !== i) {
      issues.push(
        errorIssue(
          'structure',
          'MSH-2',
          'delimiters must be distinct and cannot be letters, digits or spaces',
        ),
      );
      return undefined;
    }
  }
  const d: Hl7Delimiters = {
    field,
    component: chars[0] as string,
    repetition: chars[1] as string,
    escape: chars[2] as string,
    subcomponent: chars[3] as string,
  };
  if (chars.length === 5) d.truncation = chars[4] as string;
  return d;
}

let lastPrefix = '';
let lastDelimiters: Readonly<Hl7Delimiters> | undefined;

/**
 * Parses one HL7 v2 message. Never throws for bad input: an empty text, a missing MSH or unusable delimiters
 * fail with issues; odd segments and a missing control id or version are warnings on a successful result.
 */
export function parseHl7(text: string): Result<Hl7Message> {
  if (typeof text !== 'string' || text.length === 0) {
    return fail([errorIssue('required', '', 'the message is empty')]);
  }
  let start = 0;
  // A UTF-8 byte order mark and blank lines before MSH are common in files and harmless.
  while (start < text.length) {
    const c = text.charCodeAt(start);
    if (c === 0xfeff || c === 13 || c === 10 || c === 32 || c === 9) start++;
    else break;
  }
  if (start === text.length) return fail([errorIssue('required', '', 'the message is empty')]);
  if (start > 0) text = text.slice(start);
  if (!text.startsWith('MSH')) {
    const head = text.slice(0, 3);
    if (head === 'FHS' || head === 'BHS') {
      return fail([
        errorIssue('not-supported', head, 'batch files (FHS/BHS) must be split into messages first'),
      ]);
    }
    return fail([errorIssue('structure', 'MSH', 'the message must start with an MSH segment')]);
  }
  const issues: Issue[] = [];
  // Feeds repeat one header prefix; reuse its (frozen) delimiters instead of validating them again.
  let d = lastDelimiters !== undefined && text.startsWith(lastPrefix) ? lastDelimiters : undefined;
  if (!d) {
    d = readDelimiters(text, issues);
    if (!d) return fail(issues);
    const prefixLength = 3 + formatEncodingCharacters(d).length;
    if (issues.length === 0 && text[prefixLength] === d.field) {
      lastPrefix = text.slice(0, prefixLength + 1);
      lastDelimiters = Object.freeze(d);
    }
  }

  // Segments end with CR (ch. 2.5.2); LF and CRLF are tolerated on input.
  const lines = text.indexOf('\n') === -1 ? text.split('\r') : text.split(/\r\n|\n|\r/);
  const collector = new Hl7IssueCollector(issues);
  const segments: Hl7Segment[] = [];
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i] as string;
    if (raw.length === 0) continue;
    if (isSegmentName(raw, d.field)) {
      segments.push(new Hl7Segment(raw.slice(0, 3), raw, d, collector));
      continue;
    }
    if (raw.trim() === '') continue;
    const cut = raw.indexOf(d.field);
    const name = cut === -1 ? raw : raw.slice(0, cut);
    issues.push(
      warningIssue(
        'structure',
        `segment ${i + 1}`,
        'segment id must be three upper-case letters or digits followed by the field separator; kept as is',
      ),
    );
    segments.push(new Hl7Segment(name.length > 8 ? name.slice(0, 8) : name, raw, d, collector));
  }

  const message = new Hl7Message(segments, d, collector);
  const h = message.header;
  const version = message.version;
  if (message.controlId === '')
    issues.push(warningIssue('required', 'MSH-10', 'message control id is empty'));
  if (h.read(9, 1, 1, 0) === '') issues.push(warningIssue('required', 'MSH-9', 'message type is empty'));
  if (version === '') issues.push(warningIssue('required', 'MSH-12', 'version id is empty'));
  else if (!version.startsWith('2.')) {
    issues.push(warningIssue('value', 'MSH-12', 'version id is not an HL7 v2 version; read as v2 anyway'));
  }
  if (d.truncation !== undefined && /^2\.[0-6](\D|$)/.test(version)) {
    issues.push(warningIssue('value', 'MSH-2', 'a truncation character is defined only from v2.7'));
  }
  return ok(message, issues);
}
