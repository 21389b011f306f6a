#!/usr/bin/env node
// The `ha-sim` command. The simulator is TypeScript: this runs its build (dist/), made by
// `npx nx run ha-sim:build` (or `npm run sim`, which builds first).
import { existsSync } from 'node:fs';

const cli = new URL('../dist/cli.js', import.meta.url);
if (!existsSync(cli)) {
  console.error(
    'ha-sim: tools/ha-sim/dist is missing: run npm run build first (or: npx nx run ha-sim:build)',
  );
  process.exit(1);
}
const { main } = await import(cli.href);
process.exitCode = await main(process.argv.slice(2));
