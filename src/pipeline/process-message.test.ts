// The discharge processor on real parts: demo pharmacy, starter terminology, SQLite store.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { demoDischargeA03 } from '../cli/demo/demo-discharge.ts';
import { ManualClock } from '../kernel/clock.ts';
import { silentLogger } from '../platform/log/logger.ts';
import { createEmbeddedPharmacy } from '../platform/pharmacy/embedded/embedded-pharmacy.ts';
import { DEMO_PHARMACY } from '../platform/pharmacy/embedded/demo-pharmacy.ts';
import { openSqliteStore } from '../platform/store/sqlite/sqlite-store.ts';
import type { Store } from '../platform/store/store.ts';
import { createStarterTerminology } from '../terminology/starter-terminology.ts';
import { localAuthoritySystem } from '../normalize/hl7v2/hl7-datatypes.ts';
import { decodeHl7Bytes, createMessageProcessor, pharmacyIdentifiersOf } from './process-message.ts';

/** The C-CDA fixture's patient renamed to the demo pharmacy's Eleanor Whitfield (matched by name and birth date). */
function whitfieldDischargeSummary(): string {
  return readFileSync(new URL('../../test/fixtures/ccda/discharge-summary.xml', import.meta.url), 'utf8')
    .replace(
      '<given>Ada</given><given>M</given><family>Testperson</family>',
      '<given>Eleanor</given><family>Whitfield</family>',
    )
    .replace('<birthTime value="19560214"/>', '<birthTime value="19480312"/>');
}

