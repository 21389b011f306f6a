import fc from 'fast-check';
import { loadConfig, mergeDotEnv } from './load-config.js';
import { VARIABLES, type Variable } from './variables.js';

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
        retryMaxDelayMs: 300_000,
        circuitFailureThreshold: 5,
      },
      influx: undefined,
      points: { schema: 'homeiq', precision: 'us' },
      queue: {
        batchSize: 100,
        batchTimeoutMs: 5000,
        maxPendingPoints: 20_000,
        overflowStrategy: 'spill',
        spoolMaxBytes: 1024 ** 3,
      },
      dataApi: undefined,
      storeDeviceHistory: false,
      log: { level: 'info', format: 'json', output: 'stdout' },
      http: { corsAllowedOrigins: ['http://localhost:3000'], apiToken: undefined },
    });
  });

  // The original service's variable names and formats, kept for compatibility: docs/decisions.md#configuration.
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

  it('reads the spool budget in MB and refuses one below 1 MB, naming the variable', () => {
    const small = loadConfig({ ...minimal, INFLUXDB_SPOOL_MAX_MB: '1' });
    expect(small.ok && small.config.queue.spoolMaxBytes).toBe(1024 * 1024);
    const none = loadConfig({ ...minimal, INFLUXDB_SPOOL_MAX_MB: '0' });
    expect(!none.ok && none.problems.join('\n')).toMatch(/INFLUXDB_SPOOL_MAX_MB/);
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
    const merged = mergeDotEnv({ LOG_LEVEL: 'debug' }, 'LOG_LEVEL=error\nHA_TOKEN="from file"\n# comment\n');
    expect(merged).toEqual({
      env: { LOG_LEVEL: 'debug', HA_TOKEN: 'from file' },
      warnings: [],
      problems: [],
    });
  });
});

const names = (spec: Variable) => [spec.name, ...(spec.aliases ?? [])];
const secretNames = (VARIABLES as readonly Variable[]).filter((s) => s.secret === true).flatMap(names);
const tail = fc.stringMatching(/^[A-Za-z0-9_-]{8,30}$/);

describe('loadConfig with a .env file', () => {
  it("refuses a secret cut short by an unquoted # (the issue's example among them), never echoing it", () => {
    const example = loadConfig(minimal, 'INGESTION_API_TOKEN=ab#Xk29-very-long-random-secret\n');
    expect(!example.ok && example.problems).toEqual([
      expect.stringMatching(/^\.env line 1: INGESTION_API_TOKEN's/),
    ]);
    fc.assert(
      fc.property(
        fc.constantFrom(...secretNames),
        fc.stringMatching(/^[a-z0-9]{0,6}$/),
        tail,
        (name, head, rest) => {
          const env = Object.fromEntries(Object.entries(minimal).filter(([k]) => k !== name));
          const result = loadConfig(env, `# secrets\n${name}=${head}#${rest}\n`);
          expect(result.ok).toBe(false);
          const problems = result.ok ? [] : result.problems;
          expect(problems.some((p) => p.startsWith(`.env line 2: ${name}'s value contains \`#\``))).toBe(
            true,
          );
          expect([...problems, ...result.warnings].join('\n')).not.toContain(rest);
          const quoted = mergeDotEnv(env, `${name}='${head}#${rest}'`);
          expect(quoted.problems).toEqual([]);
          expect(quoted.env[name]).toBe(`${head}#${rest}`);
        },
      ),
    );
  });

  it('only warns when the cut value is not a secret, or the environment sets it anyway', () => {
    const plain = loadConfig(minimal, 'INFLUXDB_ORG=home#1\n');
    expect(plain.ok && plain.config.influx).toBeUndefined();
    expect(plain.ok && plain.warnings).toEqual([expect.stringContaining('INFLUXDB_ORG')]);
    const overridden = loadConfig(
      { ...minimal, INGESTION_API_TOKEN: 'long-token' },
      'INGESTION_API_TOKEN=ab#cd',
    );
    expect(overridden.ok && overridden.config.http.apiToken).toBe('long-token');
    expect(overridden.warnings).toEqual([
      expect.stringContaining('the environment sets INGESTION_API_TOKEN'),
    ]);
  });

  it('warns when two names of one variable disagree, naming both and the winner but no value', () => {
    const aliased = (VARIABLES as readonly Variable[]).filter((s) => (s.aliases ?? []).length > 0);
    fc.assert(
      fc.property(
        fc.constantFrom(...aliased),
        fc.nat(),
        tail,
        tail,
        fc.boolean(),
        (spec, pick, a, b, inDotEnv) => {
          const [first, ...rest] = names(spec);
          const other = rest[pick % rest.length] ?? '';
          const value = (s: string) => (spec.name.endsWith('URL') ? `http://${s.toLowerCase()}:8123` : s);
          const env = { ...minimal, [first ?? '']: value(a) };
          const result = inDotEnv
            ? loadConfig(env, `${other}=${value(b)}\n`)
            : loadConfig({ ...env, [other]: value(b) });
          const disagreement = result.warnings.filter((w) => w.includes(other));
          if (a === b) {
            expect(disagreement).toEqual([]);
          } else {
            expect(disagreement).toEqual([
              `${first ?? ''} and ${other} are both set, to different values: ${first ?? ''} is used, ${other} is ignored`,
            ]);
          }
        },
      ),
    );
    const issue = loadConfig({ ...minimal, HA_TOKEN: 'other-token' });
    expect(issue.warnings).toEqual([
      'HOME_ASSISTANT_TOKEN and HA_TOKEN are both set, to different values: HOME_ASSISTANT_TOKEN is used, HA_TOKEN is ignored',
    ]);
    expect(loadConfig({ ...minimal, HA_TOKEN: minimal.HOME_ASSISTANT_TOKEN }).warnings).toEqual([]);
  });
});

describe('ALLOWED_HOSTS', () => {
  it('takes bare names, *.domain and *, and refuses URLs and ports naming the variable', () => {
    const ok = loadConfig({ ...minimal, ALLOWED_HOSTS: 'ingest.example.com, *.home.example,*' });
    expect(ok.ok && ok.config.http.allowedHosts).toEqual(['ingest.example.com', '*.home.example', '*']);
    expect(loadConfig(minimal).ok && loadConfig(minimal)).toMatchObject({
      config: { http: { allowedHosts: [] } },
    });
    for (const bad of ['http://ingest.example.com', 'ingest.example.com:8001', 'a b', '*x.example'])
      expect(loadConfig({ ...minimal, ALLOWED_HOSTS: bad })).toMatchObject({
        ok: false,
        problems: [expect.stringMatching(/^ALLOWED_HOSTS must be host names without scheme or port/)],
      });
  });
});
