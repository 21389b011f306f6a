/**
 * The Home Assistant add-on's options (`/data/options.json`, written by the Supervisor from the add-on's
 * `config.yaml` schema) as the service's environment. The add-on talks to HA through the Supervisor's proxy with
 * the `SUPERVISOR_TOKEN` the Supervisor gives every add-on (developers.home-assistant docs/add-ons/communication.md),
 * keeps its data in `/data`, and serves the status page on the ingress port to the ingress proxy only.
 */

/** Where the Supervisor's proxy of HA's WebSocket API lives; `/core/api/websocket` is one of its two routes. */
export const SUPERVISOR_URL = 'http://supervisor';
/** The Supervisor's ingress proxy, the one peer the add-on serves (docs/add-ons/presentation.md, "Ingress"). */
export const INGRESS_PROXY = '172.30.32.2';
/** config.yaml's `ingress_port`. */
export const INGRESS_PORT = 8099;

/** The variables the add-on sets itself; `env_vars` may not change them. */
const RESERVED = new Set([
  'HOME_ASSISTANT_URL',
  'HOME_ASSISTANT_TOKEN',
  'HA_TOKEN',
  'HA_HTTP_URL',
  'HA_WS_URL',
  'DATA_DIR',
  'WEBSOCKET_INGESTION_PORT',
  'INGRESS_PROXY_ADDRESSES',
]);

/** Each option of config.yaml and the variable it sets. */
const OPTION_VARIABLES: Readonly<Record<string, string>> = {
  influxdb_url: 'INFLUXDB_URL',
  influxdb_api_version: 'INFLUXDB_API_VERSION',
  influxdb_token: 'INFLUXDB_TOKEN',
  influxdb_org: 'INFLUXDB_ORG',
  influxdb_bucket: 'INFLUXDB_BUCKET',
  influxdb_database: 'INFLUXDB_DATABASE',
  influxdb_username: 'INFLUXDB_USERNAME',
  influxdb_password: 'INFLUXDB_PASSWORD',
  influxdb_schema: 'INFLUXDB_SCHEMA',
  recorder_import_days: 'HA_RECORDER_IMPORT_DAYS',
  log_level: 'LOG_LEVEL',
};

/** Where the add-on finds things; the defaults are the Supervisor's. Tests point them at loopback and temp dirs. */
export interface AddonPaths {
  /** @default '/data' */
  readonly dataDir: string;
  /** @default SUPERVISOR_URL */
  readonly supervisorUrl: string;
  /** @default INGRESS_PORT */
  readonly port: number;
  /** @default [INGRESS_PROXY] */
  readonly ingressProxies: readonly string[];
}

export type AddonEnvironment =
  | { readonly ok: true; readonly env: Readonly<Record<string, string>> }
  | { readonly ok: false; readonly problems: readonly string[] };

/**
 * The environment for the service from the parsed `options.json` and the Supervisor's token. Every problem is
 * listed (an option of the wrong type, an unknown one, an `env_vars` entry that is not `{name, value}` or names a
 * variable the add-on sets itself, a missing `SUPERVISOR_TOKEN`); the service's own checks of each value follow.
 */
export function addonEnvironment(
  options: unknown,
  supervisorToken: string | undefined,
  paths: AddonPaths,
): AddonEnvironment {
  const problems: string[] = [];
  const env: Record<string, string> = {
    HOME_ASSISTANT_URL: `${paths.supervisorUrl.replace(/\/+$/, '')}/core/websocket`,
    DATA_DIR: paths.dataDir,
    WEBSOCKET_INGESTION_PORT: String(paths.port),
    INGRESS_PROXY_ADDRESSES: paths.ingressProxies.join(','),
    LOG_FORMAT: 'text',
  };
  if (supervisorToken === undefined || supervisorToken.trim() === '') {
    problems.push(
      'SUPERVISOR_TOKEN is not set: run this as a Home Assistant add-on (the Supervisor sets it)',
    );
  } else {
    env['HOME_ASSISTANT_TOKEN'] = supervisorToken;
  }
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    return { ok: false, problems: [...problems, 'options.json must hold a JSON object'] };
  }
  for (const [key, value] of Object.entries(options)) {
    if (key === 'env_vars') {
      readEnvVars(value, env, problems);
      continue;
    }
    const variable = OPTION_VARIABLES[key];
    if (variable === undefined) {
      problems.push(`option ${JSON.stringify(key)} is not one of this add-on's options`);
    } else if (value === null || value === '') {
      // The Supervisor writes an unset optional option as absent; an empty one means the same.
    } else if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
      env[variable] = String(value);
    } else {
      problems.push(`option ${key} must be a string, a number or true/false, got ${describe(value)}`);
    }
  }
  return problems.length === 0 ? { ok: true, env } : { ok: false, problems };
}

/** `env_vars: [{name, value}]`: any other setting of the service (README, Configuration), for advanced users. */
function readEnvVars(value: unknown, env: Record<string, string>, problems: string[]): void {
  if (!Array.isArray(value)) {
    problems.push(`option env_vars must be a list of {name, value}, got ${describe(value)}`);
    return;
  }
  value.forEach((entry: unknown, i) => {
    const name: unknown =
      typeof entry === 'object' && entry !== null ? Reflect.get(entry, 'name') : undefined;
    const text: unknown =
      typeof entry === 'object' && entry !== null ? Reflect.get(entry, 'value') : undefined;
    if (typeof name !== 'string' || !/^[A-Z][A-Z0-9_]*$/.test(name) || typeof text !== 'string') {
      problems.push(`env_vars[${i}] must be {name: UPPER_CASE_NAME, value: text}, got ${describe(entry)}`);
    } else if (RESERVED.has(name)) {
      problems.push(`env_vars[${i}] sets ${name}, which the add-on sets itself`);
    } else {
      env[name] = text;
    }
  });
}

/** A value's shape for a message, never its content (it may be a password). */
function describe(value: unknown): string {
  if (Array.isArray(value)) return 'a list';
  return value === null ? 'null' : typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}
