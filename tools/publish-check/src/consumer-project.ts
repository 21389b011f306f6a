import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/**
 * A consumer's project, for real: every published package is packed with `npm pack` (its `prepack` strips what
 * only the monorepo uses, see bin/pack-manifest.mjs), and the tarballs are installed into a scratch directory
 * outside the workspace, so no hoisted workspace node_modules hides a missing dependency.
 */
export const workspace = resolve(__dirname, '../../..');
const libsDir = join(workspace, 'libs');

/** Every published package's directory: the libs, and the simulator consumers test against. */
export const packageDirs: readonly string[] = [
  ...readdirSync(libsDir)
    .filter((name) => existsSync(join(libsDir, name, 'package.json')))
    .map((name) => join(libsDir, name)),
  join(workspace, 'tools/ha-sim'),
];

export interface PackageJson {
  readonly name: string;
  readonly version: string;
  readonly private?: boolean;
  readonly engines?: Record<string, string>;
  readonly exports?: unknown;
  readonly scripts?: Record<string, string>;
  readonly dependencies?: Record<string, string>;
  readonly peerDependencies?: Record<string, string>;
}

export interface PackResult {
  readonly filename: string;
  readonly files: readonly { readonly path: string }[];
}

export interface Packed {
  /** The package's directory in the workspace. */
  readonly dir: string;
  /** Its package.json in the workspace. */
  readonly pkg: PackageJson;
  readonly pack: PackResult;
}

export function readPackageJson(path: string): PackageJson {
  return JSON.parse(readFileSync(path, 'utf8')) as PackageJson;
}

export function run(cmd: string, args: readonly string[], cwd: string, env?: NodeJS.ProcessEnv): string {
  return execFileSync(cmd, args, {
    cwd,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    ...(env === undefined ? {} : { env }),
  });
}

/** Packs every published package into `scratch`, keyed by package name. */
export function packAll(scratch: string): Map<string, Packed> {
  const packs = new Map<string, Packed>();
  for (const dir of packageDirs) {
    const [pack] = JSON.parse(
      run('npm', ['pack', '--json', '--pack-destination', scratch], dir),
    ) as PackResult[];
    if (!pack) throw new Error(`npm pack printed nothing for ${dir}`);
    const pkg = readPackageJson(join(dir, 'package.json'));
    packs.set(pkg.name, { dir, pkg, pack });
  }
  return packs;
}

/** Writes the scratch project's package.json (ESM) depending on every tarball plus `extra`, and installs it. */
export function installAll(
  scratch: string,
  packs: ReadonlyMap<string, Packed>,
  extra: Record<string, string>,
): void {
  const dependencies: Record<string, string> = { ...extra };
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
}

/** The workspace's TypeScript compiler, run on a consumer project (which resolves only its own node_modules). */
export function tsc(args: readonly string[], cwd: string): string {
  const bin = join(workspace, 'node_modules/typescript/bin/tsc');
  try {
    return run('node', [bin, ...args], cwd);
  } catch (error) {
    return String((error as { stdout?: string }).stdout ?? error);
  }
}
