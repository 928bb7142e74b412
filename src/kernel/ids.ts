// Identifiers: random ones for new records, deterministic ones so that replays produce the same resources.
import { createHash, hash, randomUUID } from 'node:crypto';

export type MessageId = string;
export type TaskId = string;

export function newId(): string {
  return randomUUID();
}

/** A UUID-shaped id derived from its parts: the same inputs always give the same id (RFC 9562 v8 layout). */
export function stableId(...parts: readonly string[]): string {
  // One-shot hash: about half the cost of createHash().update().digest() for short inputs.
  const hex = hash('sha256', parts.join('\u001f'), 'hex');
  const variant = ((parseInt(hex.slice(16, 17), 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

export function sha256Hex(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}
