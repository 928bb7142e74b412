// Contract suite of the Store bundle (MessageStore, TaskStore, AuditLog): every store adapter runs it unchanged.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { auditHash, GENESIS_HASH } from '../../governance/audit/audit-hash.ts';
import type { AuditEntry, AuditRecord } from '../../governance/audit/audit-log.ts';
import { ManualClock, type Clock } from '../../kernel/clock.ts';
import { ErrorCode, RxBridgeError } from '../../kernel/errors.ts';
import type { AppendResult, IncomingMessage, RetryPolicy, StoredMessage } from './message-store.ts';
import { DEFAULT_RETRY_POLICY } from './message-store.ts';
import { MESSAGE_STATES } from './message-state.ts';
import type { Store } from './store.ts';
import type { NewTask } from './task-store.ts';

/** The hooks a store adapter exposes for this suite (structurally matched; adapters do not import this file). */
export interface StoreUnderTest extends Store {
  /** Group-commit counters. */
  stats(): { commits: number; operations: number };
  /** Raw SQL for tamper tests; portable statements only (the suite uses unqualified table names). */
  execRaw(sql: string): Promise<void>;
}

export interface OpenStoreOptions {
  retry?: RetryPolicy;
}

/** Opens a fresh, empty store driven by `clock`. */
export type OpenStore = (clock: Clock, options?: OpenStoreOptions) => Promise<StoreUnderTest>;

export interface StoreContractOptions {
  /** Opens a second connection to the database the latest `open` created; omit when that is impossible (':memory:'). */
  reopen?: (clock: Clock) => Promise<StoreUnderTest>;
  /** SQL lifting the append-only guard of audit_log, so tamper tests can edit rows; the guard itself is tested too. */
  disableAuditGuard?: string;
}

const T0 = '2026-03-01T08:00:00.000Z';
const LEASE = 30_000;

let counter = 0;
function incoming(partitionKey: string, overrides: Partial<IncomingMessage> = {}): IncomingMessage {
  counter += 1;
  return {
    channel: 'mllp:test',
    format: 'hl7v2',
    idempotencyKey: `key-${counter}-${Math.random().toString(36).slice(2)}`,
    partitionKey,
    raw: new TextEncoder().encode(`MSH|^~\\&|A|B|C|D|20260301||ADT^A03|${counter}|P|2.5.1\r`),
    summary: { type: 'ADT^A03', controlId: String(counter), sender: 'A|B' },
    ...overrides,
  };
}

async function expectCode(promise: Promise<unknown>, ...codes: ErrorCode[]): Promise<void> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error, `expected rejection with ${codes.join(' or ')}`).toBeInstanceOf(RxBridgeError);
  expect(codes).toContain((error as RxBridgeError).code);
}

function auditEntry(overrides: Partial<AuditEntry> = {}): AuditEntry {
  return {
    actor: 'user:alice',
    action: 'read',
    category: 'task',
    source: 'http:/api/tasks',
    outcome: 'success',
    ...overrides,
  };
}

