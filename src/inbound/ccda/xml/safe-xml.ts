// A safe XML reader for clinical documents: no DTD, no external entities, no entity expansion, bounded size,
// depth, attribute length and element count. Its own tokenizer (one pass, indexOf-driven) builds a small element
// tree; there is no resolver of any kind, so nothing outside the text can ever be fetched.
import type { Issue, Result } from '../../../kernel/result.ts';
import { errorIssue, fail, ok, warningIssue } from '../../../kernel/result.ts';
import { XmlElement } from './xml-element.ts';

export interface XmlLimits {
  /** Largest document accepted, in UTF-16 code units (≈ bytes for ASCII documents). */
  maxChars: number;
  /** Deepest element nesting. */
  maxDepth: number;
  /** Longest attribute value. */
  maxAttributeChars: number;
  /** Most attributes on one element. */
  maxAttributes: number;
  /** Most elements in one document. */
  maxElements: number;
}

export const DEFAULT_XML_LIMITS: XmlLimits = {
  maxChars: 32 * 1024 * 1024,
  maxDepth: 128,
  maxAttributeChars: 64 * 1024,
  maxAttributes: 64,
  maxElements: 1_000_000,
};

const V3 = 'urn:hl7-org:v3';
const XML_NS = 'http://www.w3.org/XML/1998/namespace';

/** Namespace URIs whose names keep a short prefix; the HL7 v3 namespace is the default and has none. */
const KNOWN_PREFIXES: Record<string, string> = {
  [V3]: '',
  'urn:hl7-org:sdtc': 'sdtc:',
  'http://www.w3.org/2001/XMLSchema-instance': 'xsi:',
  [XML_NS]: 'xml:',
};

/** Prefixes published examples use without declaring them, read as their usual namespaces. */
const FALLBACK_NAMESPACES: Record<string, string> = {
  '': V3,
  xsi: 'http://www.w3.org/2001/XMLSchema-instance',
  sdtc: 'urn:hl7-org:sdtc',
  cda: V3,
  v3: V3,
  hl7: V3,
};

class Refusal extends Error {
  readonly code: 'security' | 'structure' | 'too-long';
  readonly at: number;
  constructor(code: 'security' | 'structure' | 'too-long', at: number, message: string) {
    super(message);
    this.code = code;
    this.at = at;
  }
}

function lineColumn(text: string, at: number): string {
  let line = 1;
  let last = -1;
  for (let i = text.indexOf('\n'); i !== -1 && i < at; i = text.indexOf('\n', i + 1)) {
    line++;
    last = i;
  }
  return `line ${line} column ${at - last}`;
}

const PREDEFINED: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

