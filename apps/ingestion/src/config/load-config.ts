import { readFileSync } from 'node:fs';
import type { EntityFilterSpec, HaSchemaOptions } from '@homeiq/event-normalizer';
import * as v from 'valibot';
import { readDotEnv } from './dot-env.js';
import { readHaIntegrationConfig, type HaIntegrationIo } from './ha-integration-config.js';
import { DEPRECATED_VARIABLES, VARIABLES } from './variables.js';

type Spec = (typeof VARIABLES)[number];
type Name = Spec['name'];
type ValueOf<N extends Name> = v.InferOutput<Extract<Spec, { name: N }>['schema']>;

/** The service's configuration, validated and typed; durations in milliseconds. */
export interface IngestionConfig {
  readonly port: number;
  /** Address the HTTP server binds (WEBSOCKET_INGESTION_HOST). */
  readonly host?: string;
  readonly homeAssistant: {
    readonly url: string;
    readonly token: string;
    readonly maxRetries: number;
    readonly retryMaxDelayMs: number;
    readonly circuitFailureThreshold: number;
    readonly heartbeatIntervalMs: number;
    readonly pongTimeoutMs: number;
    /** Fill gaps from HA's recorder (HA_RECORDER_BACKFILL). */
    readonly recorderBackfill: boolean;
    /** How long after a change the recorder has committed it: its commit interval plus a second. */
    readonly recorderCommitWaitMs: number;
    /** Days of history the first start imports once (HA_RECORDER_IMPORT_DAYS); 0: none. */
    readonly recorderImportDays: number;
  };
  /** Undefined when INFLUXDB_URL is unset: points then wait in the spool. */
  readonly influx:
    | {
        readonly url: string;
        readonly apiVersion: 1 | 2 | 3;
        readonly token: string | undefined;
        readonly org: string;
        readonly bucket: string;
        readonly database: string;
        readonly retentionPolicy: string | undefined;
        readonly username: string | undefined;
        readonly password: string | undefined;
        readonly timeoutMs: number;
        /** 0: bodies are sent uncompressed. */
        readonly gzipLevel: number;
        readonly concurrentWrites: number;
      }
    | undefined;
  readonly points: {
    readonly schema: 'homeiq' | 'ha';
    readonly precision: 'ns' | 'us' | 'ms' | 's';
    readonly writeAttributes: boolean;
    /** From INFLUXDB_HA_CONFIG (HA's `influxdb:` block): the `ha` schema's options and HA's entity filter. */
    readonly haIntegration?: {
      readonly ha: HaSchemaOptions;
      readonly include: EntityFilterSpec;
      readonly exclude: EntityFilterSpec;
    };
  };
  readonly queue: {
    readonly batchSize: number;
    readonly batchTimeoutMs: number;
    readonly maxPendingPoints: number;
    readonly overflowStrategy: 'spill' | 'drop_oldest' | 'drop_new';
    /** INFLUXDB_SPOOL_MAX_MB, in bytes. */
    readonly spoolMaxBytes: number;
  };
  readonly dataDir: string;
  readonly dataApi: { readonly url: string; readonly apiKey: string | undefined } | undefined;
  readonly storeDeviceHistory: boolean;
  readonly log: {
    readonly level: 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal' | 'silent';
    readonly format: 'json' | 'text';
    readonly output: 'stdout' | 'file' | 'both';
    readonly file: string;
  };
  readonly maxMemoryMb: number;
  readonly shutdownTimeoutMs: number;
  readonly http: {
    readonly corsAllowedOrigins: readonly string[];
    readonly allowedHosts: readonly string[];
    readonly apiToken: string | undefined;
    readonly wsMaxClients: number;
    /** INGRESS_PROXY_ADDRESSES: Home Assistant ingress peers; empty outside an add-on. */
    readonly ingressProxies: readonly string[];
  };
}

export type ConfigResult =
  | { readonly ok: true; readonly config: IngestionConfig; readonly warnings: readonly string[] }
  | { readonly ok: false; readonly problems: readonly string[]; readonly warnings: readonly string[] };

/** The environment with an optional `.env` file merged in, and what reading the file had to guess. */
export interface MergedEnv {
  readonly env: NodeJS.ProcessEnv;
  readonly warnings: readonly string[];
  /** Guesses that would silently change a secret: the configuration is refused. */
  readonly problems: readonly string[];
}

/**
 * Reads the text of an optional `.env` file with dotenv's rules (README, Configuration); the process environment
 * wins over it. A secret whose unquoted value has a `#` glued to it is a problem, not a warning: dotenv keeps
 * only the part before the `#`, and a shortened token is a weaker one.
 */
