import type { SimTimers } from './timers.js';

/**
 * aiohttp's `heartbeat`: after `heartbeatMs` without traffic from the client, a WS ping; no pong (or
 * other traffic) within half of it and the connection is dropped. `heartbeatMs` 0 disables it.
 */
export class Heartbeat {
  #idleTimer: unknown = null;
  #pongTimer: unknown = null;

  constructor(
    readonly timers: SimTimers,
    readonly heartbeatMs: number,
    readonly ping: () => void,
    readonly onTimeout: () => void,
  ) {}

  /** Traffic from the client: start the idle wait again. */
  arm(): void {
    this.stop();
    if (this.heartbeatMs === 0) return;
    this.#idleTimer = this.timers.setTimeout(() => {
      this.#idleTimer = null;
      this.ping();
      this.#pongTimer = this.timers.setTimeout(() => {
        this.#pongTimer = null;
        this.onTimeout();
      }, this.heartbeatMs / 2);
    }, this.heartbeatMs);
  }

  stop(): void {
    if (this.#idleTimer !== null) this.timers.clearTimeout(this.#idleTimer);
    if (this.#pongTimer !== null) this.timers.clearTimeout(this.#pongTimer);
    this.#idleTimer = null;
    this.#pongTimer = null;
  }
}
