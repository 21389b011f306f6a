/**
 * The registry view the normalizer needs, kept minimal so `@homeiq/registry-discovery` (or a test) can back it
 * with four `Map.get`s. The normalizer, not the lookup, applies the precedence rules (the entity's own area
 * wins over its device's; a device's `name_by_user` over its `name`), so they live in one place.
 */

/** The parts of an entity registry entry used for enrichment. */
export interface RegistryEntity {
  readonly deviceId: string | null;
  /** The entity's own area; it wins over the device's area. */
  readonly areaId: string | null;
  /** The integration, e.g. `hue`. */
  readonly platform: string | null;
  /** `config`, `diagnostic` or `null`. */
  readonly entityCategory: string | null;
  readonly labels: readonly string[];
}

/** The parts of a device registry entry used for enrichment. */
export interface RegistryDevice {
  readonly name: string | null;
  readonly nameByUser: string | null;
  readonly manufacturer: string | null;
  readonly model: string | null;
  readonly areaId: string | null;
}

export interface RegistryArea {
  readonly name: string;
  readonly floorId: string | null;
}

export interface RegistryFloor {
  readonly name: string;
}

/**
 * Read access to HA's registries, passed in by the caller. Every method returns `undefined` for an unknown id.
 * Implementations must be cheap and synchronous: they are called on the hot path.
 */
export interface RegistryLookup {
  entity(entityId: string): RegistryEntity | undefined;
  device(deviceId: string): RegistryDevice | undefined;
  area(areaId: string): RegistryArea | undefined;
  floor(floorId: string): RegistryFloor | undefined;
}
