// Discharge to task to effects, over real parts: ADT^A03 over MLLP → task in the queue → per-item decisions with
// reasons → apply writes the embedded pharmacy, sends RDE^O11 to the pharmacy's MLLP interface and a note to the EHR
// sandbox, each once and audited; the follow-ups and the OpenAPI document.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { demoDischargeA03 } from '../../src/cli/demo/demo-discharge.ts';
import { dischargeFor } from '../browser/demo-discharges.ts';
import { seedUser, sessionCookie } from '../support/auth.ts';
import { startWorkspaceEngine, type WorkspaceEngine } from '../browser/workspace-engine.ts';

let w: WorkspaceEngine;
beforeAll(async () => {
  w = await startWorkspaceEngine();
});
afterAll(async () => w?.stop());

interface TaskRow {
  id: string;
  type: string;
  status: string;
  priority: string;
  version: number;
  patient: { pharmacyPatientId?: string };
}
interface TaskView extends TaskRow {
  items: Array<{
    id: string;
    drug: string;
    type: string;
    pharmacy: { id: string } | null;
    proposed: { kind: string };
  }>;
  effects: Array<{ key: string; status: string; kind: string; detail: string; reference?: string }>;
  note: string;
}

async function waitForTask(type: string): Promise<TaskRow> {
  for (let i = 0; i < 200; i++) {
    const { body } = await w.api<{ tasks: TaskRow[] }>(`/api/tasks?type=${type}`);
    if (body.tasks[0]) return body.tasks[0];
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`no ${type} task appeared`);
}

it('refuses the queue without a session, in an OperationOutcome', async () => {
  const res = await fetch(`${w.url}/api/tasks`);
  expect(res.status).toBe(401);
  expect(((await res.json()) as { resourceType: string }).resourceType).toBe('OperationOutcome');
});

