// Shadow validation and the mode model: matching proposals with pharmacists' actions, per-field agreement, cohorts.
import { describe, expect, it } from 'vitest';
// eslint-disable-next-line rxbridge/pipeline-boundaries -- the demo pharmacy for later-state validation
import { DEMO_PHARMACY, createEmbeddedPharmacy } from '../../platform/pharmacy/embedded/index.ts';
// eslint-disable-next-line rxbridge/pipeline-boundaries -- the workspace's embedded write-back, as main.ts wires it
import { createWritablePharmacy } from '../../outbound/pharmacy/writable-pharmacy.ts';
import { actionFields, type ProposedItem } from './proposals.ts';
import { cohortKey, parseCohort, resolveMode, type ModeSetting } from './rollout-model.ts';
import type { Decision, EngineRun } from './rollout-store.ts';
import { compareRuns } from './shadow-validation.ts';

const at = new Date('2026-03-01T08:00:00Z');

function item(
  id: string,
  fields: ProposedItem['fields'],
  disposition: ProposedItem['disposition'] = 'recorded',
): ProposedItem {
  const out: ProposedItem = {
    itemId: id,
    type: 't',
    priority: 'medium',
    drug: fields['drug'] ?? '',
    confidence: 0.9,
    fields,
    disposition,
  };
  if (fields['prescription']) {
    out.prescriptionId = fields['prescription'];
    out.write = {
      key: `w:${id}`,
      patientId: 'P0005',
      prescriptionId: fields['prescription'],
      action: 'discontinue',
      drug: fields['drug'] ?? '',
    };
  }
  return out;
}

function run(messageId: string, items: ProposedItem[]): EngineRun {
  return {
    key: messageId,
    workflow: 'discharge-reconciliation',
    mode: 'shadow',
    cohortKey: '*',
    messageId,
    patientId: 'P0005',
    receivedAt: at,
    at,
    latencyMs: 5,
    items,
  };
}

function decision(
  messageId: string,
  verdict: Decision['verdict'],
  fields: Decision['fields'],
  itemId?: string,
): Decision {
  return {
    key: `${messageId}:${verdict}:${itemId ?? fields['drug']}`,
    workflow: 'discharge-reconciliation',
    messageId,
    patientId: 'P0005',
    verdict,
    fields,
    pharmacist: 'user:rph',
    at,
    ...(itemId ? { itemId } : {}),
  };
}

