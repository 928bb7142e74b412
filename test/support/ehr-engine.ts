// A real engine wired to the FHIR sandbox as its EHR: SQLite store, an EHR MLLP feed and a pharmacy feed on free
// ports, an `ehr.endpoints` entry whose SMART key is a file, the sandbox seeded with the demo patients as the EHR
// holds them. Shared by test/e2e/ehr-flows.test.ts and bench/new-rx-to-task.ts.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Resource } from '@medplum/fhirtypes';
import { demoEhrResources } from '../../src/cli/commands/sandbox-command.ts';
import { demoEngineConfig } from './demo-config.ts';
import { connectMllp, type MllpClient } from '../../src/inbound/mllp/mllp-client.ts';
import { startEngine, type Engine } from '../../src/main.ts';
import { startSandbox, type Sandbox } from '../../src/platform/ehr/sandbox/sandbox-server.ts';
import { generateSigningKey, KeyRing, privateKeyPem } from '../../src/platform/ehr/smart-keys.ts';
import { silentLogger } from '../../src/platform/log/logger.ts';
import type { Task } from '../../src/platform/store/task-store.ts';

/** How the demo EHR writes General Hospital's MRNs (see sandbox-command.ts). */
export const MRN_SYSTEM = 'urn:oid:2.16.840.1.113883.3.9999.1';

export interface EhrEngine {
  dir: string;
  sandbox: Sandbox;
  engine: Engine;
  /** The EHR's feed (discharges, orders, registrations). */
  ehrFeed: MllpClient;
  /** The pharmacy system's feed (dispenses, vaccinations). */
  pharmacyFeed: MllpClient;
  /** The sandbox's Patient id for a demo MRN. */
  ehrPatient(mrn: string): string;
  /** The message with this control id once processing ended: its state and last event detail. */
  settled(controlId: string, timeoutMs?: number): Promise<{ state: string; detail: string }>;
  tasksFor(pharmacyPatientId: string): Promise<Task[]>;
  stop(): Promise<void>;
}

const IN_PROGRESS = new Set(['received', 'normalized', 'extracted', 'evaluated']);

export async function startEhrEngine(
  options: {
    overrides?: Record<string, unknown>;
    extraEhrResources?: (e: (mrn: string) => string) => Resource[];
  } = {},
): Promise<EhrEngine> {
  const dir = mkdtempSync(join(tmpdir(), 'rxb-ehr-engine-'));
  const key = generateSigningKey('ES384', 'ehr-engine');
  const keyFile = join(dir, 'ehr-key.pem');
  writeFileSync(keyFile, privateKeyPem(key), { mode: 0o600 });
  const sandbox = await startSandbox({
    vendor: 'epic',
    clients: [{ clientId: 'rxbridge', jwks: new KeyRing([key]).jwks(Date.now()) as never }],
    resources: demoEhrResources(),
  });
  const ehrPatient = (mrn: string): string => {
    for (const s of sandbox.data.all('Patient')) {
      const p = s.resource as { id: string; identifier?: Array<{ value?: string }> };
      if (p.identifier?.some((i) => i.value === mrn)) return p.id;
    }
    throw new Error(`no sandbox patient ${mrn}`);
  };
  for (const r of options.extraEhrResources?.(ehrPatient) ?? []) sandbox.data.load(r);
  const config = demoEngineConfig(dir, {
    'mllp.listeners.1': { name: 'pharmacy', host: '127.0.0.1', port: 0, from: 'pharmacy' },
    'worker.pollMs': 50,
    'ehr.resourceStore': join(dir, 'ehr.db'),
    'ehr.endpoints': [
      {
        name: 'sandbox',
        baseUrl: sandbox.fhirBase,
        vendor: 'epic',
        clientId: 'rxbridge',
        key: { alg: 'ES384', kid: 'ehr-engine', file: keyFile },
        rateLimitPerSecond: 500,
        cacheTtlMs: 0,
        maxRetries: 1,
        deadlineMs: 5_000,
        patientIdentifiers: { GENHOSP: MRN_SYSTEM },
      },
    ],
    ...options.overrides,
  });
  const engine = await startEngine({ config, logger: silentLogger });
  const ehrFeed = await connectMllp({ host: '127.0.0.1', port: engine.mllp[0]!.port });
  const pharmacyFeed = await connectMllp({ host: '127.0.0.1', port: engine.mllp[1]!.port });
  return {
    dir,
    sandbox,
    engine,
    ehrFeed,
    pharmacyFeed,
    ehrPatient,
    async settled(controlId, timeoutMs = 10_000) {
      const until = Date.now() + timeoutMs;
      while (Date.now() < until) {
        const found = (await engine.store.messages.list({ limit: 500 })).find(
          (m) => m.summary.controlId === controlId,
        );
        if (found && !IN_PROGRESS.has(found.state)) {
          const events = await engine.store.messages.events(found.id);
          return { state: found.state, detail: `${events.at(-1)?.detail ?? ''}${found.lastError ?? ''}` };
        }
        await new Promise((r) => setTimeout(r, 10));
      }
      throw new Error(`message ${controlId} did not settle`);
    },
    async tasksFor(patient) {
      return (await engine.store.tasks.list({ limit: 500 })).filter(
        (t) => t.patient.pharmacyPatientId === patient,
      );
    },
    async stop() {
      await ehrFeed.close();
      await pharmacyFeed.close();
      await engine.stop();
      await sandbox.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** HL7 v2 timestamp (YYYYMMDDHHMMSS, UTC) of now. */
export function hl7Now(): string {
  return new Date().toISOString().replace(/[-:T]/g, '').slice(0, 14);
}

/** RDE^O11 from the EHR for a patient (PID-3 onwards as given): amoxicillin, ibuprofen and metformin. */
export function newPrescriptionMessage(controlId: string, pid: string): string {
  const ts = hl7Now();
  const order = (n: number, code: string, name: string, amount: string, unit: string) => [
    `ORC|NW|ORD${n}^EPICRX|||IP||||${ts}`,
    `RXE||${code}^${name}^RXNORM|${amount}||${unit}^${unit}^UCUM|TAB^Tablet^HL70292|||N|30|TAB^Tablet^HL70292|0|||RX${n}`,
    'TQ1|1||BID',
    'RXR|PO^Oral^HL70162',
  ];
  return [
    `MSH|^~\\&|EPICRX|GENHOSP|RXBRIDGE|MAINSTREETRX|${ts}||RDE^O11^RDE_O11|${controlId}|P|2.5.1`,
    `PID|1||${pid}`,
    ...order(1, '308191', 'amoxicillin 500 MG Oral Capsule', '500', 'mg'),
    ...order(2, '197806', 'ibuprofen 400 MG Oral Tablet', '400', 'mg'),
    ...order(3, '861007', 'metformin hydrochloride 500 MG Oral Tablet', '500', 'mg'),
  ].join('\r');
}
