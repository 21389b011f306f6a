import { spawn } from 'node:child_process';
import { join, resolve } from 'node:path';

/** The Home Assistant core release the real-HA suite pins (Python 3.12 or 3.13). */
export const HA_VERSION = '2025.1.4';

/** The idempotent installer: a venv with `hass` and the requirements of our test configuration, cached. */
export const INSTALL_SCRIPT = resolve(__dirname, '../scripts/install-ha.sh');

/** Adds HA's influxdb integration clients (`influxdb`, `influxdb-client`) to that venv; idempotent too. */
export const INSTALL_INFLUXDB_SCRIPT = resolve(__dirname, '../scripts/install-ha-influxdb.sh');

/** Where Home Assistant is installed. */
export interface HaInstall {
  readonly venv: string;
  /** The `hass` entry point inside the venv. */
  readonly hass: string;
  readonly version: string;
}

/** Options of {@link ensureHomeAssistant}. */
export interface EnsureHomeAssistantOptions {
  /** Cache directory (venv and wheelhouse). @default process.env.HOMEIQ_REAL_HA_CACHE ?? ~/.cache/homeiq-real-ha */
  readonly cacheDir?: string;
  /** Upper bound for a cold install. @default 900000 (15 min) */
  readonly timeoutMs?: number;
  /** Receives the installer's progress lines. @default process.stderr */
  readonly onProgress?: (line: string) => void;
}

/**
 * Runs scripts/install-ha.sh (a no-op taking well under a second once the cache is complete) and returns the
 * venv. `HOMEIQ_REAL_HA_VENV` in the environment skips the script and uses that venv as-is.
 */
export async function ensureHomeAssistant(options: EnsureHomeAssistantOptions = {}): Promise<HaInstall> {
  const preset = process.env['HOMEIQ_REAL_HA_VENV'];
  if (preset !== undefined && preset !== '')
    return { venv: preset, hass: join(preset, 'bin', 'hass'), version: HA_VERSION };
  const timeoutMs = options.timeoutMs ?? 900_000;
  const onProgress =
    options.onProgress ??
    ((line: string) => {
      process.stderr.write(line + '\n');
    });
  const env: NodeJS.ProcessEnv = { ...process.env, HOMEIQ_HA_VERSION: HA_VERSION };
  if (options.cacheDir !== undefined) env['HOMEIQ_REAL_HA_CACHE'] = options.cacheDir;
  const stdout = await runInstallScript(INSTALL_SCRIPT, [], env, timeoutMs, onProgress);
  const venv = /^HOMEIQ_REAL_HA_VENV=(.+)$/m.exec(stdout)?.[1];
  if (venv === undefined) throw new Error(`install-ha.sh printed no HOMEIQ_REAL_HA_VENV:\n${stdout}`);
  await runInstallScript(INSTALL_INFLUXDB_SCRIPT, [venv], env, timeoutMs, onProgress);
  return { venv, hass: join(venv, 'bin', 'hass'), version: HA_VERSION };
}

/**
 * Runs one idempotent install script: its `real-ha:` lines on stderr are progress, its stdout is returned, and it
 * must finish within the deadline.
 */
async function runInstallScript(
  script: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv,
  timeoutMs: number,
  onProgress: (line: string) => void,
): Promise<string> {
  const child = spawn('bash', [script, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => {
    const text = chunk.toString();
    stderr = (stderr + text).slice(-8000);
    for (const line of text.split('\n')) if (line.startsWith('real-ha:')) onProgress(line);
  });
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  const code = await new Promise<number | null>((done) => child.once('exit', done));
  clearTimeout(timer);
  if (code !== 0)
    throw new Error(`${script} failed (exit ${String(code)}) within ${timeoutMs} ms:\n${stderr}`);
  return stdout;
}
