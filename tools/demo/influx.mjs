/**
 * The demo's InfluxDB: finds a real `influxd` on this machine, starts it beside the simulator with its data under
 * the demo's DATA_DIR (so stored points survive a restart of the demo), sets it up, and says which settings point
 * the service at it.
 *
 * Where it looks, in order: the InfluxDB 2.8.0 the test tooling builds (`npm run influx:install`, found by
 * `influxServerBinary` of tools/testing, `$HOMEIQ_INFLUXD_2_8` or ~/.cache/homeiq/influxdb/2.8.0/influxd), then an
 * `influxd` on PATH (Debian's `influxdb` package is 1.6.7). A 1.x server is written through its own `/write` API
 * (`INFLUXDB_API_VERSION=1`, README "InfluxDB versions"), a 2.x one through `/api/v2/write` with a token.
 *
 * influxd runs in its own process group: a Ctrl-C in the terminal reaches the demo and the service, and the demo
 * stops influxd only after the service has written what it held (otherwise the service's last flush would meet a
 * dying server and go to the spool).
 */
import { execFileSync, spawn } from 'node:child_process';
import { accessSync, constants, existsSync, mkdirSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { delimiter, join } from 'node:path';

/** What the demo sets up: the service's defaults for org, bucket and database, and a fixed token. */
export const DEMO_INFLUX = Object.freeze({
  org: 'homeiq',
  bucket: 'home_assistant_events',
  database: 'home_assistant_events',
  token: 'homeiq-demo-token',
  username: 'admin',
  password: 'homeiq-demo-password',
});

/** What to run to get an InfluxDB the demo can start, for the terminal and the README. */
export const GET_INFLUXDB_HINT =
  'npm run influx:install (builds InfluxDB 2.8 into ~/.cache/homeiq, about 17 min once; needs Go and Rust) ' +
  'or sudo apt-get install influxdb (Debian: InfluxDB 1.6.7), then npm run demo again';

/**
 * The `influxd` to run: `{ binary, release, major }`, or `{ binary: undefined, looked }` naming where it looked.
 * `influxServerBinary` is tools/testing's lookup of the cached 2.8.0 (it throws when that is not installed).
 */
export function findInfluxd({ env = process.env, influxServerBinary }) {
  const looked = [];
  try {
    const binary = influxServerBinary('2.8', env);
    const found = describeBinary(binary);
    if (found) return found;
    looked.push(`${binary} (does not run)`);
  } catch (error) {
    looked.push(firstLine(error));
  }
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (dir === '') continue;
    const binary = join(dir, 'influxd');
    if (!executable(binary)) continue;
    const found = describeBinary(binary);
    if (found) return found;
    looked.push(`${binary} (does not say its version)`);
  }
  looked.push('no influxd on PATH');
  return { binary: undefined, looked };
}

/** `influxd version` prints `InfluxDB v1.6.7~rc0 (git: …)` (1.x) or `InfluxDB 2.8.0 (git: v2.8.0) …` (2.x). */
function describeBinary(binary) {
  try {
    const out = execFileSync(binary, ['version'], { encoding: 'utf8', timeout: 10_000, stdio: 'pipe' });
    const match = /InfluxDB v?(\d+)\.(\d+)\.(\d+)/.exec(out);
    if (match === null) return undefined;
    return { binary, release: `${match[1]}.${match[2]}.${match[3]}`, major: Number(match[1]) };
  } catch {
    return undefined;
  }
}

/**
 * Starts `found` (from {@link findInfluxd}) on 127.0.0.1:`port` with its data in `dataDir`, waits until it answers
 * and sets it up: a 2.x server's first start runs `/api/v2/setup` (org, bucket, the fixed token); a 1.x server gets
 * `CREATE DATABASE` (idempotent in 1.x). Resolves with the URL, the service settings, the pid and `stop()`.
 */
