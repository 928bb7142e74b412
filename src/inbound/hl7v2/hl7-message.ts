// The HL7 v2 message model: segments split eagerly, fields lazily, escapes decoded on read; 1-based spec paths.
import type { Issue } from '../../kernel/result.ts';
import type { Hl7Delimiters } from './hl7-escape.ts';
import { decodeHl7Text } from './hl7-escape.ts';
import type { Hl7Path } from './hl7-path.ts';
import { formatHl7Path, parseHl7Path } from './hl7-path.ts';

/** The n-th (0-based) piece of `s` between separators, without allocating the other pieces. */
function piece(s: string, sep: string, n: number): string {
  let start = 0;
  for (let i = 0; i < n; i++) {
    const at = s.indexOf(sep, start);
    if (at === -1) return '';
    start = at + 1;
  }
  const end = s.indexOf(sep, start);
  if (end === -1) return start === 0 ? s : s.slice(start);
  return s.slice(start, end);
}

/** Collects parse and decode warnings, each location and message once. */
export class Hl7IssueCollector {
  readonly issues: Issue[];
  #seen: Set<string> | undefined;
  constructor(issues: Issue[] = []) {
    this.issues = issues;
  }
  report(issue: Issue): void {
    const key = `${issue.path}\u0000${issue.message}`;
    this.#seen ??= new Set();
    if (this.#seen.has(key)) return;
    this.#seen.add(key);
    this.issues.push(issue);
  }
}

function toPath(path: number | string): Hl7Path {
  if (typeof path === 'number') {
    if (!Number.isInteger(path) || path < 0) throw new RangeError(`invalid HL7 field number ${path}`);
    return { segment: '', segmentIndex: 1, field: path, repetition: 0, component: 0, subcomponent: 0 };
  }
  const parsed = parseHl7Path(path);
  // A malformed path is a programming error, not bad input.
  if (!parsed) throw new RangeError(`invalid HL7 path "${path}" (expected e.g. PID-3[2].4.1)`);
  return parsed;
}

/** One segment; fields are split from `raw` the first time any of them is read. */
export class Hl7Segment {
  readonly name: string;
  readonly raw: string;
  readonly delimiters: Hl7Delimiters;
  readonly #sink: Hl7IssueCollector | undefined;
  #stops: number[] | undefined;
  #complete = false;

  constructor(name: string, raw: string, delimiters: Hl7Delimiters, sink?: Hl7IssueCollector) {
    this.name = name;
    this.raw = raw;
    this.delimiters = delimiters;
    this.#sink = sink;
  }

  /**
   * Raw (undecoded) field by number, '' when absent. Separator positions are found only as far as the highest
   * field read so far, so reading PV1-2 never scans to PV1-45 and no unread field is ever copied.
   */
  #field(field: number): string {
    if (field <= 0) return field === 0 ? this.name : '';
    const isHeader = this.name === 'MSH';
    // HL7 v2.5.1 ch. 2.14.9.1: MSH-1 is the field separator itself, so MSH-n is the (n-1)-th piece after the name.
    if (isHeader && field === 1) return this.delimiters.field;
    const index = isHeader ? field - 1 : field;
    const stops = this.#locate(index);
    const begin = stops[index - 1];
    if (begin === undefined) return '';
    const end = stops[index] ?? this.raw.length;
    return this.raw.slice(begin + 1, end);
  }

