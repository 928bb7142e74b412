// One catalogue of infrastructure and domain error codes, classified by what to do next.

export const ErrorCode = {
  StoreUnavailable: 'store-unavailable',
  StoreFull: 'store-full',
  BusUnavailable: 'bus-unavailable',
  EhrUnavailable: 'ehr-unavailable',
  EhrRejected: 'ehr-rejected',
  ConsentDenied: 'consent-denied',
  InvalidInput: 'invalid-input',
  NotFound: 'not-found',
  Conflict: 'conflict',
  IllegalTransition: 'illegal-transition',
  ConfigInvalid: 'config-invalid',
  MappingFailed: 'mapping-failed',
  AuditUnavailable: 'audit-unavailable',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** Worth another try later: the cause is outside the input itself. */
export const RETRYABLE: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  ErrorCode.StoreUnavailable,
  ErrorCode.StoreFull,
  ErrorCode.BusUnavailable,
  ErrorCode.EhrUnavailable,
  ErrorCode.AuditUnavailable,
]);

/** An error whose code says whether to retry; its message never carries patient data. */
export class RxBridgeError extends Error {
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'RxBridgeError';
    this.code = code;
  }
  get retryable(): boolean {
    return RETRYABLE.has(this.code);
  }
}

export function isRetryable(error: unknown): boolean {
  return error instanceof RxBridgeError ? error.retryable : false;
}
