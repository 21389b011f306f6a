/** The longest delay Node's `setTimeout` keeps (`MAX_TIMER_DELAY_MS` of `@homeiq/runtime`, which tools may not import). */
const MAX_NODE_TIMER_DELAY_MS = 2_147_483_647;

/** A timer registered with a {@link ManualClock}. */
interface ManualTimer {
  readonly id: number;
  readonly dueMs: number;
  readonly callback: () => void;
}

/**
 * A clock for unit tests: time moves only when the test calls `advance()`, and timers fire in due order (ties
 * in creation order) as it passes them. Structurally compatible with the `Clock` option of the libs. Like Node's
 * timers, a delay above 2^31 − 1 ms or NaN fires after 1 ms
 * (https://nodejs.org/api/timers.html#settimeoutcallback-delay-args), so a delay that would overflow a real timer
 * misbehaves in a unit test too instead of passing unnoticed.
 */
export interface ManualClock {
  now(): number;
  setTimeout(callback: () => void, delayMs: number): unknown;
  clearTimeout(handle: unknown): void;
  /** Moves time forward by `ms`, firing every timer that falls due, including ones those timers set. */
  advance(ms: number): void;
  /** Moves time forward by `ms` like `advance`, letting promise callbacks run after each timer fires. */
  advanceAsync(ms: number): Promise<void>;
  /** Timers not yet fired or cleared. */
  readonly pendingTimers: number;
}

/** Creates a {@link ManualClock} starting at `startMs` (epoch ms). */
export function createManualClock(startMs = 1_700_000_000_000): ManualClock {
  let now = startMs;
  let nextId = 1;
  const timers = new Map<number, ManualTimer>();

  function nextDue(limitMs: number): ManualTimer | undefined {
    let due: ManualTimer | undefined;
    for (const timer of timers.values()) {
      if (timer.dueMs > limitMs) continue;
      if (!due || timer.dueMs < due.dueMs || (timer.dueMs === due.dueMs && timer.id < due.id)) due = timer;
    }
    return due;
  }

  return {
    now: () => now,
    setTimeout(callback, delayMs) {
      const overflows = Number.isNaN(delayMs) || delayMs > MAX_NODE_TIMER_DELAY_MS;
      const timer = { id: nextId++, dueMs: now + (overflows ? 1 : Math.max(0, delayMs)), callback };
      timers.set(timer.id, timer);
      return timer.id;
    },
    clearTimeout(handle) {
      if (typeof handle === 'number') timers.delete(handle);
    },
    advance(ms) {
      const target = now + ms;
      for (let timer = nextDue(target); timer; timer = nextDue(target)) {
        timers.delete(timer.id);
        now = Math.max(now, timer.dueMs);
        timer.callback();
      }
      now = target;
    },
    async advanceAsync(ms) {
      const target = now + ms;
      await flushMicrotasks();
      for (let timer = nextDue(target); timer; timer = nextDue(target)) {
        timers.delete(timer.id);
        now = Math.max(now, timer.dueMs);
        timer.callback();
        await flushMicrotasks();
      }
      now = target;
      await flushMicrotasks();
    },
    get pendingTimers() {
      return timers.size;
    },
  };
}

/** Lets queued promise callbacks run (a few macrotask-free turns of the microtask queue). */
async function flushMicrotasks(): Promise<void> {
  for (let i = 0; i < 20; i++) await Promise.resolve();
}
