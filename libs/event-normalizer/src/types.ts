import type { EntityEnrichment } from './registry-lookup.js';
/**
 * The library's contract: the normalized event other HomeIQ services consume, and the typed results that
 * replace exceptions on the hot path.
 */

/**
 * What a `state_changed` event did to the entity.
 * - `state`: the state string changed (or the entity went from one state to another).
 * - `attributes`: the state string is unchanged. HA fires this for attribute-only changes and for
 *   `force_update` rewrites; HA does not fire `state_changed` when nothing changed (that is `state_reported`).
 * - `added`: `old_state` was `null` (the entity appeared).
 * - `removed`: `new_state` was `null` (the entity was removed).
 */
export type ChangeKind = 'state' | 'attributes' | 'added' | 'removed';

/** HA's `context` of the event: who or what caused it. */
export interface EventContext {
  readonly id: string | null;
  readonly parentId: string | null;
  readonly userId: string | null;
}

/**
 * The one event shape the normalizer takes: the `HaEvent` that `@homeiq/ha-client` delivers (HA's `event`
 * envelope converted to camelCase once, at the edge), or any object of that shape. Declared here, not imported,
 * so the lib does not depend on the client; `HaEvent` satisfies it as it is.
 */
export interface HaEventEnvelope {
  /** HA's `event_type`; only `state_changed` is normalized, others are rejected as `unsupported_event_type`. */
  readonly eventType: string;
  /** HA's event data, unchanged (`{entity_id, old_state, new_state}`, snake_case); validated here. */
  readonly data: unknown;
  /** HA's `origin` (`LOCAL` or `REMOTE`); the normalized event's `origin` is `null` without it. */
  readonly origin?: string;
  /** HA's `time_fired`, ISO-8601 with an offset: the point's time. */
  readonly timeFired: string;
  /**
   * HA's `context`, camelCased; kept as the normalized event's `context` (the same object). Without it the
   * event has `context: null`: nothing falls back to `new_state.context`, which is HA's copy of the same context.
   */
  readonly context?: EventContext;
}

/**
 * One HA `state_changed` event, validated and flattened. Times are kept twice: the ISO string exactly as HA
 * sent it, and integer epoch microseconds (HA's own resolution) parsed without going through `Date`.
 */
/**
 * One `state_changed` event, normalized. Its {@link EntityEnrichment} fields are copied from the registry lookup's
 * answer for this event: all `null` (labels empty) without a lookup or for an entity it does not list.
 */
export interface NormalizedEvent extends EntityEnrichment {
  /** `sensor.living_room_temperature`. */
  readonly entityId: string;
  /** `sensor`. */
  readonly domain: string;
  /** `living_room_temperature`. */
  readonly objectId: string;
  readonly changeKind: ChangeKind;
  /** The new state string; `null` when the entity was removed. */
  readonly state: string | null;
  /** The old state string; `null` when the entity was added. */
  readonly previousState: string | null;
  /**
   * A finite number when `state` parses as a Python float (HA's rule), else 1/0 for HA's binary states
   * (`on`, `open`, `home`, … → 1; `off`, `closed`, `not_home`, … → 0), else `null`. `unknown` and
   * `unavailable` are always `null`: "no value" is not 0.
   */
  readonly value: number | null;
  /** String attributes of the state (the old state's when removed); `null` when absent or not a string. */
  readonly unitOfMeasurement: string | null;
  readonly deviceClass: string | null;
  readonly stateClass: string | null;
  readonly friendlyName: string | null;
  /** The state's attributes as HA sent them (the old state's when removed). Not copied. */
  readonly attributes: Readonly<Record<string, unknown>>;
  /** The envelope's `timeFired` (HA's `time_fired`) as sent, e.g. `2025-01-15T10:05:00.654321+00:00`. */
  readonly timeFired: string;
  /** `timeFired` as integer microseconds since the Unix epoch. */
  readonly timeFiredUs: number;
  /** The new state's `last_changed`; `null` when removed. */
  readonly lastChanged: string | null;
  readonly lastChangedUs: number | null;
  /** The new state's `last_updated`; `null` when removed. */
  readonly lastUpdated: string | null;
  readonly lastUpdatedUs: number | null;
  /** `LOCAL` or `REMOTE`; `null` when the envelope has none. */
  readonly origin: string | null;
  /** The envelope's `context` as passed in; `null` when it has none. */
  readonly context: EventContext | null;
  /**
   * Seconds spent in the previous state: new `last_changed` minus old `last_changed`, clamped at 0. For a
   * removal, `timeFired` stands in for the missing new `last_changed`. `null` when the entity was added.
   * An attribute-only change keeps `last_changed`, so it yields 0.
   */
  readonly durationInPreviousStateSeconds: number | null;
  /** Where the event came from ({@link ProcessOptions.source}); the `homeiq` schema marks all but live points. */
  readonly source: EventSource;
}

