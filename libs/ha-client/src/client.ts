import { CircuitBreaker, type TimerHandle } from '@homeiq/runtime';
import { Session, type DropReason } from './correlation/session.js';
import {
  clientClosedError,
  describeError,
  HaAuthError,
  HaClientStateError,
  HaConnectionError,
  type HaClientError,
} from './errors.js';
import { ClientEventListeners } from './events.js';
import type { Heartbeat } from './heartbeat.js';
import { callHook } from './hooks.js';
import type { ResolvedOptions } from './options.js';
import { ReconnectPolicy } from './reconnect/policy.js';
import { setUpSession } from './session-setup.js';
import { clientStats, StatsRecorder } from './stats.js';
import { SubscriptionRegistry, type SubscriptionSpec } from './subscriptions/registry.js';
import { Link } from './transport/link.js';
import type {
  CommandOptions,
  ConnectionState,
  HaClientEventName,
  HaClientEvents,
  HaClientStats,
  Unsubscribe,
} from './types.js';
import { Waiters } from './waiters.js';

/** The live connection: one socket, its session and its heartbeat. */
interface Live {
  readonly link: Link;
  session: Session | undefined;
  heartbeat: Heartbeat | undefined;
}

/**
 * The connection manager: one state machine that opens sockets, turns each authenticated socket into a session,
 * and after any failure schedules exactly one next attempt. Everything a socket owns (session, heartbeat,
 * subscription wire ids, retry timers) is torn down in {@link #onDead} before the next attempt is planned, so
 * no timer or listener survives its socket and a socket can never cause two reconnects. Its parts (breaker, policy,
 * registry, counters) are private: `createHaClient` checks the arguments and calls the methods below.
 */
export class ConnectionManager {
  readonly #options: ResolvedOptions;
  readonly #stats = new StatsRecorder();
  readonly #breaker: CircuitBreaker;
  readonly #policy: ReconnectPolicy;
  readonly #registry: SubscriptionRegistry;
  readonly #waiters = new Waiters();
  #state: ConnectionState = 'idle';
  #live: Live | undefined;
  #retryTimer: TimerHandle | undefined;
  #lastId = 0;
  #everConnected = false;
  #gapFromMs: number | null = null;
  /** The rejection of the current `auth_invalid` streak; cleared by a connection or a start. */
  #authError: HaAuthError | undefined;
  readonly #events: ClientEventListeners;

