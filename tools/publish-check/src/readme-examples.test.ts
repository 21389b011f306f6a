import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { installAll, packAll, run, tsc } from './consumer-project.js';

/**
 * Every README example, as another team meets it: the packed packages are installed in a fresh project outside
 * the workspace, each `<!-- example: name -->` block of the READMEs that npm ships is compiled there with strict
 * TypeScript (as strict as this repository: `exactOptionalPropertyTypes`, `noUncheckedIndexedAccess`), and run
 * with Node against the published simulator (consumer/drive.mjs plays Home Assistant and the operator).
 */
const EXAMPLE = /<!-- example: ([a-z-]+) -->\s*```ts\n([\s\S]*?)```/g;
const PACKAGES = ['@homeiq/ha-client', '@homeiq/event-normalizer', '@homeiq/ha-sim'] as const;

/** What drive.mjs prints. */
interface Outcome {
  readonly code: number | null;
  readonly signal: string | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly sim?: { readonly commandsByType: Record<string, number>; readonly authInvalid: number };
  readonly sent?: number;
  readonly stored?: number;
}

/** README examples that only read or print and are marked with no scenario fail here: every one has its run. */
const SCENARIOS: Record<string, string> = {
  '@homeiq/ha-client:quick-start': 'live',
  '@homeiq/ha-client:failures': 'rejected-token',
  '@homeiq/ha-client:keeping-up': 'drop-then-sigint',
  '@homeiq/event-normalizer:encode': 'offline',
  '@homeiq/event-normalizer:raw-envelope': 'offline',
  '@homeiq/event-normalizer:with-ha-client': 'stream',
  '@homeiq/ha-sim:sim-test': 'node-test',
};

/** The consumer task of issue 19, once with these libraries and once with home-assistant-js-websocket. */
const TASKS = ['homeiq', 'haws'] as const;

const STRICT = {
  compilerOptions: {
    target: 'ES2022',
    lib: ['ES2023'],
    module: 'NodeNext',
    moduleResolution: 'NodeNext',
    types: ['node'],
    strict: true,
    noUncheckedIndexedAccess: true,
    exactOptionalPropertyTypes: true,
    noImplicitReturns: true,
    noImplicitOverride: true,
    verbatimModuleSyntax: true,
    skipLibCheck: false,
    outDir: 'dist',
    rootDir: '.',
  },
  include: ['*.ts'],
};