/**
 * Where an event came from: `live` from the subscription; `resync`, synthesized after a gap from the states HA
 * reported then (the final state of each entity that changed; the `homeiq` point gets `resync=true`); `recorder`,
 * a change read back from HA's recorder to fill a gap (no context, the attributes the recorder keeps; the point
 * gets `backfill=true`).
 */
export type EventSource = 'live' | 'resync' | 'recorder';

/** Per-event options of `normalize` and `process`. */
export interface ProcessOptions {
  /** @default 'live' */
  readonly source?: EventSource;
}

/** Why an event produced no normalized event or no line. Every rejection is counted under one of these. */
export type RejectReason =
  /** Not an object; no `eventType` string, `data` object or `new_state`/`old_state` keys; a non-string `origin`. */
  | 'invalid_event'
  /** `eventType` is a string other than `state_changed`. */
  | 'unsupported_event_type'
  /** Missing, not a string, not `domain.object_id` by HA's rules, or longer than 255. */
  | 'invalid_entity_id'
  /** A state is not an object, has a non-string or >255-char `state`, no attributes object, or a different entity_id. */
  | 'invalid_state'
  /** A required time is missing or not an ISO-8601 time with an offset. */
  | 'invalid_timestamp'
  /** A time outside ±2^53 µs of the epoch (years 1685–2255), which InfluxDB or exact integers cannot hold. */
  | 'timestamp_out_of_range'
  /** `context` is present and is not an object whose three ids are each a string or null. */
  | 'invalid_context'
  /** The include/exclude filter rejected the entity. */
  | 'excluded'
  | 'skipped_unavailable'
  | 'skipped_unknown'
  | 'skipped_attribute_only'
  /** The `ha` schema writes nothing for removals and for `unknown`, `unavailable` and `""` states (as HA does). */
  | 'ha_state_not_written'
  /** The attributes cannot be serialized: a cycle, a BigInt, or nesting deeper than the stack or depth limit. */
  | 'attributes_unserializable'
  /** A string field exceeded `maxStringFieldBytes` and `oversizeStringField` is `'reject'`. */
  | 'string_field_too_large'
  /** Every field was dropped (e.g. an `ha`-schema `nan` state with no attributes). */
  | 'no_fields'
  /** Measurement + tags + a field key exceed InfluxDB's 65535-byte series key limit. */
  | 'series_key_too_long';

/** A typed rejection: returned, never thrown. `detail` says what exactly was wrong. */
export interface Rejection {
  readonly ok: false;
  readonly reason: RejectReason;
  readonly detail: string;
}

export type NormalizeResult = { readonly ok: true; readonly event: NormalizedEvent } | Rejection;

export type EncodeResult = { readonly ok: true; readonly line: string } | Rejection;

export type ProcessResult =
  { readonly ok: true; readonly event: NormalizedEvent; readonly line: string } | Rejection;

/** Why a single field or tag was left out of an otherwise written line. */
export type OmitReason =
  /** NaN or ±Infinity: InfluxDB has no representation for them. */
  | 'non_finite_number'
  /** A string field longer than `maxStringFieldBytes` (with `oversizeStringField: 'omit'`). */
  | 'string_field_too_large'
  /** A field or tag key InfluxDB refuses (`time`) or cannot hold (empty). */
  | 'invalid_key'
  /** Two keys became equal after escaping normalization; the first in sort order is kept. */
  | 'duplicate_key';

/** Timestamp precision of the written lines; the writer must send the same `precision` to InfluxDB. */
export type Precision = 'ns' | 'us' | 'ms' | 's';

/** Builds a rejection. Internal helper shared by the modules. */
export function reject(reason: RejectReason, detail: string): Rejection {
  return { ok: false, reason, detail };
}
