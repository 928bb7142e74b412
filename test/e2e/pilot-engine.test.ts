// Rollout in the running engine: discharges over real MLLP, modes changed over the HTTP API by an integration
// engineer, shadow writes nothing, auto writes to the demo pharmacy once (audited, on /metrics), outside the
// cohort the default still applies.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectMllp } from '../../src/inbound/mllp/mllp-client.ts';
import { startEngine, type Engine } from '../../src/main.ts';
import { silentLogger } from '../../src/platform/log/logger.ts';
import type { StoredMessage } from '../../src/platform/store/message-store.ts';
import { apiKeyHeader, seedApiKey } from '../support/auth.ts';
import { demoEngineConfig } from '../support/demo-config.ts';

const GRACE = 'PID|1||MRN10005^^^GENHOSP^MR||THORNBURY^GRACE||19560122|F'; // main-street
const DENNIS = 'PID|1||MRN10004^^^GENHOSP^MR||KOWALSKI^DENNIS||19650914|M'; // riverside

function discharge(controlId: string, pid: string, text: string): string {
  return [
    `MSH|^~\\&|EPICADT|GENHOSP|RXBRIDGE|MAINSTREETRX|20261121080000||ADT^A03^ADT_A03|${controlId}|P|2.5.1`,
    'EVN|A03|20261121080000',
    pid,
    'PV1|1|I|4W^412^1^GENHOSP',
    `OBX|1|TX|10183-2^Discharge medications^LN||${text}||||||F`,
  ].join('\r');
}

describe('rollout in the running engine', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rxb-rollout-engine-'));
  let engine: Engine;
  let url = '';
  let engineer: { authorization: string };

  beforeAll(async () => {
    engine = await startEngine({ config: demoEngineConfig(dir), logger: silentLogger });
    url = engine.httpUrl!.replace('localhost', '127.0.0.1');
    engineer = apiKeyHeader(await seedApiKey(engine.security.auth, { roles: ['integration-engineer'] }));
  }, 30_000);
  afterAll(async () => {
    await engine?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  async function setMode(mode: string, reason: string, cohort?: object): Promise<number> {
    const res = await fetch(`${url}/api/rollout/modes`, {
      method: 'POST',
      headers: { ...engineer, 'content-type': 'application/json' },
      body: JSON.stringify({
        workflow: 'discharge-reconciliation',
        mode,
        reason,
        ...(cohort ? { cohort } : {}),
      }),
    });
    return res.status;
  }

  async function send(message: string, controlId: string): Promise<StoredMessage> {
    const client = await connectMllp({ host: '127.0.0.1', port: engine.mllp[0]!.port });
    try {
      await client.send(message);
    } finally {
      await client.close();
    }
    for (let i = 0; i < 400; i++) {
      const m = (await engine.store.messages.list({ limit: 50 })).find(
        (x) => x.summary.controlId === controlId,
      );
      if (m && (m.state === 'done' || m.state === 'awaiting-review' || m.state === 'dead')) return m;
      await new Promise((r) => setTimeout(r, 25));
    }
    throw new Error(`${controlId} was not processed`);
  }

  it('shadow for main-street: recorded, no task, nothing written; riverside keeps the default (tasks)', async () => {
    expect(await setMode('shadow', 'read-only validation for main-street', { sites: ['main-street'] })).toBe(
      201,
    );
    const shadow = await send(
      discharge('ENG0001', GRACE, 'SYNTHROID 100MCG DAILY, OMEPRAZOLE 20MG DAILY. STOP AMLODIPINE 5MG'),
      'ENG0001',
    );
    expect(shadow.state).toBe('done');
    expect(await engine.store.tasks.count({ sourceMessageId: shadow.id })).toBe(0);
    const profile = await engine.pharmacy.getProfile('P0005');
    expect(profile?.prescriptions.find((p) => p.id === 'P0005-RX3')?.status).toBe('active');
    const other = await send(
      discharge('ENG0002', DENNIS, 'OXYCODONE 5MG Q6H PRN, GABAPENTIN 600MG TID'),
      'ENG0002',
    );
    expect(other.state).toBe('awaiting-review');
    expect(await engine.store.tasks.count({ sourceMessageId: other.id })).toBeGreaterThan(0);
    const report = await fetch(`${url}/api/rollout/report?since=1d&workflow=discharge-reconciliation`, {
      headers: engineer,
    });
    const body = (await report.json()) as { workflows: Array<{ byMode: Record<string, number> }> };
    expect(body.workflows[0]?.byMode).toMatchObject({ shadow: 1, suggest: 1 });
  });

  it('auto for main-street: the stop is written to the pharmacy once, audited with its reason, counted on /metrics', async () => {
    expect(
      await setMode('auto', 'shadow agreement met the bar for main-street', { sites: ['main-street'] }),
    ).toBe(201);
    const text = 'SYNTHROID 100MCG DAILY, OMEPRAZOLE 20MG DAILY. STOP AMLODIPINE 5MG';
    const auto = await send(discharge('ENG0003', GRACE, text), 'ENG0003');
    expect(auto.state).toBe('awaiting-review'); // the follow-up call is still a pharmacist's task
    const profile = await engine.pharmacy.getProfile('P0005');
    expect(profile?.prescriptions.find((p) => p.id === 'P0005-RX3')?.status).toBe('discontinued');
    const writes = await engine.store.audit.list({ actor: 'system:rollout' });
    expect(writes).toHaveLength(1);
    expect(writes[0]).toMatchObject({
      action: 'update',
      category: 'medication',
      outcome: 'success',
      patient: 'P0005',
    });
    expect(writes[0]?.detail).toMatch(
      /^auto-applied discontinue amlodipine \(P0005-RX3\) .*mode auto for cohort site=main-street \(setting #\d+ by api-key:\S+: shadow agreement met the bar for main-street\); guardrails passed: type discontinued-still-active/,
    );
    const changes = await engine.store.audit.list({
      entity: 'rollout:discharge-reconciliation:site=main-street',
    });
    expect(changes.map((c) => c.detail)).toEqual([
      expect.stringContaining('shadow -> auto for cohort site=main-street'),
      expect.stringContaining('suggest -> shadow for cohort site=main-street'),
    ]);
    // The same discharge again (a resend with a new control id): nothing left to write.
    await send(discharge('ENG0004', GRACE, text), 'ENG0004');
    expect(await engine.store.audit.list({ actor: 'system:rollout' })).toHaveLength(1);
    const metrics = await (await fetch(`${url}/metrics`)).text();
    expect(metrics).toMatch(
      /rxbridge_rollout_auto_writes_total\{workflow="discharge-reconciliation",outcome="applied"\} 1/,
    );
    expect(metrics).toMatch(
      /rxbridge_rollout_proposals_total\{workflow="discharge-reconciliation",mode="shadow",disposition="recorded"\} 1/,
    );
  });
});
