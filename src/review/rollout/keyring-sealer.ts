// Rollout rows encrypted at rest with the engine's keyring (AES-256-GCM envelopes, the row key as associated data).
import type { Keyring } from '../../governance/crypto/keyring.ts';
import type { BodySealer } from './rollout-rows.ts';

export function keyringSealer(keyring: Keyring): BodySealer {
  return {
    seal: (text, aad) => keyring.encryptText(text, aad),
    // Rows written before a key was configured are read as they are.
    open: (text, aad) => (keyring.isEncrypted(text) ? keyring.decryptText(text, aad) : text),
  };
}
