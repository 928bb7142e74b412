// Fuzz targets (QUALITY S13): fast-check properties for the HL7 v2 parser, the MLLP deframer, the ACK builder,
// clinical text (sig parser, extractor), the C-CDA XML reader and converter, and the FHIR JSON reader.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { buildAck, guessHl7Header } from '../../src/inbound/hl7v2/ack.ts';
import type { AckCode } from '../../src/inbound/hl7v2/ack.ts';
import type { Hl7Message } from '../../src/inbound/hl7v2/hl7-message.ts';
import { hl7MessageKeys } from '../../src/inbound/hl7v2/message-keys.ts';
import { parseHl7 } from '../../src/inbound/hl7v2/parse-hl7.ts';
import { SAMPLE_MESSAGES, SAMPLE_READ_PATHS } from '../../src/inbound/hl7v2/sample-messages.ts';
import { MllpDeframer } from '../../src/inbound/mllp/mllp-framer.ts';
import type { MllpFeedItem } from '../../src/inbound/mllp/mllp-framer.ts';
import { documentTargets } from './document-fuzz-targets.ts';
import { textTargets } from './text-fuzz-targets.ts';

/** One fuzz target: an input generator and a check that throws only on a real defect. */
export interface FuzzTarget<T = unknown> {
  name: string;
  arbitrary: fc.Arbitrary<T>;
  check: (input: T) => void;
  /** A short, printable description of an input (for the slowest input and crash reports). */
  describe: (input: T) => string;
  /** Fewer runs in the CI test for targets whose inputs are whole documents (the full run is unchanged). */
  ciRuns?: number;
}

const CORPUS = fileURLToPath(new URL('../../../shared/corpus/hl7v2/', import.meta.url));

/** Messages from ../shared/corpus/hl7v2 when it is present (read in place, never copied into the repo). */
export function corpusMessages(dir = CORPUS): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    let names: string[];
    try {
      names = readdirSync(d);
    } catch {
      return;
    }
    for (const name of names) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (/\.(hl7|txt)$/i.test(name)) {
        const text = readFileSync(p, 'latin1');
        // A file may hold several messages; each starts at an MSH at the start of a line.
        for (const m of text.split(/(?:\r\n|\r|\n)(?=MSH)/)) if (m.includes('MSH')) out.push(m);
      }
    }
  };
  walk(dir);
  return out;
}

export function seedMessages(): string[] {
  return [...SAMPLE_MESSAGES, ...corpusMessages()];
}

function preview(text: string | Uint8Array, max = 160): string {
  const s = typeof text === 'string' ? text : Buffer.from(text).toString('latin1');
  const shown = JSON.stringify(s.length > max ? s.slice(0, max) : s);
  return `${s.length} chars ${shown}${s.length > max ? '…' : ''}`;
}

/** Reads everything a consumer might read; a read must never throw on parsed input. */
function readAll(msg: Hl7Message): number {
  let n = 0;
  for (const p of SAMPLE_READ_PATHS) n += msg.get(p).length;
  for (const seg of msg.segments()) {
    const count = Math.min(seg.fieldCount, 60);
    for (let f = 1; f <= count; f++) {
      n += seg.rawField(f).length;
      for (const rep of seg.readAll(f, 0, 0, 0)) n += rep.length;
      n += seg.read(f, 1, 1, 0).length + seg.read(f, 1, 2, 2).length;
      n += seg.repetitions(f);
    }
  }
  n += msg.type.length + msg.controlId.length + msg.version.length + msg.toString().length;
  const keys = hl7MessageKeys(msg);
  return n + keys.idempotencyKey.length;
}

function checkParse(text: string): void {
  const r = parseHl7(text);
  if (typeof r !== 'object' || typeof r.ok !== 'boolean' || !Array.isArray(r.issues))
    throw new Error('parseHl7 returned something that is not a Result');
  if (!r.ok && r.issues.length === 0) throw new Error('failed Result without an issue');
  if (r.ok) readAll(r.value);
}

