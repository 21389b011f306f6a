import type { RegistryState } from './registry-state.js';
import type { AreaRecord, DeviceRecord, EntityRecord, FloorRecord } from './types.js';

/**
 * A read-only view of the current picture: `discovery.view()`, and what stores are handed with each change. It is
 * live, not a copy: every call reads the picture as it is at that moment.
 */
export interface RegistryView {
  device(deviceId: string): DeviceRecord | undefined;
  entity(entityId: string): EntityRecord | undefined;
  area(areaId: string): AreaRecord | undefined;
  floor(floorId: string): FloorRecord | undefined;
  /** Every device, in HA's registry order. */
  devices(): Iterable<DeviceRecord>;
  /** Every entity, in HA's registry order. */
  entities(): Iterable<EntityRecord>;
  /** Every area, in HA's registry order. */
  areas(): Iterable<AreaRecord>;
  /** Every floor, in HA's registry order. */
  floors(): Iterable<FloorRecord>;
  /** When the device's registry list last contained it (or when the store last saw it). */
  deviceSeenAtMs(deviceId: string): number | undefined;
  /** When the entity's registry list last contained it. */
  entitySeenAtMs(entityId: string): number | undefined;
  /** The entities of a device, in registry order. */
  entitiesOf(deviceId: string): readonly EntityRecord[];
  /**
   * The entity's effective area id: its own when that area exists, else its device's; null when none. A removed
   * area counts as unset (HA clears references to a deleted area, firing update events that arrive later).
   */
  areaIdOf(entity: EntityRecord): string | null;
  /**
   * The value `build` made for `key` since the picture last changed, or a new one: a memo that forgets itself on
   * every change. Keys are shared by every reader of the view; this library's own begin with `registry-discovery:`.
   */
  derived<T>(key: string, build: () => T): T;
}

function* records<R>(entries: Iterable<{ readonly record: R }>): Generator<R> {
  for (const entry of entries) yield entry.record;
}

/** A view over `state` whose derived values are rebuilt lazily after each change of the picture. */
export function createView(state: RegistryState): RegistryView {
  let memo = new Map<string, unknown>();
  let memoVersion = -1;

  function derived<T>(key: string, build: () => T): T {
    if (memoVersion !== state.version) {
      memo = new Map();
      memoVersion = state.version;
    }
    if (memo.has(key)) return memo.get(key) as T;
    const value = build();
    memo.set(key, value);
    return value;
  }

  function entitiesByDevice(): Map<string, EntityRecord[]> {
    return derived('registry-discovery:entities-by-device', () => {
      const byDevice = new Map<string, EntityRecord[]>();
      for (const { record } of state.entities.entries()) {
        if (record.deviceId === null) continue;
        const list = byDevice.get(record.deviceId);
        if (list === undefined) byDevice.set(record.deviceId, [record]);
        else list.push(record);
      }
      return byDevice;
    });
  }

  return {
    derived,
    device: (id) => state.devices.get(id),
    entity: (id) => state.entities.get(id),
    area: (id) => state.areas.get(id),
    floor: (id) => state.floors.get(id),
    devices: () => records(state.devices.entries()),
    entities: () => records(state.entities.entries()),
    areas: () => records(state.areas.entries()),
    floors: () => records(state.floors.entries()),
    deviceSeenAtMs: (id) => state.devices.entry(id)?.seenAtMs,
    entitySeenAtMs: (id) => state.entities.entry(id)?.seenAtMs,
    entitiesOf: (deviceId) => entitiesByDevice().get(deviceId) ?? [],
    areaIdOf(entity) {
      if (entity.areaId !== null && state.areas.get(entity.areaId) !== undefined) return entity.areaId;
      const device = entity.deviceId === null ? undefined : state.devices.get(entity.deviceId);
      if (device?.areaId == null || state.areas.get(device.areaId) === undefined) return null;
      return device.areaId;
    },
  };
}
