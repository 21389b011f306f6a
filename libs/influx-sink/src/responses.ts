import { parseRetryAfter } from './backoff.js';
import { InfluxWriteError, type InfluxErrorCode } from './errors.js';
import type { TransportResponse } from './transport.js';
import type { RejectCause } from './types.js';

/* How the writer reads InfluxDB's answers. Statuses: https://docs.influxdata.com/influxdb/v2/api/#operation/PostWrite */

/**
 * 400 bad lines, 413 too large, 422 field type conflict or outside retention (2.x): answered by splitting, never by
 * dropping a batch. A 5xx repeated identically is treated so too (see `IDENTICAL_REFUSALS`).
 */
export function isRejection(status: number): boolean {
  return status === 400 || status === 413 || status === 422;
}

export function errorFor(
  response: TransportResponse,
  nowMs: number,
  retryAfterMaxMs: number,
): InfluxWriteError {
  const status = response.status;
  const detail = errorMessage(response.body) || `HTTP ${status}`;
  const code: InfluxErrorCode =
    status === 401 || status === 403
      ? 'ERR_INFLUX_AUTH'
      : status === 404
        ? 'ERR_INFLUX_NOT_FOUND'
        : status === 429
          ? 'ERR_INFLUX_RATE_LIMITED'
          : status === 408 || status >= 500
            ? 'ERR_INFLUX_UNAVAILABLE'
            : 'ERR_INFLUX_UNEXPECTED';
  return new InfluxWriteError(code, `InfluxDB answered ${status}: ${detail}`, {
    status,
    retryAfterMs: parseRetryAfter(response.retryAfter, nowMs, retryAfterMaxMs),
  });
}

/** InfluxDB's reason: `message` (2.x) or `error` (1.x) of a JSON body, else the text itself. */
export function errorMessage(body: string): string {
  try {
    const parsed = JSON.parse(body) as { message?: unknown; error?: unknown };
    const message = parsed.message ?? parsed.error;
    if (typeof message === 'string') return message;
  } catch {
    // Not JSON (a proxy's HTML page, plain text): the text is the reason.
  }
  return body.trim().slice(0, 1000);
}

/**
 * The cause of a refusal, from the status and InfluxDB's message as 2.8 and 1.8 word them ("unable to parse",
 * "field type conflict", "outside retention policy" / "points beyond retention policy").
 */
export function rejectionCause(status: number, message: string): RejectCause {
  if (status >= 500) return 'repeated_server_error';
  if (status === 413) return 'too_large';
  if (/field type conflict/i.test(message)) return 'field_type_conflict';
  if (/retention policy/i.test(message)) return 'outside_retention';
  if (status === 400 && /unable to parse|invalid|missing|bad timestamp/i.test(message)) return 'unparsable';
  return 'other';
}