/** Replaces the five predefined entities and character references; any other entity is refused. */
function decode(raw: string, at: number): string {
  if (raw.indexOf('&') === -1) return raw;
  return raw.replace(/&([^;&\s]{0,32});?/g, (whole, name: string) => {
    if (!whole.endsWith(';')) throw new Refusal('structure', at, 'a bare "&" must be written &amp;');
    const p = PREDEFINED[name];
    if (p !== undefined) return p;
    const num = /^#(?:x([0-9a-fA-F]{1,6})|([0-9]{1,7}))$/.exec(name);
    if (num) {
      const cp = num[1] !== undefined ? parseInt(num[1], 16) : Number(num[2]);
      if (cp === 0 || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
        throw new Refusal('structure', at, `character reference &${name}; is not a valid character`);
      return String.fromCodePoint(cp);
    }
    throw new Refusal(
      'security',
      at,
      `entity reference &${name}; is not accepted: only the five XML entities and character references are (no entity expansion)`,
    );
  });
}

/**
 * Parses an XML document into an element tree. Every refusal is one `error` issue saying what and where (line and
 * column). A DOCTYPE, ENTITY or other markup declaration is refused before anything is read.
 */
export function parseSafeXml(text: string, limits: XmlLimits = DEFAULT_XML_LIMITS): Result<XmlElement> {
  if (text.length > limits.maxChars) {
    return fail([
      errorIssue('too-long', '/', `document is ${text.length} characters; the limit is ${limits.maxChars}`),
    ]);
  }
  const unbound = new Set<string>();
  try {
    const root = tokenize(text, limits, unbound);
    const warnings: Issue[] = [...unbound].map((p) =>
      warningIssue(
        'structure',
        '/',
        p === ''
          ? 'no default namespace is declared; elements read as HL7 v3 (urn:hl7-org:v3)'
          : `namespace prefix "${p}" is used but never declared; read as ${FALLBACK_NAMESPACES[p] ?? 'an unknown namespace'}`,
      ),
    );
    return ok(root, warnings);
  } catch (error) {
    if (error instanceof Refusal) {
      const message = error.code === 'structure' ? `not well-formed XML: ${error.message}` : error.message;
      return fail([errorIssue(error.code, lineColumn(text, error.at), message)]);
    }
    throw error;
  }
}

/** Name characters: ASCII letters, digits, `_ - . :`, and everything from U+00B7 up (XML 1.0 §2.3, loosely). */
const NAME_CHAR = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  const ch = String.fromCharCode(c);
  if (/[A-Za-z0-9_.:-]/.test(ch)) NAME_CHAR[c] = /[A-Za-z_]/.test(ch) ? 2 : 1;
}
/** 0 = not a name character, 1 = name character, 2 = may also start a name. */
function nameChar(c: number): number {
  return c < 128 ? NAME_CHAR[c]! : c >= 0xc0 ? 2 : c === 0xb7 ? 1 : 0;
}
function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}

/** Elements whose whitespace is content (narrative, free text, names); elsewhere indentation is dropped. */
const TEXT_BEARING = new Set([
  'text',
  'originalText',
  'title',
  'name',
  'paragraph',
  'content',
  'td',
  'th',
  'item',
  'caption',
]);

/** The namespace declarations in scope, with the qualified names already worked out under them. */
class NsContext {
  readonly prefixes: Readonly<Record<string, string>>;
  /** Prefixed names (`sdtc:raceCode`, `xsi:type`) as the tree spells them; the same for elements and attributes. */
  readonly names = new Map<string, string>();
  /** What unprefixed element names get in front (`''` under the HL7 v3 default namespace). */
  defaultPrefix: string | undefined;
  constructor(prefixes: Readonly<Record<string, string>>) {
    this.prefixes = prefixes;
  }
}

