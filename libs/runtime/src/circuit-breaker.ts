import { systemClock, type Clock, type TimerHandle } from './clock.js';
import { MAX_DURATION_MS, clampDelayMs } from './duration.js';

/**
 * `closed`: requests flow. `open`: cooling down after repeated failures, nothing is tried. `half_open`: the
 * cool-down is over and one trial may go (or is under way). The same three names reach every Prometheus label.
 */
export type CircuitState = 'closed' | 'open' | 'half_open';

/** Why the last attempt failed, as a breaker's stats() show it. */
export interface CircuitFailure {
  readonly code: string;
  readonly message: string;
}

/** Settings of {@link CircuitBreaker}; lib options carry them as `circuit*`. */
export interface CircuitBreakerOptions {
  /** Consecutive failures that open the circuit. */
  readonly failureThreshold: number;
  /** How long the circuit stays open before one trial. */
  readonly cooldownMs: number;
  /** Each failed trial doubles the open period, up to this. @default cooldownMs (no doubling) */
  readonly maxCooldownMs?: number;
  /** @default systemClock */
  readonly clock?: Clock;
  /** Called on every change of {@link CircuitBreaker.state} the breaker makes itself (not when a cool-down ends). */
  readonly onStateChange?: (state: CircuitState) => void;
}

/** A read-only view of a breaker, for a lib's `stats()`. */
export interface CircuitBreakerStats {
  readonly state: CircuitState;
  /** Consecutive failures since the last success. */
  readonly failureCount: number;
  /** How many times the circuit opened. */
  readonly opens: number;
  /** When the last failure happened (epoch ms), or null. */
  readonly lastFailureAtMs: number | null;
  /** Code and message of the last failure, when the caller gave them, or null. */
  readonly lastFailure: CircuitFailure | null;
}

/**
 * A consecutive-failures circuit breaker on an injected clock: after `failureThreshold` failures in a row it opens
 * for `cooldownMs`, then lets one trial through; the trial's success closes it, its failure opens it again for twice
 * as long, up to `maxCooldownMs`. Written here rather than taken from cockatiel 3.2.1, whose CircuitBreakerPolicy
 * reads `Date.now()` itself and only moves to half-open inside `execute()`: its cool-down could not run on a manual
 * clock, and its state would read `open` after the cool-down had passed.
 */
export class CircuitBreaker {
  readonly #clock: Clock;
  readonly #threshold: number;
  readonly #cooldownMs: number;
  readonly #maxCooldownMs: number;
  readonly #onStateChange: (state: CircuitState) => void;
  #failures = 0;
  /** Failures counted toward the threshold: reset when the circuit opens, so a late answer does not re-open it. */
  #failuresSinceOpen = 0;
  #failedTrials = 0;
  #opens = 0;
  #openUntilMs: number | null = null;
  #trial = false;
  #lastFailureAtMs: number | null = null;
  #lastFailure: CircuitFailure | null = null;
  #timer: TimerHandle | undefined;
  readonly #waiters = new Set<() => void>();

  constructor(options: CircuitBreakerOptions) {
    this.#clock = options.clock ?? systemClock;
    this.#threshold = options.failureThreshold;
    this.#cooldownMs = options.cooldownMs;
    this.#maxCooldownMs = options.maxCooldownMs ?? options.cooldownMs;
    this.#onStateChange = options.onStateChange ?? (() => undefined);
  }

