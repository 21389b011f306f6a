import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { childServer } from './child-server.js';
import { getFreePort } from './ports.js';

/** Options for {@link startInfluxd}. */
export interface InfluxdOptions {
  /**
   * Path of the `influxd` binary: Debian's 1.6.7 by default, or the cached 1.8.10 (`influxServerBinary('1.8')`).
   * @default process.env.INFLUXD_BIN ?? 'influxd'
   */
  readonly binary?: string;
  /** Data directory; reused across restarts. @default a new temp dir, removed by `dispose()` */
  readonly dataDir?: string;
  /** How long to wait for `/ping` to answer after a start. @default 20000 */
  readonly startTimeoutMs?: number;
  /**
   * Turn on `[http] auth-enabled` and create this admin user (through `/query`, as InfluxDB 1.x allows while no
   * user exists); `query()` then authenticates as it. @default no authentication
   */
  readonly admin?: { readonly username: string; readonly password: string };
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

/** Starts a real `influxd` (InfluxDB 1.x: Debian's 1.6.7, or 1.8.10) on free loopback ports in a temp dir. */
export async function startInfluxd(options: InfluxdOptions = {}): Promise<Influxd> {
  const binary = options.binary ?? process.env['INFLUXD_BIN'] ?? 'influxd';
  const ownsDir = options.dataDir === undefined;
  const dataDir = options.dataDir ?? (await mkdtemp(join(tmpdir(), 'homeiq-influxd-')));
  const port = await getFreePort();
  const rpcPort = await getFreePort();
  const configPath = join(dataDir, 'influxd.conf');
  const admin = options.admin;
  await writeFile(configPath, influxdConfig(dataDir, port, rpcPort, admin !== undefined));
  const url = `http://127.0.0.1:${port}`;
  const server = childServer({
    name: `influxd (${binary})`,
    binary,
    args: ['-config', configPath],
    ready: async () => (await fetch(`${url}/ping`)).status === 204,
    startTimeoutMs: options.startTimeoutMs ?? 20_000,
  });

  async function query(q: string, db?: string): Promise<InfluxQueryResult> {
    const params = new URLSearchParams({ q, epoch: 'ns' });
    if (db !== undefined) params.set('db', db);
    // InfluxDB 1.x reads credentials from the URL or an Authorization header, not from a form body.
    const headers: Record<string, string> = admin
      ? { authorization: `Basic ${Buffer.from(`${admin.username}:${admin.password}`).toString('base64')}` }
      : {};
    const res = await fetch(`${url}/query`, { method: 'POST', body: params, headers });
    // Epoch-ns times exceed 2^53: keep the time column (always first) as a string so it stays exact.
    const body = JSON.parse((await res.text()).replace(/\[(\d{16,}),/g, '["$1",')) as InfluxQueryResult;
    const error = body.error ?? body.results.find((r) => r.error !== undefined)?.error;
    if (!res.ok || error !== undefined)
      throw new Error(`InfluxQL failed (${res.status}): ${error ?? ''}: ${q}`);
    return body;
  }

  await server.start();
  if (admin) {
    const password = admin.password.replace(/'/g, "\\'");
    await query(`CREATE USER "${admin.username}" WITH PASSWORD '${password}' WITH ALL PRIVILEGES`);
  }
  return {
    url,
    port,
    dataDir,
    get running() {
      return server.running;
    },
    query,
    async select(q, db) {
      const series = (await query(q, db)).results[0]?.series?.[0];
      if (!series) return [];
      return series.values.map((row) => Object.fromEntries(series.columns.map((c, i) => [c, row[i]])));
    },
    stop: () => server.stop(),
    kill: () => server.kill(),
    start: () => server.start(),
    async dispose() {
      await server.stop();
      if (ownsDir) await rm(dataDir, { recursive: true, force: true });
    },
  };
}

function influxdConfig(dir: string, port: number, rpcPort: number, auth: boolean): string {
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
  auth-enabled = ${String(auth)}
  log-enabled = false
  max-body-size = 0
[subscriber]
  enabled = false
[continuous_queries]
  enabled = false
`;
}
