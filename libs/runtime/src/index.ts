/**
 * @homeiq/runtime: runtime primitives every HomeIQ lib shares. Today: the bound of a timer delay and the check of
 * a duration option, so that no configured or computed duration can overflow a Node timer; how a rejected option
 * is quoted in its message; and a `mkdir -p` that cannot hang.
 */
export {
  MAX_DURATION_MS,
  MAX_TIMER_DELAY_MS,
  clampDelayMs,
  describeDurationRange,
  isDurationMs,
} from './duration.js';
export type { DurationRange } from './duration.js';
export { describeType, describeValue } from './describe-value.js';
export { makeDirectories } from './make-directories.js';
