// Reported dispenses and vaccinations leave once: MedicationDispense / Immunization to the sandbox EHR by conditional
// create, VXU^V04 to a registry listening on a real TCP socket (answering AA, AE, AR or nothing), consent first.
import net from 'node:net';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Immunization, MedicationDispense, Patient, Resource } from '@medplum/fhirtypes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseHl7 } from '../inbound/hl7v2/parse-hl7.ts';
import { frameMllp, MllpDeframer } from '../inbound/mllp/mllp-framer.ts';
import { ManualClock } from '../kernel/clock.ts';
import { convertHl7v2 } from '../normalize/hl7v2/convert-hl7v2.ts';
// eslint-disable-next-line rxbridge/pipeline-boundaries -- the EHR side runs on the real FHIR client
import type { FhirClient } from '../platform/ehr/fhir/fhir-client.ts';
// eslint-disable-next-line rxbridge/pipeline-boundaries -- the sandbox is the EHR here
import { startSandbox, type Sandbox } from '../platform/ehr/sandbox/sandbox-server.ts';
import { generateSigningKey, KeyRing } from '../platform/ehr/smart-keys.ts';
import { silentLogger } from '../platform/log/logger.ts';
// eslint-disable-next-line rxbridge/pipeline-boundaries -- the embedded pharmacy is the reference adapter
import { createEmbeddedPharmacy } from '../platform/pharmacy/embedded/embedded-pharmacy.ts';
// eslint-disable-next-line rxbridge/pipeline-boundaries -- tasks and audit on the real SQLite adapter
import { openSqliteStore } from '../platform/store/sqlite/sqlite-store.ts';
import type { Store } from '../platform/store/store.ts';
import type { NewTask, Task } from '../platform/store/task-store.ts';
import { dispenseReportTask, immunizationReportTask } from '../review/outbound-tasks.ts';
import { createReviewService } from '../review/review-service.ts';
import { workOf } from '../review/task-model.ts';
import { createStarterTerminology } from '../terminology/starter-terminology.ts';
import { validateFhirResource } from '../../test/support/fhir-validate.ts';
import { createTaskEffects } from './apply-task.ts';
import { treatmentConsent } from './consent-gate.ts';
import { EFFECT_SYSTEM } from './ehr/ehr-outbound.ts';
import { WorkspaceConfigSchema, workspaceOptionsFromConfig } from './outbound-config.ts';
import { createWritablePharmacy } from './pharmacy/writable-pharmacy.ts';
import { createWorkspace, type Workspace } from './workspace.ts';
import { sandboxClient } from '../../test/support/sandbox-client.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const fixtures = path.resolve(here, '../../test/fixtures/hl7v2');

function fixture<T extends Resource>(name: string, type: T['resourceType']): { all: T[]; patient: Patient } {
  const r = convertHl7v2(readFileSync(path.join(fixtures, `${name}.hl7`), 'utf8'), { messageId: name });
  if (!r.ok) throw new Error('fixture did not convert');
  const resources = r.value.entry?.map((e) => e.resource) ?? [];
  return {
    all: resources.filter((x): x is T => x?.resourceType === type),
    patient: resources.find((x): x is Patient => x?.resourceType === 'Patient')!,
  };
}

type Answer = 'AA' | 'AE' | 'AR' | 'none';

