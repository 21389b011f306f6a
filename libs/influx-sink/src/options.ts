import {
  createConsoleLogger,
  optionChecks,
  systemClock,
  systemRandom,
  type Clock,
  type Logger,
  type Random,
  type RuntimeOptions,
} from '@homeiq/runtime';
import { invalidOption, type InfluxWriteError } from './errors.js';
import { INFLUX_SINK_LIMITS } from './limits.js';
import type { InfluxTransport } from './transport.js';
import type { BatchSource, RejectEvent } from './types.js';

/** Timestamp precision of the lines, passed to InfluxDB with each write. */
export type WritePrecision = 'ns' | 'us' | 'ms' | 's';

/**
 * Options of {@link createInfluxSink}. Every `…Ms` option is a whole number of milliseconds of at most 86400000
 * (one day, `MAX_DURATION_MS` of `@homeiq/runtime`): a longer delay would not fit a Node timer.
 */
export interface InfluxSinkOptions extends RuntimeOptions {
  /** Base URL of InfluxDB, e.g. `http://influxdb:8086` (no `/api/v2`). */
  readonly url: string;
  /**
   * `2`: `POST /api/v2/write` (InfluxDB 2.x, and 1.8+ with `token: 'user:password'`, `bucket: 'db/rp'`).
   * `1`: `POST /write` (InfluxDB 1.x and other line-protocol stores).
   * `3`: `POST /api/v3/write_lp` with `accept_partial=true` (InfluxDB 3 Core/Enterprise): refused lines are named
   * by line number and the others are stored, so nothing is sent twice. @default 2
   */
  readonly apiVersion?: 1 | 2 | 3;
  /** v2: API token, sent as `Authorization: Token …` (v3: `Bearer …`). Required with `apiVersion: 2` and `3`. */
  readonly token?: string;
  /** v2: organization name or id (ignored by 1.8). @default '-' */
  readonly org?: string;
  /** v2: bucket name or id; with 1.8 `db/rp` or `db`. Required with `apiVersion: 2`. */
  readonly bucket?: string;
  /** v1 and v3: database. Required with `apiVersion: 1` and `3`. */
  readonly database?: string;
  /** v1: retention policy. @default the database's default */
  readonly retentionPolicy?: string;
  /** v1: user name (`u`). @default none */
  readonly username?: string;
  /** v1: password (`p`). @default none */
  readonly password?: string;
  /** Precision of the lines' timestamps. @default 'ns' */
  readonly precision?: WritePrecision;
  /** Bodies larger than this are gzipped; `-1` never gzips. @default 1000 with v2 and v3, -1 with v1 */
  readonly gzipThresholdBytes?: number;
  /** zlib level of gzipped bodies, 1 (fastest) to 9 (smallest); see `createHttpTransport`. @default 1 */
  readonly gzipLevel?: number;
  /** Deadline of one request, from sending to the end of the answer. @default 10000 */
  readonly requestTimeoutMs?: number;
  /**
   * Batches written at once, 1 to 16. With 1 batches land strictly in order; with more they may complete out of
   * order, which changes nothing InfluxDB stores as long as no two lines of one point (series and time) carry
   * different values: a point is keyed by series and time, not by arrival. @default 1
   */
  readonly maxConcurrentWrites?: number;
  /** First retry delay; doubles per attempt. @default 1000 */
  readonly retryInitialDelayMs?: number;
  /** Longest retry delay; a longer `Retry-After` opens the circuit for that long instead. @default 30000 */
  readonly retryMaxDelayMs?: number;
  /** Share of each delay that jitter may take off (0: none, 1: full jitter). @default 0.5 */
  readonly retryJitterRatio?: number;
  /**
   * Longest `Retry-After` honoured: a longer one (a year, a date in 2999) waits this long, then one request asks
   * again; 0 ignores `Retry-After`. @default 3600000 (one hour)
   */
  readonly retryAfterMaxMs?: number;
  /** Consecutive failed requests that open the circuit (the batch is then handed back). @default 3 */
  readonly circuitFailureThreshold?: number;
  /** How long the circuit stays open before one probe; doubles per failed probe. @default 5000 */
  readonly circuitCooldownMs?: number;
  /** Cap of the open period. @default 60000 */
  readonly circuitMaxCooldownMs?: number;
  /** Batches to write; the sink starts its loops on it at once. @default none (only `write()`) */
  readonly source?: BatchSource;
  /** The HTTP transport. @default `createHttpTransport(url, { requestTimeoutMs, gzipLevel })` */
  readonly transport?: InfluxTransport;
  /**
   * Called for every line InfluxDB refused (counted as dropped `rejected`). Without it, the sink logs each refusal
   * as a warning; with it, the words are the caller's. @default none
   */
  readonly onDrop?: (event: RejectEvent) => void;
  /**
   * Called for every failed request, retried or not. Without it, the sink logs each error that keeps the data
   * (auth, not found, unexpected status); with it, the words are the caller's. @default none
   */
  readonly onError?: (error: InfluxWriteError) => void;
}

