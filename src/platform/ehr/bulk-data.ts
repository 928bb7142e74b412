// The Bulk Data port (FHIR Bulk Data Access, async request pattern): kick-off, status polling, NDJSON download.
import type { Resource } from '@medplum/fhirtypes';

export interface BulkExportRequest {
  /** `system` ([base]/$export), `patient` ([base]/Patient/$export) or a Group id ([base]/Group/<id>/$export). */
  level: 'system' | 'patient' | { group: string };
  types?: readonly string[];
  /** Only resources changed after this instant (the previous export's transactionTime). */
  since?: string;
}

export interface BulkFile {
  type: string;
  url: string;
  count?: number;
}

export interface BulkManifest {
  transactionTime: string;
  requiresAccessToken: boolean;
  output: BulkFile[];
  error: BulkFile[];
}

export interface BulkProgress {
  /** The server's X-Progress text, when it sends one. */
  progress?: string;
  polls: number;
}

/** A run of NDJSON lines from one file: `firstLine` is the 0-based line number of `lines[0]`. */
export interface BulkLines {
  firstLine: number;
  lines: string[];
}

export interface BulkDataClient {
  /** Starts an export; returns the status URL (Content-Location). */
  kickOff(request: BulkExportRequest): Promise<string>;
  /** Polls until complete, honouring Retry-After; reports X-Progress. */
  waitForManifest(statusUrl: string, onProgress?: (p: BulkProgress) => void): Promise<BulkManifest>;
  /**
   * Streams a file's lines in batches, starting after `skipLines` (resume). A connection lost mid-file is resumed
   * by downloading again and skipping what was already delivered.
   */
  download(file: BulkFile, skipLines: number, requiresAccessToken: boolean): AsyncIterable<BulkLines>;
  /** Asks the server to delete a finished or abandoned job. */
  cancel(statusUrl: string): Promise<void>;
}

/** Parses one NDJSON line into a resource, or says why it is not one. */
export function parseNdjsonLine(
  line: string,
): { ok: true; resource: Resource } | { ok: false; error: string } {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return { ok: false, error: 'not JSON' };
  }
  const resource = value as Resource;
  if (typeof value !== 'object' || value === null || typeof resource.resourceType !== 'string') {
    return { ok: false, error: 'not a FHIR resource (no resourceType)' };
  }
  if (typeof resource.id !== 'string' || resource.id === '')
    return { ok: false, error: 'resource has no id' };
  return { ok: true, resource };
}
