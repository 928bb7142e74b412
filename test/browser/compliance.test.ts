// The compliance officer's audit report, the message browser's patient search and the dashboard's alerts, in a real
// browser (Debian's Chromium, headless) against the real engine: sign in through the page, filter, sort, page and
// export the audit trail (CSV and FHIR AuditEvent downloaded and read back), the chain check, the break-glass day
// report; a pharmacist gets no audit page; an integration engineer finds a patient's messages and sees an open alert.
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { demoDischargeA03 } from '../../src/cli/demo/demo-discharge.ts';
import { openSqliteRolloutStore } from '../../src/review/rollout/sqlite/sqlite-rollout-store.ts';
import { seedUser, sessionCookie, type SeededUser } from '../support/auth.ts';
import { UNNAMED_CONTROLS } from './a11y-page.ts';
import { openBrowserWorkspace, type BrowserWorkspace } from './browser-workspace.ts';
import { dischargeFor } from './demo-discharges.ts';
import type { WorkspaceEngine } from './workspace-engine.ts';

/** Screenshots go to a temporary folder; RXBRIDGE_SCREENSHOTS_DIR=docs/screenshots refreshes the documented ones. */
const SHOTS = process.env.RXBRIDGE_SCREENSHOTS_DIR
  ? resolve(process.env.RXBRIDGE_SCREENSHOTS_DIR)
  : mkdtempSync(join(tmpdir(), 'rxb-shots-'));
/** Whitfield, the demo discharge's patient, as the pharmacy knows her (the audit trail's patient reference). */
const PATIENT = 'P0001';

let bw: BrowserWorkspace;
let w: WorkspaceEngine;
let officer: SeededUser;
let engineer: SeededUser;

beforeAll(async () => {
  bw = await openBrowserWorkspace('compliance');
  w = bw.w;
  officer = await seedUser(w.engine.security.auth, { role: 'compliance-officer', site: '*' });
  engineer = await seedUser(w.engine.security.auth, { role: 'integration-engineer', site: '*' });
}, 60_000);

afterAll(async () => {
  await bw?.close();
  if (!process.env.RXBRIDGE_SCREENSHOTS_DIR) rmSync(SHOTS, { recursive: true, force: true });
});

const newPage = (): Promise<Page> => bw.newPage({ acceptDownloads: true });
/** Compliance officers and integration engineers sign in without a second factor. */
const signIn = (page: Page, user: SeededUser): Promise<void> => bw.signIn(page, user);

/** The text of one column (1-based) of the audit table's visible rows. */
const column = (page: Page, n: number): Promise<string[]> =>
  page.locator(`table.audit-table tbody tr td:nth-child(${n})`).allInnerTexts();

