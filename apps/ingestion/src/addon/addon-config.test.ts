import { accessSync, constants, existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import fc from 'fast-check';
import { parse } from 'yaml';
import { VARIABLES } from '../config/variables.js';
import { addonEnvironment, INGRESS_PORT, INGRESS_PROXY } from './options.js';

/**
 * The add-on folder as the Supervisor reads it. A config.yaml the Supervisor rejects shows no error in the UI:
 * the store skips the add-on. So its rules are transcribed here from the Supervisor's source:
 * supervisor/addons/validate.py (`_SCHEMA_ADDON_CONFIG`, `SCHEMA_BUILD_CONFIG`, `RE_DOCKER_IMAGE_BUILD`),
 * supervisor/addons/options.py (`RE_SCHEMA_ELEMENT`), supervisor/addons/const.py (`RE_SLUG`), supervisor/const.py
 * (`ARCH_ALL`), and developers.home-assistant docs/add-ons/configuration.md (translations, options).
 */
const root = resolve(__dirname, '../../../..');
const addonDir = join(root, 'addon/homeiq-ingest');
const read = (path: string): unknown => parse(readFileSync(join(addonDir, path), 'utf8'));

const RE_SLUG = /^[-_.A-Za-z0-9]+$/;
const ARCH_ALL = ['armhf', 'armv7', 'aarch64', 'amd64', 'i386'];
const STARTUP = ['initialize', 'system', 'services', 'application', 'once'];
const BOOT = ['auto', 'manual', 'manual_only'];
const RE_SCHEMA_ELEMENT = new RegExp(
  '^(?:' +
    '|bool' +
    '|email' +
    '|url' +
    '|port' +
    '|device(?:\\((?<filter>subsystem=[a-z]+)\\))?' +
    '|str(?:\\((?<s_min>\\d+)?,(?<s_max>\\d+)?\\))?' +
    '|password(?:\\((?<p_min>\\d+)?,(?<p_max>\\d+)?\\))?' +
    '|int(?:\\((?<i_min>-?\\d+)?,(?<i_max>-?\\d+)?\\))?' +
    '|float(?:\\((?<f_min>-?\\d*\\.?\\d+)?,(?<f_max>-?\\d*\\.?\\d+)?\\))?' +
    '|match\\((?<match>.*)\\)' +
    '|list\\((?<list>.+)\\)' +
    ')\\??$',
);
const RE_DOCKER_IMAGE_BUILD = /^([a-zA-Z\-.:\d{}]+\/)*?([-\w{}]+)\/([-\w{}]+)(:[.\-\w{}]+)?$/;

type Schema = string | Schema[] | { [key: string]: Schema };

/** What `_SCHEMA_ADDON_CONFIG` would refuse in a config.yaml (the keys this add-on can use), as messages. */
function configProblems(config: Record<string, unknown>): string[] {
  const problems: string[] = [];
  for (const key of ['name', 'version', 'slug', 'description', 'arch'])
    if (config[key] === undefined) problems.push(`${key} is required`);
  if (typeof config['name'] !== 'string' || config['name'] === '') problems.push('name must be a string');
  if (typeof config['version'] !== 'string') problems.push('version must be a string (quote it)');
  if (typeof config['slug'] !== 'string' || !RE_SLUG.test(config['slug'])) problems.push('slug');
  if (typeof config['description'] !== 'string') problems.push('description must be a string');
  const arch = config['arch'];
  if (!Array.isArray(arch) || arch.length === 0 || !arch.every((a) => ARCH_ALL.includes(String(a))))
    problems.push('arch must list some of ' + ARCH_ALL.join(', '));
  const oneOf = (key: string, allowed: readonly string[]) => {
    const value = config[key];
    if (value !== undefined && !(typeof value === 'string' && allowed.includes(value))) problems.push(key);
  };
  oneOf('startup', STARTUP);
  oneOf('boot', BOOT);
  for (const key of ['init', 'ingress', 'homeassistant_api', 'hassio_api', 'panel_admin'])
    if (config[key] !== undefined && typeof config[key] !== 'boolean')
      problems.push(`${key} must be true/false`);
  const port = config['ingress_port'];
  if (port !== undefined && !(Number.isInteger(port) && Number(port) >= 0 && Number(port) <= 65535))
    problems.push('ingress_port must be a network port');
  const url = config['url'];
  if (url !== undefined && !(typeof url === 'string' && URL.canParse(url))) problems.push('url');
  const watchdog = config['watchdog'];
  const watchdogUrl = /^(?:https?|\[PROTO:\w+\]|tcp):\/\/\[HOST\]:(\[PORT:\d+\]|\d+).*$/;
  if (watchdog !== undefined && !(typeof watchdog === 'string' && watchdogUrl.test(watchdog)))
    problems.push('watchdog');
  const options = config['options'] ?? {};
  const schema = config['schema'] ?? {};
  if (typeof options !== 'object' || Array.isArray(options)) problems.push('options');
  if (schema !== false) {
    if (typeof schema !== 'object' || Array.isArray(schema)) problems.push('schema');
    else
      for (const [key, element] of Object.entries(schema))
        schemaProblems(key, element as Schema, 0, problems);
  }
  return problems;
}

/** `SCHEMA_ELEMENT`: a type string, a list of one element (not a list), or a dict; at most two levels deep. */
function schemaProblems(path: string, element: Schema, depth: number, problems: string[]): void {
  if (typeof element === 'string') {
    if (!RE_SCHEMA_ELEMENT.test(element)) problems.push(`schema ${path}: ${element} is no schema type`);
  } else if (Array.isArray(element)) {
    if (element.length !== 1 || Array.isArray(element[0]))
      problems.push(`schema ${path}: a list holds one element`);
    else schemaProblems(`${path}[]`, element[0] as Schema, depth + 1, problems);
  } else if (typeof element === 'object') {
    if (depth >= 2) problems.push(`schema ${path}: nested deeper than two levels`);
    for (const [key, inner] of Object.entries(element))
      schemaProblems(`${path}.${key}`, inner, depth + 1, problems);
  } else {
    problems.push(`schema ${path}: ${String(element)} is no schema element`);
  }
}

/** Whether a default value fits its schema type (supervisor/addons/options.py, `AddonOptions._single_validate`). */
function fits(value: unknown, type: Schema): boolean {
  if (Array.isArray(type)) return Array.isArray(value) && value.every((v) => fits(v, type[0] as Schema));
  if (typeof type === 'object')
    return (
      typeof value === 'object' &&
      value !== null &&
      Object.entries(type).every(([k, t]) => fits((value as Record<string, unknown>)[k], t))
    );
  const match = RE_SCHEMA_ELEMENT.exec(type);
  const g = match?.groups ?? {};
  const base = type.replace(/\?$/, '').replace(/\(.*$/, '');
  switch (base) {
    case 'str':
    case 'password':
      return typeof value === 'string';
    case 'bool':
      return typeof value === 'boolean';
    case 'int':
      return (
        Number.isInteger(value) &&
        (g['i_min'] === undefined || Number(value) >= Number(g['i_min'])) &&
        (g['i_max'] === undefined || Number(value) <= Number(g['i_max']))
      );
    case 'url':
      return typeof value === 'string' && URL.canParse(value);
    case 'list':
      return (g['list'] ?? '').split('|').includes(String(value));
    case 'match':
      return typeof value === 'string' && new RegExp(`^${g['match'] ?? ''}$`).test(value);
    default:
      return false;
  }
}

describe('the add-on folder', () => {
  const config = read('config.yaml') as Record<string, unknown>;
  const schema = config['schema'] as Record<string, Schema>;
  const options = config['options'] as Record<string, unknown>;

  it('is a valid add-on configuration, with ingress on the port the entry serves', () => {
    expect(configProblems(config)).toEqual([]);
    expect(config['version']).toBe(
      (JSON.parse(readFileSync(join(root, 'apps/ingestion/package.json'), 'utf8')) as { version: string })
        .version,
    );
    expect(config).toMatchObject({
      ingress: true,
      ingress_port: INGRESS_PORT,
      homeassistant_api: true,
      init: false,
    });
  });

  it('refuses what the Supervisor refuses (the check can fail)', () => {
    const bad = (change: Record<string, unknown>) => configProblems({ ...config, ...change });
    expect(bad({ slug: 'homeiq ingest' })).toContain('slug');
    expect(bad({ version: 1 })).toContain('version must be a string (quote it)');
    expect(bad({ arch: ['x86_64'] })).toHaveLength(1);
    expect(bad({ ingress_port: 70000 })).toContain('ingress_port must be a network port');
    expect(bad({ schema: { user: 'str=admin' } })).toEqual(['schema user: str=admin is no schema type']);
    expect(bad({ schema: { a: [['str']] } })).toEqual(['schema a: a list holds one element']);
    expect(bad({ schema: { a: { b: { c: { d: 'str' } } } } })).toEqual([
      'schema a.b.c: nested deeper than two levels',
    ]);
    expect(configProblems({ ...config, name: undefined })).toContain('name is required');
  });

  it('has a default for every required option, each of its schema type, and no option without a schema', () => {
    for (const [key, value] of Object.entries(options)) {
      expect([key, schema[key] !== undefined]).toEqual([key, true]);
      expect([key, fits(value, schema[key] as Schema)]).toEqual([key, true]);
    }
    for (const [key, type] of Object.entries(schema))
      if (typeof type === 'string' && !type.endsWith('?')) expect([key, key in options]).toEqual([key, true]);
  });

  it('maps every option to a setting the service reads, and the defaults start it', () => {
    const names = new Set<string>(VARIABLES.map((v) => v.name));
    const env = addonEnvironment(options, 'token', {
      dataDir: '/data',
      supervisorUrl: 'http://supervisor',
      port: INGRESS_PORT,
      ingressProxies: [INGRESS_PROXY],
    });
    expect(env.ok).toBe(true);
    if (!env.ok) return;
    for (const name of Object.keys(env.env)) expect([name, names.has(name)]).toEqual([name, true]);
    // Each optional option without a default, given a value of its type, sets one more variable.
    const sample: Record<string, unknown> = {
      influxdb_url: 'http://a0d7b954-influxdb:8086',
      influxdb_token: 't',
      influxdb_database: 'homeassistant',
      influxdb_username: 'u',
      influxdb_password: 'p',
      recorder_import_days: 7,
    };
    for (const [key, type] of Object.entries(schema)) {
      if (typeof type !== 'string' || !type.endsWith('?') || key in options) continue;
      expect([key, fits(sample[key], type)]).toEqual([key, true]);
      const more = addonEnvironment({ ...options, [key]: sample[key] }, 't', {
        dataDir: '/data',
        supervisorUrl: 'http://supervisor',
        port: INGRESS_PORT,
        ingressProxies: [INGRESS_PROXY],
      });
      expect(more.ok && Object.keys(more.env).length).toBe(Object.keys(env.env).length + 1);
    }
  });

  it('labels every option in its translations, and nothing else', () => {
    const en = read('translations/en.yaml') as {
      configuration: Record<string, { name: string; description: string }>;
    };
    expect(Object.keys(en.configuration).sort()).toEqual(Object.keys(schema).sort());
    for (const entry of Object.values(en.configuration)) {
      expect(typeof entry.name).toBe('string');
      expect(typeof entry.description).toBe('string');
    }
  });

  it('builds for exactly its architectures on the add-on base images', () => {
    const build = read('build.yaml') as { build_from: Record<string, string>; args: Record<string, string> };
    expect(Object.keys(build.build_from).sort()).toEqual([...(config['arch'] as string[])].sort());
    for (const [arch, image] of Object.entries(build.build_from)) {
      expect(image).toMatch(RE_DOCKER_IMAGE_BUILD);
      expect(image).toMatch(new RegExp(`^ghcr\\.io/home-assistant/${arch}-base:`));
    }
    for (const value of Object.values(build.args)) expect(typeof value).toBe('string');
    const dockerfile = readFileSync(join(addonDir, 'Dockerfile'), 'utf8');
    expect(dockerfile).toMatch(/^ARG BUILD_FROM$/m);
    expect(dockerfile).toMatch(/^FROM \$\{BUILD_FROM\}$/m);
    expect(dockerfile).toContain('ARG HOMEIQ_REPOSITORY');
    expect(dockerfile).toMatch(/^CMD \["\/run\.sh"\]$/m);
  });

  it('starts the add-on entry from run.sh, has an icon, a README, a CHANGELOG and a repository file', () => {
    const run = readFileSync(join(addonDir, 'run.sh'), 'utf8');
    expect(run.startsWith('#!/bin/sh\n')).toBe(true);
    expect(run).toContain('exec node apps/ingestion/dist/addon/main.js');
    accessSync(join(addonDir, 'run.sh'), constants.X_OK);
    const icon = readFileSync(join(addonDir, 'icon.png'));
    expect(icon.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
    // IHDR: width and height, square (developers.home-assistant docs/add-ons/presentation.md).
    expect([icon.readUInt32BE(16), icon.readUInt32BE(20)]).toEqual([128, 128]);
    expect(readFileSync(join(addonDir, 'CHANGELOG.md'), 'utf8')).toContain(`## ${String(config['version'])}`);
    expect(existsSync(join(addonDir, 'README.md'))).toBe(true);
    const repository = parse(readFileSync(join(root, 'repository.yaml'), 'utf8')) as { name?: unknown };
    expect(typeof repository.name).toBe('string');
  });
});

describe('addonEnvironment', () => {
  const paths = {
    dataDir: '/data',
    supervisorUrl: 'http://supervisor',
    port: 8099,
    ingressProxies: ['172.30.32.2'],
  };

  it('reaches HA through the Supervisor with its token, keeps data in /data, serves ingress only', () => {
    const result = addonEnvironment(
      { influxdb_url: 'http://influx:8086', log_level: 'info' },
      'sv-token',
      paths,
    );
    expect(result).toEqual({
      ok: true,
      env: {
        HOME_ASSISTANT_URL: 'http://supervisor/core/websocket',
        HOME_ASSISTANT_TOKEN: 'sv-token',
        DATA_DIR: '/data',
        WEBSOCKET_INGESTION_PORT: '8099',
        INGRESS_PROXY_ADDRESSES: '172.30.32.2',
        LOG_FORMAT: 'text',
        INFLUXDB_URL: 'http://influx:8086',
        LOG_LEVEL: 'info',
      },
    });
  });

  it('passes env_vars on, but not over what the add-on sets itself', () => {
    const ok = addonEnvironment({ env_vars: [{ name: 'BATCH_SIZE', value: '500' }] }, 't', paths);
    expect(ok.ok && ok.env['BATCH_SIZE']).toBe('500');
    expect(addonEnvironment({ env_vars: [{ name: 'DATA_DIR', value: '/tmp' }] }, 't', paths)).toEqual({
      ok: false,
      problems: ['env_vars[0] sets DATA_DIR, which the add-on sets itself'],
    });
  });

  it('lists every problem without a crash for any JSON, and never echoes a value', () => {
    expect(addonEnvironment({ nope: 1 }, undefined, paths)).toEqual({
      ok: false,
      problems: [
        'SUPERVISOR_TOKEN is not set: run this as a Home Assistant add-on (the Supervisor sets it)',
        'option "nope" is not one of this add-on\'s options',
      ],
    });
    fc.assert(
      fc.property(fc.jsonValue(), fc.option(fc.string(), { nil: undefined }), (options, token) => {
        const result = addonEnvironment(options, token, paths);
        if (!result.ok) {
          expect(result.problems.length).toBeGreaterThan(0);
          for (const problem of result.problems) expect(typeof problem).toBe('string');
        } else {
          expect(result.env['HOME_ASSISTANT_URL']).toBe('http://supervisor/core/websocket');
        }
      }),
    );
    const secret = 'hunter2-secret-password';
    const refused = addonEnvironment({ influxdb_password: { secret } }, 't', paths);
    expect(JSON.stringify(refused)).not.toContain(secret);
  });
});
