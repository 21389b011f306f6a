import type { Clock, Logger } from '@homeiq/runtime';
import {
  describeError,
  HaAbortError,
  HaCommandError,
  HaConnectionError,
  type HaClientError,
} from '../errors.js';
import { commandFrame, UNSUBSCRIBE_EVENTS, unsubscribePayload } from '../protocol/messages.js';
import type { InboundMessage } from '../protocol/parse.js';
import type { Link } from '../transport/link.js';
import { PendingCommands } from './pending.js';

/** Why an inbound message was not delivered. Each one is counted and reported through `onDrop`. */
export type DropReason =
  | 'invalid_frame'
  | 'invalid_event'
  | 'unknown_subscription'
  | 'unsubscribed'
  | 'unexpected_result'
  | 'handler_error';

/** What a {@link Session} needs from its owner. */
export interface SessionDeps {
  readonly clock: Clock;
  /** Hands out ids: one counter for the client's whole life, so ids rise strictly on every socket. */
  readonly nextId: () => number;
  readonly onDrop: (reason: DropReason, detail: string, error?: unknown) => void;
  readonly logger: Logger;
  /** Deadline of the commands the session sends on its own. */
  readonly commandTimeoutMs: number;
}

/** Per-command settings. */
export interface CommandSettings {
  readonly timeoutMs: number;
  readonly signal?: AbortSignal | undefined;
}

/**
 * One authenticated socket's command layer: allocates ids, sends, correlates answers by id (in any order),
 * routes subscription events, and when the socket dies rejects everything still waiting. A new socket gets a new
 * session; nothing here outlives its socket.
 */
export class Session {
  readonly #link: Link;
  readonly #deps: SessionDeps;
  readonly #pending: PendingCommands;
  readonly #routes = new Map<number, (event: unknown) => void>();
  /** Subscriptions we asked HA to end: their last events may still be in flight. */
  readonly #ending = new Set<number>();
  #disposed = false;

  constructor(link: Link, deps: SessionDeps) {
    this.#link = link;
    this.#deps = deps;
    this.#pending = new PendingCommands(deps.clock);
  }

  /** Commands waiting for an answer on this socket. */
  get pendingCount(): number {
    return this.#pending.size;
  }

  /** False once the socket died; commands then reject at once. */
  get alive(): boolean {
    return !this.#disposed;
  }

  /** Sends a command and resolves with HA's `result`, or rejects with a typed error. */
  command(
    type: string,
    payload: Readonly<Record<string, unknown>> | undefined,
    settings: CommandSettings,
  ): Promise<unknown> {
    return this.#send(this.#deps.nextId(), type, payload, settings);
  }

  /**
   * Sends a subscribe command whose events go to `onEvent`. The route exists before the frame leaves, so an
   * event right behind the result is never missed. `result` settles with HA's answer to the subscribe command.
   */
  subscribe(
    type: string,
    payload: Readonly<Record<string, unknown>> | undefined,
    onEvent: (event: unknown) => void,
    settings: CommandSettings,
  ): { readonly id: number; readonly result: Promise<unknown> } {
    const id = this.#deps.nextId();
    this.#routes.set(id, onEvent);
    const result = this.#send(id, type, payload, settings);
    result.catch(() => this.#routes.delete(id));
    return { id, result };
  }

  /** Ends subscription `id` on HA. Resolves once HA confirmed, the socket died, or HA no longer knew it. */
  async unsubscribe(id: number, settings: CommandSettings): Promise<void> {
    this.#routes.delete(id);
    if (this.#disposed) return;
    this.#ending.add(id);
    try {
      await this.command(UNSUBSCRIBE_EVENTS, unsubscribePayload(id), settings);
    } finally {
      this.#ending.delete(id);
    }
  }

  /** Routes one inbound message of the command phase. */
  handle(message: InboundMessage): void {
    switch (message.type) {
      case 'event':
        this.#onEvent(message.id, message.event);
        return;
      case 'result':
        if (message.success) this.#settled(this.#pending.resolve(message.id, message.result), message.id);
        else {
          const { code, message: text, ...details } = message.error;
          this.#settled(
            this.#pending.reject(message.id, (type) => new HaCommandError(type, code, text, details)),
            message.id,
          );
        }
        return;
      case 'pong':
        this.#settled(this.#pending.resolve(message.id, undefined), message.id);
        return;
      default:
        this.#deps.onDrop('invalid_frame', `unexpected \`${message.type}\` after auth`);
    }
  }

  /** The socket died: reject every waiting command with `error` and forget all routes. Idempotent. */
  dispose(error: HaClientError): void {
    if (this.#disposed) return;
    this.#disposed = true;
    this.#routes.clear();
    this.#ending.clear();
    this.#pending.rejectAll(error);
  }

  #send(
    id: number,
    type: string,
    payload: Readonly<Record<string, unknown>> | undefined,
    settings: CommandSettings,
  ): Promise<unknown> {
    if (settings.signal?.aborted === true) {
      return Promise.reject(new HaAbortError(`Command \`${type}\``, settings.signal.reason));
    }
    if (this.#disposed) {
      return Promise.reject(
        new HaConnectionError('ERR_CONNECTION_LOST', `Connection lost; \`${type}\` not sent`),
      );
    }
    const answer = this.#pending.track(id, type, settings);
    this.#link.send(commandFrame(id, type, payload));
    return answer;
  }

  #onEvent(id: number, event: unknown): void {
    const route = this.#routes.get(id);
    if (route === undefined) {
      this.#onStrayEvent(id);
      return;
    }
    try {
      route(event);
    } catch (error) {
      this.#deps.onDrop('handler_error', `subscription ${id}`, error);
    }
  }

  #onStrayEvent(id: number): void {
    if (this.#ending.has(id)) {
      this.#deps.onDrop('unsubscribed', `subscription ${id} is being ended`);
      return;
    }
    // A subscription nobody routes (e.g. its subscribe timed out, then HA accepted it): end it on HA so it stops
    // costing HA's send queue, like the official client does.
    this.#deps.onDrop('unknown_subscription', `subscription ${id}`);
    this.unsubscribe(id, { timeoutMs: this.#deps.commandTimeoutMs }).catch((error: unknown) => {
      this.#deps.logger.warn('Could not end an unknown subscription', {
        subscriptionId: id,
        error: describeError(error),
      });
    });
  }

  #settled(found: boolean, id: number): void {
    if (!found) this.#deps.onDrop('unexpected_result', `no command waits for id ${id}`);
  }
}
