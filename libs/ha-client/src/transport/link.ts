import type { Clock, TimerHandle } from '@homeiq/runtime';
import { describeError, HaAuthError, HaConnectionError, type HaClientError } from '../errors.js';
import { authFrame } from '../protocol/messages.js';
import { parseFrame, type FrameVisitor, type InboundMessage, type InvalidReason } from '../protocol/parse.js';
import type { HaSocket, HaSocketFactory } from './socket.js';

/** Settings of one {@link Link}. */
export interface LinkOptions {
  readonly url: string;
  readonly accessToken: string;
  readonly createSocket: HaSocketFactory;
  readonly clock: Clock;
  /** Deadline for the WebSocket upgrade. */
  readonly connectTimeoutMs: number;
  /** Deadline for `auth_required` after the upgrade, and again for `auth_ok` after our `auth`. */
  readonly authTimeoutMs: number;
}

/** What a {@link Link} reports. `onDead` is called exactly once, unless the owner called {@link Link.close}. */
export interface LinkCallbacks {
  onReady(haVersion: string | undefined): void;
  onMessage(message: InboundMessage): void;
  onInvalid(reason: InvalidReason, detail: string): void;
  onDead(error: HaClientError): void;
}

type Phase = 'idle' | 'opening' | 'awaiting_auth_required' | 'awaiting_auth_result' | 'ready' | 'dead';

/** Grace period for HA to answer our close frame before the socket is destroyed. */
const CLOSE_GRACE_MS = 1_000;

/**
 * Owns one socket from creation to death: the upgrade, the auth handshake with a deadline on each phase, then
 * frame parsing. Every failure path goes through {@link kill}, which destroys the socket (a wedged socket ignores
 * a polite close) and reports once, so one socket never produces two reconnects.
 */
export class Link {
  readonly #options: LinkOptions;
  readonly #callbacks: LinkCallbacks;
  #phase: Phase = 'idle';
  #socket: HaSocket | undefined;
  #timer: TimerHandle | undefined;
  #transportError: Error | undefined;
  #closed: (() => void) | undefined;
  /** Time of the last inbound frame (any frame); the heartbeat pings only a quiet link. */
  lastInboundAtMs = 0;

