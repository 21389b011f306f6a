import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { trackProcess } from './live-processes.js';

/** Compiled copies of libs' TypeScript sources that a child process can `require`. */
export interface ChildModules {
  /** Directory holding one sub-directory per compiled lib (`<dir>/<name>/index.js`). */
  readonly dir: string;
  /** Starts `node` on a CommonJS script written into `dir`; bare imports resolve from the workspace. */
  spawn(script: string, options?: { readonly env?: Readonly<Record<string, string>> }): ChildProcess;
  /** Removes the compiled files. */
  dispose(): Promise<void>;
}

/**
 * Transpiles lib sources (each a `src` directory, tests excluded) to CommonJS in a temp dir, so integration tests
 * can run them in a real child process and SIGKILL it without a prior build. Types are not checked here; the
 * typecheck target does that.
 */
export async function compileChildModules(libs: Readonly<Record<string, string>>): Promise<ChildModules> {
  const { default: ts } = await import('typescript');
  const dir = await mkdtemp(join(tmpdir(), 'homeiq-child-'));
  for (const [name, srcDir] of Object.entries(libs)) {
    for (const file of await listSources(srcDir)) {
      const output = ts.transpileModule(await readFile(file, 'utf8'), {
        compilerOptions: {
          module: ts.ModuleKind.CommonJS,
          target: ts.ScriptTarget.ES2022,
          esModuleInterop: true,
        },
      }).outputText;
      const target = join(dir, name, relative(srcDir, file)).replace(/\.ts$/, '.js');
      await mkdir(dirname(target), { recursive: true });
      await writeFile(target, output);
    }
  }
  const nodePath = findNodeModules(process.cwd());
  let scripts = 0;
  return {
    dir,
    spawn(script, options = {}) {
      // A file beside the compiled libs (rather than `node -e`) keeps stack traces readable.
      const file = join(dir, `child-${scripts++}.cjs`);
      writeFileSync(file, script);
      return trackProcess(
        spawn(process.execPath, [file], {
          stdio: ['ignore', 'pipe', 'pipe'],
          env: { ...process.env, NODE_PATH: nodePath, ...options.env },
        }),
      );
    },
    dispose: () => rm(dir, { recursive: true, force: true }),
  };
}

async function listSources(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== 'testing-internal') out.push(...(await listSources(path)));
    } else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts')) {
      out.push(path);
    }
  }
  return out;
}

function findNodeModules(from: string): string {
  for (let dir = resolve(from); ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'node_modules'))) return join(dir, 'node_modules');
    if (dirname(dir) === dir) return '';
  }
}