describe('README examples, compiled under strict TypeScript and run from the packed packages', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'homeiq-readme-'));
  const examplesDir = join(scratch, 'examples');
  const examples = new Map<string, string>();
  const outcomes = new Map<string, Outcome>();
  let compileOutput = '';

  beforeAll(() => {
    installAll(scratch, packAll(scratch), {
      ws: '*',
      '@types/ws': '*',
      '@types/node': '20',
      // The official client, for the same consumer task written with it (consumer/task/).
      'home-assistant-js-websocket': '9.7.0',
    });
    mkdirSync(examplesDir);
    for (const task of TASKS)
      copyFileSync(join(__dirname, '../consumer/task', `${task}.ts`), join(examplesDir, `task-${task}.ts`));
    for (const name of PACKAGES) {
      // The README npm shipped, not the workspace's.
      const readme = readFileSync(join(scratch, 'node_modules', name, 'README.md'), 'utf8');
      for (const [, example = '', code = ''] of readme.matchAll(EXAMPLE)) {
        const key = `${name}:${example}`;
        examples.set(key, code);
        writeFileSync(join(examplesDir, `${fileName(key)}.ts`), code);
      }
    }
    writeFileSync(join(examplesDir, 'tsconfig.json'), JSON.stringify(STRICT));
    writeFileSync(join(examplesDir, 'package.json'), JSON.stringify({ type: 'module' }));
    compileOutput = tsc(['-p', 'tsconfig.json'], examplesDir);
    copyFileSync(join(__dirname, '../consumer/drive.mjs'), join(scratch, 'drive.mjs'));
  }, 240_000);

  afterAll(() => {
    rmSync(scratch, { recursive: true, force: true });
  });

  /** Runs an example's scenario once (they are shared by the assertions below). */
  function outcome(key: string, scenario = SCENARIOS[key]): Outcome {
    const cached = outcomes.get(key);
    if (cached) return cached;
    if (scenario === undefined) throw new Error(`no scenario for ${key}`);
    const file = join(examplesDir, 'dist', `${fileName(key)}.js`);
    const result = JSON.parse(run('node', [join(scratch, 'drive.mjs'), scenario, file], scratch)) as Outcome;
    outcomes.set(key, result);
    return result;
  }

  it('every example block of the shipped READMEs has a scenario, and every scenario an example', () => {
    expect([...examples.keys()].sort()).toEqual(Object.keys(SCENARIOS).sort());
  });

  it('every example compiles as it is under strict TypeScript against the published types', () => {
    expect(compileOutput).toBe('');
  });

  it('no shipped README points into the monorepo', () => {
    for (const name of PACKAGES) {
      const readme = readFileSync(join(scratch, 'node_modules', name, 'README.md'), 'utf8');
      const pointers = readme.match(/npx nx|tools\/|\.\.\/|\bsrc\/|\.test\.ts|\]\(docs\//g) ?? [];
      expect({ name, pointers }).toEqual({ name, pointers: [] });
    }
  });

  it('ha-client quick start: connects, reads config and the entity registry, calls light.turn_on', () => {
    const result = outcome('@homeiq/ha-client:quick-start');
    expect(result).toMatchObject({ code: 0, stderr: '' });
    const lines = result.stdout.split('\n');
    expect(lines).toContain('Home Assistant 2025.1.2, time zone Europe/Amsterdam');
    expect(lines).toContainEqual(expect.stringMatching(/^\d+ entities in the registry$/));
    expect(lines).toContainEqual(
      expect.stringMatching(/^turned on light\.[a-z0-9_]+ \(context [0-9A-Z]{26}\)$/),
    );
    expect(result.sim?.commandsByType).toMatchObject({
      call_service: 1,
      'config/entity_registry/list': 1,
      subscribe_events: 1,
    });
  }, 60_000);

  it('ha-client failures: a rejected token rejects whenConnected with ERR_AUTH_INVALID, logged as an error', () => {
    const result = outcome('@homeiq/ha-client:failures');
    expect(result.code).toBe(0);
    expect(result.stdout.split('\n')).toEqual([
      'token rejected: Invalid access token or password',
      'stopped (closed): ERR_CLIENT_CLOSED',
      '',
    ]);
    // The default logger, with no hook given: one error line, and the token is not in it.
    expect(result.stderr).toMatch(
      /^\[ha-client\] Home Assistant rejected the access token: Invalid access token or password; retrying in \d+\.\d s/,
    );
    expect(result.stderr.split('\n').filter((l) => l.startsWith('[ha-client]'))).toHaveLength(1);
    expect(result.sim?.authInvalid).toBe(1);
  }, 60_000);

  it('ha-client keeping up: stores every event, resyncs after a dropped connection, stops on Ctrl-C', () => {
    const result = outcome('@homeiq/ha-client:keeping-up');
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.sent).toBeGreaterThan(0);
    expect(result.stored).toBe(result.sent);
    const lines = result.stdout.split('\n');
    expect(lines[0]).toBe('connected to Home Assistant 2025.1.2');
    expect(lines).toContainEqual(expect.stringMatching(/^Reconnection attempt 1\/∞ in \d\.\ds$/));
    expect(lines).toContainEqual(expect.stringMatching(/^resynced 80 states after a gap since 20\d\d-/));
    expect(lines.at(-2)).toBe(`stopped; ${result.sent ?? -1} events received, 0 dropped`);
  }, 60_000);

  it('event-normalizer encode: the line the README shows, enriched from the lookup', () => {
    const result = outcome('@homeiq/event-normalizer:encode');
    expect(result).toMatchObject({ code: 0, stderr: '' });
    const readme = examples.get('@homeiq/event-normalizer:encode') ?? '';
    expect(readme).toContain('createEventNormalizer');
    const shown = /It prints the line[^\n]*\n\n```\n(.*)\n```/.exec(
      readFileSync(join(scratch, 'node_modules/@homeiq/event-normalizer/README.md'), 'utf8'),
    )?.[1];
    expect(result.stdout.split('\n')).toEqual([
      shown,
      'sensor.living_room_temperature = 21.5 in Living Room',
      'received 1, written 1, rejected 0 kinds',
      '',
    ]);
  }, 60_000);

  it("event-normalizer raw envelope: HA's snake_case message converted once, then encoded", () => {
    const result = outcome('@homeiq/event-normalizer:raw-envelope');
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout).toMatch(
      /^home_assistant_events,domain=switch,entity_id=switch\.kettle .*state="on".* 1736935500000000000\n$/,
    );
  }, 60_000);

  it('event-normalizer with ha-client: live events from the simulator become lines', () => {
    const result = outcome('@homeiq/event-normalizer:with-ha-client');
    expect(result).toMatchObject({ code: 0, stderr: '' });
    const [summary, first] = result.stdout.split('\n');
    expect(summary).toMatch(/^[1-9]\d* lines; rejected: \{\}$/);
    expect(first).toMatch(
      /^home_assistant_events,.*entity_id=[a-z_]+\.[a-z0-9_]+[, ].*[ ,]state="[^"]*".* \d{19}$/,
    );
  }, 60_000);

  it('ha-sim test: the subscription survives a restart of the published simulator', () => {
    const result = outcome('@homeiq/ha-sim:sim-test');
    expect({ code: result.code, stderr: result.stderr }).toEqual({ code: 0, stderr: '' });
    expect(result.stdout).toMatch(/✔ the subscription survives a Home Assistant restart/);
    expect(result.stdout).toMatch(/ℹ pass 1\n/);
  }, 60_000);

  it.each(TASKS)(
    'the consumer task written with %s compiles strictly, survives an HA restart, encodes events',
    (task) => {
      const result = outcome(`task-${task}`, 'restart');
      expect({ code: result.code, stderr: result.stderr }).toEqual({ code: 0, stderr: '' });
      const lines = result.stdout.split('\n');
      expect(lines[0]).toMatch(/^ready: \d+ entities, light light\.[a-z0-9_]+$/);
      expect(lines).toContain('reconnected');
      expect(lines.at(-2)).toMatch(/^\d+ lines, [1-9]\d* after the restart$/);
      expect(result.sim?.commandsByType).toMatchObject({ call_service: 1, 'config/entity_registry/list': 1 });
    },
    60_000,
  );

  it('the two versions of the task, compared (printed for the issue note)', () => {
    const measure = (task: string) => {
      const code = readFileSync(join(__dirname, '../consumer/task', `${task}.ts`), 'utf8').split('\n');
      const statements = code.filter(
        (line) =>
          line.trim() !== '' &&
          !line.trim().startsWith('//') &&
          !line.trim().startsWith('/**') &&
          !line.trim().startsWith('*'),
      );
      return {
        task,
        lines: statements.length,
        casts: statements.join('\n').match(/\bas [A-Z{]|<[A-Z][A-Za-z]*(\[\])?>\(/g)?.length ?? 0,
        ownTypes: statements.filter((line) => /^(export )?(interface \w+|type \w+ =)/.test(line.trim()))
          .length,
      };
    };
    const table = TASKS.map(measure);
    console.log(JSON.stringify(table));
    expect(table.map((row) => row.task)).toEqual([...TASKS]);
  });
});

function fileName(key: string): string {
  return key.replace('@homeiq/', '').replace(':', '--');
}
