import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { createServer, request, type Server } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { startHaSim, type HaSim, type StreamHandle } from '@homeiq/ha-sim';
import { getFreePort, SERVICE_MAIN, startInfluxd2, waitFor, type Influxd2 } from '@homeiq/testing';

/**
 * The add-on exactly as its run.sh starts it (`node apps/ingestion/dist/addon/main.js`, reading options.json from
 * the data directory), against a Supervisor-style Home Assistant: the simulator behind a proxy that, like the
 * Supervisor (supervisor/api/__init__.py, `_register_proxy`), serves HA's WebSocket API only at
 * `/core/api/websocket` and `/core/websocket`, where the add-on authenticates with `SUPERVISOR_TOKEN`. Only the
 * Supervisor's fixed places are moved to loopback (HOMEIQ_ADDON_DATA_DIR, HOMEIQ_SUPERVISOR_URL,
 * HOMEIQ_INGRESS_PORT, and in the second case HOMEIQ_INGRESS_PROXY, since no test can connect from 172.30.32.2).
 */
jest.setTimeout(60_000);

const ADDON_MAIN = join(dirname(SERVICE_MAIN), 'addon/main.js');
const SUPERVISOR_TOKEN = 'supervisor-token-for-the-addon';

interface FakeSupervisor {
  readonly url: string;
  /** The paths add-ons asked to upgrade, in order. */
  readonly upgrades: string[];
  close(): Promise<void>;
}

/** An HTTP server that forwards WebSocket upgrades of the Supervisor's two proxy paths to HA's `/api/websocket`. */
async function startFakeSupervisor(haPort: number): Promise<FakeSupervisor> {
  const upgrades: string[] = [];
  const sockets = new Set<Socket>();
  const server: Server = createServer((_req, res) => {
    res.writeHead(404).end();
  });
  server.on('upgrade', (req, socket: Socket, head: Buffer) => {
    upgrades.push(req.url ?? '');
    sockets.add(socket);
    if (req.url !== '/core/api/websocket' && req.url !== '/core/websocket') {
      socket.end('HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    const upstream = connect(haPort, '127.0.0.1', () => {
      const headers: string[] = [];
      for (let i = 0; i < req.rawHeaders.length; i += 2)
        headers.push(`${req.rawHeaders[i] ?? ''}: ${req.rawHeaders[i + 1] ?? ''}`);
      upstream.write(`GET /api/websocket HTTP/1.1\r\n${headers.join('\r\n')}\r\n\r\n`);
      upstream.write(head);
      socket.pipe(upstream).pipe(socket);
    });
    sockets.add(upstream);
    const end = () => {
      socket.destroy();
      upstream.destroy();
    };
    socket.on('error', end).on('close', end);
    upstream.on('error', end).on('close', end);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    upgrades,
    close: () =>
      new Promise((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => {
          resolve();
        });
      }),
  };
}

/** A GET with any Host header (fetch cannot set one), resolving with the status, a header and the body. */
function get(
  port: number,
  path: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; refused: string | undefined; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => {
        const refused = res.headers['x-refused-reason'];
        resolve({
          status: res.statusCode ?? 0,
          refused: Array.isArray(refused) ? refused[0] : refused,
          body,
        });
      });
    });
    req.on('error', reject);
    req.end();
  });
}

