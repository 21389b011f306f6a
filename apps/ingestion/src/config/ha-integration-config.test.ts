import fc from 'fast-check';
import * as yaml from 'yaml';
import { readHaIntegrationConfig, type HaIntegrationIo } from './ha-integration-config.js';
import { checkHaIntegrationOptions } from './ha-integration-schema.js';
import { loadConfig } from './load-config.js';

const REQUIRED = { HOME_ASSISTANT_URL: 'http://127.0.0.1:8123', HOME_ASSISTANT_TOKEN: 't' };

/** An in-memory directory for the block and its secrets.yaml. */
function files(entries: Record<string, string>): HaIntegrationIo {
  return {
    yaml,
    readFile: (path) => {
      const text = entries[path];
      if (text === undefined) throw new Error(`ENOENT: no such file or directory, open '${path}'`);
      return text;
    },
  };
}

const read = (text: string, env: NodeJS.ProcessEnv = {}, extra: Record<string, string> = {}) =>
  readHaIntegrationConfig('/cfg/influxdb.yaml', env, files({ '/cfg/influxdb.yaml': text, ...extra }));

const EVERY_OPTION = `influxdb:
  host: 127.0.0.1
  port: 8086
  database: ha_db
  username: homeassistant
  password: !secret influx_password
  max_retries: 3
  default_measurement: state
  override_measurement: everything
  measurement_attr: domain__device_class
  tags:
    instance: prod
    floor: 1
  tags_attributes: friendly_name
  ignore_attributes: [icon, entity_picture]
  include:
    domains: [sensor, light]
    entities: Input_Boolean.Porch_Light, input_number.fan_speed
    entity_globs: "binary_sensor.*_occupied"
  exclude:
    entities: [sensor.noisy]
    entity_globs: ["sensor.*_rssi"]
  component_config:
    Sensor.Doubled_Setpoint:
      override_measurement: doubled
  component_config_domain:
    light:
      ignore_attributes: supported_color_modes
  component_config_glob:
    "sensor.*setpoint":
      override_measurement: setpoints
      ignore_attributes: [unit_of_measurement]
`;

