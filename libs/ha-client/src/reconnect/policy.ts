import { backoffDelayMs, type BackoffSettings, type CircuitBreaker, type Random } from '@homeiq/runtime';

/** Settings of {@link ReconnectPolicy}. */
export interface ReconnectSettings extends BackoffSettings {
  /** Retries after a failure before giving up; -1 = never give up. */
  readonly maxRetries: number;
  /** A connection that stayed up this long resets the retry counter when it drops. */
  readonly stableAfterMs: number;
}

/** The next step after a failed attempt or a dropped connection. */
export type ReconnectDecision =
  | { readonly giveUp: false; readonly attempt: number; readonly delayMs: number }
  | { readonly giveUp: true; readonly attempt: number };

/**
 * Decides when to try again. One counter of consecutive retries; it only resets after a connection proved
 * stable, so a link that flaps (connects, drops a second later) still backs off instead of hammering HA.
 */
export class ReconnectPolicy {
  readonly #settings: ReconnectSettings;
  readonly #random: Random;
  readonly #breaker: CircuitBreaker;
  #attempt = 0;
  #connectedAtMs: number | null = null;

  constructor(settings: ReconnectSettings, random: Random, breaker: CircuitBreaker) {
    this.#settings = settings;
    this.#random = random;
    this.#breaker = breaker;
  }

  /** The retry number of the attempt in progress or scheduled (0 before any failure). */
  get attempt(): number {
    return this.#attempt;
  }

  /** A connection came up at `nowMs`. */
  connected(nowMs: number): void {
    this.#connectedAtMs = nowMs;
  }

  /** The connection that came up earlier dropped at `nowMs`. */
  disconnected(nowMs: number): void {
    if (this.#connectedAtMs !== null && nowMs - this.#connectedAtMs >= this.#settings.stableAfterMs) {
      this.#attempt = 0;
    }
    this.#connectedAtMs = null;
  }

  /** Starts over, e.g. when the caller restarts a client that gave up. */
  reset(): void {
    this.#attempt = 0;
    this.#connectedAtMs = null;
  }

  /**
   * Plans the next attempt. A rejected token jumps straight to the maximum delay: HA counts failed logins
   * toward an IP ban, so a wrong token must never be retried quickly. An open circuit breaker holds the attempt
   * back until its cool-down has passed.
   */
  next(authRejected: boolean): ReconnectDecision {
    this.#attempt += 1;
    const { maxRetries } = this.#settings;
    if (maxRetries >= 0 && this.#attempt > maxRetries) return { giveUp: true, attempt: this.#attempt };
    const backoff = authRejected
      ? this.#settings.maxDelayMs
      : backoffDelayMs(this.#attempt, this.#settings, this.#random());
    return {
      giveUp: false,
      attempt: this.#attempt,
      delayMs: Math.max(backoff, this.#breaker.remainingCooldownMs()),
    };
  }
}
