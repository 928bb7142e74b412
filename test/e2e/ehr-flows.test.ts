// The EHR flows wired into the pipeline, over real parts: an engine (SQLite, MLLP, workers) configured with an EHR
// endpoint that is the FHIR sandbox (SMART Backend Services). A new prescription over MLLP is checked with the
// EHR's allergies, problems and labs; a registration links the patient and reconciles the EHR list in full; the
// incremental sync flags what changed in the EHR; every EHR read is audited; an opt-out stops the reads.
import type {
  AllergyIntolerance,
  Condition,
  Immunization,
  MedicationDispense,
  MedicationRequest,
  Observation,
  Resource,
} from '@medplum/fhirtypes';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { MllpClient } from '../../src/inbound/mllp/mllp-client.ts';
import type { Engine } from '../../src/main.ts';
import type { Sandbox } from '../../src/platform/ehr/sandbox/sandbox-server.ts';
import { signNotification } from '../../src/inbound/fhir/subscription-receiver.ts';
import { seedUser, sessionCookie } from '../support/auth.ts';
import {
  hl7Now,
  MRN_SYSTEM,
  newPrescriptionMessage,
  startEhrEngine,
  type EhrEngine,
} from '../support/ehr-engine.ts';
import type { Task } from '../../src/platform/store/task-store.ts';

const RXNORM = 'http://www.nlm.nih.gov/research/umls/rxnorm';
let h: EhrEngine;
let sandbox: Sandbox;
let engine: Engine;
let mllp: MllpClient;
let pharmacyFeed: MllpClient;

/** The sandbox's id for a demo patient (the Patient whose MRN is given). */
const ehrPatient = (mrn: string): string => h.ehrPatient(mrn);

/** Facts only the EHR knows for HAROLD OKAFOR (MRN10002): a penicillin allergy, CKD stage 4, an eGFR of 24. */
function ehrOnlyFacts(patientId: string): Resource[] {
  const subject = { reference: `Patient/${patientId}` };
  const allergy: AllergyIntolerance = {
    resourceType: 'AllergyIntolerance',
    id: 'okafor-penicillin',
    patient: subject,
    code: { coding: [{ system: RXNORM, code: '7980', display: 'penicillin G' }], text: 'penicillin' },
    reaction: [{ manifestation: [{ text: 'anaphylaxis' }], severity: 'severe' }],
  };
  const ckd: Condition = {
    resourceType: 'Condition',
    id: 'okafor-ckd4',
    subject,
    category: [
      {
        coding: [
          { system: 'http://terminology.hl7.org/CodeSystem/condition-category', code: 'problem-list-item' },
        ],
      },
    ],
    clinicalStatus: { coding: [{ code: 'active' }] },
    code: {
      coding: [
        {
          system: 'http://hl7.org/fhir/sid/icd-10-cm',
          code: 'N18.4',
          display: 'Chronic kidney disease, stage 4',
        },
      ],
    },
  };
  const egfr: Observation = {
    resourceType: 'Observation',
    id: 'okafor-egfr',
    status: 'final',
    subject,
    category: [
      {
        coding: [
          { system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'laboratory' },
        ],
      },
    ],
    code: { coding: [{ system: 'http://loinc.org', code: '98979-8', display: 'eGFR CKD-EPI 2021' }] },
    effectiveDateTime: new Date(Date.now() - 10 * 86_400_000).toISOString(),
    valueQuantity: { value: 24, unit: 'mL/min/1.73m2' },
  };
  return [allergy, ckd, egfr];
}

/** RDE^O11 for HAROLD OKAFOR: amoxicillin, ibuprofen and metformin ordered by his clinic. */
const newPrescription = (controlId: string): string =>
  newPrescriptionMessage(controlId, 'MRN10002^^^GENHOSP^MR||OKAFOR^HAROLD||19391102|M');

