import { clampDelayMs } from '@homeiq/runtime';

/**
 * The side effects the queue takes from its options: time, timers and logging. Core logic reaches them only
 * through these interfaces, so tests drive batch ages and close deadlines with a manual clock.
 */

/** Opaque handle returned by {@link Clock.setTimeout}. */
export type TimerHandle = unknown;

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
 * The wall clock and Node's timers. A delay past 2^31 − 1 ms would fire after 1 ms: it is clamped (every duration
 * option is at most a day and every computed delay is capped, so this is the last line, not the rule).
 */
export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (callback, delayMs) => setTimeout(callback, clampDelayMs(delayMs)),
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

/** Default logger: warnings and errors to the console; the hooks and metrics carry everything else. */
export const consoleLogger: Logger = {
  debug: ignore,
  info: ignore,
  warn: (message, fields) => {
    console.warn(`[backpressure-queue] ${message}`, fields ?? '');
  },
  error: (message, fields) => {
    console.error(`[backpressure-queue] ${message}`, fields ?? '');
  },
};
