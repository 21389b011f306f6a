import fc from 'fast-check';
import { QUEUE_LIMITS } from '@homeiq/backpressure-queue';
import { HA_CLIENT_LIMITS } from '@homeiq/ha-client';
import { INFLUX_SINK_LIMITS } from '@homeiq/influx-sink';
import { loadConfig } from './load-config.js';

/**
 * Operator errors in the numeric settings the libraries bound: every value out of its range, and every
 * inconsistent pair, is reported in the one problem list (so the service exits 2 with all of them) instead of
 * reaching a library constructor and ending in a stack trace.
 */
const minimal = { HOME_ASSISTANT_URL: 'http://ha.local:8123', HOME_ASSISTANT_TOKEN: 'secret-token' };

const BOUNDED: readonly { readonly name: string; readonly min: number; readonly max?: number }[] = [
  { name: 'BATCH_SIZE', min: QUEUE_LIMITS.minBatchSize, max: QUEUE_LIMITS.defaultMaxBatchSize },
  { name: 'INFLUXDB_MAX_PENDING_POINTS', min: QUEUE_LIMITS.minPending, max: QUEUE_LIMITS.maxPending },
  { name: 'INFLUXDB_GZIP_LEVEL', min: 0, max: INFLUX_SINK_LIMITS.maxGzipLevel },
  { name: 'WEBSOCKET_MAX_RETRIES', min: HA_CLIENT_LIMITS.minMaxRetries },
  { name: 'CIRCUIT_BREAKER_THRESHOLD', min: HA_CLIENT_LIMITS.minCircuitFailureThreshold },
  { name: 'WEBSOCKET_INGESTION_PORT', min: 0, max: 65535 },
  { name: 'WS_MAX_CLIENTS', min: 1, max: 10_000 },
  { name: 'MAX_MEMORY_MB', min: 16 },
];

/** A value outside `spec`'s range, as an operator might type it: just past a bound, far past it, or a fraction. */
const outOfRange = (spec: (typeof BOUNDED)[number]) =>
  fc.oneof(
    fc.integer({ min: -1_000_000_000, max: spec.min - 1 }),
    ...(spec.max === undefined ? [] : [fc.integer({ min: spec.max + 1, max: spec.max * 1000 + 1000 })]),
    fc
      .double({ min: spec.min, max: (spec.max ?? 1e6) - 0.001, noNaN: true })
      .filter((x) => !Number.isInteger(x)),
  );

describe('operator errors are listed, never thrown', () => {
  it("the issue's examples: BATCH_SIZE=6000, INFLUXDB_MAX_PENDING_POINTS below BATCH_SIZE", () => {
    const big = loadConfig({ ...minimal, BATCH_SIZE: '6000' });
    expect(!big.ok && big.problems).toEqual(['BATCH_SIZE must be <= 5000, got "6000"']);
    const small = loadConfig({ ...minimal, INFLUXDB_MAX_PENDING_POINTS: '50' });
    expect(!small.ok && small.problems).toEqual([
      'INFLUXDB_MAX_PENDING_POINTS must be >= BATCH_SIZE (100): a batch is taken from the points held in memory, got 50',
    ]);
    const huge = loadConfig({ ...minimal, INFLUXDB_MAX_PENDING_POINTS: '100000000' });
    expect(huge.ok && huge.config.queue.maxPendingPoints).toBe(100_000_000);
  });

  it('any set of out-of-range values: each one is named in the problem list, and nothing else is', () => {
    const bad = fc
      .uniqueArray(fc.constantFrom(...BOUNDED), {
        minLength: 1,
        maxLength: BOUNDED.length,
        selector: (s) => s.name,
      })
      .chain((specs) =>
        fc.tuple(...specs.map((spec) => outOfRange(spec).map((value) => [spec.name, value] as const))),
      );
    fc.assert(
      fc.property(bad, (pairs) => {
        const env: Record<string, string> = { ...minimal };
        for (const [name, value] of pairs) env[name] = String(value);
        const result = loadConfig(env);
        expect(result.ok).toBe(false);
        const problems = result.ok ? [] : result.problems;
        for (const [name, value] of pairs) {
          expect(problems.filter((p) => p.startsWith(`${name} `))).toEqual([
            expect.stringContaining(`got "${String(value)}"`),
          ]);
        }
        // BATCH_SIZE and INFLUXDB_MAX_PENDING_POINTS out of range are not compared with each other as well.
        expect(problems).toHaveLength(pairs.length);
      }),
    );
  });

  it('INFLUXDB_MAX_PENDING_POINTS below BATCH_SIZE, alone or with other errors, is one problem naming both', () => {
    const pair = fc
      .integer({ min: QUEUE_LIMITS.minBatchSize + 1, max: QUEUE_LIMITS.defaultMaxBatchSize })
      .chain((batch) =>
        fc.tuple(fc.constant(batch), fc.integer({ min: QUEUE_LIMITS.minPending, max: batch - 1 })),
      );
    fc.assert(
      fc.property(pair, fc.boolean(), ([batch, pending], alsoBadPort) => {
        const result = loadConfig({
          ...minimal,
          BATCH_SIZE: String(batch),
          INFLUXDB_MAX_PENDING_POINTS: String(pending),
          ...(alsoBadPort && { WEBSOCKET_INGESTION_PORT: '70000' }),
        });
        expect(!result.ok && result.problems).toEqual([
          ...(alsoBadPort ? ['WEBSOCKET_INGESTION_PORT must be <= 65535, got "70000"'] : []),
          `INFLUXDB_MAX_PENDING_POINTS must be >= BATCH_SIZE (${batch}): a batch is taken from the points held in memory, got ${pending}`,
        ]);
      }),
    );
  });

  it('an InfluxDB URL the sink cannot write to (ws://, ftp://) is a problem, not a crash', () => {
    fc.assert(
      fc.property(fc.constantFrom('ws', 'wss', 'ftp', 'file'), fc.domain(), (scheme, host) => {
        const result = loadConfig({ ...minimal, INFLUXDB_URL: `${scheme}://${host}`, INFLUXDB_TOKEN: 't' });
        expect(!result.ok && result.problems).toEqual([
          `INFLUXDB_URL must start with http:// or https://, got "${scheme}://${host}"`,
        ]);
      }),
    );
  });
});
