// The canary scanner: looks for known canary secrets and canary patient data, in plaintext, in every file under the
// given paths (database files, WAL and journal files, logs). Run by canary.test.ts after real traffic; also runnable
// by hand on any data directory: `node test/security/canary-scan.ts <dir-or-file>... -- <canary>...`.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

export interface CanaryHit {
  file: string;
  canary: string;
  /** How it was found: utf8 text, UTF-16LE text, or base64 of the canary. */
  encoding: 'utf8' | 'utf16le' | 'base64' | 'hex';
  offset: number;
}

export interface ScanResult {
  files: number;
  bytes: number;
  canaries: number;
  hits: CanaryHit[];
}

function listFiles(path: string, out: string[]): void {
  const st = statSync(path, { throwIfNoEntry: false });
  if (!st) return;
  if (st.isDirectory()) {
    for (const name of readdirSync(path)) listFiles(join(path, name), out);
  } else if (st.isFile()) out.push(path);
}

/** Every occurrence form a careless writer might leave: the text itself, UTF-16, base64 and hex of it. */
function needles(canary: string): Array<[CanaryHit['encoding'], Buffer]> {
  const forms: Array<[CanaryHit['encoding'], Buffer]> = [
    ['utf8', Buffer.from(canary, 'utf8')],
    ['utf16le', Buffer.from(canary, 'utf16le')],
    ['hex', Buffer.from(Buffer.from(canary, 'utf8').toString('hex'), 'utf8')],
  ];
  // base64 of the canary at any of the three alignments (the inner part that does not depend on neighbours).
  for (let shift = 0; shift < 3; shift++) {
    const b64 = Buffer.from('x'.repeat(shift) + canary, 'utf8').toString('base64');
    const start = Math.ceil((shift * 4) / 3) + 1;
    const inner = b64.slice(start, b64.length - 4);
    if (inner.length >= 8) forms.push(['base64', Buffer.from(inner, 'utf8')]);
  }
  return forms;
}

export function scanForCanaries(paths: readonly string[], canaries: readonly string[]): ScanResult {
  const files: string[] = [];
  for (const p of paths) listFiles(p, files);
  const result: ScanResult = { files: files.length, bytes: 0, canaries: canaries.length, hits: [] };
  const patterns = canaries.filter((c) => c.length >= 6).map((c) => ({ canary: c, forms: needles(c) }));
  for (const file of files) {
    const bytes = readFileSync(file);
    result.bytes += bytes.length;
    for (const { canary, forms } of patterns) {
      for (const [encoding, needle] of forms) {
        const offset = bytes.indexOf(needle);
        if (offset >= 0) result.hits.push({ file, canary, encoding, offset });
      }
    }
  }
  return result;
}

const entry = process.argv[1] ?? '';
if (/canary-scan\.ts$/.test(entry)) {
  const args = process.argv.slice(2);
  const split = args.indexOf('--');
  if (split < 1 || split === args.length - 1) {
    process.stderr.write('usage: node test/security/canary-scan.ts <dir-or-file>... -- <canary>...\n');
    process.exit(2);
  }
  const r = scanForCanaries(args.slice(0, split), args.slice(split + 1));
  process.stdout.write(
    `scanned ${r.files} files (${r.bytes} bytes) for ${r.canaries} canaries: ${r.hits.length} plaintext hits\n`,
  );
  for (const h of r.hits)
    process.stdout.write(`  ${h.file} @${h.offset} (${h.encoding}): ${h.canary.slice(0, 4)}…\n`);
  process.exit(r.hits.length === 0 ? 0 : 1);
}
