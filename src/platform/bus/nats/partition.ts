// Stable partition of a partition key: every process, on every run, maps one key to the same partition.

const utf8 = new TextEncoder();

/** FNV-1a, 32 bits (draft-eastlake-fnv): tiny, stable across platforms, spreads short ids well enough. */
function fnv1a32(text: string): number {
  let hash = 0x811c9dc5;
  for (const byte of utf8.encode(text)) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}

/** The partition (0 ≤ p < partitions) whose subject carries this key's events. */
export function partitionOf(key: string, partitions: number): number {
  return fnv1a32(key) % partitions;
}

/** A short stable hash in hex, for names that must stay unique after unsafe characters are replaced. */
export function shortHash(text: string): string {
  return fnv1a32(text).toString(16).padStart(8, '0');
}
