/**
 * The options of HA's own `influxdb:` block, checked as HA's voluptuous schema checks them
 * (`homeassistant/components/influxdb/__init__.py` `_INFLUX_BASE_SCHEMA` and `const.py`
 * `COMPONENT_CONFIG_SCHEMA_CONNECTION`, `helpers/entityfilter.py` `INCLUDE_EXCLUDE_BASE_FILTER_SCHEMA`, with
 * `helpers/config_validation.py`'s `string`, `ensure_list`, `entity_id`, `entity_ids`, `boolean`, `port`,
 * `positive_int`), so a block HA accepts is accepted here with the same values, and a block HA refuses is refused
 * naming the key. Unknown keys, which HA refuses, are a warning here (the service has more to lose by not
 * starting than HA's config check had).
 */
import type { EntityFilterSpec, HaEntityConfig, HaSchemaOptions } from '@homeiq/event-normalizer';
import {
  coercedInt,
  cvBoolean,
  cvEntityId,
  cvEntityIds,
  cvString,
  describe,
  Invalid,
  mapping,
  oneOf,
  stringList,
} from './ha-config-validation.js';

/** The connection keys of the block, as HA validated them (no defaults applied). */
export interface HaConnectionKeys {
  readonly apiVersion?: '1' | '2';
  readonly host?: string;
  readonly port?: number;
  readonly path?: string;
  readonly ssl?: boolean;
  readonly verifySsl?: boolean;
  readonly sslCaCert?: string;
  readonly precision?: 'ms' | 's' | 'us' | 'ns';
  readonly username?: string;
  readonly password?: string;
  readonly database?: string;
  readonly token?: string;
  readonly organization?: string;
  readonly bucket?: string;
}

/** The block, checked: what shapes points, the entity filter, the connection. */
export interface HaIntegrationOptions {
  readonly ha: HaSchemaOptions;
  readonly include: EntityFilterSpec;
  readonly exclude: EntityFilterSpec;
  readonly connection: HaConnectionKeys;
}

export type HaIntegrationCheck =
  | { readonly ok: true; readonly options: HaIntegrationOptions; readonly warnings: readonly string[] }
  | { readonly ok: false; readonly problems: readonly string[]; readonly warnings: readonly string[] };

const FILTER_KEYS = ['domains', 'entities', 'entity_globs'];
const ENTITY_KEYS = ['override_measurement', 'ignore_attributes'];
const IGNORED_KEYS: ReadonlyMap<string, string> = new Map([
  [
    'max_retries',
    'max_retries is ignored: the service retries failed writes on its own and holds the points in memory and its on-disk spool meanwhile (README, Reliability)',
  ],
]);

/**
 * Checks the options of an `influxdb:` block (the mapping under the key). Every problem is collected, each named
 * `influxdb.<key>`.
 */
