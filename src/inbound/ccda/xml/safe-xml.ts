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

const NAME =
  /^[A-Za-z_\u00C0-\uFFFF][\w.\-\u00B7\u00C0-\uFFFF]*(?::[A-Za-z_\u00C0-\uFFFF][\w.\-\u00B7\u00C0-\uFFFF]*)?$/;

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

interface Scope {
  prefixes: Record<string, string> | undefined;
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

function tokenize(s: string, limits: XmlLimits, unbound: Set<string>): XmlElement {
  const stack: XmlElement[] = [];
  const rawNames: string[] = [];
  const scopes: Scope[] = [];
  let root: XmlElement | undefined;
  let elements = 0;
  let pos = s.charCodeAt(0) === 0xfeff ? 1 : 0;
  const n = s.length;
  /** Names already checked against NAME: documents repeat a few dozen names thousands of times. */
  const validNames = new Set<string>();
  const checkName = (name: string, at: number, what: string): void => {
    if (validNames.has(name)) return;
    if (!NAME.test(name))
      throw new Refusal('structure', at, `"${name.slice(0, 40)}" is not a valid ${what} name`);
    validNames.add(name);
  };

  const resolve = (prefix: string, at: number): string => {
    for (let i = scopes.length - 1; i >= 0; i--) {
      const p = scopes[i]!.prefixes;
      if (p && p[prefix] !== undefined) return p[prefix];
    }
    if (prefix === 'xml') return XML_NS;
    const fallback = FALLBACK_NAMESPACES[prefix];
    if (fallback === undefined)
      throw new Refusal('structure', at, `namespace prefix "${prefix}" is not declared`);
    unbound.add(prefix);
    return fallback;
  };
  const qualify = (raw: string, at: number, isAttribute: boolean): string => {
    const colon = raw.indexOf(':');
    if (colon === -1) return isAttribute ? raw : (KNOWN_PREFIXES[resolve('', at)] ?? '') + raw;
    const prefix = raw.slice(0, colon);
    const local = raw.slice(colon + 1);
    const known = KNOWN_PREFIXES[resolve(prefix, at)];
    return known === undefined ? raw : known + local;
  };

  while (pos < n) {
    const lt = s.indexOf('<', pos);
    const textEnd = lt === -1 ? n : lt;
    if (textEnd > pos) {
      const raw = s.slice(pos, textEnd);
      const top = stack[stack.length - 1];
      if (top) top.children.push(decode(raw, pos));
      else if (raw.trim() !== '') throw new Refusal('structure', pos, 'text outside the root element');
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
      stack.pop();
      scopes.pop();
      pos = end + 1;
      continue;
    }
    // Start tag.
    const tagAt = pos;
    let i = pos + 1;
    while (i < n) {
      const c = s.charCodeAt(i);
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09 || c === 0x3e || c === 0x2f) break;
      i++;
    }
    const rawName = s.slice(pos + 1, i);
    checkName(rawName, tagAt, 'element');
    if (root && stack.length === 0) throw new Refusal('structure', tagAt, 'a second root element');
    if (++elements > limits.maxElements)
      throw new Refusal('too-long', tagAt, `more than ${limits.maxElements} elements; document refused`);
    if (stack.length >= limits.maxDepth)
      throw new Refusal(
        'too-long',
        tagAt,
        `elements nested deeper than ${limits.maxDepth} levels; document refused`,
      );
    const rawAttrs: [string, string][] = [];
    let prefixes: Record<string, string> | undefined;
    let selfClosing = false;
    for (;;) {
      while (i < n) {
        const c = s.charCodeAt(i);
        if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) break;
        i++;
      }
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
      const eq = s.indexOf('=', i);
      if (eq === -1) throw new Refusal('structure', i, `attribute without a value in <${rawName}>`);
      const attrName = s.slice(i, eq).trim();
      checkName(attrName, i, 'attribute');
      let q = eq + 1;
      while (
        q < n &&
        (s.charCodeAt(q) === 0x20 ||
          s.charCodeAt(q) === 0x0a ||
          s.charCodeAt(q) === 0x0d ||
          s.charCodeAt(q) === 0x09)
      )
        q++;
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
      const value = decode(rawValue, q);
      if (rawAttrs.length >= limits.maxAttributes)
        throw new Refusal('too-long', tagAt, `more than ${limits.maxAttributes} attributes on <${rawName}>`);
      if (rawAttrs.some((a) => a[0] === attrName))
        throw new Refusal('structure', i, `attribute ${attrName} appears twice in <${rawName}>`);
      rawAttrs.push([attrName, value]);
      if (attrName === 'xmlns') (prefixes ??= {})[''] = value;
      else if (attrName.startsWith('xmlns:')) (prefixes ??= {})[attrName.slice(6)] = value;
      i = close + 1;
    }
    scopes.push({ prefixes });
    const attrs: Record<string, string> = {};
    for (const [name, value] of rawAttrs) {
      if (name === 'xmlns' || name.startsWith('xmlns:')) continue;
      attrs[qualify(name, tagAt, true)] = value;
    }
    const el = new XmlElement(qualify(rawName, tagAt, false), attrs);
    const parent = stack[stack.length - 1];
    if (parent) parent.children.push(el);
    else root = el;
    if (selfClosing) scopes.pop();
    else {
      stack.push(el);
      rawNames.push(rawName);
    }
    pos = i;
  }
  if (stack.length > 0)
    throw new Refusal('structure', n, `element <${rawNames[rawNames.length - 1]}> is not closed`);
  if (!root) throw new Refusal('structure', 0, 'no root element: the document is empty');
  return root;
}
