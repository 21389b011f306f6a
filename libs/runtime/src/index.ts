/**
 * @homeiq/runtime: the primitives every HomeIQ lib shares, once: time and timers, randomness, the logger shape, one
 * backoff, one circuit breaker, option checks and how a rejected option is quoted, the bound of every duration, and
 * a `mkdir -p` that cannot hang. Fakes for tests: `@homeiq/runtime/testing`.
 */
export { systemClock, systemRandom } from './clock.js';
export type { Clock, Random, TimerHandle, TimerOptions } from './clock.js';
export { createConsoleLogger, silentLogger } from './logger.js';
export type { LogFields, Logger } from './logger.js';
export type { RuntimeOptions } from './runtime-options.js';
export { backoffDelayMs } from './backoff.js';
export type { BackoffSettings } from './backoff.js';
export { CircuitBreaker } from './circuit-breaker.js';
export type {
  CircuitBreakerOptions,
  CircuitBreakerStats,
  CircuitFailure,
  CircuitState,
} from './circuit-breaker.js';
export { invalidOptionMessage, optionChecks } from './option-checks.js';
export type { InvalidOptionError, OptionChecks } from './option-checks.js';
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
