// Subscriptions: the sandbox posts R4 Backport notification bundles to a receiver on a real socket; the receiver
// checks the bearer token, processes each event once, notices dropped events (gap → re-query) and resends.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Fastify from 'fastify';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { registerSubscriptionRoutes } from '../../src/inbound/fhir/subscription-routes.ts';
import { openSqliteFhirStore } from '../../src/inbound/fhir/sqlite-fhir-store.ts';
import {
  signNotification,
  SubscriptionReceiver,
  type ReceivedNotification,
} from '../../src/inbound/fhir/subscription-receiver.ts';
import { FhirClient } from '../../src/platform/ehr/fhir/fhir-client.ts';
import { RateLimiter } from '../../src/platform/ehr/fhir/resilience.ts';
import { SmartTokenSource } from '../../src/platform/ehr/fhir/smart-auth.ts';
import { startSandbox, type Sandbox } from '../../src/platform/ehr/sandbox/sandbox-server.ts';
import { generateSigningKey, KeyRing } from '../../src/platform/ehr/smart-keys.ts';

const ring = new KeyRing([generateSigningKey('ES384', 'subs')]);
const store = openSqliteFhirStore(':memory:');
const received: ReceivedNotification[] = [];
const gaps: Array<{ from: number; to: number }> = [];
const receiver = new SubscriptionReceiver({
  registrations: [
    { name: 'dispenses', endpoint: 'sandbox', auth: { kind: 'bearer', token: 'hook-secret-1' } },
    { name: 'signed', endpoint: 'sandbox', auth: { kind: 'hmac', secret: 'hmac-secret' } },
  ],
  store,
  onNotification: (n) => {
    received.push(n);
  },
  onGap: (g) => {
    gaps.push({ from: g.from, to: g.to });
  },
});
const statuses: number[] = [];
let hook: Server;
let hookUrl = '';
let sandbox: Sandbox;

beforeAll(async () => {
  hook = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      void receiver.receive(req.url?.split('/').pop() ?? '', req.headers, body).then((r) => {
        statuses.push(r.status);
        res.writeHead(r.status).end(r.message);
      });
    });
  });
  await new Promise<void>((resolve) => hook.listen(0, '127.0.0.1', resolve));
  hookUrl = `http://127.0.0.1:${(hook.address() as AddressInfo).port}/hooks`;
  sandbox = await startSandbox({
    vendor: 'generic',
    clients: [{ clientId: 'rxbridge', jwks: ring.jwks(Date.now()) as never }],
  });
});

afterAll(async () => {
  await sandbox.close();
  await new Promise((resolve) => hook.close(resolve));
  store.close();
});

/** Waits until the sandbox has finished `n` notifications in all (sent, failed or dropped). */
async function settle(n: number): Promise<void> {
  const total = () =>
    [...sandbox.notifications.values()].reduce((a, c) => a + c.sent + c.failed + c.dropped, 0);
  for (let i = 0; i < 300 && total() < n; i++) await new Promise((r) => setTimeout(r, 10));
  expect(total()).toBe(n);
}

