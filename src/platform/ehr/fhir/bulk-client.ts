// Bulk Data client over the FHIR adapter: kick-off with Prefer: respond-async, polling that honours Retry-After and
// X-Progress, and streamed NDJSON downloads resumed after a lost connection.
import { ErrorCode } from '../../../kernel/errors.ts';
import type {
  BulkDataClient,
  BulkExportRequest,
  BulkFile,
  BulkLines,
  BulkManifest,
  BulkProgress,
} from '../bulk-data.ts';
import { EhrError } from '../ehr-client.ts';
import type { FhirClient } from './fhir-client.ts';
import { backoffMs, parseRetryAfter, sleep } from './resilience.ts';
import type { SmartTokenSource } from './smart-auth.ts';

export interface BulkClientOptions {
  client: FhirClient;
  auth?: SmartTokenSource;
  fetch?: typeof fetch;
  sleep?: (ms: number) => Promise<void>;
  /** Longest wait between polls (ms), whatever Retry-After says. Default 60 s. */
  maxPollWaitMs?: number;
  /** Give up polling after this long (ms). Default 6 hours. */
  pollDeadlineMs?: number;
  /** Attempts per file download (connection lost, 429, 5xx). Default 8. */
  downloadAttempts?: number;
  /** Lines per batch yielded. Default 1000. */
  batchLines?: number;
  /** Longest NDJSON line accepted (bytes). Default 64 MiB. */
  maxLineBytes?: number;
}

export interface BulkClientCounts {
  polls: number;
  downloadRetries: number;
  throttled: number;
}

export class FhirBulkClient implements BulkDataClient {
  readonly counts: BulkClientCounts = { polls: 0, downloadRetries: 0, throttled: 0 };
  readonly #o: BulkClientOptions;
  readonly #fetch: typeof fetch;
  readonly #sleep: (ms: number) => Promise<void>;

  constructor(options: BulkClientOptions) {
    this.#o = options;
    this.#fetch = options.fetch ?? fetch;
    this.#sleep = options.sleep ?? sleep;
  }

