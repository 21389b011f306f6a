import { spawn, type ChildProcess } from 'node:child_process';
import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { getFreePort } from '@homeiq/testing';
import { haConfigurationYaml } from './ha-config.js';
import { ensureHomeAssistant, type HaInstall } from './install.js';
import { onboard, wsUrlOf } from './onboarding.js';
import { openWsSession, type WsSession } from './ws-session.js';

/** Our test-only integrations, copied into each config dir. */
const CUSTOM_COMPONENTS = resolve(__dirname, '../custom_components');

/** Options of {@link startRealHa}. */
export interface RealHaOptions {
  /** An installed Home Assistant. @default the result of ensureHomeAssistant() */
  readonly install?: HaInstall;
  /** Upper bound for one start (process up, onboarding, core RUNNING). @default 180000 */
  readonly startTimeoutMs?: number;
  /** Upper bound for a graceful stop before SIGKILL. @default 60000 */
  readonly stopTimeoutMs?: number;
  /** Recorder `commit_interval` in seconds. @default 1 */
  readonly recorderCommitIntervalS?: number;
  /** YAML appended to our configuration.yaml (top-level keys, e.g. an `influxdb:` block). @default none */
  readonly extraConfigurationYaml?: string;
}

/** A real Home Assistant core on a loopback port, onboarded, with a long-lived admin token. */
export interface RealHa {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  /** `ws://127.0.0.1:<port>/api/websocket` */
  readonly wsUrl: string;
  readonly port: number;
  readonly configDir: string;
  readonly version: string;
  /** Long-lived access token of the owner (an admin). */
  readonly token: string;
  /** The last 20,000 characters hass wrote to stdout and stderr. */
  output(): string;
  /** An authenticated WebSocket session. */
  session(): Promise<WsSession>;
  /** A REST call with the token; the parsed JSON body (null when empty). Throws on a non-2xx status. */
  rest<T>(method: 'GET' | 'POST' | 'DELETE', path: string, body?: unknown): Promise<T>;
  /** Stops hass gracefully (SIGTERM), keeping the config dir so `start()` brings the same instance back. */
  stop(): Promise<void>;
  /** Starts hass again on the same port and config dir; resolves once the core is RUNNING. */
  start(): Promise<void>;
  /** Stops hass and removes the config dir. */
  dispose(): Promise<void>;
}

/**
 * Starts `hass --skip-pip` with our configuration (see haConfigurationYaml) in a new temp config dir on a free
 * loopback port, completes onboarding and waits until the core state is RUNNING.
 */
export async function startRealHa(options: RealHaOptions = {}): Promise<RealHa> {
  const install = options.install ?? (await ensureHomeAssistant());
  const startTimeoutMs = options.startTimeoutMs ?? 180_000;
  const stopTimeoutMs = options.stopTimeoutMs ?? 60_000;
  const port = await getFreePort();
  const url = `http://127.0.0.1:${port}`;
  const configDir = await mkdtemp(join(tmpdir(), 'homeiq-real-ha-'));
  await cp(CUSTOM_COMPONENTS, join(configDir, 'custom_components'), { recursive: true });
  await writeFile(
    join(configDir, 'configuration.yaml'),
    haConfigurationYaml({
      port,
      recorderCommitIntervalS: options.recorderCommitIntervalS ?? 1,
      ...(options.extraConfigurationYaml !== undefined && { extraYaml: options.extraConfigurationYaml }),
    }),
  );
  let child: ChildProcess | undefined;
  let output = '';
  let token = '';

  const spawnHass = (): void => {
    const proc = spawn(install.hass, ['-c', configDir, '--skip-pip', '--log-no-color'], {
      env: { PATH: process.env['PATH'] ?? '', HOME: configDir, TZ: 'UTC' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const keep = (chunk: Buffer): void => {
      output = (output + chunk.toString()).slice(-20_000);
    };
    proc.stdout.on('data', keep);
    proc.stderr.on('data', keep);
    proc.once('exit', () => {
      if (child === proc) child = undefined;
    });
    child = proc;
  };

  const deadlineOf = (): number => Date.now() + startTimeoutMs;
  const describe = (what: string): Error =>
    new Error(`Home Assistant: ${what} within ${startTimeoutMs} ms\n${output.slice(-4000)}`);

  /** Polls until `probe` says yes; fails fast when hass exited. */
  async function until(probe: () => Promise<boolean>, deadline: number, what: string): Promise<void> {
    for (;;) {
      if (child === undefined)
        throw new Error(`Home Assistant exited before ${what}\n${output.slice(-4000)}`);
      if (await probe().catch(() => false)) return;
      if (Date.now() > deadline) throw describe(what);
      await new Promise((done) => setTimeout(done, 250));
    }
  }

  async function rest<T>(method: 'GET' | 'POST' | 'DELETE', path: string, body?: unknown): Promise<T> {
    const init: RequestInit = {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      signal: AbortSignal.timeout(30_000),
    };
    if (body !== undefined) init.body = JSON.stringify(body);
    const res = await fetch(url + path, init);
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${path}: HTTP ${res.status}: ${text}`);
    return (text === '' ? null : JSON.parse(text)) as T;
  }

  const isRunning = async (): Promise<boolean> =>
    (await rest<{ state?: string }>('GET', '/api/config')).state === 'RUNNING';

  async function start(firstStart: boolean): Promise<void> {
    if (child !== undefined) return;
    const deadline = deadlineOf();
    spawnHass();
    // The onboarding view answers (without auth) as soon as http is up, before the core is RUNNING.
    await until(async () => (await fetch(`${url}/api/onboarding`)).status === 200, deadline, 'HTTP up');
    if (firstStart) token = (await onboard(url)).longLivedToken;
    await until(isRunning, deadline, 'core RUNNING');
  }

  async function stop(): Promise<void> {
    const proc = child;
    if (proc === undefined) return;
    const exited = new Promise<void>((done) => {
      proc.once('exit', () => {
        done();
      });
    });
    proc.kill('SIGTERM');
    const timer = setTimeout(() => proc.kill('SIGKILL'), stopTimeoutMs);
    await exited;
    clearTimeout(timer);
  }

  try {
    await start(true);
  } catch (error) {
    await stop();
    await rm(configDir, { recursive: true, force: true });
    throw new Error(
      `Home Assistant did not start: ${String(error)}\n--- hass output ---\n${output.slice(-6000)}`,
      {
        cause: error,
      },
    );
  }
  return {
    url,
    wsUrl: wsUrlOf(url),
    port,
    configDir,
    version: install.version,
    get token() {
      return token;
    },
    output: () => output,
    session: () => openWsSession(wsUrlOf(url), token),
    rest,
    stop,
    start: () => start(false),
    async dispose() {
      await stop();
      await rm(configDir, { recursive: true, force: true });
    },
  };
}
