// Bulk NDJSON import: kick-off (or resume the job in the checkpoint), wait for the manifest, stream every file into
// the store in batches, each batch committed with the checkpoint, so a crash resumes at the next uncommitted line.
import {
  parseNdjsonLine,
  type BulkDataClient,
  type BulkExportRequest,
  type BulkProgress,
} from '../../platform/ehr/bulk-data.ts';
import type { BulkCheckpoint, FhirResourceStore, RawResource } from './fhir-resource-store.ts';

export interface BulkImportOptions {
  endpoint: string;
  bulk: BulkDataClient;
  store: FhirResourceStore;
  request: BulkExportRequest;
  /** Called after each committed batch (CLI progress bar). */
  onProgress?: (p: { resources: number; expected: number | undefined; file: string }) => void;
  onPoll?: (p: BulkProgress) => void;
  now?: () => Date;
}

export interface BulkImportResult {
  resources: number;
  files: number;
  /** Lines that were not FHIR resources: file type, line number (1-based), reason. Never the line's content. */
  invalid: Array<{ file: string; line: number; error: string }>;
  resumed: boolean;
  transactionTime: string;
  /** Watermark key where the transactionTime was stored for the next `_since`. */
  watermarkKey: string;
}

export function bulkWatermarkKey(request: BulkExportRequest): string {
  const level = typeof request.level === 'string' ? request.level : `group/${request.level.group}`;
  return `$export:${level}:${[...(request.types ?? ['*'])].sort().join(',')}`;
}

export async function importBulk(options: BulkImportOptions): Promise<BulkImportResult> {
  const { endpoint, bulk, store } = options;
  const now = options.now ?? (() => new Date());
  const watermarkKey = bulkWatermarkKey(options.request);
  let checkpoint: BulkCheckpoint | undefined = store.bulkCheckpoint(endpoint);
  const resumed = checkpoint !== undefined;
  if (checkpoint === undefined) {
    const since = options.request.since ?? store.watermark(endpoint, watermarkKey);
    const statusUrl = await bulk.kickOff({ ...options.request, ...(since !== undefined ? { since } : {}) });
    checkpoint = { statusUrl, startedAt: now().toISOString(), committed: {} };
    store.saveBulkCheckpoint(endpoint, checkpoint);
  }
  if (checkpoint.manifest === undefined) {
    checkpoint.manifest = await bulk.waitForManifest(checkpoint.statusUrl, options.onPoll);
    store.saveBulkCheckpoint(endpoint, checkpoint);
  }
  const manifest = checkpoint.manifest;
  const expected = manifest.output.every((f) => f.count !== undefined)
    ? manifest.output.reduce((n, f) => n + (f.count ?? 0), 0)
    : undefined;
  const invalid: BulkImportResult['invalid'] = [];
  let resources = Object.values(checkpoint.committed).reduce((a, b) => a + b, 0);
  for (const file of manifest.output) {
    const skip = checkpoint.committed[file.url] ?? 0;
    if (file.count !== undefined && skip >= file.count) continue;
    for await (const batch of bulk.download(file, skip, manifest.requiresAccessToken)) {
      const good: RawResource[] = [];
      batch.lines.forEach((line, i) => {
        const parsed = parseNdjsonLine(line);
        if (parsed.ok) good.push({ resource: parsed.resource, json: line });
        else if (invalid.length < 1000)
          invalid.push({ file: file.type, line: batch.firstLine + i + 1, error: parsed.error });
      });
      checkpoint.committed[file.url] = batch.firstLine + batch.lines.length;
      store.upsertBulk(endpoint, good, checkpoint);
      resources += batch.lines.length;
      options.onProgress?.({ resources, expected, file: file.type });
    }
  }
  // Done: the next export asks only for what changed since this one.
  store.setWatermark(endpoint, watermarkKey, manifest.transactionTime);
  store.saveBulkCheckpoint(endpoint, undefined);
  await bulk.cancel(checkpoint.statusUrl);
  return {
    resources,
    files: manifest.output.length,
    invalid,
    resumed,
    transactionTime: manifest.transactionTime,
    watermarkKey,
  };
}
