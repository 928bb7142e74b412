// What every browser test file starts from: the web app built, a real engine serving it (its data in a temporary
// folder), Debian's Chromium headless, pages in contexts of their own, sign-in through the login page, and one
// teardown for all of it.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, BrowserContextOptions, Page } from 'playwright-core';
import { freshTotp, type SeededUser } from '../support/auth.ts';
import { buildWebApp } from './build-web.ts';
import { launchChromium } from './chromium.ts';
import { startWorkspaceEngine, type WorkspaceEngine } from './workspace-engine.ts';

export interface BrowserWorkspace {
  w: WorkspaceEngine;
  /** The engine's data folder (its SQLite file is `store.db` there). */
  dir: string;
  browser: Browser;
  /** A page in a new context (its own cookies), 1440 × 1000 unless `options` say otherwise. */
  newPage(options?: BrowserContextOptions): Promise<Page>;
  /** Signs in through the login page, with the authenticator code when the user has a second factor. */
  signIn(page: Page, user: SeededUser): Promise<void>;
  close(): Promise<void>;
}

export async function openBrowserWorkspace(name: string): Promise<BrowserWorkspace> {
  const webRoot = await buildWebApp();
  const dir = mkdtempSync(join(tmpdir(), `rxb-${name}-`));
  const contexts: BrowserContext[] = [];
  let w: WorkspaceEngine | undefined;
  let browser: Browser | undefined;
  const close = async (): Promise<void> => {
    for (const c of contexts) await c.close();
    await browser?.close();
    await w?.stop();
    rmSync(webRoot, { recursive: true, force: true });
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    w = await startWorkspaceEngine({ webRoot, dir });
    browser = await launchChromium();
  } catch (error) {
    await close();
    throw error;
  }
  const started = { w, browser };
  return {
    ...started,
    dir,
    newPage: async (options = {}) => {
      const context = await started.browser.newContext({
        viewport: { width: 1440, height: 1000 },
        ...options,
      });
      contexts.push(context);
      return context.newPage();
    },
    signIn: async (page, user) => {
      await page.goto(started.w.url);
      await page.getByLabel('Username').fill(user.username);
      await page.getByLabel('Password').fill(user.password);
      if (user.totpSecret) await page.getByLabel('Authenticator code').fill(await freshTotp(user.totpSecret));
      await page.getByRole('button', { name: 'Sign in' }).click();
    },
    close,
  };
}