/** ADT^A04 (registration) for a demo patient. */
function registration(mrn: string, family: string, given: string, dob: string, controlId: string): string {
  const ts = hl7Now();
  return [
    `MSH|^~\\&|EPICADT|GENHOSP|RXBRIDGE|MAINSTREETRX|${ts}||ADT^A04^ADT_A01|${controlId}|P|2.5.1`,
    `EVN|A04|${ts}`,
    `PID|1||${mrn}^^^GENHOSP^MR||${family}^${given}||${dob}`,
    'PV1|1|O',
  ].join('\r');
}

const settledState = (controlId: string) => h.settled(controlId);
const tasksFor = (patient: string): Promise<Task[]> => h.tasksFor(patient);

beforeAll(async () => {
  process.env['RXB_FLOWS_HOOK_SECRET'] = 'flows-hook-secret';
  h = await startEhrEngine({
    extraEhrResources: (patientOf) => ehrOnlyFacts(patientOf('MRN10002')),
    overrides: {
      'ehr.subscriptions': [
        { name: 'epic-meds', endpoint: 'sandbox', auth: 'hmac', secretEnv: 'RXB_FLOWS_HOOK_SECRET' },
      ],
    },
  });
  ({ engine, sandbox } = h);
  mllp = h.ehrFeed;
  pharmacyFeed = h.pharmacyFeed;
});

afterAll(async () => {
  await h?.stop();
  delete process.env['RXB_FLOWS_HOOK_SECRET'];
});

it('a new prescription is checked with the EHR allergy, problem and eGFR the pharmacy does not have', async () => {
  expect(engine.ehr?.endpoint).toBe('sandbox');
  const ack = await mllp.send(newPrescription('NEWRX1'));
  expect(ack).toContain('MSA|AA|NEWRX1');
  const settled = await settledState('NEWRX1');
  expect(settled.state).toBe('awaiting-review');

  const tasks = await tasksFor('P0002');
  const byType = (type: string) => tasks.filter((t) => t.type === type);
  const evidenceOf = (t: Task) => JSON.stringify((t.payload as { items: unknown[] }).items);
  // Penicillin is recorded only in the EHR: amoxicillin is a penicillin.
  const allergy = byType('allergy-conflict').find((t) => /amoxicillin/i.test(evidenceOf(t)));
  expect(allergy, 'allergy conflict from the EHR allergy').toBeDefined();
  expect(evidenceOf(allergy!)).toMatch(/penicillin/i);
  expect(allergy!.priority).toBe('high');
  // eGFR 24 from the EHR: metformin is contraindicated below 30.
  const renal = byType('renal-dose').find((t) => /metformin/i.test(evidenceOf(t)));
  expect(renal, 'renal dose task from the EHR eGFR').toBeDefined();
  expect(evidenceOf(renal!)).toMatch(/24/);
  // Ibuprofen: metoprolol on the pharmacy profile (interaction) and CKD stage 4 in the EHR (drug-disease).
  const ibuprofen = byType('interaction').filter((t) => /ibuprofen/i.test(evidenceOf(t)));
  expect(ibuprofen.some((t) => /metoprolol/i.test(evidenceOf(t)))).toBe(true);
  expect(ibuprofen.some((t) => /kidney disease/i.test(JSON.stringify(t.payload)))).toBe(true);
  // Where the facts came from is on the task.
  const payload = allergy!.payload as {
    ehr: { endpoint: string; patientLinked: boolean };
    order: { name: string };
  };
  expect(payload.ehr).toMatchObject({ endpoint: 'sandbox', patientLinked: true });

  // The first contact linked the patient; the EHR reads are audited against the patient, outcome success.
  const entries = await engine.store.audit.list({ patient: 'P0002', category: 'ehr' });
  expect(entries.length).toBeGreaterThan(0);
  expect(entries.every((e) => e.outcome === 'success' && e.actor === 'system:pipeline')).toBe(true);

  // A redelivery (same control id) is a duplicate: no second set of tasks.
  const before = (await tasksFor('P0002')).length;
  expect(await mllp.send(newPrescription('NEWRX1'))).toContain('MSA|AA|NEWRX1');
  await new Promise((r) => setTimeout(r, 300));
  expect((await tasksFor('P0002')).length).toBe(before);
});

