/**
 * The Home Assistant add-on's entry point (`addon/homeiq-ingest/run.sh` runs it): reads `/data/options.json`,
 * sets the service's environment from it (options.ts), then starts the service (`../main.js`), which reads the
 * environment as always. `HOMEIQ_ADDON_DATA_DIR`, `HOMEIQ_SUPERVISOR_URL`, `HOMEIQ_INGRESS_PORT` and
 * `HOMEIQ_INGRESS_PROXY` move the Supervisor's fixed places, so that a test can run this very entry on loopback.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { addonEnvironment, INGRESS_PORT, INGRESS_PROXY, SUPERVISOR_URL } from './options.js';

const EXIT_BAD_CONFIG = 2;

function fail(problems: readonly string[]): never {
  process.stderr.write(
    `Invalid add-on configuration, nothing was started:\n  - ${problems.join('\n  - ')}\n`,
  );
  process.exit(EXIT_BAD_CONFIG);
}

const env = process.env;
const dataDir = env['HOMEIQ_ADDON_DATA_DIR'] ?? '/data';
const optionsFile = join(dataDir, 'options.json');
let options: unknown;
try {
  options = JSON.parse(readFileSync(optionsFile, 'utf8'));
} catch (error) {
  fail([`cannot read ${optionsFile}: ${error instanceof Error ? error.message : String(error)}`]);
}
const port = Number(env['HOMEIQ_INGRESS_PORT'] ?? INGRESS_PORT);
const result = addonEnvironment(options, env['SUPERVISOR_TOKEN'] ?? env['HASSIO_TOKEN'], {
  dataDir,
  supervisorUrl: env['HOMEIQ_SUPERVISOR_URL'] ?? SUPERVISOR_URL,
  port: Number.isInteger(port) ? port : INGRESS_PORT,
  ingressProxies: (env['HOMEIQ_INGRESS_PROXY'] ?? INGRESS_PROXY).split(','),
});
if (!result.ok) fail(result.problems);
// No `.env` inside an add-on: the options are the whole configuration.
Object.assign(process.env, result.env);
await import('../main.js');
