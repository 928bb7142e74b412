// The pharmacist's workspace in a real browser (Debian's Chromium, headless) against the real engine: sign in, the
// discharge that arrived over MLLP is in the queue, the task shows both lists with evidence, decisions by keyboard and
// mouse with reasons, apply changes the pharmacy profile, sends RDE^O11 and the note to the PCP, and is audited.
// Screenshots go to a temporary folder; RXBRIDGE_SCREENSHOTS_DIR=docs/screenshots refreshes the documented ones.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { demoDischargeA03 } from '../../src/cli/demo/demo-discharge.ts';
import { UNNAMED_CONTROLS } from './a11y-page.ts';
import { openBrowserWorkspace, type BrowserWorkspace } from './browser-workspace.ts';
import { dischargeFor } from './demo-discharges.ts';
import type { WorkspaceEngine } from './workspace-engine.ts';

const SHOTS = process.env.RXBRIDGE_SCREENSHOTS_DIR
  ? `${resolve(process.env.RXBRIDGE_SCREENSHOTS_DIR)}/`
  : `${mkdtempSync(join(tmpdir(), 'rxb-shots-'))}/`;

let bw: BrowserWorkspace;
let w: WorkspaceEngine;
let page: Page;

beforeAll(async () => {
  bw = await openBrowserWorkspace('workspace');
  w = bw.w;
  page = await bw.newPage();
  mkdirSync(SHOTS, { recursive: true });
}, 60_000);

afterAll(async () => {
  await bw?.close();
  if (!process.env.RXBRIDGE_SCREENSHOTS_DIR) rmSync(SHOTS, { recursive: true, force: true });
});

/** Every control a keyboard or screen-reader user meets has an accessible name. */
async function controlsWithoutName(p: Page): Promise<string[]> {
  return p.evaluate<string[]>(UNNAMED_CONTROLS);
}

