// Tests for MLLP framing: any chunking, several blocks per chunk, trailing LF, garbage, oversize and a 20 MB block.
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { MllpDeframer, framesOf, frameMllp } from './mllp-framer.ts';

function deframeAll(chunks: readonly Buffer[], maxFrameBytes?: number) {
  const d = new MllpDeframer(maxFrameBytes === undefined ? {} : { maxFrameBytes });
  const items = chunks.flatMap((c) => d.feed(c));
  return { d, items, frames: framesOf(items).map((f) => f.toString('latin1')) };
}

/** Payloads as HL7 would carry them: any byte except the three framing bytes. */
const payload = fc
  .uint8Array({ maxLength: 300 })
  .map((a) => Buffer.from(a.filter((b) => b !== 0x0b && b !== 0x1c)).toString('latin1'));

function stream(messages: readonly string[], separators: readonly string[]): Buffer {
  return Buffer.concat(
    messages.map((m, i) =>
      Buffer.concat([frameMllp(Buffer.from(m, 'latin1')), Buffer.from(separators[i] ?? '')]),
    ),
  );
}

function splitAt(buf: Buffer, cuts: readonly number[]): Buffer[] {
  const points = [...new Set(cuts.map((c) => c % (buf.length + 1)))].sort((a, b) => a - b);
  const out: Buffer[] = [];
  let prev = 0;
  for (const p of points) {
    out.push(buf.subarray(prev, p));
    prev = p;
  }
  out.push(buf.subarray(prev));
  return out;
}

describe('MllpDeframer', () => {
  test('every block once, in order, however the stream is split', () => {
    fc.assert(
      fc.property(
        fc.array(payload, { maxLength: 12 }),
        fc.array(fc.constantFrom('', '\n', '\r\n', ' \n'), { maxLength: 12 }),
        fc.array(fc.nat(), { maxLength: 40 }),
        (messages, seps, cuts) => {
          const bytes = stream(messages, seps);
          const { frames, d } = deframeAll(splitAt(bytes, cuts));
          expect(frames).toEqual(messages);
          expect(d.discardedBytes).toBe(0);
          expect(d.partial).toBe(false);
        },
      ),
      { numRuns: 500 },
    );
  });

  test('split at every single byte boundary, and byte by byte', () => {
    const messages = ['MSH|^~\\&|A\rPID|1', '', 'MSH|x\x1dy\r\n', 'second\x1cnot-end'];
    const bytes = stream(messages, ['\n', '', '\r\n', '']);
    for (let i = 0; i <= bytes.length; i++) {
      expect(deframeAll([bytes.subarray(0, i), bytes.subarray(i)]).frames).toEqual(messages);
    }
    const single = [...bytes].map((b) => Buffer.from([b]));
    expect(deframeAll(single).frames).toEqual(messages);
  });

  test('several blocks in one chunk', () => {
    const { frames } = deframeAll([stream(['a', 'b', 'c'], ['', '\n', ''])]);
    expect(frames).toEqual(['a', 'b', 'c']);
  });

  test('bytes outside blocks are dropped and counted; an abandoned block is dropped', () => {
    const { frames, d } = deframeAll([Buffer.from('junk\x0bAB\x0bCD\x1c\rmore\n\x0bEF\x1c\r')]);
    expect(frames).toEqual(['CD', 'EF']);
    expect(d.discardedBytes).toBe(4 + 3 + 4);
  });

  test('an oversize block is reported once and skipped; the stream goes on after it', () => {
    const { items } = deframeAll(splitAt(stream(['ok', 'x'.repeat(100), 'after'], []), [5, 20, 50, 90]), 50);
    expect(items.map((i) => i.kind)).toEqual(['frame', 'oversize', 'frame']);
    expect(items[1]).toMatchObject({ kind: 'oversize', limit: 50 });
    expect(framesOf(items).map((f) => f.toString())).toEqual(['ok', 'after']);
  });

  test('a 20 MB block in 64 KiB chunks arrives whole', () => {
    const big = Buffer.alloc(20 * 1024 * 1024, 0x41);
    big.write('MSH|^~\\&|', 0);
    const bytes = frameMllp(big);
    const chunks: Buffer[] = [];
    for (let i = 0; i < bytes.length; i += 65536) chunks.push(bytes.subarray(i, i + 65536));
    const d = new MllpDeframer();
    const frames = framesOf(chunks.flatMap((c) => d.feed(c)));
    expect(frames.length).toBe(1);
    expect(frames[0]!.equals(big)).toBe(true);
  });
});
