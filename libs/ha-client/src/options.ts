import {
  createConsoleLogger,
  describeType,
  invalidOptionMessage,
  systemClock,
  systemRandom,
  type Clock,
  type Logger,
  type Random,
  type RuntimeOptions,
} from '@homeiq/runtime';
import { HaInvalidArgumentError, optionCheck } from './errors.js';
import { HA_CLIENT_LIMITS } from './limits.js';
import { normalizeHaUrl } from './transport/url.js';
import type { HaSocketFactory } from './transport/socket.js';
import { createWsSocketFactory, type HaTlsOptions } from './transport/ws-socket.js';
import type {
  ConnectedInfo,
  DisconnectedInfo,
  DropInfo,
  GapInfo,
  HaLifecycleInfo,
  ReconnectAttemptInfo,
  ResubscribeFailedInfo,
  StateChange,
} from './types.js';

/**
 * Options of `createHaClient`. Only `url` and `accessToken` are required. Every `…Ms` option is a whole number of
 * milliseconds of at most 86400000 (one day, `MAX_DURATION_MS` of `@homeiq/runtime`): a longer delay would not fit
 * a Node timer, which fires such a timer after 1 ms.
 */
export interface HaClientOptions extends RuntimeOptions {
  /** `http(s)://host:8123` or `ws(s)://host:8123`, with or without `/api/websocket`. */
  readonly url: string;
  /** A long-lived access token. It is sent in the `auth` message only and never logged or reported. */
  readonly accessToken: string;
  /** Deadline for the WebSocket upgrade. @default 10000 */
  readonly connectTimeoutMs?: number;
  /** Deadline for `auth_required` after the upgrade, and for `auth_ok` after `auth`. @default 10000 */
  readonly authTimeoutMs?: number;
  /** Default deadline of a command. @default 30000 */
  readonly commandTimeoutMs?: number;
  /** Retries after a failure before giving up; -1 retries forever. @default -1 */
  readonly maxRetries?: number;
  /** Delay before the first retry; doubles per retry. @default 1000 */
  readonly retryInitialDelayMs?: number;
  /** Cap of the retry delay; also the delay after HA rejects the token. @default 300000 */
  readonly retryMaxDelayMs?: number;
  /** Share of a retry delay that random jitter may take off (0–1). @default 0.2 */
  readonly retryJitterRatio?: number;
  /** A connection up this long resets the retry counter when it drops. @default 60000 */
  readonly stableConnectionMs?: number;
  /** Consecutive failed attempts that open the circuit breaker. @default 5 */
  readonly circuitFailureThreshold?: number;
  /** How long an open breaker holds attempts back before a half-open trial. @default 30000 */
  readonly circuitCooldownMs?: number;
  /** Quiet time before an app-level `ping`; 0 turns the heartbeat off. @default 30000 */
  readonly heartbeatIntervalMs?: number;
  /** Wait for the `pong` before the connection is presumed dead. @default 10000 */
  readonly pongTimeoutMs?: number;
  /** First delay before retrying a rejected subscribe; doubles per failure. @default 1000 */
  readonly resubscribeInitialDelayMs?: number;
  /** Cap of the subscribe retry delay. @default 60000 */
  readonly resubscribeMaxDelayMs?: number;
  /** Ask HA to batch messages into array frames (`supported_features`). @default true */
  readonly coalesceMessages?: boolean;
  /** Largest inbound frame, in bytes (default socket only). @default 67108864 (64 MiB) */
  readonly maxPayloadBytes?: number;
  /** TLS settings for `wss://` (default socket only). @default {} (verify certificates) */
  readonly tls?: HaTlsOptions;
  /** Extra upgrade-request headers (default socket only). @default {} */
  readonly headers?: Readonly<Record<string, string>>;
  /** Opens sockets; replaces the `ws` default (then `maxPayloadBytes`, `tls`, `headers` are not used). @default createWsSocketFactory(…) */
  readonly createSocket?: HaSocketFactory;
  /** Every state transition. @default none */
  readonly onStateChange?: (change: StateChange) => void;
  /** Each authenticated connection, after its subscriptions were sent. @default none */
  readonly onConnected?: (info: ConnectedInfo) => void;
  /** An authenticated connection ended. @default none */
  readonly onDisconnected?: (info: DisconnectedInfo) => void;
  /** A retry was scheduled. @default none */
  readonly onReconnectAttempt?: (info: ReconnectAttemptInfo) => void;
  /** After each reconnect: the interval without events. @default none */
  readonly onGap?: (gap: GapInfo) => void;
  /** A (re)subscribe was rejected; it will be retried. @default none */
  readonly onResubscribeFailed?: (info: ResubscribeFailedInfo) => void;
  /** HA's version and core state after each authentication, and when HA finishes starting. @default none */
  readonly onHaLifecycle?: (info: HaLifecycleInfo) => void;
  /** An inbound message was not delivered. @default none */
  readonly onDrop?: (drop: DropInfo) => void;
}

type Hooks = Pick<
  HaClientOptions,
  | 'onStateChange'
  | 'onConnected'
  | 'onDisconnected'
  | 'onReconnectAttempt'
  | 'onGap'
  | 'onResubscribeFailed'
  | 'onHaLifecycle'
  | 'onDrop'
>;