  constructor(options: ResolvedOptions) {
    this.#options = options;
    this.#events = new ClientEventListeners(options.logger);
    // maxCooldownMs is left at its default (the cool-down): every open period is `circuitCooldownMs` long.
    this.#breaker = new CircuitBreaker({
      failureThreshold: options.circuitFailureThreshold,
      cooldownMs: options.circuitCooldownMs,
      clock: options.clock,
    });
    this.#policy = new ReconnectPolicy(
      {
        initialDelayMs: options.retryInitialDelayMs,
        maxDelayMs: options.retryMaxDelayMs,
        jitterRatio: options.retryJitterRatio,
        maxRetries: options.maxRetries,
        stableAfterMs: options.stableConnectionMs,
      },
      options.random,
      this.#breaker,
    );
    this.#registry = new SubscriptionRegistry({
      clock: options.clock,
      random: options.random,
      logger: options.logger,
      retry: {
        initialDelayMs: options.resubscribeInitialDelayMs,
        maxDelayMs: options.resubscribeMaxDelayMs,
        jitterRatio: options.retryJitterRatio,
      },
      commandTimeoutMs: options.commandTimeoutMs,
      onFailed: ({ label, error, attempt, retryInMs }) => {
        this.#stats.recordError(error, options.clock.now());
        // Reported through the hook only: the app words the log line (one line per event).
        callHook(options, 'onResubscribeFailed', { eventType: label, error, attempt, retryInMs });
      },
      onDrop: (reason, detail) => {
        this.drop(reason, detail);
      },
    });
  }

  get state(): ConnectionState {
    return this.#state;
  }

  /** Starts from `idle` or after giving up; otherwise a no-op. */
  start(): void {
    if (this.#state !== 'idle' && this.#state !== 'failed') return;
    this.#policy.reset();
    this.#authError = undefined;
    this.#connect();
  }

  /** `HaClient.on`: listeners of the connection events, after the creation-time hook of the same event. */
  on<K extends HaClientEventName>(event: K, listener: (payload: HaClientEvents[K]) => void): void {
    if (this.#state !== 'closed') this.#events.add(event, listener);
  }

  /** `HaClient.off`. */
  off<K extends HaClientEventName>(event: K, listener: (payload: HaClientEvents[K]) => void): void {
    this.#events.remove(event, listener);
  }

  /**
   * `HaClient.whenConnected`: at once when connected, otherwise at the next connection. A rejected token rejects
   * it (and every later call while the state stays `auth_invalid`): waiting would otherwise last until someone
   * fixes the token, with nothing said.
   */
  whenConnected(signal: AbortSignal | undefined): Promise<void> {
    if (this.#state === 'connected') return Promise.resolve();
    if (this.#state === 'closed') return Promise.reject(clientClosedError());
    if (this.#state === 'auth_invalid' && this.#authError !== undefined)
      return Promise.reject(this.#authError);
    if (this.#state === 'failed') {
      return Promise.reject(
        new HaClientStateError('ERR_RETRIES_EXHAUSTED', 'The client gave up; call start() to try again'),
      );
    }
    return this.#waiters.wait(signal);
  }

  /** Sends a command on the live session; rejects with `ERR_NOT_CONNECTED` when there is none. */
  command(
    type: string,
    payload: Readonly<Record<string, unknown>> | undefined,
    options: CommandOptions | undefined,
  ): Promise<unknown> {
    if (this.#state === 'closed') return Promise.reject(clientClosedError());
    const session = this.#live?.session;
    if (session === undefined || !session.alive) {
      return Promise.reject(
        new HaConnectionError(
          'ERR_NOT_CONNECTED',
          `Not connected to Home Assistant (${this.#state}); command \`${type}\` not sent`,
        ),
      );
    }
    return session.command(type, payload, {
      timeoutMs: options?.timeoutMs ?? this.#options.commandTimeoutMs,
      signal: options?.signal,
    });
  }

  /** Adds a subscription that outlives sockets. */
  subscribe(spec: SubscriptionSpec): Unsubscribe {
    if (this.#state === 'closed') throw clientClosedError();
    return this.#registry.add(spec);
  }

  /** Counts one event delivered to a handler. */
  recordEvent(): void {
    this.#stats.recordEvent(this.#options.clock.now());
  }

  /** `HaClient.stats()`: a fresh, detached snapshot. */
  stats(): HaClientStats {
    return clientStats(this.#stats, {
      state: this.#state,
      nowMs: this.#options.clock.now(),
      circuitBreaker: this.#breaker.stats(),
      reconnectAttempt: this.#policy.attempt,
      subscriptions: this.#registry.counts(),
      pendingCommands: this.#live?.session?.pendingCount ?? 0,
    });
  }

  /** Counts and reports an undelivered inbound message. */
  drop(reason: DropReason, detail: string, error?: unknown): void {
    this.#stats.drops[reason] += 1;
    // Not logged: onDrop and stats().drops report it, and the app words it.
    callHook(this.#options, 'onDrop', error === undefined ? { reason, detail } : { reason, detail, error });
  }

  /** Final: no more attempts; waiting commands reject with `ERR_CLIENT_CLOSED`; the socket closes politely. */
  async close(): Promise<void> {
    if (this.#state === 'closed') return;
    const closed = clientClosedError();
    this.#clearRetryTimer();
    this.#registry.clear();
    const live = this.#live;
    this.#live = undefined;
    live?.heartbeat?.stop();
    live?.session?.dispose(closed);
    this.#setState('closed', undefined);
    this.#waiters.rejectAll(closed);
    await live?.link.close();
  }

  #connect(): void {
    this.#retryTimer = undefined;
    this.#stats.nextAttemptAtMs = null;
    // The retry delay already waits out an open breaker's cool-down (ReconnectPolicy.next), so this pass is the
    // half-open trial when one is due. It is false only for a start() after giving up while the breaker is still
    // cooling down: the caller asked for that attempt, so it goes ahead, as a plain attempt rather than the trial.
    this.#breaker.tryPass();
    this.#stats.connectionAttempts += 1;
    this.#setState('connecting', undefined);
    if (this.#state === 'closed') return; // an onStateChange hook closed the client
    // The resolved options carry every LinkOptions field (url, token, socket factory, clock, deadlines).
    const link: Link = new Link(this.#options, {
      onReady: (haVersion) => {
        this.#onReady(live, haVersion);
      },
      onMessage: (message) => live.session?.handle(message),
      onInvalid: (reason, detail) => {
        this.drop('invalid_frame', `${reason}: ${detail}`);
      },
      onDead: (error) => {
        this.#onDead(live, error);
      },
    });
    const live: Live = { link, session: undefined, heartbeat: undefined };
    this.#live = live;
    link.open();
  }

  #onReady(live: Live, haVersion: string | undefined): void {
    if (this.#live !== live) return;
    const options = this.#options;
    const stats = this.#stats;
    const now = options.clock.now();
    stats.successfulConnections += 1;
    stats.lastSuccessfulAtMs = now;
    stats.connectedSinceMs = now;
    stats.haVersion = haVersion ?? stats.haVersion;
    this.#breaker.recordSuccess();
    this.#policy.connected(now);
    const session = new Session(live.link, {
      clock: options.clock,
      logger: options.logger,
      commandTimeoutMs: options.commandTimeoutMs,
      nextId: () => ++this.#lastId,
      onDrop: (reason, detail, error) => {
        this.drop(reason, detail, error);
      },
    });
    live.session = session;
    live.heartbeat = setUpSession(live.link, session, options, stats, this.#registry);
    // A socket that failed while the setup frames were written has already been torn down and replaced.
    if (this.#live !== live) return;
    const reconnect = this.#everConnected;
    this.#everConnected = true;
    this.#authError = undefined;
    this.#setState('connected', undefined);
    this.#waiters.resolveAll();
    const gapFromMs = this.#gapFromMs;
    this.#gapFromMs = null;
    // Each hook may close the client; later hooks then have nothing left to report.
    if (gapFromMs !== null && this.#live === live) {
      stats.gaps += 1;
      this.#report('onGap', 'gap', { fromMs: gapFromMs, toMs: now });
    }
    if (this.#live === live)
      this.#report('onConnected', 'connected', { haVersion: stats.haVersion, reconnect });
  }

  #onDead(live: Live, error: HaClientError): void {
    if (this.#live !== live) return;
    this.#live = undefined;
    const options = this.#options;
    const stats = this.#stats;
    const now = options.clock.now();
    live.heartbeat?.stop();
    this.#registry.detach();
    stats.recordError(error, now);
    stats.connectedSinceMs = null;
    if (live.session === undefined) {
      stats.failedConnections += 1;
      this.#breaker.recordFailure(describeError(error));
    } else {
      live.session.dispose(
        error.code === 'ERR_CONNECTION_LOST'
          ? error
          : new HaConnectionError('ERR_CONNECTION_LOST', `Connection lost: ${error.message}`, error),
      );
      this.#policy.disconnected(now);
      this.#gapFromMs ??= now;
      this.#report('onDisconnected', 'disconnected', { error, atMs: now });
    }
    this.#scheduleRetry(error);
  }

  #scheduleRetry(error: HaClientError): void {
    if (this.#state === 'closed') return;
    const options = this.#options;
    const authRejected = error.code === 'ERR_AUTH_INVALID';
    const decision = this.#policy.next(authRejected);
    if (decision.giveUp) {
      const gaveUp = new HaClientStateError(
        'ERR_RETRIES_EXHAUSTED',
        `Gave up after ${options.maxRetries} retries: ${error.message}`,
        error,
      );
      // onStateChange carries `gaveUp`; like every event with a hook, it is not logged here.
      this.#setState('failed', gaveUp);
      this.#waiters.rejectAll(gaveUp);
      return;
    }
    const { attempt, delayMs } = decision;
    // The timer goes in before any hook runs, so a hook that calls close() finds it and clears it. It keeps the
    // process alive (the default): during the backoff no socket does, and a script awaiting whenConnected() must
    // not exit mid-wait.
    this.#retryTimer = options.clock.setTimeout(() => {
      this.#connect();
    }, delayMs);
    this.#stats.nextAttemptAtMs = options.clock.now() + delayMs;
    if (authRejected && error instanceof HaAuthError) this.#rejectToken(error, delayMs);
    this.#setState(authRejected ? 'auth_invalid' : 'reconnecting', error);
    if (this.state === 'closed') return; // an onStateChange hook or listener closed the client
    this.#report('onReconnectAttempt', 'reconnecting', {
      attempt,
      maxRetries: options.maxRetries,
      delayMs,
      error,
    });
  }

  /**
   * A rejected token: the waiters reject, and the first rejection of a streak is logged as an error. This is the
   * one failure the client logs although a hook reports it too: it needs a person to fix the configuration, and a
   * consumer that gave no hook would otherwise see nothing at all. Later rejections of the same streak
   * (one per `retryMaxDelayMs`) are reported through the hooks only.
   */
  #rejectToken(error: HaAuthError, delayMs: number): void {
    const first = this.#authError === undefined;
    this.#authError = error;
    if (first) {
      this.#options.logger.error(`${error.message}; retrying in ${(delayMs / 1000).toFixed(1)} s`, {
        code: error.code,
      });
    }
    this.#waiters.rejectAll(error);
  }

  /** Calls the creation-time hook, then the listeners added with `on()`, with the same payload. */
  #report<H extends 'onGap' | 'onConnected' | 'onDisconnected' | 'onReconnectAttempt' | 'onStateChange'>(
    hook: H,
    event: EventOf<H>,
    payload: HaClientEvents[EventOf<H>],
  ): void {
    callHook(this.#options, hook, payload as never);
    this.#events.emit(event, payload);
  }

  #clearRetryTimer(): void {
    if (this.#retryTimer !== undefined) this.#options.clock.clearTimeout(this.#retryTimer);
    this.#retryTimer = undefined;
    this.#stats.nextAttemptAtMs = null;
  }

  #setState(to: ConnectionState, error: HaClientError | undefined): void {
    const from = this.#state;
    if (from === to) return;
    this.#state = to;
    this.#report('onStateChange', 'stateChange', { from, to, error });
    if (this.#state !== to) return; // a hook or listener moved on (closed the client)
    if (to === 'failed' && error instanceof HaClientStateError)
      this.#events.emit('terminal', { state: to, error });
    if (to === 'closed') {
      this.#events.emit('terminal', { state: to, error: clientClosedError() });
      this.#events.clear(); // final: nothing more to report, and listeners must not keep their owners alive
    }
  }
}

/** The event of `client.on()` that each creation-time hook matches. */
type EventOf<H extends string> = H extends 'onGap'
  ? 'gap'
  : H extends 'onConnected'
    ? 'connected'
    : H extends 'onDisconnected'
      ? 'disconnected'
      : H extends 'onReconnectAttempt'
        ? 'reconnecting'
        : 'stateChange';
