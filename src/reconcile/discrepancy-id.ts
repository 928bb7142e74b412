// Discrepancy ids: one sha256 per patient (the key), then a cheap keyed 128-bit hash per discrepancy, UUID-shaped.
import { hash } from 'node:crypto';

/** Makes the ids of one patient's discrepancies from their parts (type, drug key, list text, prescription id). */
export type DiscrepancyIdMaker = (...parts: readonly string[]) => string;

/**
 * Ids depend only on the patient and the discrepancy's own parts, so the same inputs always give the same id.
 * The patient's id is hashed once with sha256; each discrepancy's parts are then mixed into that 128-bit key
 * with a multiply-xor hash (cyrb128 rounds and finalizer): not cryptographic, which ids do not need, and about
 * ten times cheaper than a sha256 per discrepancy. Layout as the kernel's stableId (RFC 9562 version 8).
 */
export function discrepancyIdsFor(patientId: string): DiscrepancyIdMaker {
  const seed = hash('sha256', `discrepancy\u001f${patientId}`, 'buffer');
  const s1 = seed.readInt32BE(0);
  const s2 = seed.readInt32BE(4);
  const s3 = seed.readInt32BE(8);
  const s4 = seed.readInt32BE(12);
  return (...parts) => {
    let h1 = s1;
    let h2 = s2;
    let h3 = s3;
    let h4 = s4;
    for (let p = 0; p < parts.length; p++) {
      const text = parts[p]!;
      // Parts joined by U+001F, as stableId joins them: "ab" + "c" is not "a" + "bc".
      for (let i = p === 0 ? 0 : -1; i < text.length; i++) {
        const k = i < 0 ? 0x1f : text.charCodeAt(i);
        h1 = h2 ^ Math.imul(h1 ^ k, 597399067);
        h2 = h3 ^ Math.imul(h2 ^ k, 2869860233);
        h3 = h4 ^ Math.imul(h3 ^ k, 951274213);
        h4 = h1 ^ Math.imul(h4 ^ k, 2716044179);
      }
    }
    h1 = Math.imul(h3 ^ (h1 >>> 18), 597399067);
    h2 = Math.imul(h4 ^ (h2 >>> 22), 2869860233);
    h3 = Math.imul(h1 ^ (h3 >>> 17), 951274213);
    h4 = Math.imul(h2 ^ (h4 >>> 19), 2716044179);
    h1 ^= h2 ^ h3 ^ h4;
    h2 ^= h1;
    h3 ^= h1;
    h4 ^= h1;
    // Version 8 in the 13th hex digit, variant 10xx in the 17th.
    h2 = (h2 & ~0xf000) | 0x8000;
    h3 = (h3 & 0x3fffffff) | 0x80000000;
    return `${hex(h1 >>> 24)}${hex(h1 >>> 16)}${hex(h1 >>> 8)}${hex(h1)}-${hex(h2 >>> 24)}${hex(h2 >>> 16)}-${hex(h2 >>> 8)}${hex(h2)}-${hex(h3 >>> 24)}${hex(h3 >>> 16)}-${hex(h3 >>> 8)}${hex(h3)}${hex(h4 >>> 24)}${hex(h4 >>> 16)}${hex(h4 >>> 8)}${hex(h4)}`;
  };
}

const HEX: readonly string[] = Array.from({ length: 256 }, (_, b) => b.toString(16).padStart(2, '0'));

/** Two hex digits for the low byte of n. */
function hex(n: number): string {
  return HEX[n & 0xff]!;
}
