// The PharmacyWriter adapters: the writable embedded pharmacy, HL7 v2 RDE^O11 over a real MLLP listener, and the
// FHIR pharmacy writer against the EHR sandbox (a FHIR R4 server) — each idempotent by change key.
import type { MedicationRequest } from '@medplum/fhirtypes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectMllp } from '../../inbound/mllp/mllp-client.ts';
import { startMllpServer, type MllpServer } from '../../inbound/mllp/mllp-server.ts';
import { MemoryMessageStore } from '../../inbound/mllp/testing/memory-message-store.ts';
import { ErrorCode } from '../../kernel/errors.ts';
// eslint-disable-next-line rxbridge/pipeline-boundaries -- the FHIR writer is tested against the real client
import type { FhirClient } from '../../platform/ehr/fhir/fhir-client.ts';
// eslint-disable-next-line rxbridge/pipeline-boundaries -- the sandbox stands in for a pharmacy FHIR server
import { startSandbox, type Sandbox } from '../../platform/ehr/sandbox/sandbox-server.ts';
import { generateSigningKey, KeyRing } from '../../platform/ehr/smart-keys.ts';
// eslint-disable-next-line rxbridge/pipeline-boundaries -- the embedded pharmacy is the reference adapter
import { createEmbeddedPharmacy } from '../../platform/pharmacy/embedded/embedded-pharmacy.ts';
import { silentLogger } from '../../platform/log/logger.ts';
import { createFhirPharmacyWriter } from './fhir-pharmacy-writer.ts';
import { buildRdeO11, controlIdOf, createHl7PharmacyWriter } from './hl7v2-pharmacy-writer.ts';
import type { PrescriptionChange } from './pharmacy-writer.ts';
import { createWritablePharmacy } from './writable-pharmacy.ts';
import { sandboxClient } from '../../../test/support/sandbox-client.ts';

const change = (over: Partial<PrescriptionChange> = {}): PrescriptionChange => ({
  key: 'task-1/item-1',
  patientId: 'P0001',
  prescriptionId: 'RX-P0001-1',
  action: 'update-regimen',
  sig: 'Take 1 tablet (500 mg) by mouth twice daily',
  strength: { value: 500, unit: 'mg' },
  drug: 'metformin',
  decidedBy: 'user:ana',
  reason: 'discharge dose confirmed',
  ...over,
});

describe('writable embedded pharmacy', () => {
  it('layers approved changes over the demo profile, once per key, and refuses unknown prescriptions', async () => {
    const base = createEmbeddedPharmacy();
    const rxId = (await base.getProfile('P0001'))!.prescriptions[0]!.id;
    const pharmacy = createWritablePharmacy(base, () => new Date('2026-11-21T10:00:00Z'));
    const first = await pharmacy.apply(change({ prescriptionId: rxId }));
    expect(first.applied).toBe(true);
    const again = await pharmacy.apply(change({ prescriptionId: rxId, sig: 'something else' }));
    expect(again).toEqual({ ...first, applied: false });
    const rx = (await pharmacy.getProfile('P0001'))!.prescriptions.find((p) => p.id === rxId)!;
    expect(rx.sig).toBe('Take 1 tablet (500 mg) by mouth twice daily');
    expect(rx.strength).toEqual({ value: 500, unit: 'mg' });
    // The base stays as it was.
    expect((await base.getProfile('P0001'))!.prescriptions[0]!.sig).not.toBe(rx.sig);
    await pharmacy.apply(change({ key: 'task-1/item-2', prescriptionId: rxId, action: 'discontinue' }));
    expect((await pharmacy.getProfile('P0001'))!.prescriptions.find((p) => p.id === rxId)!.status).toBe(
      'discontinued',
    );
    await pharmacy.apply(
      change({ key: 'task-1/item-3', action: 'add-note', note: 'new apixaban at discharge' }),
    );
    expect(pharmacy.notesOf('P0001')).toMatchObject([{ text: 'new apixaban at discharge', by: 'user:ana' }]);
    await expect(pharmacy.apply(change({ key: 'x', prescriptionId: 'nope' }))).rejects.toMatchObject({
      code: ErrorCode.NotFound,
    });
  });
});

