// Receives EHR subscription notifications: R4 rest-hook posts (the resource, or an empty ping) and R4 Subscriptions
// Backport IG notification bundles (a `history` Bundle led by a SubscriptionStatus Parameters). Verifies a bearer
// token or an HMAC signature with a timestamp window, detects gaps in event numbers (then the caller re-queries),
// and is idempotent by event: a resent notification is acknowledged and not processed twice.
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Bundle, Parameters, ParametersParameter, Resource } from '@medplum/fhirtypes';
import type { FhirResourceStore } from './fhir-resource-store.ts';

export type NotificationAuth =
  | { kind: 'bearer'; token: string }
  /** `X-Signature: sha256=<hex of HMAC-SHA256(secret, "<X-Timestamp>.<body>")>`, `X-Timestamp`: Unix seconds. */
  | { kind: 'hmac'; secret: string };

export interface SubscriptionRegistration {
  /** Our name for the subscription (the path segment it posts to). */
  name: string;
  /** The EHR endpoint it belongs to (watermarks are kept per endpoint). */
  endpoint: string;
  auth: NotificationAuth;
  /** Notifications whose timestamp is further than this from now are refused (ms). Default 5 minutes. */
  maxSkewMs?: number;
}

export interface NotificationEvent {
  /** Event number (Backport) or undefined for classic rest-hook. */
  eventNumber: number | undefined;
  /** The resource the event is about, when the payload carries it. */
  resource?: Resource;
  /** The reference to it (id-only payloads). */
  focus?: string;
}

export interface ReceivedNotification {
  subscription: string;
  endpoint: string;
  type: 'handshake' | 'heartbeat' | 'event-notification' | 'query-status' | 'query-event' | 'rest-hook';
  events: NotificationEvent[];
}

export interface ReceiverResult {
  status: 200 | 204 | 400 | 401 | 404 | 409;
  /** Why it was refused (no patient data), or what was done. */
  message: string;
  duplicates?: number;
  processed?: number;
}

export interface SubscriptionReceiverOptions {
  registrations: readonly SubscriptionRegistration[];
  store: FhirResourceStore;
  onNotification: (notification: ReceivedNotification) => void | Promise<void>;
  /** Events `from`..`to` (inclusive) were never received: re-query what they may have covered. */
  onGap: (gap: { subscription: string; endpoint: string; from: number; to: number }) => void | Promise<void>;
  now?: () => number;
}

