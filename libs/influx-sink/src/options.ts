import { MAX_DURATION_MS, describeDurationRange, isDurationMs } from '@homeiq/runtime';
import { consoleLogger, systemClock, systemRandom, type Clock, type Logger, type Random } from './clock.js';
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
export interface InfluxSinkOptions {
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
  /** Batches written at once. With 1 (the default) batches land strictly in order. @default 1 */
  readonly maxConcurrentWrites?: number;
  /** First retry delay; doubles per attempt. @default 1000 */
  readonly retryInitialDelayMs?: number;
  /** Longest retry delay; a longer `Retry-After` opens the circuit for that long instead. @default 30000 */
  readonly retryMaxDelayMs?: number;
  /** Fraction of each delay that is random (0: none, 1: full jitter). @default 0.5 */
  readonly retryJitter?: number;
  /**
   * Longest `Retry-After` honoured: a longer one (a year, a date in 2999) waits this long, then one request asks
   * again; 0 ignores `Retry-After`. @default 3600000 (one hour)
   */
  readonly retryAfterMaxMs?: number;
  /** Consecutive failed requests that open the circuit (the batch is then handed back). @default 3 */
  readonly circuitFailureThreshold?: number;
  /** How long the circuit stays open before one probe; doubles per failed probe. @default 5000 */
  readonly circuitResetMs?: number;
  /** Cap of the open period. @default 60000 */
  readonly circuitResetMaxMs?: number;
  /** Batches to write; the sink starts its loops on it at once. @default none (only `write()`) */
  readonly source?: BatchSource;
  /** The HTTP transport. @default `createHttpTransport(url, { requestTimeoutMs, gzipLevel })` */
  readonly transport?: InfluxTransport;
  /** Called for every line InfluxDB refused (counted as dropped `rejected`). */
  readonly onDrop?: (event: RejectEvent) => void;
  /** Called for every failed request, retried or not. */
  readonly onError?: (error: InfluxWriteError) => void;
  /** @default the system clock */
  readonly clock?: Clock;
  /** @default Math.random */
  readonly random?: Random;
  /** @default warnings and errors to the console */
  readonly logger?: Logger;
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
  readonly retryJitter: number;
  readonly retryAfterMaxMs: number;
  readonly circuitFailureThreshold: number;
  readonly circuitResetMs: number;
  readonly circuitResetMaxMs: number;
  readonly source: BatchSource | undefined;
  readonly transport: InfluxTransport | undefined;
  readonly onDrop: (event: RejectEvent) => void;
  readonly onError: (error: InfluxWriteError) => void;
  readonly clock: Clock;
  readonly random: Random;
  readonly logger: Logger;
}

const PRECISIONS: readonly WritePrecision[] = ['ns', 'us', 'ms', 's'];

/** Applies the defaults (in this one place) and validates every option. */
export function resolveSinkOptions(o: InfluxSinkOptions): ResolvedSinkOptions {
  if (typeof o.url !== 'string' || !INFLUX_SINK_LIMITS.urlPattern.test(o.url)) {
    throw invalidOption('url', 'an http(s) URL', o.url);
  }
  const apiVersion: unknown = o.apiVersion ?? 2;
  if (apiVersion !== 1 && apiVersion !== 2 && apiVersion !== 3)
    throw invalidOption('apiVersion', '1, 2 or 3', apiVersion);
  if (apiVersion === 2) {
    text('token', o.token, true);
    text('bucket', o.bucket, true);
  } else {
    if (apiVersion === 3) text('token', o.token, true);
    text('database', o.database, true);
  }
  const precision = o.precision ?? 'ns';
  if (!PRECISIONS.includes(precision))
    throw invalidOption('precision', 'one of "ns", "us", "ms", "s"', precision);
  const circuitResetMs = duration('circuitResetMs', o.circuitResetMs ?? 5000, 1);
  const retryInitialDelayMs = duration('retryInitialDelayMs', o.retryInitialDelayMs ?? 1000, 0);
  const retryJitter = o.retryJitter ?? 0.5;
  if (typeof retryJitter !== 'number' || !(retryJitter >= 0 && retryJitter <= 1)) {
    throw invalidOption('retryJitter', 'a number from 0 to 1', retryJitter);
  }
  const logger = o.logger ?? consoleLogger;
  return {
    url: o.url.replace(/\/+$/, ''),
    apiVersion,
    token: text('token', o.token, false),
    org: text('org', o.org, false) ?? '-',
    bucket: text('bucket', o.bucket, false),
    database: text('database', o.database, false),
    retentionPolicy: text('retentionPolicy', o.retentionPolicy, false),
    username: text('username', o.username, false),
    password: text('password', o.password, false),
    precision,
    gzipThresholdBytes: int('gzipThresholdBytes', o.gzipThresholdBytes ?? (apiVersion === 1 ? -1 : 1000), -1),
    gzipLevel: int(
      'gzipLevel',
      o.gzipLevel ?? 1,
      INFLUX_SINK_LIMITS.minGzipLevel,
      INFLUX_SINK_LIMITS.maxGzipLevel,
    ),
    requestTimeoutMs: duration('requestTimeoutMs', o.requestTimeoutMs ?? 10_000, 1),
    maxConcurrentWrites: int('maxConcurrentWrites', o.maxConcurrentWrites ?? 1, 1),
    retryInitialDelayMs,
    retryMaxDelayMs: duration('retryMaxDelayMs', o.retryMaxDelayMs ?? 30_000, retryInitialDelayMs),
    retryJitter,
    retryAfterMaxMs: duration('retryAfterMaxMs', o.retryAfterMaxMs ?? 3_600_000, 0),
    circuitFailureThreshold: int('circuitFailureThreshold', o.circuitFailureThreshold ?? 3, 1),
    circuitResetMs,
    circuitResetMaxMs: duration('circuitResetMaxMs', o.circuitResetMaxMs ?? 60_000, circuitResetMs),
    source: o.source,
    transport: o.transport,
    onDrop: o.onDrop ?? (() => undefined),
    onError: o.onError ?? (() => undefined),
    clock: o.clock ?? systemClock,
    random: o.random ?? systemRandom,
    logger,
  };
}

function int(name: string, value: unknown, min: number, max = Number.MAX_SAFE_INTEGER): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min || value > max) {
    const range =
      max === Number.MAX_SAFE_INTEGER ? `>= ${String(min)}` : `from ${String(min)} to ${String(max)}`;
    throw invalidOption(name, `an integer ${range}`, value);
  }
  return value;
}

/** A duration option: whole milliseconds from `min` to one day, so that it always fits a Node timer. */
export function duration(name: string, value: unknown, min: number): number {
  const range = { min, max: MAX_DURATION_MS };
  if (!isDurationMs(value, range)) throw invalidOption(name, describeDurationRange(range), value);
  return value;
}

function text(name: string, value: unknown, required: boolean): string | undefined {
  if (value === undefined && !required) return undefined;
  if (typeof value !== 'string' || value === '') throw invalidOption(name, 'a non-empty string', value);
  return value;
}