it('a registration links the patient and reconciles the EHR list; the sync flags a change made in the EHR', async () => {
  // The EHR lists a medicine the pharmacy has never filled for GRACE THORNBURY (MRN10005): an omission.
  const patientId = ehrPatient('MRN10005');
  const apixaban: MedicationRequest = {
    resourceType: 'MedicationRequest',
    id: 'thornbury-apixaban',
    status: 'active',
    intent: 'order',
    subject: { reference: `Patient/${patientId}` },
    medicationCodeableConcept: {
      coding: [{ system: RXNORM, code: '1364445' }],
      text: 'apixaban 5 MG Oral Tablet',
    },
    dosageInstruction: [
      { text: '1 tablet twice daily', timing: { repeat: { frequency: 2, period: 1, periodUnit: 'd' } } },
    ],
  };
  sandbox.data.load(apixaban);
  expect(await mllp.send(registration('MRN10005', 'THORNBURY', 'GRACE', '19560122', 'REG1'))).toContain(
    'MSA|AA',
  );
  const settled = await settledState('REG1');
  expect(settled.detail).toMatch(/linked on sandbox/);
  const reconciliation = (await tasksFor('P0005')).filter((t) => t.type === 'medication-reconciliation');
  expect(reconciliation).toHaveLength(1);
  expect(JSON.stringify((reconciliation[0]!.payload as { items: unknown[] }).items)).toMatch(/apixaban/i);

  // A second registration of a linked patient reconciles nothing again.
  expect(await mllp.send(registration('MRN10005', 'THORNBURY', 'GRACE', '19560122', 'REG2'))).toContain(
    'MSA|AA',
  );
  expect((await settledState('REG2')).detail).toMatch(/already linked/);

  // Nothing changed in the EHR: the sync flags nothing.
  const quiet = await engine.ehr!.syncLinked();
  expect(quiet.failures).toEqual([]);
  expect(quiet.flagged.filter((f) => f.pharmacyPatientId === 'P0005')).toEqual([]);

  // The EHR stops the apixaban and starts another drug: the next sync flags both changes and reconciles.
  sandbox.data.update({ ...apixaban, status: 'stopped' }, apixaban.id!);
  sandbox.data.create(
    {
      resourceType: 'MedicationRequest',
      status: 'active',
      intent: 'order',
      subject: { reference: `Patient/${patientId}` },
      medicationCodeableConcept: {
        coding: [{ system: RXNORM, code: '310965' }],
        text: 'ibuprofen 200 MG Oral Tablet',
      },
    },
    'thornbury-ibuprofen',
  );
  const sync = await engine.ehr!.syncLinked();
  const flagged = sync.flagged.find((f) => f.pharmacyPatientId === 'P0005');
  expect(flagged?.changes.map((c) => `${c.change} ${c.id}`).sort()).toEqual([
    'new thornbury-ibuprofen',
    'updated thornbury-apixaban',
  ]);
  expect(flagged!.tasksCreated).toBeGreaterThan(0);
  const after = (await tasksFor('P0005')).filter((t) => t.type === 'medication-reconciliation');
  expect(after).toHaveLength(2);
  const latest = after.find((t) => t.id !== reconciliation[0]!.id)!;
  expect((latest.payload as { changes: unknown[] }).changes).toHaveLength(2);
  expect(JSON.stringify((latest.payload as { items: unknown[] }).items)).toMatch(/ibuprofen/i);
});

