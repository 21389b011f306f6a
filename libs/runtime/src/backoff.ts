import { clampDelayMs } from './duration.js';

/** Settings of {@link backoffDelayMs}; the options of every retrying lib carry them as `retry*`. */
export interface BackoffSettings {
  /** Delay before the first retry. */
  readonly initialDelayMs: number;
  /** Upper bound of any delay, jitter included. */
  readonly maxDelayMs: number;
  /** Share of the delay that jitter may take off, from 0 (none) to 1. */
  readonly jitterRatio: number;
}

/**
 * Exponential backoff: `initialDelayMs` doubled per attempt up to `maxDelayMs`, then shortened by up to
 * `jitterRatio` of itself, so that clients restarted together do not retry in lockstep. Jitter only ever shortens
 * the delay, so the cap holds after jitter too (a jitter added after capping can exceed the cap:
 * docs/decisions.md#bugs-we-do-not-repeat).
 *
 * The result is always a finite delay in [0, `maxDelayMs`], whatever the attempt count (1e6, Infinity, NaN) and the
 * draw: a delay that could not be computed waits the cap, never a 1 ms retry.
 *
 * @param attempt 1 for the first retry.
 * @param random a draw in [0, 1], e.g. `Math.random()`; anything else counts as 0 (no jitter).
 */
export function backoffDelayMs(attempt: number, settings: BackoffSettings, random: number): number {
  const exponent = Math.max(0, attempt - 1);
  // 0 × 2^1024 is NaN, not 0: an initial delay of 0 stays 0 however many attempts failed.
  const nominal =
    settings.initialDelayMs === 0
      ? 0
      : clampDelayMs(settings.initialDelayMs * 2 ** exponent, settings.maxDelayMs);
  const share = Number.isFinite(random) && random > 0 ? Math.min(random, 1) : 0;
  const ratio = Math.min(Math.max(settings.jitterRatio, 0), 1) || 0;
  return clampDelayMs(Math.round(nominal - nominal * ratio * share), settings.maxDelayMs);
}
