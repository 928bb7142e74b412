// A new user's first run: the engine as a process, the example discharge from an independent MLLP client
// (Debian's python3-hl7 `mllp_send`), then the task, the message browser, replay and the CLI on the same store.
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CLI,
  PROJECT_ROOT,
  freePort,
  startEngineProcess,
  waitFor,
  type EngineProcess,
} from '../support/engine-process.ts';
import { demoSessionCookie } from '../support/auth.ts';

const run = promisify(execFile);
const MLLP_SEND = ['/usr/bin/mllp_send', '/usr/local/bin/mllp_send'].find((p) => existsSync(p));
const FIXTURE = join(PROJECT_ROOT, 'test', 'fixtures', 'hl7v2', 'adt-a03-discharge.hl7');
const requireClient = process.env['CI'] === 'true';

interface TaskJson {
  id: string;
  type: string;
  priority: string;
  status: string;
  patient: { display: string; pharmacyPatientId?: string };
  items: Array<{ type: string; drug: string; priority: string; suggestedAction: string }>;
  payload: {
    extracted: Array<{
      name: string;
      strength?: { value: number; unit: string };
      frequency?: { code: string };
    }>;
  };
  sourceMessageId: string;
}

describe.skipIf(!MLLP_SEND && !requireClient)('a new user sends the example discharge with mllp_send', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rxb-e2e-'));
  const store = `sqlite:${join(dir, 'rxbridge.db')}`;
  let engine: EngineProcess;
  /** The demo pharmacist's session (credentials printed once by `start --demo`). */
  let cookie: string;
  /** The integration engineer's API key for the message browser. */
  let engineerKey: string;
  const api = (path: string, init: RequestInit = {}): Promise<Response> =>
    fetch(`${engine.httpUrl}${path}`, {
      ...init,
      headers: {
        ...(init.headers as Record<string, string> | undefined),
        ...(path.startsWith('/api/messages') ? { authorization: `ApiKey ${engineerKey}` } : { cookie }),
      },
    });

  beforeAll(async () => {
    if (!MLLP_SEND)
      throw new Error('mllp_send (Debian package python3-hl7) is required in CI; .ci/run installs it');
    engine = await startEngineProcess({
      store,
      httpPort: await freePort(),
      mllpPort: await freePort(),
      args: ['--demo'],
    });
    cookie = await demoSessionCookie(engine.httpUrl, engine.stdout());
    const { stdout } = await run(
      process.execPath,
      [CLI, 'users', 'api-key', 'create', '--name', 'e2e', '--role', 'integration-engineer'],
      { cwd: PROJECT_ROOT, env: { ...process.env, RXBRIDGE_STORE: store } },
    );
    engineerKey = /rxb_\S+/.exec(stdout)?.[0] ?? '';
  });

  afterAll(async () => {
    engine?.child.kill('SIGTERM');
    if (engine) await engine.exited;
    rmSync(dir, { recursive: true, force: true });
  });

  async function send(): Promise<string> {
    const { stdout } = await run(MLLP_SEND as string, [
      '--loose',
      '--file',
      FIXTURE,
      '--port',
      String(engine.mllpPort),
      '127.0.0.1',
    ]);
    return stdout;
  }

  it('prints the engine addresses on start, and the demo sign-in once (never to the log)', async () => {
    expect(engine.stdout()).toMatch(/web app and API: http:\/\/localhost:\d+/);
    expect(engine.stdout()).toMatch(/HL7 v2 over MLLP: 127\.0\.0\.1:\d+/);
    expect(engine.stdout()).toMatch(/username: demo-pharmacist/);
    const password = /one-time password: (\S+)/.exec(engine.stdout())?.[1] ?? 'missing';
    expect(engine.stderr()).not.toContain(password);
    expect((await fetch(`${engine.httpUrl}/api/tasks`)).status).toBe(401);
  });

  it('acknowledges with CA (the fixture asks for enhanced mode) echoing the control id, and a reconciliation task with both medications appears', async () => {
    const ack = await send();
    expect(ack).toMatch(/MSA\|CA\|/);
    const controlId = /MSA\|CA\|([^|\r\n]+)/.exec(ack)?.[1];
    expect(controlId).toBeTruthy();

    const listed = await waitFor(
      async () => {
        const body = (await (await api(`/api/tasks`)).json()) as { tasks: TaskJson[] };
        return body.tasks.find((t) => t.type === 'discharge-reconciliation');
      },
      15_000,
      'the discharge reconciliation task',
    );
    // The queue lists summaries; the task itself carries the items and the extraction.
    const task = (await (await api(`/api/tasks/${listed.id}`)).json()) as TaskJson;
    expect(task.patient.pharmacyPatientId).toBe('P0001');
    expect(task.status).toBe('open');
    expect(
      task.payload.extracted.map(
        (m) => `${m.name.toLowerCase()} ${m.strength?.value}${m.strength?.unit} ${m.frequency?.code}`,
      ),
    ).toEqual(['metformin 500mg BID', 'lisinopril 10mg QD']);
    expect(task.items.map((i) => `${i.type}:${i.drug}`).sort()).toEqual([
      'commission:atorvastatin',
      'dose-change:metformin',
    ]);
    for (const item of task.items) expect(item.suggestedAction.length).toBeGreaterThan(20);

    const all = (await (await api(`/api/tasks`)).json()) as {
      total: number;
      tasks: TaskJson[];
    };
    expect(all.tasks.map((t) => t.type).sort()).toEqual([
      'discharge-reconciliation',
      'post-discharge-follow-up',
    ]);
  });

  it('acknowledges a resend positively, records it as a duplicate and creates nothing new', async () => {
    expect(await send()).toMatch(/MSA\|CA\|/);
    const body = (await (await api(`/api/messages?state=duplicate`)).json()) as {
      messages: Array<{ duplicateOf: string }>;
    };
    expect(body.messages).toHaveLength(1);
    const tasks = (await (await api(`/api/tasks`)).json()) as { total: number };
    expect(tasks.total).toBe(2);
  });

  it('shows the message with its raw text and lifecycle, and replays it without duplicating tasks', async () => {
    const list = (await (await api(`/api/messages?type=ADT%5EA03&state=awaiting-review`)).json()) as {
      messages: Array<{ id: string; state: string; ack: string }>;
    };
    const [message] = list.messages;
    expect(message).toMatchObject({ state: 'awaiting-review', ack: 'CA' });
    const detail = (await (await api(`/api/messages/${message!.id}`)).json()) as {
      raw: string;
      patient: string;
      events: Array<{ to: string }>;
    };
    expect(detail.raw.startsWith('MSH|^~\\&|EPICADT|GENHOSP')).toBe(true);
    // The browser can list one patient's messages (the key is encrypted at rest; the filter still works).
    const forPatient = async (patient: string): Promise<string[]> =>
      (
        (await (await api(`/api/messages?patient=${encodeURIComponent(patient)}`)).json()) as {
          messages: Array<{ id: string }>;
        }
      ).messages.map((m) => m.id);
    expect(await forPatient(detail.patient)).toContain(message!.id);
    expect(await forPatient(`${detail.patient}X`)).toEqual([]);
    expect(detail.events.map((e) => e.to)).toEqual([
      'received',
      'normalized',
      'extracted',
      'evaluated',
      'awaiting-review',
    ]);

    const refused = await api(`/api/messages/${message!.id}/replay`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({}),
    });
    expect(refused.status).toBe(400);
    expect(((await refused.json()) as { resourceType: string }).resourceType).toBe('OperationOutcome');

    const replay = await api(`/api/messages/${message!.id}/replay`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ reason: 'mapping fix verified' }),
    });
    expect(replay.status).toBe(202);
    await waitFor(
      async () => {
        const d = (await (await api(`/api/messages/${message!.id}`)).json()) as {
          state: string;
          events: unknown[];
        };
        return d.state === 'awaiting-review' && d.events.length > 5 ? d : undefined;
      },
      15_000,
      'the replayed message to settle',
    );
    const tasks = (await (await api(`/api/tasks`)).json()) as { total: number };
    expect(tasks.total).toBe(2);
  });

  it('lets the CLI read the same store while the engine runs', async () => {
    const { stdout } = await run(process.execPath, [CLI, 'messages', 'list'], {
      cwd: PROJECT_ROOT,
      env: { ...process.env, RXBRIDGE_STORE: store },
    });
    expect(stdout).toMatch(/ADT\^A03\s+awaiting-review/);
    expect(stdout).toMatch(/ADT\^A03\s+duplicate/);
  });

  it('serves health, readiness, metrics and the web page', async () => {
    expect((await fetch(`${engine.httpUrl}/healthz`)).status).toBe(200);
    const ready = (await (await fetch(`${engine.httpUrl}/readyz`)).json()) as { status: string };
    expect(ready.status).toBe('ready');
    const metrics = await (await fetch(`${engine.httpUrl}/metrics`)).text();
    expect(metrics).toMatch(
      /rxbridge_messages_received_total\{channel="mllp:default",outcome="accepted"\} 1/,
    );
    expect(metrics).toMatch(/rxbridge_tasks_created_total\{type="discharge-reconciliation"\} 1/);
    const page = await fetch(`${engine.httpUrl}/`);
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(await page.text()).toContain('Review queue');
    const missing = await api(`/api/nothing-here`);
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as { resourceType: string }).resourceType).toBe('OperationOutcome');
  });
});