export function describeStore(name: string, open: OpenStore, options: StoreContractOptions = {}): void {
  describe(`Store contract: ${name}`, () => {
    let clock: ManualClock;
    let store: StoreUnderTest;
    const extra: StoreUnderTest[] = [];

    async function openWith(retry?: RetryPolicy): Promise<StoreUnderTest> {
      await store.close();
      store = await open(clock, retry ? { retry } : {});
      return store;
    }

    async function appendAll(inputs: IncomingMessage[], chunk = 2_000): Promise<AppendResult[]> {
      const results: AppendResult[] = [];
      for (let i = 0; i < inputs.length; i += chunk) {
        results.push(...(await Promise.all(inputs.slice(i, i + chunk).map((m) => store.messages.append(m)))));
      }
      return results;
    }

    /** Claims one message as `worker` and settles it. */
    async function claimAndSettle(worker: string, outcome: Parameters<Store['messages']['settle']>[2]) {
      const [m] = await store.messages.claim(worker, 1, LEASE);
      expect(m).toBeDefined();
      await store.messages.settle(m!.id, worker, outcome);
      return m!;
    }

    beforeEach(async () => {
      clock = new ManualClock(T0);
      store = await open(clock);
    });

    afterEach(async () => {
      await store.close();
      for (const s of extra.splice(0)) await s.close();
    });

    describe('append', () => {
      it('refuses a claim that could not hold a lease, or whose limit is not a count', async () => {
        await store.messages.append(incoming('MRN32^^^H'));
        for (const [limit, lease] of [
          [5, 0],
          [5, -1],
          [5, Number.NaN],
          [-1, LEASE],
          [Number.NaN, LEASE],
          [1.5, LEASE],
        ] as const) {
          await expectCode(store.messages.claim('w', limit, lease), ErrorCode.InvalidInput);
        }
        await expectCode(store.messages.claim('', 5, LEASE), ErrorCode.InvalidInput);
        expect((await store.messages.claim('w', 5, LEASE)).length).toBe(1);
      });

      it('refuses a malformed message for its own caller only; the appends committed with it are stored', async () => {
        const good = [1, 2, 3].map(() => store.messages.append(incoming('MRN31^^^H')));
        const bad = [
          store.messages.append(incoming('MRN31^^^H', { raw: undefined as never })),
          store.messages.append(incoming('', {})),
          store.messages.append(incoming('MRN31^^^H', { idempotencyKey: 42 as never })),
        ];
        const results = await Promise.allSettled([...good, ...bad]);
        expect(results.map((r) => r.status)).toEqual([
          'fulfilled',
          'fulfilled',
          'fulfilled',
          'rejected',
          'rejected',
          'rejected',
        ]);
        const reasons = results.slice(3).map((r) => (r as PromiseRejectedResult).reason as RxBridgeError);
        expect(reasons.map((e) => e.code)).toEqual([
          ErrorCode.InvalidInput,
          ErrorCode.InvalidInput,
          ErrorCode.InvalidInput,
        ]);
        expect(reasons.map((e) => e.message)).toEqual([
          'append refused: raw must be bytes (a Uint8Array)',
          'append refused: partitionKey must be a non-empty string',
          'append refused: idempotencyKey must be a non-empty string',
        ]);
        expect((await store.messages.list({ partitionKey: 'MRN31^^^H' })).length).toBe(3);
      });

      it('round-trips raw bytes exactly (not valid UTF-8) and returns Dates', async () => {
        const raw = new Uint8Array([
          0x0b, 0x4d, 0x53, 0x48, 0x00, 0xff, 0xfe, 0xc3, 0x28, 0x80, 0x0d, 0x1c, 0x0d,
        ]);
        const input = incoming('MRN1^^^HOSP', { raw, ack: 'AA', format: 'hl7v2' });
        const result = await store.messages.append(input);
        expect(result.duplicate).toBe(false);
        const stored = await store.messages.get(result.id);
        expect(stored).toBeDefined();
        expect(stored!.raw).toBeInstanceOf(Uint8Array);
        expect(Array.from(stored!.raw)).toEqual(Array.from(raw));
        expect(stored!.receivedAt).toBeInstanceOf(Date);
        expect(stored!.receivedAt.toISOString()).toBe(T0);
        expect(stored!.updatedAt).toBeInstanceOf(Date);
        expect(stored).toMatchObject({
          id: result.id,
          sequence: result.sequence,
          channel: 'mllp:test',
          format: 'hl7v2',
          idempotencyKey: input.idempotencyKey,
          partitionKey: 'MRN1^^^HOSP',
          summary: input.summary,
          ack: 'AA',
          state: 'received',
          attempts: 0,
          nextAttemptAt: null,
          lastError: null,
          duplicateOf: null,
        });
        const empty = await store.messages.append(incoming('P', { raw: new Uint8Array(0), summary: {} }));
        const got = await store.messages.get(empty.id);
        expect(got!.raw.length).toBe(0);
        expect(got!.summary).toEqual({});
        expect(got!.ack).toBeNull();
      });

      it('gives sequences that increase in commit order', async () => {
        const a = await store.messages.append(incoming('P1'));
        const b = await store.messages.append(incoming('P2'));
        const [c, d] = await Promise.all([
          store.messages.append(incoming('P1')),
          store.messages.append(incoming('P3')),
        ]);
        expect(b.sequence).toBeGreaterThan(a.sequence);
        expect(c.sequence).toBeGreaterThan(b.sequence);
        expect(d.sequence).toBeGreaterThan(c.sequence);
      });

      it('group-commits 500 concurrent appends: all stored, fewer commits than appends', async () => {
        const before = store.stats().commits;
        const inputs = Array.from({ length: 500 }, (_, i) => incoming(`P${i % 37}`));
        const results = await Promise.all(inputs.map((m) => store.messages.append(m)));
        const commits = store.stats().commits - before;
        expect(results).toHaveLength(500);
        expect(new Set(results.map((r) => r.id)).size).toBe(500);
        expect(new Set(results.map((r) => r.sequence)).size).toBe(500);
        expect(results.every((r) => !r.duplicate)).toBe(true);
        expect(commits).toBeGreaterThan(0);
        expect(commits).toBeLessThan(500);
        expect((await store.messages.countByState()).received).toBe(500);
        const ingests = await store.audit.list({ action: 'ingest', limit: 1_000 });
        expect(ingests).toHaveLength(500);
        for (const [i, r] of results.entries()) {
          const stored = await store.messages.get(r.id);
          expect(stored!.idempotencyKey).toBe(inputs[i]!.idempotencyKey);
        }
      });

      it('records a resend as its own duplicate row that is never claimed', async () => {
        const input = incoming('P1');
        const first = await store.messages.append(input);
        const again = await store.messages.append({ ...input, raw: new Uint8Array([1, 2, 3]) });
        expect(again.duplicate).toBe(true);
        expect(again.originalId).toBe(first.id);
        expect(again.id).not.toBe(first.id);
        const dup = await store.messages.get(again.id);
        expect(dup).toMatchObject({ state: 'duplicate', duplicateOf: first.id });
        expect(Array.from(dup!.raw)).toEqual([1, 2, 3]);
        const claimed = await store.messages.claim('w1', 10, LEASE);
        expect(claimed.map((m) => m.id)).toEqual([first.id]);
        await store.messages.settle(first.id, 'w1', { path: [], state: 'done' });
        expect(await store.messages.claim('w1', 10, LEASE)).toEqual([]);
        // A resend after the original finished is still a duplicate of it.
        const third = await store.messages.append(input);
        expect(third).toMatchObject({ duplicate: true, originalId: first.id });
        const audit = await store.audit.list({ entity: again.id });
        expect(audit).toHaveLength(1);
        expect(audit[0]).toMatchObject({
          action: 'ingest',
          detail: `duplicate of ${first.id}`,
          outcome: 'success',
        });
      });

      it('detects duplicates inside one batch', async () => {
        const input = incoming('P1');
        const results = await Promise.all([1, 2, 3].map(() => store.messages.append({ ...input })));
        const originals = results.filter((r) => !r.duplicate);
        expect(originals).toHaveLength(1);
        const original = originals[0]!;
        for (const r of results.filter((x) => x.duplicate)) expect(r.originalId).toBe(original.id);
        const counts = await store.messages.countByState();
        expect(counts.received).toBe(1);
        expect(counts.duplicate).toBe(2);
      });

      it('writes exactly one ingest audit entry per append, chained in commit order', async () => {
        const input = incoming('MRN7^^^CLINIC', { channel: 'webhook:ehr' });
        const r = await store.messages.append(input);
        const entries = await store.audit.list({ entity: r.id });
        expect(entries).toHaveLength(1);
        expect(entries[0]).toMatchObject({
          actor: 'system:webhook:ehr',
          action: 'ingest',
          category: 'message',
          entity: r.id,
          patient: 'MRN7^^^CLINIC',
          source: 'webhook:ehr',
          outcome: 'success',
        });
        expect(entries[0]!.detail).toBeUndefined();
        expect(entries[0]!.at.toISOString()).toBe(T0);
        const more = await Promise.all([1, 2, 3].map(() => store.messages.append(incoming('P'))));
        const seqs = await Promise.all(
          more.map(async (m) => (await store.audit.list({ entity: m.id }))[0]!.seq),
        );
        expect(seqs[1]).toBeGreaterThan(seqs[0]!);
        expect(seqs[2]).toBeGreaterThan(seqs[1]!);
        expect((await store.audit.verify()).ok).toBe(true);
      });

      it('records the initial event of each message', async () => {
        const r = await store.messages.append(incoming('P'));
        const events = await store.messages.events(r.id);
        expect(events).toHaveLength(1);
        expect(events[0]).toMatchObject({
          messageId: r.id,
          from: null,
          to: 'received',
          actor: 'system:mllp:test',
        });
        expect(events[0]!.at).toBeInstanceOf(Date);
      });

      it.runIf(options.reopen !== undefined)(
        'is durable once it resolves: another connection sees it',
        async () => {
          const other = await options.reopen!(clock);
          extra.push(other);
          const r = await store.messages.append(incoming('P'));
          const seen = await other.messages.get(r.id);
          expect(seen?.state).toBe('received');
          // And the other connection's writes join the same audit chain.
          await other.audit.record(auditEntry());
          await store.audit.record(auditEntry());
          expect(await store.audit.verify()).toMatchObject({ ok: true, checked: 3 });
        },
      );
    });

    describe('claim', () => {
      it('returns due messages oldest first, one per partition, only the oldest unfinished of each', async () => {
        const a1 = await store.messages.append(incoming('A'));
        const b1 = await store.messages.append(incoming('B'));
        const a2 = await store.messages.append(incoming('A'));
        const c1 = await store.messages.append(incoming('C'));
        const claimed = await store.messages.claim('w1', 10, LEASE);
        expect(claimed.map((m) => m.id)).toEqual([a1.id, b1.id, c1.id]);
        expect(claimed.every((m) => Array.from(m.raw).length > 0)).toBe(true);
        expect(await store.messages.claim('w2', 10, LEASE)).toEqual([]);
        await store.messages.settle(a1.id, 'w1', { path: ['normalized'], state: 'done' });
        const next = await store.messages.claim('w2', 10, LEASE);
        expect(next.map((m) => m.id)).toEqual([a2.id]);
      });

      it('respects the limit and hands out the rest later', async () => {
        const ids = [];
        for (let i = 0; i < 5; i += 1) ids.push((await store.messages.append(incoming(`P${i}`))).id);
        expect((await store.messages.claim('w1', 2, LEASE)).map((m) => m.id)).toEqual(ids.slice(0, 2));
        expect((await store.messages.claim('w2', 2, LEASE)).map((m) => m.id)).toEqual(ids.slice(2, 4));
        expect((await store.messages.claim('w3', 2, LEASE)).map((m) => m.id)).toEqual(ids.slice(4));
        expect(await store.messages.claim('w1', 0, LEASE)).toEqual([]);
      });

      it('holds later messages back while an earlier one is failed, releases them on finished states', async () => {
        const finished = ['awaiting-review', 'applied', 'done'] as const;
        for (const state of finished) {
          const p = `P-${state}`;
          const first = await store.messages.append(incoming(p));
          const second = await store.messages.append(incoming(p));
          await store.messages.claim('w', 10, LEASE);
          await store.messages.settle(first.id, 'w', {
            path: ['normalized', 'extracted', 'evaluated'],
            state,
          });
          const next = await store.messages.claim('w', 10, LEASE);
          expect(next.map((m) => m.id)).toEqual([second.id]);
          await store.messages.settle(second.id, 'w', { path: [], state: 'done' });
        }
        // failed (retryable) blocks until its retry; dead releases.
        const f1 = await store.messages.append(incoming('F'));
        const f2 = await store.messages.append(incoming('F'));
        await store.messages.claim('w', 10, LEASE);
        await store.messages.settle(f1.id, 'w', {
          path: [],
          state: 'failed',
          error: 'EHR timeout',
          retryable: true,
        });
        expect(await store.messages.claim('w', 10, LEASE)).toEqual([]);
        clock.advance(DEFAULT_RETRY_POLICY.baseDelayMs * 1.2 + 1);
        const retry = await store.messages.claim('w', 10, LEASE);
        expect(retry.map((m) => m.id)).toEqual([f1.id]);
        await store.messages.settle(f1.id, 'w', {
          path: [],
          state: 'failed',
          error: 'bad',
          retryable: false,
        });
        expect((await store.messages.get(f1.id))!.state).toBe('dead');
        expect((await store.messages.claim('w', 10, LEASE)).map((m) => m.id)).toEqual([f2.id]);
      });

      it('leases exclusively until the lease expires, then another worker may take over', async () => {
        const m = await store.messages.append(incoming('P'));
        const [first] = await store.messages.claim('w1', 1, 1_000);
        expect(first!.id).toBe(m.id);
        expect(await store.messages.claim('w2', 1, 1_000)).toEqual([]);
        clock.advance(999);
        expect(await store.messages.claim('w2', 1, 1_000)).toEqual([]);
        clock.advance(2);
        const [taken] = await store.messages.claim('w2', 1, 1_000);
        expect(taken!.id).toBe(m.id);
        await expectCode(store.messages.settle(m.id, 'w1', { path: [], state: 'done' }), ErrorCode.Conflict);
        await store.messages.settle(m.id, 'w2', { path: ['normalized'], state: 'done' });
        expect((await store.messages.get(m.id))!.state).toBe('done');
      });

      it('lets the owner settle after its lease expired when nobody else claimed', async () => {
        const m = await store.messages.append(incoming('P'));
        await store.messages.claim('w1', 1, 1_000);
        clock.advance(5_000);
        await store.messages.settle(m.id, 'w1', { path: [], state: 'done' });
        expect((await store.messages.get(m.id))!.state).toBe('done');
        expect(await store.messages.claim('w2', 1, 1_000)).toEqual([]);
      });

      it('never gives one message to two concurrent claimers', async () => {
        const inputs = Array.from({ length: 300 }, (_, i) => incoming(`P${i % 60}`));
        await appendAll(inputs);
        const workers = Array.from({ length: 12 }, (_, i) => `w${i}`);
        const batches = await Promise.all(workers.map((w) => store.messages.claim(w, 10, LEASE)));
        const ids = batches.flat().map((m) => m.id);
        expect(new Set(ids).size).toBe(ids.length);
        expect(ids.length).toBe(60);
        const partitions = batches.flat().map((m) => m.partitionKey);
        expect(new Set(partitions).size).toBe(60);
        // Each claimer sees its own messages oldest first.
        for (const batch of batches) {
          const seqs = batch.map((m) => m.sequence);
          expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
        }
      });

      it('keeps order and exclusivity with 20k pending messages over 2k partitions', async () => {
        const partitions = 2_000;
        const inputs = Array.from({ length: 20_000 }, (_, i) => incoming(`MRN${i % partitions}^^^H`));
        const appended = await appendAll(inputs);
        const firstRound = new Set(appended.slice(0, partitions).map((r) => r.id));
        // Measured on 2 cores with 100k pending over 2k partitions: a claim of 100 takes about 5 ms on a SQLite file
        // (including its fsync) and 11 ms on PostgreSQL; with every head leased it returns in 0.4 ms / 1.9 ms.
        const seen: StoredMessage[] = [];
        for (;;) {
          const batches = await Promise.all(
            ['a', 'b', 'c', 'd'].map((w) => store.messages.claim(w, 100, LEASE)),
          );
          for (const batch of batches) {
            const seqs = batch.map((m) => m.sequence);
            expect(seqs).toEqual([...seqs].sort((x, y) => x - y));
          }
          const flat = batches.flat();
          if (flat.length === 0) break;
          seen.push(...flat);
        }
        expect(seen).toHaveLength(partitions);
        expect(new Set(seen.map((m) => m.id)).size).toBe(partitions);
        expect(seen.every((m) => firstRound.has(m.id))).toBe(true);
        // Let the leases expire so one worker can take all of them over, settle them, and the second messages come next.
        clock.advance(LEASE + 1);
        const reclaimed: StoredMessage[] = [];
        for (;;) {
          const batch = await store.messages.claim('z', 500, LEASE);
          if (batch.length === 0) break;
          reclaimed.push(...batch);
        }
        expect(reclaimed.map((m) => m.id).sort()).toEqual(seen.map((m) => m.id).sort());
        await Promise.all(
          reclaimed.map((m) => store.messages.settle(m.id, 'z', { path: [], state: 'done' })),
        );
        const second = await store.messages.claim('z', 50, LEASE);
        expect(second.map((m) => m.id)).toEqual(appended.slice(partitions, partitions + 50).map((r) => r.id));
      });
    });

    describe('settle', () => {
      it('records one event per transition, updates the state and releases the lease', async () => {
        const m = await store.messages.append(incoming('P'));
        await store.messages.claim('w1', 1, LEASE);
        clock.advance(10);
        await store.messages.settle(m.id, 'w1', {
          path: ['normalized', 'extracted', 'evaluated'],
          state: 'awaiting-review',
          detail: 'task created',
        });
        const stored = await store.messages.get(m.id);
        expect(stored!.state).toBe('awaiting-review');
        expect(stored!.updatedAt.getTime()).toBe(new Date(T0).getTime() + 10);
        const events = await store.messages.events(m.id);
        expect(events.map((e) => [e.from, e.to, e.actor, e.detail])).toEqual([
          [null, 'received', 'system:mllp:test', null],
          ['received', 'normalized', 'w1', null],
          ['normalized', 'extracted', 'w1', null],
          ['extracted', 'evaluated', 'w1', null],
          ['evaluated', 'awaiting-review', 'w1', 'task created'],
        ]);
        // The lease is gone: settling again is refused.
        await expectCode(store.messages.settle(m.id, 'w1', { path: [], state: 'done' }), ErrorCode.Conflict);
      });

      it('refuses an illegal path and leaves the message untouched', async () => {
        const m = await store.messages.append(incoming('P'));
        await store.messages.claim('w1', 1, LEASE);
        await expectCode(
          store.messages.settle(m.id, 'w1', { path: ['evaluated'], state: 'done' }),
          ErrorCode.IllegalTransition,
        );
        await expectCode(
          store.messages.settle(m.id, 'w1', { path: ['normalized', 'received'], state: 'done' }),
          ErrorCode.IllegalTransition,
        );
        expect((await store.messages.get(m.id))!.state).toBe('received');
        expect(await store.messages.events(m.id)).toHaveLength(1);
        await store.messages.settle(m.id, 'w1', { path: ['normalized'], state: 'done' });
        expect((await store.messages.get(m.id))!.state).toBe('done');
      });

      it('refuses a worker without the lease and an unknown message', async () => {
        const m = await store.messages.append(incoming('P'));
        await expectCode(store.messages.settle(m.id, 'w1', { path: [], state: 'done' }), ErrorCode.Conflict);
        await store.messages.claim('w1', 1, LEASE);
        await expectCode(store.messages.settle(m.id, 'w2', { path: [], state: 'done' }), ErrorCode.Conflict);
        await expectCode(
          store.messages.settle('00000000-0000-4000-8000-000000000000', 'w1', { path: [], state: 'done' }),
          ErrorCode.NotFound,
          ErrorCode.Conflict,
        );
        expect((await store.messages.get(m.id))!.state).toBe('received');
      });

      it('reschedules retryable failures with jittered exponential backoff, capped, then goes dead', async () => {
        const retry: RetryPolicy = { maxAttempts: 4, baseDelayMs: 1_000, maxDelayMs: 3_000 };
        await openWith(retry);
        const m = await store.messages.append(incoming('P'));
        const expectedBase = [1_000, 2_000, 3_000];
        for (const [i, base] of expectedBase.entries()) {
          const [claimed] = await store.messages.claim('w', 1, LEASE);
          expect(claimed!.id).toBe(m.id);
          await store.messages.settle(m.id, 'w', {
            path: i === 0 ? ['normalized'] : ['received', 'normalized'],
            state: 'failed',
            error: `timeout ${i + 1}`,
            retryable: true,
          });
          const stored = await store.messages.get(m.id);
          expect(stored).toMatchObject({ state: 'failed', attempts: i + 1, lastError: `timeout ${i + 1}` });
          const delay = stored!.nextAttemptAt!.getTime() - clock.now().getTime();
          expect(delay).toBeGreaterThanOrEqual(base * 0.8);
          expect(delay).toBeLessThanOrEqual(base * 1.2);
          clock.advance(delay - 1);
          expect(await store.messages.claim('w', 1, LEASE)).toEqual([]);
          clock.advance(1);
        }
        await claimAndSettle('w', { path: [], state: 'failed', error: 'timeout 4', retryable: true });
        const dead = await store.messages.get(m.id);
        expect(dead).toMatchObject({ state: 'dead', attempts: 4, lastError: 'timeout 4' });
        const last = (await store.messages.events(m.id)).slice(-2);
        expect(last.map((e) => [e.from, e.to])).toEqual([
          ['failed', 'failed'],
          ['failed', 'dead'],
        ]);
        clock.advance(3_600_000);
        expect(await store.messages.claim('w', 1, LEASE)).toEqual([]);
      });

      it('sends a non-retryable failure straight to dead', async () => {
        const m = await store.messages.append(incoming('P'));
        await claimAndSettle('w', {
          path: ['normalized'],
          state: 'failed',
          error: 'unmappable PID',
          retryable: false,
        });
        expect(await store.messages.get(m.id)).toMatchObject({
          state: 'dead',
          attempts: 1,
          lastError: 'unmappable PID',
        });
        const events = await store.messages.events(m.id);
        expect(events.map((e) => e.to)).toEqual(['received', 'normalized', 'failed', 'dead']);
        expect(events[2]!.detail).toBe('unmappable PID');
      });

      it('group-commits concurrent settles', async () => {
        await appendAll(Array.from({ length: 200 }, (_, i) => incoming(`P${i}`)));
        const claimed = await store.messages.claim('w', 200, LEASE);
        expect(claimed).toHaveLength(200);
        const before = store.stats().commits;
        await Promise.all(
          claimed.map((m) => store.messages.settle(m.id, 'w', { path: ['normalized'], state: 'done' })),
        );
        expect(store.stats().commits - before).toBeLessThan(200);
        expect((await store.messages.countByState()).done).toBe(200);
      });

      it('rejects only the refused settle when it shares a batch with good ones', async () => {
        const a = await store.messages.append(incoming('A'));
        const b = await store.messages.append(incoming('B'));
        await store.messages.claim('w', 2, LEASE);
        const results = await Promise.allSettled([
          store.messages.settle(a.id, 'w', { path: ['applied'], state: 'done' }),
          store.messages.settle(b.id, 'w', { path: [], state: 'done' }),
        ]);
        expect(results[0].status).toBe('rejected');
        expect(results[1].status).toBe('fulfilled');
        expect((await store.messages.get(a.id))!.state).toBe('received');
        expect((await store.messages.get(b.id))!.state).toBe('done');
      });
    });

    describe('queries, replay and retention', () => {
      it('get returns undefined for an unknown id', async () => {
        expect(await store.messages.get('00000000-0000-4000-8000-000000000000')).toBeUndefined();
        expect(await store.messages.get('not-an-id')).toBeUndefined();
      });

      it('lists newest first with every filter and pages with beforeSequence', async () => {
        const a = await store.messages.append(incoming('P1', { channel: 'mllp:a' }));
        const b = await store.messages.append(
          incoming('P2', { channel: 'mllp:b', summary: { type: 'ORU^R01' }, format: 'hl7v2' }),
        );
        const c = await store.messages.append(
          incoming('P1', { channel: 'mllp:a', summary: { type: 'ORU^R01' } }),
        );
        const d = await store.messages.append(incoming('P3', { channel: 'webhook:x', format: 'fhir' }));
        await claimAndSettle('w', { path: [], state: 'done' });
        const ids = (ms: StoredMessage[]) => ms.map((m) => m.id);
        expect(ids(await store.messages.list({}))).toEqual([d.id, c.id, b.id, a.id]);
        expect(ids(await store.messages.list({ state: 'done' }))).toEqual([a.id]);
        expect(ids(await store.messages.list({ state: 'received' }))).toEqual([d.id, c.id, b.id]);
        expect(ids(await store.messages.list({ channel: 'mllp:a' }))).toEqual([c.id, a.id]);
        expect(ids(await store.messages.list({ partitionKey: 'P1' }))).toEqual([c.id, a.id]);
        expect(ids(await store.messages.list({ type: 'ORU^R01' }))).toEqual([c.id, b.id]);
        expect(ids(await store.messages.list({ type: 'ORU^R01', channel: 'mllp:b' }))).toEqual([b.id]);
        expect(ids(await store.messages.list({ limit: 2 }))).toEqual([d.id, c.id]);
        expect(ids(await store.messages.list({ beforeSequence: c.sequence, limit: 10 }))).toEqual([
          b.id,
          a.id,
        ]);
        expect(await store.messages.list({ channel: 'nope' })).toEqual([]);
        const [listed] = await store.messages.list({ limit: 1 });
        expect(listed!.receivedAt).toBeInstanceOf(Date);
        expect(listed!.raw).toBeInstanceOf(Uint8Array);
      });

      it('counts every state, zeros included', async () => {
        const empty = await store.messages.countByState();
        expect(Object.keys(empty).sort()).toEqual([...MESSAGE_STATES].sort());
        expect(Object.values(empty).every((n) => n === 0)).toBe(true);
        const input = incoming('P1');
        await store.messages.append(input);
        await store.messages.append(input);
        await store.messages.append(incoming('P2'));
        await claimAndSettle('w', { path: [], state: 'done' });
        const counts = await store.messages.countByState();
        expect(counts).toMatchObject({ received: 1, done: 1, duplicate: 1, failed: 0, dead: 0, applied: 0 });
        expect(Object.keys(counts)).toHaveLength(MESSAGE_STATES.length);
      });

      it('a message replayed while a later one of its partition is in work waits for that one', async () => {
        const first = await store.messages.append(incoming('MRN11^^^H'));
        await claimAndSettle('w1', { path: [], state: 'done' });
        const second = await store.messages.append(incoming('MRN11^^^H'));
        expect((await store.messages.claim('w1', 5, LEASE)).map((x) => x.id)).toEqual([second.id]);
        await store.messages.replay(first.id, 'user:eng', 'reprocess');
        // The partition is in work (second is leased): nothing of it may be claimed, the replayed message included.
        expect(await store.messages.claim('w2', 5, LEASE)).toEqual([]);
        await store.messages.settle(second.id, 'w1', { path: [], state: 'done' });
        expect((await store.messages.claim('w2', 5, LEASE)).map((x) => x.id)).toEqual([first.id]);
        await store.messages.settle(first.id, 'w2', { path: [], state: 'done' });
        // A lease that runs out without a settle (its worker died) lets the replayed message go first.
        await store.messages.replay(second.id, 'user:eng', 'again');
        expect((await store.messages.claim('w1', 5, LEASE)).map((x) => x.id)).toEqual([second.id]);
        await store.messages.replay(first.id, 'user:eng', 'again');
        expect(await store.messages.claim('w2', 5, LEASE)).toEqual([]);
        clock.advance(LEASE + 1);
        expect((await store.messages.claim('w2', 5, LEASE)).map((x) => x.id)).toEqual([first.id]);
      });

      it('replays finished and dead messages only, resetting attempts and auditing who and why', async () => {
        const m = await store.messages.append(incoming('MRN9^^^H'));
        await expectCode(store.messages.replay(m.id, 'user:eng', 'too early'), ErrorCode.IllegalTransition);
        await claimAndSettle('w', { path: [], state: 'failed', error: 'mapping bug', retryable: false });
        expect((await store.messages.get(m.id))!.state).toBe('dead');
        clock.advance(60_000);
        await store.messages.replay(m.id, 'user:eng', 'mapping fixed in 1.2.3');
        const replayed = await store.messages.get(m.id);
        expect(replayed).toMatchObject({
          state: 'received',
          attempts: 0,
          lastError: null,
          nextAttemptAt: null,
        });
        const last = (await store.messages.events(m.id)).at(-1)!;
        expect(last).toMatchObject({
          from: 'dead',
          to: 'received',
          actor: 'user:eng',
          detail: 'mapping fixed in 1.2.3',
        });
        const audit = await store.audit.list({ action: 'replay' });
        expect(audit).toHaveLength(1);
        expect(audit[0]).toMatchObject({
          actor: 'user:eng',
          action: 'replay',
          category: 'message',
          entity: m.id,
          patient: 'MRN9^^^H',
          outcome: 'success',
          detail: 'mapping fixed in 1.2.3',
        });
        expect((await store.messages.claim('w', 5, LEASE)).map((x) => x.id)).toEqual([m.id]);
        await store.messages.settle(m.id, 'w', { path: ['normalized'], state: 'done' });
        await store.messages.replay(m.id, 'user:eng', 'again');
        expect((await store.messages.get(m.id))!.state).toBe('received');
        // A replayed older message goes back in front of its partition.
        const later = await store.messages.append(incoming('MRN9^^^H'));
        expect((await store.messages.claim('w', 5, LEASE)).map((x) => x.id)).toEqual([m.id]);
        expect(later.sequence).toBeGreaterThan(m.sequence);
        const dup = await store.messages.append({
          ...incoming('X'),
          idempotencyKey: (await store.messages.get(m.id))!.idempotencyKey,
        });
        await expectCode(store.messages.replay(dup.id, 'user:eng', 'no'), ErrorCode.IllegalTransition);
        await expectCode(
          store.messages.replay('00000000-0000-4000-8000-000000000000', 'user:eng', 'no'),
          ErrorCode.NotFound,
        );
        expect((await store.audit.verify()).ok).toBe(true);
      });

      it('prunes finished messages received before the cut-off, with their events', async () => {
        const input = incoming('A');
        const done = await store.messages.append(input);
        const dup = await store.messages.append(input);
        const dead = await store.messages.append(incoming('B'));
        const review = await store.messages.append(incoming('D'));
        expect(await store.messages.claim('w', 10, LEASE)).toHaveLength(3);
        await store.messages.settle(done.id, 'w', { path: [], state: 'done' });
        await store.messages.settle(dead.id, 'w', {
          path: [],
          state: 'failed',
          error: 'x',
          retryable: false,
        });
        await store.messages.settle(review.id, 'w', {
          path: ['normalized', 'evaluated'],
          state: 'awaiting-review',
        });
        const pending = await store.messages.append(incoming('C'));
        clock.advance(86_400_000);
        const recent = await store.messages.append(incoming('E'));
        const claimed = await store.messages.claim('w', 10, LEASE);
        expect(claimed.map((m) => m.id)).toEqual([pending.id, recent.id]);
        await store.messages.settle(recent.id, 'w', { path: [], state: 'done' });
        const cutoff = new Date(clock.now().getTime() - 1_000);
        expect(await store.messages.prune(cutoff)).toBe(3);
        const remaining = (await store.messages.list({ limit: 100 })).map((m) => m.id);
        expect(remaining).toEqual([recent.id, pending.id, review.id]);
        expect(await store.messages.get(done.id)).toBeUndefined();
        expect(await store.messages.get(dup.id)).toBeUndefined();
        expect(await store.messages.events(done.id)).toEqual([]);
        expect(await store.messages.events(dead.id)).toEqual([]);
        expect(await store.messages.events(review.id)).not.toEqual([]);
        expect(await store.messages.prune(cutoff)).toBe(0);
        // The audit trail outlives the messages it describes.
        expect(await store.audit.list({ entity: done.id })).toHaveLength(1);
        expect((await store.audit.verify()).ok).toBe(true);
      });
    });

    describe('tasks', () => {
      const task = (key: string, overrides: Partial<NewTask> = {}): NewTask => ({
        key,
        type: 'discharge-reconciliation',
        priority: 'high',
        patient: { display: 'J. D.', sourceIdentifier: 'MRN1^^^H' },
        payload: {
          items: [{ kind: 'missing', code: '197361', evidence: { text: 'amlodipine 5 mg', at: [3, 18] } }],
          n: 1.5,
        },
        ...overrides,
      });

      it('creates idempotently on key and round-trips the payload', async () => {
        const dueAt = new Date('2026-03-08T08:00:00.000Z');
        const first = await store.tasks.create(
          task('k1', { site: 'store-12', sourceMessageId: 'm-1', dueAt }),
        );
        expect(first.created).toBe(true);
        expect(first.task).toMatchObject({
          key: 'k1',
          status: 'open',
          site: 'store-12',
          sourceMessageId: 'm-1',
        });
        expect(first.task.dueAt).toEqual(dueAt);
        expect(first.task.createdAt).toBeInstanceOf(Date);
        const again = await store.tasks.create(task('k1', { type: 'other', payload: { different: true } }));
        expect(again.created).toBe(false);
        expect(again.task).toEqual(first.task);
        const got = await store.tasks.get(first.task.id);
        expect(got).toEqual(first.task);
        expect(got!.payload).toEqual(task('k1').payload);
        expect(got!.patient).toEqual({ display: 'J. D.', sourceIdentifier: 'MRN1^^^H' });
        const bare = (await store.tasks.create(task('k2'))).task;
        expect(bare).toMatchObject({ site: null, sourceMessageId: null, dueAt: null });
        expect(await store.tasks.get('00000000-0000-4000-8000-000000000000')).toBeUndefined();
        const concurrent = await Promise.all([1, 2, 3].map(() => store.tasks.create(task('k3'))));
        expect(concurrent.filter((r) => r.created)).toHaveLength(1);
        expect(new Set(concurrent.map((r) => r.task.id)).size).toBe(1);
      });

      it('lists newest first with filters and counts', async () => {
        const t1 = (await store.tasks.create(task('a', { priority: 'low', sourceMessageId: 'm1' }))).task;
        clock.advance(1);
        const t2 = (await store.tasks.create(task('b', { type: 'follow-up' }))).task;
        clock.advance(1);
        const t3 = (await store.tasks.create(task('c', { sourceMessageId: 'm1' }))).task;
        const ids = (ts: { id: string }[]) => ts.map((t) => t.id);
        expect(ids(await store.tasks.list({}))).toEqual([t3.id, t2.id, t1.id]);
        expect(ids(await store.tasks.list({ type: 'follow-up' }))).toEqual([t2.id]);
        expect(ids(await store.tasks.list({ priority: 'high' }))).toEqual([t3.id, t2.id]);
        expect(ids(await store.tasks.list({ sourceMessageId: 'm1' }))).toEqual([t3.id, t1.id]);
        expect(ids(await store.tasks.list({ status: 'open', limit: 1 }))).toEqual([t3.id]);
        expect(await store.tasks.list({ status: 'approved' })).toEqual([]);
        expect(await store.tasks.count({})).toBe(3);
        expect(await store.tasks.count({ priority: 'high' })).toBe(2);
        expect(await store.tasks.count({ status: 'rejected' })).toBe(0);
      });
    });

    describe('audit log', () => {
      it('records a hash chain and verifies it', async () => {
        const r1 = await store.audit.record(
          auditEntry({ patient: 'P1', entity: 'task-1', detail: 'opened' }),
        );
        clock.advance(1_500);
        const r2 = await store.audit.record(auditEntry({ actor: 'user:bob', action: 'update' }));
        expect(r1.seq).toBe(1);
        expect(r2.seq).toBe(2);
        expect(r1.prevHash).toBe(GENESIS_HASH);
        expect(r2.prevHash).toBe(r1.hash);
        expect(r1.at.toISOString()).toBe(T0);
        const { seq: _s, at: _a, prevHash: _p, hash: _h, ...entry1 } = r1;
        expect(r1.hash).toBe(auditHash(GENESIS_HASH, 1, r1.at, entry1));
        const listed = await store.audit.list({});
        expect(listed).toEqual([r2, r1]);
        expect(await store.audit.verify()).toEqual({ ok: true, checked: 2 });
      });

      it('keeps one consistent chain under concurrent records and appends', async () => {
        const records = Promise.all(
          Array.from({ length: 200 }, (_, i) => store.audit.record(auditEntry({ detail: `r${i}` }))),
        );
        const appends = Promise.all(
          Array.from({ length: 100 }, (_, i) => store.messages.append(incoming(`P${i}`))),
        );
        const [recorded] = await Promise.all([records, appends]);
        const all = await store.audit.list({ limit: 1_000 });
        expect(all).toHaveLength(300);
        const seqs = all.map((r) => r.seq).reverse();
        expect(seqs).toEqual(Array.from({ length: 300 }, (_, i) => i + 1));
        for (const r of recorded) expect(all.find((x) => x.seq === r.seq)).toEqual(r);
        expect(await store.audit.verify()).toEqual({ ok: true, checked: 300 });
      });

      it('lists newest first with filters', async () => {
        const a = await store.audit.record(auditEntry({ patient: 'P1', entity: 'e1' }));
        clock.advance(1_000);
        const b = await store.audit.record(
          auditEntry({ patient: 'P2', actor: 'user:bob', action: 'update' }),
        );
        clock.advance(1_000);
        const c = await store.audit.record(
          auditEntry({ patient: 'P1', action: 'export', outcome: 'denied' }),
        );
        const seqs = (rs: AuditRecord[]) => rs.map((r) => r.seq);
        expect(seqs(await store.audit.list({}))).toEqual([c.seq, b.seq, a.seq]);
        expect(seqs(await store.audit.list({ patient: 'P1' }))).toEqual([c.seq, a.seq]);
        expect(seqs(await store.audit.list({ actor: 'user:bob' }))).toEqual([b.seq]);
        expect(seqs(await store.audit.list({ action: 'export' }))).toEqual([c.seq]);
        expect(seqs(await store.audit.list({ entity: 'e1' }))).toEqual([a.seq]);
        expect(seqs(await store.audit.list({ since: b.at }))).toEqual([c.seq, b.seq]);
        expect(seqs(await store.audit.list({ limit: 1 }))).toEqual([c.seq]);
        expect((await store.audit.list({ entity: 'e1' }))[0]).toEqual(a);
        expect((await store.audit.list({ action: 'export' }))[0]!.outcome).toBe('denied');
      });

      describe('detects tampering', () => {
        beforeEach(async () => {
          for (let i = 1; i <= 6; i += 1) {
            await store.audit.record(auditEntry({ detail: `entry ${i}`, patient: `P${i}` }));
            clock.advance(1_000);
          }
          expect(await store.audit.verify()).toEqual({ ok: true, checked: 6 });
          if (options.disableAuditGuard) await store.execRaw(options.disableAuditGuard);
        });

        it.runIf(options.disableAuditGuard !== undefined)('the table refuses UPDATE and DELETE', async () => {
          // A fresh store still has the guard (the beforeEach lifted it on this one).
          const guarded = await open(clock);
          extra.push(guarded);
          await guarded.audit.record(auditEntry());
          await expect(guarded.execRaw(`UPDATE audit_log SET detail = 'x' WHERE seq = 1`)).rejects.toThrow();
          await expect(guarded.execRaw('DELETE FROM audit_log WHERE seq = 1')).rejects.toThrow();
          expect(await guarded.audit.verify()).toEqual({ ok: true, checked: 1 });
        });

        it('an edited field', async () => {
          await store.execRaw(`UPDATE audit_log SET actor = 'user:mallory' WHERE seq = 3`);
          expect(await store.audit.verify()).toMatchObject({ ok: false, firstBadSeq: 3 });
        });

        it('a deleted middle row', async () => {
          await store.execRaw('DELETE FROM audit_log WHERE seq = 4');
          expect(await store.audit.verify()).toMatchObject({ ok: false, firstBadSeq: 4 });
        });

        it('a forged row added at the end', async () => {
          await store.execRaw(
            `INSERT INTO audit_log (seq, at, actor, action, category, patient, source, outcome, entity, detail, prev_hash, hash)
             SELECT seq + 1, at, 'user:mallory', action, category, patient, source, outcome, entity, detail, hash, hash
             FROM audit_log WHERE seq = 6`,
          );
          expect(await store.audit.verify()).toMatchObject({ ok: false, firstBadSeq: 7 });
        });

        it('a deleted last row', async () => {
          await store.execRaw('DELETE FROM audit_log WHERE seq = 6');
          expect(await store.audit.verify()).toMatchObject({ ok: false, firstBadSeq: 6 });
        });

        it('two rows swapped', async () => {
          await store.execRaw('UPDATE audit_log SET seq = -2 WHERE seq = 2');
          await store.execRaw('UPDATE audit_log SET seq = 2 WHERE seq = 3');
          await store.execRaw('UPDATE audit_log SET seq = 3 WHERE seq = -2');
          expect(await store.audit.verify()).toMatchObject({ ok: false, firstBadSeq: 2 });
        });
      });
    });

    describe('lifecycle', () => {
      it('pings, and refuses every operation after close with StoreUnavailable', async () => {
        await store.ping();
        const m = await store.messages.append(incoming('P'));
        await store.close();
        const unavailable = [
          store.ping(),
          store.messages.append(incoming('P')),
          store.messages.claim('w', 1, LEASE),
          store.messages.settle(m.id, 'w', { path: [], state: 'done' }),
          store.messages.get(m.id),
          store.messages.list({}),
          store.messages.events(m.id),
          store.messages.replay(m.id, 'user:x', 'y'),
          store.messages.countByState(),
          store.messages.prune(new Date()),
          store.tasks.create({
            key: 'k',
            type: 't',
            priority: 'low',
            patient: { display: 'x' },
            payload: {},
          }),
          store.tasks.get('x'),
          store.tasks.list({}),
          store.tasks.count({}),
          store.audit.record(auditEntry()),
          store.audit.list({}),
          store.audit.verify(),
        ];
        for (const p of unavailable) await expectCode(p, ErrorCode.StoreUnavailable);
        await store.close(); // closing twice is harmless
      });

      it('commits writes already queued when close is called', async () => {
        const pending = store.messages.append(incoming('P'));
        await store.close();
        const r = await pending;
        expect(r.duplicate).toBe(false);
        if (options.reopen) {
          const other = await options.reopen(clock);
          extra.push(other);
          expect((await other.messages.get(r.id))?.state).toBe('received');
        }
      });
    });
  });
}
