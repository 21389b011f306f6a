import { QUEUE_LIMITS } from '@homeiq/backpressure-queue';
import { HA_CLIENT_LIMITS } from '@homeiq/ha-client';
import { INFLUX_SINK_LIMITS } from '@homeiq/influx-sink';
import { MAX_DURATION_MS } from '@homeiq/runtime';
import { isIP } from 'node:net';
import * as v from 'valibot';
import { LIVE_STREAM_LIMITS } from '../http/live-stream.js';

/**
 * Every environment variable the service reads: its aliases (first one set wins), how its text is parsed and checked,
 * its default and a line for the README's configuration table. The config loader and the docs both read this table,
 * so they cannot drift apart.
 */
export interface Variable {
  readonly name: string;
  readonly aliases?: readonly string[];
  readonly schema: v.GenericSchema<string, unknown>;
  /** The default as the user would write it; undefined means "not set" (optional or required, see `required`). */
  readonly default?: string;
  readonly required?: boolean;
  readonly secret?: boolean;
  readonly description: string;
}

const integer = (min: number, max = Number.MAX_SAFE_INTEGER) =>
  v.pipe(
    v.string(),
    v.trim(),
    v.regex(/^-?\d+$/, 'must be a whole number'),
    v.transform(Number),
    v.minValue(min, `must be >= ${min}`),
    v.maxValue(max, `must be <= ${max}`),
  );

/** One day, in seconds: the longest duration any lib accepts (`MAX_DURATION_MS` of `@homeiq/runtime`). */
const DAY_S = MAX_DURATION_MS / 1000;
const HOUR_S = 3600;

/**
 * Seconds, as the original service read them (`5`, `2.5`; docs/decisions.md#configuration), from `min` to
 * `max`. Node fires a timer longer than 2^31 − 1 ms (24.8 days) after 1 ms, so every duration has a maximum well
 * below that: unbounded, `WEBSOCKET_MAX_RETRY_DELAY=2147484` retried a rejected token every millisecond.
 * `1e400`, `Infinity`, `-5` and `0x10` are not numbers of seconds here.
 */
const seconds = (min: number, max: number) => {
  const range = `must be a number of seconds from ${min} to ${max}`;
  return v.pipe(
    v.string(),
    v.trim(),
    v.regex(/^\d+(\.\d+)?$/, `${range}, e.g. 5 or 2.5`),
    v.transform(Number),
    v.minValue(min, range),
    v.maxValue(max, range),
  );
};

const boolean = v.pipe(
  v.string(),
  v.trim(),
  v.toLowerCase(),
  v.picklist(['true', 'false', '1', '0', 'yes', 'no'], 'must be true or false'),
  v.transform((s) => s === 'true' || s === '1' || s === 'yes'),
);

