/**
 * `INFLUXDB_HA_CONFIG`: the `influxdb:` block of a user's Home Assistant `configuration.yaml`, pasted into a
 * file, read as HA reads it: YAML 1.1 (HA's loader is PyYAML's SafeLoader: `yes`/`on` are booleans), `!secret`
 * from `secrets.yaml` beside the file, `!env_var NAME [default]`; checked by ha-integration-schema.ts. Its
 * connection keys fill the InfluxDB variables the environment leaves unset, with HA's defaults
 * (`components/influxdb/const.py`: API 1, database `home_assistant`; API 2: InfluxDB Cloud's host over TLS,
 * bucket `Home Assistant`; the v1 client's `localhost:8086`), so the service writes where HA wrote.
 */
import { dirname, join } from 'node:path';
import type * as Yaml from 'yaml';
import {
  checkHaIntegrationOptions,
  namesConnection,
  type HaConnectionKeys,
  type HaIntegrationOptions,
} from './ha-integration-schema.js';

/** How the block is read; injectable for tests. */
export interface HaIntegrationIo {
  /** Throws when the file cannot be read. */
  readonly readFile: (path: string) => string;
  /** The `yaml` package (a dependency of the app); tests may leave it out. */
  readonly yaml: typeof Yaml | undefined;
}

export type HaIntegrationResult =
  | {
      readonly ok: true;
      readonly options: HaIntegrationOptions;
      /** InfluxDB variables the block supplies, for those the environment does not set. */
      readonly env: Readonly<Record<string, string>>;
      readonly warnings: readonly string[];
    }
  | { readonly ok: false; readonly problems: readonly string[]; readonly warnings: readonly string[] };

const NAME = 'INFLUXDB_HA_CONFIG';
/** HA's `DEFAULT_HOST_V2`: the integration writes to InfluxDB Cloud when an API-2 block names no host. */
const DEFAULT_HOST_V2 = 'us-west-2-1.aws.cloud2.influxdata.com';

/** Reads, parses and checks the file at `path`; `env` is the environment (with `.env`) it fills. */
export function readHaIntegrationConfig(
  path: string,
  env: NodeJS.ProcessEnv,
  io: HaIntegrationIo,
): HaIntegrationResult {
  const fail = (problem: string): HaIntegrationResult => ({ ok: false, problems: [problem], warnings: [] });
  const yaml = io.yaml;
  if (yaml === undefined)
    return fail(`${NAME} needs the yaml package, which is not installed with this build of the service`);
  let text: string;
  try {
    text = io.readFile(path);
  } catch (error) {
    return fail(`${NAME} ${path} cannot be read: ${error instanceof Error ? error.message : String(error)}`);
  }
  const problems: string[] = [];
  let secrets: Record<string, unknown> | undefined;
  const secret = (name: string, onError: (message: string) => void): unknown => {
    if (secrets === undefined) {
      const secretsPath = join(dirname(path), 'secrets.yaml');
      try {
        secrets = (yaml.parse(io.readFile(secretsPath), { version: '1.1' }) ?? {}) as Record<string, unknown>;
      } catch (error) {
        secrets = {};
        onError(
          `!secret ${name}: ${secretsPath} cannot be read (${error instanceof Error ? error.message : String(error)})`,
        );
        return '';
      }
    }
    if (!(name in secrets)) onError(`!secret ${name} is not in secrets.yaml`);
    return secrets[name] ?? '';
  };
  const envVar = (spec: string, onError: (message: string) => void): unknown => {
    const [variable = '', ...fallback] = spec.trim().split(/\s+/);
    const value = env[variable] ?? (fallback.length > 0 ? fallback.join(' ') : undefined);
    if (value === undefined) onError(`!env_var ${variable} is not set and has no default`);
    return value ?? '';
  };
  const doc = yaml.parseDocument(text, {
    version: '1.1',
    customTags: [
      { tag: '!secret', resolve: secret },
      { tag: '!env_var', resolve: envVar },
    ],
  });
  for (const error of doc.errors) problems.push(`${NAME} ${path}: ${error.message.split('\n')[0] ?? ''}`);
  // An unresolved tag (`!include`, `!input`) would be read as its plain text: refuse it instead.
  for (const warning of doc.warnings)
    problems.push(`${NAME} ${path}: ${warning.message.split('\n')[0] ?? ''}`);
  if (problems.length > 0) return { ok: false, problems, warnings: [] };
  const top: unknown = doc.toJS();
  // The block with its `influxdb:` key, or only what is under it.
  const block =
    typeof top === 'object' && top !== null && !Array.isArray(top) && 'influxdb' in top
      ? (top as Record<string, unknown>)['influxdb']
      : top;
  const checked = checkHaIntegrationOptions(block ?? {});
  const warnings = checked.warnings.map((w) => `${NAME}: ${w}`);
  if (!checked.ok) return { ok: false, problems: checked.problems.map((p) => `${NAME} ${p}`), warnings };
  const fromBlock =
    typeof block === 'object' && block !== null && namesConnection(block as Record<string, unknown>);
  return {
    ok: true,
    options: checked.options,
    env: connectionEnv(checked.options.connection, fromBlock, env),
    warnings,
  };
}

/** The InfluxDB variables the block's connection gives, for those `env` leaves unset. */
export function connectionEnv(
  c: HaConnectionKeys,
  namesConnection: boolean,
  env: NodeJS.ProcessEnv,
): Record<string, string> {
  const isSet = (name: string) => (env[name] ?? '').trim() !== '';
  const out: Record<string, string> = {};
  const put = (name: string, value: string | undefined) => {
    if (value !== undefined && !isSet(name)) out[name] = value;
  };
  put('INFLUXDB_SCHEMA', 'ha');
  // The whole connection comes from the block only when the environment names no server.
  const urlFromBlock = namesConnection && !isSet('INFLUXDB_URL');
  put('INFLUXDB_API_VERSION', c.apiVersion ?? (urlFromBlock ? '1' : undefined));
  const v2 =
    (isSet('INFLUXDB_API_VERSION') ? env['INFLUXDB_API_VERSION']?.trim() : out['INFLUXDB_API_VERSION']) ===
    '2';
  if (urlFromBlock) put('INFLUXDB_URL', influxUrl(c, v2));
  put('INFLUXDB_TOKEN', c.token);
  put('INFLUXDB_ORG', c.organization);
  put('INFLUXDB_BUCKET', c.bucket ?? (urlFromBlock && v2 ? 'Home Assistant' : undefined));
  put('INFLUXDB_DATABASE', c.database ?? (urlFromBlock && !v2 ? 'home_assistant' : undefined));
  put('INFLUXDB_USERNAME', c.username);
  put('INFLUXDB_PASSWORD', c.password);
  put('INFLUXDB_PRECISION', c.precision);
  return out;
}

/** HA's URL: `create_influx_url` for API 2; the v1 client's `scheme://host:port/path` otherwise. */
function influxUrl(c: HaConnectionKeys, v2: boolean): string {
  if (v2) {
    const port = c.port === undefined ? '' : `:${String(c.port)}`;
    return `${(c.ssl ?? true) ? 'https' : 'http'}://${c.host ?? DEFAULT_HOST_V2}${port}${c.path ?? ''}`;
  }
  const path = c.path === undefined || c.path === '' ? '' : c.path.startsWith('/') ? c.path : '/' + c.path;
  return `${c.ssl === true ? 'https' : 'http'}://${c.host ?? 'localhost'}:${String(c.port ?? 8086)}${path}`;
}
