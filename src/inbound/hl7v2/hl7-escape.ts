// HL7 v2 delimiters and escape sequences: decode on read, encode when building messages (HL7 v2.5.1 ch. 2.7).
import type { Issue } from '../../kernel/result.ts';
import { warningIssue } from '../../kernel/result.ts';

/** The separators a message declares in MSH-1 and MSH-2. */
export interface Hl7Delimiters {
  field: string;
  component: string;
  repetition: string;
  escape: string;
  subcomponent: string;
  /** HL7 v2.7 ch. 2.5.5.2: optional fifth encoding character. */
  truncation?: string;
}

export const DEFAULT_DELIMITERS: Readonly<Hl7Delimiters> = {
  field: '|',
  component: '^',
  repetition: '~',
  escape: '\\',
  subcomponent: '&',
};

/** MSH-1 followed by MSH-2, as written at the start of an MSH segment. */
export function formatEncodingCharacters(d: Hl7Delimiters): string {
  return d.field + d.component + d.repetition + d.escape + d.subcomponent + (d.truncation ?? '');
}

/** Escapes text so it can be placed in one field, component or sub-component. */
export function encodeHl7Text(value: string, delimiters: Hl7Delimiters = DEFAULT_DELIMITERS): string {
  const { field, component, repetition, escape, subcomponent, truncation } = delimiters;
  let out = '';
  for (let i = 0; i < value.length; i++) {
    const c = value[i] as string;
    if (c === escape) out += escape + 'E' + escape;
    else if (c === field) out += escape + 'F' + escape;
    else if (c === component) out += escape + 'S' + escape;
    else if (c === subcomponent) out += escape + 'T' + escape;
    else if (c === repetition) out += escape + 'R' + escape;
    else if (truncation !== undefined && c === truncation) out += escape + 'P' + escape;
    else if (c === '\r' || c === '\n') {
      // Segments end with CR, so a line break inside text must be written as the formatting command .br
      if (c === '\r' && value[i + 1] === '\n') i++;
      out += escape + '.br' + escape;
    } else out += c;
  }
  return out;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });
const latin1 = new TextDecoder('latin1');

function decodeHex(hex: string): string | undefined {
  if (hex.length === 0 || hex.length % 2 !== 0 || !/^[0-9A-Fa-f]+$/.test(hex)) return undefined;
  const bytes = new Uint8Array(hex.length / 2);
  for (let i = 0; i < bytes.length; i++) bytes[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  try {
    return utf8.decode(bytes);
  } catch {
    // Not UTF-8: the single-byte reading keeps every byte visible.
    return latin1.decode(bytes);
  }
}

/** Reads one escape body (between the escape characters); undefined when it is not a sequence we understand. */
function decodeSequence(body: string, d: Hl7Delimiters): string | undefined {
  switch (body) {
    case 'F':
      return d.field;
    case 'S':
      return d.component;
    case 'T':
      return d.subcomponent;
    case 'R':
      return d.repetition;
    case 'E':
      return d.escape;
    case 'P':
      return d.truncation;
    // ch. 2.7.1: start/end highlighting; plain text has no highlighting.
    case 'H':
    case 'N':
      return '';
    case '.br':
      return '\n';
  }
  const head = body[0];
  if (head === 'X') return decodeHex(body.slice(1));
  if (head === '.') {
    // ch. 2.7.6 formatted text (FT) commands: keep line structure, drop layout hints.
    const command = body.slice(1, 3);
    const arg = body.slice(3).trim();
    const n = arg === '' ? 1 : Number(arg);
    if (!Number.isInteger(n) || Math.abs(n) > 1000) return undefined;
    switch (command) {
      case 'sp':
        return '\n'.repeat(Math.max(1, n));
      case 'sk':
        return ' '.repeat(Math.max(0, n));
      case 'fi':
      case 'nf':
      case 'in':
      case 'ti':
      case 'ce':
        return command === 'ce' ? '\n' : '';
    }
  }
  return undefined;
}

/**
 * Decodes escape sequences. Unknown or malformed sequences are kept literally and reported through `onIssue`
 * with `path`, so that nothing the sender wrote is silently lost.
 */
export function decodeHl7Text(
  value: string,
  delimiters: Hl7Delimiters,
  onIssue?: (issue: Issue) => void,
  path = '',
): string {
  const esc = delimiters.escape;
  let at = value.indexOf(esc);
  if (at === -1) return value;
  let out = '';
  let from = 0;
  while (at !== -1) {
    const end = value.indexOf(esc, at + 1);
    if (end === -1) {
      onIssue?.(
        warningIssue('value', path, 'escape character without a closing escape character; kept as is'),
      );
      break;
    }
    const body = value.slice(at + 1, end);
    const decoded = decodeSequence(body, delimiters);
    out += value.slice(from, at);
    if (decoded === undefined) {
      onIssue?.(
        warningIssue('not-supported', path, `unknown escape sequence ${esc}${body}${esc}; kept as is`),
      );
      out += value.slice(at, end + 1);
    } else {
      out += decoded;
    }
    from = end + 1;
    at = value.indexOf(esc, from);
  }
  return out + value.slice(from);
}
