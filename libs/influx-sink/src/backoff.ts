import { backoffDelayMs, clampDelayMs, type BackoffSettings, type Random } from '@homeiq/runtime';

/** Settings of {@link retryDelayMs}: the runtime's backoff, and the cap of a server's `Retry-After`. */
export interface RetryDelaySettings extends BackoffSettings {
  /** Longest `Retry-After` honoured; a longer one waits this long. */
  readonly retryAfterMaxMs: number;
  readonly random: Random;
}

/**
 * Delay before retry number `attempt` (0-based): the runtime's exponential backoff, with a `Retry-After` as a
 * floor, itself capped at `retryAfterMaxMs`. Whatever the attempt count (1e6, Infinity, NaN) and the random draw,
 * the result is finite, >= 0, at most `maxDelayMs` without a `Retry-After` and at most
 * `max(maxDelayMs, retryAfterMaxMs)` with one.
 */
export function retryDelayMs(
  o: RetryDelaySettings,
  attempt: number,
  retryAfterMs: number | undefined,
): number {
  const delay = backoffDelayMs(attempt + 1, o, o.random());
  return retryAfterMs === undefined ? delay : Math.max(delay, clampDelayMs(retryAfterMs, o.retryAfterMaxMs));
}

/**
 * Parses `Retry-After` (RFC 9110 §10.2.3: delay in seconds, or an HTTP date) into ms in [0, `maxMs`]; `undefined`
 * when absent or unreadable. A date in the past waits 0; 99999999999999999999 seconds or a date in the year 275760
 * wait `maxMs`, never a delay no timer can hold. The official client reads the number as milliseconds, a 1000x
 * error this avoids.
 */
export function parseRetryAfter(value: string | undefined, nowMs: number, maxMs: number): number | undefined {
  if (value === undefined) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return clampDelayMs(Number(trimmed) * 1000, maxMs);
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : clampDelayMs(date - nowMs, maxMs);
}
