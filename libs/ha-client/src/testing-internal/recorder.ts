import type { HaClientOptions } from '../options.js';

/** The name of a hook option. */
export type HookName = Extract<keyof HaClientOptions, `on${string}`>;

interface Waiter {
  readonly name: HookName;
  readonly predicate: (payload: unknown) => boolean;
  readonly resolve: (payload: unknown) => void;
}

/**
 * Records hook calls of a client on real sockets and lets a test await the next matching call, so integration
 * tests wait on events, not on sleeps.
 */
export class HookRecorder {
  readonly calls: { readonly name: HookName; readonly payload: unknown }[] = [];
  readonly #waiters = new Set<Waiter>();

  /** Hook options to spread into `createHaClient`. */
  hooks(): Partial<HaClientOptions> {
    const hook = (name: HookName) => (payload: unknown) => {
      this.calls.push({ name, payload });
      for (const waiter of [...this.#waiters]) {
        if (waiter.name === name && waiter.predicate(payload)) {
          this.#waiters.delete(waiter);
          waiter.resolve(payload);
        }
      }
    };
    return {
      onStateChange: hook('onStateChange'),
      onConnected: hook('onConnected'),
      onDisconnected: hook('onDisconnected'),
      onReconnectAttempt: hook('onReconnectAttempt'),
      onGap: hook('onGap'),
      onResubscribeFailed: hook('onResubscribeFailed'),
      onHaLifecycle: hook('onHaLifecycle'),
      onDrop: hook('onDrop'),
    };
  }

  /** Payloads of one hook so far. */
  of(name: HookName): unknown[] {
    return this.calls.filter((c) => c.name === name).map((c) => c.payload);
  }

  /** The next call of `name` (from now on) that matches `predicate`; rejects after `timeoutMs` of real time. */
  next(
    name: HookName,
    predicate: (payload: unknown) => boolean = () => true,
    timeoutMs = 4_000,
  ): Promise<unknown> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#waiters.delete(waiter);
        reject(
          new Error(
            `no ${name} within ${timeoutMs} ms; calls so far: ${JSON.stringify(this.calls.map((c) => c.name))}`,
          ),
        );
      }, timeoutMs);
      const waiter: Waiter = {
        name,
        predicate,
        resolve: (payload) => {
          clearTimeout(timer);
          resolve(payload);
        },
      };
      this.#waiters.add(waiter);
    });
  }

  /** Resolves when the client's state becomes `state`. */
  state(state: string, timeoutMs?: number): Promise<unknown> {
    return this.next('onStateChange', (p) => (p as { to: string }).to === state, timeoutMs);
  }
}

/** Collects events until `count` arrived; rejects after `timeoutMs` of real time. */
export function collect<T>(
  count: number,
  timeoutMs = 4_000,
): { readonly items: T[]; readonly push: (item: T) => void; readonly done: Promise<T[]> } {
  const items: T[] = [];
  let finish: () => void = () => undefined;
  const done = new Promise<T[]>((resolve, reject) => {
    const timer = setTimeout(() => {
      reject(new Error(`only ${items.length} of ${count} items within ${timeoutMs} ms`));
    }, timeoutMs);
    finish = () => {
      clearTimeout(timer);
      resolve(items);
    };
    if (count === 0) finish();
  });
  return {
    items,
    done,
    push: (item) => {
      items.push(item);
      if (items.length === count) finish();
    },
  };
}