  readonly #visitor: FrameVisitor = {
    message: (message) => {
      this.#onMessage(message);
    },
    invalid: (reason, detail) => {
      this.#callbacks.onInvalid(reason, detail);
    },
  };

  constructor(options: LinkOptions, callbacks: LinkCallbacks) {
    this.#options = options;
    this.#callbacks = callbacks;
  }

  /** True once `auth_ok` arrived and until the link dies. */
  get ready(): boolean {
    return this.#phase === 'ready';
  }

  /** Opens the socket. Failures (even a factory that throws) arrive through `onDead`, never as a throw. */
  open(): void {
    this.#phase = 'opening';
    this.#arm(this.#options.connectTimeoutMs, () => {
      this.kill(
        new HaConnectionError(
          'ERR_CONNECT_TIMEOUT',
          `No WebSocket upgrade within ${this.#options.connectTimeoutMs} ms`,
        ),
      );
    });
    try {
      this.#socket = this.#options.createSocket(this.#options.url, {
        onOpen: () => {
          this.#onOpen();
        },
        onMessage: (text) => {
          this.#onFrame(text);
        },
        onError: (error) => {
          this.#transportError = error;
        },
        onClose: (code, reason) => {
          this.#onClose(code, reason);
        },
      });
    } catch (error) {
      this.kill(
        new HaConnectionError(
          'ERR_CANNOT_CONNECT',
          `Could not open a socket: ${describeError(error).message}`,
          error,
        ),
      );
    }
  }

  /** Sends one frame; a socket that throws on send is treated as lost. */
  send(text: string): void {
    if (this.#phase === 'dead' || this.#socket === undefined) return;
    try {
      this.#socket.send(text);
    } catch (error) {
      this.kill(
        new HaConnectionError('ERR_CONNECTION_LOST', `Send failed: ${describeError(error).message}`, error),
      );
    }
  }

  /** Destroys the socket now and reports `error` through `onDead`. Idempotent. */
  kill(error: HaClientError): void {
    if (this.#phase === 'dead') return;
    this.#phase = 'dead';
    this.#disarm();
    this.#socket?.terminate();
    this.#callbacks.onDead(error);
  }

  /** Closes politely (code 1000) without reporting `onDead`; destroys the socket if HA does not answer in time. */
  close(): Promise<void> {
    if (this.#phase === 'dead' || this.#socket === undefined) {
      this.#phase = 'dead';
      this.#disarm();
      return Promise.resolve();
    }
    const socket = this.#socket;
    this.#phase = 'dead';
    return new Promise<void>((resolve) => {
      this.#closed = resolve;
      this.#arm(CLOSE_GRACE_MS, () => {
        socket.terminate();
        this.#finishClose();
      });
      socket.close(1000, 'client closing');
    });
  }

  #onOpen(): void {
    if (this.#phase !== 'opening') return;
    this.#phase = 'awaiting_auth_required';
    this.#arm(this.#options.authTimeoutMs, () => {
      this.kill(
        new HaConnectionError(
          'ERR_AUTH_TIMEOUT',
          `No auth_required within ${this.#options.authTimeoutMs} ms of the upgrade`,
        ),
      );
    });
  }

  #onFrame(text: string): void {
    if (this.#phase === 'dead') return;
    this.lastInboundAtMs = this.#options.clock.now();
    parseFrame(text, this.#visitor);
  }

  #onMessage(message: InboundMessage): void {
    switch (this.#phase) {
      case 'ready':
        this.#callbacks.onMessage(message);
        return;
      case 'awaiting_auth_required':
      case 'awaiting_auth_result':
        this.#onAuthMessage(message);
        return;
      default:
        return; // 'dead': the owner has moved on; 'opening'/'idle': no frame can precede the upgrade.
    }
  }

  #onAuthMessage(message: InboundMessage): void {
    if (message.type === 'auth_required' && this.#phase === 'awaiting_auth_required') {
      this.#phase = 'awaiting_auth_result';
      this.#arm(this.#options.authTimeoutMs, () => {
        this.kill(
          new HaConnectionError(
            'ERR_AUTH_TIMEOUT',
            `No auth_ok within ${this.#options.authTimeoutMs} ms of sending auth`,
          ),
        );
      });
      this.send(authFrame(this.#options.accessToken));
    } else if (message.type === 'auth_ok') {
      // Also valid straight after the upgrade: Supervisor connections are pre-authenticated.
      this.#disarm();
      this.#phase = 'ready';
      this.#callbacks.onReady(message.haVersion);
    } else if (message.type === 'auth_invalid') {
      this.kill(new HaAuthError(message.message));
    } else {
      this.kill(new HaConnectionError('ERR_PROTOCOL', `Unexpected \`${message.type}\` message during auth`));
    }
  }

  #onClose(code: number, reason: string): void {
    if (this.#closed !== undefined) {
      this.#finishClose();
      return;
    }
    const cause = this.#transportError;
    const detail = `code ${code}${reason === '' ? '' : `, ${reason}`}${cause === undefined ? '' : `: ${cause.message}`}`;
    if (this.#phase === 'ready') {
      this.kill(new HaConnectionError('ERR_CONNECTION_LOST', `Connection lost (${detail})`, cause));
    } else {
      const what = cause === undefined ? `closed during ${this.#phase} (${detail})` : cause.message;
      this.kill(new HaConnectionError('ERR_CANNOT_CONNECT', `Could not connect: ${what}`, cause));
    }
  }

  #finishClose(): void {
    this.#disarm();
    const resolve = this.#closed;
    this.#closed = undefined;
    resolve?.();
  }

  #arm(delayMs: number, onExpiry: () => void): void {
    this.#disarm();
    this.#timer = this.#options.clock.setTimeout(() => {
      this.#timer = undefined;
      onExpiry();
    }, delayMs);
  }

  #disarm(): void {
    if (this.#timer === undefined) return;
    this.#options.clock.clearTimeout(this.#timer);
    this.#timer = undefined;
  }
}
