// Alert rules, dedupe and quiet period on a real rollout store; delivery to a real HTTP webhook and a real SMTP server.
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { connect, createServer as createTcpServer, type AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Registry } from 'prom-client';
import { applyRules, evaluateRules, webhookNotifier, type AlertNotifier } from './alerts.ts';
import { createRolloutMetrics } from './rollout-metrics.ts';
import type { RolloutStore } from './rollout-store.ts';
import { summarize } from './shadow-validation.ts';
import { smtpNotifier } from './smtp-notifier.ts';
import { openSqliteRolloutStore } from './sqlite/sqlite-rollout-store.ts';
import type { WorkflowValue } from './value-report.ts';

function value(agreed: number, compared: number, extra: Partial<WorkflowValue> = {}): WorkflowValue {
  const comparisons = Array.from({ length: compared }, (_, i) => ({
    messageId: `m${i}`,
    drug: 'x',
    engine: { action: 'discontinue' },
    pharmacist: { action: i < agreed ? 'discontinue' : 'none' },
    source: 'decision' as const,
    agree: i < agreed,
    fields: { action: i < agreed },
  }));
  return {
    workflow: 'discharge-reconciliation',
    since: '',
    until: '',
    byMode: { off: 0, shadow: 0, suggest: compared, auto: 0 },
    events: compared,
    discrepancies: compared,
    accepted: agreed,
    decided: compared,
    approvalRate: agreed / compared,
    editRate: 0,
    rejectRate: 1 - agreed / compared,
    autoApplied: 0,
    autoConfirmed: 0,
    reversals: 0,
    autoErrors: 0,
    autoErrorRate: null,
    medianMinutesToDecision: null,
    latencyP50Ms: null,
    latencyP99Ms: null,
    errorRate: 0,
    deadLetterRate: null,
    meanConfidence: 0.9,
    minutesSaved: 0,
    minutesSavedIfSuggest: 0,
    agreement: summarize(comparisons),
    checklist: { mode: 'suggest', next: 'auto', items: [], ready: false },
    ...extra,
  };
}

describe('alert rules', () => {
  it('fire below the thresholds, stay quiet above them and without enough data', () => {
    const firing = evaluateRules(value(3, 10), undefined)
      .filter((r) => r.firing)
      .map((r) => r.rule);
    expect(firing.sort()).toEqual(['accuracy-low', 'agreement-low']);
    expect(evaluateRules(value(9, 10), undefined).some((r) => r.firing)).toBe(false);
    expect(evaluateRules(value(0, 3), undefined)).toEqual([]);
  });

  it('see auto writes failing or reversed, and a drop in extraction confidence against the previous period', () => {
    const auto = value(9, 10, { autoApplied: 10, reversals: 2, autoErrors: 0, autoErrorRate: 0.2 });
    expect(evaluateRules(auto, undefined).find((r) => r.rule === 'auto-error-rate-high')?.firing).toBe(true);
    const drop = evaluateRules(value(9, 10, { meanConfidence: 0.6 }), value(9, 10, { meanConfidence: 0.9 }));
    expect(drop.find((r) => r.rule === 'confidence-drop')).toMatchObject({
      firing: true,
      severity: 'warning',
    });
  });
});

describe('alert delivery', () => {
  let store: RolloutStore;
  const received: unknown[] = [];
  let server: Server;
  let url = '';
  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        received.push(JSON.parse(body));
        res.writeHead(req.url === '/broken' ? 500 : 204).end();
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise((r) => server.close(r)));
  beforeEach(() => {
    received.length = 0;
    store = openSqliteRolloutStore(':memory:');
  });

  it('records once per rule and workflow, notifies once per quiet period, resolves when clear', async () => {
    const metrics = createRolloutMetrics(new Registry());
    const notifiers = [webhookNotifier(`${url}/alerts`)];
    const at = (min: number) => new Date(Date.UTC(2026, 2, 1, 8, min));
    const rules = evaluateRules(value(3, 10), undefined);
    const first = await applyRules(rules, {
      store,
      notifiers,
      quietPeriodMs: 30 * 60_000,
      now: at(0),
      metrics,
    });
    expect(first.notified).toHaveLength(2);
    expect(received).toContainEqual(
      expect.objectContaining({ rule: 'agreement-low', value: 0.3, threshold: 0.8 }),
    );
    const second = await applyRules(rules, {
      store,
      notifiers,
      quietPeriodMs: 30 * 60_000,
      now: at(10),
      metrics,
    });
    expect(second.notified).toEqual([]);
    expect(received).toHaveLength(2);
    expect((await store.alerts({ openOnly: true })).map((a) => a.count)).toEqual([2, 2]);
    const third = await applyRules(rules, {
      store,
      notifiers,
      quietPeriodMs: 30 * 60_000,
      now: at(45),
      metrics,
    });
    expect(third.notified).toHaveLength(2);
    const cleared = await applyRules(evaluateRules(value(10, 10), undefined), {
      store,
      notifiers,
      quietPeriodMs: 30 * 60_000,
      now: at(50),
      metrics,
    });
    expect(cleared.resolved.sort()).toEqual([
      'accuracy-low:discharge-reconciliation',
      'agreement-low:discharge-reconciliation',
    ]);
    expect(await store.alerts({ openOnly: true })).toEqual([]);
    expect(await metrics.alertsOpen.get()).toMatchObject({
      values: expect.arrayContaining([expect.objectContaining({ value: 0 })]),
    });
  });

  it('a failed delivery is reported and retried at the next evaluation; the alert is recorded anyway', async () => {
    const errors: string[] = [];
    const rules = evaluateRules(value(3, 10), undefined).slice(0, 1);
    const options = {
      store,
      quietPeriodMs: 3_600_000,
      onDeliveryError: (n: string, e: unknown) => errors.push(`${n}: ${String(e)}`),
    };
    await applyRules(rules, { ...options, notifiers: [webhookNotifier(`${url}/broken`)], now: new Date(0) });
    expect(errors[0]).toMatch(/webhook: Error: webhook answered 500/);
    expect((await store.alerts({ openOnly: true }))[0]?.notifiedAt).toBeUndefined();
    const ok = await applyRules(rules, {
      ...options,
      notifiers: [webhookNotifier(`${url}/alerts`)],
      now: new Date(1000),
    });
    expect(ok.notified).toHaveLength(1);
  });
});

