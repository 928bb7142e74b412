// S6 scenario (used by canary.test.ts and run.ts): canary secrets and canary patient data seeded through the real engine (MLLP ingest, sign-in, API keys, TOTP,
// consent, break-glass, CDS Hooks, audit export, a failed sign-in, a message that cannot be processed), then every
// file in the data directory and the whole debug log scanned: 0 plaintext hits.
import { randomBytes } from 'node:crypto';
import { createWriteStream, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigSchema } from '../../src/config/config-schema.ts';
import { connectMllp } from '../../src/inbound/mllp/mllp-client.ts';
import { startEngine } from '../../src/main.ts';
import { createLogger } from '../../src/platform/log/logger.ts';
import { apiKeyHeader, seedApiKey, seedUser, sessionCookie } from '../support/auth.ts';
import { scanForCanaries, type ScanResult } from './canary-scan.ts';

const FIXTURE = new URL('../fixtures/hl7v2/adt-a03-discharge.hl7', import.meta.url);

/** Canary patient data: unlikely strings that must never appear in plaintext at rest or in logs. */
export const CANARY_PHI = {
  family: 'QUORTHVANE',
  given: 'ZELPHINORA',
  mrn: 'CMRN7719304',
  dob: '19310203',
  street: '4242 PELLUCIDAR WAY',
  phone: '(217)555-8604',
  email: 'zelphinora.q@canary.example',
};

export interface CanaryFigures extends ScanResult {
  secrets: number;
  phi: number;
  /** Positive controls: the canaries really went through the engine (read back decrypted over the API). */
  controls: {
    rawReadBack: boolean;
    taskSeen: boolean;
    scannerFindsPlantedCanary: boolean;
    scannerSeesPlainMetadata: boolean;
  };
}

