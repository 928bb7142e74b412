// Bench instrument, loaded with `node --import`: counts this process's PostgreSQL round trips (client queries,
// BEGIN and COMMIT included), by kind, and writes the running totals as JSON to RXBRIDGE_PG_COUNT_DIR/<pid>
// every 200 ms.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';

/** A short name for a statement: its first keyword and the table it names first. */
export function statementKind(text: string): string {
  const words = text.replace(/\s+/g, ' ').trim().split(' ');
  const first = (words[0] ?? '').toUpperCase();
  if (first === 'BEGIN' || first === 'COMMIT' || first === 'ROLLBACK') return first;
  const table = /\b(?:FROM|INTO|UPDATE)\s+([a-z_]+)/i.exec(text)?.[1] ?? '';
  if (/SKIP LOCKED/i.test(text)) return 'claim';
  return `${first} ${table}`.trim();
}

const dir = process.env['RXBRIDGE_PG_COUNT_DIR'];
if (dir !== undefined && dir !== '') {
  const counts: Record<string, number> = { total: 0 };
  // Called below with the client as `this`.
  // eslint-disable-next-line @typescript-eslint/unbound-method
  const query = pg.Client.prototype.query as (...args: unknown[]) => unknown;
  pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]): unknown {
    const first = args[0];
    const text = typeof first === 'string' ? first : ((first as { text?: string } | undefined)?.text ?? '');
    const kind = statementKind(text);
    counts[kind] = (counts[kind] ?? 0) + 1;
    counts['total'] = (counts['total'] ?? 0) + 1;
    return query.apply(this, args);
  } as typeof pg.Client.prototype.query;
  const write = (): void => writeFileSync(join(dir, String(process.pid)), JSON.stringify(counts));
  setInterval(write, 200).unref();
  process.on('exit', write);
}
