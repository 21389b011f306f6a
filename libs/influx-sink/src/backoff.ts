import type { Random } from './clock.js';

/** Settings of {@link retryDelayMs}. */
export interface BackoffOptions {
  readonly initialMs: number;
  readonly maxMs: number;
  /** Fraction of the delay that is random. */
  readonly jitter: number;
  readonly random: Random;
}

/**
 * Delay before retry number `attempt` (0-based): exponential, capped, with the top `jitter` fraction random so
 * that many writers recovering at once do not retry in lockstep. A `Retry-After` is a floor.
 */
export function retryDelayMs(o: BackoffOptions, attempt: number, retryAfterMs: number | undefined): number {
  const base = Math.min(o.maxMs, o.initialMs * 2 ** attempt);
  const delay = Math.round(base * (1 - o.jitter * o.random()));
  return Math.max(delay, retryAfterMs ?? 0);
}

/**
 * Parses `Retry-After` (RFC 9110: delay in seconds, or an HTTP date) into ms; `undefined` when absent or
 * unreadable. The official client reads the number as milliseconds, a 1000x error this avoids.
 */
export function parseRetryAfter(value: string | undefined, nowMs: number): number | undefined {
  if (value === undefined) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - nowMs);
}