export function checkHaIntegrationOptions(block: unknown): HaIntegrationCheck {
  const problems: string[] = [];
  const warnings: string[] = [];
  const at = <T>(key: string, fn: () => T): T | undefined => {
    try {
      return fn();
    } catch (error) {
      if (!(error instanceof Invalid)) throw error;
      problems.push(`influxdb.${key}: ${error.message}`);
      return undefined;
    }
  };
  const root = at('', () => mapping(block)) ?? {};
  const get = (key: string): unknown => root[key];
  const has = (key: string): boolean => root[key] !== undefined;

  const filter = (side: 'include' | 'exclude'): EntityFilterSpec => {
    const spec = at(side, () => mapping(get(side))) ?? {};
    for (const key of Object.keys(spec)) {
      if (!FILTER_KEYS.includes(key))
        warnings.push(`influxdb.${side}.${key} is not an option of HA's influxdb integration and is ignored`);
    }
    return {
      domains: at(`${side}.domains`, () => stringList(spec['domains'])) ?? [],
      entities: at(`${side}.entities`, () => cvEntityIds(spec['entities'])) ?? [],
      entityGlobs: at(`${side}.entity_globs`, () => stringList(spec['entity_globs'])) ?? [],
    };
  };
  const entityLayer = (key: string, checkKey: (k: string) => string): Record<string, HaEntityConfig> => {
    const out: Record<string, HaEntityConfig> = {};
    for (const [rawKey, rawValue] of Object.entries(at(key, () => mapping(get(key))) ?? {})) {
      const name = at(`${key}.${rawKey}`, () => checkKey(rawKey));
      const value = at(`${key}.${rawKey}`, () => mapping(rawValue)) ?? {};
      for (const k of Object.keys(value)) {
        if (!ENTITY_KEYS.includes(k))
          warnings.push(
            `influxdb.${key}.${rawKey}.${k} is not an option of HA's influxdb integration and is ignored`,
          );
      }
      const override =
        value['override_measurement'] === undefined
          ? undefined
          : at(`${key}.${rawKey}.override_measurement`, () => cvString(value['override_measurement']));
      const ignore =
        value['ignore_attributes'] === undefined
          ? undefined
          : at(`${key}.${rawKey}.ignore_attributes`, () => stringList(value['ignore_attributes']));
      if (name !== undefined)
        out[name] = {
          ...(override !== undefined && { overrideMeasurement: override }),
          ...(ignore !== undefined && { ignoreAttributes: ignore }),
        };
    }
    return out;
  };

  const tags: Record<string, string> = {};
  for (const [key, value] of Object.entries(at('tags', () => mapping(get('tags'))) ?? {})) {
    const text = at(`tags.${key}`, () => cvString(value));
    if (key === 'time' || key === '')
      problems.push(`influxdb.tags.${key}: InfluxDB refuses every point with a tag named ${describe(key)}`);
    else if (text !== undefined) tags[key] = text;
  }
  const tagsAttributes = at('tags_attributes', () => stringList(get('tags_attributes'))) ?? [];
  if (tagsAttributes.includes('time'))
    problems.push('influxdb.tags_attributes: InfluxDB refuses every point with a tag named "time"');
  const measurementAttr = has('measurement_attr')
    ? at('measurement_attr', () =>
        oneOf(get('measurement_attr'), ['unit_of_measurement', 'domain__device_class', 'entity_id'] as const),
      )
    : undefined;
  const defaultMeasurement = has('default_measurement')
    ? at('default_measurement', () => cvString(get('default_measurement')))
    : undefined;
  const overrideMeasurement = has('override_measurement')
    ? at('override_measurement', () => cvString(get('override_measurement')))
    : undefined;
  if (has('max_retries'))
    at('max_retries', () =>
      coercedInt(get('max_retries'), 0, Number.MAX_SAFE_INTEGER, 'a whole number >= 0'),
    );

  const connection = checkConnection(root, at, problems);
  const ha: HaSchemaOptions = {
    // The client HA wrote with decides how backslashes in names were stored.
    apiVersion: connection.apiVersion ?? '1',
    ...(measurementAttr !== undefined && { measurementAttr }),
    ...(defaultMeasurement !== undefined && { defaultMeasurement }),
    ...(overrideMeasurement !== undefined && { overrideMeasurement }),
    tags,
    tagsAttributes,
    ignoreAttributes: at('ignore_attributes', () => stringList(get('ignore_attributes'))) ?? [],
    componentConfig: entityLayer('component_config', cvEntityId),
    componentConfigDomain: entityLayer('component_config_domain', cvString),
    componentConfigGlob: entityLayer('component_config_glob', cvString),
  };
  const include = filter('include');
  const exclude = filter('exclude');

  for (const key of Object.keys(root)) {
    const note = IGNORED_KEYS.get(key);
    if (note !== undefined) warnings.push(note);
    else if (!KNOWN_KEYS.has(key))
      warnings.push(`influxdb.${key} is not an option of HA's influxdb integration and is ignored`);
  }
  if (connection.verifySsl === false)
    warnings.push(
      "influxdb.verify_ssl: false is not followed: the service always verifies the certificate (use ssl_ca_cert's file in NODE_EXTRA_CA_CERTS)",
    );
  if (connection.sslCaCert !== undefined)
    warnings.push(
      `influxdb.ssl_ca_cert is not read by the service: start it with NODE_EXTRA_CA_CERTS=${connection.sslCaCert}`,
    );
  return problems.length > 0
    ? { ok: false, problems, warnings }
    : { ok: true, options: { ha, include, exclude, connection }, warnings };
}

