import { clampDelayMs } from '@homeiq/runtime';

/** Settings of {@link backoffDelayMs}. */
export interface BackoffSettings {
  /** Delay before the first retry. */
  readonly initialDelayMs: number;
  /** Upper bound of any delay, jitter included. */
  readonly maxDelayMs: number;
  /** Share of the delay that jitter may take off, from 0 (none) to 1. */
  readonly jitterRatio: number;
}

/**
 * Exponential backoff: `initialDelayMs` doubled per attempt up to `maxDelayMs`, then reduced by up to
 * `jitterRatio` of itself so clients restarted together do not reconnect in lockstep. Jitter only ever shortens
 * the delay, so the cap holds after jitter too (a jitter added after capping can exceed the cap:
 * docs/decisions.md#bugs-we-do-not-repeat).
 *
 * The result is always a finite delay in [0, `maxDelayMs`], whatever the attempt count (1e6, Infinity, NaN): a
 * delay that could not be computed waits the cap, so that it can never reach a timer as a 1 ms retry.
 *
 * @param attempt 1 for the first retry.
 * @param random a number in [0, 1), e.g. `Math.random()`.
 */
export function backoffDelayMs(attempt: number, settings: BackoffSettings, random: number): number {
  const exponent = Math.max(0, attempt - 1);
  // 2 ** 1024 is Infinity; Math.min handles it, but stop early for readability of the numbers involved.
  const nominal = exponent >= 53 ? settings.maxDelayMs : settings.initialDelayMs * 2 ** exponent;
  const capped = Math.min(nominal, settings.maxDelayMs);
  const jitter = capped * settings.jitterRatio * clampUnit(random);
  return clampDelayMs(Math.round(capped - jitter), settings.maxDelayMs);
}

function clampUnit(value: number): number {
  if (!Number.isFinite(value) || value < 0) return 0;
  return value >= 1 ? 1 : value;
}
