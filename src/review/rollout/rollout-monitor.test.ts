// The engine's alert monitor on a real message store: a silent channel, rising dead letters, a volume shift, a
// certificate close to expiry (made by openssl), each raised once and resolved when clear.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../kernel/clock.ts';
// eslint-disable-next-line rxbridge/pipeline-boundaries -- a real message store for the integration rules
import { openSqliteStore } from '../../platform/store/sqlite/sqlite-store.ts';
import { certificateNotAfter, evaluateIntegrationRules } from './integration-alerts.ts';
import { startRolloutMonitor } from './rollout-monitor.ts';
import { openSqliteRolloutStore } from './sqlite/sqlite-rollout-store.ts';

const dir = mkdtempSync(join(tmpdir(), 'rxb-monitor-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const MIN = 60_000;

describe('rollout monitor', () => {
  it('raises a silent channel and rising dead letters once each, and resolves them when traffic is back', async () => {
    const clock = new ManualClock('2026-03-02T08:00:00Z');
    const engine = await openSqliteStore({ path: join(dir, 'engine.db'), clock });
    const store = openSqliteRolloutStore(join(dir, 'engine.db'));
    let n = 0;
    const send = async (dead = false) => {
      const { id } = await engine.messages.append({
        channel: 'mllp:adt',
        format: 'hl7v2',
        idempotencyKey: `k${n++}`,
        partitionKey: `p${n}`,
        raw: new TextEncoder().encode('MSH|^~\\&|'),
        summary: { type: 'ADT^A03' },
      });
      const [m] = await engine.messages.claim('w', 1, 60_000);
      expect(m?.id).toBe(id);
      await engine.messages.settle(
        id,
        'w',
        dead
          ? { path: [], state: 'failed', error: 'bad', retryable: false }
          : { path: [], state: 'done', detail: 'ok' },
      );
    };
    // Every 5 minutes for two hours.
    for (let i = 0; i < 24; i++) {
      clock.advance(5 * MIN);
      await send();
    }
    const monitor = startRolloutMonitor({
      store,
      tasks: engine.tasks,
      messages: engine.messages,
      clock,
      notifiers: [],
      periodMs: 60 * MIN,
      intervalMs: 0,
      quietPeriodMs: 60 * MIN,
    });
    expect((await monitor.evaluate()).raised).toEqual([]);
    clock.advance(45 * MIN);
    const silent = await monitor.evaluate();
    expect(silent.raised.map((a) => a.key)).toContain('channel-silent:mllp:adt');
    // Traffic resumes, with dead letters.
    for (let i = 0; i < 6; i++) {
      clock.advance(5 * MIN);
      await send(i % 2 === 0);
    }
    const back = await monitor.evaluate();
    expect(back.resolved).toContain('channel-silent:mllp:adt');
    expect(back.raised.map((a) => a.key)).toContain('dead-letters-rising:messages');
    expect((await store.alerts({ openOnly: true })).map((a) => a.rule)).toContain('dead-letters-rising');
    monitor.stop();
    await store.close();
    await engine.close();
  });

  it('sees a volume shift and a certificate close to expiry', () => {
    const pem = join(dir, 'cert.pem');
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-days',
        '5',
        '-subj',
        '/CN=rxbridge-test',
        '-keyout',
        join(dir, 'key.pem'),
        '-out',
        pem,
      ],
      { stdio: 'ignore' },
    );
    const notAfter = certificateNotAfter(readFileSync(pem));
    const now = new Date();
    expect(Math.round((notAfter.getTime() - now.getTime()) / 86_400_000)).toBe(5);
    const rules = evaluateIntegrationRules({
      now,
      channels: [],
      messages: { current: 400, previous: 100 },
      deadLetters: { current: 0, previous: 0 },
      certificates: [{ name: 'https', notAfter }],
    });
    expect(rules.find((r) => r.rule === 'volume-shift')).toMatchObject({
      firing: true,
      value: 400,
      threshold: 100,
    });
    expect(rules.find((r) => r.rule === 'certificate-expiry')).toMatchObject({
      firing: true,
      severity: 'warning',
      value: 4,
    });
    const calm = evaluateIntegrationRules({
      now,
      channels: [],
      messages: { current: 110, previous: 100 },
      deadLetters: { current: 0, previous: 0 },
      certificates: [{ name: 'https', notAfter: new Date(now.getTime() + 90 * 86_400_000) }],
    });
    expect(calm.some((r) => r.firing)).toBe(false);
  });
});
