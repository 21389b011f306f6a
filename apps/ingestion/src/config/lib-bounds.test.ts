import fc from 'fast-check';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { createBackpressureQueue, QUEUE_LIMITS } from '@homeiq/backpressure-queue';
import { createHaClient, HA_CLIENT_LIMITS } from '@homeiq/ha-client';
import { createInfluxSink, INFLUX_SINK_LIMITS, type InfluxTransport } from '@homeiq/influx-sink';
import { createLiveStream, LIVE_STREAM_LIMITS } from '../http/live-stream.js';
import { createIngestion } from '../pipeline/ingestion.js';
import { loadConfig } from './load-config.js';

/**
 * One source of truth for the bounds: for values at and around every bound a library enforces, the configuration
 * accepts a value exactly when the real libraries, built from that configuration the way the service builds them
 * (createIngestion), accept it. A value the configuration refuses is handed straight to the library that would
 * have received it, which must refuse it too: the configuration is never stricter than its libraries, nor looser.
 */
const minimal = {
  HOME_ASSISTANT_URL: 'http://ha.local:8123',
  HOME_ASSISTANT_TOKEN: 'secret-token',
  INFLUXDB_URL: 'http://influx:8086',
  INFLUXDB_TOKEN: 't',
};
const silent = pino({ level: 'silent' });
const okTransport: InfluxTransport = {
  post: () => Promise.resolve({ status: 204, body: '', retryAfter: undefined }),
  close: () => undefined,
};
const around = (...bounds: number[]) => fc.constantFrom(...bounds.flatMap((b) => [b - 1, b, b + 1]));

let dataDir: string;
beforeAll(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'lib-bounds-'));
});
afterAll(() => {
  rmSync(dataDir, { recursive: true, force: true });
});

/** Builds every library from the environment as main.ts does; true when the configuration and the libs accept it. */
async function serviceAccepts(env: Record<string, string>, refusedByLib: () => void): Promise<boolean> {
  // A directory per case: a case that fails half-way must not leave its spool lock to the next one.
  const result = loadConfig({ ...minimal, DATA_DIR: mkdtempSync(join(dataDir, 'case-')), ...env });
  if (!result.ok) {
    expect(refusedByLib).toThrow();
    return false;
  }
  const ingestion = createIngestion(result.config, silent, { influxTransport: okTransport });
  await ingestion.close(0);
  return true;
}

const throws = (build: () => unknown) => () => {
  build();
};

