import type { Clock, TimerHandle } from '@homeiq/runtime';
import { HaConnectionError, HaTimeoutError } from './errors.js';
import type { Session } from './correlation/session.js';
import { PING } from './protocol/messages.js';
import type { Link } from './transport/link.js';

/** Settings of {@link Heartbeat}. */
export interface HeartbeatSettings {
  /** Quiet time (no inbound frame at all) after which a `ping` is sent. */
  readonly intervalMs: number;
  /** How long to wait for the `pong`. */
  readonly pongTimeoutMs: number;
}

/**
 * The one liveness owner of a connection. A busy link is never pinged: any inbound frame proves life. After
 * `intervalMs` of silence it sends HA's app-level `ping`; no `pong` within `pongTimeoutMs` kills the link, which
 * routes into the single close → reconnect path. A half-open TCP connection (HA gone, no FIN) is caught this way;
 * the official client has no such check (home-assistant-js-websocket#256).
 *
 * It holds at most one timer (the quiet timer, or the ping's own deadline in the session's pending commands),
 * and `stop()` or the session's death clears both.
 */
export class Heartbeat {
  readonly #link: Link;
  readonly #session: Session;
  readonly #clock: Clock;
  readonly #settings: HeartbeatSettings;
  #timer: TimerHandle | undefined;
  #stopped = false;

  constructor(link: Link, session: Session, clock: Clock, settings: HeartbeatSettings) {
    this.#link = link;
    this.#session = session;
    this.#clock = clock;
    this.#settings = settings;
  }

  /** Starts watching; the first check comes after one interval. */
  start(): void {
    this.#schedule(this.#settings.intervalMs);
  }

  /** Stops for good and clears the timer. Idempotent. */
  stop(): void {
    this.#stopped = true;
    if (this.#timer !== undefined) this.#clock.clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  #schedule(delayMs: number): void {
    if (this.#stopped) return;
    // A background timer: it runs only on an open socket, which keeps the process alive by itself; a client a
    // script forgot to close must not be held open by its heartbeat alone.
    this.#timer = this.#clock.setTimeout(
      () => {
        this.#timer = undefined;
        this.#check();
      },
      delayMs,
      { keepAlive: false },
    );
  }

  #check(): void {
    if (this.#stopped) return;
    const quietMs = this.#clock.now() - this.#link.lastInboundAtMs;
    if (quietMs < this.#settings.intervalMs) {
      this.#schedule(this.#settings.intervalMs - quietMs);
      return;
    }
    const { pongTimeoutMs } = this.#settings;
    this.#session.command(PING, undefined, { timeoutMs: pongTimeoutMs }).then(
      () => {
        this.#schedule(this.#settings.intervalMs);
      },
      (error: unknown) => {
        // Any other rejection means the session is already dead and its owner is reconnecting.
        if (this.#stopped || !(error instanceof HaTimeoutError)) return;
        this.#link.kill(
          new HaConnectionError(
            'ERR_HEARTBEAT_TIMEOUT',
            `No pong within ${pongTimeoutMs} ms; connection presumed dead`,
          ),
        );
      },
    );
  }
}