export function mergeDotEnv(env: NodeJS.ProcessEnv, dotEnvText: string | undefined): MergedEnv {
  if (dotEnvText === undefined) return { env, warnings: [], problems: [] };
  const file = readDotEnv(dotEnvText);
  const secrets = new Set<string>(
    (VARIABLES as readonly Spec[]).flatMap((spec) =>
      'secret' in spec ? [spec.name, ...('aliases' in spec ? spec.aliases : [])] : [],
    ),
  );
  const warnings: string[] = [];
  const problems: string[] = [];
  for (const finding of file.findings) {
    const key = finding.key ?? '';
    if (env[key] !== undefined) {
      warnings.push(`${finding.message} (the environment sets ${key}, so this line is not used)`);
    } else if (finding.kind === 'hash-in-value' && secrets.has(key) && file.lines.get(key) === finding.line) {
      problems.push(finding.message);
    } else {
      warnings.push(finding.message);
    }
  }
  return { env: { ...file.values, ...env }, warnings, problems };
}

/**
 * Validates the environment. Every problem is collected (never just the first) so that one run of the service
 * tells the operator everything to fix. Secret values never appear in a problem message.
 */
export function loadConfig(
  processEnv: NodeJS.ProcessEnv,
  dotEnvText?: string,
  io: Partial<HaIntegrationIo> = {},
): ConfigResult {
  const dotEnv = mergeDotEnv(processEnv, dotEnvText);
  // INFLUXDB_HA_CONFIG's connection keys fill the InfluxDB variables the environment leaves unset.
  const haConfigPath = dotEnv.env['INFLUXDB_HA_CONFIG']?.trim();
  const haIntegration =
    haConfigPath === undefined || haConfigPath === ''
      ? undefined
      : readHaIntegrationConfig(haConfigPath, dotEnv.env, {
          readFile: io.readFile ?? ((path) => readFileSync(path, 'utf8')),
          yaml: io.yaml,
        });
  const env = haIntegration?.ok === true ? { ...haIntegration.env, ...dotEnv.env } : dotEnv.env;
  const problems: string[] = [
    ...dotEnv.problems,
    ...(haIntegration?.ok === false ? haIntegration.problems : []),
  ];
  if (haIntegration?.ok === true && dotEnv.env['INFLUXDB_SCHEMA']?.trim().toLowerCase() === 'homeiq')
    problems.push(
      'INFLUXDB_HA_CONFIG shapes points of INFLUXDB_SCHEMA=ha, but INFLUXDB_SCHEMA is homeiq: set it to ha or unset it',
    );
  const warnings = [
    ...dotEnv.warnings,
    ...(haIntegration?.warnings ?? []),
    ...DEPRECATED_VARIABLES.filter((name) => env[name] !== undefined).map(
      (name) => `${name} is set but does nothing in this service (deprecated)`,
    ),
  ];
  const values = new Map<Name, unknown>();

  for (const spec of VARIABLES as readonly Spec[]) {
    const source = chooseAlias(spec, env, warnings);
    const text = source === undefined ? ('default' in spec ? spec.default : undefined) : env[source];
    if (text === undefined) {
      if ('required' in spec) problems.push(`${spec.name} is required: ${spec.description}`);
      continue;
    }
    const parsed = v.safeParse(spec.schema, text);
    if (parsed.success) {
      values.set(spec.name, parsed.output);
    } else {
      const shown = 'secret' in spec ? '(secret)' : JSON.stringify(text);
      problems.push(`${source ?? spec.name} ${parsed.issues[0].message}, got ${shown}`);
    }
  }
  const get = <N extends Name>(name: N) => values.get(name) as ValueOf<N>;
  const maybe = <N extends Name>(name: N) => values.get(name) as ValueOf<N> | undefined;

  const influxUrl = maybe('INFLUXDB_URL');
  const version = get('INFLUXDB_API_VERSION');
  const apiVersion = version === '1' ? 1 : version === '3' ? 3 : 2;
  if (influxUrl !== undefined && apiVersion !== 1 && maybe('INFLUXDB_TOKEN') === undefined) {
    problems.push(
      `INFLUXDB_TOKEN is required with INFLUXDB_URL and INFLUXDB_API_VERSION=${String(apiVersion)}`,
    );
  }
  if ((maybe('INFLUXDB_USERNAME') === undefined) !== (maybe('INFLUXDB_PASSWORD') === undefined)) {
    problems.push('INFLUXDB_USERNAME and INFLUXDB_PASSWORD go together: set both or neither');
  }
  // The queue's relation batchSize <= maxBatchSize <= maxPending (QUEUE_LIMITS): BATCH_SIZE's own bound covers the
  // first half, this the second.
  const batchSize = maybe('BATCH_SIZE');
  const maxPending = maybe('INFLUXDB_MAX_PENDING_POINTS');
  if (batchSize !== undefined && maxPending !== undefined && maxPending < batchSize) {
    problems.push(
      `INFLUXDB_MAX_PENDING_POINTS must be >= BATCH_SIZE (${batchSize}): a batch is taken from the points held in memory, got ${maxPending}`,
    );
  }
  if (maybe('INGRESS_PROXY_ADDRESSES') !== undefined && maybe('INGESTION_API_TOKEN') !== undefined)
    warnings.push(
      'INGESTION_API_TOKEN is not used with INGRESS_PROXY_ADDRESSES: Home Assistant authenticates ingress users',
    );
  if (problems.length > 0) return { ok: false, problems, warnings };

  const level = get('LOG_LEVEL');
  const dataApiUrl = maybe('DATA_API_URL');
  const config: IngestionConfig = {
    port: get('WEBSOCKET_INGESTION_PORT'),
    host: get('WEBSOCKET_INGESTION_HOST'),
    homeAssistant: {
      url: get('HOME_ASSISTANT_URL'),
      token: get('HOME_ASSISTANT_TOKEN'),
      maxRetries: get('WEBSOCKET_MAX_RETRIES'),
      retryMaxDelayMs: Math.round(get('WEBSOCKET_MAX_RETRY_DELAY') * 1000),
      circuitFailureThreshold: get('CIRCUIT_BREAKER_THRESHOLD'),
      heartbeatIntervalMs: Math.round(get('HA_HEARTBEAT_INTERVAL') * 1000),
      pongTimeoutMs: Math.round(get('HA_PONG_TIMEOUT') * 1000),
      recorderBackfill: get('HA_RECORDER_BACKFILL'),
      recorderCommitWaitMs: Math.round(get('HA_RECORDER_COMMIT_INTERVAL') * 1000) + 1000,
      recorderImportDays: get('HA_RECORDER_IMPORT_DAYS'),
    },
    influx:
      influxUrl === undefined
        ? undefined
        : {
            url: influxUrl,
            apiVersion,
            token: maybe('INFLUXDB_TOKEN'),
            org: get('INFLUXDB_ORG'),
            bucket: get('INFLUXDB_BUCKET'),
            database: get('INFLUXDB_DATABASE'),
            retentionPolicy: maybe('INFLUXDB_RETENTION_POLICY'),
            username: maybe('INFLUXDB_USERNAME'),
            password: maybe('INFLUXDB_PASSWORD'),
            timeoutMs: Math.round(get('INFLUXDB_TIMEOUT') * 1000),
            gzipLevel: get('INFLUXDB_GZIP_LEVEL'),
            concurrentWrites: get('INFLUXDB_CONCURRENT_WRITES'),
          },
    points: {
      schema: get('INFLUXDB_SCHEMA'),
      precision: get('INFLUXDB_PRECISION'),
      writeAttributes: get('INFLUXDB_WRITE_ATTRIBUTES'),
      ...(haIntegration?.ok === true && {
        haIntegration: {
          ha: haIntegration.options.ha,
          include: haIntegration.options.include,
          exclude: haIntegration.options.exclude,
        },
      }),
    },
    queue: {
      batchSize: get('BATCH_SIZE'),
      batchTimeoutMs: Math.round(get('BATCH_TIMEOUT') * 1000),
      maxPendingPoints: get('INFLUXDB_MAX_PENDING_POINTS'),
      overflowStrategy: get('INFLUXDB_OVERFLOW_STRATEGY'),
      spoolMaxBytes: get('INFLUXDB_SPOOL_MAX_MB') * 1024 * 1024,
    },
    dataDir: get('DATA_DIR'),
    dataApi: dataApiUrl === undefined ? undefined : { url: dataApiUrl, apiKey: maybe('DATA_API_API_KEY') },
    storeDeviceHistory: get('STORE_DEVICE_HISTORY_IN_INFLUXDB'),
    log: {
      level: level === 'warning' ? 'warn' : level,
      format: get('LOG_FORMAT'),
      output: get('LOG_OUTPUT'),
      file: get('LOG_FILE'),
    },
    maxMemoryMb: get('MAX_MEMORY_MB'),
    shutdownTimeoutMs: Math.round(get('SHUTDOWN_TIMEOUT') * 1000),
    http: {
      corsAllowedOrigins: get('CORS_ALLOWED_ORIGINS'),
      allowedHosts: maybe('ALLOWED_HOSTS') ?? [],
      apiToken: maybe('INGESTION_API_TOKEN'),
      wsMaxClients: get('WS_MAX_CLIENTS'),
      ingressProxies: maybe('INGRESS_PROXY_ADDRESSES') ?? [],
    },
  };
  return { ok: true, config, warnings };
}

/**
 * The first of a variable's names that is set wins. Two names set to different values are a warning naming
 * both (never the values): the operator may have meant the other one.
 */
function chooseAlias(spec: Spec, env: NodeJS.ProcessEnv, warnings: string[]): string | undefined {
  const set = [spec.name, ...('aliases' in spec ? spec.aliases : [])].filter((n) => nonEmpty(env[n]));
  const [winner] = set;
  if (winner === undefined) return undefined;
  const chosen = env[winner]?.trim();
  for (const other of set.slice(1)) {
    if (env[other]?.trim() !== chosen)
      warnings.push(
        `${winner} and ${other} are both set, to different values: ${winner} is used, ${other} is ignored`,
      );
  }
  return winner;
}

function nonEmpty(value: string | undefined): value is string {
  return value !== undefined && value.trim() !== '';
}
