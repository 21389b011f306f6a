// Where the built packages are. The benchmarks run the built `dist` of each project (as users run the service).
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '../../..');
export const SERVICE_MAIN = join(ROOT, 'apps/ingestion/dist/main.js');
export const BUILD_COMMAND = 'npx nx run-many -t build';

/** Imports a project's built entry (`<dir>/dist/index.js`), or explains how to build it. */
export async function loadModule(dir) {
  const entry = join(ROOT, dir, 'dist/index.js');
  if (!existsSync(entry))
    throw new Error(`${dir} is not built (${entry} is missing): run \`${BUILD_COMMAND}\``);
  return import(entry);
}

/** Throws with the build command when any of the built files the benchmark runs is missing. */
export function checkBuilt() {
  const missing = [
    SERVICE_MAIN,
    join(ROOT, 'tools/ha-sim/dist/index.js'),
    join(ROOT, 'tools/testing/dist/index.js'),
  ].filter((file) => !existsSync(file));
  if (missing.length > 0)
    throw new Error(
      `not built: ${missing.join(', ')}\nrun \`${BUILD_COMMAND}\` first (npm run bench does it)`,
    );
}