  async kickOff(request: BulkExportRequest): Promise<string> {
    const base = this.#o.client.baseUrl;
    const path =
      request.level === 'system'
        ? '$export'
        : request.level === 'patient'
          ? 'Patient/$export'
          : `Group/${encodeURIComponent(request.level.group)}/$export`;
    const query = new URLSearchParams({ _outputFormat: 'application/fhir+ndjson' });
    if (request.types !== undefined && request.types.length > 0) query.set('_type', request.types.join(','));
    if (request.since !== undefined) query.set('_since', request.since);
    const result = await this.#o.client.getRaw(`${base}/${path}?${query.toString()}`, {
      accept: 'application/fhir+json',
      prefer: 'respond-async',
    });
    const location = result.headers.get('content-location');
    if (result.status !== 202 || location === null) {
      throw new EhrError(
        ErrorCode.EhrRejected,
        `${this.#o.client.endpoint}: bulk kick-off answered HTTP ${result.status} without Content-Location`,
      );
    }
    this.#sameOrigin(location, 'status URL');
    return location;
  }

  #sameOrigin(url: string, what: string): void {
    if (new URL(url).origin !== new URL(this.#o.client.baseUrl).origin) {
      throw new EhrError(
        ErrorCode.EhrRejected,
        `${this.#o.client.endpoint}: bulk ${what} is on another origin`,
      );
    }
  }

  async waitForManifest(statusUrl: string, onProgress?: (p: BulkProgress) => void): Promise<BulkManifest> {
    const deadline = Date.now() + (this.#o.pollDeadlineMs ?? 6 * 3_600_000);
    let polls = 0;
    for (;;) {
      const result = await this.#o.client.getRaw(statusUrl, { accept: 'application/json' }, { cache: false });
      polls++;
      this.counts.polls++;
      if (result.status === 200) {
        const manifest = result.body as Partial<BulkManifest> | undefined;
        if (
          manifest === undefined ||
          typeof manifest.transactionTime !== 'string' ||
          !Array.isArray(manifest.output)
        ) {
          throw new EhrError(
            ErrorCode.EhrRejected,
            `${this.#o.client.endpoint}: bulk manifest is incomplete`,
          );
        }
        return {
          transactionTime: manifest.transactionTime,
          requiresAccessToken: manifest.requiresAccessToken === true,
          output: manifest.output,
          error: manifest.error ?? [],
        };
      }
      if (result.status !== 202) {
        throw new EhrError(
          ErrorCode.EhrRejected,
          `${this.#o.client.endpoint}: bulk status answered HTTP ${result.status}`,
        );
      }
      const progress = result.headers.get('x-progress') ?? undefined;
      onProgress?.({ polls, ...(progress !== undefined ? { progress } : {}) });
      const wait = Math.min(
        this.#o.maxPollWaitMs ?? 60_000,
        parseRetryAfter(result.headers.get('retry-after'), Date.now()) ?? 2000 * Math.min(polls, 15),
      );
      if (Date.now() + wait > deadline) {
        throw new EhrError(
          ErrorCode.EhrUnavailable,
          `${this.#o.client.endpoint}: bulk export not ready before the deadline`,
        );
      }
      await this.#sleep(wait);
    }
  }

  async cancel(statusUrl: string): Promise<void> {
    const headers = await this.#o.client.authorization();
    await this.#fetch(statusUrl, { method: 'DELETE', headers, signal: AbortSignal.timeout(10_000) }).catch(
      () => undefined,
    );
  }

  async *download(file: BulkFile, skipLines: number, requiresAccessToken: boolean): AsyncIterable<BulkLines> {
    this.#sameOrigin(file.url, 'file URL');
    const attempts = this.#o.downloadAttempts ?? 8;
    const batchLines = this.#o.batchLines ?? 1000;
    const maxLine = this.#o.maxLineBytes ?? 64 * 1024 * 1024;
    let delivered = skipLines;
    for (let attempt = 0; ; attempt++) {
      let token: string | undefined;
      const headers: Record<string, string> = { accept: 'application/fhir+ndjson' };
      if (requiresAccessToken && this.#o.auth !== undefined) {
        token = await this.#o.auth.get();
        headers.authorization = `Bearer ${token}`;
      }
      await this.#o.client.rateLimiter.acquire();
      let failure: string;
      let retryAfter: number | undefined;
      try {
        const response = await this.#fetch(file.url, { headers });
        if (response.status === 200 && response.body !== null) {
          // Stream lines; skip the ones an earlier attempt (or run) already delivered.
          let lineNo = 0;
          let pending = '';
          let batch: string[] = [];
          let batchStart = delivered;
          const decoder = new TextDecoder();
          const reader: ReadableStreamDefaultReader<Uint8Array> = response.body.getReader();
          try {
            for (;;) {
              const { done, value } = await reader.read();
              const text = done ? decoder.decode() : decoder.decode(value, { stream: true });
              pending += text;
              let start = 0;
              for (;;) {
                const nl = pending.indexOf('\n', start);
                if (nl === -1) break;
                const line = pending.slice(start, nl);
                start = nl + 1;
                if (line.trim() === '') continue;
                if (lineNo++ < delivered) continue;
                if (batch.length === 0) batchStart = lineNo - 1;
                batch.push(line);
                if (batch.length >= batchLines) {
                  const out = { firstLine: batchStart, lines: batch };
                  batch = [];
                  delivered = batchStart + out.lines.length;
                  yield out;
                }
              }
              pending = pending.slice(start);
              if (pending.length > maxLine) {
                throw new EhrError(
                  ErrorCode.EhrRejected,
                  `${this.#o.client.endpoint}: bulk line over ${maxLine} bytes`,
                );
              }
              if (done) break;
            }
          } finally {
            reader.releaseLock();
          }
          if (pending.trim() !== '' && lineNo++ >= delivered) {
            if (batch.length === 0) batchStart = lineNo - 1;
            batch.push(pending);
          }
          if (batch.length > 0) {
            delivered = batchStart + batch.length;
            yield { firstLine: batchStart, lines: batch };
          }
          return;
        }
        await response.body?.cancel();
        if (response.status === 401 && token !== undefined) {
          this.#o.auth?.invalidate(token);
          failure = 'HTTP 401';
        } else if (response.status === 429 || response.status >= 500) {
          if (response.status === 429) this.counts.throttled++;
          retryAfter = parseRetryAfter(response.headers.get('retry-after'), Date.now());
          if (response.status === 429) this.#o.client.rateLimiter.onThrottled(retryAfter);
          failure = `HTTP ${response.status}`;
        } else {
          throw new EhrError(
            ErrorCode.EhrRejected,
            `${this.#o.client.endpoint}: bulk file download answered HTTP ${response.status}`,
            { status: response.status },
          );
        }
      } catch (error) {
        if (error instanceof EhrError) throw error;
        failure = 'connection lost';
      }
      if (attempt + 1 >= attempts) {
        throw new EhrError(
          ErrorCode.EhrUnavailable,
          `${this.#o.client.endpoint}: bulk file ${file.type} failed after ${attempts} attempts (${failure}); resume later`,
        );
      }
      this.counts.downloadRetries++;
      await this.#sleep(Math.max(retryAfter ?? 0, backoffMs(attempt, 250, 10_000)));
    }
  }
}
