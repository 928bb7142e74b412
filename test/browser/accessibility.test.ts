// Accessibility of the workspace in a real browser (Debian's Chromium, headless) against the real engine: on the
// login page, the queue, the task view (as loaded, with the edit form open, with a refused reason, decided), the
// dashboard, the patient timeline, the message browser and the audit report, in light and dark mode — every visible
// text meets WCAG 2.x AA contrast (4.5:1, 3:1 for large text), every tab stop shows focus with a 3:1 indicator, every
// form control has a name, every page has one h1; and the keyboard alone reaches and works approve, edit and reject.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { demoDischargeA03 } from '../../src/cli/demo/demo-discharge.ts';
import { seedUser, type SeededUser } from '../support/auth.ts';
import { auditPage, focusTop, type PageReport } from './a11y-check.ts';
import { openBrowserWorkspace, type BrowserWorkspace } from './browser-workspace.ts';
import { dischargeFor } from './demo-discharges.ts';
import type { WorkspaceEngine } from './workspace-engine.ts';

let bw: BrowserWorkspace;
let w: WorkspaceEngine;
let engineer: SeededUser;
let officer: SeededUser;
const reports: PageReport[] = [];

beforeAll(async () => {
  bw = await openBrowserWorkspace('a11y');
  w = bw.w;
  engineer = await seedUser(w.engine.security.auth, { role: 'integration-engineer', site: '*' });
  officer = await seedUser(w.engine.security.auth, { role: 'compliance-officer', site: '*' });
}, 60_000);

afterAll(() => bw?.close());

const newPage = (): Promise<Page> => bw.newPage();
const signIn = (page: Page, user: SeededUser): Promise<void> => bw.signIn(page, user);

async function audit(page: Page, name: string): Promise<void> {
  reports.push(...(await auditPage(page, name)));
}

/** Presses Tab (or Shift+Tab) until the focused element matches `selector`; fails after `max` presses. */
async function tabTo(
  page: Page,
  selector: string,
  options: { back?: boolean; max?: number } = {},
): Promise<void> {
  for (let i = 0; i < (options.max ?? 80); i++) {
    await page.keyboard.press(options.back ? 'Shift+Tab' : 'Tab');
    if (await page.evaluate<boolean>(`!!document.activeElement?.matches(${JSON.stringify(selector)})`))
      return;
  }
  throw new Error(`keyboard focus never reached ${selector}`);
}

const focusedText = (page: Page): Promise<string> =>
  page.evaluate<string>(`(document.activeElement?.textContent || '').trim()`);

let pharmacistPage: Page;

