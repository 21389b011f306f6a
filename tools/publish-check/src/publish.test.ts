import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import {
  installAll,
  packAll,
  packageDirs,
  readPackageJson,
  run,
  tsc,
  workspace,
  type Packed,
} from './consumer-project.js';

/**
 * Publishability, for real: every published package (the libs and the simulator) is packed with `npm pack`, the
 * tarballs are installed into a scratch project outside the workspace, then imported by Node and type-checked by
 * tsc as a consumer would. A missing `exports` entry, an undeclared dependency, a `workspace:`/`file:` leftover,
 * an import of source that is not packed, an internal export condition or a source map without its sources fails
 * here.
 */
const names = packageDirs.map((dir) => basename(dir));
describe('every published package installs and imports from its npm tarball', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'homeiq-publish-'));
  /** By directory name (`ha-client`, `ha-sim`…). */
  const packs = new Map<string, Packed>();
  const before = new Map(packageDirs.map((dir) => [dir, readFileSync(join(dir, 'package.json'), 'utf8')]));

  beforeAll(() => {
    for (const packed of packAll(scratch).values()) packs.set(basename(packed.dir), packed);
    installAll(scratch, packs, { ws: '*', '@types/ws': '*', '@types/node': '20' });
  }, 180_000);

  afterAll(() => {
    rmSync(scratch, { recursive: true, force: true });
  });

  it.each(names)('%s: the tarball holds the built entry, its types and a README, and no tests', (name) => {
    const { pack } = packs.get(name)!;
    const paths = pack.files.map((f) => f.path);
    expect(paths).toEqual(
      expect.arrayContaining(['package.json', 'README.md', 'dist/index.js', 'dist/index.d.ts']),
    );
    expect(paths.filter((p) => p.includes('.test.') || p.startsWith('src/'))).toEqual([]);
  });

  it.each(names)('%s: dependencies are pinned registry versions, no workspace or file links', (name) => {
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
    const packageNames = [...packs.values()].map((p) => p.pkg.name);
    const script = `
      const out = {};
      for (const name of ${JSON.stringify(packageNames)}) {
        out[name] = { keys: Object.keys(await import(name)).sort(), file: import.meta.resolve(name) };
      }
      console.log(JSON.stringify(out));`;
    const installed = JSON.parse(run('node', ['--input-type=module', '-e', script], scratch)) as Record<
      string,
      { keys: string[]; file: string }
    >;
    for (const name of names) {
      const { pkg, dir } = packs.get(name)!;
      const workspaceKeys = JSON.parse(
        run(
          'node',
          [
            '--input-type=module',
            '-e',
            `console.log(JSON.stringify(Object.keys(await import(${JSON.stringify(
              join(dir, 'dist/index.js'),
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
    const args = ['--noEmit', '--strict', '--module', 'nodenext', '--moduleResolution', 'nodenext'];
    const output = tsc([...args, '--target', 'es2022', '--types', 'node', 'consumer.ts'], scratch);
    expect(output).toBe('');
  });

  it.each(names)(
    '%s: the published manifest has no internal condition or pack script; the workspace one is kept',
    (name) => {
      const { dir, pkg } = packs.get(name)!;
      const published = readPackageJson(join(scratch, 'node_modules', pkg.name, 'package.json'));
      expect(JSON.stringify(published.exports)).not.toContain('@homeiq/source');
      expect(published.scripts?.['prepack']).toBeUndefined();
      expect(published.scripts?.['postpack']).toBeUndefined();
      expect(published.private).toBeUndefined();
      // ESM only, with the Node line that is tested (require(esm) is unflagged from 20.19: not promised, not blocked).
      expect(published.engines).toEqual({ node: '>=20.19.0' });
      expect(JSON.stringify(published.exports)).not.toContain('"require"');
      // In the workspace the condition stays: tsconfig.base.json's customConditions reads each lib's source.
      expect(readFileSync(join(dir, 'package.json'), 'utf8')).toBe(before.get(dir));
      expect(JSON.stringify(pkg.exports)).toContain('@homeiq/source');
    },
  );

  it.each(names)(
    '%s: every source map carries its sources, and no declaration map points at unshipped files',
    (name) => {
      const { pack, pkg } = packs.get(name)!;
      const maps = pack.files.map((f) => f.path).filter((p) => p.endsWith('.map'));
      expect(maps.filter((p) => p.endsWith('.d.ts.map'))).toEqual([]);
      expect(maps.length).toBeGreaterThan(0);
      const incomplete = maps.filter((path) => {
        const map = JSON.parse(readFileSync(join(scratch, 'node_modules', pkg.name, path), 'utf8')) as {
          sources: string[];
          sourcesContent?: (string | null)[];
        };
        return (
          map.sourcesContent?.length !== map.sources.length ||
          map.sourcesContent.some((content) => typeof content !== 'string' || content === '')
        );
      });
      expect(incomplete).toEqual([]);
    },
  );

  it('a stack trace through a packed lib, with --enable-source-maps, shows the TypeScript source it ships', () => {
    const script = `
      import { createHaClient } from '@homeiq/ha-client';
      try { createHaClient({ url: 'http://127.0.0.1:1', accessToken: '' }); } catch (error) { console.log(error.stack); }`;
    const stack = run('node', ['--enable-source-maps', '--input-type=module', '-e', script], scratch);
    expect(stack).toMatch(/node_modules\/@homeiq\/ha-client\/src\/options\.ts:\d+:\d+/);
    const mapped = readdirSync(join(scratch, 'node_modules/@homeiq/ha-client/dist')).filter(
      (f) => f === 'options.js.map',
    );
    expect(mapped).toEqual(['options.js.map']);
  });
});
