import { describeValue } from '@homeiq/runtime';

/** Stable error codes of @homeiq/influx-sink. */
export type InfluxErrorCode =
  /** A bad option at construction. */
  | 'ERR_INVALID_OPTION'
  /** Network error, timeout, 5xx or 408: retried with backoff. */
  | 'ERR_INFLUX_UNAVAILABLE'
  /** 429: retried after `Retry-After`. */
  | 'ERR_INFLUX_RATE_LIMITED'
  /** 401/403: bad token or credentials, or no write permission. Data kept; probed again later. */
  | 'ERR_INFLUX_AUTH'
  /** 404: no such org, bucket or database. Data kept; probed again later. */
  | 'ERR_INFLUX_NOT_FOUND'
  /** Another status InfluxDB should never send to a write. Data kept; probed again later. */
  | 'ERR_INFLUX_UNEXPECTED'
  /** A single line InfluxDB refused (400/413/422), with InfluxDB's reason. Counted and dropped. */
  | 'ERR_INFLUX_REJECTED'
  /** The circuit breaker is open: no request was made. */
  | 'ERR_CIRCUIT_OPEN'
  /** The sink is closing and gave the batch back. */
  | 'ERR_ABORTED';

/** What the sink does about an error: retry in place, hand the data back to be kept, or drop a rejected line. */
export type RetryDecision = 'retry' | 'keep' | 'drop';

/** Options of {@link InfluxWriteError}. */
export interface InfluxWriteErrorOptions {
  readonly status?: number | undefined;
  readonly retryAfterMs?: number | undefined;
  readonly cause?: unknown;
}

/** Every error of the sink carries a stable `code` and, where there is one, a `cause`. */
export class InfluxSinkError extends Error {
  override readonly name: string = 'InfluxSinkError';
  readonly code: InfluxErrorCode;

  constructor(code: InfluxErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}

/** A failed write, with the retry semantics as data. */
export class InfluxWriteError extends InfluxSinkError {
  override readonly name = 'InfluxWriteError';
  /** HTTP status, when InfluxDB answered. */
  readonly status: number | undefined;
  /** Whether the same request may succeed later without a configuration change. */
  readonly retryable: boolean;
  readonly decision: RetryDecision;
  /** Server-requested delay (`Retry-After`), ms. */
  readonly retryAfterMs: number | undefined;

  constructor(code: InfluxErrorCode, message: string, options: InfluxWriteErrorOptions = {}) {
    super(code, message, options.cause === undefined ? undefined : { cause: options.cause });
    this.status = options.status;
    this.retryAfterMs = options.retryAfterMs;
    this.decision = decisionOf(code);
    this.retryable = this.decision === 'retry' || code === 'ERR_CIRCUIT_OPEN' || code === 'ERR_ABORTED';
  }
}

function decisionOf(code: InfluxErrorCode): RetryDecision {
  switch (code) {
    case 'ERR_INFLUX_UNAVAILABLE':
    case 'ERR_INFLUX_RATE_LIMITED':
      return 'retry';
    case 'ERR_INFLUX_REJECTED':
      return 'drop';
    default:
      return 'keep';
  }
}

/** The error thrown for a bad option, e.g. "Expected `url` to be an http(s) URL, got `"x"` (string)". */
export function invalidOption(name: string, expected: string, value: unknown): InfluxSinkError {
  return new InfluxSinkError(
    'ERR_INVALID_OPTION',
    `Expected \`${name}\` to be ${expected}, got ${describeValue(value)}`,
  );
}
