import { loadConfig, mergeDotEnv } from './load-config.js';

const minimal = { HOME_ASSISTANT_URL: 'http://ha.local:8123', HOME_ASSISTANT_TOKEN: 'secret-token' };

describe('loadConfig', () => {
  it('applies the documented defaults', () => {
    const result = loadConfig(minimal);
    if (!result.ok) throw new Error(result.problems.join('\n'));
    expect(result.config).toMatchObject({
      port: 8001,
      homeAssistant: {
        url: 'http://ha.local:8123',
        maxRetries: -1,
        maxRetryDelayMs: 300_000,
        circuitBreakerThreshold: 5,
      },
      influx: undefined,
      points: { schema: 'homeiq', precision: 'us' },
      queue: { batchSize: 100, batchTimeoutMs: 5000, maxPendingPoints: 20_000, overflowStrategy: 'spill' },
      dataApi: undefined,
      storeDeviceHistory: false,
      log: { level: 'info', format: 'json', output: 'stdout' },
      http: { corsAllowedOrigins: ['http://localhost:3000'], apiToken: undefined },
    });
  });

  it('accepts the aliases of the original README, the first one set winning', () => {
    const result = loadConfig({
      HA_WS_URL: 'ws://h:8123',
      HA_TOKEN: 't',
      DATA_API_URL: 'http://d:8006',
      API_KEY: 'k',
    });
    expect(result.ok && result.config.homeAssistant).toMatchObject({ url: 'ws://h:8123', token: 't' });
    expect(result.ok && result.config.dataApi).toEqual({ url: 'http://d:8006', apiKey: 'k' });
    const both = loadConfig({ ...minimal, HA_HTTP_URL: 'http://other:8123' });
    expect(both.ok && both.config.homeAssistant.url).toBe('http://ha.local:8123');
  });

  it('parses the original formats: BATCH_TIMEOUT=5.0, LOG_LEVEL=INFO, WARNING', () => {
    const result = loadConfig({
      ...minimal,
      BATCH_TIMEOUT: '2.5',
      LOG_LEVEL: 'WARNING',
      STORE_DEVICE_HISTORY_IN_INFLUXDB: 'True',
    });
    expect(result.ok && result.config.queue.batchTimeoutMs).toBe(2500);
    expect(result.ok && result.config.log.level).toBe('warn');
    expect(result.ok && result.config.storeDeviceHistory).toBe(true);
  });

  it('reads the InfluxDB write timeout and gzip level (0: no gzip)', () => {
    const influx = { ...minimal, INFLUXDB_URL: 'http://influx:8086', INFLUXDB_TOKEN: 't' };
    const defaults = loadConfig(influx);
    expect(defaults.ok && defaults.config.influx).toMatchObject({ timeoutMs: 10_000, gzipLevel: 1 });
    const set = loadConfig({ ...influx, INFLUXDB_TIMEOUT: '2.5', INFLUXDB_GZIP_LEVEL: '0' });
    expect(set.ok && set.config.influx).toMatchObject({ timeoutMs: 2500, gzipLevel: 0 });
    const bad = loadConfig({ ...influx, INFLUXDB_GZIP_LEVEL: '10' });
    expect(!bad.ok && bad.problems).toEqual(['INFLUXDB_GZIP_LEVEL must be <= 9, got "10"']);
  });

  it('lists every problem at once', () => {
    const result = loadConfig({
      HOME_ASSISTANT_URL: 'not a url',
      WEBSOCKET_INGESTION_PORT: '80801',
      BATCH_SIZE: 'ten',
      INFLUXDB_OVERFLOW_STRATEGY: 'explode',
      INFLUXDB_URL: 'http://influx:8086',
      INFLUXDB_USERNAME: 'u',
      INGESTION_API_TOKEN: ' ',
    });
    expect(result.ok).toBe(false);
    expect(!result.ok && result.problems).toEqual([
      'HOME_ASSISTANT_URL must be a URL, got "not a url"',
      'HOME_ASSISTANT_TOKEN is required: Long-lived access token (Profile → Security in Home Assistant)',
      'WEBSOCKET_INGESTION_PORT must be <= 65535, got "80801"',
      'BATCH_SIZE must be a whole number, got "ten"',
      'INFLUXDB_OVERFLOW_STRATEGY must be one of spill, drop_oldest, drop_new, got "explode"',
      'INFLUXDB_TOKEN is required with INFLUXDB_URL and INFLUXDB_API_VERSION=2',
      'INFLUXDB_USERNAME and INFLUXDB_PASSWORD go together: set both or neither',
    ]);
    const secret = loadConfig({
      ...minimal,
      INFLUXDB_TOKEN: '\t',
      HOME_ASSISTANT_TOKEN: 'x',
      MAX_MEMORY_MB: '1',
    });
    expect(!secret.ok && secret.problems).toEqual(['MAX_MEMORY_MB must be >= 16, got "1"']);
  });

  it('warns about deprecated variables without failing', () => {
    const result = loadConfig({ ...minimal, WEATHER_API_KEY: 'x' });
    expect(result.ok).toBe(true);
    expect(result.warnings).toEqual(['WEATHER_API_KEY is set but does nothing in this service (deprecated)']);
  });
});

describe('mergeDotEnv', () => {
  it('reads .env text, and the real environment wins over it', () => {
    const env = mergeDotEnv({ LOG_LEVEL: 'debug' }, 'LOG_LEVEL=error\nHA_TOKEN="from file"\n# comment\n');
    expect(env).toEqual({ LOG_LEVEL: 'debug', HA_TOKEN: 'from file' });
  });
});
