// Config: defaults, file + environment layering, and errors that name the key, the value and the reason.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from './load-config.ts';

function tempFile(name: string, text: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'rxb-config-'));
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
}

describe('loadConfig', () => {
  it('gives the documented defaults with no file and no environment', () => {
    const r = loadConfig({ env: {}, cwd: tmpdir() });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.config.http.port).toBe(8080);
    expect(r.value.config.mllp.listeners).toEqual([
      expect.objectContaining({ name: 'default', port: 2575, host: '127.0.0.1' }),
    ]);
    expect(r.value.config.store).toBe('sqlite:./data/rxbridge.db');
    expect(r.value.config.bus).toBe('local');
  });

  it('reads YAML and lets RXBRIDGE_* variables override it', () => {
    const file = tempFile(
      'rxbridge.yaml',
      'http:\n  port: 9000\nmllp:\n  listeners:\n    - name: epic\n      port: 6000\n',
    );
    const r = loadConfig({
      file,
      env: { RXBRIDGE_HTTP_PORT: '9100', RXBRIDGE_BUS: 'nats://127.0.0.1:4222' },
    });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.config.http.port).toBe(9100);
    expect(r.value.config.bus).toBe('nats://127.0.0.1:4222');
    expect(r.value.config.mllp.listeners[0]).toMatchObject({ name: 'epic', port: 6000 });
  });

  it('names the key, the value and the reason for every bad setting', () => {
    const file = tempFile(
      'rxbridge.json',
      JSON.stringify({ http: { port: 70000 }, store: 'mysql://x', bogus: 1 }),
    );
    const r = loadConfig({ file, env: {} });
    expect(r.ok).toBe(false);
    const text = r.issues.map((i) => `${i.path}: ${i.message}`).join('\n');
    expect(text).toMatch(/http\.port: .*70000/);
    expect(text).toMatch(/store: must be sqlite:<path> or a postgres:\/\/ URL \(got "mysql:\/\/x"\)/);
    expect(text).toMatch(/bogus/);
  });

  it('rejects an environment value of the wrong kind before validation', () => {
    const r = loadConfig({ env: { RXBRIDGE_HTTP_PORT: 'eighty' }, cwd: tmpdir() });
    expect(r.ok).toBe(false);
    expect(r.issues[0]).toMatchObject({ path: 'http.port' });
    expect(r.issues[0]?.message).toContain('RXBRIDGE_HTTP_PORT="eighty"');
  });

  it('reports unreadable YAML with the file name', () => {
    const file = tempFile('bad.yaml', 'http: [unclosed');
    const r = loadConfig({ file, env: {} });
    expect(r.ok).toBe(false);
    expect(r.issues[0]?.path).toBe(file);
    expect(r.issues[0]?.message).toMatch(/not valid YAML/);
  });

  it('says when the config file is missing', () => {
    const r = loadConfig({ file: join(tmpdir(), 'no-such-rxbridge.yaml'), env: {} });
    expect(r.ok).toBe(false);
    expect(r.issues[0]?.code).toBe('not-found');
  });
});
