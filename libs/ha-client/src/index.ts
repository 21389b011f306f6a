/**
 * @homeiq/ha-client: a Home Assistant WebSocket client that never gives up and never goes silently dead.
 * The public API, listed explicitly. Time, timers, randomness and the logger shape come from `@homeiq/runtime`.
 */
export { createHaClient } from './create-client.js';
export type { HaClientOptions } from './options.js';
export { HA_CLIENT_LIMITS } from './limits.js';
export type { HaClient } from './types.js';
// The types of the client's methods, hooks and stats, so that a consumer can name what it is handed.
export type {
  CallServiceOptions,
  CommandOptions,
  ConnectedInfo,
  ConnectionState,
  DisconnectedInfo,
  DropInfo,
  EventHandler,
  GapInfo,
  HaClientEventName,
  HaClientEvents,
  HaClientStats,
  HaLifecycleInfo,
  ReconnectAttemptInfo,
  ResubscribeFailedInfo,
  StateChange,
  TerminalInfo,
  Unsubscribe,
} from './types.js';
// HA's wire shapes of the commands typed by name (`HaCommands`), for `sendCommand`'s results and its helpers.
export type {
  CallServicePayload,
  CallServiceResult,
  HaAreaRegistryEntry,
  HaCommands,
  HaCommandType,
  HaConfig,
  HaCoreState,
  HaDeviceRegistryEntry,
  HaEntityRegistryEntry,
  HaFloorRegistryEntry,
  HaServiceDescription,
  HaServices,
  HaServiceTarget,
  HaState,
  HaStateChangedData,
  HaWireContext,
} from './commands.js';
export type { HaContext, HaEvent } from './protocol/event.js';
export type {
  AnyHaClientError,
  HaClientErrorCode,
  HaCommandErrorDetails,
  HaConnectionErrorCode,
} from './errors.js';
export { createWsSocketFactory, DEFAULT_MAX_PAYLOAD_BYTES } from './transport/ws-socket.js';
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