describe("INFLUXDB_HA_CONFIG: HA's influxdb: block", () => {
  it("maps every option onto the ha schema, the filter and the connection, as HA's schema reads them", () => {
    const result = read(EVERY_OPTION, {}, { '/cfg/secrets.yaml': 'influx_password: s3cret\n' });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.options.ha).toEqual({
      apiVersion: '1',
      measurementAttr: 'domain__device_class',
      defaultMeasurement: 'state',
      overrideMeasurement: 'everything',
      tags: { instance: 'prod', floor: '1' }, // cv.string makes the YAML number a string
      tagsAttributes: ['friendly_name'], // cv.ensure_list
      ignoreAttributes: ['icon', 'entity_picture'],
      componentConfig: { 'sensor.doubled_setpoint': { overrideMeasurement: 'doubled' } }, // cv.entity_id lowers
      componentConfigDomain: { light: { ignoreAttributes: ['supported_color_modes'] } },
      componentConfigGlob: {
        'sensor.*setpoint': { overrideMeasurement: 'setpoints', ignoreAttributes: ['unit_of_measurement'] },
      },
    });
    expect(result.options.include).toEqual({
      domains: ['sensor', 'light'],
      entities: ['input_boolean.porch_light', 'input_number.fan_speed'], // cv.entity_ids splits a string at commas
      entityGlobs: ['binary_sensor.*_occupied'],
    });
    expect(result.options.exclude).toEqual({
      domains: [],
      entities: ['sensor.noisy'],
      entityGlobs: ['sensor.*_rssi'],
    });
    expect(result.env).toEqual({
      INFLUXDB_SCHEMA: 'ha',
      INFLUXDB_API_VERSION: '1',
      INFLUXDB_URL: 'http://127.0.0.1:8086',
      INFLUXDB_DATABASE: 'ha_db',
      INFLUXDB_USERNAME: 'homeassistant',
      INFLUXDB_PASSWORD: 's3cret',
    });
    expect(result.warnings).toEqual([expect.stringContaining('max_retries is ignored')]);
  });

  it("takes the block with or without its influxdb: key, and an empty block is HA's defaults", () => {
    const bare = read('default_measurement: x\n');
    expect(bare.ok && bare.options.ha.defaultMeasurement).toBe('x');
    const empty = read('influxdb:\n');
    expect(empty.ok && empty.options.ha).toMatchObject({
      tags: {},
      tagsAttributes: [],
      ignoreAttributes: [],
    });
    // No connection key: the block says nothing about where to write, so the environment decides.
    expect(empty.ok && empty.env).toEqual({ INFLUXDB_SCHEMA: 'ha' });
  });

  it.each([
    ['measurement_attr: unit', 'influxdb.measurement_attr: expected one of unit_of_measurement'],
    ['port: http', 'influxdb.port: expected a port from 1 to 65535, got "http"'],
    ['port: 70000', 'influxdb.port: expected a port from 1 to 65535'],
    ['ssl: maybe', 'influxdb.ssl: expected a boolean'],
    ['precision: minutes', 'influxdb.precision: expected one of ms, s, us, ns'],
    ['api_version: 3', 'influxdb.api_version: expected one of 1, 2'],
    ['max_retries: -1', 'influxdb.max_retries: expected a whole number >= 0'],
    ['tags: {room: [a]}', 'influxdb.tags.room: expected a string'],
    ['tags: {time: x}', 'influxdb.tags.time: InfluxDB refuses every point'],
    ['tags_attributes: [{a: 1}]', 'influxdb.tags_attributes: expected a string'],
    ['include: {entities: [not_an_id]}', 'influxdb.include.entities: expected an entity id'],
    [
      'component_config: {bad: {override_measurement: x}}',
      'influxdb.component_config.bad: expected an entity id',
    ],
    [
      'component_config_glob: {"a.*": {ignore_attributes: [[1]]}}',
      'influxdb.component_config_glob.a.*.ignore_attributes',
    ],
    ['username: u', 'influxdb.username: username and password go together'],
    ['token: t\norganization: o', 'influxdb.token: token and bucket are only allowed when api_version is 2'],
    ['api_version: 2\nusername: u\npassword: p', 'influxdb.token: token and bucket are required'],
    ['- a\n- b', 'influxdb.: expected a mapping'],
  ])('refuses %j naming the key', (text, message) => {
    const result = read(text);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.problems.join('\n')).toContain(message);
  });

  it("warns about keys HA's integration does not have, at every level", () => {
    const result = read(
      'influxdb:\n  hots: x\n  include: {domain: [a]}\n  component_config_domain: {light: {ignore: [a]}}\n',
    );
    expect(result.ok).toBe(true);
    expect(result.warnings).toEqual([
      "INFLUXDB_HA_CONFIG: influxdb.component_config_domain.light.ignore is not an option of HA's influxdb integration and is ignored",
      "INFLUXDB_HA_CONFIG: influxdb.include.domain is not an option of HA's influxdb integration and is ignored",
      "INFLUXDB_HA_CONFIG: influxdb.hots is not an option of HA's influxdb integration and is ignored",
    ]);
  });

  it('reads YAML as HA does: 1.1 booleans, !secret, !env_var; refuses tags it cannot resolve and bad files', () => {
    const on = read('ssl: on\nhost: h\n');
    expect(on.ok && on.env['INFLUXDB_URL']).toBe('https://h:8086');
    const env = read('host: !env_var INFLUX_HOST localhost\n', { INFLUX_HOST: 'db.lan' });
    expect(env.ok && env.env['INFLUXDB_URL']).toBe('http://db.lan:8086');
    expect(
      read('password: !secret nope\nusername: u\n', {}, { '/cfg/secrets.yaml': 'x: 1\n' }),
    ).toMatchObject({
      ok: false,
      problems: [expect.stringContaining('!secret nope is not in secrets.yaml')],
    });
    expect(read('host: !include host.yaml\n')).toMatchObject({
      ok: false,
      problems: [expect.stringContaining('Unresolved tag: !include')],
    });
    expect(read('a: [1\n')).toMatchObject({ ok: false });
    expect(readHaIntegrationConfig('/nope.yaml', {}, files({}))).toMatchObject({
      ok: false,
      problems: [expect.stringContaining('INFLUXDB_HA_CONFIG /nope.yaml cannot be read')],
    });
    expect(readHaIntegrationConfig('/x', {}, { yaml: undefined, readFile: () => '' })).toMatchObject({
      ok: false,
      problems: [expect.stringContaining('needs the yaml package')],
    });
  });

  it("fills the connection with HA's defaults per API version, and never what the environment sets", () => {
    const v2 = read('api_version: 2\ntoken: tok\norganization: org\n');
    expect(v2.ok && v2.env).toEqual({
      INFLUXDB_SCHEMA: 'ha',
      INFLUXDB_API_VERSION: '2',
      INFLUXDB_URL: 'https://us-west-2-1.aws.cloud2.influxdata.com',
      INFLUXDB_TOKEN: 'tok',
      INFLUXDB_ORG: 'org',
      INFLUXDB_BUCKET: 'Home Assistant',
    });
    const v2Local = read(
      'api_version: 2\nhost: 127.0.0.1\nport: 8086\nssl: false\npath: /influx\ntoken: t\norganization: o\nbucket: b\n',
    );
    expect(v2Local.ok && v2Local.env['INFLUXDB_URL']).toBe('http://127.0.0.1:8086/influx');
    const v1Path = read('host: db\npath: influx\n');
    expect(v1Path.ok && v1Path.env['INFLUXDB_URL']).toBe('http://db:8086/influx');
    const envWins = read('host: db\ndatabase: d\nprecision: s\n', {
      INFLUXDB_URL: 'http://other:1',
      INFLUXDB_PRECISION: 'ms',
    });
    expect(envWins.ok && envWins.env).toEqual({ INFLUXDB_SCHEMA: 'ha', INFLUXDB_DATABASE: 'd' });
  });

  it('ensure_list: one string is a list of one, for every list option (generated)', () => {
    const word = fc.stringMatching(/^[a-z][a-z0-9_]{0,11}$/);
    fc.assert(
      fc.property(word, word, (a, b) => {
        const one = checkHaIntegrationOptions({
          tags_attributes: a,
          ignore_attributes: b,
          include: { domains: a },
        });
        const many = checkHaIntegrationOptions({
          tags_attributes: [a],
          ignore_attributes: [b],
          include: { domains: [a] },
        });
        expect(one).toEqual(many);
        expect(one.ok && one.options.ha.tagsAttributes).toEqual(a === 'time' ? false : [a]);
      }),
    );
  });
});

