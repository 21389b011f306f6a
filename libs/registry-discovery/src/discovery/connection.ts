/**
 * The slice of a Home Assistant connection discovery needs. `@homeiq/ha-client`'s client satisfies it
 * structurally; tests use a fake. Discovery never learns of (re)connects by itself: the owner calls
 * `refreshAll()` from the client's connected hook, because only the owner knows its client's hooks.
 */

/** One event delivered by a `subscribe_events` subscription (only `data` is read). */
export interface RegistryEventMessage {
  /** e.g. `entity_registry_updated`. */
  readonly eventType?: string;
  /** HA's event data, unchanged (docs/ha-websocket-protocol.md#registry-events). */
  readonly data: unknown;
}

/** Ends a subscription; may be called more than once. */
export type Unsubscribe = () => void | Promise<void>;

/** A Home Assistant WebSocket connection that keeps its subscriptions across reconnects. */
export interface RegistryConnection {
  /**
   * Sends a command and resolves with HA's `result`. Rejects when HA answers `success: false` (an error whose
   * `haCode` or `code` is HA's `error.code`, e.g. `unknown_command`) or when the connection is lost.
   */
  sendCommand(type: string, payload?: Readonly<Record<string, unknown>>): Promise<unknown>;
  /**
   * Subscribes to one event type for the life of the connection object, re-subscribing after every
   * reconnect, and returns a function that ends the subscription.
   */
  subscribeEvents(
    eventType: string,
    handler: (event: RegistryEventMessage) => void,
  ): Unsubscribe | Promise<Unsubscribe>;
}

/** HA's `error.code` of a failed command, read from the shapes ha-client and plain clients use. */
export function haErrorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const { haCode, code } = error as { haCode?: unknown; code?: unknown };
  if (typeof haCode === 'string') return haCode;
  return typeof code === 'string' ? code : undefined;
}
