// One element of a parsed XML document: its name (HL7 v3 names bare, others with a short prefix), attributes,
// children in order (elements and text).

export class XmlElement {
  readonly name: string;
  readonly attrs: Readonly<Record<string, string>>;
  readonly children: (XmlElement | string)[] = [];

  constructor(name: string, attrs: Record<string, string>) {
    this.name = name;
    this.attrs = attrs;
  }

  attr(name: string): string | undefined {
    return this.attrs[name];
  }

  /** The first child element with this name. */
  child(name: string): XmlElement | undefined {
    for (const c of this.children) if (typeof c !== 'string' && c.name === name) return c;
    return undefined;
  }

  /** Child elements, all or by name. */
  elements(name?: string): XmlElement[] {
    const out: XmlElement[] = [];
    for (const c of this.children)
      if (typeof c !== 'string' && (name === undefined || c.name === name)) out.push(c);
    return out;
  }

  /** The element at a path of child names (`a/b/c`), first match at each step. */
  at(path: string): XmlElement | undefined {
    let el: XmlElement | undefined;
    for (const step of path.split('/')) {
      el = (el ?? this).child(step);
      if (!el) return undefined;
    }
    return el;
  }

  /** Every element reached through a path of child names, all matches at each step. */
  all(path: string): XmlElement[] {
    let level: XmlElement[] = [this];
    for (const step of path.split('/')) level = level.flatMap((e) => e.elements(step));
    return level;
  }

  /** All text inside, in document order, with runs of white space collapsed. */
  text(): string {
    return collapse(this.rawText());
  }

  rawText(): string {
    let out = '';
    for (const c of this.children) out += typeof c === 'string' ? c : c.rawText();
    return out;
  }

  /** Calls visit on this element and every descendant, depth first, in document order. */
  walk(visit: (el: XmlElement) => void): void {
    visit(this);
    for (const c of this.children) if (typeof c !== 'string') c.walk(visit);
  }

  /** `xsi:type` without a namespace prefix (`IVL_TS`, `PQ`, `CD`). */
  get xsiType(): string | undefined {
    const t = this.attrs['xsi:type'];
    if (t === undefined) return undefined;
    const colon = t.indexOf(':');
    return colon >= 0 ? t.slice(colon + 1) : t;
  }
}

export function collapse(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}