it('compliance officer filters, sorts and exports the audit report; a pharmacist cannot; messages by patient; alerts on the dashboard', async () => {
  // Audited activity: two discharges over MLLP (the pipeline reads the profiles, creates tasks), a pharmacist reads
  // the task and uses break-glass.
  expect(await w.send(demoDischargeA03())).toContain('MSA|AA');
  expect(await w.send(dischargeFor(1, 501, new Date()).text)).toContain('MSA|AA');
  await expect
    .poll(async () => (await w.api<{ total: number }>('/api/tasks')).body.total, { timeout: 15_000 })
    .toBeGreaterThanOrEqual(2);
  const tasks = (await w.api<{ tasks: Array<{ id: string }> }>('/api/tasks')).body.tasks;
  expect((await w.api(`/api/tasks/${tasks[0]!.id}`)).status).toBe(200);
  const grant = await w.api('/api/break-glass', {
    method: 'POST',
    body: JSON.stringify({ reason: 'Night shift: covering the west site pharmacist', minutes: 15 }),
  });
  expect(grant.status).toBe(201);
  const expected = await w.engine.store.audit.list({ patient: PATIENT, limit: 1000 });
  expect(expected.length).toBeGreaterThan(1);

  // The compliance officer signs in; the audit report is their start page.
  const page = await newPage();
  await signIn(page, officer);
  await page.getByRole('heading', { name: 'Audit report' }).waitFor();
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Audit report' }).waitFor();
  await page.locator('table.audit-table tbody tr').first().waitFor();
  expect(await page.evaluate<string[]>(UNNAMED_CONTROLS)).toEqual([]);

  // Filter by patient: only that patient's entries, as many as the store holds for them.
  await page.getByLabel('Patient').fill(PATIENT);
  await page.getByRole('button', { name: 'Apply filters' }).click();
  await expect.poll(async () => new Set(await column(page, 6))).toEqual(new Set([PATIENT]));
  const shownCount = async (): Promise<number> =>
    Number(/^(\d+) entries/.exec(await page.locator('p.audit-count').innerText())?.[1]);
  expect(await shownCount()).toBeGreaterThanOrEqual(expected.length);
  // And by category too: fewer, all of that category.
  await page.getByLabel('Category').fill('profile');
  await page.getByRole('button', { name: 'Apply filters' }).click();
  await expect.poll(async () => new Set(await column(page, 5))).toEqual(new Set(['profile']));
  const profileRows = (
    await w.engine.store.audit.list({ patient: PATIENT, category: 'profile', limit: 1000 })
  ).length;
  expect(profileRows).toBeGreaterThan(0);
  expect(await page.locator('table.audit-table tbody tr').count()).toBe(profileRows);
  await page.getByLabel('Category').fill('');
  await page.getByRole('button', { name: 'Apply filters' }).click();
  await expect.poll(shownCount).toBeGreaterThan(profileRows);
  const listed = await shownCount();

  // Sort by a column: ascending, then descending; newest first again by time.
  const whoHeader = page.locator('table.audit-table').getByRole('columnheader', { name: 'Who' });
  await whoHeader.getByRole('button').click();
  expect(await whoHeader.getAttribute('aria-sort')).toBe('ascending');
  const asc = await column(page, 3);
  expect(asc).toEqual([...asc].sort((a, b) => a.localeCompare(b)));
  await whoHeader.getByRole('button').press('Enter');
  expect(await whoHeader.getAttribute('aria-sort')).toBe('descending');
  const desc = await column(page, 3);
  expect(desc).toEqual([...desc].sort((a, b) => b.localeCompare(a)));
  expect(desc[0]).not.toBe(asc[0]);
  await page
    .locator('table.audit-table')
    .getByRole('columnheader', { name: 'Time' })
    .getByRole('button')
    .click();
  const seqs = (await column(page, 1)).map(Number);
  expect(seqs).toEqual([...seqs].sort((a, b) => b - a));

  // Export CSV: the download holds the header and one row per filtered entry, all of this patient.
  const [csvDownload] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('link', { name: 'Export CSV' }).click(),
  ]);
  const csv = readFileSync(await csvDownload.path(), 'utf8')
    .trim()
    .split('\n');
  expect(csv[0]).toMatch(/^seq,/);
  const rows = csv.slice(1);
  // Everything the table listed, plus the audit entry of that very listing (reads of the report are audited too).
  expect(rows.length).toBeGreaterThanOrEqual(listed);
  expect(rows.every((r) => r.split(',')[2] === PATIENT)).toBe(true);
  const csvSeqs = rows.map((r) => Number(r.split(',')[0]));
  expect(csvSeqs).toEqual([...csvSeqs].sort((a, b) => b - a));
  for (const e of expected) expect(csvSeqs).toContain(e.seq);

  // Export FHIR: a Bundle of AuditEvent resources, one per entry.
  const [fhirDownload] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('link', { name: 'Export FHIR AuditEvent (JSON)' }).click(),
  ]);
  const bundle = JSON.parse(readFileSync(await fhirDownload.path(), 'utf8')) as {
    resourceType: string;
    entry: Array<{ resource: { resourceType: string } }>;
  };
  expect(bundle.resourceType).toBe('Bundle');
  expect(bundle.entry.length).toBeGreaterThanOrEqual(rows.length);
  expect(bundle.entry.every((e) => e.resource.resourceType === 'AuditEvent')).toBe(true);

  // The exports are themselves audited, under the officer.
  const exports = await w.engine.store.audit.list({
    actor: `user:${officer.id}`,
    action: 'export',
    limit: 10,
  });
  expect(exports.map((e) => e.detail).sort()).toEqual([
    `${rows.length} entries as csv`,
    `${bundle.entry.length} entries as fhir`,
  ]);

  // Chain check.
  await page.getByRole('button', { name: 'Check the audit chain' }).click();
  await page.getByText(/^Chain intact: \d+ entries/).waitFor();

  // Paging over the whole trail, 10 rows a page.
  await page.getByRole('button', { name: 'Clear' }).click();
  await page.getByLabel('Rows per page').selectOption('10');
  const firstPage = await column(page, 1);
  expect(firstPage).toHaveLength(10);
  await page.getByRole('button', { name: 'Next page' }).click();
  await page.getByText(/^Page 2 of \d+/).waitFor();
  const secondPage = await column(page, 1);
  expect(secondPage.length).toBeGreaterThan(0);
  expect(Number(secondPage[0])).toBeLessThan(Number(firstPage[9]));

  // The day's break-glass report names the pharmacist's reason.
  await page.getByRole('button', { name: 'Show the day' }).click();
  const bg = page.getByRole('table', { name: /1 use on / });
  await bg.getByText('Night shift: covering the west site pharmacist').waitFor();
  await bg.getByText(w.pharmacist.username).waitFor();
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: join(SHOTS, 'audit.png'), fullPage: true });
  expect(await page.evaluate<string[]>(UNNAMED_CONTROLS)).toEqual([]);

  // A pharmacist has no audit page: no link, the page refuses, and so does the API.
  const ph = await newPage();
  const eq = w.cookie.indexOf('=');
  await ph.context().addCookies([{ name: w.cookie.slice(0, eq), value: w.cookie.slice(eq + 1), url: w.url }]);
  await ph.goto(`${w.url}/#/queue`);
  await ph.getByRole('heading', { name: 'Review queue' }).waitFor();
  expect(await ph.getByRole('link', { name: 'Audit report' }).count()).toBe(0);
  await ph.goto(`${w.url}/#/audit`);
  await ph
    .getByRole('alert')
    .getByText(/Your role does not allow it/)
    .waitFor();
  expect(await ph.locator('table.audit-table').count()).toBe(0);
  expect((await w.api('/api/audit')).status).toBe(403);

  // An integration engineer finds one patient's messages.
  const ie = await newPage();
  await signIn(ie, engineer);
  await ie.getByRole('heading', { name: 'Messages' }).waitFor();
  await expect.poll(() => ie.locator('table.queue tbody tr').count()).toBe(2);
  await ie
    .getByRole('button', { name: /^ADT\^A03/ })
    .first()
    .click();
  const patientKey = await ie.locator('section.raw code.patient-key').innerText();
  expect(patientKey).toMatch(/^MRN\d+\^GENHOSP$/);
  await ie.getByRole('button', { name: "This patient's messages" }).click();
  await ie.getByText(`Messages of patient ${patientKey}`).waitFor();
  await expect.poll(() => ie.locator('table.queue tbody tr').count()).toBe(1);
  await ie.getByRole('button', { name: 'All patients' }).click();
  await expect.poll(() => ie.locator('table.queue tbody tr').count()).toBe(2);
  await ie.getByLabel('Patient').fill(patientKey);
  await ie.getByRole('button', { name: 'Search' }).click();
  await expect.poll(() => ie.locator('table.queue tbody tr').count()).toBe(1);
  await ie.getByLabel('Patient').fill('NO-SUCH-MRN^GENHOSP');
  await ie.getByRole('button', { name: 'Search' }).click();
  await expect.poll(() => ie.locator('table.queue tbody tr').count()).toBe(0);
  const cookie = await sessionCookie(w.url, engineer);
  const byApi = (await (
    await fetch(`${w.url}/api/messages?patient=${encodeURIComponent(patientKey)}`, { headers: { cookie } })
  ).json()) as { messages: unknown[] };
  expect(byApi.messages).toHaveLength(1);
  expect(await ie.evaluate<string[]>(UNNAMED_CONTROLS)).toEqual([]);

  // An open alert (raised in the engine's rollout store, as the monitor would) is on the engineer's dashboard.
  const rollout = openSqliteRolloutStore(join(bw.dir, 'store.db'));
  await rollout.raiseAlert({
    key: 'certificate-expiry:hospital-mllp-tls',
    workflow: 'hospital-mllp-tls',
    rule: 'certificate-expiry',
    severity: 'critical',
    value: 5,
    threshold: 14,
    message: 'The certificate hospital-mllp-tls expires in 5 days',
    at: new Date(),
  });
  await rollout.close();
  await ie.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Dashboard' }).click();
  await ie.getByRole('heading', { name: 'Open alerts' }).waitFor();
  const alertRow = ie.locator('section.alerts tbody tr', { hasText: 'hospital-mllp-tls' });
  await alertRow.waitFor();
  expect(await alertRow.innerText()).toMatch(/Critical\s+Certificate expiring \(certificate-expiry\)/);
  await ie.screenshot({ path: join(SHOTS, 'alerts.png') });
  const reportLink = ie.getByRole('link', { name: /Open the value report/ });
  const reportUrl = new URL((await reportLink.getAttribute('href'))!, w.url).toString();
  const report = await fetch(reportUrl, { headers: { cookie } });
  expect(report.status).toBe(200);
  expect(report.headers.get('content-type')).toMatch(/text\/html/);
  expect(await ie.evaluate<string[]>(UNNAMED_CONTROLS)).toEqual([]);

  // The pharmacist's dashboard has the figures but no alerts (the alerts API is not theirs).
  await ph.goto(`${w.url}/#/dashboard`);
  await ph.getByText('approval rate').waitFor();
  expect(await ph.getByRole('heading', { name: 'Open alerts' }).count()).toBe(0);
}, 60_000);
