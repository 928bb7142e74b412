// Text encrypted at rest with the installation's keyring (AES-256-GCM envelopes, a row's key as associated data):
// one sealer for every store that keeps patient data as text (rollout rows, the EHR resource store).
import type { Keyring } from './keyring.ts';

export interface TextSealer {
  seal(text: string, aad: string): string;
  open(text: string, aad: string): string;
}

export function keyringSealer(keyring: Keyring): TextSealer {
  return {
    seal: (text, aad) => keyring.encryptText(text, aad),
    // Rows written before a key was configured are read as they are.
    open: (text, aad) => (keyring.isEncrypted(text) ? keyring.decryptText(text, aad) : text),
  };
}
