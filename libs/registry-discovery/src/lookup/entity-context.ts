import type { EntityEnrichment } from '@homeiq/event-normalizer';
import type { RegistryState } from '../model/registry-state.js';
import type { RegistryView } from '../model/view.js';

/**
 * What the registries say about one entity: everything the event normalizer adds to each event. `null` means
 * "not known" (no device, no area…). The area is the entity's own area when it still exists, else its device's;
 * a deleted area or device counts as unset, whether or not HA's follow-up update has cleared the reference.
 *
 * It is `@homeiq/event-normalizer`'s `EntityEnrichment` (`platform` narrower: never null here) plus `entityId`,
 * `integration`, `name`, `disabled` and `hidden`, so discovery is the normalizer's `registry` as it is.
 */
export interface EntityContext extends EntityEnrichment {
  readonly entityId: string;
  /** The integration that provides the entity (entity registry `platform`, e.g. `zha`). */
  readonly platform: string;
  /** The device's integration, from its config entry (e.g. `zha`); null when unknown. */
  readonly integration: string | null;
  /** The entity registry's `name ?? original_name`. */
  readonly name: string | null;
  readonly disabled: boolean;
  readonly hidden: boolean;
}

/**
 * The one entity → device → area → floor join: O(1) per call and current to the last applied registry change.
 * It satisfies `@homeiq/event-normalizer`'s `RegistryLookup` structurally, which reads it on every event.
 */
export interface RegistryLookup {
  /** The context of `entityId` (cached per entity), or undefined when the entity registry does not list it. */
  lookup(entityId: string): EntityContext | undefined;
}

/**
 * Resolves entity → device → area → floor from the current state. Results are built on first use and cached
 * until the next change of the picture (any mutation bumps the state's version), so a removal or an un-assignment
 * shows in the very next lookup, and a hot entity costs one Map hit.
 */
export class CachedLookup {
  readonly #state: RegistryState;
  readonly #view: RegistryView;
  #cache = new Map<string, EntityContext>();
  #cacheVersion = -1;

  constructor(state: RegistryState, view: RegistryView) {
    this.#state = state;
    this.#view = view;
  }

  lookup(entityId: string): EntityContext | undefined {
    if (this.#cacheVersion !== this.#state.version) {
      this.#cache = new Map();
      this.#cacheVersion = this.#state.version;
    }
    const cached = this.#cache.get(entityId);
    if (cached !== undefined) return cached;
    const built = this.#build(entityId);
    if (built !== undefined) this.#cache.set(entityId, built);
    return built;
  }

  #build(entityId: string): EntityContext | undefined {
    const view = this.#view;
    const entity = view.entity(entityId);
    if (entity === undefined) return undefined;
    const device = entity.deviceId === null ? undefined : view.device(entity.deviceId);
    const areaId = view.areaIdOf(entity);
    const area = areaId === null ? undefined : view.area(areaId);
    const floor = area?.floorId == null ? undefined : view.floor(area.floorId);
    return Object.freeze({
      entityId,
      deviceId: device?.deviceId ?? null,
      deviceName: device?.displayName ?? null,
      manufacturer: device?.manufacturer ?? null,
      model: device?.model ?? null,
      areaId: area?.areaId ?? null,
      areaName: area?.name ?? null,
      floorId: floor?.floorId ?? null,
      floorName: floor?.name ?? null,
      platform: entity.platform,
      integration: device?.integration ?? null,
      entityCategory: entity.entityCategory,
      labels: entity.labels,
      name: entity.name ?? entity.originalName,
      disabled: entity.disabledBy !== null,
      hidden: entity.hiddenBy !== null,
    });
  }
}
