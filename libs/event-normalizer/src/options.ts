/**
 * Options of {@link createEventNormalizer}: documented, defaulted in one place and checked at construction.
 */
import { describeValue, invalidOptionMessage, optionChecks } from '@homeiq/runtime';
import type { EntityFilterSpec } from './entity-filter.js';
import type { HaSchemaOptions } from './ha-config.js';
import type { RegistryLookup } from './registry-lookup.js';
import type { OmitReason, Precision, RejectReason } from './types.js';

/** Which point layout the encoder writes. */
export type PointSchema = 'homeiq' | 'ha';

export interface EventNormalizerOptions {
  /** Point layout: `homeiq` (one measurement, rich tags/fields) or `ha` (HA's own integration). @default 'homeiq' */
  readonly schema?: PointSchema;
  /** Measurement of the `homeiq` schema. @default 'home_assistant_events' */
  readonly measurement?: string;
  /** Whether the `homeiq` schema writes the `attributes` JSON field. @default true */
  readonly includeAttributes?: boolean;
  /** The `state` written by the `homeiq` schema for an entity removal (whose new state is null). @default '<removed>' */
  readonly removedStateValue?: string;
  /** Timestamp precision of the lines; the writer must use the same. @default 'ns' */
  readonly precision?: Precision;
  /**
   * Largest string field value, in UTF-8 bytes (InfluxDB's documented string limit is 64 KiB). Applies to the
   * attributes JSON and every other string field.
   * @default 65536
   */
  readonly maxStringFieldBytes?: number;
  /** A longer string field is left out of the line (`omit`, counted) or rejects the event (`reject`). @default 'omit' */
  readonly oversizeStringField?: 'omit' | 'reject';
  /** HA's `include` filter. @default no include filter */
  readonly include?: EntityFilterSpec;
  /** HA's `exclude` filter. @default no exclude filter */
  readonly exclude?: EntityFilterSpec;
  /** Reject events whose new state is `unavailable`. @default false */
  readonly skipUnavailable?: boolean;
  /** Reject events whose new state is `unknown`. @default false */
  readonly skipUnknown?: boolean;
  /** Reject attribute-only changes (same state string). @default false */
  readonly skipAttributeOnly?: boolean;
  /**
   * Registry lookup for enrichment (device, area, floor, platform, entity category, labels), read once per
   * event, e.g. `@homeiq/registry-discovery`'s discovery. @default none
   */
  readonly registry?: RegistryLookup;
  /** Settings of the `ha` schema (HA's `influxdb:` keys). @default {} */
  readonly ha?: HaSchemaOptions;
  /** Called for every rejected event, after it is counted. Must not throw. @default none */
  readonly onReject?: (reason: RejectReason, detail: string) => void;
  /** Called for every field or tag left out of a written line, after it is counted. @default none */
  readonly onOmit?: (reason: OmitReason, key: string) => void;
}

/** Every option with its default applied. */
export interface ResolvedOptions {
  readonly schema: PointSchema;
  readonly measurement: string;
  readonly includeAttributes: boolean;
  readonly removedStateValue: string;
  readonly precision: Precision;
  readonly maxStringFieldBytes: number;
  readonly oversizeStringField: 'omit' | 'reject';
  readonly include: EntityFilterSpec;
  readonly exclude: EntityFilterSpec;
  readonly skipUnavailable: boolean;
  readonly skipUnknown: boolean;
  readonly skipAttributeOnly: boolean;
  readonly registry: RegistryLookup | undefined;
  readonly ha: HaSchemaOptions;
  readonly onReject: ((reason: RejectReason, detail: string) => void) | undefined;
  readonly onOmit: ((reason: OmitReason, key: string) => void) | undefined;
}

/** Thrown by {@link createEventNormalizer} for an invalid option. */
export class EventNormalizerOptionsError extends TypeError {
  readonly code = 'ERR_INVALID_OPTION';
  override readonly name = 'EventNormalizerOptionsError';
}

/** The lib's option error, worded as every HomeIQ lib words it (`@homeiq/runtime`). */
const invalid = (name: string, expected: string, value: unknown): EventNormalizerOptionsError =>
  new EventNormalizerOptionsError(invalidOptionMessage(name, expected, value));
const check = optionChecks(invalid);

/** `value` checked by `test`, or `fallback` when the option is not given. */
function optional<T>(value: unknown, fallback: T, test: (value: unknown) => T): T {
  return value === undefined ? fallback : test(value);
}

