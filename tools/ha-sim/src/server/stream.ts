import type { SimTimers } from './timers.js';

/** Options of {@link HaSim.stream}. */
export interface StreamOptions {
  /** Events per second; `Infinity` emits as fast as the slowest subscribed client drains (closed loop). */
  readonly ratePerSecond: number;
  /** Stop after this many state_changed events. @default unlimited */
  readonly total?: number;
}

/** A running stream: `done` resolves with the number of state_changed events fired. */
export interface StreamHandle {
  stop(): void;
  readonly done: Promise<number>;
}

export interface StreamDriver {
  readonly timers: SimTimers;
  readonly now: () => number;
  /** Applies up to `count` random changes; returns how many fired state_changed. */
  emit(count: number): number;
  /** True when no subscribed client has a batch queued: time to make the next one. */
  clientsReady(): boolean;
  /** True when some client subscribes to anything (closed loop idles without one). */
  hasSubscribers(): boolean;
}

const CLOSED_LOOP_BATCH = 1000;

/**
 * Emits realistic changes at a rate, catching up on timer jitter (due = rate × elapsed − fired), or in
 * closed loop for benchmarks. Timers come from the simulator so tests can drive them.
 */
export function startStream(driver: StreamDriver, options: StreamOptions): StreamHandle {
  const rate = options.ratePerSecond;
  if (typeof rate !== 'number' || Number.isNaN(rate) || rate <= 0) {
    throw new TypeError(
      `Expected \`ratePerSecond\` to be a number > 0 or Infinity, got \`${String(rate)}\` (${typeof rate})`,
    );
  }
  const total = options.total ?? Number.POSITIVE_INFINITY;
  if (total !== Number.POSITIVE_INFINITY && (!Number.isInteger(total) || total < 0)) {
    throw new TypeError(
      `Expected \`total\` to be an integer >= 0, got \`${String(total)}\` (${typeof total})`,
    );
  }
  let fired = 0;
  let stopped = false;
  let timer: unknown = null;
  let resolve: (count: number) => void = () => undefined;
  const done = new Promise<number>((ok) => (resolve = ok));
  const finish = (): void => {
    stopped = true;
    if (timer !== null) driver.timers.clearTimeout(timer);
    timer = null;
    resolve(fired);
  };
  const emit = (count: number): void => {
    // A change can be invisible (state_reported only), so keep going until `count` were fired.
    let attempts = 0;
    while (count > 0 && attempts < count * 4 + 8) {
      const got = driver.emit(Math.min(count, total - fired));
      fired += got;
      count -= got;
      attempts++;
      if (fired >= total) break;
    }
  };

  if (rate === Number.POSITIVE_INFINITY) {
    const turn = (): void => {
      timer = null;
      if (stopped) return;
      if (!driver.hasSubscribers()) {
        timer = driver.timers.setTimeout(turn, 10); // nobody listens: wait without spinning
        return;
      }
      if (driver.clientsReady()) emit(Math.min(CLOSED_LOOP_BATCH, total - fired));
      if (fired >= total) finish();
      else driver.timers.setImmediate(turn);
    };
    driver.timers.setImmediate(turn);
    return { stop: finish, done };
  }

  const start = driver.now();
  const tickMs = Math.max(1, Math.min(100, Math.floor(1000 / rate)));
  // After a late tick (GC, a busy loop) the backlog is caught up over a few ticks rather than in one
  // burst, so that a steady rate does not turn into a spike the pending-message limit would punish.
  const maxBurst = Math.max(1, Math.ceil((rate * tickMs) / 1000) * 8);
  const tick = (): void => {
    timer = null;
    if (stopped) return;
    const due = Math.min(total, Math.floor(((driver.now() - start) * rate) / 1000));
    if (due > fired) emit(Math.min(due - fired, maxBurst));
    if (fired >= total) finish();
    else timer = driver.timers.setTimeout(tick, tickMs);
  };
  timer = driver.timers.setTimeout(tick, tickMs);
  return { stop: finish, done };
}
