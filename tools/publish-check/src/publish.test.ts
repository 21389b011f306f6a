import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/**
 * Publishability, for real: every lib is packed with `npm pack`, the tarballs are installed into a scratch project
 * outside the workspace (no hoisted workspace node_modules to hide a missing dependency), then imported by Node and
 * type-checked by tsc as a consumer would. A missing `exports` entry, an undeclared dependency, a `workspace:`/`file:`
 * leftover or an import of source that is not packed fails here.
 */
const workspace = resolve(__dirname, '../../..');
const libsDir = join(workspace, 'libs');
const libNames = readdirSync(libsDir).filter((name) => existsSync(join(libsDir, name, 'package.json')));

interface PackageJson {
  name: string;
  version: string;
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
}

interface PackResult {
  filename: string;
  files: { path: string }[];
}

function readPackageJson(path: string): PackageJson {
  return JSON.parse(readFileSync(path, 'utf8')) as PackageJson;
}

function run(cmd: string, args: string[], cwd: string): string {
  return execFileSync(cmd, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

describe('every lib installs and imports from its npm tarball', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'homeiq-publish-'));
  const packs = new Map<string, { pkg: PackageJson; pack: PackResult }>();

  beforeAll(() => {
    for (const name of libNames) {
      const dir = join(libsDir, name);
      const [pack] = JSON.parse(
        run('npm', ['pack', '--json', '--pack-destination', scratch], dir),
      ) as PackResult[];
      if (!pack) throw new Error(`npm pack printed nothing for ${name}`);
      packs.set(name, { pkg: readPackageJson(join(dir, 'package.json')), pack });
    }
    const dependencies: Record<string, string> = { ws: '*', '@types/ws': '*', '@types/node': '20' };
    for (const { pkg, pack } of packs.values()) dependencies[pkg.name] = `file:./${pack.filename}`;
    writeFileSync(
      join(scratch, 'package.json'),
      JSON.stringify({ name: 'scratch', private: true, type: 'module', dependencies }),
    );
    // Install scripts are not what this checks, and better-sqlite3's would compile SQLite for a minute.
    run(
      'npm',
      ['install', '--prefer-offline', '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=error'],
      scratch,
    );
  }, 180_000);

  afterAll(() => {
    rmSync(scratch, { recursive: true, force: true });
  });

  it.each(libNames)('%s: the tarball holds the built entry, its types and a README, and no tests', (name) => {
    const { pack } = packs.get(name)!;
    const paths = pack.files.map((f) => f.path);
    expect(paths).toEqual(
      expect.arrayContaining(['package.json', 'README.md', 'dist/index.js', 'dist/index.d.ts']),
    );
    expect(paths.filter((p) => p.includes('.test.') || p.startsWith('src/'))).toEqual([]);
  });

  it.each(libNames)('%s: dependencies are pinned registry versions, no workspace or file links', (name) => {
    const { pkg } = packs.get(name)!;
    const ranges = Object.values({ ...pkg.dependencies, ...pkg.peerDependencies });
    expect(ranges.filter((r) => /^(workspace:|file:|link:|\*$)/.test(r))).toEqual([]);
    for (const [dep, range] of Object.entries(pkg.dependencies ?? {})) {
      if (!dep.startsWith('@homeiq/')) continue;
      const target = [...packs.values()].find((p) => p.pkg.name === dep);
      expect({ dep, version: target?.pkg.version }).toEqual({ dep, version: range });
    }
  });

  it('Node imports each installed package with the same exports as the workspace build', () => {
    const names = [...packs.values()].map((p) => p.pkg.name);
    const script = `
      const out = {};
      for (const name of ${JSON.stringify(names)}) {
        out[name] = { keys: Object.keys(await import(name)).sort(), file: import.meta.resolve(name) };
      }
      console.log(JSON.stringify(out));`;
    const installed = JSON.parse(run('node', ['--input-type=module', '-e', script], scratch)) as Record<
      string,
      { keys: string[]; file: string }
    >;
    for (const name of libNames) {
      const { pkg } = packs.get(name)!;
      const workspaceKeys = JSON.parse(
        run(
          'node',
          [
            '--input-type=module',
            '-e',
            `console.log(JSON.stringify(Object.keys(await import(${JSON.stringify(
              join(libsDir, name, 'dist/index.js'),
            )})).sort()))`,
          ],
          workspace,
        ),
      ) as string[];
      const entry = installed[pkg.name];
      expect(entry?.file).toContain(`${scratch}/node_modules/${pkg.name}/dist/index.js`);
      expect(entry?.keys).toEqual(workspaceKeys);
    }
  });

  it('tsc resolves the published types of every package for a NodeNext consumer', () => {
    const imports = [...packs.values()]
      .map((p, i) => `import * as lib${i} from '${p.pkg.name}';\nexport const use${i} = lib${i};`)
      .join('\n');
    // The fakes entry of the runtime, which every lib's tests use.
    const testing =
      "import { ManualClock } from '@homeiq/runtime/testing';\nexport const clock = new ManualClock();";
    writeFileSync(join(scratch, 'consumer.ts'), `${imports}\n${testing}\n`);
    const tsc = join(workspace, 'node_modules/typescript/bin/tsc');
    const args = ['--noEmit', '--strict', '--module', 'nodenext', '--moduleResolution', 'nodenext'];
    const output = (() => {
      try {
        return run('node', [tsc, ...args, '--target', 'es2022', '--types', 'node', 'consumer.ts'], scratch);
      } catch (error) {
        return String((error as { stdout?: string }).stdout ?? error);
      }
    })();
    expect(output).toBe('');
  });
});
