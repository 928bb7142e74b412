// Benchmark: Bulk Data import of the Synthea NDJSON (../shared corpus) through the EHR sandbox into the SQLite
// resource store: resources/s and memory (peak RSS, heap sampled along the way: it should stay flat).
// The sandbox runs in a child process so the importer's memory is measured alone. It serves the corpus
// BENCH_BULK_COPIES times over (default 40), each copy with its own ids.
// Run alone: `node bench/fhir-bulk.ts` (BENCH_BULK_COPIES=N to change the volume).
import { fork } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Resource } from '@medplum/fhirtypes';
import { importBulk } from '../src/inbound/fhir/bulk-import.ts';
import { openSqliteFhirStore } from '../src/inbound/fhir/sqlite-fhir-store.ts';
import { FhirBulkClient } from '../src/platform/ehr/fhir/bulk-client.ts';
import { FhirClient } from '../src/platform/ehr/fhir/fhir-client.ts';
import { RateLimiter } from '../src/platform/ehr/fhir/resilience.ts';
import { SmartTokenSource } from '../src/platform/ehr/fhir/smart-auth.ts';
import { startSandbox } from '../src/platform/ehr/sandbox/sandbox-server.ts';
import { generateSigningKey, KeyRing } from '../src/platform/ehr/smart-keys.ts';
import { machineLine } from './machine.ts';

export const SYNTHEA_BULK_DIR = fileURLToPath(
  new URL('../../shared/corpus/paired/synthea-bulk-10/', import.meta.url),
);

function loadSynthea(): Resource[] {
  return readdirSync(SYNTHEA_BULK_DIR)
    .filter((f) => f.endsWith('.ndjson'))
    .flatMap((f) =>
      readFileSync(join(SYNTHEA_BULK_DIR, f), 'utf8')
        .split('\n')
        .filter((l) => l.trim() !== '')
        .map((l) => JSON.parse(l) as Resource),
    );
}

/** Child process: the sandbox, told the client's JWKS by the parent. */
async function serve(): Promise<void> {
  const { jwks, copies } = await new Promise<{ jwks: never; copies: number }>((resolve) =>
    process.once('message', (m) => resolve(m as { jwks: never; copies: number })),
  );
  const sandbox = await startSandbox({
    vendor: 'generic',
    clients: [{ clientId: 'bench', jwks }],
    resources: loadSynthea(),
    bulkCopies: copies,
    bulkPollsBeforeReady: 1,
    bulkRetryAfterSeconds: 0,
  });
  process.send?.({ fhirBase: sandbox.fhirBase, perCopy: sandbox.data.count() });
  process.once('disconnect', () => {
    void sandbox.close().then(() => process.exit(0));
  });
}

export async function benchFhirBulk(copies = Number(process.env['BENCH_BULK_COPIES'] ?? 40)): Promise<void> {
  console.log('\n## FHIR Bulk Data import (Synthea NDJSON through the EHR sandbox into SQLite)');
  if (!existsSync(SYNTHEA_BULK_DIR)) {
    console.log('skipped: ../shared/corpus/paired/synthea-bulk-10 not found');
    return;
  }
  console.log(machineLine());
  const ring = new KeyRing([generateSigningKey('ES384', 'bench')]);
  const child = fork(fileURLToPath(import.meta.url), ['--serve'], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const dir = mkdtempSync(join(tmpdir(), 'rxbridge-bulk-'));
  try {
    const ready = new Promise<{ fhirBase: string; perCopy: number }>((resolve, reject) => {
      child.once('message', (m) => resolve(m as { fhirBase: string; perCopy: number }));
      child.once('exit', (code) => reject(new Error(`sandbox exited (${String(code)})`)));
    });
    child.send({ jwks: ring.jwks(Date.now()), copies });
    const { fhirBase, perCopy } = await ready;
    const auth = new SmartTokenSource({ clientId: 'bench', scope: 'system/*.read', keys: ring, fhirBase });
    const client = new FhirClient({
      name: 'bench',
      baseUrl: fhirBase,
      auth,
      rateLimiter: new RateLimiter({ ratePerSecond: 100 }),
    });
    const bulk = new FhirBulkClient({ client, auth });
    const store = openSqliteFhirStore(join(dir, 'ehr.db'));
    global.gc?.();
    const baseline = process.memoryUsage();
    let peakRss = baseline.rss;
    let peakHeap = baseline.heapUsed;
    const samples: Array<{ done: number; heapMb: number; rssMb: number; externalMb: number }> = [];
    let done = 0;
    const expected = perCopy * copies;
    let nextSample = expected / 10;
    const timer = setInterval(() => {
      const m = process.memoryUsage();
      peakRss = Math.max(peakRss, m.rss);
      peakHeap = Math.max(peakHeap, m.heapUsed);
    }, 20);
    const started = performance.now();
    const result = await importBulk({
      endpoint: 'bench',
      bulk,
      store,
      request: { level: 'system' },
      onProgress: (p) => {
        done = p.resources;
        if (done >= nextSample) {
          const m = process.memoryUsage();
          samples.push({
            done,
            heapMb: m.heapUsed / 1048576,
            rssMb: m.rss / 1048576,
            externalMb: m.external / 1048576,
          });
          nextSample += expected / 10;
        }
      },
    });
    const seconds = (performance.now() - started) / 1000;
    clearInterval(timer);
    const stored = store.count('bench');
    store.close();
    const mb = (n: number) => (n / 1048576).toFixed(0);
    console.log(
      `resources: ${result.resources} (${copies} copies of ${perCopy}), files ${result.files}, stored ${stored}, invalid ${result.invalid.length}`,
    );
    console.log(
      `time: ${seconds.toFixed(2)} s — ${Math.round(result.resources / seconds).toLocaleString('en-US')} resources/s (goal ≥ 10,000)`,
    );
    console.log(
      `memory: baseline RSS ${mb(baseline.rss)} MB, peak RSS ${mb(peakRss)} MB, peak heap ${mb(peakHeap)} MB; ` +
        `heap at each tenth: ${samples.map((s) => s.heapMb.toFixed(0)).join(' ')} MB; ` +
        `RSS at each tenth: ${samples.map((s) => s.rssMb.toFixed(0)).join(' ')} MB; ` +
        `external: ${samples.map((s) => s.externalMb.toFixed(0)).join(' ')} MB`,
    );
    if (stored !== expected) {
      console.log(`MISMATCH: expected ${expected} stored`);
      process.exitCode = 1;
    }
  } finally {
    child.disconnect();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv.includes('--serve')) await serve();
else if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1])
  await benchFhirBulk();