export async function startDemoInflux({ found, dataDir, port, getFreePort, startTimeoutMs = 30_000 }) {
  const dir = join(dataDir, `influxdb-${found.release}`);
  mkdirSync(dir, { recursive: true });
  const stale = await stopStale(dir);
  const url = `http://127.0.0.1:${port}`;
  const args =
    found.major >= 2
      ? [
          `--bolt-path=${join(dir, 'influxd.bolt')}`,
          `--engine-path=${join(dir, 'engine')}`,
          `--sqlite-path=${join(dir, 'influxd.sqlite')}`,
          `--http-bind-address=127.0.0.1:${port}`,
          '--reporting-disabled',
          '--log-level=error',
        ]
      : ['-config', writeV1Config(dir, port, await getFreePort())];
  const logFile = join(dir, 'influxd.log');
  const log = openSync(logFile, 'a');
  const child = spawn(found.binary, args, { stdio: ['ignore', log, log], detached: true });
  writeFileSync(join(dir, 'influxd.pid'), String(child.pid));
  let exitCode;
  const exited = new Promise((resolve) =>
    child.once('exit', (code, signal) => {
      exitCode = code ?? signal;
      resolve();
    }),
  );
  child.once('error', () => {});
  const kill = () => {
    if (exitCode === undefined) child.kill('SIGKILL');
  };
  // Whatever ends the demo (an uncaught error included), influxd does not outlive it.
  process.once('exit', kill);
  const failure = (why) => {
    kill();
    return new Error(
      `InfluxDB ${found.release} (${found.binary}) ${why}; its log: ${logFile}\n${tail(logFile)}`,
    );
  };

  const readyPath = found.major >= 2 ? '/health' : '/ping';
  const deadline = Date.now() + startTimeoutMs;
  for (;;) {
    if (exitCode !== undefined) throw failure(`exited (${exitCode}) before it answered`);
    const status = await fetch(url + readyPath).then(
      (res) => res.status,
      () => 0,
    );
    if (status === 200 || status === 204) break;
    if (Date.now() > deadline) throw failure(`did not answer ${readyPath} within ${startTimeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  try {
    if (found.major >= 2) await setUpV2(url);
    else await setUpV1(url);
  } catch (error) {
    throw failure(`could not be set up: ${firstLine(error)}`);
  }

  const serviceEnv =
    found.major >= 2
      ? {
          INFLUXDB_URL: url,
          INFLUXDB_API_VERSION: '2',
          INFLUXDB_TOKEN: DEMO_INFLUX.token,
          INFLUXDB_ORG: DEMO_INFLUX.org,
          INFLUXDB_BUCKET: DEMO_INFLUX.bucket,
        }
      : { INFLUXDB_URL: url, INFLUXDB_API_VERSION: '1', INFLUXDB_DATABASE: DEMO_INFLUX.database };
  const where =
    found.major >= 2
      ? `org ${DEMO_INFLUX.org}, bucket ${DEMO_INFLUX.bucket}, token ${DEMO_INFLUX.token}`
      : `database ${DEMO_INFLUX.database}, no authentication, InfluxQL at ${url}/query`;
  return {
    url,
    release: found.release,
    major: found.major,
    pid: child.pid,
    dir,
    stale,
    serviceEnv,
    describe: `InfluxDB ${found.release} at ${url} (${where}); data in ${dir}`,
    get running() {
      return exitCode === undefined;
    },
    /** SIGTERM (influxd closes its files), SIGKILL after 10 s. */
    async stop() {
      process.off('exit', kill);
      if (exitCode !== undefined) return;
      child.kill('SIGTERM');
      const timer = setTimeout(kill, 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/**
 * A first start runs the setup; a later one (the data directory kept from an earlier demo) checks that the demo's
 * token still reads the bucket. API: https://docs.influxdata.com/influxdb/v2/api/ (`/api/v2/setup`, buckets).
 */
async function setUpV2(url) {
  const allowed = await (await fetch(`${url}/api/v2/setup`)).json();
  if (allowed.allowed === true) {
    const res = await fetch(`${url}/api/v2/setup`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        username: DEMO_INFLUX.username,
        password: DEMO_INFLUX.password,
        org: DEMO_INFLUX.org,
        bucket: DEMO_INFLUX.bucket,
        token: DEMO_INFLUX.token,
      }),
    });
    if (res.status !== 201) throw new Error(`/api/v2/setup answered ${res.status}: ${await res.text()}`);
    return;
  }
  const query = new URLSearchParams({ org: DEMO_INFLUX.org, name: DEMO_INFLUX.bucket });
  const res = await fetch(`${url}/api/v2/buckets?${query}`, {
    headers: { authorization: `Token ${DEMO_INFLUX.token}` },
  });
  const body = res.status === 200 ? await res.json() : undefined;
  if (body?.buckets?.length !== 1) {
    throw new Error(
      `it was set up before, but not by the demo (token ${DEMO_INFLUX.token} cannot read bucket ` +
        `${DEMO_INFLUX.bucket}: ${res.status}); remove its data directory to start over`,
    );
  }
}

async function setUpV1(url) {
  const body = new URLSearchParams({ q: `CREATE DATABASE "${DEMO_INFLUX.database}"` });
  const res = await fetch(`${url}/query`, { method: 'POST', body });
  const text = await res.text();
  if (res.status !== 200 || text.includes('"error"'))
    throw new Error(`CREATE DATABASE: ${res.status} ${text}`);
}

/** The 1.x configuration: everything under `dir`, HTTP on loopback, no usage reporting. */
function writeV1Config(dir, port, rpcPort) {
  const path = join(dir, 'influxd.conf');
  writeFileSync(
    path,
    `reporting-disabled = true
bind-address = "127.0.0.1:${rpcPort}"
[meta]
  dir = "${join(dir, 'meta')}"
  logging-enabled = false
[data]
  dir = "${join(dir, 'data')}"
  wal-dir = "${join(dir, 'wal')}"
  query-log-enabled = false
[monitor]
  store-enabled = false
[http]
  enabled = true
  bind-address = "127.0.0.1:${port}"
  auth-enabled = false
  log-enabled = false
[continuous_queries]
  enabled = false
`,
  );
  return path;
}

/**
 * An influxd left running by a demo that was killed (SIGKILL gives it no chance to stop its child) holds the data
 * directory's lock: stop it, if the pid file names a live influxd. Returns its pid, or undefined.
 */
async function stopStale(dir) {
  const pidFile = join(dir, 'influxd.pid');
  if (!existsSync(pidFile)) return undefined;
  const pid = Number(readFileSync(pidFile, 'utf8'));
  if (!Number.isInteger(pid) || pid <= 0) return undefined;
  let cmdline = '';
  try {
    cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
  } catch {
    return undefined; // not running (or no /proc: nothing to check it by)
  }
  if (!cmdline.includes('influxd') || !cmdline.includes(dir)) return undefined;
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    return undefined;
  }
  for (let i = 0; i < 50 && existsSync(`/proc/${pid}`); i++) await new Promise((r) => setTimeout(r, 100));
  return pid;
}

/** `preferred` when nothing listens on it on loopback, else a free port from `getFreePort`. */
export async function choosePort(preferred, getFreePort) {
  return (await canListen(preferred)) ? preferred : getFreePort();
}

function canListen(port) {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

function executable(path) {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function firstLine(error) {
  return String(error instanceof Error ? error.message : error).split('\n')[0];
}

function tail(path) {
  try {
    return readFileSync(path, 'utf8').slice(-2000);
  } catch {
    return '';
  }
}
