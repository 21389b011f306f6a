import { clampDelayMs } from './duration.js';

/** What {@link Clock.setTimeout} returns: Node's `Timeout` object, or a number in a fake clock. */
export type TimerHandle = object | number;

/** How a timer relates to the life of the process. */
export interface TimerOptions {
  /**
   * Whether a pending timer keeps the process alive. A background timer (a debounce, a refresh, an idle check)
   * passes `false`, so a lib never holds a process open on its own; a timer that is part of work someone awaits (a
   * retry before a write, a reconnect backoff) keeps the default, or an awaiting script would exit mid-wait.
   * @default true
   */
  readonly keepAlive?: boolean;
}

/**
 * Time and timers. Every lib reaches time only through this interface, so tests drive backoff, timeouts and
 * heartbeats with `ManualClock` from `@homeiq/runtime/testing`.
 */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  /** Runs `callback` once after `delayMs`. */
  setTimeout(callback: () => void, delayMs: number, options?: TimerOptions): TimerHandle;
  /** Cancels a timer; a handle that already fired or was cleared is ignored. */
  clearTimeout(handle: TimerHandle): void;
}

/**
 * The wall clock and Node's timers. A delay past 2^31 − 1 ms would fire after 1 ms: it is clamped (every duration
 * option is at most a day and every computed delay is capped, so this is the last line, not the rule).
 */
export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (callback, delayMs, options) => {
    const timer = setTimeout(callback, clampDelayMs(delayMs));
    return options?.keepAlive === false ? timer.unref() : timer;
  },
  clearTimeout: (handle) => {
    clearTimeout(handle as ReturnType<typeof setTimeout>);
  },
};

/** A uniform random number in [0, 1): the jitter source, injectable so tests can pin it. */
export type Random = () => number;

/** `Math.random`. */
export const systemRandom: Random = () => Math.random();