/** Characters that matter to HL7 structure, weighted so that delimiters and segment ends are common. */
const hl7Char = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.constantFrom('|', '^', '~', '\\', '&', '#', '\r', '\n', 'M', 'S', 'H', 'P', 'I', 'D'),
  },
  {
    weight: 3,
    arbitrary: fc.constantFrom(
      'A',
      'X',
      'F',
      'T',
      'R',
      'E',
      'N',
      '.',
      'b',
      'r',
      '0',
      '9',
      ' ',
      '\x0b',
      '\x1c',
    ),
  },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }) },
);

const hl7ish = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 300 }),
  fc.string({ unit: hl7Char, maxLength: 300 }),
  fc
    .tuple(
      fc.constantFrom('MSH|^~\\&|', 'MSH|^~\\&#|', 'MSH^|\\~&^', 'MSH|', 'MSH'),
      fc.string({ unit: hl7Char, maxLength: 400 }),
    )
    .map(([a, b]) => a + b),
);

export const parseArbitraryTarget: FuzzTarget<string> = {
  name: 'parseHl7 (arbitrary strings)',
  arbitrary: hl7ish,
  check: checkParse,
  describe: (s) => preview(s),
};

export type Mutation =
  | { op: 'insert'; at: number; text: string }
  | { op: 'delete'; at: number; length: number }
  | { op: 'replace'; at: number; text: string }
  | { op: 'duplicate'; at: number; length: number }
  | { op: 'truncate'; at: number }
  | { op: 'line-ends'; to: string };

/**
 * Byte-level edits of a seed: insert or replace a few characters drawn from `unit`, delete up to `maxDelete`,
 * duplicate up to `maxDuplicate`, truncate; with `lineEnds`, also rewrite every segment end.
 */
export function mutations(
  unit: fc.Arbitrary<string>,
  limits: { maxDelete: number; maxDuplicate: number; lineEnds?: boolean },
): fc.Arbitrary<Mutation> {
  const edits: fc.Arbitrary<Mutation>[] = [
    fc.record({ op: fc.constant('insert' as const), at: fc.nat(), text: fc.string({ unit, maxLength: 8 }) }),
    fc.record({
      op: fc.constant('delete' as const),
      at: fc.nat(),
      length: fc.integer({ min: 1, max: limits.maxDelete }),
    }),
    fc.record({
      op: fc.constant('replace' as const),
      at: fc.nat(),
      text: fc.string({ unit, minLength: 1, maxLength: 4 }),
    }),
    fc.record({
      op: fc.constant('duplicate' as const),
      at: fc.nat(),
      length: fc.integer({ min: 1, max: limits.maxDuplicate }),
    }),
    fc.record({ op: fc.constant('truncate' as const), at: fc.nat() }),
  ];
  if (limits.lineEnds) {
    edits.push(
      fc.record({ op: fc.constant('line-ends' as const), to: fc.constantFrom('\n', '\r\n', '\n\r', '') }),
    );
  }
  return fc.oneof(...edits);
}

const mutation = mutations(hl7Char, { maxDelete: 40, maxDuplicate: 200, lineEnds: true });

export function applyMutations(seed: string, mutations: readonly Mutation[]): string {
  let s = seed;
  for (const m of mutations) {
    const at = s.length === 0 ? 0 : m.op === 'line-ends' ? 0 : m.at % (s.length + 1);
    switch (m.op) {
      case 'insert':
        s = s.slice(0, at) + m.text + s.slice(at);
        break;
      case 'delete':
        s = s.slice(0, at) + s.slice(at + m.length);
        break;
      case 'replace':
        s = s.slice(0, at) + m.text + s.slice(at + m.text.length);
        break;
      case 'duplicate':
        s = s.slice(0, at + m.length) + s.slice(at, at + m.length) + s.slice(at + m.length);
        break;
      case 'truncate':
        s = s.slice(0, at);
        break;
      case 'line-ends':
        s = s.replace(/\r/g, m.to);
        break;
      default:
        m satisfies never;
    }
  }
  return s;
}

export function mutatedTarget(seeds: readonly string[] = seedMessages()): FuzzTarget<string> {
  return {
    name: `parseHl7 (mutated real messages, ${seeds.length} seeds)`,
    arbitrary: fc
      .tuple(fc.constantFrom(...seeds), fc.array(mutation, { minLength: 1, maxLength: 6 }))
      .map(([seed, ms]) => applyMutations(seed, ms)),
    check: checkParse,
    describe: (s) => preview(s),
  };
}

