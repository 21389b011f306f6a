/**
 * Builders of HA wire events for the tests (snake_case, exactly as HA sends them;
 * docs/ha-websocket-protocol.md#state_changed). Not part of the published build.
 */
import type { EntityEnrichment, RegistryLookup } from '../registry-lookup.js';

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
  readonly context?: { id: string; parent_id: string | null; user_id: string | null } | null;
}

export const T0 = '2025-01-15T09:58:00.100000+00:00';
export const T1 = '2025-01-15T10:05:00.654321+00:00';
/** Epoch microseconds of {@link T1}. */
export const T1_US = 1736935500654321;

export const CONTEXT = { id: '01JHKQ3Z8M6V0XW2R7T1Y5B9CD', parent_id: null, user_id: null };

function wireState(entityId: string, spec: StateSpec, fallbackTime: string): Record<string, unknown> {
  const lastUpdated = spec.lastUpdated ?? fallbackTime;
  return {
    entity_id: entityId,
    state: spec.state,
    attributes: spec.attributes ?? {},
    last_changed: spec.lastChanged ?? lastUpdated,
    last_reported: lastUpdated,
    last_updated: lastUpdated,
    context: CONTEXT,
  };
}

/** A `state_changed` event as HA's `Event.as_dict()` puts it on the wire. */
export function stateChanged(spec: EventSpec): Record<string, unknown> {
  const entityId = spec.entityId ?? 'sensor.living_room_temperature';
  const timeFired = spec.timeFired ?? spec.newState?.lastUpdated ?? T1;
  return {
    event_type: 'state_changed',
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
    time_fired: timeFired,
    context: spec.context === undefined ? CONTEXT : spec.context,
  };
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
