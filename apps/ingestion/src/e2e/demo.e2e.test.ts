import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { getFreePort, SERVICE_MAIN, waitFor } from '@homeiq/testing';

/**
 * `npm run demo` (tools/demo/demo.mjs) as a user runs it, on a small home: with an InfluxDB on the machine it
 * starts it, sets it up and the service writes to it (the page's /health says healthy, points written, and they
 * are in InfluxDB); without one it says how to get one and keeps the spool; Ctrl-C (SIGINT) ends every process it
 * started, influxd included.
 */
jest.setTimeout(60_000);

const ROOT = join(dirname(SERVICE_MAIN), '../../..');
const DEMO = join(ROOT, 'tools/demo/demo.mjs');

interface Health {
  status: string;
  reasons: string[];
  sink: { configured: boolean; written: number };
}

interface Demo {
  readonly url: string;
  readonly dataDir: string;
  readonly influxPort: number;
  output(): string;
  health(): Promise<Health>;
  /** SIGINT, as Ctrl-C; resolves with the exit code. */
  interrupt(): Promise<number | null>;
}

const running = new Set<ChildProcess>();
const dirs: string[] = [];

afterEach(async () => {
  for (const child of running) child.kill('SIGKILL');
  running.clear();
  for (const dir of dirs.splice(0)) {
    // A failed test may have killed the demo before it stopped its influxd, which runs in its own process group.
    for (const name of existsSync(dir) ? readdirSync(dir) : []) {
      const pidFile = join(dir, name, 'influxd.pid');
      if (!name.startsWith('influxdb-') || !existsSync(pidFile)) continue;
      const pid = Number(readFileSync(pidFile, 'utf8'));
      if (influxdRunning(pid, dir)) process.kill(pid, 'SIGKILL');
    }
    await rm(dir, { recursive: true, force: true });
  }
});

async function startDemo(env: Record<string, string>): Promise<Demo> {
  const dataDir = await mkdtemp(join(tmpdir(), 'homeiq-demo-'));
  dirs.push(dataDir);
  const port = await getFreePort();
  const influxPort = await getFreePort();
  const child = spawn(process.execPath, [DEMO], {
    env: {
      PATH: process.env['PATH'] ?? '',
      HOME: process.env['HOME'] ?? '',
      WEBSOCKET_INGESTION_PORT: String(port),
      DATA_DIR: dataDir,
      DEMO_ENTITIES: '30',
      DEMO_INFLUXDB_PORT: String(influxPort),
      LOG_LEVEL: 'warn',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => {
    child.once('exit', (code) => {
      resolve(code);
    });
  });
  const url = `http://127.0.0.1:${port}`;
  const demo: Demo = {
    url,
    dataDir,
    influxPort,
    output: () => output,
    health: async () => (await (await fetch(url + '/health')).json()) as Health,
    interrupt: async () => {
      child.kill('SIGINT');
      const code = await exited;
      running.delete(child);
      return code;
    },
  };
  await waitFor(
    async () => (await fetch(url + '/health')).status > 0,
    30_000,
    () => output,
  );
  return demo;
}

function influxdPid(dataDir: string): number {
  const dir = readdirSync(dataDir).find((name) => name.startsWith('influxdb-'));
  if (dir === undefined) throw new Error(`no influxdb-* directory in ${dataDir}`);
  return Number(readFileSync(join(dataDir, dir, 'influxd.pid'), 'utf8'));
}

/** Whether `pid` is the influxd of the demo in `dataDir` (after it stopped, the pid may belong to another process). */
function influxdRunning(pid: number, dataDir: string): boolean {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(dataDir);
  } catch {
    return false;
  }
}

async function expectHealthyAndWriting(demo: Demo): Promise<void> {
  await waitFor(
    async () => {
      const h = await demo.health();
      return h.status === 'healthy' && h.sink.written > 0;
    },
    20_000,
    demo.output,
  );
}

async function expectCleanStop(demo: Demo, pid: number | undefined): Promise<void> {
  expect(await demo.interrupt()).toBe(0);
  expect(demo.output()).toContain('demo stopped (service exit 0');
  if (pid !== undefined) expect(influxdRunning(pid, demo.dataDir)).toBe(false);
  await expect(fetch(demo.url + '/health')).rejects.toThrow();
}

describe('npm run demo', () => {
  it('starts the cached InfluxDB 2.8, sets it up, writes points to it and stops everything on Ctrl-C', async () => {
    const demo = await startDemo({});
    expect(demo.output()).toMatch(/InfluxDB:\s+InfluxDB 2\.8\.0 at http:\/\/127\.0\.0\.1:\d+ \(org homeiq/);
    await expectHealthyAndWriting(demo);
    const pid = influxdPid(demo.dataDir);
    expect(influxdRunning(pid, demo.dataDir)).toBe(true);
    // What the page counts as written is in InfluxDB, under the token the terminal printed.
    const res = await fetch(`http://127.0.0.1:${demo.influxPort}/api/v2/query?org=homeiq`, {
      method: 'POST',
      headers: { authorization: 'Token homeiq-demo-token', 'content-type': 'application/vnd.flux' },
      body: 'from(bucket: "home_assistant_events") |> range(start: -1h) |> filter(fn: (r) => r._field == "state") |> group() |> count()',
    });
    expect(res.status).toBe(200);
    const count = Number(/,_result,0,(\d+)/.exec(await res.text())?.[1]);
    expect(count).toBeGreaterThan(0);
    await expectCleanStop(demo, pid);
  });

  it('falls back to an influxd on PATH (Debian 1.6.7 here) through the 1.x API', async () => {
    if (!existsSync('/usr/bin/influxd')) throw new Error('no /usr/bin/influxd: apt-get install influxdb');
    const demo = await startDemo({ HOMEIQ_INFLUXD_2_8: join(tmpdir(), 'no-such-influxd'), PATH: '/usr/bin' });
    expect(demo.output()).toMatch(/InfluxDB:\s+InfluxDB 1\.\d+\.\d+ at .*database home_assistant_events/);
    await expectHealthyAndWriting(demo);
    const pid = influxdPid(demo.dataDir);
    const q = new URLSearchParams({
      db: 'home_assistant_events',
      q: 'SELECT count(state) FROM home_assistant_events',
    });
    const body = (await (
      await fetch(`http://127.0.0.1:${demo.influxPort}/query?${q.toString()}`)
    ).json()) as {
      results: { series?: { values: [string, number][] }[] }[];
    };
    expect(body.results[0]?.series?.[0]?.values[0]?.[1]).toBeGreaterThan(0);
    await expectCleanStop(demo, pid);
  });

  it('without any InfluxDB says how to get one, keeps the spool and stops clean', async () => {
    const demo = await startDemo({
      HOMEIQ_INFLUXD_2_8: join(tmpdir(), 'no-such-influxd'),
      PATH: '/nonexistent',
    });
    expect(demo.output()).toContain('npm run influx:install');
    expect(demo.output()).toContain('apt-get install influxdb');
    await waitFor(async () => !(await demo.health()).sink.configured, 10_000, demo.output);
    const health = await demo.health();
    expect(health.status).toBe('degraded');
    expect(health.reasons.join(' ')).toContain('INFLUXDB_URL is not set');
    await expectCleanStop(demo, undefined);
    expect(existsSync(join(demo.dataDir, 'spool'))).toBe(true);
  });
});