it('the keyboard alone reaches approve, edit and reject on a task, with visible focus, and they work', async () => {
  const page = await newPage();
  pharmacistPage = page;
  // The login page before anyone signs in.
  await page.goto(w.url);
  await page.getByRole('heading', { name: 'Sign in to RxBridge' }).waitFor();
  await audit(page, 'login');
  await signIn(page, w.pharmacist);
  await page.getByRole('heading', { name: 'Review queue' }).waitFor();

  expect(await w.send(demoDischargeA03())).toContain('MSA|AA');
  await page.getByRole('link', { name: 'Discharge reconciliation' }).waitFor({ timeout: 15_000 });

  // From the top of the queue, Tab reaches the task link and Enter opens it.
  await focusTop(page);
  await tabTo(page, 'table.queue a');
  expect(await focusedText(page)).toBe('Discharge reconciliation');
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { name: /Discharge reconciliation: WHITFIELD/ }).waitFor();
  const items = page.locator('ol.items > li');
  await items.first().waitFor();
  const count = await items.count();
  expect(count).toBeGreaterThanOrEqual(2);

  // Tab order: each undecided item offers Reason, then Approve, Edit, Reject, in that order; focus shows on each
  // (auditPage walks every stop and checks the indicator).
  const before = await auditPage(page, 'task');
  reports.push(...before);
  const names = before[0]!.tabStops.map((s) => s.name);
  const at = (name: string, from = 0): number => names.indexOf(name, from);
  const reason = at('Reason');
  expect(reason).toBeGreaterThanOrEqual(0);
  expect(at('Approve a', reason)).toBeGreaterThan(reason);
  expect(at('Edit e', reason)).toBeGreaterThan(at('Approve a', reason));
  expect(at('Reject r', reason)).toBeGreaterThan(at('Edit e', reason));
  expect(names.filter((n) => n === 'Approve a')).toHaveLength(count);

  // Item 1: edit by keyboard alone — open the edit form, choose "hold", give a reason, save.
  await focusTop(page);
  await tabTo(page, 'ol.items > li:nth-child(1) button[data-key="e"]');
  await page.keyboard.press('Space');
  await items.nth(0).getByRole('group', { name: 'Instead of the proposal' }).waitFor();
  await audit(page, 'task, edit form open');
  await tabTo(page, 'ol.items > li:nth-child(1) .decide > input', { back: true });
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.type('Patient is in hospital again next week; hold until then');
  await tabTo(page, 'ol.items > li:nth-child(1) select');
  await page.keyboard.type('Put'); // type-ahead: "Put the prescription on hold"
  expect(await page.evaluate<string>(`document.activeElement.value`)).toBe('hold');
  await tabTo(page, 'ol.items > li:nth-child(1) fieldset button');
  expect(await focusedText(page)).toBe('Save edit');
  await page.keyboard.press('Enter');
  await items
    .nth(0)
    .getByText(/^Edited by .*hold until then — Put the prescription on hold/)
    .waitFor();

  // Item 2: reject — the default reason is refused (the hint is read out), then a typed one is accepted.
  await focusTop(page);
  await tabTo(page, 'ol.items > li:nth-child(2) button[data-key="r"]');
  await page.keyboard.press('Enter');
  await items.nth(1).getByRole('alert').getByText('Say why you reject it').waitFor();
  await audit(page, 'task, reason refused');
  await tabTo(page, 'ol.items > li:nth-child(2) .decide > input', { back: true });
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.type('Patient told us the hospital list is out of date');
  await tabTo(page, 'ol.items > li:nth-child(2) button[data-key="r"]');
  await page.keyboard.press('Enter');
  await items
    .nth(1)
    .getByText(/^Rejected by .*out of date/)
    .waitFor();

  // The rest: approve with the keyboard (Tab to Approve, Enter).
  for (let i = 3; i <= count; i++) {
    await focusTop(page);
    await tabTo(page, `ol.items > li:nth-child(${i}) button[data-key="a"]`);
    expect(await focusedText(page)).toMatch(/^Approve/);
    await page.keyboard.press('Enter');
    await items
      .nth(i - 1)
      .getByText(/^Approved by/)
      .waitFor();
  }
  await page.getByText(/(Approved|Edited) — ready to apply/).waitFor();
  await focusTop(page);
  await tabTo(page, 'button.primary');
  expect(await focusedText(page)).toBe('Apply to pharmacy and send');
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { name: 'What was sent' }).waitFor();
  await audit(page, 'task, applied');
}, 120_000);

