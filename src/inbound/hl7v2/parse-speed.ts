// Hand-run speed check (not a test): `node src/inbound/hl7v2/parse-speed.ts` prints parse + ~15 reads msg/s vs @medplum/core.
import { Hl7Message as MedplumHl7Message } from '@medplum/core';
import { cpus } from 'node:os';
import { parseHl7Path } from './hl7-path.ts';
import { parseHl7 } from './parse-hl7.ts';
import { SAMPLE_MESSAGES, SAMPLE_READ_PATHS } from './sample-messages.ts';

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

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

const rounds = Number(process.argv[2] ?? 5);
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
console.log(
  `node ${process.version}, ${cpus().length} cores, ${SAMPLE_MESSAGES.length} messages, ${SAMPLE_READ_PATHS.length} reads each`,
);
console.log(`rxbridge parseHl7      ${Math.round(a).toLocaleString('en-US')} msg/s (median of ${rounds})`);
console.log(`@medplum/core Hl7Message ${Math.round(b).toLocaleString('en-US')} msg/s (median of ${rounds})`);
console.log(`ratio ${(a / b).toFixed(1)}x`);