/** Python 3.11's smtpd DebuggingServer prints every message it receives: an independent SMTP server. */
async function startSmtpd(): Promise<
  { child: ChildProcess; port: number; output: () => string } | undefined
> {
  const port = await new Promise<number>((resolve) => {
    const s = createTcpServer().listen(0, '127.0.0.1', () => {
      const p = (s.address() as AddressInfo).port;
      s.close(() => resolve(p));
    });
  });
  const child = spawn('python3', [
    '-W',
    'ignore',
    '-u',
    '-m',
    'smtpd',
    '-n',
    '-c',
    'DebuggingServer',
    `127.0.0.1:${port}`,
  ]);
  let out = '';
  child.stdout?.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr?.on('data', (c: Buffer) => (out += c.toString()));
  for (let i = 0; i < 50; i++) {
    if (child.exitCode !== null) return undefined;
    const up = await new Promise<boolean>((resolve) => {
      const c = connect(port, '127.0.0.1', () => {
        c.destroy();
        resolve(true);
      });
      c.on('error', () => resolve(false));
    });
    if (up) return { child, port, output: () => out };
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill();
  return undefined;
}

describe('alert email', () => {
  it('is delivered over SMTP to a local relay (Python smtpd)', async () => {
    const smtpd = await startSmtpd();
    if (smtpd === undefined) {
      if (process.env['CI'] === 'true') throw new Error('python3 -m smtpd is required in CI (Python 3.11)');
      console.warn('skipped: python3 -m smtpd unavailable');
      return;
    }
    try {
      const store = openSqliteRolloutStore(':memory:');
      const email: AlertNotifier = smtpNotifier({
        host: '127.0.0.1',
        port: smtpd.port,
        from: 'rxbridge@pharmacy.example',
        to: ['oncall@pharmacy.example'],
      });
      const result = await applyRules(evaluateRules(value(3, 10), undefined).slice(0, 1), {
        store,
        notifiers: [email],
        quietPeriodMs: 60_000,
        now: new Date(),
      });
      expect(result.notified).toHaveLength(1);
      for (let i = 0; i < 20 && !smtpd.output().includes('END MESSAGE'); i++)
        await new Promise((r) => setTimeout(r, 50));
      expect(smtpd.output()).toContain('Subject: [RxBridge critical] agreement-low discharge-reconciliation');
      expect(smtpd.output()).toContain('"rule": "agreement-low"');
      await store.close();
    } finally {
      smtpd.child.kill();
    }
  });

  it('a refused recipient is a delivery failure with the server reply', async () => {
    // A one-line server that refuses RCPT: enough to see the client reports the SMTP reply.
    const server = createTcpServer((socket) => {
      socket.write('220 test ESMTP\r\n');
      socket.on('data', (chunk: Buffer) => {
        const text = chunk.toString();
        if (text.startsWith('EHLO')) socket.write('250-test\r\n250 OK\r\n');
        else if (text.startsWith('MAIL')) socket.write('250 OK\r\n');
        else if (text.startsWith('RCPT')) socket.write('550 5.1.1 no such user\r\n');
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const email = smtpNotifier({
      host: '127.0.0.1',
      port: (server.address() as AddressInfo).port,
      from: 'a@b.example',
      to: ['nobody@b.example'],
    });
    const store = openSqliteRolloutStore(':memory:');
    const { alert } = await store.raiseAlert({
      key: 'k',
      workflow: 'w',
      rule: 'r',
      severity: 'warning',
      value: 1,
      threshold: 0,
      message: 'm',
      at: new Date(),
    });
    await expect(email.notify(alert)).rejects.toThrow('SMTP RCPT: 550 5.1.1 no such user');
    await store.close();
    await new Promise((r) => server.close(r));
  });
});

describe('deploy/prometheus/rxbridge-alerts.yml', () => {
  it('parses, and every metric its rules use is one the engine exports', async () => {
    const { readFileSync } = await import('node:fs');
    const { parse } = await import('yaml');
    const text = readFileSync(
      new URL('../../../deploy/prometheus/rxbridge-alerts.yml', import.meta.url),
      'utf8',
    );
    const doc = parse(text) as {
      groups: Array<{ rules: Array<{ alert: string; expr: string; labels: { severity: string } }> }>;
    };
    const rules = doc.groups.flatMap((g) => g.rules);
    expect(rules.length).toBeGreaterThanOrEqual(4);
    const registry = new Registry();
    createRolloutMetrics(registry);
    const exported = new Set((await registry.getMetricsAsJSON()).map((m) => m.name));
    for (const rule of rules) {
      expect(['warning', 'critical']).toContain(rule.labels.severity);
      const names = rule.expr.match(/rxbridge_[a-z_]+/g) ?? [];
      expect(names.length, rule.alert).toBeGreaterThan(0);
      for (const name of names) expect(exported, `${rule.alert}: ${name}`).toContain(name);
    }
  });
});