describe('createMessageProcessor', () => {
  let store: Store;
  const clock = new ManualClock('2026-11-21T09:00:00Z');
  beforeEach(async () => {
    store = await openSqliteStore({
      path: join(mkdtempSync(join(tmpdir(), 'rxb-proc-')), 'db.sqlite'),
      clock,
    });
  });
  afterEach(async () => store.close());

  const processor = () =>
    createMessageProcessor({
      pharmacy: createEmbeddedPharmacy(DEMO_PHARMACY),
      terminology: createStarterTerminology(),
      tasks: store.tasks,
      audit: store.audit,
      clock,
      logger: silentLogger,
    });

  async function storeAndClaim(text: string) {
    await store.messages.append({
      channel: 'test',
      format: 'hl7v2',
      idempotencyKey: text.split('\r')[0] ?? text,
      partitionKey: 'MRN10001^GENHOSP',
      raw: Buffer.from(text, 'utf8'),
      summary: {
        type: text.includes('ADT^A03') ? 'ADT^A03' : 'ADT^A08',
        controlId: text.split('|')[9] ?? '',
      },
    });
    const [claimed] = await store.messages.claim('w1', 1, 60_000);
    if (!claimed) throw new Error('nothing claimed');
    return claimed;
  }

  it('turns the mission discharge into a reconciliation task with both medications and a 7-day follow-up', async () => {
    const message = await storeAndClaim(demoDischargeA03(clock.now()));
    const outcome = await processor()(message);
    expect(outcome).toMatchObject({
      state: 'awaiting-review',
      path: ['normalized', 'extracted', 'evaluated'],
    });
    const tasks = await store.tasks.list({ sourceMessageId: message.id });
    const reconciliation = tasks.find((t) => t.type === 'discharge-reconciliation');
    const followUp = tasks.find((t) => t.type === 'post-discharge-follow-up');
    expect(reconciliation?.patient.pharmacyPatientId).toBe('P0001');
    const payload = reconciliation?.payload as {
      items: Array<{ type: string; drug: string }>;
      extracted: Array<{
        name: string;
        strength?: { value: number; unit: string };
        frequency?: { perDay: number };
      }>;
    };
    expect(
      payload.extracted.map((m) => [m.name.toLowerCase(), m.strength?.value, m.frequency?.perDay]),
    ).toEqual([
      ['metformin', 500, 2],
      ['lisinopril', 10, 1],
    ]);
    expect(payload.items.map((i) => `${i.type} ${i.drug}`).sort()).toEqual([
      'commission atorvastatin',
      'dose-change metformin',
    ]);
    expect(followUp?.dueAt?.getTime()).toBe(
      clock.now().getTime() - (clock.now().getTime() % 1000) + 7 * 86_400_000,
    );
  });

  it('creates nothing twice when the same message is processed again (replay, redelivery)', async () => {
    const message = await storeAndClaim(demoDischargeA03(clock.now()));
    await processor()(message);
    await processor()(message);
    expect(await store.tasks.count({ sourceMessageId: message.id })).toBe(2);
  });

  it('finishes a discharge for a patient the pharmacy does not know without a task', async () => {
    const text = demoDischargeA03(clock.now())
      .replace('MRN10001', 'MRN99999')
      .replace('WHITFIELD^ELEANOR', 'DOE^JANE');
    const message = await storeAndClaim(text);
    const outcome = await processor()(message);
    expect(outcome).toMatchObject({ state: 'done', detail: 'not a patient of this pharmacy' });
    expect(await store.tasks.count({})).toBe(0);
  });

  it('sends a message that cannot be parsed straight to dead letters with the reason', async () => {
    const message = await storeAndClaim('NOT AN HL7 MESSAGE');
    const outcome = await processor()(message);
    expect(outcome).toMatchObject({ state: 'failed', retryable: false });
    expect(outcome.state === 'failed' && outcome.error).toMatch(/MSH/);
  });

  it('reconciles a C-CDA discharge summary: coded discharge medications plus what the section narrative adds', async () => {
    const xml = whitfieldDischargeSummary();
    await store.messages.append({
      channel: 'files:test',
      format: 'ccda',
      idempotencyKey: 'ccda:discharge-summary',
      partitionKey: 'ccda:whitfield',
      raw: Buffer.from(xml, 'utf8'),
      summary: { type: 'Discharge Summary' },
    });
    const [message] = await store.messages.claim('w1', 1, 60_000);
    const outcome = await processor()(message!);
    expect(outcome).toMatchObject({
      state: 'awaiting-review',
      path: ['normalized', 'extracted', 'evaluated'],
    });
    const [task] = await store.tasks.list({ type: 'discharge-reconciliation' });
    const items = (task?.payload as { items: Array<{ type: string; drug: string }> }).items;
    const kinds = items.map((i) => `${i.type}:${i.drug}`);
    // Metformin 500 mg twice daily (coded) vs 1000 mg on the profile.
    expect(kinds).toContain('dose-change:metformin');
    // Lisinopril 10 mg daily is only in the section's narrative table; read from there it matches the profile.
    // Without the narrative it would be a commission (on the profile, not on the discharge list).
    expect(kinds.some((k) => k.endsWith(':lisinopril'))).toBe(false);
    expect(kinds.some((k) => k.startsWith('omission:') && k.includes('insulin glargine'))).toBe(true);
  });

  it('fails a C-CDA that is not well-formed, with its issue and no retry', async () => {
    await store.messages.append({
      channel: 'files:test',
      format: 'ccda',
      idempotencyKey: 'ccda:broken',
      partitionKey: 'ccda:x',
      raw: Buffer.from('<ClinicalDocument><unclosed></ClinicalDocument>', 'utf8'),
      summary: {},
    });
    const [message] = await store.messages.claim('w1', 1, 60_000);
    const outcome = await processor()(message!);
    expect(outcome).toMatchObject({ state: 'failed', retryable: false });
    expect((outcome as { error: string }).error.length).toBeGreaterThan(10);
  });

  it('reads a C-CDA embedded in an MDM^T02 like a document on its own', async () => {
    // The MDM fixture with its OBX-5 ED content replaced by the discharge summary renamed to Eleanor Whitfield.
    const xml = whitfieldDischargeSummary();
    const hl7 = readFileSync(new URL('../../test/fixtures/hl7v2/mdm-t02-ccda.hl7', import.meta.url), 'utf8')
      .split(/\r\n|\r|\n/)
      .map((segment) => {
        if (!segment.startsWith('OBX|1|ED|')) return segment;
        const fields = segment.split('|');
        fields[5] = `EPICDOC^TEXT^XML^Base64^${Buffer.from(xml, 'utf8').toString('base64')}`;
        return fields.join('|');
      })
      .join('\r');
    const message = await storeAndClaim(hl7);
    const outcome = await processor()(message);
    expect(outcome).toMatchObject({ state: 'awaiting-review' });
    const [task] = await store.tasks.list({ type: 'discharge-reconciliation' });
    const items = (task?.payload as { items: Array<{ type: string; drug: string }> }).items;
    expect(items.map((i) => `${i.type}:${i.drug}`)).toContain('dose-change:metformin');
  });
});

describe('decodeHl7Bytes', () => {
  it('reads UTF-8 by default and ISO 8859/1 when MSH-18 says so', () => {
    const utf8 = Buffer.from(
      'MSH|^~\\&|A|B|C|D|20260101||ADT^A08|1|P|2.5.1\rPID|1||X^^^Y||MÜLLER^JOSÉ',
      'utf8',
    );
    expect(decodeHl7Bytes(utf8)).toContain('MÜLLER^JOSÉ');
    const latin = Buffer.from(
      'MSH|^~\\&|A|B|C|D|20260101||ADT^A08|1|P|2.5.1||||||8859/1\rPID|1||X^^^Y||MÜLLER^JOSÉ',
      'latin1',
    );
    expect(decodeHl7Bytes(latin)).toContain('MÜLLER^JOSÉ');
  });
});

describe('pharmacyIdentifiersOf', () => {
  it('gives back the assigning authority as written, even with characters the system URI had to escape', () => {
    const ids = pharmacyIdentifiersOf({
      resourceType: 'Patient',
      identifier: [
        { system: localAuthoritySystem('GEN HOSP/EAST'), value: 'MRN1' },
        { system: 'urn:oid:2.16.840.1.113883.19.5', value: 'MRN2', assigner: { display: 'Riverside' } },
      ],
    });
    expect(ids).toEqual([
      { system: 'GEN HOSP/EAST', value: 'MRN1' },
      { system: 'Riverside', value: 'MRN2' },
    ]);
  });
});
