// Benchmark: HL7 v2 parse + ~15 field reads per message, beside the npm peers on the same messages and paths.
import { createRequire } from 'node:module';
import { Hl7Message as MedplumHl7Message } from '@medplum/core';
import { Message as NodeHl7ClientMessage } from 'node-hl7-client';
import { machineLine, median } from './machine.ts';
import { parseHl7Path } from '../src/inbound/hl7v2/hl7-path.ts';
import { parseHl7 } from '../src/inbound/hl7v2/parse-hl7.ts';
import { SAMPLE_MESSAGES, SAMPLE_READ_PATHS } from '../src/inbound/hl7v2/sample-messages.ts';

type Runner = (text: string) => number;

const paths = SAMPLE_READ_PATHS.map((p) => {
  const parsed = parseHl7Path(p);
  if (!parsed) throw new Error(`bad path ${p}`);
  return parsed;
});

const ours: Runner = (text) => {
  const r = parseHl7(text);
  if (!r.ok) throw new Error('sample did not parse');
  let n = 0;
  for (const p of SAMPLE_READ_PATHS) n += r.value.get(p).length;
  return n;
};

const medplum: Runner = (text) => {
  const m = MedplumHl7Message.parse(text);
  let n = 0;
  for (const p of paths) {
    const s = m.getSegment(p.segment);
    if (!s) continue;
    n += (p.component ? s.getComponent(p.field, p.component) : s.getField(p.field).toString()).length;
  }
  return n;
};

/** node-hl7-client parses lazily; its paths are `PID.3.1`. It throws on a segment the message does not have. */
const nodeHl7Client: Runner = (text) => {
  const m = new NodeHl7ClientMessage({ text });
  let n = 0;
  for (const p of paths) {
    try {
      n += m.get(`${p.segment}.${p.field}${p.component ? `.${p.component}` : ''}`).toString().length;
    } catch {
      // absent segment
    }
  }
  return n;
};

/** The lazy parse alone, without reading any field (what node-hl7-client's headline speed measures). */
const nodeHl7ClientParseOnly: Runner = (text) => {
  const m = new NodeHl7ClientMessage({ text });
  return m ? 1 : 0;
};

interface SimpleHl7Segment {
  getField(index: number): string;
  getComponent(field: number, component: number): string;
}
interface SimpleHl7Message {
  header: SimpleHl7Segment;
  getSegment(name: string): SimpleHl7Segment | undefined;
}
// simple-hl7 ships no type declarations: loaded through require with the shape used here.
const simpleHl7 = createRequire(import.meta.url)('simple-hl7') as {
  Parser: new () => { parse(text: string): SimpleHl7Message };
};
const simpleParser = new simpleHl7.Parser();

/** simple-hl7 numbers header fields from MSH-3 (its header.getField(1) is MSH-3). */
function simpleRead(m: SimpleHl7Message, p: (typeof paths)[number]): string {
  const header = p.segment === 'MSH';
  const s = header ? m.header : m.getSegment(p.segment);
  if (!s) return '';
  const field = header ? p.field - 2 : p.field;
  return String(p.component ? s.getComponent(field, p.component) : s.getField(field));
}

const simple: Runner = (text) => {
  const m = simpleParser.parse(text);
  let n = 0;
  for (const p of paths) n += simpleRead(m, p).length;
  return n;
};

/** Each library's value for every read, to count how many agree with ours (escapes decoded, components split). */
function readsOf(lib: string, text: string): string[] {
  const ourMessage = parseHl7(text);
  if (!ourMessage.ok) throw new Error('sample did not parse');
  switch (lib) {
    case 'ours':
      return SAMPLE_READ_PATHS.map((p) => ourMessage.value.get(p));
    case 'medplum': {
      const m = MedplumHl7Message.parse(text);
      return paths.map((p) => {
        const s = m.getSegment(p.segment);
        if (!s) return '';
        return p.component ? s.getComponent(p.field, p.component) : s.getField(p.field).toString();
      });
    }
    case 'node-hl7-client': {
      const m = new NodeHl7ClientMessage({ text });
      return paths.map((p) => {
        try {
          return m.get(`${p.segment}.${p.field}${p.component ? `.${p.component}` : ''}`).toString();
        } catch {
          return '';
        }
      });
    }
    case 'simple-hl7': {
      const m = simpleParser.parse(text);
      return paths.map((p) => simpleRead(m, p));
    }
    default:
      return [];
  }
}