  /** Positions of the field separators, found lazily up to `index` (or to the end of the segment). */
  #locate(index: number): number[] {
    const stops = (this.#stops ??= []);
    if (this.#complete || stops.length > index) return stops;
    const raw = this.raw;
    const sep = this.delimiters.field;
    let from = stops.length === 0 ? 0 : (stops[stops.length - 1] as number) + 1;
    while (stops.length <= index) {
      const at = raw.indexOf(sep, from);
      if (at === -1) {
        this.#complete = true;
        break;
      }
      stops.push(at);
      from = at + 1;
    }
    return stops;
  }

  /** The highest field number present. */
  get fieldCount(): number {
    const stops = this.#locate(Number.MAX_SAFE_INTEGER);
    return this.name === 'MSH' ? stops.length + 1 : stops.length;
  }

  /** A field exactly as written (escapes and separators intact); '' when absent. */
  rawField(field: number): string {
    return this.#field(field);
  }

  /** Decoded value at a path relative to this segment (`5`, `'5.1'`, `'3[2].4.1'`); '' when absent. */
  get(path: number | string): string {
    const p = toPath(path);
    this.#checkSegment(p, path);
    return this.read(p.field, p.repetition || 1, p.component, p.subcomponent);
  }

  /** Every repetition of a field, each narrowed to the component/sub-component the path names. */
  getAll(path: number | string): string[] {
    const p = toPath(path);
    this.#checkSegment(p, path);
    return this.readAll(p.field, p.repetition, p.component, p.subcomponent);
  }

  /** Positional form of `getAll`; repetition 0 = every repetition. */
  readAll(field: number, repetition: number, component: number, subcomponent: number): string[] {
    const raw = this.#field(field);
    if (raw === '') return [];
    if (this.#isEncodingField(field)) return [raw];
    if (repetition) return [this.read(field, repetition, component, subcomponent)];
    const reps = raw.split(this.delimiters.repetition);
    return reps.map((rep, i) => this.#narrow(rep, field, i + 1, component, subcomponent));
  }

  /** Number of repetitions of a field (0 when empty). */
  repetitions(field: number): number {
    const raw = this.#field(field);
    if (raw === '') return 0;
    if (this.#isEncodingField(field)) return 1;
    return raw.split(this.delimiters.repetition).length;
  }

  /** Positional read used by the message accessors; all positions 1-based, 0 = whole. */
  read(field: number, repetition: number, component: number, subcomponent: number): string {
    const raw = this.#field(field);
    if (raw === '') return '';
    if (this.#isEncodingField(field)) return raw;
    const d = this.delimiters;
    const rep =
      repetition > 1 || raw.indexOf(d.repetition) !== -1 ? piece(raw, d.repetition, repetition - 1) : raw;
    return this.#narrow(rep, field, repetition, component, subcomponent);
  }

  #narrow(rep: string, field: number, repetition: number, component: number, subcomponent: number): string {
    const d = this.delimiters;
    let v = rep;
    if (component > 0) {
      v = piece(v, d.component, component - 1);
      if (subcomponent > 0) v = piece(v, d.subcomponent, subcomponent - 1);
    }
    if (v.indexOf(d.escape) === -1) return v;
    const sink = this.#sink;
    const where = formatHl7Path({
      segment: this.name,
      field,
      repetition: repetition > 1 ? repetition : 0,
      component,
      subcomponent,
    });
    return decodeHl7Text(v, d, sink ? (i) => sink.report(i) : undefined, where);
  }

  #isEncodingField(field: number): boolean {
    return (field === 1 || field === 2) && this.name === 'MSH';
  }

  #checkSegment(p: Hl7Path, path: number | string): void {
    if (p.segment !== '' && p.segment !== this.name) {
      throw new RangeError(`path "${String(path)}" names another segment than ${this.name}`);
    }
  }

  toString(): string {
    return this.raw;
  }
}

/** A parsed message. Build one with `parseHl7`. */
export class Hl7Message {
  readonly delimiters: Hl7Delimiters;
  /** Every segment in order. */
  readonly allSegments: readonly Hl7Segment[];
  /** Parse warnings, plus decode warnings found as fields are read (once per location). */
  readonly issues: Issue[];
  #header: Hl7Segment | undefined;

  constructor(segments: readonly Hl7Segment[], delimiters: Hl7Delimiters, collector: Hl7IssueCollector) {
    this.delimiters = delimiters;
    this.allSegments = segments;
    this.issues = collector.issues;
  }

  /** The MSH segment (always the first). */
  get header(): Hl7Segment {
    return (this.#header ??= this.allSegments[0] as Hl7Segment);
  }

  /** The n-th (1-based) segment with this name. */
  segment(name: string, index = 1): Hl7Segment | undefined {
    let seen = 0;
    for (const s of this.allSegments) {
      if (s.name === name && ++seen === index) return s;
    }
    return undefined;
  }

  /** All segments with this name, in order (all segments when no name is given). */
  segments(name?: string): Hl7Segment[] {
    if (name === undefined) return [...this.allSegments];
    return this.allSegments.filter((s) => s.name === name);
  }

  /** Decoded value at a full path (`PID-3`, `PID-3.1`, `PID-3[2].4.1`, `OBX[2]-5`); '' when absent. */
  get(path: string): string {
    const p = parseHl7Path(path);
    if (!p || p.segment === '')
      throw new RangeError(`invalid HL7 path "${path}" (expected e.g. PID-3[2].4.1)`);
    const seg =
      p.segment === 'MSH' && p.segmentIndex === 1 ? this.header : this.segment(p.segment, p.segmentIndex);
    return seg ? seg.read(p.field, p.repetition || 1, p.component, p.subcomponent) : '';
  }

  /** Every repetition at a full path, each narrowed to the component/sub-component named. */
  getAll(path: string): string[] {
    const p = parseHl7Path(path);
    if (!p || p.segment === '') throw new RangeError(`invalid HL7 path "${path}" (expected e.g. PID-3.1)`);
    const seg = this.segment(p.segment, p.segmentIndex);
    if (!seg) return [];
    return seg.readAll(p.field, p.repetition, p.component, p.subcomponent);
  }

  /** `ADT^A03`: MSH-9.1 and MSH-9.2 joined with `^` whatever the message's own separator. */
  get type(): string {
    const h = this.header;
    const code = h.read(9, 1, 1, 0);
    const trigger = h.read(9, 1, 2, 0);
    return trigger === '' ? code : `${code}^${trigger}`;
  }

  /** MSH-10. */
  get controlId(): string {
    return this.header.read(10, 1, 0, 0);
  }

  /** MSH-12.1 (version id), e.g. `2.5.1`. */
  get version(): string {
    return this.header.read(12, 1, 1, 0);
  }

  /** The message with CR segment terminators, as it was received (line endings normalized). */
  toString(): string {
    return this.allSegments.map((s) => s.raw).join('\r');
  }
}