/** {@link InfluxSinkOptions} with every default applied. */
export interface ResolvedSinkOptions {
  readonly url: string;
  readonly apiVersion: 1 | 2 | 3;
  readonly token: string | undefined;
  readonly org: string;
  readonly bucket: string | undefined;
  readonly database: string | undefined;
  readonly retentionPolicy: string | undefined;
  readonly username: string | undefined;
  readonly password: string | undefined;
  readonly precision: WritePrecision;
  readonly gzipThresholdBytes: number;
  readonly gzipLevel: number;
  readonly requestTimeoutMs: number;
  readonly maxConcurrentWrites: number;
  readonly retryInitialDelayMs: number;
  readonly retryMaxDelayMs: number;
  readonly retryJitterRatio: number;
  readonly retryAfterMaxMs: number;
  readonly circuitFailureThreshold: number;
  readonly circuitCooldownMs: number;
  readonly circuitMaxCooldownMs: number;
  readonly source: BatchSource | undefined;
  readonly transport: InfluxTransport | undefined;
  readonly onDrop: ((event: RejectEvent) => void) | undefined;
  readonly onError: ((error: InfluxWriteError) => void) | undefined;
  readonly clock: Clock;
  readonly random: Random;
  readonly logger: Logger;
}

const PRECISIONS: readonly WritePrecision[] = ['ns', 'us', 'ms', 's'];

/** The runtime's option checks, throwing the sink's `ERR_INVALID_OPTION`. */
export const check = optionChecks(invalidOption);

/** Applies the defaults (in this one place) and validates every option. */
export function resolveSinkOptions(o: InfluxSinkOptions): ResolvedSinkOptions {
  if (typeof o.url !== 'string' || !INFLUX_SINK_LIMITS.urlPattern.test(o.url)) {
    throw invalidOption('url', 'an http(s) URL', o.url);
  }
  const apiVersion: unknown = o.apiVersion ?? 2;
  if (apiVersion !== 1 && apiVersion !== 2 && apiVersion !== 3)
    throw invalidOption('apiVersion', '1, 2 or 3', apiVersion);
  if (apiVersion === 2) {
    check.text('token', o.token);
    check.text('bucket', o.bucket);
  } else {
    if (apiVersion === 3) check.text('token', o.token);
    check.text('database', o.database);
  }
  const precision = check.oneOf('precision', o.precision ?? 'ns', PRECISIONS);
  const circuitCooldownMs = check.duration('circuitCooldownMs', o.circuitCooldownMs ?? 5000, 1);
  const retryInitialDelayMs = check.duration('retryInitialDelayMs', o.retryInitialDelayMs ?? 1000, 0);
  const retryJitterRatio = check.ratio('retryJitterRatio', o.retryJitterRatio ?? 0.5);
  return {
    url: o.url.replace(/\/+$/, ''),
    apiVersion,
    token: optionalText('token', o.token),
    org: optionalText('org', o.org) ?? '-',
    bucket: optionalText('bucket', o.bucket),
    database: optionalText('database', o.database),
    retentionPolicy: optionalText('retentionPolicy', o.retentionPolicy),
    username: optionalText('username', o.username),
    password: optionalText('password', o.password),
    precision,
    gzipThresholdBytes: check.integer(
      'gzipThresholdBytes',
      o.gzipThresholdBytes ?? (apiVersion === 1 ? -1 : 1000),
      -1,
    ),
    gzipLevel: check.integer(
      'gzipLevel',
      o.gzipLevel ?? 1,
      INFLUX_SINK_LIMITS.minGzipLevel,
      INFLUX_SINK_LIMITS.maxGzipLevel,
    ),
    requestTimeoutMs: check.duration('requestTimeoutMs', o.requestTimeoutMs ?? 10_000, 1),
    maxConcurrentWrites: check.integer(
      'maxConcurrentWrites',
      o.maxConcurrentWrites ?? 1,
      INFLUX_SINK_LIMITS.minConcurrentWrites,
      INFLUX_SINK_LIMITS.maxConcurrentWrites,
    ),
    retryInitialDelayMs,
    retryMaxDelayMs: check.duration('retryMaxDelayMs', o.retryMaxDelayMs ?? 30_000, retryInitialDelayMs),
    retryJitterRatio,
    retryAfterMaxMs: check.duration('retryAfterMaxMs', o.retryAfterMaxMs ?? 3_600_000, 0),
    circuitFailureThreshold: check.integer('circuitFailureThreshold', o.circuitFailureThreshold ?? 3, 1),
    circuitCooldownMs,
    circuitMaxCooldownMs: check.duration(
      'circuitMaxCooldownMs',
      o.circuitMaxCooldownMs ?? 60_000,
      circuitCooldownMs,
    ),
    source: o.source,
    transport: o.transport,
    onDrop: o.onDrop,
    onError: o.onError,
    clock: o.clock ?? systemClock,
    random: o.random ?? systemRandom,
    logger: o.logger ?? createConsoleLogger('influx-sink'),
  };
}

function optionalText(name: string, value: unknown): string | undefined {
  return value === undefined ? undefined : check.text(name, value);
}
