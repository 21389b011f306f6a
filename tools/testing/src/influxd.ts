import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getFreePort } from './ports.js';

/** Options for {@link startInfluxd}. */
export interface InfluxdOptions {
  /** Path of the `influxd` binary. @default process.env.INFLUXD_BIN ?? 'influxd' */
  readonly binary?: string;
  /** Data directory; reused across restarts. @default a new temp dir, removed by `dispose()` */
  readonly dataDir?: string;
  /** How long to wait for `/ping` to answer after a start. @default 20000 */
  readonly startTimeoutMs?: number;
}

/** A real InfluxDB 1.x server on a loopback port, owned by a test. */
export interface Influxd {
  /** Base URL, e.g. `http://127.0.0.1:38211`. */
  readonly url: string;
  readonly port: number;
  readonly dataDir: string;
  /** Whether the process is running. */
  readonly running: boolean;
  /** Runs an InfluxQL statement (POST /query) and returns the parsed JSON. Throws on an HTTP or query error. */
  query(q: string, db?: string): Promise<InfluxQueryResult>;
  /** Returns the rows of the first series of a SELECT as objects keyed by column; `time` is an exact epoch-ns string. */
  select(q: string, db: string): Promise<Record<string, unknown>[]>;
  /** Stops the process (SIGTERM), keeping the data dir so `start()` can bring it back on the same port. */
  stop(): Promise<void>;
  /** Kills the process with SIGKILL. */
  kill(): Promise<void>;
  /** Starts the process again after `stop()`/`kill()`, on the same port and data dir. */
  start(): Promise<void>;
  /** Stops the process and removes the temp dir it created. */
  dispose(): Promise<void>;
}

export interface InfluxQueryResult {
  results: {
    statement_id: number;
    error?: string;
    series?: { name: string; columns: string[]; values: unknown[][]; tags?: Record<string, string> }[];
  }[];
  error?: string;
}

/** Starts a real `influxd` (InfluxDB 1.x; Debian's `influxdb` package) on free loopback ports in a temp dir. */
export async function startInfluxd(options: InfluxdOptions = {}): Promise<Influxd> {
  const binary = options.binary ?? process.env['INFLUXD_BIN'] ?? 'influxd';
  const ownsDir = options.dataDir === undefined;
  const dataDir = options.dataDir ?? (await mkdtemp(join(tmpdir(), 'homeiq-influxd-')));
  const startTimeoutMs = options.startTimeoutMs ?? 20_000;
  const port = await getFreePort();
  const rpcPort = await getFreePort();
  const configPath = join(dataDir, 'influxd.conf');
  await writeFile(configPath, influxdConfig(dataDir, port, rpcPort));
  const url = `http://127.0.0.1:${port}`;
  let child: ChildProcess | undefined;
  let stderr = '';

  async function start(): Promise<void> {
    if (child) return;
    stderr = '';
    const proc = spawn(binary, ['-config', configPath], { stdio: ['ignore', 'ignore', 'pipe'] });
    proc.stderr.on('data', (chunk: Buffer) => {
      // influxd logs to stderr; keep the tail for a useful error if it fails to start.
      stderr = (stderr + chunk.toString()).slice(-4000);
    });
    const exited = new Promise<never>((_, reject) => {
      proc.once('error', reject);
      proc.once('exit', (code) => {
        reject(new Error(`influxd exited with code ${String(code)} before it answered /ping:\n${stderr}`));
      });
    });
    child = proc;
    proc.once('exit', () => {
      if (child === proc) child = undefined;
    });
    await Promise.race([waitForPing(url, startTimeoutMs), exited]);
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

  async function query(q: string, db?: string): Promise<InfluxQueryResult> {
    const params = new URLSearchParams({ q, epoch: 'ns' });
    if (db !== undefined) params.set('db', db);
    const res = await fetch(`${url}/query`, { method: 'POST', body: params });
    // Epoch-ns times exceed 2^53: keep the time column (always first) as a string so it stays exact.
    const body = JSON.parse((await res.text()).replace(/\[(\d{16,}),/g, '["$1",')) as InfluxQueryResult;
    const error = body.error ?? body.results.find((r) => r.error !== undefined)?.error;
    if (!res.ok || error !== undefined)
      throw new Error(`InfluxQL failed (${res.status}): ${error ?? ''}: ${q}`);
    return body;
  }

  await start();
  return {
    url,
    port,
    dataDir,
    get running() {
      return child !== undefined;
    },
    query,
    async select(q, db) {
      const series = (await query(q, db)).results[0]?.series?.[0];
      if (!series) return [];
      return series.values.map((row) => Object.fromEntries(series.columns.map((c, i) => [c, row[i]])));
    },
    stop: () => stopWith('SIGTERM'),
    kill: () => stopWith('SIGKILL'),
    start,
    async dispose() {
      await stopWith('SIGTERM');
      if (ownsDir) await rm(dataDir, { recursive: true, force: true });
    },
  };
}

async function waitForPing(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const res = await fetch(`${url}/ping`);
      if (res.status === 204) return;
    } catch {
      // Not listening yet: try again until the deadline.
    }
    if (Date.now() > deadline) throw new Error(`influxd did not answer ${url}/ping within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function influxdConfig(dir: string, port: number, rpcPort: number): string {
  return `reporting-disabled = true
bind-address = "127.0.0.1:${rpcPort}"
[meta]
  dir = "${join(dir, 'meta')}"
  logging-enabled = false
[data]
  dir = "${join(dir, 'data')}"
  wal-dir = "${join(dir, 'wal')}"
  query-log-enabled = false
  wal-fsync-delay = "0s"
[coordinator]
  log-queries-after = "0s"
[retention]
  enabled = false
[monitor]
  store-enabled = false
[http]
  enabled = true
  bind-address = "127.0.0.1:${port}"
  auth-enabled = false
  log-enabled = false
  max-body-size = 0
[subscriber]
  enabled = false
[continuous_queries]
  enabled = false
`;
}