describe('the configuration accepts exactly what the libraries accept', () => {
  it('BATCH_SIZE and INFLUXDB_MAX_PENDING_POINTS (the queue: 1 <= batchSize <= min(5000, maxPending))', async () => {
    const { minBatchSize, defaultMaxBatchSize, minPending, maxPending } = QUEUE_LIMITS;
    await fc.assert(
      fc.asyncProperty(
        around(minBatchSize, 100, defaultMaxBatchSize, 6000),
        fc.oneof(
          around(minPending, 100, defaultMaxBatchSize, maxPending),
          fc.integer({ min: 1, max: 10_000 }),
        ),
        async (batchSize, pending) => {
          const accepted = await serviceAccepts(
            {
              BATCH_SIZE: String(batchSize),
              INFLUXDB_MAX_PENDING_POINTS: String(pending),
              INFLUXDB_OVERFLOW_STRATEGY: 'drop_oldest',
            },
            throws(() => createBackpressureQueue({ batchSize, maxPending: pending })),
          );
          const queueAccepts =
            batchSize >= minBatchSize &&
            pending >= minPending &&
            pending <= maxPending &&
            batchSize <= Math.min(defaultMaxBatchSize, pending);
          expect(accepted).toBe(queueAccepts);
        },
      ),
      { numRuns: 50 },
    );
  });

  it('INFLUXDB_GZIP_LEVEL (0 is off; the sink takes 1 to 9)', async () => {
    await fc.assert(
      fc.asyncProperty(
        around(0, INFLUX_SINK_LIMITS.minGzipLevel, INFLUX_SINK_LIMITS.maxGzipLevel),
        async (level) => {
          const accepted = await serviceAccepts(
            { INFLUXDB_GZIP_LEVEL: String(level) },
            throws(() =>
              createInfluxSink({ url: 'http://influx:8086', token: 't', bucket: 'b', gzipLevel: level }),
            ),
          );
          expect(accepted).toBe(level >= 0 && level <= INFLUX_SINK_LIMITS.maxGzipLevel);
        },
      ),
      { numRuns: 30 },
    );
  });

  it('INFLUXDB_CONCURRENT_WRITES (the sink takes 1 to 16)', async () => {
    await fc.assert(
      fc.asyncProperty(
        around(INFLUX_SINK_LIMITS.minConcurrentWrites, INFLUX_SINK_LIMITS.maxConcurrentWrites),
        async (writes) => {
          const accepted = await serviceAccepts(
            { INFLUXDB_CONCURRENT_WRITES: String(writes) },
            throws(() =>
              createInfluxSink({
                url: 'http://influx:8086',
                token: 't',
                bucket: 'b',
                maxConcurrentWrites: writes,
              }),
            ),
          );
          expect(accepted).toBe(
            writes >= INFLUX_SINK_LIMITS.minConcurrentWrites &&
              writes <= INFLUX_SINK_LIMITS.maxConcurrentWrites,
          );
        },
      ),
      { numRuns: 20 },
    );
  });

  it('WEBSOCKET_MAX_RETRIES and CIRCUIT_BREAKER_THRESHOLD (the HA client)', async () => {
    await fc.assert(
      fc.asyncProperty(
        around(HA_CLIENT_LIMITS.minMaxRetries, 0),
        around(HA_CLIENT_LIMITS.minCircuitFailureThreshold),
        async (maxRetries, threshold) => {
          const accepted = await serviceAccepts(
            { WEBSOCKET_MAX_RETRIES: String(maxRetries), CIRCUIT_BREAKER_THRESHOLD: String(threshold) },
            throws(() =>
              createHaClient({
                url: minimal.HOME_ASSISTANT_URL,
                accessToken: 't',
                maxRetries,
                circuitFailureThreshold: threshold,
              }),
            ),
          );
          expect(accepted).toBe(
            maxRetries >= HA_CLIENT_LIMITS.minMaxRetries &&
              threshold >= HA_CLIENT_LIMITS.minCircuitFailureThreshold,
          );
        },
      ),
      { numRuns: 30 },
    );
  });

  it('INFLUXDB_URL (the sink writes to http(s) only, whatever the case of the scheme)', async () => {
    const scheme = fc.constantFrom('http', 'https', 'HTTP', 'Https', 'ws', 'wss', 'ftp', 'file');
    const host = fc.constantFrom('influx:8086', 'influx', '10.0.0.5:8086', '[::1]:8086');
    await fc.assert(
      fc.asyncProperty(scheme, host, async (s, h) => {
        const url = `${s}://${h}`;
        const accepted = await serviceAccepts(
          { INFLUXDB_URL: url },
          throws(() => createInfluxSink({ url, token: 't', bucket: 'b' })),
        );
        expect(accepted).toBe(/^https?$/i.test(s));
      }),
      { numRuns: 30 },
    );
  });

  it('WS_MAX_CLIENTS (the live stream)', async () => {
    const { minClients, maxClients } = LIVE_STREAM_LIMITS;
    await fc.assert(
      fc.asyncProperty(around(minClients, maxClients), async (clients) => {
        const accepted = await serviceAccepts(
          { WS_MAX_CLIENTS: String(clients) },
          throws(() => createLiveStream({ maxClients: clients })),
        );
        expect(accepted).toBe(clients >= minClients && clients <= maxClients);
      }),
      { numRuns: 30 },
    );
  });

  it('every choice of the enumerated settings builds the libraries', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          INFLUXDB_SCHEMA: fc.constantFrom('homeiq', 'ha', 'HA'),
          INFLUXDB_PRECISION: fc.constantFrom('ns', 'us', 'ms', 's'),
          INFLUXDB_OVERFLOW_STRATEGY: fc.constantFrom('spill', 'drop_oldest', 'drop_new'),
          INFLUXDB_API_VERSION: fc.constantFrom('1', '2'),
          STORE_DEVICE_HISTORY_IN_INFLUXDB: fc.constantFrom('true', 'false'),
          INFLUXDB_WRITE_ATTRIBUTES: fc.constantFrom('yes', '0'),
        }),
        async (env) => {
          expect(await serviceAccepts(env, () => undefined)).toBe(true);
        },
      ),
      { numRuns: 30 },
    );
  });

  it('HOME_ASSISTANT_URL and INFLUXDB_URL: any text the configuration takes, the client and the sink take', async () => {
    const schemes = ['http', 'https', 'ws', 'wss', 'ftp', 'HTTP', 'Wss'];
    const text = fc.oneof(
      fc.webUrl({ validSchemes: schemes, withQueryParameters: true, withFragments: true }),
      fc.string({ maxLength: 30 }),
      fc.constantFrom(
        'http://',
        'http:///x',
        'ws://[::1',
        ' http://ha:8123 ',
        'https://user:pw@ha/api/websocket',
      ),
    );
    await fc.assert(
      fc.asyncProperty(text, fc.boolean(), async (url, forInflux) => {
        const name = forInflux ? 'INFLUXDB_URL' : 'HOME_ASSISTANT_URL';
        const accepted = await serviceAccepts(
          { [name]: url },
          throws(() =>
            forInflux
              ? createInfluxSink({ url, token: 't', bucket: 'b' })
              : createHaClient({ url, accessToken: 't' }),
          ),
        );
        // Empty text means unset (INFLUXDB_URL is optional).
        if (accepted && url.trim() !== '')
          expect(url.trim()).toMatch(forInflux ? /^https?:\/\//i : /^(https?|wss?):\/\//i);
      }),
      { numRuns: 60 },
    );
  });
});