it('a discharge becomes a task; decisions with reasons; apply writes the pharmacy, the RDE feed and the EHR once', async () => {
  const ack = await w.send(demoDischargeA03());
  expect(ack).toContain('MSA|AA');
  const row = await waitForTask('discharge-reconciliation');
  expect(row.status).toBe('open');
  const patientId = row.patient.pharmacyPatientId!;

  const task = (await w.api<TaskView>(`/api/tasks/${row.id}`)).body;
  expect(task.items.length).toBeGreaterThan(0);
  const before = (
    await w.api<{ prescriptions: Array<{ id: string; status: string; sig: string }> }>(
      `/api/patients/${patientId}/profile`,
    )
  ).body;

  // A decision without a reason is refused, saying where.
  const noReason = await w.api<{ issue: Array<{ diagnostics: string }> }>(
    `/api/tasks/${row.id}/items/${task.items[0]!.id}/decision`,
    { method: 'POST', body: JSON.stringify({ decision: 'approve', reason: '' }) },
  );
  expect(noReason.status).toBe(400);
  expect(noReason.body.issue[0]!.diagnostics).toMatch(/reason/);

  // Apply before deciding is refused.
  expect((await w.api(`/api/tasks/${row.id}/apply`, { method: 'POST' })).status).toBe(409);

  for (const [i, item] of task.items.entries()) {
    const decision = i === task.items.length - 1 && task.items.length > 1 ? 'reject' : 'approve';
    const res = await w.api<TaskView>(`/api/tasks/${row.id}/items/${item.id}/decision`, {
      method: 'POST',
      body: JSON.stringify({ decision, reason: `checked against discharge summary (${decision})` }),
    });
    expect(res.status).toBe(200);
  }
  const decided = (await w.api<TaskView>(`/api/tasks/${row.id}`)).body;
  expect(decided.status).toBe('approved');
  expect(decided.note).toContain('Dear Doctor');
  await w.api(`/api/tasks/${row.id}/note`, {
    method: 'POST',
    body: JSON.stringify({ text: `${decided.note}\n\nEdited by the pharmacist.` }),
  });

  const applied = await w.api<TaskView>(`/api/tasks/${row.id}/apply`, { method: 'POST' });
  expect(applied.status).toBe(200);
  expect(applied.body.status).toBe('applied');
  expect(applied.body.effects.every((e) => e.status === 'done')).toBe(true);

  // The pharmacy profile changed where a prescription was changed.
  const changed = task.items.filter(
    (it, i) =>
      it.pharmacy &&
      it.proposed.kind !== 'add-note' &&
      !(i === task.items.length - 1 && task.items.length > 1),
  );
  const after = (
    await w.api<{ prescriptions: Array<{ id: string; status: string; sig: string }>; notes: unknown[] }>(
      `/api/patients/${patientId}/profile`,
    )
  ).body;
  for (const it of changed) {
    const b = before.prescriptions.find((p) => p.id === it.pharmacy!.id)!;
    const a = after.prescriptions.find((p) => p.id === it.pharmacy!.id)!;
    expect(JSON.stringify(a)).not.toBe(JSON.stringify(b));
  }

  // The pharmacy's HL7 v2 interface got one RDE^O11 per written item; the EHR got the edited note once.
  const rde = w.pharmacyFeed.appended.map((m) => Buffer.from(m.raw).toString('utf8'));
  const written = applied.body.effects.filter((e) => e.kind.startsWith('hl7v2:'));
  expect(rde.length).toBe(written.length);
  expect(rde.every((m) => m.includes('RDE^O11'))).toBe(true);
  const notes = await w.ehr.searchAll('Communication', { identifier: `urn:rxbridge:effect|${row.id}/note` });
  expect(notes.matches).toHaveLength(1);
  expect(JSON.stringify(notes.matches[0])).toContain('Edited by the pharmacist.');

  // Applying again changes nothing and sends nothing.
  const again = await w.api<TaskView>(`/api/tasks/${row.id}/apply`, { method: 'POST' });
  expect(again.body.status).toBe('applied');
  expect(w.pharmacyFeed.appended.length).toBe(rde.length);
  expect(w.sandbox.duplicateWrites('Communication')).toBe(0);

  // Every effect is in the audit trail under the task.
  const audit = await w.engine.store.audit.list({ entity: row.id, limit: 100 });
  const effectAudits = audit.filter((a) => a.source.startsWith('review:apply:'));
  expect(effectAudits.length).toBe(applied.body.effects.length);
  expect(audit.some((a) => a.actor === `user:${w.pharmacist.id}` && a.detail?.startsWith('item '))).toBe(
    true,
  );
  expect((await w.engine.store.audit.verify()).ok).toBe(true);
});

it('a consent directive refusing notes keeps the note to the PCP in; the pharmacy write-back still happens', async () => {
  // Patient P0002 refused sharing Communications with anyone.
  await w.engine.security.consent.put(
    'P0002',
    {
      resourceType: 'Consent',
      status: 'active',
      scope: { text: 'patient-privacy' },
      category: [{ text: 'privacy' }],
      dateTime: '2026-10-02T00:00:00Z',
      provision: { type: 'deny', class: [{ code: 'Communication' }] },
    },
    'test',
  );
  const { text, controlId } = dischargeFor(1, 9001, new Date());
  expect(await w.send(text)).toContain('MSA|AA');
  let row: TaskRow | undefined;
  for (let i = 0; i < 200 && !row; i++) {
    const { body } = await w.api<{ tasks: Array<TaskRow & { sourceControlId: string }> }>(
      '/api/tasks?view=all&sort=newest&type=discharge-reconciliation',
    );
    row = body.tasks.find((t) => t.sourceControlId === controlId);
    if (!row) await new Promise((r) => setTimeout(r, 25));
  }
  expect(row?.patient.pharmacyPatientId).toBe('P0002');
  await w.api(`/api/tasks/${row!.id}/decision`, {
    method: 'POST',
    body: JSON.stringify({ decision: 'approve', reason: 'matches the discharge summary' }),
  });
  const feedBefore = w.pharmacyFeed.appended.length;
  const applied = (await w.api<TaskView>(`/api/tasks/${row!.id}/apply`, { method: 'POST' })).body;
  const note = applied.effects.find((e) => e.kind === 'note-to-pcp');
  expect(note?.status).toBe('skipped');
  expect(note?.detail).toMatch(/^consent: refused/);
  expect(applied.effects.filter((e) => e.kind !== 'note-to-pcp').every((e) => e.status === 'done')).toBe(
    true,
  );
  expect(w.pharmacyFeed.appended.length).toBeGreaterThan(feedBefore);
  const sent = await w.ehr.searchAll('Communication', { identifier: `urn:rxbridge:effect|${row!.id}/note` });
  expect(sent.matches).toHaveLength(0);
  const denied = await w.engine.store.audit.list({ entity: row!.id, limit: 100 });
  expect(denied.some((a) => a.source === 'review:apply:note-to-pcp' && a.outcome === 'denied')).toBe(true);
});