  /** The state now: an open circuit whose cool-down has passed reads `half_open`. */
  get state(): CircuitState {
    if (this.#openUntilMs === null) return 'closed';
    return this.#trial || this.remainingCooldownMs() === 0 ? 'half_open' : 'open';
  }

  /** How many times the circuit opened. */
  get opens(): number {
    return this.#opens;
  }

  /** Milliseconds until an open circuit lets a trial through; 0 when closed or already due. */
  remainingCooldownMs(): number {
    if (this.#openUntilMs === null) return 0;
    return Math.max(0, this.#openUntilMs - this.#clock.now());
  }

  /**
   * Asks to make one attempt now: true when closed, or as the single trial once the cool-down is over; false while
   * cooling down or while the trial is under way.
   */
  tryPass(): boolean {
    if (this.#openUntilMs === null) return true;
    if (this.#trial || this.remainingCooldownMs() > 0) return false;
    this.#trial = true;
    this.#onStateChange('half_open');
    return true;
  }

  /** The attempt succeeded: close the circuit and forget the failures. */
  recordSuccess(): void {
    const wasOpen = this.#openUntilMs !== null;
    this.#failures = 0;
    this.#failuresSinceOpen = 0;
    this.#failedTrials = 0;
    this.#openUntilMs = null;
    this.#trial = false;
    if (wasOpen) this.#onStateChange('closed');
    this.#wake();
  }

  /** The attempt failed: opens the circuit at the threshold, and at once when it was the trial. */
  recordFailure(failure?: CircuitFailure): void {
    this.#failures += 1;
    this.#failuresSinceOpen += 1;
    this.#lastFailureAtMs = this.#clock.now();
    if (failure) this.#lastFailure = { code: failure.code, message: failure.message };
    if (this.#trial || this.#failuresSinceOpen >= this.#threshold) this.trip();
  }

  /**
   * Opens the circuit now, for the cool-down (doubled per failed trial, never above `maxCooldownMs`) or at least
   * `minMs` (a server's `Retry-After`), clamped to what a timer can hold.
   */
  trip(minMs = 0): void {
    if (this.#trial) this.#failedTrials += 1;
    const cooldown = clampDelayMs(this.#cooldownMs * 2 ** this.#failedTrials, this.#maxCooldownMs);
    this.#openUntilMs = this.#clock.now() + Math.max(clampDelayMs(minMs, MAX_DURATION_MS), cooldown);
    this.#failuresSinceOpen = 0;
    this.#trial = false;
    this.#opens += 1;
    this.#onStateChange('open');
    this.#armTimer();
  }

  /**
   * Resolves once an attempt may be tried (closed, or cool-down over with no trial under way); rejects with the
   * signal's reason when it aborts. A timer runs only while someone waits.
   */
  ready(signal: AbortSignal): Promise<void> {
    if (this.#passable()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const check = (): void => {
        if (signal.aborted) {
          done();
          reject(signal.reason as Error);
        } else if (this.#passable()) {
          done();
          resolve();
        }
      };
      const done = (): void => {
        this.#waiters.delete(check);
        signal.removeEventListener('abort', check);
        if (this.#waiters.size === 0) this.#clearTimer();
      };
      this.#waiters.add(check);
      signal.addEventListener('abort', check, { once: true });
      this.#armTimer();
    });
  }

  /** Cancels the timer of a pending {@link ready}; the waiters stay until their signal aborts. */
  dispose(): void {
    this.#clearTimer();
  }

  stats(): CircuitBreakerStats {
    return {
      state: this.state,
      failureCount: this.#failures,
      opens: this.#opens,
      lastFailureAtMs: this.#lastFailureAtMs,
      lastFailure: this.#lastFailure,
    };
  }

  #passable(): boolean {
    return this.#openUntilMs === null || (!this.#trial && this.remainingCooldownMs() === 0);
  }

  /** Wakes the waiters when the cool-down ends; re-arms when a timer fires early against the clock. */
  #armTimer(): void {
    this.#clearTimer();
    if (this.#waiters.size === 0 || this.#openUntilMs === null) return;
    this.#timer = this.#clock.setTimeout(
      () => {
        this.#timer = undefined;
        if (this.remainingCooldownMs() > 0) this.#armTimer();
        else this.#wake();
      },
      Math.max(1, this.remainingCooldownMs()),
    );
  }

  #clearTimer(): void {
    if (this.#timer !== undefined) this.#clock.clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  #wake(): void {
    for (const check of [...this.#waiters]) check();
  }
}