/** A byte stream built from MLLP blocks, noise and framing bytes, cut into chunks at arbitrary points. */
const mllpStream = fc.record({
  parts: fc.array(
    fc.oneof(
      {
        weight: 3,
        arbitrary: fc
          .uint8Array({ maxLength: 200 })
          .map((b) => Buffer.concat([Buffer.from([0x0b]), Buffer.from(b), Buffer.from([0x1c, 0x0d])])),
      },
      {
        weight: 2,
        arbitrary: fc
          .array(fc.constantFrom(0x0b, 0x1c, 0x0d, 0x0a, 0x41, 0x7c), { maxLength: 40 })
          .map((a) => Buffer.from(a)),
      },
      { weight: 1, arbitrary: fc.uint8Array({ maxLength: 300 }).map((b) => Buffer.from(b)) },
    ),
    { maxLength: 12 },
  ),
  cuts: fc.array(fc.nat(), { maxLength: 30 }),
  maxFrameBytes: fc.option(fc.integer({ min: 1, max: 300 }), { nil: undefined }),
});

type MllpStreamInput = { parts: Buffer[]; cuts: number[]; maxFrameBytes: number | undefined };

function summarize(items: readonly MllpFeedItem[]): string[] {
  return items.map((i) => (i.kind === 'frame' ? `F:${i.frame.toString('latin1')}` : `O:${i.limit}`));
}

function deframe(
  chunks: readonly Buffer[],
  maxFrameBytes: number | undefined,
): { items: MllpFeedItem[]; d: MllpDeframer } {
  const d = new MllpDeframer(maxFrameBytes === undefined ? {} : { maxFrameBytes });
  return { items: chunks.flatMap((c) => d.feed(c)), d };
}

export const deframerTarget: FuzzTarget<MllpStreamInput> = {
  name: 'MllpDeframer (byte streams, arbitrary chunking)',
  arbitrary: mllpStream,
  check: ({ parts, cuts, maxFrameBytes }) => {
    const bytes = Buffer.concat(parts);
    const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
    const chunks: Buffer[] = [];
    let prev = 0;
    for (const p of points) {
      chunks.push(bytes.subarray(prev, p));
      prev = p;
    }
    chunks.push(bytes.subarray(prev));
    const whole = deframe([bytes], maxFrameBytes);
    const split = deframe(chunks, maxFrameBytes);
    // The chunking must never change what comes out (R1).
    const a = summarize(whole.items).join('\u0000');
    const b = summarize(split.items).join('\u0000');
    if (a !== b) throw new Error('chunking changed the deframed output');
    if (whole.d.partial !== split.d.partial) throw new Error('chunking changed the partial-block state');
    if (whole.d.discardedBytes !== split.d.discardedBytes)
      throw new Error('chunking changed the discarded-byte count');
    for (const item of split.items) {
      if (item.kind === 'frame') {
        if (item.frame.includes(0x0b)) throw new Error('a frame contains a start byte');
        if (maxFrameBytes !== undefined && item.frame.length > maxFrameBytes)
          throw new Error('a frame exceeds the limit');
      }
    }
  },
  describe: ({ parts, cuts, maxFrameBytes }) =>
    `${parts.length} parts, ${cuts.length} cuts, limit ${maxFrameBytes ?? 'default'}: ${preview(Buffer.concat(parts), 120)}`,
};

const ACK_CODES: readonly AckCode[] = ['AA', 'AE', 'AR', 'CA', 'CE', 'CR'];