it('follow-ups: a prior-authorization packet as JSON and a printable page, an MTM summary', async () => {
  // The hospital's discharge with a diagnosis (DG1) and a creatinine result, for the same patient.
  const fixture = readFileSync(new URL('../fixtures/hl7v2/adt-a03-discharge.hl7', import.meta.url), 'utf8');
  expect(await w.send(fixture.trim().replace(/\r?\n/g, '\r'))).toMatch(/MSA\|(AA|CA)/);
  const patientId = 'P0001';
  const pa = await w.api<TaskView>(`/api/patients/${patientId}/follow-ups`, {
    method: 'POST',
    body: JSON.stringify({ kind: 'prior-authorization', drug: 'metformin' }),
  });
  expect(pa.status).toBe(201);
  const packet = await w.api<{ diagnoses: Array<{ code: string }>; labs: unknown[]; notes: unknown[] }>(
    `/api/tasks/${pa.body.id}/packet.json`,
  );
  expect(packet.body.diagnoses.map((d) => d.code)).toContain('I50.9');
  expect(packet.body.labs.length).toBeGreaterThan(0);
  expect(packet.body.notes.length).toBeGreaterThan(0);
  const html = await fetch(`${w.url}/api/tasks/${pa.body.id}/packet.html`, { headers: { cookie: w.cookie } });
  expect(html.headers.get('content-type')).toContain('text/html');
  expect(await html.text()).toContain('Prior authorization request: metformin');
  const mtm = await w.api<TaskView>(`/api/patients/${patientId}/follow-ups`, {
    method: 'POST',
    body: JSON.stringify({ kind: 'mtm-summary' }),
  });
  expect(mtm.status).toBe(201);
  expect(mtm.body.note).toContain('Current medications:');
  // A medication review of every demo patient: findings become tasks once; a second run creates nothing new.
  let findings = 0;
  for (let i = 1; i <= 12; i++) {
    const id = `P${String(i).padStart(4, '0')}`;
    const first = await w.api<{ findings: number; tasks: Array<{ id: string; type: string }> }>(
      `/api/patients/${id}/follow-ups`,
      { method: 'POST', body: JSON.stringify({ kind: 'medication-review' }) },
    );
    expect(first.body.tasks).toHaveLength(first.body.findings);
    expect(
      first.body.tasks.every((t) => ['allergy-conflict', 'interaction', 'renal-dose'].includes(t.type)),
    ).toBe(true);
    const second = await w.api<{ tasks: Array<{ id: string }> }>(`/api/patients/${id}/follow-ups`, {
      method: 'POST',
      body: JSON.stringify({ kind: 'medication-review' }),
    });
    if (first.body.findings > 0) expect(second.status).toBe(200);
    expect(second.body.tasks.map((t) => t.id)).toEqual(first.body.tasks.map((t) => t.id));
    findings += first.body.findings;
  }
  expect(findings).toBeGreaterThan(0);

  const bad = await w.api<{ resourceType: string }>(`/api/patients/${patientId}/follow-ups`, {
    method: 'POST',
    body: JSON.stringify({ kind: 'prior-authorization' }),
  });
  expect(bad.status).toBe(400);
  expect(bad.body.resourceType).toBe('OperationOutcome');
});