export async function runCanaryScenario(): Promise<CanaryFigures> {
  const dir = mkdtempSync(join(tmpdir(), 'rxb-canary-'));
  const logPath = join(dir, 'engine.log');
  const masterKey = randomBytes(32).toString('base64');
  const savedKeys = process.env['RXBRIDGE_KEYS'];
  process.env['RXBRIDGE_KEYS'] = `v1:${masterKey}`;
  const logStream = createWriteStream(logPath);
  const secrets: string[] = [masterKey];
  const controls = {
    rawReadBack: false,
    taskSeen: false,
    scannerFindsPlantedCanary: false,
    scannerSeesPlainMetadata: false,
  };
  try {
    const config = ConfigSchema.parse({
      store: `sqlite:${join(dir, 'data', 'rxbridge.db')}`,
      http: { host: '127.0.0.1', port: 0 },
      mllp: { listeners: [{ name: 'default', host: '127.0.0.1', port: 0 }] },
      worker: { pollMs: 50 },
      demo: true,
      log: { level: 'debug' },
    });
    const engine = await startEngine({ config, logger: createLogger('debug', logStream) });
    try {
      const base = engine.httpUrl!.replace('localhost', '127.0.0.1');
      if (engine.demoCredentials) {
        secrets.push(engine.demoCredentials.password, engine.demoCredentials.totpSecret ?? '');
      }
      const auth = engine.security.auth;
      const pharmacist = await seedUser(auth, { role: 'pharmacist', site: 'main-street' });
      const engineer = await seedUser(auth, { role: 'integration-engineer', site: 'main' });
      const compliance = await seedUser(auth, { role: 'compliance-officer', site: '*' });
      const systemKey = await seedApiKey(auth, { roles: ['system'] });
      secrets.push(
        pharmacist.password,
        pharmacist.totpSecret!,
        engineer.password,
        compliance.password,
        systemKey,
      );
      secrets.push(systemKey.split('.')[1]!);
      const pharm = { cookie: await sessionCookie(base, pharmacist) };
      const eng = { cookie: await sessionCookie(base, engineer) };
      const comp = { cookie: await sessionCookie(base, compliance) };
      for (const c of [pharm, eng, comp]) secrets.push(c.cookie.split('=')[1]!);

      // A failed sign-in whose password is itself a canary.
      const wrong = `CanaryWrongPassword-${randomBytes(6).toString('hex')}`;
      secrets.push(wrong);
      await fetch(`${base}/api/session`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: pharmacist.username, password: wrong, totp: '123456' }),
      });

      // Patient data in over MLLP: a discharge for the canary patient (demo patient P0001's MRN kept in PID-3
      // repetition 2 so the task is created), and a message that cannot be processed.
      const p = CANARY_PHI;
      const discharge = readFileSync(FIXTURE, 'utf8')
        .replace('MRN10001^^^GENHOSP^MR', `MRN10001^^^GENHOSP^MR~${p.mrn}^^^GENHOSP^PI`)
        .replace('WHITFIELD^ELEANOR^M', `${p.family}^${p.given}^M`)
        .replace('19480312', p.dob)
        .replace('12 ELM ST^APT 3', `${p.street}^APT 3`)
        .replace('(217)555-0142', p.phone)
        .replace('eleanor.whitfield@example.org', p.email)
        .replace(/\r?\n/g, '\r');
      const broken = `MSH|^~\\&|EPICADT|GENHOSP|RXBRIDGE|CORNERPHARM|20261121080000||ADT^A03|CANARYBROKEN1|P|2.5.1\rPID|1||${p.mrn}^^^GENHOSP||${p.family}^${p.given}||${p.dob}\rPV1|1|I|\u0000\u0001 ${p.street}`;
      const client = await connectMllp({ host: '127.0.0.1', port: engine.mllp[0]!.port });
      await client.send(discharge);
      await client.send(broken);
      await client.close();

      // Wait for the pipeline to finish both.
      let taskId: string | undefined;
      for (let i = 0; i < 200 && !taskId; i++) {
        const list = (await (await fetch(`${base}/api/tasks`, { headers: pharm })).json()) as {
          tasks?: Array<{ id: string; type: string }>;
        };
        taskId = list.tasks?.find((t) => t.type === 'discharge-reconciliation')?.id;
        if (!taskId) await new Promise((r) => setTimeout(r, 50));
      }
      if (taskId) {
        const task = await (await fetch(`${base}/api/tasks/${taskId}`, { headers: pharm })).text();
        controls.taskSeen = task.includes('P0001');
      }
      const messages = (await (await fetch(`${base}/api/messages`, { headers: eng })).json()) as {
        messages: Array<{ id: string }>;
      };
      for (const m of messages.messages) {
        const detail = await (await fetch(`${base}/api/messages/${m.id}`, { headers: eng })).text();
        if (detail.includes(p.family)) controls.rawReadBack = true;
      }

      // Consent, break-glass, CDS Hooks and the audit export, all carrying canary patient data.
      await fetch(`${base}/api/consents/${encodeURIComponent(`${p.mrn}^^^GENHOSP`)}`, {
        method: 'PUT',
        headers: { ...comp, 'content-type': 'application/json' },
        body: JSON.stringify({
          resourceType: 'Consent',
          status: 'active',
          scope: { text: 'patient-privacy' },
          category: [{ text: `opt-out recorded for ${p.given} ${p.family}` }],
          patient: { display: `${p.given} ${p.family}` },
          provision: { type: 'deny', purpose: [{ code: 'HPAYMT' }] },
        }),
      });
      await fetch(`${base}/api/break-glass`, {
        method: 'POST',
        headers: { ...pharm, 'content-type': 'application/json' },
        body: JSON.stringify({
          reason: `emergency: ${p.given} ${p.family} unconscious in the ED`,
          minutes: 5,
        }),
      });
      await fetch(`${base}/cds-services/rxbridge-medication-checks-sign`, {
        method: 'POST',
        headers: { ...apiKeyHeader(systemKey), 'content-type': 'application/json' },
        body: JSON.stringify({
          hook: 'order-sign',
          hookInstance: 'c1',
          context: {
            patientId: p.mrn,
            userId: 'Practitioner/1',
            draftOrders: {
              resourceType: 'Bundle',
              type: 'collection',
              entry: [
                {
                  resource: {
                    resourceType: 'MedicationRequest',
                    status: 'draft',
                    intent: 'order',
                    subject: { reference: `Patient/${p.mrn}` },
                    medicationCodeableConcept: { text: 'metformin 500 mg tablet' },
                  },
                },
              ],
            },
          },
          prefetch: {
            patient: {
              resourceType: 'Patient',
              id: p.mrn,
              name: [{ family: p.family }],
              birthDate: '1931-02-03',
            },
          },
        }),
      });
      await (await fetch(`${base}/api/audit?format=fhir&limit=1000`, { headers: comp })).text();
      await fetch(`${base}/api/session`, { method: 'DELETE', headers: pharm });
    } finally {
      await engine.stop();
    }
    await new Promise<void>((resolve) => logStream.end(resolve));
    const canaries = [...Object.values(CANARY_PHI), ...secrets.filter((s) => s.length >= 6)];
    const result = scanForCanaries([join(dir, 'data'), logPath], canaries);
    // Positive control: the scanner finds a canary planted in a file.
    const planted = join(dir, 'planted.txt');
    writeFileSync(planted, `xx${CANARY_PHI.family}xx`);
    controls.scannerFindsPlantedCanary = scanForCanaries([planted], [CANARY_PHI.family]).hits.length === 1;
    // ...and reads the database for real: the message control id (not patient data) is stored in plaintext.
    controls.scannerSeesPlainMetadata =
      scanForCanaries([join(dir, 'data')], ['GH20261121080000001']).hits.length > 0;
    return { ...result, secrets: secrets.length, phi: Object.keys(CANARY_PHI).length, controls };
  } finally {
    if (savedKeys === undefined) delete process.env['RXBRIDGE_KEYS'];
    else process.env['RXBRIDGE_KEYS'] = savedKeys;
    rmSync(dir, { recursive: true, force: true });
  }
}