export function buildAckTarget(
  seeds: readonly string[] = seedMessages(),
): FuzzTarget<{ text: string; code: AckCode }> {
  return {
    name: 'buildAck (on parsed results)',
    arbitrary: fc.record({
      text: fc.oneof(
        hl7ish,
        fc
          .tuple(fc.constantFrom(...seeds), fc.array(mutation, { maxLength: 4 }))
          .map(([s, ms]) => applyMutations(s, ms)),
      ),
      code: fc.constantFrom(...ACK_CODES),
    }),
    check: ({ text, code }) => {
      const r = parseHl7(text);
      const issues = [
        ...r.issues,
        {
          severity: 'error' as const,
          code: 'invalid' as const,
          path: 'PID-3[2].4.1',
          message: 'a \\ | ^ ~ & test',
        },
      ];
      const ack = r.ok
        ? buildAck(r.value, code, { issues, text: 'x|y^z' })
        : buildAck(undefined, code, { guess: guessHl7Header(text), issues });
      const back = parseHl7(ack);
      if (!back.ok)
        throw new Error(`the ACK does not parse: ${back.issues.map((i) => i.message).join('; ')}`);
      if (back.value.get('MSA-1') !== code) throw new Error('MSA-1 is not the code asked for');
      if (r.ok && back.value.segment('MSA')?.rawField(2) !== r.value.header.rawField(10))
        throw new Error('MSA-2 does not echo MSH-10');
    },
    describe: ({ text, code }) => `${code} for ${preview(text)}`,
  };
}

/** Every target, in the order the runner reports them. */
export function allTargets(): FuzzTarget[] {
  const seeds = seedMessages();
  return [
    parseArbitraryTarget,
    mutatedTarget(seeds),
    deframerTarget,
    buildAckTarget(seeds),
    ...textTargets(),
    ...documentTargets(),
  ] as FuzzTarget[];
}

export interface FuzzReport {
  name: string;
  runs: number;
  crashes: number;
  /** First few distinct failures: the error and the input that caused it. */
  failures: Array<{ error: string; input: string }>;
  medianMs: number;
  maxMs: number;
  slowest: string;
  /** The slowest input timed again (best of 5): a GC pause or JIT warm-up shows as a much smaller figure. */
  slowestRetimedMs: number;
  /** Inputs slower than the guard (a hang in the making). */
  slow: number;
  seed: number;
}

/**
 * Runs one target for `runs` inputs. Every input is timed around the check only (not generation); an input
 * that throws counts as a crash and the run goes on, so one report lists every distinct failure.
 */
export function runTarget(
  target: FuzzTarget,
  options: { runs: number; seed?: number; guardMs?: number; onProgress?: (runs: number) => void },
): FuzzReport {
  const seed = options.seed ?? Date.now() % 2 ** 31;
  const guardMs = options.guardMs ?? 1000;
  const times = new Float64Array(options.runs);
  let runs = 0;
  let crashes = 0;
  let maxMs = 0;
  let slowest = '';
  let slowestInput: unknown;
  let slow = 0;
  const failures: FuzzReport['failures'] = [];
  const seen = new Set<string>();
  fc.assert(
    fc.property(target.arbitrary, (input) => {
      const start = performance.now();
      try {
        target.check(input);
      } catch (error) {
        crashes++;
        const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
        if (!seen.has(message) && failures.length < 10) {
          seen.add(message);
          failures.push({ error: message, input: target.describe(input) });
        }
      }
      const ms = performance.now() - start;
      if (runs < times.length) times[runs] = ms;
      runs++;
      if (ms > maxMs) {
        maxMs = ms;
        slowest = target.describe(input);
        slowestInput = input;
      }
      if (ms > guardMs) slow++;
      if (options.onProgress && runs % 10_000 === 0) options.onProgress(runs);
      return true;
    }),
    { numRuns: options.runs, seed, endOnFailure: true },
  );
  const used = times.subarray(0, Math.min(runs, times.length)).sort();
  const medianMs = used.length === 0 ? 0 : (used[Math.floor(used.length / 2)] ?? 0);
  let slowestRetimedMs = Number.POSITIVE_INFINITY;
  for (let i = 0; i < 5 && runs > 0; i++) {
    const start = performance.now();
    try {
      target.check(slowestInput);
    } catch {
      // Already counted as a crash.
    }
    slowestRetimedMs = Math.min(slowestRetimedMs, performance.now() - start);
  }
  if (runs === 0) slowestRetimedMs = 0;
  return {
    name: target.name,
    runs,
    crashes,
    failures,
    medianMs,
    maxMs,
    slowest,
    slowestRetimedMs,
    slow,
    seed,
  };
}