it('a patient who opted out of EHR sharing is checked without EHR reads, and the refusal is audited', async () => {
  // DENNIS KOWALSKI asked the pharmacy not to query the hospital's record.
  await engine.security.consent.put(
    'P0004',
    {
      resourceType: 'Consent',
      status: 'active',
      scope: { text: 'patient-privacy' },
      category: [{ text: 'privacy' }],
      dateTime: '2026-10-02T00:00:00Z',
      provision: {
        type: 'deny',
        actor: [{ role: { text: 'source' }, reference: { display: 'ehr:sandbox' } }],
      },
    },
    'test',
  );
  const before = sandbox.stats.requests;
  const msg = newPrescriptionMessage('OPTOUT1', 'MRN10004^^^GENHOSP^MR||KOWALSKI^DENNIS||19650914|M');
  expect(await mllp.send(msg)).toContain('MSA|AA');
  const settled = await settledState('OPTOUT1');
  expect(['done', 'awaiting-review']).toContain(settled.state);
  expect(sandbox.stats.requests).toBe(before);
  const entries = await engine.store.audit.list({ patient: 'P0004', category: 'ehr' });
  expect(entries.some((e) => e.outcome === 'denied')).toBe(true);
});

/** The pharmacy system's RDS^O13 for MARISOL REYES (P0003), identified by the pharmacy's own patient id. */
/** When the pharmacy handed the medicine over: fixed, so a resend of the same dispense is the same dispense. */
const HANDED_OVER = hl7Now();

function dispense(controlId: string): string {
  const ts = hl7Now();
  return [
    `MSH|^~\\&|RXBRIDGE-PMS|MAINSTREETRX|RXBRIDGE|MAINSTREETRX|${ts}||RDS^O13^RDS_O13|${controlId}|P|2.5.1`,
    'PID|1||P0003^^^RXBRIDGE-PHARMACY^PI~MRN10003^^^GENHOSP^MR||REYES^MARISOL||19720630|F',
    `ORC|RE|ORD7001^EPICRX|RX880001^MAINSTREETRX||CM||||${HANDED_OVER}`,
    'RXE||860975^metformin hydrochloride 500 MG Extended Release Oral Tablet^RXNORM|1||TAB^Tablet^HL70292|TAB^Tablet^HL70292|^Take with evening meal||N|30|TAB^Tablet^HL70292|2|||RX880001',
    `RXD|1|860975^metformin hydrochloride 500 MG Extended Release Oral Tablet^RXNORM|${HANDED_OVER}|30|TAB^Tablet^HL70292|TAB^Tablet^HL70292|RX880001|2`,
  ].join('\r');
}

/** The pharmacy's VXU^V04: an influenza vaccine given today, plus a historical record that is not reported. */
function vaccination(controlId: string): string {
  const ts = hl7Now();
  return [
    `MSH|^~\\&|RXBRIDGE-PMS|MAINSTREETRX|RXBRIDGE|MAINSTREETRX|${ts}||VXU^V04^VXU_V04|${controlId}|P|2.5.1`,
    'PID|1||P0003^^^RXBRIDGE-PHARMACY^PI||REYES^MARISOL||19720630|F',
    'ORC|RE||VX-1001^MAINSTREETRX',
    `RXA|0|1|${ts}||150^Influenza, injectable, quadrivalent, preservative free^CVX|0.5|mL^milliliter^UCUM||00^New immunization record^NIP001||||||FLU2611A|20270630|SKB^GlaxoSmithKline^MVX|||CP|A`,
    'ORC|RE||VX-1002^MAINSTREETRX',
    'RXA|0|1|20210402||208^COVID-19, mRNA, LNP-S, PF, 30 mcg/0.3 mL dose^CVX|999|||01^Historical information - source unspecified^NIP001|||||||||||CP|A',
  ].join('\r');
}

async function until<T>(what: string, probe: () => Promise<T | undefined> | T | undefined): Promise<T> {
  for (let i = 0; i < 400; i++) {
    const value = await probe();
    if (value !== undefined) return value;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`timed out waiting for ${what}`);
}

const appliedTask = (patient: string, type: string) =>
  until(`${type} applied`, async () =>
    (await tasksFor(patient)).find((t) => t.type === type && t.status === 'applied'),
  );

