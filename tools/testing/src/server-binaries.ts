import { accessSync, constants } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

/** The real InfluxDB builds `scripts/install-influx-servers.sh` puts in the cache. */
export type InfluxServerVersion = '2.8' | '1.8';

const RELEASE: Readonly<Record<InfluxServerVersion, string>> = { '2.8': '2.8.0', '1.8': '1.8.10' };
const ENV: Readonly<Record<InfluxServerVersion, string>> = {
  '2.8': 'HOMEIQ_INFLUXD_2_8',
  '1.8': 'HOMEIQ_INFLUXD_1_8',
};

/** The command that builds them; printed when a binary is missing. */
export const INSTALL_INFLUX_COMMAND = 'npm run influx:install';

/** The exact release of each version, e.g. `2.8.0`. */
export function influxRelease(version: InfluxServerVersion): string {
  return RELEASE[version];
}

/**
 * Path of the cached `influxd` of `version`: `$HOMEIQ_INFLUXD_2_8` / `$HOMEIQ_INFLUXD_1_8` when set, else
 * `${HOMEIQ_CACHE_DIR:-$HOME/.cache/homeiq}/influxdb/<release>/influxd`. Throws, naming the install command,
 * when it is not there.
 */
export function influxServerBinary(version: InfluxServerVersion, env = process.env): string {
  const override = env[ENV[version]];
  const cache = env['HOMEIQ_CACHE_DIR'] ?? join(homedir(), '.cache', 'homeiq');
  const path = override ?? join(cache, 'influxdb', RELEASE[version], 'influxd');
  try {
    accessSync(path, constants.X_OK);
  } catch {
    throw new Error(
      `InfluxDB ${RELEASE[version]} is not installed at ${path}; build it once with: ${INSTALL_INFLUX_COMMAND}`,
    );
  }
  return path;
}
