/**
 * The public shapes of the client: its interface, stats snapshot and hook payloads. All camelCase; HA's wire
 * names stay in `protocol/`.
 */
import type { CircuitBreakerStats } from '@homeiq/runtime';
import type { DropReason } from './correlation/session.js';
import type {
  CallServiceResult,
  HaCommands,
  HaCommandType,
  HaConfig,
  HaServices,
  HaServiceTarget,
  HaState,
  HaStateChangedData,
} from './commands.js';
import type { HaClientError, HaClientStateError } from './errors.js';
import type { HaEvent } from './protocol/event.js';

/**
 * - `idle`: created, `start()` not called yet.
 * - `connecting`: a socket is opening or authenticating.
 * - `connected`: authenticated; commands and subscriptions flow.
 * - `reconnecting`: waiting out the backoff before the next attempt.
 * - `auth_invalid`: HA rejected the token; `whenConnected()` rejects with `ERR_AUTH_INVALID` while in it, and the
 *   client waits the maximum delay before trying again (a token fixed in HA is picked up then).
 * - `failed`: `maxRetries` used up (terminal until `start()`, which tries again).
 * - `closed`: `close()` was called; final.
 */
export type ConnectionState =
  'idle' | 'connecting' | 'connected' | 'reconnecting' | 'auth_invalid' | 'failed' | 'closed';

/**
 * Receives the events of one subscription. Its return value is ignored, except that a returned promise's
 * rejection is counted as a `handler_error` drop; the promise is never awaited.
 */
export type EventHandler<D = unknown> = (event: HaEvent<D>) => unknown;

/** Removes a subscription. Idempotent: every call returns the same promise, which never rejects. */
export type Unsubscribe = () => Promise<void>;

/** Per-call settings of {@link HaClient.sendCommand}. */
export interface CommandOptions {
  /** Deadline for HA's answer. Defaults to the client's `commandTimeoutMs`. */
  readonly timeoutMs?: number | undefined;
  /** Rejects the command with `ERR_ABORTED` when it fires; HA may still run it. */
  readonly signal?: AbortSignal | undefined;
}

/** An error as reported in stats: code and message only. */
export interface ErrorSummary {
  readonly code: string;
  readonly message: string;
  /** When it happened, epoch ms. */
  readonly atMs: number;
}

/** A read-only snapshot of the client, for `/health` and metrics. */
export interface HaClientStats {
  /** Started and neither closed nor given up. */
  readonly isRunning: boolean;
  readonly state: ConnectionState;
  /** Every socket the client tried to open, the first one included. */
  readonly connectionAttempts: number;
  /** Attempts that authenticated. */
  readonly successfulConnections: number;
  /** Attempts that did not authenticate (refused, timed out, token rejected…). */
  readonly failedConnections: number;
  /** When the last connection authenticated, epoch ms. */
  readonly lastSuccessfulAtMs: number | null;
  /** When the current connection authenticated, epoch ms; null when not connected. */
  readonly connectedSinceMs: number | null;
  /** The most recent failure of any kind. Never contains the access token. */
  readonly lastError: ErrorSummary | null;
  /** From `auth_ok`, then from `get_config`. */
  readonly haVersion: string | null;
  /** HA's core state from `get_config` (`RUNNING`, `STARTING`, …). */
  readonly haState: string | null;
  /** Events delivered to subscription handlers since the client was created. */
  readonly eventsReceived: number;
  /** Events delivered in the last 60 s. */
  readonly eventRatePerMinute: number;
  /** When the last event was delivered, epoch ms. */
  readonly lastEventAtMs: number | null;
  /** The connection's circuit breaker: state ('closed' | 'open' | 'half_open'), failures, opens, last failure. */
  readonly circuitBreaker: CircuitBreakerStats;
  /** Consecutive retries so far (0 once a connection proved stable). */
  readonly reconnectAttempt: number;
  /** When the next attempt is due, epoch ms; null unless waiting. */
  readonly nextAttemptAtMs: number | null;
  /** Disconnected intervals reported through `onGap`. */
  readonly gaps: number;
  readonly subscriptions: { readonly total: number; readonly active: number; readonly retrying: number };
  /** Commands waiting for an answer. */
  readonly pendingCommands: number;
  /** Inbound messages not delivered, by reason. */
  readonly drops: Readonly<Record<DropReason, number>>;
}