describe('compareRuns', () => {
  const stopAmlodipine = actionFields({
    action: 'discontinue',
    drug: 'amlodipine',
    prescriptionId: 'P0005-RX3',
  });
  const doseOmeprazole = actionFields({
    action: 'update-regimen',
    drug: 'omeprazole',
    prescriptionId: 'P0005-RX2',
    strength: { value: 40, unit: 'mg' },
    frequencyPerDay: 1,
  });

  it('matches manual work by prescription, counts per field, and counts misses and false alarms', async () => {
    const runs = [
      run('m1', [
        item('a', stopAmlodipine),
        item('b', doseOmeprazole),
        item('c', actionFields({ action: 'review', drug: 'aspirin' })),
      ]),
    ];
    const decisions = [
      decision('m1', 'manual', stopAmlodipine),
      decision('m1', 'manual', { ...doseOmeprazole, strength: '20 mg', frequency: '2' }),
      decision('m1', 'manual', actionFields({ action: 'review', drug: 'docusate' })),
    ];
    const { agreement, comparisons } = await compareRuns(runs, decisions);
    expect(comparisons.map((c) => [c.drug, c.agree, c.source])).toEqual([
      ['amlodipine', true, 'decision'],
      ['omeprazole', false, 'decision'],
      ['aspirin', false, 'no-action'],
      ['docusate', false, 'decision'],
    ]);
    expect(agreement).toMatchObject({
      compared: 4,
      agreed: 1,
      proposals: 3,
      accepted: 1,
      actions: 3,
      found: 1,
    });
    expect(agreement.perField['strength']).toEqual({ compared: 1, agreed: 0, rate: 0 });
    expect(agreement.perField['prescription']).toEqual({ compared: 2, agreed: 2, rate: 1 });
    expect(agreement.perField['action']).toEqual({ compared: 4, agreed: 2, rate: 0.5 });
  });

  it('without a decision, the pharmacy state decides: a change made by hand agrees', async () => {
    const pharmacy = createWritablePharmacy(createEmbeddedPharmacy(DEMO_PHARMACY));
    const runs = [run('m2', [item('a', stopAmlodipine)])];
    expect((await compareRuns(runs, [], pharmacy)).agreement.rate).toBe(0);
    await pharmacy.apply({
      key: 'by-hand',
      patientId: 'P0005',
      prescriptionId: 'P0005-RX3',
      action: 'discontinue',
      drug: 'amlodipine',
      decidedBy: 'user:rph',
      reason: 'discharge list stops it',
    });
    const after = await compareRuns(runs, [], pharmacy);
    expect(after.agreement.rate).toBe(1);
    expect(after.agreement.bySource['pharmacy-state']).toBe(1);
  });

  it('answers to proposals: approve agrees, edit compares fields, reject and reverse disagree; unanswered tasks are pending', async () => {
    const runs = [
      run('m3', [
        item('a', stopAmlodipine, 'task'),
        item('b', doseOmeprazole, 'task'),
        item('c', actionFields({ action: 'review', drug: 'aspirin' }), 'task'),
        item('d', actionFields({ action: 'review', drug: 'docusate' }), 'task'),
      ]),
    ];
    const decisions = [
      decision('m3', 'approve', stopAmlodipine, 'a'),
      decision('m3', 'edit', { ...doseOmeprazole, strength: '30 mg' }, 'b'),
      decision('m3', 'reject', {}, 'c'),
    ];
    const { agreement } = await compareRuns(runs, decisions);
    expect(agreement).toMatchObject({ compared: 3, agreed: 1, pending: 1 });
    expect(agreement.perField['strength']?.rate).toBe(0);
    expect(agreement.perField['frequency']?.rate).toBe(1);
  });
});

describe('modes and cohorts', () => {
  const s = (id: number, mode: ModeSetting['mode'], cohort?: ModeSetting['cohort']): ModeSetting => ({
    id,
    workflow: 'discharge-reconciliation',
    mode,
    cohortKey: cohortKey(cohort),
    actor: 'user:a',
    reason: 'because',
    at,
    ...(cohort ? { cohort } : {}),
  });

  it('parses the CLI cohort and refuses unknown keys with the reason', () => {
    expect(parseCohort('site=main-street,riverside;sender=GENHOSP')).toEqual({
      sites: ['main-street', 'riverside'],
      senders: ['GENHOSP'],
    });
    expect(parseCohort('*')).toEqual({});
    expect(parseCohort('ward=4W')).toMatch(/"ward": unknown cohort key/);
    expect(parseCohort('site=')).toMatch(/no values/);
    expect(parseCohort('main-street')).toMatch(/expected key=value/);
  });

  it('newest matching cohort wins; then the default; a later default does not override a cohort', () => {
    const history = [
      s(1, 'shadow'),
      s(2, 'suggest', { sites: ['main-street'] }),
      s(3, 'auto', { patients: ['P0001'] }),
      s(4, 'off'),
    ];
    expect(resolveMode(history, { site: 'main-street', patient: 'P0001' }).mode).toBe('auto');
    expect(resolveMode(history, { site: 'main-street', patient: 'P0003' }).mode).toBe('suggest');
    expect(resolveMode(history, { site: 'riverside' }).mode).toBe('off');
    expect(resolveMode([], {}).mode).toBe('suggest');
    expect(
      resolveMode([s(1, 'auto', { sites: ['x'] }), s(2, 'shadow', { sites: ['x'] })], { site: 'x' }).mode,
    ).toBe('shadow');
  });
});