describe('the Home Assistant add-on', () => {
  let influx: Influxd2;
  let sim: HaSim;
  let stream: StreamHandle;
  let supervisor: FakeSupervisor;
  const children = new Set<ChildProcess>();
  const dirs: string[] = [];

  beforeAll(async () => {
    influx = await startInfluxd2();
    sim = await startHaSim({ token: SUPERVISOR_TOKEN, home: { entities: 30, seed: 11 } });
    supervisor = await startFakeSupervisor(sim.port);
    stream = sim.stream({ ratePerSecond: 20 });
  });

  afterEach(async () => {
    for (const child of children) child.kill('SIGKILL');
    children.clear();
    for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
  });

  afterAll(async () => {
    stream.stop();
    await supervisor.close();
    await sim.close();
    await influx.dispose();
  });

  async function startAddon(extraEnv: Record<string, string> = {}) {
    const dataDir = await mkdtemp(join(tmpdir(), 'homeiq-addon-data-'));
    dirs.push(dataDir);
    // What the Supervisor writes from config.yaml's options and the user's settings.
    await writeFile(
      join(dataDir, 'options.json'),
      JSON.stringify({
        influxdb_url: influx.url,
        influxdb_api_version: '2',
        influxdb_token: influx.writeToken,
        influxdb_org: influx.org,
        influxdb_bucket: influx.bucket,
        influxdb_schema: 'homeiq',
        log_level: 'warning',
        env_vars: [{ name: 'BATCH_TIMEOUT', value: '0.2' }],
      }),
    );
    const port = await getFreePort();
    const child = spawn(process.execPath, [ADDON_MAIN], {
      cwd: dataDir,
      env: {
        PATH: process.env['PATH'] ?? '',
        SUPERVISOR_TOKEN,
        HOMEIQ_ADDON_DATA_DIR: dataDir,
        HOMEIQ_SUPERVISOR_URL: supervisor.url,
        HOMEIQ_INGRESS_PORT: String(port),
        ...extraEnv,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.add(child);
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    await waitFor(
      async () => (await get(port, '/health').catch(() => ({ status: 0 }))).status > 0,
      20_000,
      () => output,
    );
    return { port, dataDir, output: () => output, child };
  }

  const storedPoints = async (): Promise<number> =>
    (
      await influx.flux(`from(bucket: "${influx.bucket}") |> range(start: -1h)
        |> filter(fn: (r) => r._field == "state") |> group() |> count()`)
    ).reduce((n, row) => n + Number(row['_value']), 0);

  it('connects through the Supervisor with SUPERVISOR_TOKEN, writes to InfluxDB, keeps /data, refuses all but 172.30.32.2', async () => {
    const before = await storedPoints();
    const addon = await startAddon();
    await waitFor(async () => (await storedPoints()) > before + 10, 20_000, addon.output);
    expect(supervisor.upgrades).toEqual(['/core/websocket']);
    // Only the ingress proxy is served: this test's loopback peer is not it, for any path.
    for (const path of ['/', '/health', '/metrics', '/api/entities']) {
      const res = await get(addon.port, path, { Authorization: 'Bearer anything' });
      expect([path, res.status]).toEqual([path, 403]);
      expect(res.refused).toMatch(
        /only Home Assistant's ingress proxy \(172\.30\.32\.2\) may connect, not .*127\.0\.0\.1/,
      );
    }
    // Its data lives in the data directory (the add-on's /data): the spool and the registry store.
    expect((await readdir(addon.dataDir)).sort()).toEqual(
      expect.arrayContaining(['options.json', 'registry.sqlite', 'spool']),
    );
    addon.child.kill('SIGTERM');
    await new Promise((resolve) => addon.child.once('exit', resolve));
    expect(existsSync(join(addon.dataDir, 'state-memory.json'))).toBe(true);
  });

  it('serves the status page through ingress: the proxy is let in, HA’s Host passes, X-Ingress-Path is the base', async () => {
    const addon = await startAddon({ HOMEIQ_INGRESS_PROXY: '127.0.0.1' });
    const ha = { Host: 'my-home.duckdns.org', Origin: 'https://my-home.duckdns.org' };
    await waitFor(
      async () =>
        (JSON.parse((await get(addon.port, '/health', ha)).body) as { status: string }).status === 'healthy',
      20_000,
      addon.output,
    );
    const page = await get(addon.port, '/', { ...ha, 'X-Ingress-Path': '/api/hassio_ingress/Tok3n' });
    expect(page.status).toBe(200);
    expect(page.body).toContain('<base href="/api/hassio_ingress/Tok3n/">');
    // Relative URLs only: under the base, every fetch and the WebSocket stay inside the ingress path.
    expect(page.body).not.toMatch(/fetch\('\//);
    const entities = await get(addon.port, '/api/entities?limit=5', ha);
    expect(entities.status).toBe(200);
    expect((JSON.parse(entities.body) as { count: number }).count).toBe(5);
  });

  it('refuses options.json it cannot use, naming each problem, before starting anything', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'homeiq-addon-bad-'));
    dirs.push(dataDir);
    await writeFile(join(dataDir, 'options.json'), JSON.stringify({ influxdb_url: ['x'], colour: 'red' }));
    const child = spawn(process.execPath, [ADDON_MAIN], {
      env: { PATH: process.env['PATH'] ?? '', HOMEIQ_ADDON_DATA_DIR: dataDir },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.add(child);
    let output = '';
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(code).toBe(2);
    expect(output).toContain('SUPERVISOR_TOKEN is not set');
    expect(output).toContain('option influxdb_url must be a string, a number or true/false, got a list');
    expect(output).toContain('option "colour" is not one of this add-on\'s options');
  });
});