/** Payload of `onStateChange`. */
export interface StateChange {
  readonly from: ConnectionState;
  readonly to: ConnectionState;
  /** What caused the change, when it was a failure. */
  readonly error: HaClientError | undefined;
}

/** Payload of `onConnected`. */
export interface ConnectedInfo {
  readonly haVersion: string | null;
  /** False for the first connection of this client, true after any earlier one. */
  readonly reconnect: boolean;
}

/** Payload of `onDisconnected`: an authenticated connection ended. */
export interface DisconnectedInfo {
  readonly error: HaClientError;
  readonly atMs: number;
}

/** Payload of `onReconnectAttempt`, enough for `Reconnection attempt 3/∞ in 4.0s`. */
export interface ReconnectAttemptInfo {
  /** 1 for the first retry after a failure or drop. */
  readonly attempt: number;
  /** -1 means unlimited. */
  readonly maxRetries: number;
  readonly delayMs: number;
  /** Why the previous attempt or connection ended. */
  readonly error: HaClientError;
}

/** Payload of `onGap`: events between `fromMs` and `toMs` were not received; resync what changed. */
export interface GapInfo {
  /** When the connection was lost, epoch ms. */
  readonly fromMs: number;
  /** When the new connection was authenticated and every subscription re-sent, epoch ms. */
  readonly toMs: number;
}

/** Payload of `onResubscribeFailed`: a subscribe was rejected and will be retried. */
export interface ResubscribeFailedInfo {
  /** The subscribed event type; undefined for all events. */
  readonly eventType: string | undefined;
  readonly error: HaClientError;
  /** Consecutive failures of this subscription on this connection. */
  readonly attempt: number;
  readonly retryInMs: number;
}

/** Payload of `onHaLifecycle`, from `get_config` after each authentication. */
export interface HaLifecycleInfo {
  readonly haVersion: string | null;
  /** `NOT_RUNNING`, `STARTING`, `RUNNING`, `STOPPING`, `FINAL_WRITE` or `STOPPED`. */
  readonly haState: string;
  /** `haState === 'RUNNING'`. Subscriptions are in place either way. */
  readonly running: boolean;
}

/** Payload of the `terminal` event: the client stopped trying, by giving up (`failed`) or by `close()`. */
export interface TerminalInfo {
  readonly state: 'failed' | 'closed';
  /** `ERR_RETRIES_EXHAUSTED` (its `cause` is the last failure) or `ERR_CLIENT_CLOSED`. */
  readonly error: HaClientStateError;
}

/**
 * The events of `client.on(event, listener)`, with their payloads. For one connection they come in this order:
 * `stateChange` (to `connecting`) … on success `gap` (after a reconnect only), then `connected`; on a drop
 * `disconnected`, then `reconnecting` for the retry scheduled (also after a failed attempt, and with
 * `error.code === 'ERR_AUTH_INVALID'` for a rejected token). `terminal` comes once per stop (give-up or close).
 * The creation-time hook of the same event (`onGap`, `onConnected`…) runs just before the listeners.
 */
export interface HaClientEvents {
  /** Authenticated, every subscription sent (`onConnected`). */
  connected: ConnectedInfo;
  /** An authenticated connection ended (`onDisconnected`). */
  disconnected: DisconnectedInfo;
  /** A retry was scheduled (`onReconnectAttempt`). */
  reconnecting: ReconnectAttemptInfo;
  /** After a reconnect, before `connected`: events between `fromMs` and `toMs` were missed (`onGap`). */
  gap: GapInfo;
  /** Gave up (`failed`) or closed. */
  terminal: TerminalInfo;
  /** Every state transition (`onStateChange`). */
  stateChange: StateChange;
}

/** The name of an event of {@link HaClientEvents}. */
export type HaClientEventName = keyof HaClientEvents;

/** Per-call settings of {@link HaClient.callService}. */
export interface CallServiceOptions extends CommandOptions {
  /** Ask for the service's response data (`return_response`); it comes back as `response`. */
  readonly returnResponse?: boolean | undefined;
}

/** Payload of `onDrop`: an inbound message that was not delivered. */
export interface DropInfo {
  readonly reason: DropReason;
  readonly detail: string;
  /** The handler's exception for `handler_error`. */
  readonly error?: unknown;
}

