// HL7 v2 location strings (`PID-3[2].4.1`, `OBX[2]-5`, `5.1`): parsed once and cached, formatted for issues.

/** A parsed location; every number is 1-based as in the specification, 0 meaning "not given". */
export interface Hl7Path {
  segment: string;
  /** Which occurrence of the segment (OBX[2]); 1 when not given. */
  segmentIndex: number;
  field: number;
  /** Which repetition; 0 when not given (reads take the first). */
  repetition: number;
  component: number;
  subcomponent: number;
}

const PATH = /^(?:([A-Z][A-Z0-9]{2})(?:\[(\d+)\])?-)?(\d+)(?:\[(\d+)\])?(?:\.(\d+)(?:\.(\d+))?)?$/;
const cache = new Map<string, Hl7Path | null>();
const CACHE_LIMIT = 10_000;

/** Parses a location, or undefined when it does not follow the `SEG[n]-F[r].C.S` form. */
export function parseHl7Path(text: string): Hl7Path | undefined {
  const hit = cache.get(text);
  if (hit !== undefined) return hit ?? undefined;
  const m = PATH.exec(text);
  let parsed: Hl7Path | null = null;
  if (m) {
    const field = Number(m[3]);
    const repetition = m[4] === undefined ? 0 : Number(m[4]);
    const component = m[5] === undefined ? 0 : Number(m[5]);
    const subcomponent = m[6] === undefined ? 0 : Number(m[6]);
    const segmentIndex = m[2] === undefined ? 1 : Number(m[2]);
    // Positions are 1-based; a zero anywhere given explicitly is a caller mistake.
    const valid =
      (m[4] === undefined || repetition > 0) &&
      (m[5] === undefined || component > 0) &&
      (m[6] === undefined || subcomponent > 0) &&
      segmentIndex > 0;
    if (valid) parsed = { segment: m[1] ?? '', segmentIndex, field, repetition, component, subcomponent };
  }
  if (cache.size < CACHE_LIMIT) cache.set(text, parsed);
  return parsed ?? undefined;
}

/** Formats a location the way the spec writes it (`PID-3[2].4`). */
export function formatHl7Path(p: Partial<Hl7Path> & { segment: string }): string {
  let s = p.segment;
  if (p.segmentIndex !== undefined && p.segmentIndex > 1) s += `[${p.segmentIndex}]`;
  if (p.field === undefined) return s;
  s += `-${p.field}`;
  if (p.repetition) s += `[${p.repetition}]`;
  if (p.component) s += `.${p.component}`;
  if (p.component && p.subcomponent) s += `.${p.subcomponent}`;
  return s;
}
