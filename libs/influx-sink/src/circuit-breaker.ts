import { MAX_DURATION_MS, clampDelayMs } from '@homeiq/runtime';
import type { Clock, TimerHandle } from './clock.js';
import type { CircuitState } from './types.js';

/** Settings of {@link CircuitBreaker}. */
export interface CircuitBreakerOptions {
  readonly failureThreshold: number;
  readonly resetMs: number;
  readonly resetMaxMs: number;
  readonly clock: Clock;
  readonly onStateChange: (state: CircuitState) => void;
}

/**
 * Stops hammering a dead InfluxDB: after `failureThreshold` consecutive failures it opens for `resetMs`
 * (doubling per failed probe up to `resetMaxMs`), then lets one request through as a probe. Success closes it.
 */
export class CircuitBreaker {
  readonly #o: CircuitBreakerOptions;
  #state: CircuitState = 'closed';
  #failures = 0;
  #failedProbes = 0;
  #openUntil = 0;
  #probing = false;
  #opens = 0;
  #timer: TimerHandle = undefined;
  readonly #waiters = new Set<() => void>();

  constructor(options: CircuitBreakerOptions) {
    this.#o = options;
  }

  get state(): CircuitState {
    return this.#state;
  }

  get opens(): number {
    return this.#opens;
  }

  /** Asks to make one request now: true when closed, or as the single probe once the open period is over. */
  tryPass(): boolean {
    if (this.#state === 'closed') return true;
    if (this.#probing) return false;
    if (this.#state === 'open' && this.#o.clock.now() < this.#openUntil) return false;
    this.#set('half_open');
    this.#probing = true;
    return true;
  }

  success(): void {
    this.#failures = 0;
    this.#failedProbes = 0;
    this.#probing = false;
    if (this.#state !== 'closed') this.#set('closed');
    this.#wake();
  }

  /** A failed request; opens the circuit at the threshold, or at once when it was the probe. */
  failure(): void {
    if (this.#state === 'half_open' || ++this.#failures >= this.#o.failureThreshold) this.trip();
  }

  /**
   * Opens now for the backoff period (never above `resetMaxMs`, however many probes failed), or at least `minMs`
   * (a server's `Retry-After`, already capped by the writer; clamped here to what a timer can hold).
   */
  trip(minMs = 0): void {
    if (this.#state === 'half_open') this.#failedProbes++;
    const backoff = clampDelayMs(this.#o.resetMs * 2 ** this.#failedProbes, this.#o.resetMaxMs);
    this.#failures = 0;
    this.#probing = false;
    this.#openUntil = this.#o.clock.now() + Math.max(clampDelayMs(minMs, MAX_DURATION_MS), backoff);
    this.#opens++;
    this.#set('open');
    this.#armTimer();
    this.#wake();
  }

  /** Wakes waiters when the open period ends; re-arms if a timer fires early against the clock. */
  #armTimer(): void {
    if (this.#timer !== undefined) this.#o.clock.clearTimeout(this.#timer);
    this.#timer = this.#o.clock.setTimeout(
      () => {
        this.#timer = undefined;
        if (this.#state === 'open' && this.#o.clock.now() < this.#openUntil) this.#armTimer();
        else this.#wake();
      },
      Math.max(1, this.#openUntil - this.#o.clock.now()),
    );
  }

  /** Resolves once a request may be tried: closed, or open period over with no probe in flight. */
  ready(signal: AbortSignal): Promise<void> {
    const passable = (): boolean =>
      this.#state === 'closed' ||
      (!this.#probing && (this.#state === 'half_open' || this.#o.clock.now() >= this.#openUntil));
    if (passable()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const check = (): void => {
        if (signal.aborted) {
          done();
          reject(signal.reason as Error);
        } else if (passable()) {
          done();
          resolve();
        }
      };
      const done = (): void => {
        this.#waiters.delete(check);
        signal.removeEventListener('abort', check);
      };
      this.#waiters.add(check);
      signal.addEventListener('abort', check, { once: true });
    });
  }

  /** Cancels the open-period timer. */
  dispose(): void {
    if (this.#timer !== undefined) this.#o.clock.clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  #set(state: CircuitState): void {
    this.#state = state;
    this.#o.onStateChange(state);
  }

  #wake(): void {
    for (const check of [...this.#waiters]) check();
  }
}
