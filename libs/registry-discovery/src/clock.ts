import { clampDelayMs } from '@homeiq/runtime';

/**
 * The side effects discovery takes from its options: time, timers, randomness and logging. Core logic reaches
 * them only through these interfaces, so tests drive debounce, retries and timeouts with a manual clock.
 */

/** Opaque handle returned by {@link Clock.setTimeout} (Node's Timeout object, or a fake clock's number). */
export type TimerHandle = object | number;

/** Time and timers. The production default wraps `Date.now` and the global timer functions. */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  /** Runs `callback` once after `delayMs`. */
  setTimeout(callback: () => void, delayMs: number): TimerHandle;
  /** Cancels a timer; a handle that already fired or was cleared is ignored. */
  clearTimeout(handle: TimerHandle): void;
}

/**
 * The wall clock and Node's timers. Timers are unref'd: a pending debounce must not keep a process alive. A delay
 * past 2^31 − 1 ms would fire after 1 ms: it is clamped (every duration option is at most a day and every computed
 * delay is capped, so this is the last line, not the rule).
 */
export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (callback, delayMs) => setTimeout(callback, clampDelayMs(delayMs)).unref(),
  clearTimeout: (handle) => {
    clearTimeout(handle as ReturnType<typeof setTimeout>);
  },
};

/** Structured log sink (pino-compatible call shape). */
export interface Logger {
  debug(message: string, fields?: Readonly<Record<string, unknown>>): void;
  info(message: string, fields?: Readonly<Record<string, unknown>>): void;
  warn(message: string, fields?: Readonly<Record<string, unknown>>): void;
  error(message: string, fields?: Readonly<Record<string, unknown>>): void;
}

const ignore = (): void => undefined;

/**
 * Default logger: warnings and errors to the console, debug/info dropped. Hooks and `status()` carry everything a
 * service needs; this default only makes sure a bare consumer still sees trouble.
 */
export const consoleLogger: Logger = {
  debug: ignore,
  info: ignore,
  warn: (message, fields) => {
    console.warn(`[registry-discovery] ${message}`, fields ?? '');
  },
  error: (message, fields) => {
    console.error(`[registry-discovery] ${message}`, fields ?? '');
  },
};

/**
 * Exponential backoff, `base * 2^(attempt-1)` capped at `maxMs`, with jitter in [delay/2, delay] from `unit`
 * (a random number in [0, 1), passed in so callers keep randomness injectable). Always finite and in [0, `maxMs`],
 * whatever the attempt count: a base of 0 after 1,025 failures is 0 × Infinity = NaN, which a timer runs after 1 ms.
 */
export function backoffDelayMs(attempt: number, baseMs: number, maxMs: number, unit: number): number {
  const exponential = clampDelayMs(baseMs * 2 ** Math.max(0, attempt - 1), maxMs);
  const share = unit >= 0 && unit <= 1 ? unit : 1;
  return clampDelayMs(Math.round(exponential / 2 + (exponential / 2) * share), maxMs);
}
