import { MAX_TIMER_DELAY_MS } from '@homeiq/runtime';
import type { Clock, TimerHandle } from '../clock.js';

interface Timer {
  readonly id: number;
  readonly atMs: number;
  readonly delayMs: number;
  readonly callback: () => void;
}

/** Lets queued promise callbacks run (a macrotask turn), without any wall-clock wait. */
export function settle(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/**
 * A virtual clock for unit tests: time moves only through `advance`. Like Node's timers, a delay above 2^31 − 1 ms
 * or NaN fires after 1 ms (https://nodejs.org/api/timers.html#settimeoutcallback-delay-args).
 */
export class ManualClock implements Clock {
  #now: number;
  #nextId = 1;
  #timers: Timer[] = [];
  #waiters: { match: (delayMs: number) => boolean; resolve: (delayMs: number) => void }[] = [];

  constructor(startMs = 1_700_000_000_000) {
    this.#now = startMs;
  }

  now(): number {
    return this.#now;
  }

  setTimeout(callback: () => void, delayMs: number): TimerHandle {
    const overflows = Number.isNaN(delayMs) || delayMs > MAX_TIMER_DELAY_MS;
    const timer = { id: this.#nextId++, atMs: this.#now + (overflows ? 1 : delayMs), delayMs, callback };
    this.#timers.push(timer);
    for (const waiter of [...this.#waiters]) {
      if (!waiter.match(delayMs)) continue;
      this.#waiters.splice(this.#waiters.indexOf(waiter), 1);
      waiter.resolve(delayMs);
    }
    return timer.id;
  }

  clearTimeout(handle: TimerHandle): void {
    this.#timers = this.#timers.filter((timer) => timer.id !== handle);
  }

  /** Delays of the timers pending now, soonest first. */
  pending(): number[] {
    return [...this.#timers].sort((a, b) => a.atMs - b.atMs).map((t) => t.atMs - this.#now);
  }

  /**
   * Resolves with the delay of a pending timer whose delay matches, or of the next such timer set (event-driven,
   * no polling).
   */
  whenTimer(match: (delayMs: number) => boolean = () => true): Promise<number> {
    const pending = this.#timers.find((timer) => match(timer.delayMs));
    if (pending !== undefined) return Promise.resolve(pending.delayMs);
    return new Promise((resolve) => this.#waiters.push({ match, resolve }));
  }

  /** Moves time forward, firing due timers in order and letting promise callbacks run after each. */
  async advance(ms: number): Promise<void> {
    const end = this.#now + ms;
    for (;;) {
      await settle();
      const due = this.#timers.filter((t) => t.atMs <= end).sort((a, b) => a.atMs - b.atMs || a.id - b.id)[0];
      if (due === undefined) break;
      this.#timers = this.#timers.filter((t) => t !== due);
      this.#now = Math.max(this.#now, due.atMs);
      due.callback();
    }
    this.#now = end;
    await settle();
  }
}
