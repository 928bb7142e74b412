// S10 (QUALITY.md): the webhook receiver (FHIR subscription notifications) refuses unsigned, forged, replayed and
// stale notifications with 0 effects, and a valid notification delivered twice has exactly 1 effect.
// The effect counted is what the engine does with a notification: the resources it stores.
import type { Bundle, MedicationDispense } from '@medplum/fhirtypes';
import Fastify from 'fastify';
import { afterAll, expect, test } from 'vitest';
import { registerSubscriptionRoutes } from '../../src/inbound/fhir/subscription-routes.ts';
import { openSqliteFhirStore } from '../../src/inbound/fhir/sqlite-fhir-store.ts';
import { signNotification, SubscriptionReceiver } from '../../src/inbound/fhir/subscription-receiver.ts';

const SECRET = 'webhook-secret-s10';
const store = openSqliteFhirStore(':memory:');
let effects = 0;
let notifications = 0;
const receiver = new SubscriptionReceiver({
  registrations: [{ name: 'dispenses', endpoint: 'ehr', auth: { kind: 'hmac', secret: SECRET } }],
  store,
  onNotification: (n) => {
    notifications++;
    const resources = n.events.flatMap((e) => (e.resource ? [e.resource] : []));
    effects += store.upsert('ehr', resources).inserted;
  },
  onGap: () => undefined,
});
afterAll(() => store.close());

function notification(eventNumber: number, at = new Date()): string {
  const dispense: MedicationDispense = {
    resourceType: 'MedicationDispense',
    id: `d${eventNumber}`,
    status: 'completed',
    medicationCodeableConcept: { text: 'metformin 500 mg tablet' },
  };
  const bundle: Bundle = {
    resourceType: 'Bundle',
    type: 'history',
    entry: [
      {
        resource: {
          resourceType: 'Parameters',
          parameter: [
            { name: 'subscription', valueReference: { reference: 'Subscription/dispenses' } },
            { name: 'type', valueCode: 'event-notification' },
            { name: 'events-since-subscription-start', valueString: String(eventNumber) },
            {
              name: 'notification-event',
              part: [
                { name: 'event-number', valueString: String(eventNumber) },
                { name: 'timestamp', valueInstant: at.toISOString() },
                { name: 'focus', valueReference: { reference: `MedicationDispense/d${eventNumber}` } },
              ],
            },
          ],
        },
      },
      { fullUrl: `MedicationDispense/d${eventNumber}`, resource: dispense },
    ],
  };
  return JSON.stringify(bundle);
}

const signed = (body: string, seconds = Math.floor(Date.now() / 1000)) => ({
  'x-timestamp': String(seconds),
  'x-signature': signNotification(SECRET, seconds, body),
});

test('S10: unsigned, forged, stale and replayed notifications are refused with 0 effects; a valid one twice has 1', async () => {
  const app = Fastify();
  await registerSubscriptionRoutes(app, receiver);
  const post = (body: string, headers: Record<string, string>) =>
    app.inject({
      method: 'POST',
      url: '/fhir/subscriptions/dispenses',
      headers: { 'content-type': 'application/fhir+json', ...headers },
      payload: body,
    });
  const body = notification(1);
  const now = Math.floor(Date.now() / 1000);

  const unsigned = await post(body, {});
  const forgedBody = await post(body.replace('metformin', 'warfarin'), signed(body, now));
  const forgedKey = await post(body, {
    'x-timestamp': String(now),
    'x-signature': signNotification('not-the-secret', now, body),
  });
  const stale = await post(body, signed(body, now - 3_600));
  const refused = [unsigned, forgedBody, forgedKey, stale];
  for (const r of refused) {
    expect(r.statusCode).toBe(401);
    expect(r.json<{ resourceType: string }>().resourceType).toBe('OperationOutcome');
  }
  expect(effects).toBe(0);
  expect(notifications).toBe(0);

  // A valid notification, then the same bytes again (a replay inside the time window, or a retry).
  const headers = signed(body, now);
  expect((await post(body, headers)).statusCode).toBe(200);
  expect((await post(body, headers)).statusCode).toBe(200);
  expect(effects).toBe(1);
  expect(store.count('ehr', 'MedicationDispense')).toBe(1);

  // An old event replayed with a fresh signature still counts once: event numbers never go back.
  expect((await post(body, signed(body))).statusCode).toBe(200);
  expect(effects).toBe(1);
  // The next event has its effect.
  const next = notification(2);
  expect((await post(next, signed(next))).statusCode).toBe(200);
  expect(effects).toBe(2);
  console.log(
    `S10 webhook: ${refused.length} refused (unsigned, forged body, forged key, stale) with 0 effects; ` +
      `valid notification delivered 3 times: 1 effect; next event: 1 effect`,
  );
  await app.close();
});
