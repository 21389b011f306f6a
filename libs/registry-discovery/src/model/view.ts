import type { RegistryState } from './registry-state.js';
import type { AreaRecord, DeviceRecord, EntityRecord, FloorRecord } from './types.js';

/** A read-only view of the current picture, handed to stores and used by queries and history lines. */
export interface RegistryView {
  device(deviceId: string): DeviceRecord | undefined;
  entity(entityId: string): EntityRecord | undefined;
  area(areaId: string): AreaRecord | undefined;
  floor(floorId: string): FloorRecord | undefined;
  devices(): Iterable<DeviceRecord>;
  entities(): Iterable<EntityRecord>;
  areas(): Iterable<AreaRecord>;
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
}

function* records<R>(entries: Iterable<{ readonly record: R }>): Generator<R> {
  for (const entry of entries) yield entry.record;
}

/** A view over `state` whose derived indexes are rebuilt lazily after each change of the picture. */
export function createView(state: RegistryState): RegistryView {
  let byDevice = new Map<string, EntityRecord[]>();
  let builtAt = -1;

  function entitiesByDevice(): Map<string, EntityRecord[]> {
    if (builtAt === state.version) return byDevice;
    byDevice = new Map();
    for (const { record } of state.entities.entries()) {
      if (record.deviceId === null) continue;
      const list = byDevice.get(record.deviceId);
      if (list === undefined) byDevice.set(record.deviceId, [record]);
      else list.push(record);
    }
    builtAt = state.version;
    return byDevice;
  }

  return {
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
