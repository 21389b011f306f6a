import type { Clock, TimerHandle, TimerOptions } from '../clock.js';
import { MAX_TIMER_DELAY_MS } from '../duration.js';

/** A timer a {@link ManualClock} holds, as {@link ManualClock.pending} lists it. */
export interface PendingTimer {
  /** The delay it was set with. */
  readonly delayMs: number;
  /** Time left until it fires. */
  readonly dueInMs: number;
  /** Whether it would keep a real process alive ({@link TimerOptions.keepAlive}). */
  readonly keepAlive: boolean;
}

interface Timer {
  readonly id: number;
  readonly atMs: number;
  readonly delayMs: number;
  readonly keepAlive: boolean;
  readonly callback: () => void;
}

/**
 * A clock for unit tests: time moves only when the test advances it, timers fire in due order (ties in the order
 * they were set), and every live timer can be counted, so a test can assert that nothing is left behind after a
 * close. Like Node's timers, a delay above 2^31 − 1 ms or NaN fires after 1 ms
 * (https://nodejs.org/api/timers.html#settimeoutcallback-delay-args), so a delay that would overflow a real timer
 * misbehaves here too instead of passing unnoticed.
 */
export class ManualClock implements Clock {
  #nowMs: number;
  #nextId = 1;
  readonly #timers = new Map<number, Timer>();
  #waiters: { match: (delayMs: number) => boolean; resolve: (delayMs: number) => void }[] = [];

  constructor(startMs = 1_700_000_000_000) {
    this.#nowMs = startMs;
  }

  now(): number {
    return this.#nowMs;
  }

  setTimeout(callback: () => void, delayMs: number, options?: TimerOptions): TimerHandle {
    const overflows = Number.isNaN(delayMs) || delayMs > MAX_TIMER_DELAY_MS;
    const atMs = this.#nowMs + (overflows ? 1 : Math.max(0, delayMs));
    const timer = { id: this.#nextId++, atMs, delayMs, keepAlive: options?.keepAlive ?? true, callback };
    this.#timers.set(timer.id, timer);
    const waiters = this.#waiters;
    this.#waiters = waiters.filter((waiter) => !waiter.match(delayMs));
    for (const waiter of waiters) if (!this.#waiters.includes(waiter)) waiter.resolve(delayMs);
    return timer.id;
  }

  clearTimeout(handle: TimerHandle): void {
    if (typeof handle === 'number') this.#timers.delete(handle);
  }

  /** How many timers are set and neither fired nor cleared. */
  get pendingTimers(): number {
    return this.#timers.size;
  }

  /** The pending timers, soonest first. */
  pending(): PendingTimer[] {
    return [...this.#timers.values()]
      .sort((a, b) => a.atMs - b.atMs || a.id - b.id)
      .map((t) => ({ delayMs: t.delayMs, dueInMs: t.atMs - this.#nowMs, keepAlive: t.keepAlive }));
  }

  /** Time until the next timer fires, or undefined when none is pending. */
  nextDelayMs(): number | undefined {
    return this.pending()[0]?.dueInMs;
  }

  /**
   * Resolves with the delay of a pending timer whose delay matches, or of the next such timer set (event-driven, no
   * polling).
   */
  whenTimer(match: (delayMs: number) => boolean = () => true): Promise<number> {
    for (const timer of this.#timers.values())
      if (match(timer.delayMs)) return Promise.resolve(timer.delayMs);
    return new Promise((resolve) => this.#waiters.push({ match, resolve }));
  }

  /**
   * Moves time forward by `ms`, firing due timers in order, including ones those timers set. Promise callbacks and
   * I/O callbacks run between timers (as they would between real timer ticks), so chains like "timeout → reject →
   * schedule a retry" play out completely.
   */
  async advance(ms: number): Promise<void> {
    const target = this.#nowMs + ms;
    await settle();
    for (let due = this.#nextDue(target); due; due = this.#nextDue(target)) {
      this.#fire(due);
      await settle();
    }
    this.#nowMs = target;
    await settle();
  }

  /** Moves time forward like {@link advance}, firing timers synchronously: no promise callback runs in between. */
  advanceSync(ms: number): void {
    const target = this.#nowMs + ms;
    for (let due = this.#nextDue(target); due; due = this.#nextDue(target)) this.#fire(due);
    this.#nowMs = target;
  }

  #fire(timer: Timer): void {
    this.#timers.delete(timer.id);
    this.#nowMs = Math.max(this.#nowMs, timer.atMs);
    timer.callback();
  }

  #nextDue(targetMs: number): Timer | undefined {
    let next: Timer | undefined;
    for (const timer of this.#timers.values()) {
      if (timer.atMs > targetMs) continue;
      if (next === undefined || timer.atMs < next.atMs || (timer.atMs === next.atMs && timer.id < next.id))
        next = timer;
    }
    return next;
  }
}

/** Lets every queued promise callback and ready I/O callback run: a few macrotask turns, no wall-clock wait. */
export async function settle(): Promise<void> {
  for (let turn = 0; turn < 5; turn += 1) {
    await new Promise<void>((resolve) => {
      setImmediate(resolve);
    });
  }
}
