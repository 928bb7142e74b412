// Bench instrument, loaded with `node --import`: counts this process's PostgreSQL round trips (client queries,
// BEGIN and COMMIT included) and writes the running total to RXBRIDGE_PG_COUNT_DIR/<pid> every 200 ms.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';

const dir = process.env['RXBRIDGE_PG_COUNT_DIR'];
if (dir !== undefined && dir !== '') {
  let count = 0;
  // Called below with the client as `this`.
  // eslint-disable-next-line @typescript-eslint/unbound-method
  const query = pg.Client.prototype.query as (...args: unknown[]) => unknown;
  pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]): unknown {
    count++;
    return query.apply(this, args);
  } as typeof pg.Client.prototype.query;
  const write = (): void => writeFileSync(join(dir, String(process.pid)), String(count));
  setInterval(write, 200).unref();
  process.on('exit', write);
}
