import type { Clock } from '../clock.js';

/** `closed`: connecting normally. `open`: cooling down after repeated failures. `half_open`: one trial allowed. */
export type CircuitState = 'closed' | 'open' | 'half_open';

/** A read-only view of the breaker for stats. */
export interface CircuitBreakerSnapshot {
  readonly state: CircuitState;
  /** Consecutive failed connection attempts. */
  readonly failureCount: number;
  /** When the last attempt failed (epoch ms), or null. */
  readonly lastFailureAtMs: number | null;
  /** Code and message of the last failure, or null. */
  readonly lastFailure: { readonly code: string; readonly message: string } | null;
}

/**
 * A consecutive-failures circuit breaker on the injected clock. Written here rather than taken from cockatiel
 * 3.2.1: cockatiel's CircuitBreakerPolicy reads `Date.now()` itself and only moves to half-open inside
 * `execute()`, so its cool-down could not run on a manual clock and its state would read `open` after the
 * cool-down has passed.
 */
export class CircuitBreaker {
  readonly #clock: Clock;
  readonly #threshold: number;
  readonly #cooldownMs: number;
  #failures = 0;
  #openedAtMs: number | null = null;
  #trial = false;
  #lastFailureAtMs: number | null = null;
  #lastFailure: { code: string; message: string } | null = null;

  constructor(clock: Clock, threshold: number, cooldownMs: number) {
    this.#clock = clock;
    this.#threshold = threshold;
    this.#cooldownMs = cooldownMs;
  }

  /** The state now: an open breaker whose cool-down has passed reads `half_open`. */
  get state(): CircuitState {
    if (this.#openedAtMs === null) return 'closed';
    return this.#trial || this.remainingCooldownMs() === 0 ? 'half_open' : 'open';
  }

  /** Milliseconds until an open breaker lets a trial attempt through; 0 when closed or already due. */
  remainingCooldownMs(): number {
    if (this.#openedAtMs === null) return 0;
    return Math.max(0, this.#openedAtMs + this.#cooldownMs - this.#clock.now());
  }

  /** An attempt is starting; an open breaker past its cool-down becomes the half-open trial. */
  beginAttempt(): void {
    if (this.#openedAtMs !== null && this.remainingCooldownMs() === 0) this.#trial = true;
  }

  /** The attempt connected: close the breaker and forget the failures. */
  recordSuccess(): void {
    this.#failures = 0;
    this.#openedAtMs = null;
    this.#trial = false;
  }

  /** The attempt failed; opens the breaker at the threshold, and re-opens it when a half-open trial fails. */
  recordFailure(failure: { code: string; message: string }): void {
    const now = this.#clock.now();
    this.#failures += 1;
    this.#lastFailureAtMs = now;
    this.#lastFailure = failure;
    if (this.#trial || this.#failures >= this.#threshold) {
      this.#openedAtMs = now;
      this.#trial = false;
    }
  }

  /** Stats view. */
  snapshot(): CircuitBreakerSnapshot {
    return {
      state: this.state,
      failureCount: this.#failures,
      lastFailureAtMs: this.#lastFailureAtMs,
      lastFailure: this.#lastFailure,
    };
  }
}