test('handshake, events once each, a dropped event detected as a gap, heartbeat; wrong token refused', async () => {
  const auth = new SmartTokenSource({
    clientId: 'rxbridge',
    scope: 'system/*.*',
    keys: ring,
    fhirBase: sandbox.fhirBase,
  });
  const client = new FhirClient({
    name: 'sandbox',
    baseUrl: sandbox.fhirBase,
    auth,
    rateLimiter: new RateLimiter({ ratePerSecond: 1000 }),
  });
  await client.createIfNoneExist(
    {
      resourceType: 'Subscription',
      status: 'requested',
      reason: 'dispenses written back',
      criteria: 'MedicationDispense',
      channel: {
        type: 'rest-hook',
        endpoint: `${hookUrl}/dispenses`,
        payload: 'application/fhir+json',
        header: ['Authorization: Bearer hook-secret-1'],
      },
    },
    'status=requested',
  );
  await settle(1);
  expect(received.map((n) => n.type)).toEqual(['handshake']);
  sandbox.setFaults({ dropNotificationEvery: 3 });
  for (let i = 1; i <= 5; i++) {
    await client.createIfNoneExist(
      {
        resourceType: 'MedicationDispense',
        status: 'completed',
        identifier: [{ system: 'urn:t', value: `d${i}` }],
      },
      `identifier=urn:t|d${i}`,
    );
    await settle(1 + i);
  }
  const events = received.flatMap((n) => n.events.map((e) => e.eventNumber));
  // Notification 3 (event 3) was dropped by the sandbox: events 1, 2, 4, 5 arrived, each with its resource.
  expect(events).toEqual([1, 2, 4, 5]);
  expect(
    received
      .filter((n) => n.type === 'event-notification')
      .every((n) => n.events[0]?.resource?.resourceType === 'MedicationDispense'),
  ).toBe(true);
  expect(gaps).toEqual([{ from: 3, to: 3 }]);
  // Heartbeat: event count 5, already seen; no new gap.
  await sandbox.heartbeat();
  await settle(7);
  expect(received.at(-1)?.type).toBe('heartbeat');
  expect(gaps).toHaveLength(1);

  // The same notification posted again is acknowledged and not processed twice.
  const bundle = JSON.stringify({
    resourceType: 'Bundle',
    type: 'history',
    entry: [
      {
        resource: {
          resourceType: 'Parameters',
          parameter: [
            { name: 'type', valueCode: 'event-notification' },
            { name: 'events-since-subscription-start', valueString: '5' },
            { name: 'notification-event', part: [{ name: 'event-number', valueString: '5' }] },
          ],
        },
      },
    ],
  });
  const before = received.length;
  const again = await receiver.receive('dispenses', { authorization: 'Bearer hook-secret-1' }, bundle);
  expect(again).toMatchObject({ status: 200, duplicates: 1, processed: 0 });
  expect(received.length).toBe(before);
  expect(await receiver.receive('dispenses', { authorization: 'Bearer wrong' }, bundle)).toMatchObject({
    status: 401,
  });
  expect(await receiver.receive('nobody', {}, bundle)).toMatchObject({ status: 404 });
  expect(
    await receiver.receive('dispenses', { authorization: 'Bearer hook-secret-1' }, '{oops'),
  ).toMatchObject({
    status: 400,
    message: 'body is not JSON',
  });
  expect(statuses.every((s) => s === 200)).toBe(true);
});

test('HMAC: signature over timestamp and body, inside the time window', async () => {
  const body = JSON.stringify({ resourceType: 'MedicationDispense', id: 'x1', status: 'completed' });
  const now = Math.floor(Date.now() / 1000);
  const good = { 'x-timestamp': String(now), 'x-signature': signNotification('hmac-secret', now, body) };
  expect(await receiver.receive('signed', good, body)).toMatchObject({ status: 200 });
  expect(await receiver.receive('signed', good, `${body} `)).toMatchObject({
    status: 401,
    message: 'signature does not match',
  });
  const old = now - 600;
  expect(
    await receiver.receive(
      'signed',
      { 'x-timestamp': String(old), 'x-signature': signNotification('hmac-secret', old, body) },
      body,
    ),
  ).toMatchObject({ status: 401, message: 'timestamp outside the allowed window' });
  expect(await receiver.receive('signed', {}, body)).toMatchObject({ status: 401 });
});

test('the route keeps the raw body for HMAC and answers refusals with an OperationOutcome', async () => {
  const app = Fastify();
  await registerSubscriptionRoutes(app, receiver);
  const body = JSON.stringify({ resourceType: 'MedicationDispense', id: 'x2', status: 'completed' });
  const now = Math.floor(Date.now() / 1000);
  const ok = await app.inject({
    method: 'POST',
    url: '/fhir/subscriptions/signed',
    headers: {
      'content-type': 'application/fhir+json',
      'x-timestamp': String(now),
      'x-signature': signNotification('hmac-secret', now, body),
    },
    payload: body,
  });
  expect(ok.statusCode).toBe(200);
  const refused = await app.inject({
    method: 'POST',
    url: '/fhir/subscriptions/signed',
    headers: { 'content-type': 'application/fhir+json' },
    payload: body,
  });
  expect(refused.statusCode).toBe(401);
  expect(refused.json()).toEqual({
    resourceType: 'OperationOutcome',
    issue: [
      {
        severity: 'error',
        code: 'security',
        diagnostics: 'X-Timestamp and X-Signature are required',
        expression: ['notification'],
      },
    ],
  });
  await app.close();
});