it('a message that cannot be processed lands in the exception queue', async () => {
  // Stored as a listener stores what it receives; the pipeline cannot read it and dead-letters it.
  await w.engine.store.messages.append({
    channel: 'mllp:default',
    format: 'hl7v2',
    idempotencyKey: 'GENHOSP|BAD0001',
    partitionKey: 'msg:BAD0001',
    raw: Buffer.from('NOT AN HL7 MESSAGE'),
    summary: { type: 'ADT^A03', controlId: 'BAD0001', sender: 'EPICADT' },
  });
  w.engine.worker?.wake();
  let found: Array<TaskRow & { summary: string }> = [];
  for (let i = 0; i < 300 && found.length === 0; i++) {
    const { body } = await w.api<{ tasks: Array<TaskRow & { summary: string }> }>(
      '/api/tasks?view=exceptions',
    );
    found = body.tasks.filter((t) => t.type === 'exception' && t.summary.includes('BAD0001'));
    if (found.length === 0) await new Promise((r) => setTimeout(r, 25));
  }
  const states = (await w.engine.store.messages.list({ limit: 10 })).map(
    (m) => `${m.summary.controlId}:${m.state}:${m.lastError}`,
  );
  expect(found, states.join('\n')).toHaveLength(1);
  expect(found[0]!.summary).toMatch(/could not be processed/);
});

it("scopes the queue to the caller's sites, and a technician reads but cannot decide", async () => {
  const tech = await seedUser(w.engine.security.auth, { role: 'technician', site: 'riverside' });
  const cookie = await sessionCookie(w.url, tech);
  const get = async (path: string, init: RequestInit = {}) =>
    fetch(`${w.url}${path}`, { ...init, headers: { cookie, 'content-type': 'application/json' } });
  const list = (await (await get('/api/tasks?view=all')).json()) as {
    tasks: Array<{ id: string; site: string }>;
    counts: { byType: Record<string, number> };
  };
  expect(list.tasks.length).toBeGreaterThan(0);
  expect(new Set(list.tasks.map((t) => t.site))).toEqual(new Set(['riverside']));
  const total = Object.values(list.counts.byType).reduce((a, b) => a + b, 0);
  expect(total).toBe(list.tasks.length);
  // Whitfield (main-street) is not there, and her task is "not found" for this technician.
  const { body: all } = await w.api<{ tasks: Array<{ id: string; site: string }> }>('/api/tasks?view=all');
  const other = all.tasks.find((t) => t.site === 'main-street')!;
  expect((await get(`/api/tasks/${other.id}`)).status).toBe(404);
  expect((await get('/api/patients/P0001/profile')).status).toBe(404);
  const mine = list.tasks[0]!;
  const refused = await get(`/api/tasks/${mine.id}/claim`, { method: 'POST', body: '{}' });
  expect(refused.status).toBe(403);
  expect(((await refused.json()) as { resourceType: string }).resourceType).toBe('OperationOutcome');
});

it('publishes an OpenAPI 3.1 document generated from the route schemas', async () => {
  const doc = (await (await fetch(`${w.url}/api/openapi.json`)).json()) as {
    openapi: string;
    paths: Record<
      string,
      Record<string, { requestBody?: { content: Record<string, { schema: { properties?: object } }> } }>
    >;
  };
  expect(doc.openapi).toBe('3.1.0');
  const decision = doc.paths['/api/tasks/{id}/items/{itemId}/decision']!.post!;
  expect(Object.keys(decision.requestBody!.content['application/json']!.schema.properties!)).toEqual([
    'decision',
    'reason',
    'action',
  ]);
});
