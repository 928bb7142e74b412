// Benchmark: HL7 v2 parse + ~15 field reads per message, beside @medplum/core on the same messages and paths.
import { Hl7Message as MedplumHl7Message } from '@medplum/core';
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

export function benchHl7Parse(rounds = Number(process.env['BENCH_RUNS'] ?? 5)): void {
  const ourRates: number[] = [];
  const peerRates: number[] = [];
  measure(ours, 300);
  measure(medplum, 300);
  for (let i = 0; i < rounds; i++) {
    ourRates.push(measure(ours, 1000));
    peerRates.push(measure(medplum, 1000));
  }
  const a = median(ourRates);
  const b = median(peerRates);
  console.log('\n## HL7 v2 parse + field access');
  console.log(machineLine());
  console.log(
    `input: ${SAMPLE_MESSAGES.length} realistic messages (ADT^A01/A03/A08, ORU^R01, RDE^O11...), ${SAMPLE_READ_PATHS.length} field reads each; median of ${rounds} one-second runs\n`,
  );
  console.log('| library | msg/s | escapes decoded | ratio |');
  console.log('|---|---|---|---|');
  console.log(
    `| rxbridge parseHl7 | ${Math.round(a).toLocaleString('en-US')} | yes | ${(a / b).toFixed(1)}× |`,
  );
  console.log(`| @medplum/core Hl7Message | ${Math.round(b).toLocaleString('en-US')} | no | 1.0× |`);
}

if (import.meta.url === `file://${process.argv[1]}`) benchHl7Parse();
