/**
 * @homeiq/ha-client: a Home Assistant WebSocket client that never gives up and never goes silently dead.
 * The public API, listed explicitly.
 */
export { createHaClient } from './create-client.js';
export type { HaClientOptions } from './options.js';
export { HA_CLIENT_LIMITS } from './limits.js';
export type {
  CommandOptions,
  ConnectedInfo,
  ConnectionState,
  DisconnectedInfo,
  DropInfo,
  ErrorSummary,
  EventHandler,
  GapInfo,
  HaClient,
  HaClientStats,
  HaLifecycleInfo,
  ReconnectAttemptInfo,
  ResubscribeFailedInfo,
  StateChange,
  Unsubscribe,
} from './types.js';
export type { HaContext, HaEvent } from './protocol/event.js';
export type { DropReason } from './correlation/session.js';
export type { CircuitBreakerSnapshot, CircuitState } from './reconnect/circuit-breaker.js';
export { systemClock } from './clock.js';
export type { Clock, Logger, TimerHandle } from './clock.js';
export { createWsSocketFactory, DEFAULT_MAX_PAYLOAD_BYTES } from './transport/ws-socket.js';
export type { HaTlsOptions, WsSocketFactoryOptions } from './transport/ws-socket.js';
export type { HaSocket, HaSocketFactory, HaSocketHandlers } from './transport/socket.js';
export { normalizeHaUrl } from './transport/url.js';
export {
  HaAbortError,
  HaAuthError,
  HaClientError,
  HaClientStateError,
  HaCommandError,
  HaConnectionError,
  HaInvalidArgumentError,
  HaTimeoutError,
  isHaClientError,
} from './errors.js';
export type { HaClientErrorCode } from './errors.js';
