import type { Clock, TimerHandle } from '@homeiq/runtime';

/**
 * The queue's one batch timer, due when the oldest line in memory is `batchTimeoutMs` old: one timer for the
 * whole queue rather than one per line. The queue re-arms it for the new head after each batch it cuts.
 */
export class BatchTimer {
  readonly #clock: Clock;
  readonly #batchTimeoutMs: number;
  readonly #onDue: () => void;
  #timer: TimerHandle | undefined = undefined;

  constructor(clock: Clock, batchTimeoutMs: number, onDue: () => void) {
    this.#clock = clock;
    this.#batchTimeoutMs = batchTimeoutMs;
    this.#onDue = onDue;
  }

  /** Starts the timer for a head pushed at `headTimeMs`; does nothing while it runs or when memory is empty. */
  arm(headTimeMs: number | undefined): void {
    if (this.#timer !== undefined || headTimeMs === undefined) return;
    const delay = Math.max(0, headTimeMs + this.#batchTimeoutMs - this.#clock.now());
    // Ref'd (the default): the batch it cuts is data a consumer awaits in `take()`.
    this.#timer = this.#clock.setTimeout(() => {
      this.#timer = undefined;
      this.#onDue();
    }, delay);
  }

  clear(): void {
    if (this.#timer !== undefined) this.#clock.clearTimeout(this.#timer);
    this.#timer = undefined;
  }
}
