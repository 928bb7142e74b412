// The composition root on real parts: engine without the demo knows no patients; stop is prompt and clean.
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { expect, it } from 'vitest';
import { demoDischargeA03 } from './cli/demo/demo-discharge.ts';
import { loadConfig } from './config/load-config.ts';
import { connectMllp } from './inbound/mllp/mllp-client.ts';
import { startEngine } from './main.ts';
import { silentLogger } from './platform/log/logger.ts';

function configWith(demo: boolean, extra: Record<string, unknown> = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'rxb-main-'));
  const loaded = loadConfig({
    env: {},
    cwd: dir,
    overrides: {
      store: `sqlite:${join(dir, 'db.sqlite')}`,
      demo,
      'http.port': 0,
      'mllp.listeners.0.port': 0,
      ...extra,
    },
  });
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.issues));
  return loaded.value.config;
}

async function sendDemoDischarge(port: number): Promise<void> {
  const client = await connectMllp({ host: '127.0.0.1', port });
  await client.send(demoDischargeA03());
  await client.close();
}

async function settled(engine: Awaited<ReturnType<typeof startEngine>>) {
  for (let i = 0; i < 200; i++) {
    const [m] = await engine.store.messages.list({ limit: 1 });
    if (m && !['received', 'normalized', 'extracted', 'evaluated'].includes(m.state)) return m;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error('message not settled');
}

it('without the demo, the embedded pharmacy is empty: a discharge is processed and no task is created', async () => {
  const engine = await startEngine({ config: configWith(false), logger: silentLogger });
  try {
    await sendDemoDischarge(engine.mllp[0]!.port);
    const m = await settled(engine);
    expect(m.state).toBe('done');
    expect(await engine.store.tasks.count({})).toBe(0);
    const events = await engine.store.messages.events(m.id);
    expect(events.at(-1)?.detail).toBe('not a patient of this pharmacy');
  } finally {
    await engine.stop();
  }
});

it('with the demo, the same discharge creates the reconciliation and follow-up tasks; stop drains without hanging', async () => {
  const engine = await startEngine({ config: configWith(true), logger: silentLogger });
  let stopMs = Infinity;
  try {
    await sendDemoDischarge(engine.mllp[0]!.port);
    const m = await settled(engine);
    expect(m.state).toBe('awaiting-review');
    expect((await engine.store.tasks.list({})).map((t) => t.type).sort()).toEqual([
      'discharge-reconciliation',
      'post-discharge-follow-up',
    ]);
  } finally {
    const started = performance.now();
    await engine.stop();
    stopMs = performance.now() - started;
  }
  expect(stopMs).toBeLessThan(5000);
});

it('refuses to start when the configured RxNorm vocabulary cannot be read, naming the key and the file', async () => {
  const missing = join(tmpdir(), 'no-such-dir', 'rxnorm.json');
  await expect(
    startEngine({ config: configWith(false, { 'knowledge.rxnormFile': missing }), logger: silentLogger }),
  ).rejects.toThrow(/knowledge\.rxnormFile: cannot read the RxNorm vocabulary .*rxnorm\.json/);
});

it('receives configured FHIR subscription notifications: signed ones stored once and audited, forged ones refused', async () => {
  const { signNotification } = await import('./inbound/fhir/subscription-receiver.ts');
  const { openSqliteFhirStore } = await import('./inbound/fhir/sqlite-fhir-store.ts');
  const dir = mkdtempSync(join(tmpdir(), 'rxb-subs-'));
  process.env['RXB_TEST_HOOK_SECRET'] = 'hook-secret-main-test';
  const ehrDb = join(dir, 'ehr.db');
  const engine = await startEngine({
    config: configWith(false, {
      'ehr.resourceStore': ehrDb,
      'ehr.subscriptions': [
        { name: 'dispenses', endpoint: 'hospital', auth: 'hmac', secretEnv: 'RXB_TEST_HOOK_SECRET' },
      ],
    }),
    logger: silentLogger,
  });
  try {
    const { key } = await engine.security.auth.createApiKey(
      { name: 'ehr-hook', roles: ['system'], sites: ['*'] },
      'test',
    );
    const body = JSON.stringify({ resourceType: 'MedicationDispense', id: 'md1', status: 'completed' });
    const now = Math.floor(Date.now() / 1000);
    const post = (signature: string) =>
      fetch(`${engine.httpUrl}/fhir/subscriptions/dispenses`, {
        method: 'POST',
        headers: {
          authorization: `ApiKey ${key}`,
          'content-type': 'application/fhir+json',
          'x-timestamp': String(now),
          'x-signature': signature,
        },
        body,
      });
    expect((await post(signNotification('wrong-secret', now, body))).status).toBe(401);
    expect((await post(signNotification('hook-secret-main-test', now, body))).status).toBe(200);
    const audit = await engine.store.audit.list({ action: 'ingest', category: 'fhir' });
    expect(audit.map((a) => a.detail)).toEqual(['rest-hook: 1 new, 0 updated, 0 unchanged']);
  } finally {
    await engine.stop();
    delete process.env['RXB_TEST_HOOK_SECRET'];
  }
  // Sealed at rest: the store opens only with a sealer, and without it the row is not plain JSON.
  const raw = openSqliteFhirStore(ehrDb);
  expect(() => raw.get('hospital', 'MedicationDispense', 'md1')).toThrow();
  raw.close();
});

it('keeps the embedded pharmacy write-backs across a restart, sealed on disk', async () => {
  const config = configWith(true, { 'mllp.listeners.0.port': 0 });
  const first = await startEngine({ config, logger: silentLogger, workers: false });
  const rxId = (await first.pharmacy.getProfile('P0001'))!.prescriptions[0]!.id;
  const note = 'Zephyrine restart canary: new apixaban at discharge';
  await first.pharmacy.apply({
    key: 'task-r/1',
    patientId: 'P0001',
    prescriptionId: rxId,
    action: 'discontinue',
    drug: 'metformin',
    decidedBy: 'user:ana',
    reason: 'stopped at discharge',
  });
  await first.pharmacy.apply({
    key: 'task-r/2',
    patientId: 'P0001',
    action: 'add-note',
    note,
    drug: 'apixaban',
    decidedBy: 'user:ana',
    reason: 'new at discharge',
  });
  await first.stop();
  const again = await startEngine({ config, logger: silentLogger, workers: false });
  try {
    const rx = (await again.pharmacy.getProfile('P0001'))!.prescriptions.find((p) => p.id === rxId)!;
    expect(rx.status).toBe('discontinued');
    expect(again.pharmacy.notesOf('P0001').map((n) => n.text)).toEqual([note]);
    // The same key is not applied twice after the restart.
    expect(
      (
        await again.pharmacy.apply({
          key: 'task-r/1',
          patientId: 'P0001',
          prescriptionId: rxId,
          action: 'hold',
          drug: 'metformin',
          decidedBy: 'user:ana',
          reason: 'x',
        })
      ).applied,
    ).toBe(false);
  } finally {
    await again.stop();
  }
  const dir = dirname(config.store.slice('sqlite:'.length));
  const files = readdirSync(dir).filter((f) => f.startsWith('pharmacy-writes.db'));
  expect(files).toContain('pharmacy-writes.db');
  for (const f of files) expect(readFileSync(join(dir, f)).includes(Buffer.from('Zephyrine')), f).toBe(false);
});
