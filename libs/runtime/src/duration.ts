/**
 * Durations a timer can hold. Node keeps a timer's delay in a signed 32-bit integer: a delay above
 * 2^31 − 1 ms (24.8 days), or one that is not a number, fires after 1 ms with a `TimeoutOverflowWarning`
 * (https://nodejs.org/api/timers.html#settimeoutcallback-delay-args). A retry "delay" of a year would then retry
 * every millisecond. Every duration a HomeIQ lib accepts is bounded by {@link MAX_DURATION_MS} where it enters
 * (options, checked with {@link isDurationMs}), and every delay computed at run time (backoff, `Retry-After`,
 * open periods) is clamped with {@link clampDelayMs} before it reaches a timer.
 */

/** The longest delay Node's `setTimeout` keeps: 2^31 − 1 ms (24.8 days). */
export const MAX_TIMER_DELAY_MS = 2_147_483_647;

/**
 * The longest duration any HomeIQ option accepts: one day. Long enough for any timeout, interval or retry cap a
 * service needs, and far enough below {@link MAX_TIMER_DELAY_MS} that a sum of two (a cap plus a cool-down) still
 * fits a timer.
 */
export const MAX_DURATION_MS = 86_400_000;

/** The inclusive range of a duration option, in milliseconds. */
export interface DurationRange {
  readonly min: number;
  readonly max: number;
}

/** True when `value` is a whole number of milliseconds within `range`. */
export function isDurationMs(value: unknown, range: DurationRange): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= range.min && value <= range.max;
}

/** What a duration option must be, for a message "Expected `x` to be …": `an integer from 1 to 86400000 (ms)`. */
export function describeDurationRange(range: DurationRange): string {
  return `an integer from ${String(range.min)} to ${String(range.max)} (ms)`;
}

/**
 * `delayMs` clamped into [0, `maxMs`], and never above {@link MAX_TIMER_DELAY_MS}: a computed delay that came out
 * negative waits 0, one that grew past its cap (an attempt count overflowing `2 ** n` to Infinity, a `Retry-After`
 * of a year) waits the cap. NaN — a delay that could not be computed — waits the cap too: for a retry, waiting too
 * long is recoverable, retrying in a tight loop is not (Home Assistant bans an IP after repeated failed logins).
 */
export function clampDelayMs(delayMs: number, maxMs: number = MAX_TIMER_DELAY_MS): number {
  const cap = Number.isNaN(maxMs) ? MAX_TIMER_DELAY_MS : Math.min(Math.max(maxMs, 0), MAX_TIMER_DELAY_MS);
  if (Number.isNaN(delayMs)) return cap;
  return Math.min(Math.max(delayMs, 0), cap);
}
