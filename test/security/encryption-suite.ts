// S7 figures (used by encryption.test.ts and run.ts): tampered envelopes, and key rotation under load.
import { randomBytes } from 'node:crypto';
import { encryptedStore } from '../../src/governance/crypto/encrypted-store.ts';
import { createKeyring, DecryptionError, ephemeralKeyring } from '../../src/governance/crypto/keyring.ts';
import { openSqliteStore } from '../../src/platform/store/sqlite/sqlite-store.ts';

export interface TamperFigures {
  trials: number;
  detected: number;
}

/** Flips one random bit anywhere in an envelope, `trials` times; every flip must throw DecryptionError. */
export function cipherTamperTrials(trials: number): TamperFigures {
  const keyring = ephemeralKeyring();
  let detected = 0;
  for (let i = 0; i < trials; i++) {
    const plain = randomBytes(1 + (i % 300));
    const blob = Buffer.from(keyring.encrypt(plain, 'aad'));
    const bit = Math.floor(Math.random() * blob.length * 8);
    blob[bit >> 3] = (blob[bit >> 3] as number) ^ (1 << (bit & 7));
    try {
      keyring.decrypt(blob, 'aad');
    } catch (error) {
      if (error instanceof DecryptionError) detected += 1;
    }
  }
  return { trials, detected };
}

/** Writes and reads messages while keys rotate and old values are re-wrapped; counts failures. */
export async function rotationUnderLoad(
  messages: number,
): Promise<{ ops: number; failures: number; versions: number[] }> {
  const keyring = createKeyring(new Map([[1, randomBytes(32)]]));
  const store = encryptedStore(await openSqliteStore({ path: ':memory:' }), keyring);
  let failures = 0;
  let ops = 0;
  const ids: string[] = [];
  const writer = (async () => {
    for (let i = 0; i < messages; i++) {
      try {
        const r = await store.messages.append({
          channel: 'mllp:test',
          format: 'hl7v2',
          idempotencyKey: `k-${i}`,
          partitionKey: `MRN${i % 50}^^^HOSP`,
          raw: Buffer.from(`MSH|^~\\&|A|B|C|D|20260101||ADT^A01|${i}|P|2.5.1\rPID|||MRN${i % 50}`),
        });
        ids.push(r.id);
        ops += 1;
      } catch {
        failures += 1;
      }
    }
  })();
  const reader = (async () => {
    for (let i = 0; i < messages; i++) {
      const id = ids[Math.floor(Math.random() * ids.length)];
      if (id === undefined) {
        await new Promise((r) => setImmediate(r));
        continue;
      }
      try {
        const m = await store.messages.get(id);
        if (!m || !Buffer.from(m.raw).toString().startsWith('MSH|')) failures += 1;
        ops += 1;
      } catch {
        failures += 1;
      }
    }
  })();
  const rotator = (async () => {
    for (let v = 2; v <= 4; v++) {
      await new Promise((r) => setTimeout(r, 5));
      keyring.addKey(randomBytes(32));
    }
  })();
  await Promise.all([writer, reader, rotator]);
  // Every stored value still opens; re-wrapping an old envelope moves it to the newest key without the payload.
  for (const id of ids) {
    const m = await store.messages.get(id);
    if (!m) failures += 1;
  }
  const old = createKeyring(new Map([[1, randomBytes(32)]]));
  const blob = old.encrypt(Buffer.from('x'));
  old.addKey(randomBytes(32));
  if (
    old.versionOf(old.rewrap(blob)) !== 2 ||
    Buffer.from(old.decrypt(old.rewrap(blob))).toString() !== 'x'
  ) {
    failures += 1;
  }
  await store.close();
  return { ops, failures, versions: [...keyring.versions] };
}