describe('loadConfig with INFLUXDB_HA_CONFIG', () => {
  const io = files({ '/cfg/influxdb.yaml': EVERY_OPTION, '/cfg/secrets.yaml': 'influx_password: s3cret\n' });

  it('switches to the ha schema, passes the options and fills the connection', () => {
    const result = loadConfig({ ...REQUIRED, INFLUXDB_HA_CONFIG: '/cfg/influxdb.yaml' }, undefined, io);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.config.points.schema).toBe('ha');
    expect(result.config.points.haIntegration?.ha.defaultMeasurement).toBe('state');
    expect(result.config.points.haIntegration?.exclude.entities).toEqual(['sensor.noisy']);
    expect(result.config.influx).toMatchObject({
      url: 'http://127.0.0.1:8086',
      apiVersion: 1,
      database: 'ha_db',
      username: 'homeassistant',
      password: 's3cret',
    });
  });

  it('refuses INFLUXDB_SCHEMA=homeiq with it, and reports a bad block among the other problems', () => {
    const homeiq = loadConfig(
      { ...REQUIRED, INFLUXDB_HA_CONFIG: '/cfg/influxdb.yaml', INFLUXDB_SCHEMA: 'homeiq' },
      undefined,
      io,
    );
    expect(homeiq).toMatchObject({
      ok: false,
      problems: [expect.stringContaining('INFLUXDB_SCHEMA is homeiq')],
    });
    const bad = loadConfig(
      { HOME_ASSISTANT_TOKEN: 't', INFLUXDB_HA_CONFIG: '/b.yaml' },
      undefined,
      files({ '/b.yaml': 'port: x\n' }),
    );
    expect(bad.ok).toBe(false);
    if (!bad.ok) {
      expect(bad.problems).toContainEqual(expect.stringContaining('influxdb.port'));
      expect(bad.problems).toContainEqual(expect.stringContaining('HOME_ASSISTANT_URL is required'));
    }
  });
});

describe('WEBSOCKET_INGESTION_HOST', () => {
  it.each(['0.0.0.0', '127.0.0.1', '::', '::1', 'localhost', 'homeiq-websocket', 'ingest.lan'])(
    'binds %s',
    (host) => {
      const result = loadConfig({ ...REQUIRED, WEBSOCKET_INGESTION_HOST: host });
      expect(result.ok && result.config.host).toBe(host);
    },
  );

  it('defaults to every IPv4 interface, as before', () => {
    const result = loadConfig(REQUIRED);
    expect(result.ok && result.config.host).toBe('0.0.0.0');
  });

  it.each(['http://127.0.0.1', '127.0.0.1:8001', '[::1]', 'a b', '-x'])('refuses %j', (host) => {
    const result = loadConfig({ ...REQUIRED, WEBSOCKET_INGESTION_HOST: host });
    expect(result).toMatchObject({
      ok: false,
      problems: [expect.stringContaining('WEBSOCKET_INGESTION_HOST must be an IP address')],
    });
  });
});
