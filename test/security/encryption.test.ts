// S7: AES-256-GCM envelope encryption with versioned keys; tampered ciphertext is an error, never garbage; key
// rotation (new version + re-wrapping) while writes and reads go on has 0 failures; the whole Store contract holds
// through the encrypting wrapper, and the database file holds no plaintext of what was stored.
import { randomBytes } from 'node:crypto';
import { appendFileSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { encryptedStore } from '../../src/governance/crypto/encrypted-store.ts';
import {
  DecryptionError,
  ephemeralKeyring,
  loadKeyring,
  parseKeySpec,
  refreshKeyring,
} from '../../src/governance/crypto/keyring.ts';
import { ManualClock } from '../../src/kernel/clock.ts';
import { describeStore } from '../../src/platform/store/store.contract.ts';
import { cipherTamperTrials, rotationUnderLoad } from './encryption-suite.ts';

import { openSqliteStore } from '../../src/platform/store/sqlite/sqlite-store.ts';

const dir = mkdtempSync(join(tmpdir(), 'rxb-enc-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('envelope encryption', () => {
  it('round-trips, uses a fresh data key and IV per value, and binds the associated data', () => {
    const keyring = ephemeralKeyring();
    const a = keyring.encrypt(Buffer.from('PID|||12345'), 'x');
    const b = keyring.encrypt(Buffer.from('PID|||12345'), 'x');
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(false);
    expect(Buffer.from(keyring.decrypt(a, 'x')).toString()).toBe('PID|||12345');
    expect(() => keyring.decrypt(a, 'y')).toThrow(DecryptionError);
    expect(keyring.decryptText(keyring.encryptText('Jane Doe', 't'), 't')).toBe('Jane Doe');
    const d1 = keyring.encryptDeterministic('MRN1^^^H', 'p');
    expect(keyring.encryptDeterministic('MRN1^^^H', 'p')).toBe(d1);
    expect(keyring.encryptDeterministic('MRN2^^^H', 'p')).not.toBe(d1);
    expect(keyring.decryptDeterministic(d1, 'p')).toBe('MRN1^^^H');
  });

  it('an encrypted value owns exactly its bytes, not a slice of a shared buffer', () => {
    // A view into Node's 64 KB allocation pool would be cloned whole on its way to the SQLite writer thread.
    const keyring = ephemeralKeyring();
    for (let i = 0; i < 20; i++) {
      const value = keyring.encrypt(Buffer.from(`MSH|^~\\&|${i}`.repeat(50)), 'x');
      expect([value.byteOffset, value.buffer.byteLength]).toEqual([0, value.byteLength]);
    }
  });

  it('any single flipped bit is an error, never garbage (2,000 trials)', () => {
    const r = cipherTamperTrials(2_000);
    console.log(`S7 tampered ciphertext detected: ${r.detected}/${r.trials}`);
    expect(r.detected).toBe(r.trials);
  });

  it('rotates keys while writing and reading: 0 failures', async () => {
    const r = await rotationUnderLoad(1_500);
    console.log(
      `S7 key rotation under load: ${r.ops} operations, ${r.failures} failures, key versions ${r.versions.join(',')}`,
    );
    expect(r.failures).toBe(0);
    expect(r.versions).toEqual([1, 2, 3, 4]);
  });

  it('loads keys from RXBRIDGE_KEYS or a key file (created 0600 once), never from config', () => {
    const spec = `v1:${randomBytes(32).toString('base64')},v2:${randomBytes(32).toString('base64')}`;
    expect(loadKeyring({ env: { RXBRIDGE_KEYS: spec } }).keyring.activeVersion).toBe(2);
    expect(() => parseKeySpec('v1:short', 'test')).toThrow(/32/);
    const file = join(dir, 'keys', 'rxbridge.keys');
    const first = loadKeyring({ env: {}, defaultKeyFile: file });
    expect(first.created).toBe(true);
    const again = loadKeyring({ env: {}, defaultKeyFile: file });
    expect(again.created).toBe(false);
    expect(Buffer.from(again.keyring.decrypt(first.keyring.encrypt(Buffer.from('ok')))).toString()).toBe(
      'ok',
    );
    expect(() => loadKeyring({ env: { RXBRIDGE_KEY_FILE: join(dir, 'missing') } })).toThrow(/does not exist/);
    // Online rotation: a version appended to the file is picked up and used for new values.
    const old = first.keyring.encrypt(Buffer.from('before'));
    appendFileSync(file, `v2:${randomBytes(32).toString('base64')}\n`);
    expect(refreshKeyring(first.keyring, file)).toEqual([2]);
    expect(refreshKeyring(first.keyring, file)).toEqual([]);
    expect(first.keyring.versionOf(first.keyring.encrypt(Buffer.from('after')))).toBe(2);
    expect(Buffer.from(first.keyring.decrypt(old)).toString()).toBe('before');
  });
});

// The contract's audit hash check recomputes the hash from the returned (plaintext) fields; with audit encryption
// the chain covers the stored ciphertext instead, so audit encryption is checked separately below.
const keyringForContract = ephemeralKeyring();
describeStore(
  'encrypted sqlite (Store contract through the encrypting wrapper)',
  (clock, options) =>
    openSqliteStore({ path: ':memory:', clock, ...options }).then((s) =>
      encryptedStore(s, keyringForContract, { audit: false }),
    ),
  { disableAuditGuard: 'DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete;' },
);

describe('what reaches the database file', () => {
  /** An encrypted SQLite store in its own folder, and a check that none of `canaries` is in any of its files. */
  async function sealedStore(name: string) {
    const folder = join(dir, name);
    const store = encryptedStore(
      await openSqliteStore({ path: join(folder, 'store.db'), clock: new ManualClock() }),
      ephemeralKeyring(),
    );
    const expectNoPlaintext = (canaries: readonly string[]): void => {
      for (const bytes of readdirSync(folder).map((f) => readFileSync(join(folder, f)))) {
        for (const canary of canaries) expect(bytes.includes(canary), canary).toBe(false);
      }
    };
    return { store, expectNoPlaintext };
  }

  it('holds no plaintext of raw bodies, patient names, identifiers, payloads or audit details', async () => {
    const { store, expectNoPlaintext } = await sealedStore('plain-check');
    const mrn = 'CANARYMRN7731';
    await store.messages.append({
      channel: 'mllp:t',
      format: 'hl7v2',
      idempotencyKey: 'k1',
      partitionKey: `${mrn}^^^GENHOSP`,
      raw: Buffer.from(
        `MSH|^~\\&|A|B|C|D|20260101||ADT^A03|1|P|2.5.1\rPID|||${mrn}||Zyxwvutsonian^Quillonia`,
      ),
    });
    await store.tasks.create({
      key: 't1',
      type: 'discharge-reconciliation',
      priority: 'high',
      patient: { display: 'Quillonia Zyxwvutsonian', sourceIdentifier: `${mrn}^^^GENHOSP` },
      payload: { summary: 'Quillonia takes metformin' },
    });
    await store.audit.record({
      actor: 'user:x',
      action: 'read',
      category: 'task',
      patient: `${mrn}^^^GENHOSP`,
      source: 'test',
      outcome: 'success',
      detail: 'Quillonia asked',
    });
    const [task] = await store.tasks.list({});
    expect(task?.patient.display).toBe('Quillonia Zyxwvutsonian');
    expect((await store.messages.list({ partitionKey: `${mrn}^^^GENHOSP` })).length).toBe(1);
    expect((await store.audit.list({ patient: `${mrn}^^^GENHOSP` }))[0]?.detail).toBe('Quillonia asked');
    expect(await store.audit.verify()).toMatchObject({ ok: true, checked: 2 });
    await store.close();
    expectNoPlaintext([mrn, 'Zyxwvutsonian', 'Quillonia']);
  });

  it('encrypts values that only look encrypted: a sender-chosen "rxd1:" identifier is stored and read back', async () => {
    const { store, expectNoPlaintext } = await sealedStore('lookalike');
    const mrn = 'rxd1:LOOKALIKE0042';
    const patient = `${mrn}^^^GENHOSP`;
    await store.messages.append({
      channel: 'mllp:t',
      format: 'hl7v2',
      idempotencyKey: 'k1',
      partitionKey: patient,
      raw: Buffer.from(`MSH|^~\\&|A|B|C|D|20260101||ADT^A03|1|P|2.5.1\rPID|||${mrn}`),
    });
    await store.tasks.create({
      key: 't1',
      type: 'discharge-reconciliation',
      priority: 'high',
      patient: { display: 'rxe1:Lookalike Name', sourceIdentifier: patient },
      payload: {},
    });
    const claimed = await store.messages.claim('w1', 10, 60_000);
    expect(claimed.map((m) => m.partitionKey)).toEqual([patient]);
    expect((await store.messages.list({ partitionKey: patient })).length).toBe(1);
    expect((await store.audit.list({ patient })).length).toBe(1);
    expect((await store.tasks.list({}))[0]?.patient).toMatchObject({
      display: 'rxe1:Lookalike Name',
      sourceIdentifier: patient,
    });
    await store.close();
    expectNoPlaintext(['LOOKALIKE0042', 'Lookalike Name']);
  });
});
