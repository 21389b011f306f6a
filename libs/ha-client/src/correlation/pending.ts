import type { Clock, TimerHandle } from '@homeiq/runtime';
import { HaAbortError, HaTimeoutError } from '../errors.js';

/** Per-command settings of {@link PendingCommands.track}. */
export interface TrackOptions {
  readonly timeoutMs: number;
  readonly signal?: AbortSignal | undefined;
}

interface Entry {
  readonly commandType: string;
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: Error) => void;
  readonly timer: TimerHandle;
  readonly signal: AbortSignal | undefined;
  readonly onAbort: () => void;
}

/**
 * Commands sent on one socket and waiting for their answer, keyed by id. HA answers in any order (async
 * handlers run as tasks), so only the id links an answer to its command. Each entry owns one timer and at most
 * one abort listener, and both are released whichever way the entry settles.
 */
export class PendingCommands {
  readonly #clock: Clock;
  readonly #entries = new Map<number, Entry>();

  constructor(clock: Clock) {
    this.#clock = clock;
  }

  /** Commands waiting for an answer. */
  get size(): number {
    return this.#entries.size;
  }

  /** Registers command `id`; the promise settles on its answer, its timeout, its signal or {@link rejectAll}. */
  track(id: number, commandType: string, options: TrackOptions): Promise<unknown> {
    return new Promise<unknown>((resolve, reject) => {
      const timer = this.#clock.setTimeout(() => {
        this.#settle(id)?.reject(new HaTimeoutError(commandType, options.timeoutMs));
      }, options.timeoutMs);
      const onAbort = (): void => {
        this.#settle(id)?.reject(new HaAbortError(`Command \`${commandType}\``, options.signal?.reason));
      };
      options.signal?.addEventListener('abort', onAbort, { once: true });
      this.#entries.set(id, { commandType, resolve, reject, timer, signal: options.signal, onAbort });
    });
  }

  /** Settles command `id` with its result. False when no command waits for that id (late or unknown answer). */
  resolve(id: number, result: unknown): boolean {
    const entry = this.#settle(id);
    entry?.resolve(result);
    return entry !== undefined;
  }

  /** Rejects command `id` with an error built from its command type. False when none waits for that id. */
  reject(id: number, makeError: (commandType: string) => Error): boolean {
    const entry = this.#settle(id);
    entry?.reject(makeError(entry.commandType));
    return entry !== undefined;
  }

  /** Rejects every waiting command, e.g. with a connection-lost error when the socket drops. */
  rejectAll(error: Error): void {
    for (const id of [...this.#entries.keys()]) this.#settle(id)?.reject(error);
  }

  #settle(id: number): Entry | undefined {
    const entry = this.#entries.get(id);
    if (entry === undefined) return undefined;
    this.#entries.delete(id);
    this.#clock.clearTimeout(entry.timer);
    entry.signal?.removeEventListener('abort', entry.onAbort);
    return entry;
  }
}