const WATERMARK_PREFIX = 'subscription-event:';

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export function signNotification(secret: string, timestamp: number, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

function header(headers: Record<string, string | string[] | undefined>, name: string): string | undefined {
  const value = headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}

function param(
  parameters: readonly ParametersParameter[] | undefined,
  name: string,
): ParametersParameter | undefined {
  return parameters?.find((p) => p.name === name);
}

/** Backport IG: event numbers are strings in R4 (int64); accept integers too. */
function eventNumberOf(p: ParametersParameter | undefined): number | undefined {
  const raw =
    p?.valueString ?? p?.valueInteger ?? (p as { valueInteger64?: string } | undefined)?.valueInteger64;
  const n = typeof raw === 'string' ? Number(raw) : raw;
  return typeof n === 'number' && Number.isSafeInteger(n) && n >= 0 ? n : undefined;
}

export class SubscriptionReceiver {
  readonly #byName: Map<string, SubscriptionRegistration>;
  readonly #o: SubscriptionReceiverOptions;
  readonly #now: () => number;

  constructor(options: SubscriptionReceiverOptions) {
    this.#o = options;
    this.#now = options.now ?? Date.now;
    this.#byName = new Map(options.registrations.map((r) => [r.name, r]));
  }

  #verify(
    reg: SubscriptionRegistration,
    headers: Record<string, string | string[] | undefined>,
    body: string,
  ): string | undefined {
    const skew = reg.maxSkewMs ?? 300_000;
    if (reg.auth.kind === 'bearer') {
      const given = /^Bearer (.+)$/i.exec(header(headers, 'authorization') ?? '')?.[1];
      return given !== undefined && safeEqual(given, reg.auth.token)
        ? undefined
        : 'bearer token missing or wrong';
    }
    const timestamp = Number(header(headers, 'x-timestamp'));
    const signature = header(headers, 'x-signature');
    if (!Number.isInteger(timestamp) || signature === undefined)
      return 'X-Timestamp and X-Signature are required';
    if (Math.abs(this.#now() - timestamp * 1000) > skew) return 'timestamp outside the allowed window';
    return safeEqual(signature, signNotification(reg.auth.secret, timestamp, body))
      ? undefined
      : 'signature does not match';
  }

  async receive(
    name: string,
    headers: Record<string, string | string[] | undefined>,
    body: string,
  ): Promise<ReceiverResult> {
    const reg = this.#byName.get(name);
    if (reg === undefined) return { status: 404, message: `no subscription named ${name}` };
    const refused = this.#verify(reg, headers, body);
    if (refused !== undefined) return { status: 401, message: refused };
    if (body.trim() === '') {
      // Classic R4 rest-hook with an empty payload: "something changed", re-query.
      await this.#o.onNotification({
        subscription: name,
        endpoint: reg.endpoint,
        type: 'rest-hook',
        events: [],
      });
      return { status: 200, message: 'ping received', processed: 0 };
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(body);
    } catch {
      return { status: 400, message: 'body is not JSON' };
    }
    const resource = parsed as Resource;
    if (typeof parsed !== 'object' || parsed === null || typeof resource.resourceType !== 'string') {
      return { status: 400, message: 'body is not a FHIR resource' };
    }
    const bundle = resource.resourceType === 'Bundle' ? resource : undefined;
    const status = bundle?.entry?.[0]?.resource as Parameters | undefined;
    if (bundle === undefined || bundle.type !== 'history' || status?.resourceType !== 'Parameters') {
      // Classic R4 rest-hook with the resource as payload: idempotent by version.
      await this.#o.onNotification({
        subscription: name,
        endpoint: reg.endpoint,
        type: 'rest-hook',
        events: [{ eventNumber: undefined, resource }],
      });
      return { status: 200, message: 'resource received', processed: 1 };
    }
    return this.#backport(reg, bundle, status);
  }

  async #backport(
    reg: SubscriptionRegistration,
    bundle: Bundle,
    status: Parameters,
  ): Promise<ReceiverResult> {
    const p = status.parameter;
    const type = param(p, 'type')?.valueCode as ReceivedNotification['type'] | undefined;
    if (type === undefined) return { status: 400, message: 'SubscriptionStatus has no type' };
    const key = `${WATERMARK_PREFIX}${reg.name}`;
    const last = Number(this.#o.store.watermark(reg.endpoint, key) ?? '0');
    const since = eventNumberOf(param(p, 'events-since-subscription-start'));
    const resources = new Map<string, Resource>();
    for (const entry of bundle.entry?.slice(1) ?? []) {
      if (entry.resource !== undefined && entry.fullUrl !== undefined)
        resources.set(entry.fullUrl, entry.resource);
      if (entry.resource?.id !== undefined) {
        resources.set(`${entry.resource.resourceType}/${entry.resource.id}`, entry.resource);
      }
    }
    const events: NotificationEvent[] = [];
    const skew = reg.maxSkewMs ?? 300_000;
    for (const part of (p ?? []).filter((x) => x.name === 'notification-event')) {
      const eventNumber = eventNumberOf(param(part.part, 'event-number'));
      if (eventNumber === undefined)
        return { status: 400, message: 'notification-event without a valid event-number' };
      const timestamp = param(part.part, 'timestamp')?.valueInstant;
      if (timestamp !== undefined && Math.abs(this.#now() - Date.parse(timestamp)) > skew) {
        return { status: 401, message: 'event timestamp outside the allowed window' };
      }
      const focus = param(part.part, 'focus')?.valueReference?.reference;
      const found = focus === undefined ? undefined : resources.get(focus);
      events.push({
        eventNumber,
        ...(focus !== undefined ? { focus } : {}),
        ...(found !== undefined ? { resource: found } : {}),
      });
    }
    events.sort((a, b) => (a.eventNumber ?? 0) - (b.eventNumber ?? 0));
    const fresh = events.filter((e) => (e.eventNumber ?? 0) > last);
    const duplicates = events.length - fresh.length;
    // A gap: events between what we last saw and what arrived (or what a heartbeat says exists) never came.
    const firstNew = fresh[0]?.eventNumber;
    const highest = Math.max(last, ...fresh.map((e) => e.eventNumber ?? 0));
    if (firstNew !== undefined && firstNew > last + 1) {
      await this.#o.onGap({
        subscription: reg.name,
        endpoint: reg.endpoint,
        from: last + 1,
        to: firstNew - 1,
      });
    } else if (type !== 'event-notification' && since !== undefined && since > highest) {
      await this.#o.onGap({ subscription: reg.name, endpoint: reg.endpoint, from: highest + 1, to: since });
    }
    if (fresh.length > 0 || type !== 'event-notification') {
      await this.#o.onNotification({ subscription: reg.name, endpoint: reg.endpoint, type, events: fresh });
    }
    const newMark = Math.max(highest, type !== 'event-notification' && since !== undefined ? since : 0);
    if (newMark > last) this.#o.store.setWatermark(reg.endpoint, key, String(newMark));
    return {
      status: 200,
      message: `${type}: ${fresh.length} new event(s)`,
      duplicates,
      processed: fresh.length,
    };
  }
}
