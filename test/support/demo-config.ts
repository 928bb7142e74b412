// The config the in-process engine tests start with: a SQLite file in `dir`, the demo pharmacy, HTTP and the first
// MLLP listener on free loopback ports; `overrides` adds or replaces settings (dotted keys, as loadConfig takes them).
import { join } from 'node:path';
import type { Config } from '../../src/config/config-schema.ts';
import { loadConfig } from '../../src/config/load-config.ts';

export function demoEngineConfig(dir: string, overrides: Record<string, unknown> = {}): Config {
  const loaded = loadConfig({
    env: {},
    cwd: dir,
    overrides: {
      store: `sqlite:${join(dir, 'store.db')}`,
      demo: true,
      'http.port': 0,
      'http.host': '127.0.0.1',
      'mllp.listeners.0.port': 0,
      'mllp.listeners.0.host': '127.0.0.1',
      ...overrides,
    },
  });
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.issues));
  return loaded.value.config;
}
