// Structured logging with pino; PHI-bearing keys are redacted wherever they appear (no patient data in logs).
import { pino } from 'pino';

export interface Logger {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
  child(bindings: Record<string, unknown>): Logger;
}

/** Keys whose values may carry patient data or secrets; censored at any of the first three levels. */
const SENSITIVE_KEYS = [
  'raw',
  'body',
  'text',
  'patient',
  'name',
  'given',
  'family',
  'birthDate',
  'identifier',
  'identifiers',
  'mrn',
  'address',
  'phone',
  'password',
  'secret',
  'token',
  'authorization',
  'cookie',
  'partitionKey',
  'totp',
  'apiKey',
  'key',
];

export const REDACT_PATHS: string[] = SENSITIVE_KEYS.flatMap((k) => [k, `*.${k}`, `*.*.${k}`]).concat([
  'req.headers.authorization',
  'req.headers.cookie',
]);

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

export function createLogger(level: LogLevel, destination?: NodeJS.WritableStream): Logger {
  const options = {
    level,
    base: { service: 'rxbridge' },
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
  };
  return destination === undefined ? pino(options) : pino(options, destination);
}

export const silentLogger: Logger = createLogger('silent');