/** A Home Assistant WebSocket connection that reconnects forever and restores its subscriptions. */
export interface HaClient {
  /**
   * Starts connecting in the background; never throws because HA is unreachable. Idempotent; after the client
   * gave up (`failed`) it starts over. Throws `ERR_CLIENT_CLOSED` after `close()`.
   */
  start(): void;
  /**
   * Resolves when connected (at once if connected now): authenticated, with every subscription sent, though not
   * yet acknowledged; HA handles them before any command sent after. Rejects with `ERR_AUTH_INVALID`
   * (`HaAuthError`) when HA rejects the token (at once while the state is `auth_invalid`), with
   * `ERR_RETRIES_EXHAUSTED` when the client gives up, `ERR_CLIENT_CLOSED` on `close()`, `ERR_ABORTED` when
   * `signal` fires.
   */
  whenConnected(options?: { readonly signal?: AbortSignal | undefined }): Promise<void>;
  /**
   * Sends a command and resolves with HA's `result`. Rejects with a typed {@link HaClientError}. The commands of
   * {@link HaCommands} are typed by name (`sendCommand('config/entity_registry/list')` resolves with
   * `HaEntityRegistryEntry[]`); for any other, name the result type: `sendCommand<MyResult>('x/y', payload)`.
   */
  sendCommand<K extends HaCommandType>(
    type: K,
    payload?: HaCommands[K]['payload'],
    options?: CommandOptions,
  ): Promise<HaCommands[K]['result']>;
  sendCommand<T = unknown>(
    type: string,
    payload?: Readonly<Record<string, unknown>>,
    options?: CommandOptions,
  ): Promise<T>;
  /**
   * Calls a service (`call_service`), e.g. `callService('light', 'turn_on', { brightness_pct: 50 },
   * { entity_id: 'light.kitchen' })`. Resolves with `{ context, response? }`; `response` only with
   * `returnResponse: true`. A failure rejects with {@link HaCommandError} (`haCode` `not_found`,
   * `service_validation_error`, …, with HA's `translationKey`/`translationPlaceholders`).
   */
  callService<R = unknown>(
    domain: string,
    service: string,
    serviceData?: Readonly<Record<string, unknown>>,
    target?: HaServiceTarget,
    options?: CallServiceOptions,
  ): Promise<CallServiceResult<R>>;
  /** `get_states`: every entity's current state. */
  getStates(options?: CommandOptions): Promise<HaState[]>;
  /** `get_config`: HA's core configuration (version, time zone, units, core `state`…). */
  getConfig(options?: CommandOptions): Promise<HaConfig>;
  /** `get_services`: every service by domain, with its fields. */
  getServices(options?: CommandOptions): Promise<HaServices>;
  /**
   * Listens to a connection event from now on (see {@link HaClientEvents} for the events and their order).
   * Returns a function that removes the listener, like `off(event, listener)`.
   */
  on<K extends HaClientEventName>(event: K, listener: (payload: HaClientEvents[K]) => void): () => void;
  /** Removes a listener added with `on()`. Removing one that is not there does nothing. */
  off<K extends HaClientEventName>(event: K, listener: (payload: HaClientEvents[K]) => void): void;
  /**
   * Subscribes to one event type (or all with `undefined`), now and after every reconnect. The handler runs on
   * the socket's read path: keep it cheap and hand work off (see the README). An async handler is not awaited;
   * its rejection is counted as a `handler_error` drop. For `state_changed`, `event.data` is typed as HA sends it
   * (`HaStateChangedData`); the client checks the envelope, not `data` (`@homeiq/event-normalizer` validates it).
   */
  subscribeEvents(eventType: 'state_changed', handler: EventHandler<HaStateChangedData>): Unsubscribe;
  /**
   * Any event type, or every event with `undefined`. `D` names the shape of `data` you expect (default
   * `unknown`): HA's event data is passed through as sent, and the client does not check it.
   */
  subscribeEvents<D = unknown>(eventType: string | undefined, handler: EventHandler<D>): Unsubscribe;
  /** The current state. */
  readonly state: ConnectionState;
  /** A fresh snapshot. */
  stats(): HaClientStats;
  /** Stops reconnecting, rejects waiting commands, closes the socket politely. Idempotent. */
  close(): Promise<void>;
}