/** A registry on a TCP socket: stores every VXU it is sent and answers as told. */
async function startRegistry(): Promise<{
  port: number;
  received: string[];
  answer: Answer;
  close(): Promise<void>;
}> {
  const state = { answer: 'AA' as Answer, received: [] as string[] };
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    const deframer = new MllpDeframer();
    socket.on('data', (chunk: Buffer) => {
      for (const item of deframer.feed(chunk)) {
        if (item.kind !== 'frame') continue;
        const text = item.frame.toString('utf8');
        state.received.push(text);
        if (state.answer === 'none') continue;
        const controlId = text.split('\r')[0]!.split('|')[9] ?? '';
        const why =
          state.answer === 'AR'
            ? '|Message rejected\rERR||RXA^1^5|103^Table value not found^HL70357|E||||Vaccine code not recognized'
            : state.answer === 'AE'
              ? '|Registry database busy'
              : '';
        socket.write(
          frameMllp(
            `MSH|^~\\&|IIS|STATE|RXBRIDGE|CORNERPHARM|20261121100000||ACK^V04^ACK|ACK${state.received.length}|P|2.5.1\rMSA|${state.answer}|${controlId}${why}`,
          ),
        );
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    received: state.received,
    get answer() {
      return state.answer;
    },
    set answer(a: Answer) {
      state.answer = a;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

const dir = mkdtempSync(path.join(tmpdir(), 'rxb-report-'));
const clock = new ManualClock('2026-11-21T10:00:00Z');
const ring = new KeyRing([generateSigningKey('ES384', 'report-effects')]);
const consent = treatmentConsent(new Map([['P0002', 'patient opted out of sharing on 2026-10-02']]));
const dispenses = fixture<MedicationDispense>('rds-o13-warfarin', 'MedicationDispense');
const vaccines = fixture<Immunization>('vxu-v04-influenza', 'Immunization');
const P1 = {
  pharmacyPatientId: 'P0001',
  display: 'WHITFIELD, ELEANOR (P0001)',
  sourceIdentifier: 'MRN10001^GENHOSP',
};

let store: Store;
let sandbox: Sandbox;
let registry: Awaited<ReturnType<typeof startRegistry>>;
let workspace: Workspace;

const fhirClient = (over: { maxRetries?: number } = {}): FhirClient =>
  sandboxClient(sandbox, ring, {
    backoffBaseMs: 10,
    ...over,
  });

async function inSandbox<T extends Resource>(type: T['resourceType'], key: string): Promise<T[]> {
  return (await fhirClient().searchAll<T>(type, { identifier: `${EFFECT_SYSTEM}|${key}` })).matches;
}

async function auditsOf(task: Task, source: string) {
  return (await store.audit.list({ entity: task.id, limit: 100 })).filter((a) => a.source === source);
}

beforeAll(async () => {
  store = await openSqliteStore({ path: path.join(dir, 'store.db'), clock });
  sandbox = await startSandbox({
    vendor: 'generic',
    clients: [{ clientId: 'rxbridge', jwks: ring.jwks(Date.now()) as never }],
  });
  registry = await startRegistry();
  // The whole path from the config block: EHR endpoint, registry, auto-apply policy.
  const block = WorkspaceConfigSchema.parse({
    immunizationRegistry: { name: 'state-iis', host: '127.0.0.1', port: registry.port, ackTimeoutMs: 400 },
  });
  const options = workspaceOptionsFromConfig(
    {
      workspace: block,
      ehr: {
        endpoints: [{ name: 'sandbox', patientIdentifiers: { GENHOSP: 'urn:oid:2.16.840.1.113883.3.999' } }],
      },
    },
    { ehrClients: new Map([['sandbox', fhirClient()]]), logger: silentLogger },
  );
  workspace = createWorkspace({
    tasks: store.tasks,
    messages: store.messages,
    audit: store.audit,
    clock,
    logger: silentLogger,
    pharmacy: createWritablePharmacy(createEmbeddedPharmacy(), () => clock.now()),
    terminology: createStarterTerminology(),
    options: { ...options, consent },
  });
});
afterAll(async () => {
  await workspace.close();
  await registry.close();
  await sandbox.close();
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('dispense report → MedicationDispense in the EHR', () => {
  it('is auto-applied by default, sent once, valid FHIR with the patient’s EHR identifier; a second apply sends nothing', async () => {
    const input: NewTask = dispenseReportTask({
      key: 'msg-rds-1/1',
      patient: P1,
      site: 'main',
      sourceMessageId: 'msg-rds-1',
      dispense: dispenses.all[0]!,
    });
    const creates = sandbox.stats.creates;
    const created = await workspace.createTask(input, 'system:pipeline', 'test');
    expect(created.routing.route).toBe('auto-apply');
    expect(created.task.status).toBe('applied');
    const key = `${created.task.id}/dispense`;
    const effect = workOf(created.task).effects[key]!;
    expect(effect).toMatchObject({ status: 'done', target: 'ehr', kind: 'medication-dispense', attempts: 1 });
    expect(effect.detail).toBe('MedicationDispense sent to sandbox');
    expect(sandbox.stats.creates).toBe(creates + 1);

    const [sent, ...more] = await inSandbox<MedicationDispense>('MedicationDispense', key);
    expect(more).toEqual([]);
    expect(validateFhirResource(sent!).problems).toEqual([]);
    expect(sent!.subject).toEqual({
      identifier: { system: 'urn:oid:2.16.840.1.113883.3.999', value: 'MRN10001' },
      display: 'ELEANOR WHITFIELD',
    });
    expect(sent!.medicationCodeableConcept).toEqual(dispenses.all[0]!.medicationCodeableConcept);
    expect(sent!.identifier?.map((i) => i.value)).toEqual(['RX779001', key]);
    expect(JSON.stringify(sent)).not.toContain('urn:uuid:');

    // The same report again (replay) is the same task; applying it again sends nothing.
    const again = await workspace.createTask(input, 'system:pipeline', 'test');
    expect(again.created).toBe(false);
    await workspace.review.apply(created.task.id, 'user:ana');
    const effects = createTaskEffects({
      writers: [],
      pharmacy: createEmbeddedPharmacy(),
      consent,
      ehr: fhirClient(),
      audit: store.audit,
      clock,
    });
    const task = (await store.tasks.get(created.task.id))!;
    expect(await effects.run(task, workOf(task), 'user:ana')).toEqual([]);
    expect(sandbox.stats.creates).toBe(creates + 1);
    expect(sandbox.duplicateWrites('MedicationDispense')).toBe(0);
    const audits = await auditsOf(created.task, 'review:apply:medication-dispense');
    expect(audits).toHaveLength(1);
    expect(audits[0]).toMatchObject({
      action: 'export',
      category: 'ehr',
      outcome: 'success',
      patient: 'P0001',
    });
  });

  it('after a lost response the retry finds the first write: still exactly one MedicationDispense', async () => {
    // A client that does not retry by itself, so the lost response reaches the task (failed) and its retry.
    const effects = createTaskEffects({
      writers: [],
      pharmacy: createEmbeddedPharmacy(),
      consent,
      ehr: fhirClient({ maxRetries: 0 }),
      audit: store.audit,
      clock,
    });
    const review = createReviewService({ tasks: store.tasks, audit: store.audit, clock, effects });
    const { task } = await store.tasks.create(
      // Another fill (its own Rx number): the sandbox counts resources sharing an identifier as duplicates.
      dispenseReportTask({
        key: 'msg-rds-2/1',
        patient: P1,
        dispense: {
          ...dispenses.all[0]!,
          identifier: [{ ...dispenses.all[0]!.identifier![0]!, value: 'RX779002' }],
        },
      }),
    );
    await review.decideTask(task.id, { decision: 'approve', reason: 'dispensed at the counter' }, 'user:ana');
    const creates = sandbox.stats.creates;
    const resets = sandbox.stats.injected.resets;
    // resetProbability 1: every request is cut; with seed 2 the first is cut after the write was applied.
    sandbox.setFaults({ resetProbability: 1, seed: 2 });
    let failed: Task;
    try {
      failed = await review.apply(task.id, 'user:ana');
    } finally {
      sandbox.setFaults({});
    }
    expect(failed.status).toBe('failed');
    expect(sandbox.stats.injected.resets).toBe(resets + 1);
    expect(sandbox.stats.creates).toBe(creates + 1);
    const retried = await review.apply(task.id, 'user:ana');
    expect(retried.status).toBe('applied');
    const effect = workOf(retried).effects[`${task.id}/dispense`]!;
    expect(effect).toMatchObject({
      status: 'done',
      attempts: 2,
      detail: 'MedicationDispense already in sandbox',
    });
    expect(await inSandbox('MedicationDispense', `${task.id}/dispense`)).toHaveLength(1);
    expect(sandbox.stats.creates).toBe(creates + 1);
    expect(sandbox.duplicateWrites('MedicationDispense')).toBe(0);
  });

  it('a patient the pharmacy has no link for: the identifier the report came with; none at all: failed, nothing sent', async () => {
    const linked = await workspace.createTask(
      dispenseReportTask({
        key: 'msg-rds-4/1',
        patient: {
          pharmacyPatientId: 'P9001',
          display: 'NEW, PATIENT (P9001)',
          sourceIdentifier: 'MRN77001^GENHOSP',
        },
        dispense: {
          ...dispenses.all[0]!,
          identifier: [{ ...dispenses.all[0]!.identifier![0]!, value: 'RX779004' }],
        },
      }),
      'system:pipeline',
      'test',
    );
    expect(linked.task.status).toBe('applied');
    const [sent] = await inSandbox<MedicationDispense>('MedicationDispense', `${linked.task.id}/dispense`);
    expect(sent!.subject).toEqual({
      identifier: { system: 'urn:oid:2.16.840.1.113883.3.999', value: 'MRN77001' },
      display: 'NEW, PATIENT (P9001)',
    });
    const creates = sandbox.stats.creates;
    const unlinked = await workspace.createTask(
      dispenseReportTask({
        key: 'msg-rds-5/1',
        patient: { pharmacyPatientId: 'P9002', display: 'OTHER, PATIENT (P9002)' },
        dispense: dispenses.all[0]!,
      }),
      'system:pipeline',
      'test',
    );
    expect(unlinked.task.status).toBe('failed');
    expect(workOf(unlinked.task).effects[`${unlinked.task.id}/dispense`]).toMatchObject({
      status: 'failed',
      detail: 'the patient has no EHR identifier (not linked to the EHR)',
    });
    expect(sandbox.stats.creates).toBe(creates);
  });

  it('created through the pipeline’s TaskStore (withRouting): auto-applied in the background', async () => {
    const { task, created } = await workspace.pipelineTasks.create(
      dispenseReportTask({
        key: 'msg-rds-6/1',
        patient: P1,
        dispense: {
          ...dispenses.all[0]!,
          identifier: [{ ...dispenses.all[0]!.identifier![0]!, value: 'RX779006' }],
        },
      }),
    );
    expect(created).toBe(true);
    const end = Date.now() + 5_000;
    let status = task.status;
    while (status !== 'applied' && Date.now() < end) {
      await new Promise((r) => setTimeout(r, 20));
      status = (await store.tasks.get(task.id))!.status;
    }
    expect(status).toBe('applied');
    expect(await inSandbox('MedicationDispense', `${task.id}/dispense`)).toHaveLength(1);
  });

  it('a rejected report sends nothing', async () => {
    const { task } = await store.tasks.create(
      dispenseReportTask({ key: 'msg-rds-3/1', patient: P1, dispense: dispenses.all[0]! }),
    );
    const creates = sandbox.stats.creates;
    const decided = await workspace.review.decideTask(
      task.id,
      { decision: 'reject', reason: 'reported twice' },
      'user:ana',
    );
    expect(decided.status).toBe('rejected');
    expect(sandbox.stats.creates).toBe(creates);
  });
});

describe('immunization report → Immunization in the EHR and VXU^V04 to the registry', () => {
  const flu = () => vaccines.all[0]!;
  const newReport = (key: string, patient = P1): NewTask =>
    immunizationReportTask({
      key,
      patient,
      site: 'main',
      sourceMessageId: key,
      immunization: flu(),
      patientResource: vaccines.patient,
    });

  it('AA: both sent once; the VXU parses and carries the CVX code and lot; a second apply sends nothing', async () => {
    registry.answer = 'AA';
    const before = registry.received.length;
    const { task, routing } = await workspace.createTask(newReport('msg-vxu-1/1'), 'system:pipeline', 'test');
    expect(routing.route).toBe('auto-apply');
    expect(task.status).toBe('applied');
    const work = workOf(task);
    expect(work.effects[`${task.id}/immunization`]).toMatchObject({ status: 'done', target: 'ehr' });
    expect(work.effects[`${task.id}/registry`]).toMatchObject({
      status: 'done',
      target: 'registry',
      kind: 'vxu:state-iis',
    });
    expect(registry.received).toHaveLength(before + 1);
    const vxu = parseHl7(registry.received.at(-1)!);
    expect(vxu.ok).toBe(true);
    if (!vxu.ok) return;
    expect(vxu.value.type).toBe('VXU^V04');
    expect(vxu.value.get('RXA-5.1')).toBe('150');
    expect(vxu.value.get('RXA-5.3')).toBe('CVX');
    expect(vxu.value.get('RXA-15')).toBe('FLU2611A');
    expect(vxu.value.get('PID-7')).toBe('19560704');
    expect(vxu.value.get('MSH-5')).toBe('state-iis');
    // Our mapper reads it back to the same vaccine.
    const back = convertHl7v2(registry.received.at(-1)!, { messageId: 'back' });
    expect(back.ok).toBe(true);

    const [imm, ...more] = await inSandbox<Immunization>('Immunization', `${task.id}/immunization`);
    expect(more).toEqual([]);
    expect(validateFhirResource(imm!).problems).toEqual([]);
    expect(imm!.vaccineCode.coding?.[0]?.code).toBe('150');
    expect(imm!.lotNumber).toBe('FLU2611A');
    expect(imm!.patient.identifier).toEqual({ system: 'urn:oid:2.16.840.1.113883.3.999', value: 'MRN10001' });

    await workspace.review.apply(task.id, 'user:ana');
    expect(registry.received).toHaveLength(before + 1);
    expect(await inSandbox('Immunization', `${task.id}/immunization`)).toHaveLength(1);
    expect(await auditsOf(task, 'review:apply:vxu:state-iis')).toMatchObject([
      { action: 'export', category: 'registry', outcome: 'success' },
    ]);
    expect(await auditsOf(task, 'review:apply:immunization')).toHaveLength(1);
  });

  it('AE: failed and retryable; the retry resends the same MSH-10 and does not touch the EHR again', async () => {
    registry.answer = 'AE';
    const before = registry.received.length;
    const { task } = await workspace.createTask(newReport('msg-vxu-2/1'), 'system:pipeline', 'test');
    expect(task.status).toBe('failed');
    const first = workOf(task).effects[`${task.id}/registry`]!;
    expect(first.status).toBe('failed');
    expect(first.detail).toContain('(AE): Registry database busy; retry the task');
    expect(workOf(task).effects[`${task.id}/immunization`]?.status).toBe('done');
    const creates = sandbox.stats.creates;
    registry.answer = 'AA';
    const retried = await workspace.review.apply(task.id, 'user:ana');
    expect(retried.status).toBe('applied');
    expect(workOf(retried).effects[`${task.id}/registry`]).toMatchObject({ status: 'done', attempts: 2 });
    const sent = registry.received.slice(before);
    expect(sent).toHaveLength(2);
    expect(sent[1]!.split('\r')[0]!.split('|')[9]).toBe(sent[0]!.split('\r')[0]!.split('|')[9]);
    expect(sandbox.stats.creates).toBe(creates);
    expect((await auditsOf(task, 'review:apply:vxu:state-iis')).map((a) => a.outcome).sort()).toEqual([
      'failure',
      'success',
    ]);
  });

  it('AR: failed with the registry’s reason', async () => {
    registry.answer = 'AR';
    const { task } = await workspace.createTask(newReport('msg-vxu-3/1'), 'system:pipeline', 'test');
    expect(task.status).toBe('failed');
    expect(workOf(task).effects[`${task.id}/registry`]).toMatchObject({
      status: 'failed',
      detail: expect.stringMatching(/state-iis refused VXU\^V04 RXV\w+ \(AR\): Message rejected$/) as unknown,
    });
  });

  it('no answer: failed after the ACK timeout; a later retry with an answering registry is done', async () => {
    registry.answer = 'none';
    const started = Date.now();
    const { task } = await workspace.createTask(newReport('msg-vxu-4/1'), 'system:pipeline', 'test');
    expect(task.status).toBe('failed');
    expect(Date.now() - started).toBeGreaterThanOrEqual(350);
    expect(workOf(task).effects[`${task.id}/registry`]?.detail).toMatch(/no MLLP ACK within 400 ms/);
    registry.answer = 'AA';
    expect((await workspace.review.apply(task.id, 'user:ana')).status).toBe('applied');
  });

  it('consent refused: nothing leaves, both effects skipped with the reason and audited as denied', async () => {
    registry.answer = 'AA';
    const before = registry.received.length;
    const creates = sandbox.stats.creates;
    const { task } = await workspace.createTask(
      newReport('msg-vxu-5/1', {
        pharmacyPatientId: 'P0002',
        display: 'OKAFOR, HAROLD (P0002)',
        sourceIdentifier: 'MRN10002^GENHOSP',
      }),
      'system:pipeline',
      'test',
    );
    expect(task.status).toBe('applied');
    const work = workOf(task);
    for (const key of [`${task.id}/immunization`, `${task.id}/registry`]) {
      expect(work.effects[key]).toMatchObject({
        status: 'skipped',
        detail: 'consent: patient opted out of sharing on 2026-10-02',
      });
    }
    expect(registry.received).toHaveLength(before);
    expect(sandbox.stats.creates).toBe(creates);
    for (const source of ['review:apply:immunization', 'review:apply:vxu:state-iis']) {
      expect(await auditsOf(task, source)).toMatchObject([{ outcome: 'denied', patient: 'P0002' }]);
    }
  });

  it('without an EHR endpoint the EHR effect is skipped with the reason', async () => {
    const effects = createTaskEffects({
      writers: [],
      pharmacy: createEmbeddedPharmacy(),
      consent,
      audit: store.audit,
      clock,
    });
    const review = createReviewService({ tasks: store.tasks, audit: store.audit, clock, effects });
    const { task } = await store.tasks.create(newReport('msg-vxu-6/1'));
    await review.decideTask(task.id, { decision: 'approve', reason: 'given today' }, 'user:ana');
    const applied = await review.apply(task.id, 'user:ana');
    expect(applied.status).toBe('applied');
    expect(workOf(applied).effects[`${task.id}/immunization`]).toMatchObject({
      status: 'skipped',
      detail: 'no EHR endpoint configured',
    });
  });
});
