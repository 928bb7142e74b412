// Signed checkpoints over the audit hash chain, and the full verification behind `rxbridge audit verify`.
// A checkpoint signs (seq, hash, time) of the newest entry with an Ed25519 key derived from the master key: rows
// removed or rewritten up to a checkpoint are caught even by someone who can also rewrite the chain head.
import type { Keyring } from '../crypto/keyring.ts';
import type { CheckpointRecord, GovernanceStore } from '../governance-store.ts';
import type { AuditLog, AuditVerifyResult } from './audit-log.ts';

export const CHECKPOINT_PURPOSE = 'audit-checkpoint';

function signedText(c: Pick<CheckpointRecord, 'seq' | 'hash' | 'at'>): string {
  return `rxbridge-audit-checkpoint\n${c.seq}\n${c.hash}\n${c.at}`;
}

/** Signs the newest entry unless it is already signed; returns the checkpoint written, if any. */
export async function writeCheckpoint(
  audit: AuditLog,
  store: Pick<GovernanceStore, 'checkpoints'>,
  keyring: Keyring,
): Promise<CheckpointRecord | undefined> {
  const [newest] = await audit.list({ limit: 1 });
  if (!newest) return undefined;
  const existing = await store.checkpoints.list();
  const last = existing[existing.length - 1];
  if (last && last.seq >= newest.seq) return undefined;
  const signer = keyring.signer(CHECKPOINT_PURPOSE);
  const base = { seq: newest.seq, hash: newest.hash, at: newest.at.toISOString() };
  const checkpoint: CheckpointRecord = {
    ...base,
    keyVersion: signer.keyVersion,
    signature: signer.sign(signedText(base)),
  };
  await store.checkpoints.add(checkpoint);
  return checkpoint;
}

export interface TrailVerifyResult extends AuditVerifyResult {
  checkpoints: number;
}

/**
 * The chain from the first entry (links, hashes, sequence, head), then every checkpoint: its signature, and that
 * the entry it names is still there with the same hash.
 */
export async function verifyAuditTrail(
  audit: AuditLog,
  store: Pick<GovernanceStore, 'checkpoints'>,
  keyring: Keyring,
): Promise<TrailVerifyResult> {
  const chain = await audit.verify();
  const checkpoints = await store.checkpoints.list();
  if (!chain.ok) return { ...chain, checkpoints: checkpoints.length };
  for (const c of checkpoints) {
    if (!keyring.verifySignature(CHECKPOINT_PURPOSE, c.keyVersion, signedText(c), c.signature)) {
      return {
        ok: false,
        checked: chain.checked,
        firstBadSeq: c.seq,
        problem: 'checkpoint signature invalid',
        checkpoints: checkpoints.length,
      };
    }
    const [entry] = await audit.list({ seq: c.seq, limit: 1 });
    if (!entry) {
      return {
        ok: false,
        checked: chain.checked,
        firstBadSeq: c.seq,
        problem: 'a signed checkpoint names an entry that is gone (truncated)',
        checkpoints: checkpoints.length,
      };
    }
    if (entry.hash !== c.hash) {
      return {
        ok: false,
        checked: chain.checked,
        firstBadSeq: c.seq,
        problem: 'entry differs from its signed checkpoint (chain rewritten)',
        checkpoints: checkpoints.length,
      };
    }
  }
  return { ...chain, checkpoints: checkpoints.length };
}

/** Writes a checkpoint every `intervalMs` while there are new entries; stop() writes a last one. */
export function startCheckpointer(options: {
  audit: AuditLog;
  store: Pick<GovernanceStore, 'checkpoints'>;
  keyring: Keyring;
  intervalMs: number;
  onError: (error: unknown) => void;
}): { stop(): Promise<void> } {
  let running: Promise<unknown> = Promise.resolve();
  const tick = (): void => {
    running = running
      .then(() => writeCheckpoint(options.audit, options.store, options.keyring))
      .catch(options.onError);
  };
  const timer = setInterval(tick, options.intervalMs);
  timer.unref();
  return {
    stop: async () => {
      clearInterval(timer);
      tick();
      await running;
    },
  };
}
