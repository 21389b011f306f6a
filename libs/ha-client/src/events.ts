import type { Logger } from '@homeiq/runtime';
import { describeError } from './errors.js';
import type { HaClientEvents } from './types.js';

type Listener<K extends keyof HaClientEvents> = (payload: HaClientEvents[K]) => void;

/**
 * The listeners added with `client.on()`. A listener that throws is logged and the others still run, as a hook
 * that throws: the connection state machine must never stop halfway through a transition. Listeners are called in
 * the order they were added; one added or removed while an event is delivered takes effect from the next event.
 */
export class ClientEventListeners {
  readonly #listeners = new Map<keyof HaClientEvents, Set<(payload: never) => void>>();
  readonly #logger: Logger;

  constructor(logger: Logger) {
    this.#logger = logger;
  }

  add<K extends keyof HaClientEvents>(event: K, listener: Listener<K>): void {
    let set = this.#listeners.get(event);
    if (set === undefined) {
      set = new Set();
      this.#listeners.set(event, set);
    }
    set.add(listener);
  }

  remove<K extends keyof HaClientEvents>(event: K, listener: Listener<K>): void {
    this.#listeners.get(event)?.delete(listener);
  }

  emit<K extends keyof HaClientEvents>(event: K, payload: HaClientEvents[K]): void {
    const set = this.#listeners.get(event);
    if (set === undefined || set.size === 0) return;
    for (const listener of [...set] as Listener<K>[]) {
      try {
        listener(payload);
      } catch (error) {
        this.#logger.error(`Listener for '${event}' threw`, { error: describeError(error) });
      }
    }
  }

  clear(): void {
    this.#listeners.clear();
  }
}

/** Every event, once: a record so that an event added to `HaClientEvents` must be listed here too. */
const EVENTS: Readonly<Record<keyof HaClientEvents, true>> = {
  connected: true,
  disconnected: true,
  reconnecting: true,
  gap: true,
  terminal: true,
  stateChange: true,
};

/** The event names `on()` accepts, to check a JavaScript caller's argument. */
export const CLIENT_EVENT_NAMES = Object.keys(EVENTS) as readonly (keyof HaClientEvents)[];
