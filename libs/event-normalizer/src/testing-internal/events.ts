/**
 * Builders of HA events for the tests, in the one shape the normalizer takes: the camelCase envelope of
 * `@homeiq/ha-client`'s `HaEvent` around HA's own snake_case `data`, exactly as HA sends it
 * (docs/ha-websocket-protocol.md#state_changed). Not part of the published build.
 */
import type { EntityEnrichment, RegistryLookup } from '../registry-lookup.js';
import type { EventContext, HaEventEnvelope } from '../types.js';

export interface StateSpec {
  readonly state: string;
  readonly attributes?: Record<string, unknown>;
  readonly lastChanged?: string;
  readonly lastUpdated?: string;
}

export interface EventSpec {
  readonly entityId?: string;
  readonly newState?: StateSpec | null;
  readonly oldState?: StateSpec | null;
  readonly timeFired?: string;
  /** The envelope's context; `null` leaves it out. @default CONTEXT */
  readonly context?: EventContext | null;
}

export const T0 = '2025-01-15T09:58:00.100000+00:00';
export const T1 = '2025-01-15T10:05:00.654321+00:00';
/** Epoch microseconds of {@link T1}. */
export const T1_US = 1736935500654321;

/** The envelope's context of every test event unless a spec says otherwise. */
export const CONTEXT: EventContext = { id: '01JHKQ3Z8M6V0XW2R7T1Y5B9CD', parentId: null, userId: null };
/** The same context as HA puts it into a state object (snake_case: part of `data`). */
const STATE_CONTEXT = { id: CONTEXT.id, parent_id: null, user_id: null };

function wireState(entityId: string, spec: StateSpec, fallbackTime: string): Record<string, unknown> {
  const lastUpdated = spec.lastUpdated ?? fallbackTime;
  return {
    entity_id: entityId,
    state: spec.state,
    attributes: spec.attributes ?? {},
    last_changed: spec.lastChanged ?? lastUpdated,
    last_reported: lastUpdated,
    last_updated: lastUpdated,
    context: { ...STATE_CONTEXT },
  };
}

/** A `state_changed` event as `@homeiq/ha-client` delivers it; every call builds fresh objects. */
export function stateChanged(spec: EventSpec): HaEventEnvelope {
  const entityId = spec.entityId ?? 'sensor.living_room_temperature';
  const timeFired = spec.timeFired ?? spec.newState?.lastUpdated ?? T1;
  const context = spec.context === undefined ? CONTEXT : spec.context;
  const envelope = {
    eventType: 'state_changed',
    data: {
      entity_id: entityId,
      old_state:
        spec.oldState === undefined
          ? wireState(entityId, { state: '21.4', lastChanged: T0, lastUpdated: T0 }, T0)
          : spec.oldState === null
            ? null
            : wireState(entityId, spec.oldState, T0),
      new_state:
        spec.newState === null ? null : wireState(entityId, spec.newState ?? { state: '21.5' }, timeFired),
    },
    origin: 'LOCAL',
    timeFired,
  };
  return context === null ? envelope : { ...envelope, context: { ...context } };
}

/**
 * An event as HA puts it on the wire (`Event.as_dict()`: `event_type`, `time_fired`, `context.parent_id`)
 * converted once, the way `@homeiq/ha-client` does: for events of the simulator, which speaks HA's wire format.
 */
export function fromWire(wire: {
  readonly event_type: string;
  readonly data: unknown;
  readonly origin: string;
  readonly time_fired: string;
  readonly context: {
    readonly id: string;
    readonly parent_id: string | null;
    readonly user_id: string | null;
  };
}): HaEventEnvelope {
  const { id, parent_id: parentId, user_id: userId } = wire.context;
  return {
    eventType: wire.event_type,
    data: wire.data,
    origin: wire.origin,
    timeFired: wire.time_fired,
    context: { id, parentId, userId },
  };
}

/** `value` as a JavaScript caller may hand it over, typed as what it is meant to be: for the bad-input tests. */
export function untyped(value: unknown): HaEventEnvelope {
  return value as HaEventEnvelope;
}

/** The temperature sensor of docs/ha-websocket-protocol.md#state_changed and docs/ha-influxdb-integration.md. */
export const TEMPERATURE_ATTRIBUTES = {
  state_class: 'measurement',
  unit_of_measurement: '°C',
  device_class: 'temperature',
  friendly_name: 'Living room temperature',
};

/** What the registries know of an entity with nothing registered but the entity itself. */
export const UNASSIGNED: EntityEnrichment = {
  deviceId: null,
  deviceName: null,
  manufacturer: null,
  model: null,
  areaId: null,
  areaName: null,
  floorId: null,
  floorName: null,
  platform: null,
  entityCategory: null,
  labels: [],
};

/** A registry lookup over plain objects: each listed entity's enrichment, unset fields null. */
export function fakeRegistry(entities: Record<string, Partial<EntityEnrichment>>): RegistryLookup {
  const known = new Map(Object.entries(entities).map(([id, parts]) => [id, { ...UNASSIGNED, ...parts }]));
  return { lookup: (id) => known.get(id) };
}
