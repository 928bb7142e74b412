// The rollout gate on real reconciliation output: modes per cohort, guardrails, idempotent audited auto writes.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AuditRecord } from '../../governance/audit/audit-log.ts';
import { ManualClock } from '../../kernel/clock.ts';
// eslint-disable-next-line rxbridge/pipeline-boundaries -- the demo pharmacy the gate writes to
import { DEMO_PHARMACY, createEmbeddedPharmacy } from '../../platform/pharmacy/embedded/index.ts';
import type { StoredMessage } from '../../platform/store/message-store.ts';
// eslint-disable-next-line rxbridge/pipeline-boundaries -- a real audit log (SQLite) for the audit assertions
import { openSqliteStore, type SqliteStore } from '../../platform/store/sqlite/sqlite-store.ts';
import type { Discrepancy, ReconciliationResult } from '../../reconcile/discrepancy.ts';
import { reconcileMedications } from '../../reconcile/reconcile-medications.ts';
import { ehrMedicationFromExtraction } from '../../reconcile/ehr-medication.ts';
import { extractMedications } from '../../extract/rules/extract-medications.ts';
import { createStarterTerminology } from '../../terminology/starter-terminology.ts';
// eslint-disable-next-line rxbridge/pipeline-boundaries -- the workspace's embedded write-back, as main.ts wires it
import { createWritablePharmacy, type WritablePharmacy } from '../../outbound/pharmacy/writable-pharmacy.ts';
import { setMode } from './rollout-admin.ts';
import { createRolloutGate } from './rollout-gate.ts';
import type { Guardrails } from './rollout-model.ts';
import type { RolloutStore } from './rollout-store.ts';
import { openSqliteRolloutStore } from './sqlite/sqlite-rollout-store.ts';

