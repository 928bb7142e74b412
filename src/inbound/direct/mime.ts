// A small MIME reader (RFC 2045/2046/5322) for Direct messages: headers, nested multiparts, base64 and
// quoted-printable bodies. Bytes are kept as bytes (latin1 round-trip), so attachments come out exactly.
import { Buffer } from 'node:buffer';

export interface MimePart {
  /** Lower-case header names; folded lines unfolded. */
  headers: Record<string, string>;
  /** `type/subtype`, lower case; `text/plain` when absent (RFC 2045 §5.2). */
  contentType: string;
  params: Record<string, string>;
  /** The decoded body (transfer encoding removed); empty for multiparts. */
  body: Buffer;
  /** The part exactly as it was, headers included (S/MIME verification needs it). */
  raw: Buffer;
  parts: MimePart[];
  /** filename from Content-Disposition or name from Content-Type. */
  filename?: string;
}

export interface MimeLimits {
  maxDepth: number;
  maxParts: number;
}

const DEFAULT_LIMITS: MimeLimits = { maxDepth: 8, maxParts: 200 };

/** `type/subtype; a=b; c="d"` -> value and parameters. */
export function parseHeaderValue(value: string): { value: string; params: Record<string, string> } {
  const params: Record<string, string> = {};
  const semi = value.indexOf(';');
  const main = (semi === -1 ? value : value.slice(0, semi)).trim().toLowerCase();
  if (semi !== -1) {
    const re = /;\s*([^=\s;]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^;]*))/g;
    for (const m of value.slice(semi).matchAll(re))
      params[m[1]!.toLowerCase()] = (m[2] ?? m[3] ?? '').replace(/\\(.)/g, '$1').trim();
  }
  return { value: main, params };
}

function decodeQuotedPrintable(text: string): Buffer {
  const bytes: number[] = [];
  const soft = text.replace(/=\r?\n/g, '');
  for (let i = 0; i < soft.length; i++) {
    const c = soft[i]!;
    if (c === '=' && /^[0-9A-Fa-f]{2}$/.test(soft.slice(i + 1, i + 3))) {
      bytes.push(parseInt(soft.slice(i + 1, i + 3), 16));
      i += 2;
    } else bytes.push(soft.charCodeAt(i) & 0xff);
  }
  return Buffer.from(bytes);
}

function splitHeaders(text: string): { head: string; body: string } {
  const m = /\r?\n\r?\n/.exec(text);
  if (!m) return { head: text, body: '' };
  return { head: text.slice(0, m.index), body: text.slice(m.index + m[0].length) };
}

/** Parses a MIME entity (a whole message or one part). Throws only on limits; malformed parts become text. */
export function parseMime(input: Buffer, limits: MimeLimits = DEFAULT_LIMITS): MimePart {
  let count = 0;
  const parse = (text: string, depth: number): MimePart => {
    if (++count > limits.maxParts) throw new Error(`more than ${limits.maxParts} MIME parts`);
    if (depth > limits.maxDepth) throw new Error(`MIME parts nested deeper than ${limits.maxDepth}`);
    const { head, body } = splitHeaders(text);
    const headers: Record<string, string> = {};
    for (const line of head.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
      const colon = line.indexOf(':');
      if (colon <= 0) continue;
      const name = line.slice(0, colon).trim().toLowerCase();
      const value = line.slice(colon + 1).trim();
      headers[name] = headers[name] === undefined ? value : `${headers[name]}, ${value}`;
    }
    const ct = parseHeaderValue(headers['content-type'] ?? 'text/plain');
    const disposition = parseHeaderValue(headers['content-disposition'] ?? '');
    const filename = disposition.params['filename'] ?? ct.params['name'];
    const part: MimePart = {
      headers,
      contentType: ct.value || 'text/plain',
      params: ct.params,
      body: Buffer.alloc(0),
      raw: Buffer.from(text, 'latin1'),
      parts: [],
      ...(filename ? { filename } : {}),
    };
    const boundary = ct.params['boundary'];
    if (ct.value.startsWith('multipart/') && boundary) {
      const delimiter = `--${boundary}`;
      const chunks = body.split(new RegExp(`\\r?\\n?${delimiter.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
      // chunks[0] is the preamble; a chunk starting with "--" is the close delimiter's epilogue.
      for (const chunk of chunks.slice(1)) {
        if (chunk.startsWith('--')) break;
        part.parts.push(parse(chunk.replace(/^[ \t]*\r?\n/, ''), depth + 1));
      }
      return part;
    }
    const encoding = (headers['content-transfer-encoding'] ?? '7bit').toLowerCase();
    if (encoding === 'base64') part.body = Buffer.from(body.replace(/[^A-Za-z0-9+/=]/g, ''), 'base64');
    else if (encoding === 'quoted-printable') part.body = decodeQuotedPrintable(body);
    else part.body = Buffer.from(body, 'latin1');
    return part;
  };
  return parse(input.toString('latin1'), 0);
}

/** Every leaf part, depth first. */
export function leaves(part: MimePart): MimePart[] {
  return part.parts.length === 0 ? [part] : part.parts.flatMap(leaves);
}
