import type { Registries } from './registry.js';

/**
 * What the home's registries say about one entity, joined as Home Assistant shows it: its device, its area (the
 * entity's own, else its device's), that area's floor. Tests and benchmarks use it as the expected enrichment;
 * the product's own join is @homeiq/registry-discovery's `lookup`, which is checked against it.
 */
export interface EntityContext {
  readonly deviceId: string | null;
  /** The device's `name_by_user`, else its `name`. */
  readonly deviceName: string | null;
  readonly manufacturer: string | null;
  readonly model: string | null;
  readonly areaId: string | null;
  readonly areaName: string | null;
  readonly floorId: string | null;
  readonly floorName: string | null;
  readonly platform: string;
  readonly entityCategory: string | null;
  readonly labels: readonly string[];
}

/** The context of `entityId`, or undefined when the entity registry does not list it. */
export function entityContext(registries: Registries, entityId: string): EntityContext | undefined {
  const entity = registries.entity(entityId);
  if (entity === undefined) return undefined;
  const device = entity.device_id === null ? undefined : registries.device(entity.device_id);
  const areaId = entity.area_id ?? device?.area_id ?? null;
  const area = areaId === null ? undefined : registries.area(areaId);
  const floor = area?.floor_id == null ? undefined : registries.floor(area.floor_id);
  return {
    deviceId: device?.id ?? null,
    deviceName: device === undefined ? null : (device.name_by_user ?? device.name),
    manufacturer: device?.manufacturer ?? null,
    model: device?.model ?? null,
    areaId: area?.area_id ?? null,
    areaName: area?.name ?? null,
    floorId: floor?.floor_id ?? null,
    floorName: floor?.name ?? null,
    platform: entity.platform,
    entityCategory: entity.entity_category,
    labels: entity.labels,
  };
}