const CONNECTION_KEYS = [
  'api_version',
  'host',
  'port',
  'path',
  'ssl',
  'verify_ssl',
  'ssl_ca_cert',
  'precision',
  'username',
  'password',
  'database',
  'token',
  'organization',
  'bucket',
];
const KNOWN_KEYS = new Set([
  ...CONNECTION_KEYS,
  'include',
  'exclude',
  'default_measurement',
  'override_measurement',
  'measurement_attr',
  'tags',
  'tags_attributes',
  'ignore_attributes',
  'component_config',
  'component_config_domain',
  'component_config_glob',
]);

function checkConnection(
  root: Record<string, unknown>,
  at: <T>(key: string, fn: () => T) => T | undefined,
  problems: string[],
): HaConnectionKeys {
  const opt = <T>(key: string, fn: (value: unknown) => T): T | undefined =>
    root[key] === undefined ? undefined : at(key, () => fn(root[key]));
  // vol.Coerce(str) then vol.In: `api_version: 2` and `"2"` are the same.
  const apiVersion = opt('api_version', (value) =>
    oneOf(typeof value === 'number' ? String(value) : value, ['1', '2'] as const),
  );
  const keys: HaConnectionKeys = {
    ...(apiVersion !== undefined && { apiVersion }),
    ...spread('host', opt('host', cvString)),
    ...spread(
      'port',
      opt('port', (value) => coercedInt(value, 1, 65535, 'a port from 1 to 65535')),
    ),
    ...spread('path', opt('path', cvString)),
    ...spread('ssl', opt('ssl', cvBoolean)),
    ...spread('verifySsl', opt('verify_ssl', cvBoolean)),
    ...spread('sslCaCert', opt('ssl_ca_cert', cvString)),
    ...spread(
      'precision',
      opt('precision', (value) => oneOf(value, ['ms', 's', 'us', 'ns'] as const)),
    ),
    ...spread('username', opt('username', cvString)),
    ...spread('password', opt('password', cvString)),
    ...spread('database', opt('database', cvString)),
    ...spread('token', opt('token', cvString)),
    ...spread('organization', opt('organization', cvString)),
    ...spread('bucket', opt('bucket', cvString)),
  };
  // vol.Inclusive groups, then validate_version_specific_config.
  if ((root['username'] === undefined) !== (root['password'] === undefined))
    problems.push('influxdb.username: username and password go together: set both or neither');
  if ((root['token'] === undefined) !== (root['organization'] === undefined))
    problems.push('influxdb.token: token and organization go together: set both or neither');
  if (apiVersion === '2') {
    if (root['token'] === undefined)
      problems.push('influxdb.token: token and bucket are required when api_version is 2');
    if (root['username'] !== undefined)
      problems.push('influxdb.username: username and password are only allowed when api_version is 1');
  } else if (root['token'] !== undefined) {
    problems.push('influxdb.token: token and bucket are only allowed when api_version is 2');
  }
  return keys;
}

function spread<K extends string, T>(key: K, value: T | undefined): { [P in K]?: T } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: T };
}

/** Whether the block names any connection key (then its connection fills what the environment does not set). */
export function namesConnection(block: Record<string, unknown>): boolean {
  return CONNECTION_KEYS.some((key) => block[key] !== undefined && key !== 'precision');
}