/** Options with every default applied and every value checked. */
export interface ResolvedOptions extends Hooks {
  readonly url: string;
  readonly accessToken: string;
  readonly connectTimeoutMs: number;
  readonly authTimeoutMs: number;
  readonly commandTimeoutMs: number;
  readonly maxRetries: number;
  readonly retryInitialDelayMs: number;
  readonly retryMaxDelayMs: number;
  readonly retryJitterRatio: number;
  readonly stableConnectionMs: number;
  readonly circuitFailureThreshold: number;
  readonly circuitCooldownMs: number;
  readonly heartbeatIntervalMs: number;
  readonly pongTimeoutMs: number;
  readonly resubscribeInitialDelayMs: number;
  readonly resubscribeMaxDelayMs: number;
  readonly coalesceMessages: boolean;
  readonly createSocket: HaSocketFactory;
  readonly clock: Clock;
  readonly random: Random;
  readonly logger: Logger;
}

/** Applies the defaults (here and nowhere else) and validates. */
export function resolveOptions(options: HaClientOptions): ResolvedOptions {
  if (typeof options.accessToken !== 'string' || options.accessToken.trim() === '') {
    // The value itself is never echoed: it is a secret.
    const got =
      typeof options.accessToken === 'string' ? 'an empty string' : describeType(options.accessToken);
    throw invalid(`Expected \`accessToken\` to be a non-empty string, got ${got}`);
  }
  if (typeof options.url !== 'string') throw invalid(invalidOptionMessage('url', 'a string', options.url));
  const resolved: ResolvedOptions = {
    ...pickHooks(options),
    url: normalizeHaUrl(options.url),
    accessToken: options.accessToken,
    connectTimeoutMs: duration(options, 'connectTimeoutMs', 10_000, 1),
    authTimeoutMs: duration(options, 'authTimeoutMs', 10_000, 1),
    commandTimeoutMs: duration(options, 'commandTimeoutMs', 30_000, 1),
    maxRetries: integer(options, 'maxRetries', -1, HA_CLIENT_LIMITS.minMaxRetries),
    retryInitialDelayMs: duration(options, 'retryInitialDelayMs', 1_000, 1),
    retryMaxDelayMs: duration(options, 'retryMaxDelayMs', 300_000, 1),
    retryJitterRatio:
      options.retryJitterRatio === undefined
        ? 0.2
        : optionCheck.ratio('retryJitterRatio', options.retryJitterRatio),
    stableConnectionMs: duration(options, 'stableConnectionMs', 60_000, 0),
    circuitFailureThreshold: integer(
      options,
      'circuitFailureThreshold',
      5,
      HA_CLIENT_LIMITS.minCircuitFailureThreshold,
    ),
    circuitCooldownMs: duration(options, 'circuitCooldownMs', 30_000, 0),
    heartbeatIntervalMs: duration(options, 'heartbeatIntervalMs', 30_000, 0),
    pongTimeoutMs: duration(options, 'pongTimeoutMs', 10_000, 1),
    resubscribeInitialDelayMs: duration(options, 'resubscribeInitialDelayMs', 1_000, 1),
    resubscribeMaxDelayMs: duration(options, 'resubscribeMaxDelayMs', 60_000, 1),
    coalesceMessages: options.coalesceMessages ?? true,
    createSocket:
      options.createSocket ??
      createWsSocketFactory({
        ...(options.maxPayloadBytes === undefined ? {} : { maxPayloadBytes: options.maxPayloadBytes }),
        ...(options.tls === undefined ? {} : { tls: options.tls }),
        ...(options.headers === undefined ? {} : { headers: options.headers }),
      }),
    clock: options.clock ?? systemClock,
    random: options.random ?? systemRandom,
    logger: options.logger ?? createConsoleLogger('ha-client'),
  };
  if (resolved.retryMaxDelayMs < resolved.retryInitialDelayMs) {
    throw invalid(
      `Expected \`retryMaxDelayMs\` to be >= \`retryInitialDelayMs\` (${resolved.retryInitialDelayMs}), got \`${resolved.retryMaxDelayMs}\``,
    );
  }
  if (resolved.resubscribeMaxDelayMs < resolved.resubscribeInitialDelayMs) {
    throw invalid(
      `Expected \`resubscribeMaxDelayMs\` to be >= \`resubscribeInitialDelayMs\` (${resolved.resubscribeInitialDelayMs}), got \`${resolved.resubscribeMaxDelayMs}\``,
    );
  }
  return resolved;
}

type IntegerKey = {
  [K in keyof HaClientOptions]-?: HaClientOptions[K] extends number | undefined ? K : never;
}[keyof HaClientOptions];

/** A duration option: whole milliseconds from `min` to one day, so that it always fits a Node timer. */
function duration(options: HaClientOptions, key: IntegerKey, fallback: number, min: number): number {
  const value: unknown = options[key];
  return value === undefined ? fallback : optionCheck.duration(key, value, min);
}

function integer(options: HaClientOptions, key: IntegerKey, fallback: number, min: number): number {
  const value: unknown = options[key];
  return value === undefined ? fallback : optionCheck.integer(key, value, min);
}

function pickHooks(options: HaClientOptions): Hooks {
  const hooks: Partial<Record<keyof Hooks, unknown>> = {};
  for (const key of HOOK_KEYS) {
    const hook: unknown = options[key];
    if (hook !== undefined) hooks[key] = optionCheck.callback(key, hook);
  }
  // Each value was checked to be a function just above; TypeScript cannot follow that through the loop.
  return hooks as Hooks;
}

const HOOK_KEYS = [
  'onStateChange',
  'onConnected',
  'onDisconnected',
  'onReconnectAttempt',
  'onGap',
  'onResubscribeFailed',
  'onHaLifecycle',
  'onDrop',
] as const satisfies readonly (keyof Hooks)[];

function invalid(message: string): HaInvalidArgumentError {
  return new HaInvalidArgumentError('ERR_INVALID_OPTION', message);
}
