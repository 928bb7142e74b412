// A bounded ZIP reader for IHE XDM packages: central directory, stored and deflated entries only, with limits on
// entry count and inflated size (a zip bomb stops at the limit). No ZIP64, no encryption.
import { Buffer } from 'node:buffer';
import { inflateRawSync } from 'node:zlib';

export interface ZipEntry {
  name: string;
  data: Buffer;
}

export interface ZipLimits {
  maxEntries: number;
  maxEntryBytes: number;
  maxTotalBytes: number;
}

export const DEFAULT_ZIP_LIMITS: ZipLimits = {
  maxEntries: 2000,
  maxEntryBytes: 32 * 1024 * 1024,
  maxTotalBytes: 128 * 1024 * 1024,
};

export class ZipError extends Error {}

/** Reads every file entry. Throws ZipError with a plain reason when the archive is unusable or over a limit. */
export function readZip(buf: Buffer, limits: ZipLimits = DEFAULT_ZIP_LIMITS): ZipEntry[] {
  let eocd = -1;
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 65_557); i--) {
    if (buf.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd === -1) throw new ZipError('not a ZIP archive (no end of central directory)');
  const count = buf.readUInt16LE(eocd + 10);
  const cdOffset = buf.readUInt32LE(eocd + 16);
  if (count === 0xffff || cdOffset === 0xffffffff) throw new ZipError('ZIP64 archives are not accepted');
  if (count > limits.maxEntries)
    throw new ZipError(`archive has ${count} entries; the limit is ${limits.maxEntries}`);
  const out: ZipEntry[] = [];
  let total = 0;
  let p = cdOffset;
  for (let n = 0; n < count; n++) {
    if (p + 46 > buf.length || buf.readUInt32LE(p) !== 0x02014b50)
      throw new ZipError('central directory is damaged');
    const flags = buf.readUInt16LE(p + 8);
    const method = buf.readUInt16LE(p + 10);
    const compressed = buf.readUInt32LE(p + 20);
    const size = buf.readUInt32LE(p + 24);
    const nameLen = buf.readUInt16LE(p + 28);
    const extraLen = buf.readUInt16LE(p + 30);
    const commentLen = buf.readUInt16LE(p + 32);
    const local = buf.readUInt32LE(p + 42);
    const name = buf.toString(flags & 0x800 ? 'utf8' : 'latin1', p + 46, p + 46 + nameLen);
    p += 46 + nameLen + extraLen + commentLen;
    if (name.endsWith('/')) continue;
    if (flags & 0x1) throw new ZipError(`entry ${name} is encrypted`);
    if (size > limits.maxEntryBytes)
      throw new ZipError(`entry ${name} inflates to ${size} bytes; the limit is ${limits.maxEntryBytes}`);
    if (local + 30 > buf.length || buf.readUInt32LE(local) !== 0x04034b50)
      throw new ZipError(`entry ${name} is damaged`);
    const start = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
    const raw = buf.subarray(start, start + compressed);
    let data: Buffer;
    if (method === 0) data = Buffer.from(raw);
    else if (method === 8) {
      try {
        // The declared size may lie: inflation itself is capped.
        data = inflateRawSync(raw, { maxOutputLength: limits.maxEntryBytes });
      } catch {
        throw new ZipError(`entry ${name} does not inflate within ${limits.maxEntryBytes} bytes`);
      }
    } else
      throw new ZipError(`entry ${name} uses compression method ${method}; only stored and deflate are read`);
    total += data.length;
    if (total > limits.maxTotalBytes)
      throw new ZipError(`archive inflates past ${limits.maxTotalBytes} bytes`);
    out.push({ name, data });
  }
  return out;
}
