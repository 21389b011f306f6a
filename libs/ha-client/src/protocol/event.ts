/**
 * The `subscribe_events` event envelope, mapped from HA's snake_case to camelCase. `data` is the event's own
 * content (its keys are HA's, e.g. `entity_id`, `new_state`) and is passed through as sent: its shape depends on
 * the event type, and the consumer that knows that shape validates it.
 */

/** HA's context of an event or state. */
export interface HaContext {
  /** ULID of the context. */
  readonly id: string;
  /** The context that caused this one, if any. */
  readonly parentId: string | null;
  /** The user who caused it, if any. */
  readonly userId: string | null;
}

/**
 * One event from a `subscribe_events` subscription. `D` is the shape of `data` the subscriber expects; the client
 * checks the envelope only, never `data` (see `subscribeEvents`).
 */
export interface HaEvent<D = unknown> {
  /** e.g. `state_changed`, `device_registry_updated`. */
  readonly eventType: string;
  /** HA's event data, unchanged (for `state_changed`: `{entity_id, old_state, new_state}`). */
  readonly data: D;
  /** `LOCAL` or `REMOTE`. */
  readonly origin: string;
  /** UTC ISO-8601 as HA sends it (microseconds are omitted when zero). */
  readonly timeFired: string;
  /** The event's context. */
  readonly context: HaContext;
}

/** Maps a raw `event` payload, or returns why it is not a valid envelope. */
export function toHaEvent(raw: unknown): HaEvent | { readonly invalid: string } {
  if (!isRecord(raw)) return { invalid: 'event is not an object' };
  const eventType = raw['event_type'];
  const timeFired = raw['time_fired'];
  const origin = raw['origin'];
  if (typeof eventType !== 'string') return { invalid: 'event_type is not a string' };
  if (typeof timeFired !== 'string') return { invalid: 'time_fired is not a string' };
  if (typeof origin !== 'string') return { invalid: 'origin is not a string' };
  const context = toContext(raw['context']);
  if (context === undefined) return { invalid: 'context is not {id, parent_id, user_id}' };
  return { eventType, data: raw['data'], origin, timeFired, context };
}

function toContext(raw: unknown): HaContext | undefined {
  if (!isRecord(raw)) return undefined;
  const id = raw['id'];
  const parentId = nullableString(raw['parent_id']);
  const userId = nullableString(raw['user_id']);
  if (typeof id !== 'string' || parentId === false || userId === false) return undefined;
  return { id, parentId, userId };
}

/** A string, null (also for a missing key), or `false` when the value has a wrong type. */
function nullableString(value: unknown): string | null | false {
  if (value === undefined || value === null) return null;
  return typeof value === 'string' ? value : false;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