it('a dispense and a vaccination from the pharmacy system reach the EHR once, by conditional create', async () => {
  expect(await pharmacyFeed.send(dispense('DISP1'))).toContain('MSA|AA|DISP1');
  expect((await settledState('DISP1')).detail).toMatch(/RDS\^O13: 1 report task/);
  // Auto-applied by the routing policy (the default for report tasks), its effect recorded on the task.
  const task = await appliedTask('P0003', 'dispense-report');
  const effects = Object.values(
    (task.work as { effects: Record<string, { status: string; reference?: string }> }).effects,
  );
  expect(effects.map((e) => e.status)).toEqual(['done']);
  const stored = [...sandbox.data.all('MedicationDispense')].map((s) => s.resource as MedicationDispense);
  const mine = stored.filter((d) => JSON.stringify(d.medicationCodeableConcept).includes('860975'));
  expect(mine).toHaveLength(1);
  // The EHR's own identifier for the patient (GENHOSP MRN in the EHR's system), never the pharmacy's.
  expect(mine[0]!.subject?.identifier).toEqual({ system: MRN_SYSTEM, value: 'MRN10003' });
  expect(sandbox.duplicateWrites('MedicationDispense')).toBe(0);

  // The pharmacy system resends the same dispense under a new control id: the same task key, nothing sent again.
  expect(await pharmacyFeed.send(dispense('DISP2'))).toContain('MSA|AA|DISP2');
  await settledState('DISP2');
  await new Promise((r) => setTimeout(r, 200));
  expect((await tasksFor('P0003')).filter((t) => t.type === 'dispense-report')).toHaveLength(1);
  expect(
    [...sandbox.data.all('MedicationDispense')].filter((s) => JSON.stringify(s.resource).includes('860975')),
  ).toHaveLength(1);

  // The vaccination: one Immunization for today's dose; the historical record is not reported.
  expect(await pharmacyFeed.send(vaccination('VAX1'))).toContain('MSA|AA|VAX1');
  expect((await settledState('VAX1')).detail).toMatch(/1 report task.*1 historical or refused/);
  await appliedTask('P0003', 'immunization-report');
  const immunizations = [...sandbox.data.all('Immunization')].map((s) => s.resource as Immunization);
  expect(immunizations.filter((r) => r.vaccineCode.coding?.some((c) => c.code === '150'))).toHaveLength(1);
  expect(immunizations.some((r) => r.vaccineCode.coding?.some((c) => c.code === '208'))).toBe(false);

  // Every effect is audited against the patient.
  const audit = await engine.store.audit.list({ patient: 'P0003', category: 'ehr' });
  expect(audit.filter((e) => e.action === 'export' && e.outcome === 'success').length).toBeGreaterThanOrEqual(
    2,
  );
});