describe('HL7 v2 pharmacy writer', () => {
  let server: MllpServer;
  const feed = new MemoryMessageStore();
  beforeAll(async () => {
    server = await startMllpServer({
      host: '127.0.0.1',
      port: 0,
      channel: 'mllp:pharmacy',
      store: feed as never,
      logger: silentLogger,
    });
  });
  afterAll(async () => server.close());

  it('builds RDE^O11 with the order control, Rx number, new sig and the reason', async () => {
    const profile = (await createEmbeddedPharmacy().getProfile('P0001'))!;
    const rx = profile.prescriptions[0]!;
    const text = buildRdeO11(change({ prescriptionId: rx.id, action: 'discontinue' }), profile.patient, rx, {
      sendingApplication: 'RXBRIDGE',
      sendingFacility: 'MAIN',
      receivingApplication: 'PHARMACY',
      receivingFacility: 'MAIN',
      controlId: controlIdOf('k'),
      now: new Date('2026-11-21T10:00:00Z'),
    });
    const segments = text.split('\r');
    expect(segments.map((s) => s.slice(0, 3))).toEqual(['MSH', 'PID', 'ORC', 'RXE', 'NTE']);
    expect(segments[0]).toContain('|RDE^O11^RDE_O11|');
    expect(segments[1]).toContain('MRN10001^^^GENHOSP');
    expect(segments[2]!.split('|')[1]).toBe('DC');
    expect(segments[2]!.split('|')[3]).toBe(rx.rxNumber);
    expect(segments[3]!.split('|')[15]).toBe(rx.rxNumber);
    expect(segments[4]).toBe('NTE|1|P|discharge dose confirmed');
  });

  it('sends each change once over MLLP with a control id derived from its key', async () => {
    const base = createEmbeddedPharmacy();
    const rxId = (await base.getProfile('P0001'))!.prescriptions[0]!.id;
    const client = await connectMllp({ host: '127.0.0.1', port: server.address().port });
    const writer = createHl7PharmacyWriter({
      pharmacy: base,
      send: (m) => client.send(m),
      name: 'hl7v2:test',
    });
    const first = await writer.apply(change({ prescriptionId: rxId }));
    const second = await writer.apply(change({ prescriptionId: rxId }));
    await client.close();
    expect(first).toEqual({ applied: true, reference: `MSH-10 ${controlIdOf('task-1/item-1')}` });
    expect(second.applied).toBe(false);
    expect(feed.appended).toHaveLength(1);
    expect(Buffer.from(feed.appended[0]!.raw).toString('utf8')).toContain('ORC|XO|');
  });

  it('an AE answer is retryable, an AR is a refusal; neither counts as sent', async () => {
    const base = createEmbeddedPharmacy();
    const rxId = (await base.getProfile('P0001'))!.prescriptions[0]!.id;
    let answer = 'AE';
    const writer = createHl7PharmacyWriter({
      pharmacy: base,
      name: 'hl7v2:scripted',
      send: (m) =>
        Promise.resolve(`MSH|^~\\&|PH|X|RXB|Y|20261121||ACK|1|P|2.5.1\rMSA|${answer}|${m.split('|')[9]}`),
    });
    await expect(writer.apply(change({ prescriptionId: rxId }))).rejects.toMatchObject({
      code: ErrorCode.EhrUnavailable,
      retryable: true,
    });
    answer = 'AR';
    await expect(writer.apply(change({ prescriptionId: rxId }))).rejects.toMatchObject({
      code: ErrorCode.EhrRejected,
    });
    answer = 'AA';
    expect((await writer.apply(change({ prescriptionId: rxId }))).applied).toBe(true);
  });
});

describe('FHIR pharmacy writer (against the sandbox FHIR server)', () => {
  let sandbox: Sandbox;
  let client: FhirClient;
  const ring = new KeyRing([generateSigningKey('ES384', 'pharmacy-writer')]);
  const RX_SYSTEM = 'urn:pharmacy:rx';
  beforeAll(async () => {
    sandbox = await startSandbox({
      vendor: 'generic',
      clients: [{ clientId: 'rxbridge', jwks: ring.jwks(Date.now()) as never }],
      resources: [
        {
          resourceType: 'MedicationRequest',
          id: 'mr1',
          status: 'active',
          intent: 'order',
          identifier: [{ system: RX_SYSTEM, value: '6100101' }],
          subject: { reference: 'Patient/p1' },
          medicationCodeableConcept: { text: 'metformin 1000 mg tablet' },
          dosageInstruction: [{ text: 'Take 1 tablet by mouth twice daily' }],
        } satisfies MedicationRequest,
      ],
    });
    client = sandboxClient(sandbox, ring, { name: 'pharmacy' });
  });
  afterAll(async () => sandbox.close());

  it('updates the MedicationRequest once (conditional update), and files a note as a Communication once', async () => {
    const writer = createFhirPharmacyWriter({
      client,
      systems: { rxNumber: RX_SYSTEM, patientId: 'urn:pharmacy:patient' },
      rxNumberOf: () => Promise.resolve('6100101'),
    });
    const first = await writer.apply(change({ prescriptionId: 'rx-1' }));
    expect(first.applied).toBe(true);
    const second = await writer.apply(change({ prescriptionId: 'rx-1' }));
    expect(second.applied).toBe(false);
    const mr = (await client.read<MedicationRequest>('MedicationRequest', 'mr1', { cache: false }))!;
    expect(mr.dosageInstruction?.[0]?.text).toBe('Take 1 tablet (500 mg) by mouth twice daily');
    expect(mr.note?.map((n) => n.text)).toEqual(['discharge dose confirmed']);
    await writer.apply(change({ key: 'task-1/stop', prescriptionId: 'rx-1', action: 'discontinue' }));
    expect((await client.read<MedicationRequest>('MedicationRequest', 'mr1', { cache: false }))!.status).toBe(
      'stopped',
    );

    const note = change({ key: 'task-1/note', action: 'add-note', note: 'new apixaban' });
    expect((await writer.apply(note)).applied).toBe(true);
    expect((await writer.apply(note)).applied).toBe(false);
    expect(sandbox.duplicateWrites('Communication')).toBe(0);
  });
});