it('every page meets WCAG AA contrast, shows focus, names its controls and has one h1, in light and dark mode', async () => {
  const page = pharmacistPage;
  // A fuller queue: more discharges, some high priority.
  for (let i = 1; i <= 4; i++)
    expect(await w.send(dischargeFor(i, 300 + i, new Date()).text)).toContain('MSA|AA');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Queue' }).click();
  await expect
    .poll(() => page.getByRole('link', { name: 'Discharge reconciliation' }).count(), { timeout: 15_000 })
    .toBeGreaterThanOrEqual(4);
  await audit(page, 'queue');

  await page.getByRole('link', { name: 'Dashboard' }).click();
  await page.getByRole('figure', { name: 'Tasks by type' }).waitFor();
  await page.getByText('approval rate').waitFor();
  await audit(page, 'dashboard');

  await page.goto(`${w.url}/#/patients/P0001`);
  await page.getByRole('heading', { name: /WHITFIELD, ELEANOR/ }).waitFor();
  await page.getByLabel('Prior authorization for').fill('');
  await audit(page, 'patient timeline');
  await page.getByRole('button', { name: 'Check the medication list' }).click();
  await page.getByRole('heading', { name: /Medication list checked/ }).waitFor();
  await audit(page, 'patient timeline, list checked');

  // The message browser and the alerts, as an integration engineer.
  const eng = await newPage();
  await signIn(eng, engineer);
  await eng.getByRole('heading', { name: 'Messages' }).waitFor();
  await eng.locator('table.queue tbody tr button').first().click();
  await eng.getByRole('heading', { name: /^Message / }).waitFor();
  await audit(eng, 'messages');
  await eng.getByRole('link', { name: 'Dashboard' }).click();
  await eng.getByRole('heading', { name: 'Open alerts' }).waitFor();
  await audit(eng, 'dashboard (alerts)');

  // The audit report, as a compliance officer.
  const co = await newPage();
  await signIn(co, officer);
  await co.getByRole('heading', { name: 'Audit report' }).waitFor();
  await co.locator('table.audit-table tbody tr').first().waitFor();
  await audit(co, 'audit report');

  // What was checked, per page and mode (printed for the record).
  for (const r of reports) {
    console.log(
      `${r.scheme.padEnd(5)} ${r.page.padEnd(32)} texts ${String(r.textsChecked).padStart(4)} ` +
        `(inactive ${r.inactiveSkipped}) lowest ${r.lowestRatio ? r.lowestRatio.ratio.toFixed(2) : '—'} ` +
        `tab stops ${r.tabStops.length} control boundaries ${r.controlsChecked} failures ${r.failures.length}` +
        (r.lowestRatio ? ` (lowest: ${r.lowestRatio.what})` : ''),
    );
  }
  expect(reports.filter((r) => r.scheme === 'dark').length).toBe(reports.length / 2);
  expect(reports.every((r) => r.textsChecked > 0 && r.tabStops.length > 0)).toBe(true);
  expect(reports.flatMap((r) => r.failures)).toEqual([]);
}, 180_000);

it('the check catches faint text, faded text and a missing focus ring, and allows 3:1 for large text', async () => {
  const page = await newPage();
  await page.goto(w.url);
  await page.getByRole('heading', { name: 'Sign in to RxBridge' }).waitFor();
  // Styles set through the CSSOM: the engine's Content-Security-Policy refuses inline style attributes.
  await page.evaluate(`(() => {
    const d = document.createElement('div');
    d.id = 'probes';
    const add = (parent, tag, text, style) => {
      const e = document.createElement(tag);
      if (text) e.textContent = text;
      Object.assign(e.style, style);
      parent.append(e);
      return e;
    };
    add(d, 'p', 'probe alpha', { color: 'rgba(17, 24, 39, 0.35)' });
    add(add(d, 'div', '', { opacity: '0.3' }), 'span', 'probe faded', {});
    add(d, 'p', 'probe large', { fontSize: '24px', color: '#8a8a8a' });
    add(d, 'p', 'probe small', { color: '#8a8a8a' });
    add(d, 'button', 'probe faint border', { border: '1px solid #d1d5db', background: '#ffffff' });
    const b = add(d, 'button', 'probe no focus', {});
    b.type = 'button';
    b.style.setProperty('outline', 'none', 'important');
    document.body.prepend(d);
  })()`);
  const [light] = await auditPage(page, 'probes');
  const failures = light!.failures.join('\n');
  // #111827 at 35% over #f8fafc, and at opacity 0.3: both far below 4.5:1.
  expect(failures).toMatch(/"probe alpha": text #a\w{5} on #f8fafc is 2\.\d+:1, needs 4\.5:1/);
  expect(failures).toMatch(/"probe faded": text #\w{6} on #f8fafc is 1\.\d+:1, needs 4\.5:1/);
  // #8a8a8a on #f8fafc is about 3.3:1: enough for 24 px text, not for 14 px.
  expect(failures).not.toMatch(/probe large/);
  expect(failures).toMatch(/"probe small": text #8a8a8a on #f8fafc is 3\.\d+:1, needs 4\.5:1/);
  expect(failures).toMatch(/"probe no focus": no visible focus/);
  // A white button on the light page with a #d1d5db border: its boundary is under 3:1.
  expect(failures).toMatch(/"probe faint border": boundary border #d1d5db \(1\.\d+:1\), background #ffffff/);
});