const httpUrl = v.pipe(
  v.string(),
  v.trim(),
  v.url('must be a URL'),
  v.regex(/^(https?|wss?):\/\//i, 'must start with http://, https://, ws:// or wss://'),
);

// The sink takes http(s) only (INFLUX_SINK_LIMITS.urlPattern): ws:// would pass `httpUrl` and fail at start-up.
const influxUrl = v.pipe(
  v.string(),
  v.trim(),
  v.url('must be a URL'),
  v.regex(INFLUX_SINK_LIMITS.urlPattern, 'must start with http:// or https://'),
);

const text = v.pipe(v.string(), v.trim(), v.minLength(1, 'must not be empty'));

// WEBSOCKET_INGESTION_HOST: an IPv4 or IPv6 address (without brackets) or a host name Node's listen resolves.
const bindHost = v.pipe(
  text,
  v.check(
    (host) =>
      isIP(host) !== 0 ||
      /^[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*$/.test(host),
    'must be an IP address (0.0.0.0, ::, 127.0.0.1, ::1) or a host name',
  ),
);

const oneOf = <const T extends readonly string[]>(options: T) =>
  v.pipe(v.string(), v.trim(), v.toLowerCase(), v.picklist(options, `must be one of ${options.join(', ')}`));

const list = v.pipe(
  v.string(),
  v.transform((s) =>
    s
      .split(',')
      .map((item) => item.trim())
      .filter((item) => item !== ''),
  ),
);

// ALLOWED_HOSTS: bare names (no scheme, no port), `*.` + a name, or `*` alone.
const hostList = v.pipe(
  list,
  v.check(
    (hosts) => hosts.every((h) => h === '*' || /^(\*\.)?[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*\.?$/.test(h)),
    'must be host names without scheme or port (ingest.example.com, *.example.com) or *',
  ),
);

// INGRESS_PROXY_ADDRESSES: IP addresses, the peers Node reports (`172.30.32.2`, `::1`).
const ipList = v.pipe(
  list,
  v.check(
    (ips) => ips.length > 0 && ips.every((ip) => isIP(ip) !== 0),
    'must be IP addresses, e.g. 172.30.32.2',
  ),
);

export const VARIABLES = [
  {
    name: 'HOME_ASSISTANT_URL',
    aliases: ['HA_HTTP_URL', 'HA_WS_URL'],
    schema: httpUrl,
    required: true,
    description:
      'Home Assistant base URL (http(s)://host:8123 or ws(s)://…; `/api/websocket` is appended when missing)',
  },
  {
    name: 'HOME_ASSISTANT_TOKEN',
    aliases: ['HA_TOKEN'],
    schema: text,
    required: true,
    secret: true,
    description: 'Long-lived access token (Profile → Security in Home Assistant)',
  },
  {
    name: 'WEBSOCKET_INGESTION_PORT',
    schema: integer(0, 65535),
    default: '8001',
    description:
      'HTTP port for /health, /metrics, /ws, /api and the status page (0 to 65535; 0 picks a free one)',
  },
  {
    name: 'WEBSOCKET_INGESTION_HOST',
    schema: bindHost,
    default: '0.0.0.0',
    description:
      'Address the HTTP server binds: 0.0.0.0 every IPv4 interface, :: every interface, 127.0.0.1 or ::1 this machine only, or a host name',
  },
  {
    name: 'WEBSOCKET_MAX_RETRIES',
    schema: integer(HA_CLIENT_LIMITS.minMaxRetries),
    default: '-1',
    description: `Reconnect attempts before giving up; -1 retries forever (${HA_CLIENT_LIMITS.minMaxRetries} and up)`,
  },
  {
    name: 'WEBSOCKET_MAX_RETRY_DELAY',
    schema: seconds(1, DAY_S),
    default: '300',
    description:
      'Cap of the exponential reconnect backoff, and the wait after a rejected token: 1 to 86400 seconds',
  },
  {
    name: 'CIRCUIT_BREAKER_THRESHOLD',
    schema: integer(HA_CLIENT_LIMITS.minCircuitFailureThreshold),
    default: '5',
    description: `Consecutive connection failures that open the circuit breaker (${HA_CLIENT_LIMITS.minCircuitFailureThreshold} and up)`,
  },
  {
    name: 'HA_HEARTBEAT_INTERVAL',
    schema: seconds(1, HOUR_S),
    default: '30',
    description: 'Seconds without a frame from Home Assistant before the service sends a ping (1 to 3600)',
  },
  {
    name: 'HA_PONG_TIMEOUT',
    schema: seconds(1, HOUR_S),
    default: '10',
    description:
      'Seconds to wait for the pong before the connection is presumed dead and replaced (1 to 3600)',
  },
  {
    name: 'HA_RECORDER_BACKFILL',
    schema: boolean,
    default: 'true',
    description:
      "Fill every gap of the live stream (reconnect, restart) with the changes Home Assistant's recorder kept; false writes each changed entity's final state only",
  },
  {
    name: 'HA_RECORDER_COMMIT_INTERVAL',
    schema: seconds(0, HOUR_S),
    default: '5',
    description:
      "The recorder's `commit_interval` in Home Assistant (0 to 3600 s): a gap is read back once its newest change is this old, plus a second",
  },
  {
    name: 'HA_RECORDER_IMPORT_DAYS',
    schema: integer(0, 3650),
    default: '0',
    description:
      "On the first start of a new install, import this many days of the recorder's history once, in the background (0: off; README, Importing history)",
  },
  {
    name: 'INFLUXDB_URL',
    schema: influxUrl,
    description:
      'InfluxDB URL (http:// or https://); when unset, points go to the on-disk spool until it is set',
  },
  {
    name: 'INFLUXDB_API_VERSION',
    schema: oneOf(['1', '2', '3']),
    default: '2',
    description:
      '2: /api/v2/write with token, org and bucket (also InfluxDB 1.8+); 1: the 1.x /write API; 3: InfluxDB 3 /api/v3/write_lp with token and database',
  },
  {
    name: 'INFLUXDB_TOKEN',
    schema: text,
    secret: true,
    description: 'InfluxDB 2.x API token (1.8+: `user:password`)',
  },
  { name: 'INFLUXDB_ORG', schema: text, default: 'homeiq', description: 'InfluxDB 2.x organization' },
  {
    name: 'INFLUXDB_BUCKET',
    schema: text,
    default: 'home_assistant_events',
    description: 'InfluxDB 2.x bucket (1.8+: `database/retention_policy`)',
  },
  {
    name: 'INFLUXDB_DATABASE',
    schema: text,
    default: 'home_assistant_events',
    description: 'InfluxDB 1.x and 3 database',
  },
  {
    name: 'INFLUXDB_RETENTION_POLICY',
    schema: text,
    description: 'InfluxDB 1.x retention policy (server default when unset)',
  },
  { name: 'INFLUXDB_USERNAME', schema: text, description: 'InfluxDB 1.x user' },
  { name: 'INFLUXDB_PASSWORD', schema: text, secret: true, description: 'InfluxDB 1.x password' },
  {
    name: 'INFLUXDB_SCHEMA',
    schema: oneOf(['homeiq', 'ha']),
    default: 'homeiq',
    description:
      "Point layout: `homeiq` (measurement home_assistant_events) or `ha` (Home Assistant's own influxdb integration)",
  },
  {
    name: 'INFLUXDB_HA_CONFIG',
    schema: text,
    description:
      "File with the `influxdb:` block of Home Assistant's configuration.yaml: its options shape the `ha` schema's points and filter entities as HA's integration does; its connection fills the INFLUXDB_* variables left unset; sets INFLUXDB_SCHEMA=ha (README, Switching from HA's influxdb integration)",
  },
  {
    name: 'INFLUXDB_WRITE_ATTRIBUTES',
    schema: boolean,
    default: 'true',
    description: "Write each state's attributes as a JSON string field (`homeiq` schema); false saves space",
  },
  {
    name: 'INFLUXDB_PRECISION',
    schema: oneOf(['ns', 'us', 'ms', 's']),
    default: 'us',
    description: 'Timestamp precision; µs keeps two events of one entity in the same millisecond apart',
  },
  {
    name: 'INFLUXDB_TIMEOUT',
    schema: seconds(0.1, HOUR_S),
    default: '10',
    description: 'Seconds one write may take, answer included, before it is retried (0.1 to 3600)',
  },
  {
    name: 'INFLUXDB_GZIP_LEVEL',
    // 0 is this service's "off"; 1 and up are zlib's levels, as the sink bounds them.
    schema: integer(0, INFLUX_SINK_LIMITS.maxGzipLevel),
    default: '1',
    description: 'Gzip level of write bodies over 1 KB with the 2.x API: 1 fastest … 9 smallest, 0 off',
  },
  {
    name: 'INFLUXDB_CONCURRENT_WRITES',
    schema: integer(INFLUX_SINK_LIMITS.minConcurrentWrites, INFLUX_SINK_LIMITS.maxConcurrentWrites),
    default: '2',
    description: `Writes in flight at once (${INFLUX_SINK_LIMITS.minConcurrentWrites} to ${INFLUX_SINK_LIMITS.maxConcurrentWrites}); batches may then complete out of order, which InfluxDB stores the same`,
  },
  {
    name: 'BATCH_SIZE',
    schema: integer(QUEUE_LIMITS.minBatchSize, QUEUE_LIMITS.defaultMaxBatchSize),
    default: '100',
    description: `Points per write batch (${QUEUE_LIMITS.minBatchSize} to ${QUEUE_LIMITS.defaultMaxBatchSize}, and at most INFLUXDB_MAX_PENDING_POINTS)`,
  },
  {
    name: 'BATCH_TIMEOUT',
    schema: seconds(0.001, HOUR_S),
    default: '5',
    description: 'Seconds before a partial batch is written (0.001 to 3600)',
  },
  {
    name: 'INFLUXDB_MAX_PENDING_POINTS',
    schema: integer(QUEUE_LIMITS.minPending, QUEUE_LIMITS.maxPending),
    default: '20000',
    description: `Points held in memory before the overflow strategy applies (${QUEUE_LIMITS.minPending} to ${QUEUE_LIMITS.maxPending}); memory is taken as points arrive, not up front`,
  },
  {
    name: 'INFLUXDB_SPOOL_MAX_MB',
    schema: integer(1, 1024 * 1024),
    default: '1024',
    description:
      'Disk budget of the on-disk spool in MB (1 to 1048576); past it the oldest spooled points are dropped, counted, and read back from the recorder once InfluxDB accepts writes',
  },
  {
    name: 'INFLUXDB_OVERFLOW_STRATEGY',
    schema: oneOf(['spill', 'drop_oldest', 'drop_new']),
    default: 'spill',
    description:
      '`spill` to the on-disk spool (nothing dropped while the disk budget lasts), or drop and count',
  },
  {
    name: 'DATA_DIR',
    schema: text,
    default: './data',
    description: 'Directory for the spool, the SQLite registry store and the state memory kept for restarts',
  },
  {
    name: 'DATA_API_URL',
    schema: httpUrl,
    description: 'Store registries in the HomeIQ data-api instead of the embedded SQLite store',
  },
  {
    name: 'DATA_API_API_KEY',
    aliases: ['DATA_API_KEY', 'API_KEY'],
    schema: text,
    secret: true,
    description: 'Bearer key for the data-api',
  },
  {
    name: 'STORE_DEVICE_HISTORY_IN_INFLUXDB',
    schema: boolean,
    default: 'false',
    description: 'Also write device and entity snapshots to InfluxDB',
  },
  {
    name: 'LOG_LEVEL',
    schema: oneOf(['trace', 'debug', 'info', 'warn', 'warning', 'error', 'fatal', 'silent']),
    default: 'info',
    description: 'Log level (case-insensitive; WARNING means warn)',
  },
  {
    name: 'LOG_FORMAT',
    schema: oneOf(['json', 'text']),
    default: 'json',
    description: 'JSON lines or readable text',
  },
  {
    name: 'LOG_OUTPUT',
    schema: oneOf(['stdout', 'file', 'both']),
    default: 'stdout',
    description: 'Where logs go; `file` and `both` write to LOG_FILE',
  },
  {
    name: 'LOG_FILE',
    schema: text,
    default: './data/ingestion.log',
    description: 'Log file for LOG_OUTPUT=file|both',
  },
  {
    name: 'SHUTDOWN_TIMEOUT',
    schema: seconds(0.001, HOUR_S),
    default: '10',
    description:
      'Seconds a SIGTERM/SIGINT may spend writing queued points before the rest is spilled (0.001 to 3600)',
  },
  {
    name: 'MAX_MEMORY_MB',
    schema: integer(16),
    default: '500',
    description: 'RSS above this makes /health report degraded (16 and up)',
  },
  {
    name: 'CORS_ALLOWED_ORIGINS',
    schema: list,
    default: 'http://localhost:3000',
    description: 'Comma-separated origins allowed to call the API and open /ws from a browser',
  },
  {
    name: 'ALLOWED_HOSTS',
    schema: hostList,
    description:
      'Comma-separated `Host` names served besides IPs, localhost, single-label names and `*.local` (DNS-rebinding defence); `*.example.com` for a domain, `*` turns the check off',
  },
  {
    name: 'WS_MAX_CLIENTS',
    schema: integer(LIVE_STREAM_LIMITS.minClients, LIVE_STREAM_LIMITS.maxClients),
    default: '100',
    description:
      'Most /ws live-stream clients at once (1 to 10000); more are refused (close code 1013) and counted',
  },
  {
    name: 'INGESTION_API_TOKEN',
    schema: text,
    secret: true,
    description: 'When set, /api/* and /ws require `Authorization: Bearer <token>` (or `?token=` on /ws)',
  },
  {
    name: 'INGRESS_PROXY_ADDRESSES',
    schema: ipList,
    description:
      "Home Assistant add-on ingress: the proxy's IP addresses (the add-on sets 172.30.32.2). When set, only these peers are served, as authenticated (no token, no Host check), and the status page honours X-Ingress-Path",
  },
] as const satisfies readonly Variable[];

/** Variables of the original service that do nothing here; accepted with a warning (docs/decisions.md). */
export const DEPRECATED_VARIABLES: readonly string[] = [
  'WEATHER_API_KEY',
  'WEATHER_DEFAULT_LOCATION',
  'WEATHER_ENRICHMENT_ENABLED',
  'WEATHER_CACHE_MINUTES',
  'HOMEIQ_SHARED_PATH',
];