function stringList(name: string, value: unknown): void {
  if (value === undefined) return;
  if (Array.isArray(value) && value.every((item) => typeof item === 'string')) return;
  throw invalid(name, 'an array of strings', value);
}

function checkSpec(name: string, spec: EntityFilterSpec | undefined): EntityFilterSpec {
  if (spec === undefined) return {};
  stringList(`${name}.domains`, spec.domains);
  stringList(`${name}.entities`, spec.entities);
  stringList(`${name}.entityGlobs`, spec.entityGlobs);
  return spec;
}

function checkHa(ha: HaSchemaOptions): HaSchemaOptions {
  optional(ha.measurementAttr, 'unit_of_measurement', (value) =>
    check.oneOf('ha.measurementAttr', value, ['unit_of_measurement', 'domain__device_class', 'entity_id']),
  );
  stringList('ha.tagsAttributes', ha.tagsAttributes);
  stringList('ha.ignoreAttributes', ha.ignoreAttributes);
  for (const [key, value] of Object.entries(ha.tags ?? {})) {
    if (typeof value !== 'string') throw invalid(`ha.tags.${key}`, 'a string', value);
  }
  const layers = {
    componentConfig: ha.componentConfig,
    componentConfigDomain: ha.componentConfigDomain,
    componentConfigGlob: ha.componentConfigGlob,
  };
  for (const [layer, entries] of Object.entries(layers)) {
    for (const [key, config] of Object.entries(entries ?? {})) {
      const name = `ha.${layer}.${key}`;
      if (typeof config !== 'object' || (config as unknown) === null) {
        throw invalid(name, 'an object', config);
      }
      if (config.overrideMeasurement !== undefined && typeof config.overrideMeasurement !== 'string') {
        throw invalid(`${name}.overrideMeasurement`, 'a string', config.overrideMeasurement);
      }
      stringList(`${name}.ignoreAttributes`, config.ignoreAttributes);
    }
  }
  for (const key of [...(ha.tagsAttributes ?? []), ...Object.keys(ha.tags ?? {})]) {
    // InfluxDB drops the whole point for a tag named `time`.
    if (key === 'time' || key === '') {
      throw new EventNormalizerOptionsError(
        `Expected tag keys other than \`time\` and \`""\`, got ${describeValue(key)}`,
      );
    }
  }
  return ha;
}

/** Applies defaults and validates; throws {@link EventNormalizerOptionsError} naming the bad option. */
export function resolveOptions(options: EventNormalizerOptions): ResolvedOptions {
  const maxStringFieldBytes = optional(options.maxStringFieldBytes, 65_536, (value) =>
    check.integer('maxStringFieldBytes', value, 1),
  );
  const registry: unknown = options.registry;
  if (
    registry !== undefined &&
    (typeof registry !== 'object' ||
      registry === null ||
      typeof (registry as Record<string, unknown>)['lookup'] !== 'function')
  ) {
    throw invalid('registry', 'an object with a lookup function', registry);
  }
  for (const hook of ['onReject', 'onOmit'] as const) {
    if (options[hook] !== undefined) check.callback(hook, options[hook]);
  }
  return {
    schema: optional(options.schema, 'homeiq', (value) => check.oneOf('schema', value, ['homeiq', 'ha'])),
    measurement: optional(options.measurement, 'home_assistant_events', (value) =>
      check.text('measurement', value),
    ),
    includeAttributes: optional(options.includeAttributes, true, (value) =>
      check.boolean('includeAttributes', value),
    ),
    removedStateValue: optional(options.removedStateValue, '<removed>', (value) =>
      check.text('removedStateValue', value),
    ),
    precision: optional(options.precision, 'ns', (value) =>
      check.oneOf('precision', value, ['ns', 'us', 'ms', 's']),
    ),
    maxStringFieldBytes,
    oversizeStringField: optional(options.oversizeStringField, 'omit', (value) =>
      check.oneOf('oversizeStringField', value, ['omit', 'reject']),
    ),
    include: checkSpec('include', options.include),
    exclude: checkSpec('exclude', options.exclude),
    skipUnavailable: optional(options.skipUnavailable, false, (value) =>
      check.boolean('skipUnavailable', value),
    ),
    skipUnknown: optional(options.skipUnknown, false, (value) => check.boolean('skipUnknown', value)),
    skipAttributeOnly: optional(options.skipAttributeOnly, false, (value) =>
      check.boolean('skipAttributeOnly', value),
    ),
    registry: options.registry,
    ha: checkHa(options.ha ?? {}),
    onReject: options.onReject,
    onOmit: options.onOmit,
  };
}
