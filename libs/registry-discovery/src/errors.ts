/** Every code a {@link RegistryDiscoveryError} can carry. Stable: match on these, not on messages. */
export type RegistryErrorCode =
  | 'ERR_INVALID_OPTION'
  | 'ERR_CLOSED'
  | 'ERR_FETCH_FAILED'
  | 'ERR_FETCH_TIMEOUT'
  | 'ERR_BAD_PAYLOAD'
  | 'ERR_STORE'
  | 'ERR_DATA_API_HTTP'
  | 'ERR_DATA_API_NETWORK'
  | 'ERR_DATA_API_TIMEOUT';

/** Base class of every error this library throws or rejects with. */
export class RegistryDiscoveryError extends Error {
  /** Stable machine-readable code. */
  readonly code: RegistryErrorCode;
  /** Whether doing the same thing again later can succeed. */
  readonly retryable: boolean;

  constructor(
    code: RegistryErrorCode,
    message: string,
    details: { readonly retryable: boolean; readonly cause?: unknown },
  ) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = new.target.name;
    this.code = code;
    this.retryable = details.retryable;
  }
}

/** The data-api answered with a non-2xx status. 5xx and 429 are retryable; `retryAfterMs` from `Retry-After`. */
export class DataApiHttpError extends RegistryDiscoveryError {
  readonly status: number;
  readonly retryAfterMs: number | undefined;

  constructor(path: string, status: number, body: string, retryAfterMs: number | undefined) {
    super('ERR_DATA_API_HTTP', `data-api ${path} answered ${status}: ${body.slice(0, 200)}`, {
      retryable: status >= 500 || status === 429 || status === 408,
    });
    this.status = status;
    this.retryAfterMs = retryAfterMs;
  }
}

/** A short `{code, message}` view of anything thrown, for stats snapshots and logs. */
export function describeError(error: unknown): { readonly code: string; readonly message: string } {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return { code: typeof code === 'string' ? code : 'ERR_UNKNOWN', message: error.message };
  }
  return { code: 'ERR_UNKNOWN', message: String(error) };
}
