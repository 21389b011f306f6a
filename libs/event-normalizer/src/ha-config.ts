/**
 * The `ha` schema's configuration: the behaviour keys of HA's `influxdb:` YAML, camelCased, and HA's
 * per-entity merge (`helpers/entity_values.py`, `EntityValues.get`): domain layer, then every matching glob
 * in config order, then the exact entity id; later layers replace earlier keys.
 */
import { compileGlobs } from './glob.js';

/** Per-entity customization, HA's `component_config*` values. */
export interface HaEntityConfig {
  /** HA's `override_measurement`. */
  readonly overrideMeasurement?: string;
  /** HA's `ignore_attributes` (replaced, not merged, by a later layer; then united with the global list). */
  readonly ignoreAttributes?: readonly string[];
}

/** Options of the `ha` schema: HA's `influxdb:` keys that shape points. Defaults are HA's. */
export interface HaSchemaOptions {
  /** HA's `measurement_attr`. @default 'unit_of_measurement' */
  readonly measurementAttr?: 'unit_of_measurement' | 'domain__device_class' | 'entity_id';
  /** HA's `default_measurement`: used when the `measurementAttr` lookup is empty. @default the entity id */
  readonly defaultMeasurement?: string;
  /** HA's `override_measurement`: one measurement for everything. @default none */
  readonly overrideMeasurement?: string;
  /** HA's `tags`: static tags, applied last (they override `domain`/`entity_id`). @default {} */
  readonly tags?: Readonly<Record<string, string>>;
  /** HA's `tags_attributes`: attributes written as tags instead of fields. @default [] */
  readonly tagsAttributes?: readonly string[];
  /** HA's `ignore_attributes`. @default [] */
  readonly ignoreAttributes?: readonly string[];
  /** HA's `component_config`, keyed by entity id. @default {} */
  readonly componentConfig?: Readonly<Record<string, HaEntityConfig>>;
  /** HA's `component_config_domain`, keyed by domain. @default {} */
  readonly componentConfigDomain?: Readonly<Record<string, HaEntityConfig>>;
  /** HA's `component_config_glob`, keyed by fnmatch glob, applied in key order. @default {} */
  readonly componentConfigGlob?: Readonly<Record<string, HaEntityConfig>>;
  /**
   * HA's `api_version`: which Python client wrote HA's points. `'1'` (`influxdb`, `line_protocol._escape_tag`)
   * writes every backslash of a measurement, tag key, tag value or field key twice, and InfluxDB keeps both;
   * `'2'` (`influxdb-client`, `write/point.py`) writes it once. @default '1' (HA's default)
   */
  readonly apiVersion?: '1' | '2';
}

/** The merged configuration of one entity. */
export interface ResolvedEntityConfig {
  readonly overrideMeasurement: string | undefined;
  /** Per-entity ∪ global ignore list. */
  readonly ignore: ReadonlySet<string>;
}

/** Bound on the per-entity cache; HA caches the same way (an lru_cache of its expected entity count). */
const CACHE_LIMIT = 16_384;

/** Returns HA's `EntityValues.get` plus the ignore-set union, cached per entity id. */
export function createEntityConfigResolver(
  options: HaSchemaOptions,
): (entityId: string, domain: string) => ResolvedEntityConfig {
  const exact = new Map(Object.entries(options.componentConfig ?? {}));
  const byDomain = new Map(Object.entries(options.componentConfigDomain ?? {}));
  const globs = Object.entries(options.componentConfigGlob ?? {}).map(
    ([glob, config]) => [compileGlobs([glob]), config] as const,
  );
  const globalIgnore = options.ignoreAttributes ?? [];
  const cache = new Map<string, ResolvedEntityConfig>();

  return (entityId, domain) => {
    const cached = cache.get(entityId);
    if (cached !== undefined) return cached;
    let merged: HaEntityConfig = {};
    const domainConfig = byDomain.get(domain);
    if (domainConfig !== undefined) merged = { ...merged, ...domainConfig };
    for (const [pattern, config] of globs) {
      if (pattern?.matches(entityId) === true) merged = { ...merged, ...config };
    }
    const exactConfig = exact.get(entityId);
    if (exactConfig !== undefined) merged = { ...merged, ...exactConfig };
    const resolved: ResolvedEntityConfig = {
      overrideMeasurement: merged.overrideMeasurement,
      ignore: new Set([...(merged.ignoreAttributes ?? []), ...globalIgnore]),
    };
    if (cache.size >= CACHE_LIMIT) cache.clear();
    cache.set(entityId, resolved);
    return resolved;
  };
}