it('a pharmacist signs in, works a discharge from the queue by keyboard and mouse, and applies it', async () => {
  // Sign in through the page.
  await bw.signIn(page, w.pharmacist);
  await page.getByRole('heading', { name: 'Review queue' }).waitFor();
  // The type filter lists every task type by the engine's name, also types no task has yet.
  await expect
    .poll(() => page.getByLabel('Type').locator('option').allInnerTexts())
    .toContain('Immunization to EHR / registry (0)');

  // The discharge arrives over MLLP; the queue shows it without a reload.
  expect(await w.send(demoDischargeA03())).toContain('MSA|AA');
  const row = page.getByRole('link', { name: 'Discharge reconciliation' });
  await row.waitFor({ timeout: 15_000 });
  await expect.poll(() => page.getByRole('link', { name: '7-day post-discharge check-in' }).count()).toBe(1);
  expect(await controlsWithoutName(page)).toEqual([]);

  // Keyboard: j focuses the most urgent task, Enter opens it.
  await page.locator('body').press('j');
  expect(await page.evaluate<string>('document.activeElement.textContent')).toBe('Discharge reconciliation');
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { name: /Discharge reconciliation: WHITFIELD/ }).waitFor();

  // The EHR list and the pharmacy profile side by side, each discrepancy with its evidence.
  await page.getByRole('heading', { name: 'Hospital discharge list (EHR)' }).waitFor();
  await page.getByRole('heading', { name: 'Pharmacy profile' }).waitFor();
  await page.locator('table.profile tbody tr').first().waitFor();
  const items = page.locator('ol.items > li');
  const count = await items.count();
  expect(count).toBeGreaterThanOrEqual(2);
  for (let i = 0; i < count; i++) {
    const text = await items.nth(i).locator('dl.evidence').innerText();
    expect(text).toMatch(/Hospital says/);
    expect(text).toMatch(/Pharmacy has/);
  }
  expect(await page.locator('pre.source mark').count()).toBeGreaterThan(0);
  expect(await page.locator('pre.source mark.current').count()).toBe(1);
  expect(await controlsWithoutName(page)).toEqual([]);
  await page.screenshot({ path: `${SHOTS}task.png`, fullPage: true });

  const taskId = decodeURIComponent(page.url().split('#/tasks/')[1]!);
  const profileBefore = JSON.stringify((await w.api(`/api/tasks/${taskId}`)).body);

  // Item 1 approved with the keyboard (a) and the default reason.
  await page.locator('body').press('a');
  await items
    .nth(0)
    .getByText(/^Approved by/)
    .waitFor();

  // Item 2 rejected: the default reason is refused in plain words, a typed one is accepted.
  await items
    .nth(1)
    .getByRole('button', { name: /Reject/ })
    .click();
  await items.nth(1).getByRole('alert').getByText('Say why you reject it').waitFor();
  await items.nth(1).getByLabel('Reason').fill('Patient told us the hospital list is out of date');
  await items
    .nth(1)
    .getByRole('button', { name: /Reject/ })
    .click();
  await items
    .nth(1)
    .getByText(/^Rejected by .*out of date/)
    .waitFor();

  // Anything left: approve all remaining in one click.
  if (count > 2) await page.getByRole('button', { name: /Approve all \d+ remaining/ }).click();
  await page.getByText('Approved — ready to apply').waitFor();

  // Apply: the pharmacy profile changes on screen, the effects are listed.
  await page.getByRole('button', { name: 'Apply to pharmacy and send' }).click();
  await page.getByRole('heading', { name: 'What was sent' }).waitFor();
  await page.locator('.meta').getByText('Applied').waitFor();
  const effects = await page.locator('table.effects tbody tr').allInnerTexts();
  expect(effects.length).toBeGreaterThan(0);
  expect(effects.every((e) => e.startsWith('Done'))).toBe(true);
  expect(effects.some((e) => e.includes('note-to-pcp'))).toBe(true);

  const after = (await w.api<{ effects: Array<{ kind: string; status: string }> }>(`/api/tasks/${taskId}`))
    .body;
  expect(JSON.stringify(after)).not.toBe(profileBefore);
  // The pharmacy's HL7 v2 interface received the write-back, and the EHR the note.
  expect(w.pharmacyFeed.appended.length).toBe(
    after.effects.filter((e) => e.kind.startsWith('hl7v2:')).length,
  );
  expect(w.pharmacyFeed.appended.length).toBeGreaterThan(0);
  const notes = await w.ehr.searchAll('Communication', { identifier: `urn:rxbridge:effect|${taskId}/note` });
  expect(notes.matches).toHaveLength(1);
  // Audited, under the signed-in pharmacist.
  const audit = await w.engine.store.audit.list({ entity: taskId, limit: 200 });
  expect(audit.filter((a) => a.source.startsWith('review:apply:')).length).toBe(after.effects.length);
  expect(audit.some((a) => a.actor === `user:${w.pharmacist.id}` && a.action === 'execute')).toBe(true);

  // A busier morning: discharges for seven more patients arrive; the queue puts the high-priority ones first.
  for (let i = 1; i <= 7; i++)
    expect(await w.send(dischargeFor(i, 100 + i, new Date()).text)).toContain('MSA|AA');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Queue' }).click();
  await expect
    .poll(() => page.getByRole('link', { name: 'Discharge reconciliation' }).count(), { timeout: 15_000 })
    .toBe(7);
  const priorities = await page.locator('table.queue tbody tr td:first-child').allInnerTexts();
  const rank = { High: 0, Medium: 1, Low: 2 } as Record<string, number>;
  expect(priorities.map((p) => rank[p.trim()])).toEqual([...priorities.map((p) => rank[p.trim()])].sort());
  await page.screenshot({ path: `${SHOTS}queue.png` });

  // The dashboard counts it.
  await page.getByRole('link', { name: 'Dashboard' }).click();
  await page.getByRole('figure', { name: 'Tasks by type' }).waitFor();
  await page.getByText('approval rate').waitFor();
  // Minutes saved says how it is computed; task types are named, not shown as ids.
  await page.getByText(/^By-hand minutes from published time studies, per applied task by type/).waitFor();
  await page.getByRole('img', { name: /^Tasks by type: .*Discharge reconciliation \d+/ }).waitFor();
  expect(await controlsWithoutName(page)).toEqual([]);
  await page.screenshot({ path: `${SHOTS}dashboard.png`, fullPage: true });

  // A follow-up from the patient timeline: the MTM summary note, drafted, approved and sent to the EHR.
  await page.goto(`${w.url}/#/patients/P0001`);
  await page.getByRole('heading', { name: /WHITFIELD, ELEANOR/ }).waitFor();
  expect(await page.locator('ol.timeline li').count()).toBeGreaterThan(2);
  await page.getByRole('button', { name: 'MTM summary' }).click();
  await page.getByRole('heading', { name: /MTM summary: WHITFIELD/ }).waitFor();
  expect(await page.getByLabel('Note to the primary care provider').inputValue()).toContain(
    'Current medications:',
  );
  await page.getByRole('button', { name: 'Approve and send the note' }).click();
  await page.locator('.meta').getByText('Applied').waitFor();
  expect(await page.locator('table.effects tbody tr').first().innerText()).toMatch(/^Done\s+note-to-pcp/);
});

it('a check finding shows its evidence and rule source, not an empty hospital and pharmacy pair', async () => {
  // The medication review of THEODORE NAKAMURA's profile (apixaban, amiodarone, atorvastatin) files findings.
  const made = await w.api<{ tasks: Array<{ id: string; type: string }> }>('/api/patients/P0008/follow-ups', {
    method: 'POST',
    body: JSON.stringify({ kind: 'medication-review' }),
  });
  expect([200, 201]).toContain(made.status);
  const finding = made.body.tasks[0];
  expect(finding, 'the review finds something on this profile').toBeDefined();
  await page.goto(`${w.url}/#/tasks/${encodeURIComponent(finding!.id)}`);
  const card = page.locator('article.item').first();
  await card.waitFor();
  await card.getByText('Evidence', { exact: true }).waitFor();
  await card.getByText('Rule source', { exact: true }).waitFor();
  expect(await card.getByText('Hospital says', { exact: true }).count()).toBe(0);
  expect(await card.getByText('not on the discharge list').count()).toBe(0);
});
