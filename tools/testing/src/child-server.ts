import { spawn, type ChildProcess } from 'node:child_process';
import { trackProcess } from './live-processes.js';

/** A server binary run as a child of the test, with start/stop/kill that keep its data for a restart. */
export interface ChildServer {
  /** Whether the process is running. */
  readonly running: boolean;
  /** Starts the process (no-op when running) and resolves once `ready()` says so. */
  start(): Promise<void>;
  /** SIGTERM, then waits for the exit. */
  stop(): Promise<void>;
  /** SIGKILL, then waits for the exit: a crash, for restart tests. */
  kill(): Promise<void>;
}

/** How to run one server. */
export interface ChildServerSpec {
  /** Name in error messages, e.g. `influxd 2.8.0`. */
  readonly name: string;
  readonly binary: string;
  readonly args: readonly string[];
  /** True once the server answers; false or a throw while it is still starting. */
  readonly ready: () => Promise<boolean>;
  /** How long `start()` waits for `ready()`. */
  readonly startTimeoutMs: number;
  readonly env?: NodeJS.ProcessEnv;
}

/** Runs `spec.binary`; keeps the last 4000 characters of its stderr and stdout for a useful start error. */
export function childServer(spec: ChildServerSpec): ChildServer {
  let child: ChildProcess | undefined;
  let output = '';

  async function start(): Promise<void> {
    if (child) return;
    output = '';
    const proc = trackProcess(
      spawn(spec.binary, [...spec.args], {
        stdio: ['ignore', 'pipe', 'pipe'],
        env: spec.env ?? process.env,
      }),
    );
    const keep = (chunk: Buffer): void => {
      output = (output + chunk.toString()).slice(-4000);
    };
    proc.stdout.on('data', keep);
    proc.stderr.on('data', keep);
    let exited = false;
    const failed = new Promise<never>((_, reject) => {
      proc.once('error', reject);
      proc.once('exit', (code, signal) => {
        exited = true;
        reject(new Error(`${spec.name} exited (${String(code ?? signal)}) before it was ready:\n${output}`));
      });
    });
    child = proc;
    proc.once('exit', () => {
      if (child === proc) child = undefined;
    });
    const deadline = Date.now() + spec.startTimeoutMs;
    const poll = async (): Promise<void> => {
      while (!exited) {
        if (await spec.ready().catch(() => false)) return;
        if (Date.now() > deadline) {
          throw new Error(`${spec.name} was not ready within ${spec.startTimeoutMs} ms:\n${output}`);
        }
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    };
    try {
      await Promise.race([poll(), failed]);
    } catch (error) {
      await stopWith('SIGKILL');
      throw error;
    }
  }

  async function stopWith(signal: NodeJS.Signals): Promise<void> {
    const proc = child;
    if (!proc) return;
    const exited = new Promise<void>((resolve) =>
      proc.once('exit', () => {
        resolve();
      }),
    );
    proc.kill(signal);
    await exited;
  }

  return {
    get running() {
      return child !== undefined;
    },
    start,
    stop: () => stopWith('SIGTERM'),
    kill: () => stopWith('SIGKILL'),
  };
}
