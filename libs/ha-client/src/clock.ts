import { clampDelayMs } from '@homeiq/runtime';

/**
 * The side effects the client takes from its options: time, timers, randomness and logging. Core logic reaches
 * them only through these interfaces, so tests drive reconnects, backoff and heartbeats with a manual clock.
 */

/** Opaque handle returned by {@link Clock.setTimeout} (Node's Timeout object, or a number in fakes). */
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

/** Structured log sink (pino-compatible call shape). Messages and fields never contain the access token. */
export interface Logger {
  debug(message: string, fields?: Readonly<Record<string, unknown>>): void;
  info(message: string, fields?: Readonly<Record<string, unknown>>): void;
  warn(message: string, fields?: Readonly<Record<string, unknown>>): void;
  error(message: string, fields?: Readonly<Record<string, unknown>>): void;
}

const ignore = (): void => undefined;

/**
 * Default logger: warnings and errors to the console, debug/info dropped. Hooks carry everything a service needs
 * to log in its own format; this default only makes sure a bare consumer still sees trouble.
 */
export const consoleLogger: Logger = {
  debug: ignore,
  info: ignore,
  warn: (message, fields) => {
    console.warn(`[ha-client] ${message}`, fields ?? '');
  },
  error: (message, fields) => {
    console.error(`[ha-client] ${message}`, fields ?? '');
  },
};
