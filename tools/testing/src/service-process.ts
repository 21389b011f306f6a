import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { trackProcess } from './live-processes.js';

/** The built service (`apps/ingestion/dist/main.js`) as a real child process, for end-to-end tests and benchmarks. */
export interface ServiceProcess {
  readonly url: string;
  /** Whether the process is still running. */
  readonly running: boolean;
  /** Everything the process wrote to stdout and stderr so far. */
  output(): string;
  /** GET a JSON endpoint of the service. */
  get<T>(path: string): Promise<T>;
  /** Sends a signal and resolves with the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
  /** Resolves with the exit code once the process ends by itself. */
  exited(): Promise<number | null>;
}

/**
 * The built service's entry point, found from the working directory up to the workspace root (`nx.json`): this
 * module runs both as CommonJS under jest and as ESM from `dist`, so neither `__dirname` nor `import.meta` serves.
 */
export const SERVICE_MAIN = join(workspaceRoot(process.cwd()), 'apps/ingestion/dist/main.js');

function workspaceRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'nx.json'))) return dir;
    if (dirname(dir) === dir)
      throw new Error(`no nx.json above ${from}: run from inside the HomeIQ workspace`);
  }
}

/** Starts the service with exactly `env` (plus PATH), resolving once `/health` answers. */
export async function startService(env: Record<string, string>, port: number): Promise<ServiceProcess> {
  const child = spawnService(env);
  const url = `http://127.0.0.1:${port}`;
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exit = new Promise<number | null>((done) =>
    child.once('exit', (code) => {
      done(code);
    }),
  );
  const service: ServiceProcess = {
    url,
    get running() {
      return child.exitCode === null && child.signalCode === null;
    },
    output: () => output,
    async get<T>(path: string) {
      const res = await fetch(url + path);
      return (await res.json()) as T;
    },
    async stop(signal = 'SIGTERM') {
      if (child.exitCode === null) child.kill(signal);
      return exit;
    },
    exited: () => exit,
  };
  try {
    await waitFor(
      async () => (await fetch(`${url}/health`)).status > 0,
      15_000,
      () => output,
    );
  } catch (error) {
    await service.stop('SIGKILL'); // its pipes would keep the test runner from exiting
    throw error;
  }
  return service;
}

/** Waits until the service's `/health` says HA acknowledged every subscription: events HA fires from then on arrive. */
export async function waitSubscribed(service: ServiceProcess, timeoutMs = 10_000): Promise<void> {
  await waitFor(
    async () =>
      (await service.get<{ subscription: { is_subscribed: boolean } }>('/health')).subscription.is_subscribed,
    timeoutMs,
    () => service.output(),
  );
}

/**
 * Runs the service to completion (for configuration and start-up errors): exit code and output. With `timeoutMs`,
 * a process still running by then is killed (SIGKILL) and reported with `timedOut: true`, so a start-up that hangs
 * fails the test instead of the test run.
 */
export async function runService(
  env: Record<string, string>,
  options: { readonly timeoutMs?: number } = {},
): Promise<{ code: number | null; output: string; timedOut: boolean }> {
  const child = spawnService(env);
  let output = '';
  let timedOut = false;
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const timer =
    options.timeoutMs === undefined
      ? undefined
      : setTimeout(() => {
          timedOut = true;
          child.kill('SIGKILL');
        }, options.timeoutMs);
  const code = await new Promise<number | null>((done) =>
    child.once('exit', (c) => {
      done(c);
    }),
  );
  clearTimeout(timer);
  return { code, output, timedOut };
}

function spawnService(env: Record<string, string>): ChildProcess {
  return trackProcess(
    spawn(process.execPath, [SERVICE_MAIN], {
      env: { PATH: process.env['PATH'] ?? '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    }),
  );
}

/**
 * Waits for a condition of real processes (rows in InfluxDB, a state in `/health`), polling every 50 ms up to a
 * bound, so a failure reports instead of hanging. Used only by end-to-end tests; unit tests use fake clocks.
 */
export async function waitFor(
  condition: () => boolean | Promise<boolean>,
  timeoutMs: number,
  describe: () => string = () => '',
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      if (await condition()) return;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) {
      throw new Error(
        `condition not met within ${timeoutMs} ms ${lastError instanceof Error ? lastError.message : ''}\n${describe()}`,
      );
    }
    await new Promise((done) => setTimeout(done, 50));
  }
}
