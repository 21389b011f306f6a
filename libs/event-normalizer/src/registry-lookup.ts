/**
 * What the normalizer asks of HA's registries: one call per event that returns the entity's enrichment, already
 * joined (entity → device → area → floor). The join and its rules (the entity's own area wins over its device's,
 * a device's `name_by_user` over its `name`, a deleted area or device counts as unset) belong to the lookup, so
 * they live in one place: `@homeiq/registry-discovery`'s `lookup`, whose `EntityContext` extends
 * {@link EntityEnrichment}. The normalizer only copies the fields.
 */

/** What the registries say about one entity; `null` means not known (no device, no area…). */
export interface EntityEnrichment {
  readonly deviceId: string | null;
  /** The device's display name: `name_by_user` when set, else `name`. */
  readonly deviceName: string | null;
  readonly manufacturer: string | null;
  readonly model: string | null;
  /** The entity's effective area: its own when set, else its device's. */
  readonly areaId: string | null;
  readonly areaName: string | null;
  readonly floorId: string | null;
  readonly floorName: string | null;
  /** The integration that provides the entity, e.g. `hue`. */
  readonly platform: string | null;
  /** `config`, `diagnostic` or `null`. */
  readonly entityCategory: string | null;
  /** The entity's label ids. */
  readonly labels: readonly string[];
}

/**
 * Read access to HA's registries, passed in by the caller. Called once per event that passes the filter, so
 * a registry change shows in the next event: it must be cheap and synchronous (it runs on the hot path).
 */
export interface RegistryLookup {
  /** The enrichment of `entityId`, or `undefined` when the entity registry does not list it. */
  lookup(entityId: string): EntityEnrichment | undefined;
}
