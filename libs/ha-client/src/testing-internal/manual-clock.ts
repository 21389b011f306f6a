import { MAX_TIMER_DELAY_MS } from '@homeiq/runtime';
import type { Clock, TimerHandle } from '../clock.js';

interface Timer {
  readonly atMs: number;
  readonly seq: number;
  readonly callback: () => void;
}

/**
 * A manual clock for unit tests: time moves only when the test advances it, and every live timer is counted,
 * so a test can assert that nothing is left behind after a close. Like Node's timers, a delay above 2^31 − 1 ms or
 * NaN fires after 1 ms (https://nodejs.org/api/timers.html#settimeoutcallback-delay-args), so a delay that would
 * overflow a real timer misbehaves here too instead of passing unnoticed.
 */
export class ManualClock implements Clock {
  #nowMs: number;
  #seq = 0;
  readonly #timers = new Map<number, Timer>();

  constructor(startMs = 1_700_000_000_000) {
    this.#nowMs = startMs;
  }

  now(): number {
    return this.#nowMs;
  }

  setTimeout(callback: () => void, delayMs: number): TimerHandle {
    this.#seq += 1;
    const overflows = Number.isNaN(delayMs) || delayMs > MAX_TIMER_DELAY_MS;
    const atMs = this.#nowMs + (overflows ? 1 : Math.max(0, delayMs));
    this.#timers.set(this.#seq, { atMs, seq: this.#seq, callback });
    return this.#seq;
  }

  clearTimeout(handle: TimerHandle): void {
    if (typeof handle === 'number') this.#timers.delete(handle);
  }

  /** Timers scheduled and neither fired nor cleared. */
  get activeTimers(): number {
    return this.#timers.size;
  }

  /** Delay until the next timer fires, or undefined when none is live. */
  nextDelayMs(): number | undefined {
    let next: number | undefined;
    for (const timer of this.#timers.values())
      next = next === undefined ? timer.atMs : Math.min(next, timer.atMs);
    return next === undefined ? undefined : next - this.#nowMs;
  }

  /**
   * Moves time forward by `ms`, firing due timers in order. Promise callbacks run between timers (as they
   * would between real timer ticks), so chains like "timeout → reject → schedule retry" play out completely.
   */
  async advance(ms: number): Promise<void> {
    const target = this.#nowMs + ms;
    await flush();
    for (;;) {
      const due = this.#nextDue(target);
      if (due === undefined) break;
      this.#timers.delete(due.seq);
      this.#nowMs = Math.max(this.#nowMs, due.atMs);
      due.callback();
      await flush();
    }
    this.#nowMs = target;
    await flush();
  }

  #nextDue(targetMs: number): Timer | undefined {
    let next: Timer | undefined;
    for (const timer of this.#timers.values()) {
      if (timer.atMs > targetMs) continue;
      if (next === undefined || timer.atMs < next.atMs || (timer.atMs === next.atMs && timer.seq < next.seq))
        next = timer;
    }
    return next;
  }
}

/** Lets every queued promise callback and microtask run (a few macrotask turns, no wall-clock wait). */
export async function flush(): Promise<void> {
  for (let turn = 0; turn < 5; turn += 1) {
    await new Promise<void>((resolve) => {
      setImmediate(resolve);
    });
  }
}
