// The logger censors patient data and secrets under any of the usual keys.
import { Writable } from 'node:stream';
import { expect, it } from 'vitest';
import { createLogger } from './logger.ts';

it('redacts PHI and secrets at the top level and nested', () => {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, cb) {
      lines.push(chunk.toString());
      cb();
    },
  });
  const log = createLogger('info', sink);
  log.info(
    {
      raw: 'MSH|^~\\&|CANARY-PHI',
      patient: 'CANARY-PATIENT',
      input: { name: 'CANARY-NAME', token: 'CANARY-SECRET' },
      messageId: 'm1',
    },
    'stored',
  );
  const text = lines.join('');
  expect(text).toContain('"messageId":"m1"');
  expect(text).not.toMatch(/CANARY/);
  expect(text).toContain('[redacted]');
});