it('rollout modes: new-rx-checks off reads nothing, shadow checks without tasks; dispense-outbound shadow sends nothing', async () => {
  const url = engine.httpUrl!.replace('localhost', '127.0.0.1');
  const engineer = await seedUser(engine.security.auth, { role: 'integration-engineer', site: '*' });
  const cookie = await sessionCookie(url, engineer);
  const setMode = async (workflow: string, mode: string, patients: string[]) => {
    const res = await fetch(`${url}/api/rollout/modes`, {
      method: 'POST',
      headers: { cookie, 'content-type': 'application/json' },
      body: JSON.stringify({
        workflow,
        mode,
        cohort: { patients },
        reason: 'pilot cohort for the EHR flows',
      }),
    });
    expect(res.status).toBe(201);
  };
  await setMode('new-rx-checks', 'off', ['P0006']);
  await setMode('new-rx-checks', 'shadow', ['P0008']);
  await setMode('dispense-outbound', 'shadow', ['P0003']);
  const forPatient = (controlId: string, pid: string) => newPrescriptionMessage(controlId, pid);

  const requests = sandbox.stats.requests;
  expect(
    await mllp.send(forPatient('OFF1', 'MRN10006^^^GENHOSP^MR||BRANNIGAN^SAMUEL||19810405|M')),
  ).toContain('MSA|AA');
  expect((await settledState('OFF1')).detail).toMatch(/new-rx-checks is off/);
  expect(sandbox.stats.requests).toBe(requests);
  expect(await tasksFor('P0006')).toEqual([]);

  // The EHR records a penicillin allergy for THEODORE NAKAMURA: the shadow run finds the conflict, files no task.
  const [penicillin] = ehrOnlyFacts(ehrPatient('MRN10008'));
  sandbox.data.load({ ...penicillin!, id: 'nakamura-penicillin' });
  expect(
    await mllp.send(forPatient('SHADOW1', 'MRN10008^^^GENHOSP^MR||NAKAMURA^THEODORE||19521201|M')),
  ).toContain('MSA|AA');
  const shadow = await settledState('SHADOW1');
  expect(shadow.detail).toMatch(/^shadow, no tasks: 3 order\(s\) checked with sandbox: [1-9]\d* finding/);
  expect(sandbox.stats.requests).toBeGreaterThan(requests);
  // The linking reconciled his existing profile (its own tasks); nothing was filed about the new orders.
  const aboutOrders = (await tasksFor('P0008')).filter((t) =>
    /amoxicillin|ibuprofen|metformin/i.test(JSON.stringify((t.payload as { items: unknown[] }).items)),
  );
  expect(aboutOrders).toEqual([]);

  const dispenses = sandbox.data.count('MedicationDispense');
  expect(await pharmacyFeed.send(dispense('DISP3').replace('860975', '861007'))).toContain('MSA|AA');
  expect((await settledState('DISP3')).detail).toMatch(/dispense-outbound is shadow/);
  await new Promise((r) => setTimeout(r, 200));
  expect(sandbox.data.count('MedicationDispense')).toBe(dispenses);
});

it('a subscription notification about a linked patient is reconciled at once', async () => {
  // THORNBURY (P0005) was linked by the registration above. The EHR starts her on naproxen and notifies us.
  const patientId = ehrPatient('MRN10005');
  const naproxen: MedicationRequest = {
    resourceType: 'MedicationRequest',
    id: 'thornbury-naproxen',
    status: 'active',
    intent: 'order',
    subject: { reference: `Patient/${patientId}` },
    medicationCodeableConcept: {
      coding: [{ system: RXNORM, code: '198013' }],
      text: 'naproxen 500 MG Oral Tablet',
    },
  };
  sandbox.data.create(naproxen, naproxen.id!);
  const before = (await tasksFor('P0005')).length;
  const { key } = await engine.security.auth.createApiKey(
    { name: 'ehr-hook', roles: ['system'], sites: ['*'] },
    'test',
  );
  const body = JSON.stringify(naproxen);
  const now = Math.floor(Date.now() / 1000);
  const res = await fetch(
    `${engine.httpUrl!.replace('localhost', '127.0.0.1')}/fhir/subscriptions/epic-meds`,
    {
      method: 'POST',
      headers: {
        authorization: `ApiKey ${key}`,
        'content-type': 'application/fhir+json',
        'x-timestamp': String(now),
        'x-signature': signNotification('flows-hook-secret', now, body),
      },
      body,
    },
  );
  expect(res.status).toBe(200);
  const task = await until('a reconciliation naming naproxen', async () =>
    (await tasksFor('P0005')).find(
      (t) =>
        t.type === 'medication-reconciliation' &&
        /naproxen/i.test(JSON.stringify((t.payload as { items: unknown[] }).items)),
    ),
  );
  expect((task.payload as { changes: Array<{ id: string }> }).changes.map((c) => c.id)).toEqual([
    'thornbury-naproxen',
  ]);
  expect((await tasksFor('P0005')).length).toBeGreaterThan(before);
});
