import type { QueueBatch } from './types.js';

/** A consumer parked in `take()`. */
interface Waiter {
  readonly resolve: (batch: QueueBatch | undefined) => void;
  /** Removes the abort listener, so a served or ended wait holds nothing on the signal. */
  readonly cleanup: () => void;
}

/**
 * Consumers waiting in `take()`, served in arrival order. An aborted wait leaves the line and rejects with the
 * signal's reason; every other wait ends with a batch, or with `undefined` when the queue closes.
 */
export class Waiters {
  readonly #waiting: Waiter[] = [];

  get length(): number {
    return this.#waiting.length;
  }

  /** Parks a consumer; called from `take()`'s promise executor with its `resolve` and `reject`. */
  add(
    resolve: (batch: QueueBatch | undefined) => void,
    reject: (reason: Error) => void,
    signal: AbortSignal | undefined,
  ): void {
    const onAbort = (): void => {
      const index = this.#waiting.indexOf(waiter);
      if (index !== -1) this.#waiting.splice(index, 1);
      reject(signal?.reason as Error);
    };
    const waiter: Waiter = {
      resolve,
      cleanup: () => signal?.removeEventListener('abort', onAbort),
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    this.#waiting.push(waiter);
  }

  /** Hands `batch()` to the consumer waiting longest; `false` (and `batch` is not called) when none waits. */
  serveFirst(batch: () => QueueBatch): boolean {
    const waiter = this.#waiting.shift();
    if (!waiter) return false;
    waiter.cleanup();
    waiter.resolve(batch());
    return true;
  }

  /** Ends every wait with `undefined`: the queue is closed. */
  endAll(): void {
    for (const waiter of this.#waiting.splice(0)) {
      waiter.cleanup();
      waiter.resolve(undefined);
    }
  }
}
