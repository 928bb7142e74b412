// S/MIME for Direct messages through the system's OpenSSL (`openssl cms`): Node's crypto has no CMS. Decrypts with
// the configured certificate and key; verifies signatures against the configured trust anchors only.
import type { Buffer } from 'node:buffer';
import { execFileSync } from 'node:child_process';

export interface SmimeKeys {
  /** PEM certificate whose key the message was encrypted to. */
  certificatePath?: string;
  /** PEM private key for that certificate. */
  privateKeyPath?: string;
  /** PEM bundle of trust anchors; a signature must chain to one of them. */
  trustAnchorsPath?: string;
  /** The openssl executable (default `openssl` on the PATH). */
  openssl?: string;
}

export class SmimeError extends Error {}

function run(keys: SmimeKeys, args: string[], input: Buffer): Buffer {
  try {
    return execFileSync(keys.openssl ?? 'openssl', args, {
      input,
      maxBuffer: 256 * 1024 * 1024,
      stdio: ['pipe', 'pipe', 'pipe'],
      timeout: 30_000,
    });
  } catch (error) {
    const stderr = (error as { stderr?: Buffer }).stderr?.toString('utf8') ?? '';
    // OpenSSL's first reason line (no message content is ever in it).
    const reason =
      stderr.split('\n').find((l) => /error|failure|fail/i.test(l)) ?? stderr.split('\n')[0] ?? '';
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new SmimeError('openssl is not installed');
    throw new SmimeError(reason.trim().slice(0, 200) || 'openssl failed');
  }
}

/** Decrypts an enveloped (application/pkcs7-mime) entity, headers included; returns the inner MIME entity. */
export function decryptSmime(entity: Buffer, keys: SmimeKeys): Buffer {
  if (!keys.certificatePath || !keys.privateKeyPath)
    throw new SmimeError('message is encrypted but no decryption certificate and key are configured');
  return run(
    keys,
    ['cms', '-decrypt', '-inform', 'SMIME', '-recip', keys.certificatePath, '-inkey', keys.privateKeyPath],
    entity,
  );
}

/** Verifies a signed entity (multipart/signed or opaque signed-data) and returns the signed content. */
export function verifySmime(entity: Buffer, keys: SmimeKeys): Buffer {
  if (!keys.trustAnchorsPath)
    throw new SmimeError('message is signed but no trust anchors are configured to verify it');
  return run(keys, ['cms', '-verify', '-inform', 'SMIME', '-CAfile', keys.trustAnchorsPath], entity);
}
