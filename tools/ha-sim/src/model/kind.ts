import type { RandomFn } from '../util/random.js';

/** An entity's own part of a state: the state string and the state attributes (those dropped when unavailable). */
export interface Reading {
  readonly state: string;
  readonly attributes: Readonly<Record<string, unknown>>;
}

/**
 * What an entity is (a temperature sensor, a dimmable light…) and how it behaves: its initial reading and
 * a realistic next one. Attribute order follows HA's `Entity.__async_calculate_state`: capability
 * attributes, state attributes, then unit, device class, icon, friendly name, supported features.
 */
export interface EntityKind {
  readonly domain: string;
  /** Suffix for entity ids and unique ids (`temperature`); empty for a device's main entity. */
  readonly key: string;
  /** Registry `original_name`; null names the entity after its device (has_entity_name). */
  readonly originalName: string | null;
  readonly deviceClass: string | null;
  readonly unit: string | null;
  readonly entityCategory: 'config' | 'diagnostic' | null;
  readonly icon: string | null;
  readonly supportedFeatures: number | null;
  /** Relative change frequency in the random stream. */
  readonly weight: number;
  /** Registry options, e.g. `{sensor: {suggested_display_precision: 1}}`. */
  readonly options: Readonly<Record<string, unknown>>;
  /** Capability attributes: kept while unavailable (state_class, hvac_modes, min/max…). */
  readonly capabilities: Readonly<Record<string, unknown>>;
  initial(random: RandomFn, nowMicros: number): Reading;
  /** A different reading, or the same state with other attributes (an attribute-only change). */
  next(random: RandomFn, current: Reading, nowMicros: number): Reading;
}

/** The shared empty state-attribute object: lets the state cache skip re-serializing unchanged attributes. */
export const NO_ATTRIBUTES: Readonly<Record<string, unknown>> = Object.freeze({});

/** Defaults for the rarely-set fields, so kind tables stay short. */
export function kind(
  spec: Partial<EntityKind> & Pick<EntityKind, 'domain' | 'initial' | 'next'>,
): EntityKind {
  return {
    key: '',
    originalName: null,
    deviceClass: null,
    unit: null,
    entityCategory: null,
    icon: null,
    supportedFeatures: null,
    weight: 1,
    options: {},
    capabilities: {},
    ...spec,
  };
}
