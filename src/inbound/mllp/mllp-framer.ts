// MLLP framing (HL7 v2 MLLP release 2, block format <VT> data <FS><CR>): a streaming deframer correct under any chunking.

export const MLLP_START = 0x0b;
export const MLLP_END = 0x1c;
export const MLLP_END_CR = 0x0d;
export const DEFAULT_MAX_FRAME_BYTES = 64 * 1024 * 1024;

const START_BYTE = Buffer.from([MLLP_START]);
const END_BYTES = Buffer.from([MLLP_END, MLLP_END_CR]);
const LONE_END = Buffer.from([MLLP_END]);

/** Wraps one message in an MLLP block. */
export function frameMllp(payload: string | Buffer): Buffer {
  const body = typeof payload === 'string' ? Buffer.from(payload, 'utf8') : payload;
  return Buffer.concat([START_BYTE, body, END_BYTES], body.length + 3);
}

export type MllpFeedItem =
  | { kind: 'frame'; frame: Buffer }
  /** A block longer than the limit: its bytes were dropped up to its end marker; the stream goes on after it. */
  | {
      kind: 'oversize';
      size: number;
      limit: number;
      reason: string;
      /** The first bytes of the block (at most 1 KiB), enough to read its MSH for the reject. */
      head: Buffer;
    };

function isWhitespace(b: number): boolean {
  return b === 0x0a || b === 0x0d || b === 0x20 || b === 0x09;
}

/**
 * Turns a byte stream into MLLP blocks. Chunks are collected and concatenated once per block (no quadratic
 * copying for large messages). White space between blocks (a trailing LF after FS CR) is tolerated; any other
 * byte outside a block is dropped and counted in `discardedBytes`.
 */
export class MllpDeframer {
  readonly maxFrameBytes: number;
  /** Bytes dropped outside blocks (not counting white space between blocks) or in abandoned partial blocks. */
  discardedBytes = 0;
  #inside = false;
  /** Inside an oversize block: drop until its end marker. */
  #skipping = false;
  #skippedSize = 0;
  /** The previous chunk ended with FS; the block ends if this one starts with CR. */
  #pendingEnd = false;
  #parts: Buffer[] = [];
  #size = 0;

  constructor(options: { maxFrameBytes?: number } = {}) {
    this.maxFrameBytes = options.maxFrameBytes ?? DEFAULT_MAX_FRAME_BYTES;
  }

  /** True while part of a block has been received but not its end. */
  get partial(): boolean {
    return this.#inside;
  }

  feed(chunk: Buffer): MllpFeedItem[] {
    const out: MllpFeedItem[] = [];
    let pos = 0;
    const len = chunk.length;
    // Position of the next start byte at or after `pos` (-1: none left in this chunk), found once per pass.
    let nextStart = -2;
    if (this.#pendingEnd && len > 0) {
      this.#pendingEnd = false;
      if (chunk[0] === MLLP_END_CR) {
        this.#finish(out);
        pos = 1;
      } else {
        // FS not followed by CR is not an end marker; keep it as data.
        this.#append(LONE_END, out);
      }
    }
    while (pos < len) {
      if (!this.#inside) {
        const start = chunk.indexOf(MLLP_START, pos);
        const stop = start === -1 ? len : start;
        for (let i = pos; i < stop; i++) if (!isWhitespace(chunk[i] as number)) this.discardedBytes++;
        if (start === -1) break;
        this.#inside = true;
        this.#parts = [];
        this.#size = 0;
        pos = start + 1;
        continue;
      }
      const end = chunk.indexOf(MLLP_END, pos);
      // A new start byte before the end: the sender abandoned the block it was sending.
      if (nextStart !== -1 && nextStart < pos) nextStart = chunk.indexOf(MLLP_START, pos);
      const restart = nextStart;
      if (restart !== -1 && (end === -1 || restart < end)) {
        // Counted first, so an abandoned block over the limit is reported however the stream was chunked.
        this.#append(chunk.subarray(pos, restart), out);
        this.discardedBytes += (this.#skipping ? this.#skippedSize : this.#size) + 1;
        this.#skipping = false;
        this.#skippedSize = 0;
        this.#parts = [];
        this.#size = 0;
        pos = restart + 1;
        continue;
      }
      if (end === -1) {
        this.#append(chunk.subarray(pos), out);
        break;
      }
      if (end === len - 1) {
        this.#append(chunk.subarray(pos, end), out);
        this.#pendingEnd = true;
        break;
      }
      if (chunk[end + 1] === MLLP_END_CR) {
        this.#append(chunk.subarray(pos, end), out);
        this.#finish(out);
        pos = end + 2;
      } else {
        this.#append(chunk.subarray(pos, end + 1), out);
        pos = end + 1;
      }
    }
    return out;
  }

  #append(part: Buffer, out: MllpFeedItem[]): void {
    if (part.length === 0) return;
    if (this.#skipping) {
      this.#skippedSize += part.length;
      return;
    }
    this.#size += part.length;
    if (this.#size > this.maxFrameBytes) {
      // Report once, as soon as the limit is passed, so the receiver can answer without waiting for the end.
      out.push({
        head: headOf([...this.#parts, part], 1024),
        kind: 'oversize',
        size: this.#size,
        limit: this.maxFrameBytes,
        reason: `MLLP block exceeds the maximum of ${this.maxFrameBytes} bytes`,
      });
      this.#skipping = true;
      this.#skippedSize = this.#size;
      this.#parts = [];
      this.#size = 0;
      return;
    }
    this.#parts.push(part);
  }

  #finish(out: MllpFeedItem[]): void {
    if (this.#skipping) {
      this.discardedBytes += this.#skippedSize;
      this.#skipping = false;
      this.#skippedSize = 0;
    } else {
      const parts = this.#parts;
      // One part is returned without copying; several are concatenated exactly once.
      const frame = parts.length === 1 ? (parts[0] as Buffer) : Buffer.concat(parts, this.#size);
      out.push({ kind: 'frame', frame });
    }
    this.#inside = false;
    this.#parts = [];
    this.#size = 0;
  }
}

/** The first `max` bytes of a block received in parts (a header may be split across TCP reads), as a copy. */
function headOf(parts: readonly Buffer[], max: number): Buffer {
  const taken: Buffer[] = [];
  let size = 0;
  for (const part of parts) {
    if (size >= max) break;
    const piece = part.subarray(0, max - size);
    taken.push(piece);
    size += piece.length;
  }
  return Buffer.concat(taken, size);
}

/** Convenience for tests and tools: only the frames. */
export function framesOf(items: readonly MllpFeedItem[]): Buffer[] {
  const frames: Buffer[] = [];
  for (const item of items) if (item.kind === 'frame') frames.push(item.frame);
  return frames;
}