function tokenize(s: string, limits: XmlLimits, unbound: Set<string>): XmlElement {
  const stack: XmlElement[] = [];
  const rawNames: string[] = [];
  const contexts: NsContext[] = [new NsContext({ xml: XML_NS })];
  let root: XmlElement | undefined;
  let elements = 0;
  /** Open text-bearing elements (see TEXT_BEARING): whitespace inside them is kept. */
  let textDepth = 0;
  let pos = s.charCodeAt(0) === 0xfeff ? 1 : 0;
  const n = s.length;

  const resolve = (ctx: NsContext, prefix: string, at: number): string => {
    const uri = ctx.prefixes[prefix];
    if (uri !== undefined) return uri;
    const fallback = FALLBACK_NAMESPACES[prefix];
    if (fallback === undefined)
      throw new Refusal('structure', at, `namespace prefix "${prefix}" is not declared`);
    unbound.add(prefix);
    return fallback;
  };
  /** Element (isAttribute false) or attribute name as the tree spells it; prefixed names cached per context. */
  const qualify = (ctx: NsContext, raw: string, at: number, isAttribute: boolean): string => {
    const colon = raw.indexOf(':');
    if (colon === -1) {
      if (isAttribute) return raw;
      ctx.defaultPrefix ??= KNOWN_PREFIXES[resolve(ctx, '', at)] ?? '';
      return ctx.defaultPrefix === '' ? raw : ctx.defaultPrefix + raw;
    }
    const cached = ctx.names.get(raw);
    if (cached !== undefined) return cached;
    const known = KNOWN_PREFIXES[resolve(ctx, raw.slice(0, colon), at)];
    const out = known === undefined ? raw : known + raw.slice(colon + 1);
    ctx.names.set(raw, out);
    return out;
  };
  /** Scans a name starting at i; returns its end. */
  const scanName = (i: number, what: string): number => {
    if (i >= n || nameChar(s.charCodeAt(i)) !== 2) {
      const end = Math.min(n, i + 40);
      throw new Refusal('structure', i, `"${s.slice(i, end).split(/[\s>]/)[0]}" is not a valid ${what} name`);
    }
    let j = i + 1;
    while (j < n && nameChar(s.charCodeAt(j)) !== 0) j++;
    return j;
  };

  while (pos < n) {
    const lt = s.indexOf('<', pos);
    const textEnd = lt === -1 ? n : lt;
    if (textEnd > pos) {
      // Indentation between structural elements is dropped; inside text-bearing elements every space counts.
      let blank = true;
      for (let k = pos; k < textEnd; k++)
        if (!isSpace(s.charCodeAt(k))) {
          blank = false;
          break;
        }
      const top = stack[stack.length - 1];
      if (!top) {
        if (!blank) throw new Refusal('structure', pos, 'text outside the root element');
      } else if (!blank || textDepth > 0) top.children.push(decode(s.slice(pos, textEnd), pos));
    }
    if (lt === -1) break;
    pos = lt;
    const c1 = s.charCodeAt(pos + 1);
    if (c1 === 0x3f /* ? */) {
      const end = s.indexOf('?>', pos + 2);
      if (end === -1) throw new Refusal('structure', pos, 'processing instruction is not closed');
      pos = end + 2;
      continue;
    }
    if (c1 === 0x21 /* ! */) {
      if (s.startsWith('<!--', pos)) {
        const end = s.indexOf('-->', pos + 4);
        if (end === -1) throw new Refusal('structure', pos, 'comment is not closed');
        pos = end + 3;
        continue;
      }
      if (s.startsWith('<![CDATA[', pos)) {
        const end = s.indexOf(']]>', pos + 9);
        if (end === -1) throw new Refusal('structure', pos, 'CDATA section is not closed');
        const top = stack[stack.length - 1];
        if (!top) throw new Refusal('structure', pos, 'CDATA outside the root element');
        top.children.push(s.slice(pos + 9, end));
        pos = end + 3;
        continue;
      }
      const decl = /^<!\s*([A-Za-z]*)/.exec(s.slice(pos, pos + 20))?.[1]?.toUpperCase() || 'markup';
      throw new Refusal(
        'security',
        pos,
        `${decl === 'DOCTYPE' ? 'a DOCTYPE (DTD)' : `an ${decl} declaration`} is not accepted: clinical documents must not declare DTDs or entities (external entities and entity expansion are refused)`,
      );
    }
    if (c1 === 0x2f /* / */) {
      const end = s.indexOf('>', pos + 2);
      if (end === -1) throw new Refusal('structure', pos, 'end tag is not closed');
      const name = s.slice(pos + 2, end).trim();
      const open = rawNames.pop();
      if (open === undefined) throw new Refusal('structure', pos, `unexpected end tag </${name}>`);
      if (open !== name) throw new Refusal('structure', pos, `end tag </${name}> does not match <${open}>`);
      const closed = stack.pop();
      if (closed && TEXT_BEARING.has(closed.name)) textDepth--;
      contexts.pop();
      pos = end + 1;
      continue;
    }
    // Start tag.
    const tagAt = pos;
    let i = scanName(pos + 1, 'element');
    const rawName = s.slice(pos + 1, i);
    if (i < n && !isSpace(s.charCodeAt(i)) && s.charCodeAt(i) !== 0x3e && s.charCodeAt(i) !== 0x2f)
      throw new Refusal(
        'structure',
        tagAt,
        `"${s.slice(pos + 1, Math.min(n, i + 1))}" is not a valid element name`,
      );
    if (root && stack.length === 0) throw new Refusal('structure', tagAt, 'a second root element');
    if (++elements > limits.maxElements)
      throw new Refusal('too-long', tagAt, `more than ${limits.maxElements} elements; document refused`);
    if (stack.length >= limits.maxDepth)
      throw new Refusal(
        'too-long',
        tagAt,
        `elements nested deeper than ${limits.maxDepth} levels; document refused`,
      );
    const names: string[] = [];
    const values: string[] = [];
    let declared: Record<string, string> | undefined;
    let selfClosing = false;
    for (;;) {
      while (i < n && isSpace(s.charCodeAt(i))) i++;
      if (i >= n) throw new Refusal('structure', tagAt, `start tag <${rawName}> is not closed`);
      const c = s.charCodeAt(i);
      if (c === 0x3e) {
        i++;
        break;
      }
      if (c === 0x2f) {
        if (s.charCodeAt(i + 1) !== 0x3e) throw new Refusal('structure', i, `"/" inside <${rawName}>`);
        selfClosing = true;
        i += 2;
        break;
      }
      const nameEnd = scanName(i, 'attribute');
      const attrName = s.slice(i, nameEnd);
      let q = nameEnd;
      while (q < n && isSpace(s.charCodeAt(q))) q++;
      if (s.charCodeAt(q) !== 0x3d /* = */)
        throw new Refusal('structure', q, `attribute ${attrName} in <${rawName}> has no value`);
      q++;
      while (q < n && isSpace(s.charCodeAt(q))) q++;
      const quote = s[q];
      if (quote !== '"' && quote !== "'")
        throw new Refusal('structure', q, `attribute ${attrName} in <${rawName}> is not quoted`);
      const close = s.indexOf(quote, q + 1);
      if (close === -1)
        throw new Refusal('structure', q, `attribute ${attrName} in <${rawName}> is not closed`);
      if (close - q - 1 > limits.maxAttributeChars)
        throw new Refusal(
          'too-long',
          q,
          `attribute ${attrName} on <${rawName}> is ${close - q - 1} characters; the limit is ${limits.maxAttributeChars}`,
        );
      const rawValue = s.slice(q + 1, close);
      if (rawValue.indexOf('<') !== -1)
        throw new Refusal('structure', q, `"<" inside attribute ${attrName} of <${rawName}>`);
      if (names.length >= limits.maxAttributes)
        throw new Refusal('too-long', tagAt, `more than ${limits.maxAttributes} attributes on <${rawName}>`);
      if (names.includes(attrName))
        throw new Refusal('structure', i, `attribute ${attrName} appears twice in <${rawName}>`);
      const value = decode(rawValue, q);
      names.push(attrName);
      values.push(value);
      if (attrName === 'xmlns') (declared ??= {})[''] = value;
      else if (attrName.startsWith('xmlns:')) (declared ??= {})[attrName.slice(6)] = value;
      i = close + 1;
    }
    const parentCtx = contexts[contexts.length - 1]!;
    const ctx = declared ? new NsContext({ ...parentCtx.prefixes, ...declared }) : parentCtx;
    const attrs: Record<string, string> = {};
    for (let k = 0; k < names.length; k++) {
      const name = names[k]!;
      if (name === 'xmlns' || name.startsWith('xmlns:')) continue;
      const q = qualify(ctx, name, tagAt, true);
      if (q in attrs) throw new Refusal('structure', tagAt, `attribute ${q} appears twice in <${rawName}>`);
      attrs[q] = values[k]!;
    }
    const el = new XmlElement(qualify(ctx, rawName, tagAt, false), attrs);
    const parent = stack[stack.length - 1];
    if (parent) parent.children.push(el);
    else root = el;
    if (!selfClosing) {
      if (TEXT_BEARING.has(el.name)) textDepth++;
      stack.push(el);
      rawNames.push(rawName);
      contexts.push(ctx);
    }
    pos = i;
  }
  if (stack.length > 0)
    throw new Refusal('structure', n, `element <${rawNames[rawNames.length - 1]}> is not closed`);
  if (!root) throw new Refusal('structure', 0, 'no root element: the document is empty');
  return root;
}
