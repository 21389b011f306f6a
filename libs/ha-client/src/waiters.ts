import { HaAbortError } from './errors.js';

interface Waiter {
  readonly resolve: () => void;
  readonly reject: (error: Error) => void;
  readonly cleanup: () => void;
}

/** Callers of `whenConnected()` waiting for the next connection. Each releases its abort listener when settled. */
export class Waiters {
  readonly #waiters = new Set<Waiter>();

  /** Number of callers waiting. */
  get size(): number {
    return this.#waiters.size;
  }

  /** Waits for {@link resolveAll} or {@link rejectAll}, or rejects with `ERR_ABORTED` when `signal` fires. */
  wait(signal: AbortSignal | undefined): Promise<void> {
    if (signal?.aborted === true) return Promise.reject(new HaAbortError('whenConnected()', signal.reason));
    return new Promise<void>((resolve, reject) => {
      const onAbort = (): void => {
        this.#waiters.delete(waiter);
        reject(new HaAbortError('whenConnected()', signal?.reason));
      };
      const waiter: Waiter = {
        resolve,
        reject,
        cleanup: () => signal?.removeEventListener('abort', onAbort),
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.#waiters.add(waiter);
    });
  }

  /** Resolves every waiter. */
  resolveAll(): void {
    for (const waiter of this.#take()) waiter.resolve();
  }

  /** Rejects every waiter with `error`. */
  rejectAll(error: Error): void {
    for (const waiter of this.#take()) waiter.reject(error);
  }

  #take(): Waiter[] {
    const waiters = [...this.#waiters];
    this.#waiters.clear();
    for (const waiter of waiters) waiter.cleanup();
    return waiters;
  }
}
