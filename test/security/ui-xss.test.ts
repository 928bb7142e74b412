// S12 in Debian's Chromium against the real engine and the built web app: XSS vectors inside clinical text (patient
// name, free-text discharge medications) reach the pages as text, never as script; the CSP is strict; after sign-out
// no patient data is left in browser storage and the session cookie is gone.
import { existsSync, rmSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildWebApp } from '../browser/build-web.ts';
import { startWorkspaceEngine, type WorkspaceEngine } from '../browser/workspace-engine.ts';
import { freshTotp } from '../support/auth.ts';

const CHROMIUM = process.env['RXBRIDGE_CHROMIUM'] ?? '/usr/bin/chromium';

/** Each vector bumps window.__xss if it ever runs. No HL7 delimiters (| ^ ~ \ &) inside. */
const VECTORS = [
  '<img src=x onerror=window.__xss=(window.__xss||0)+1>',
  '<script>window.__xss=(window.__xss||0)+1</script>',
  '<svg/onload=window.__xss=(window.__xss||0)+1>',
  '"><iframe srcdoc="<script>parent.__xss=1</script>">',
  '<a href="javascript:window.__xss=1">click</a>',
];

let w: WorkspaceEngine;
let browser: Browser;
let page: Page;
let webRoot: string;

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM} (set RXBRIDGE_CHROMIUM)`);
  webRoot = await buildWebApp();
  w = await startWorkspaceEngine({ webRoot });
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
  });
  page = await browser.newPage();
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await w?.stop();
  if (webRoot) rmSync(webRoot, { recursive: true, force: true });
});

it('S12: 0 script executions from XSS in clinical text; strict CSP; no PHI in storage after sign-out', async () => {
  const dialogs: string[] = [];
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  const stamp = '20261121080000';
  const message = [
    `MSH|^~\\&|EPICADT|GENHOSP|RXBRIDGE|MAINSTREETRX|${stamp}||ADT^A03^ADT_A03|XSS0001|P|2.5.1`,
    `EVN|A03|${stamp}`,
    `PID|1||MRN10001^^^GENHOSP^MR||WHITFIELD${VECTORS[0]}^ELEANOR${VECTORS[2]}||19480312|F`,
    `PV1|1|I|4W^412^1^GENHOSP||||2345678901^LINDQVIST^MARTA^^^DR|||MED||||||||||||||||||||||||||01||||||||${stamp}|${stamp}`,
    `OBX|1|TX|10183-2^Discharge medications^LN||METFORMIN 1000MG BID ${VECTORS.join(' ')}, LISINOPRIL 10MG DAILY||||||F`,
  ].join('\r');
  expect(await w.send(message)).toContain('MSA|AA');

  const home = await page.goto(w.url);
  const csp = home?.headers()['content-security-policy'] ?? '';
  expect(csp).toContain("script-src 'self'");
  expect(csp).not.toContain('unsafe-inline');
  expect(csp).not.toContain('unsafe-eval');
  expect(csp).toContain("object-src 'none'");
  expect(csp).toContain("frame-ancestors 'none'");

  await page.getByLabel('Username').fill(w.pharmacist.username);
  await page.getByLabel('Password').fill(w.pharmacist.password);
  await page.getByLabel('Authenticator code').fill(await freshTotp(w.pharmacist.totpSecret!));
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Review queue' }).waitFor();
  const row = page.getByRole('link', { name: 'Discharge reconciliation' }).first();
  await row.waitFor({ timeout: 20_000 });
  await row.click();
  await page.getByRole('heading', { name: /Discharge reconciliation/ }).waitFor();
  // The vectors are on the page as text.
  await expect.poll(() => page.locator('body').innerText(), { timeout: 10_000 }).toContain('onerror=');
  await page.waitForTimeout(300);
  expect(await page.evaluate('window.__xss ?? 0')).toBe(0);
  expect(await page.locator('body img[src="x"], body svg[onload], body iframe[srcdoc]').count()).toBe(0);
  expect(dialogs).toEqual([]);

  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.getByLabel('Username').waitFor();
  // Runs in the page, so it is plain JavaScript text.
  const storage = await page.evaluate<{
    local: string[];
    session: string[];
    idb: string[];
    caches: string[];
    cookie: string;
  }>(`(async () => {
    const dump = (s) => Array.from({ length: s.length }, (_, i) => s.key(i) + '=' + s.getItem(s.key(i)));
    const idb = 'databases' in indexedDB ? (await indexedDB.databases()).map((d) => d.name) : [];
    const caches = 'caches' in window ? await window.caches.keys() : [];
    return { local: dump(localStorage), session: dump(sessionStorage), idb, caches, cookie: document.cookie };
  })()`);
  const text = JSON.stringify(storage);
  for (const phi of ['WHITFIELD', 'ELEANOR', 'MRN10001', 'METFORMIN', '1948'])
    expect(text).not.toContain(phi);
  expect(storage.idb).toEqual([]);
  expect(storage.caches).toEqual([]);
  const cookies = await page.context().cookies();
  expect(cookies.filter((c) => c.name === 'rxb_session' && c.value !== '')).toEqual([]);
  expect(await page.evaluate('window.__xss ?? 0')).toBe(0);
  console.log(
    `S12 UI: ${VECTORS.length} XSS vectors in clinical text, 0 script executions, 0 dialogs; CSP ${csp.split(';').length} directives without unsafe-inline; storage after sign-out: ${storage.local.length} local, ${storage.session.length} session, ${storage.idb.length} IndexedDB, 0 PHI`,
  );
}, 90_000);