const terminology = createStarterTerminology();
const dir = mkdtempSync(join(tmpdir(), 'rxb-gate-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function message(id: string, at: Date): StoredMessage {
  return {
    id,
    sequence: 1,
    channel: 'mllp:test',
    format: 'hl7v2',
    idempotencyKey: id,
    partitionKey: 'x',
    raw: new Uint8Array(),
    summary: { type: 'ADT^A03', sender: 'GENHOSP' },
    ack: null,
    state: 'processing' as StoredMessage['state'],
    attempts: 1,
    nextAttemptAt: null,
    lastError: null,
    duplicateOf: null,
    receivedAt: at,
    updatedAt: at,
  };
}

async function reconcile(
  pharmacy: WritablePharmacy,
  patientId: string,
  text: string,
): Promise<ReconciliationResult> {
  const profile = (await pharmacy.getProfile(patientId))!;
  return reconcileMedications({
    ehr: extractMedications(text, { terminology }).map((m) =>
      ehrMedicationFromExtraction(m, 'Observation/1'),
    ),
    profile,
    terminology,
    asOf: new Date('2026-01-15T12:00:00Z'),
    source: 'discharge',
  });
}

describe('rollout gate', () => {
  let store: RolloutStore;
  let engine: SqliteStore;
  let audit: SqliteStore['audit'];
  /** Audit entries, oldest first. */
  const entries = async (): Promise<AuditRecord[]> => (await audit.list({ limit: 1000 })).reverse();
  let pharmacy: WritablePharmacy;
  let clock: ManualClock;
  let n = 0;
  const guardrails: Guardrails = {
    types: ['discontinued-still-active', 'dose-change'],
    minConfidence: 0.7,
    maxPerHour: 2,
    maxPerDay: 10,
  };

  beforeEach(async () => {
    store = openSqliteRolloutStore(join(dir, `gate-${++n}.db`));
    engine = await openSqliteStore({ path: ':memory:' });
    audit = engine.audit;
    pharmacy = createWritablePharmacy(createEmbeddedPharmacy(DEMO_PHARMACY));
    clock = new ManualClock('2026-01-15T10:00:00Z');
  });
  afterEach(async () => {
    await store.close();
    await engine.close();
  });

  const gate = () =>
    createRolloutGate({
      store,
      audit,
      clock,
      writeBack: pharmacy,
      guardrails: { 'discharge-reconciliation': guardrails },
    });
  const set = (mode: 'off' | 'shadow' | 'suggest' | 'auto', sites?: string[]) =>
    setMode(store, audit, {
      workflow: 'discharge-reconciliation',
      mode,
      ...(sites ? { cohort: { sites } } : {}),
      actor: 'user:lead',
      reason: `test: ${mode} for ${sites?.join(',') ?? 'everyone'}`,
      source: 'test',
      at: clock.now(),
    });
  const run = async (patientId: string, text: string, id = `m-${patientId}-${clock.now().getTime()}`) => {
    const match = (await pharmacy.findPatient({
      identifiers: [{ system: 'RXBRIDGE-PHARMACY', value: patientId }],
    }))!;
    const result = await reconcile(pharmacy, patientId, text);
    return {
      result,
      decision: await gate().discharge({
        message: message(id, clock.now()),
        match,
        result,
        confidences: [0.9],
      }),
    };
  };

  it('with nothing configured, suggests (tasks for every discrepancy), as before rollout', async () => {
    const { result, decision } = await run(
      'P0005',
      'SYNTHROID 100MCG DAILY, OMEPRAZOLE 20MG DAILY. STOP AMLODIPINE 5MG',
    );
    expect(decision.mode).toBe('suggest');
    expect(decision.createTasks && decision.result.discrepancies).toEqual(result.discrepancies);
  });

  it('off records nothing; shadow records what it would do and writes nothing', async () => {
    await set('off');
    expect((await run('P0005', 'SYNTHROID 100MCG DAILY. STOP AMLODIPINE 5MG')).decision.createTasks).toBe(
      false,
    );
    expect(await store.runs({})).toEqual([]);
    await set('shadow');
    const { decision } = await run(
      'P0005',
      'SYNTHROID 100MCG DAILY, OMEPRAZOLE 20MG DAILY. STOP AMLODIPINE 5MG',
    );
    expect(decision).toMatchObject({ mode: 'shadow', createTasks: false });
    const [recorded] = await store.runs({});
    expect(recorded?.items.map((i) => [i.type, i.disposition, i.write?.action])).toEqual([
      ['discontinued-still-active', 'recorded', 'discontinue'],
    ]);
    expect(
      (await pharmacy.getProfile('P0005'))?.prescriptions.find((p) => p.id === 'P0005-RX3')?.status,
    ).toBe('active');
    expect((await entries()).filter((e) => e.category === 'medication')).toEqual([]);
  });

  it('a cohort setting changes only its cohort', async () => {
    await set('shadow');
    await set('auto', ['main-street']);
    expect((await run('P0005', 'SYNTHROID 100MCG DAILY. STOP AMLODIPINE 5MG')).decision.mode).toBe('auto'); // main-street
    expect((await run('P0004', 'OXYCODONE 5MG Q6H PRN PAIN')).decision.mode).toBe('shadow'); // riverside
  });

  it('auto applies what passes the guardrails, audits each write with its reason, and leaves the rest to review', async () => {
    await set('auto');
    // P0001: metformin dose change (medium, allowed), plus a stop of atorvastatin.
    const { decision } = await run(
      'P0001',
      'METFORMIN 500MG BID, LISINOPRIL 10MG DAILY. STOP ATORVASTATIN 20MG',
    );
    expect(decision.mode).toBe('auto');
    const [recorded] = await store.runs({});
    const byType = Object.fromEntries(recorded!.items.map((i) => [i.type, i]));
    expect(byType['dose-change']?.disposition).toBe('auto-applied');
    expect(byType['discontinued-still-active']?.disposition).toBe('auto-applied');
    expect(decision.createTasks && decision.result.discrepancies).toEqual([]);
    const profile = await pharmacy.getProfile('P0001');
    expect(profile?.prescriptions.find((p) => p.id === 'P0001-RX3')?.status).toBe('discontinued');
    expect(profile?.prescriptions.find((p) => p.id === 'P0001-RX1')?.strength).toEqual({
      value: 500,
      unit: 'mg',
    });
    const writes = (await entries()).filter((e) => e.category === 'medication');
    expect(writes).toHaveLength(2);
    for (const w of writes) {
      expect(w).toMatchObject({
        actor: 'system:rollout',
        action: 'update',
        outcome: 'success',
        patient: 'P0001',
      });
      expect(w.detail).toMatch(
        /mode auto for cohort \* \(setting #1 by user:lead: test: auto for everyone\); guardrails passed/,
      );
    }
  });

  it('never auto-applies HIGH priority, unconfigured types or low confidence; says which guardrail stopped it', async () => {
    await set('auto');
    // P0002 warfarin dose change: high-alert drug, HIGH priority.
    await run(
      'P0002',
      'WARFARIN 10MG DAILY, METOPROLOL TARTRATE 25MG BID, FUROSEMIDE 20MG DAILY, DIGOXIN 0.125MG DAILY',
    );
    // P0005 amlodipine frequency change: type not configured.
    await run('P0005', 'SYNTHROID 100MCG DAILY, OMEPRAZOLE 20MG DAILY, AMLODIPINE 5MG BID');
    const notes = (await store.runs({})).flatMap((r) => r.items.map((i) => [i.drug, i.disposition, i.note]));
    expect(notes).toContainEqual(['warfarin', 'review', 'HIGH priority: always reviewed']);
    expect(notes).toContainEqual([
      'amlodipine',
      'review',
      'type frequency-change is not configured for auto',
    ]);
    const lowConfidence = createRolloutGate({
      store,
      audit,
      clock,
      writeBack: pharmacy,
      guardrails: { 'discharge-reconciliation': { ...guardrails, minConfidence: 0.95 } },
    });
    const match = (await pharmacy.findPatient({
      identifiers: [{ system: 'RXBRIDGE-PHARMACY', value: 'P0009' }],
    }))!;
    const result = await reconcile(
      pharmacy,
      'P0009',
      'ESCITALOPRAM 10MG DAILY, LEVOTHYROXINE 50MCG DAILY. STOP ONDANSETRON 4MG',
    );
    await lowConfidence.discharge({ message: message('low', clock.now()), match, result, confidences: [] });
    const [low] = await store
      .runs({ since: clock.now() })
      .then((r) => r.filter((x) => x.messageId === 'low'));
    expect(low?.items[0]?.note).toBe('confidence 0.75 below 0.95');
    expect((await entries()).filter((e) => e.category === 'medication')).toEqual([]);
  });

  it('rate caps send writes beyond the hourly cap to review', async () => {
    await set('auto');
    await run('P0005', 'SYNTHROID 100MCG DAILY, OMEPRAZOLE 20MG DAILY. STOP AMLODIPINE 5MG');
    await run('P0009', 'ESCITALOPRAM 10MG DAILY, LEVOTHYROXINE 50MCG DAILY. STOP ONDANSETRON 4MG');
    await run(
      'P0011',
      'AMLODIPINE 10MG DAILY, HYDROCHLOROTHIAZIDE 25MG DAILY, SIMVASTATIN 20MG DAILY. STOP TRAZODONE 50MG',
    );
    const items = (await store.runs({})).flatMap((r) => r.items);
    expect(items.filter((i) => i.disposition === 'auto-applied')).toHaveLength(2);
    expect(items.find((i) => i.drug === 'trazodone')?.note).toBe(
      'rate cap: 2 writes in the last hour (max 2)',
    );
    clock.advance(3_600_001);
    await run(
      'P0011',
      'AMLODIPINE 10MG DAILY, HYDROCHLOROTHIAZIDE 25MG DAILY, SIMVASTATIN 20MG DAILY. STOP TRAZODONE 50MG',
    );
    const later = (await store.runs({ since: clock.now() })).flatMap((r) => r.items);
    expect(later.find((i) => i.drug === 'trazodone')?.disposition).toBe('auto-applied');
  });

  it('a redelivered message writes nothing twice', async () => {
    await set('auto');
    const match = (await pharmacy.findPatient({
      identifiers: [{ system: 'RXBRIDGE-PHARMACY', value: 'P0005' }],
    }))!;
    const result = await reconcile(
      pharmacy,
      'P0005',
      'SYNTHROID 100MCG DAILY, OMEPRAZOLE 20MG DAILY. STOP AMLODIPINE 5MG',
    );
    const g = gate();
    await g.discharge({ message: message('same', clock.now()), match, result, confidences: [] });
    const again = await g.discharge({
      message: message('same', clock.now()),
      match,
      result,
      confidences: [],
    });
    expect(again.createTasks && again.result.discrepancies).toEqual([]);
    expect((await entries()).filter((e) => e.category === 'medication')).toHaveLength(1);
  });

  it('a failed write is audited as a failure, goes to review, and can be retried', async () => {
    await set('auto');
    const match = (await pharmacy.findPatient({
      identifiers: [{ system: 'RXBRIDGE-PHARMACY', value: 'P0005' }],
    }))!;
    const result = await reconcile(
      pharmacy,
      'P0005',
      'SYNTHROID 100MCG DAILY, OMEPRAZOLE 20MG DAILY. STOP AMLODIPINE 5MG',
    );
    const broken: Discrepancy = {
      ...result.discrepancies[0]!,
      pharmacy: { ...result.discrepancies[0]!.pharmacy!, id: 'P0005-RX99' },
    };
    const decision = await gate().discharge({
      message: message('bad', clock.now()),
      match,
      result: { ...result, discrepancies: [broken] },
      confidences: [],
    });
    expect(decision.createTasks && decision.result.discrepancies).toHaveLength(1);
    const failure = (await entries()).find((e) => e.category === 'medication');
    expect(failure).toMatchObject({ outcome: 'failure', actor: 'system:rollout' });
    expect(failure?.detail).toMatch(/prescription P0005-RX99 not found/);
    expect(
      await store.claimWrite(
        `discharge-reconciliation:${broken.id}`,
        'discharge-reconciliation',
        clock.now(),
      ),
    ).toBe(true);
  });

  it('a mode change without a real reason is refused before anything is written', async () => {
    await expect(
      setMode(store, audit, {
        workflow: 'care-gaps',
        mode: 'auto',
        actor: 'user:x',
        reason: ' ok ',
        source: 'test',
        at: clock.now(),
      }),
    ).rejects.toThrow(/reason of at least 8 characters/);
    expect(await store.settings()).toEqual([]);
    expect(await entries()).toEqual([]);
  });
});
