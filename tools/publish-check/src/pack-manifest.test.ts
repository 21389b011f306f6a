import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { run, workspace } from './consumer-project.js';

/**
 * bin/pack-manifest.mjs, the `prepack`/`postpack` of every published package, on a throwaway package: the tarball
 * has no internal condition, no pack scripts and no stale build output, the workspace manifest comes back byte
 * for byte, and two packs at once (two test runs) each get a clean tarball.
 */
const script = join(workspace, 'tools/publish-check/bin/pack-manifest.mjs');
const execFileAsync = promisify(execFile);

const manifest = {
  name: '@scratch/pack-me',
  version: '1.0.0',
  type: 'module',
  exports: {
    '.': { '@homeiq/source': './src/index.ts', types: './dist/index.d.ts', default: './dist/index.js' },
    './testing': { '@homeiq/source': './src/testing/index.ts', default: './dist/testing/index.js' },
  },
  files: ['dist'],
  scripts: { prepack: `node ${script} strip`, postpack: `node ${script} restore`, build: 'tsc' },
};

describe('pack-manifest: what npm pack puts in the tarball', () => {
  let dir: string;
  let original: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'homeiq-pack-'));
    original = `${JSON.stringify(manifest, null, 2)}\n`;
    writeFileSync(join(dir, 'package.json'), original);
    for (const sub of ['src/testing', 'dist/testing']) mkdirSync(join(dir, sub), { recursive: true });
    for (const file of ['src/index.ts', 'src/testing/index.ts'])
      writeFileSync(join(dir, file), 'export {};\n');
    for (const file of [
      'index.js',
      'index.d.ts',
      'testing/index.js',
      'gone.js',
      'gone.d.ts',
      'index.d.ts.map',
    ])
      writeFileSync(join(dir, 'dist', file), 'export {};\n');
  });

  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  const packedManifest = (tarball: string): unknown =>
    JSON.parse(run('tar', ['-xzOf', join(dir, tarball), 'package/package.json'], dir));

  it('strips the condition and the pack scripts, leaves out stale output, and restores the manifest', () => {
    const [pack] = JSON.parse(run('npm', ['pack', '--json'], dir)) as {
      filename: string;
      files: { path: string }[];
    }[];
    expect(pack?.files.map((f) => f.path).sort()).toEqual([
      'dist/index.d.ts',
      'dist/index.js',
      'dist/testing/index.js',
      'package.json',
    ]);
    expect(packedManifest(pack?.filename ?? '')).toEqual({
      ...manifest,
      exports: {
        '.': { types: './dist/index.d.ts', default: './dist/index.js' },
        './testing': { default: './dist/testing/index.js' },
      },
      scripts: { build: 'tsc' },
    });
    expect(readFileSync(join(dir, 'package.json'), 'utf8')).toBe(original);
    expect(existsSync(join(dir, '.package.json.prepack'))).toBe(false);
  });

  it('two packs at once take turns: both tarballs are clean and the manifest is the original', async () => {
    const packs = await Promise.all(
      ['a', 'b'].map(async (name) => {
        const destination = join(dir, name);
        mkdirSync(destination);
        const { stdout } = await execFileAsync('npm', ['pack', '--json', '--pack-destination', destination], {
          cwd: dir,
        });
        const [pack] = JSON.parse(stdout) as { filename: string }[];
        return join(name, pack?.filename ?? '');
      }),
    );
    for (const tarball of packs)
      expect(JSON.stringify(packedManifest(tarball))).not.toContain('@homeiq/source');
    expect(readFileSync(join(dir, 'package.json'), 'utf8')).toBe(original);
    expect(existsSync(join(dir, '.package.json.prepack'))).toBe(false);
  });

  it('a backup left by a pack that died is taken as the original once it is stale', () => {
    const stripped = JSON.stringify({ ...manifest, exports: {} });
    writeFileSync(join(dir, 'package.json'), stripped); // what a pack killed between prepack and postpack leaves
    writeFileSync(join(dir, '.package.json.prepack'), original);
    const old = new Date(Date.now() - 120_000);
    run('touch', ['-d', old.toISOString(), join(dir, '.package.json.prepack')], dir);
    const [pack] = JSON.parse(run('npm', ['pack', '--json'], dir)) as { filename: string }[];
    expect(JSON.stringify(packedManifest(pack?.filename ?? ''))).toContain('./dist/testing/index.js');
    expect(readFileSync(join(dir, 'package.json'), 'utf8')).toBe(original);
  });
});
