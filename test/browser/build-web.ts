// Builds the web app with Vite's JS API into a temporary folder, so browser tests need no separate build step.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'vite';
import { webConfig } from '../../web/vite.config.ts';

export async function buildWebApp(): Promise<string> {
  const outDir = mkdtempSync(join(tmpdir(), 'rxb-web-'));
  await build({ ...webConfig(outDir), configFile: false });
  return outDir;
}
