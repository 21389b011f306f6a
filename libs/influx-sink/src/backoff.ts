import { clampDelayMs } from '@homeiq/runtime';
import type { Random } from './clock.js';

/** Settings of {@link retryDelayMs}. */
export interface BackoffOptions {
  readonly initialMs: number;
  readonly maxMs: number;
  /** Longest `Retry-After` honoured; a longer one waits this long. */
  readonly retryAfterMaxMs: number;
  /** Fraction of the delay that is random. */
  readonly jitter: number;
  readonly random: Random;
}

/**
 * Delay before retry number `attempt` (0-based): exponential, capped, with the top `jitter` fraction random so
 * that many writers recovering at once do not retry in lockstep. A `Retry-After` is a floor, itself capped at
 * `retryAfterMaxMs`. Whatever the attempt count (1e6, Infinity, NaN) and the random draw, the result is finite,
 * >= 0, at most `maxMs` without a `Retry-After` and at most `max(maxMs, retryAfterMaxMs)` with one.
 */
export function retryDelayMs(o: BackoffOptions, attempt: number, retryAfterMs: number | undefined): number {
  // 0 × 2 ** 1024 is NaN, not 0: clamp the product, not only the jittered result.
  const base = clampDelayMs(o.initialMs * 2 ** attempt, o.maxMs);
  const delay = clampDelayMs(Math.round(base * (1 - o.jitter * unit(o.random()))), o.maxMs);
  return retryAfterMs === undefined ? delay : Math.max(delay, clampDelayMs(retryAfterMs, o.retryAfterMaxMs));
}

/** A random draw forced into [0, 1]: a misbehaving source must not make a delay negative or NaN. */
function unit(value: number): number {
  return value >= 0 && value <= 1 ? value : 0;
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