function agreement(lib: string): string {
  let same = 0;
  let total = 0;
  for (const text of SAMPLE_MESSAGES) {
    const ours = readsOf('ours', text);
    let theirs: string[];
    try {
      theirs = readsOf(lib, text);
    } catch {
      theirs = [];
    }
    for (const [i, v] of ours.entries()) {
      total++;
      if (theirs[i] === v) same++;
    }
  }
  return `${same}/${total}`;
}

function measure(run: Runner, ms: number): number {
  let count = 0;
  let sink = 0;
  const start = performance.now();
  let now = start;
  while (now - start < ms) {
    for (const text of SAMPLE_MESSAGES) sink += run(text);
    count += SAMPLE_MESSAGES.length;
    now = performance.now();
  }
  if (sink < 0) console.log(sink);
  return (count / (now - start)) * 1000;
}

interface Contender {
  name: string;
  run: Runner;
  reads: string;
  escapes: string;
}

export function benchHl7Parse(rounds = Number(process.env['BENCH_RUNS'] ?? 5)): void {
  const contenders: Contender[] = [
    { name: 'rxbridge parseHl7', run: ours, reads: 'ours', escapes: 'yes' },
    { name: '@medplum/core Hl7Message', run: medplum, reads: 'medplum', escapes: 'no' },
    {
      name: 'node-hl7-client Message (parse + reads)',
      run: nodeHl7Client,
      reads: 'node-hl7-client',
      escapes: 'yes',
    },
    {
      name: 'node-hl7-client Message (lazy parse only, no reads)',
      run: nodeHl7ClientParseOnly,
      reads: '',
      escapes: 'n/a',
    },
    { name: 'simple-hl7 Parser', run: simple, reads: 'simple-hl7', escapes: 'no' },
  ];
  const rates = contenders.map(() => [] as number[]);
  for (const c of contenders) measure(c.run, 300);
  // Interleaved rounds, so a noisy second on a shared machine hits every library alike.
  for (let i = 0; i < rounds; i++) {
    for (const [k, c] of contenders.entries()) rates[k]!.push(measure(c.run, 1000));
  }
  const medians = rates.map((r) => median(r));
  const a = medians[0]!;
  console.log('\n## HL7 v2 parse + field access');
  console.log(machineLine());
  console.log(
    `input: ${SAMPLE_MESSAGES.length} realistic messages (ADT^A01/A03/A08, ORU^R01, RDE^O11...), ${SAMPLE_READ_PATHS.length} field reads each; median of ${rounds} one-second runs, libraries interleaved\n`,
  );
  console.log('| library | msg/s | rxbridge is × faster | reads equal to rxbridge | escapes decoded |');
  console.log('|---|---|---|---|---|');
  for (const [k, c] of contenders.entries()) {
    const rate = medians[k]!;
    console.log(
      `| ${c.name} | ${Math.round(rate).toLocaleString('en-US')} | ${k === 0 ? '1.0×' : `${(a / rate).toFixed(1)}×`} | ${c.reads ? agreement(c.reads) : '—'} | ${c.escapes} |`,
    );
  }
  console.log(
    '\nnot measured: the `hl7v2` npm package cannot be installed (a dependency it names is missing from the npm registry).',
  );
  console.log(
    'reads equal to rxbridge: the same 15 paths read from each library and compared with our decoded values; differences are undecoded escapes, MSH numbering and component handling.',
  );
}

if (import.meta.url === `file://${process.argv[1]}`) benchHl7Parse();
