import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startHaSim, type HaSim } from '@homeiq/ha-sim';
import {
  getFreePort,
  influxServerBinary,
  runService,
  startInfluxd,
  startInfluxd2,
  startService,
  waitFor,
  waitSubscribed,
  type ServiceProcess,
} from '@homeiq/testing';
import WebSocket from 'ws';

/**
 * The built service as a real process, against the HA simulator and each real InfluxDB the README promises:
 * InfluxDB 2.8.0 on the default `INFLUXDB_API_VERSION=2` path (gzip, org, bucket, a token that may only write that
 * bucket); InfluxDB 1.8.10 through the same v2 API (`Token user:password`, bucket `db/rp`, auth enabled); and
 * InfluxDB 1.6.7's 1.x `/write`. What HA sends is what InfluxDB holds, and `/health`, `/metrics` and `/api` say
 * what happened.
 */
jest.setTimeout(60_000);

interface Health {
  status: string;
  connection: { current_state: string; successful_connections: number; gaps_resynced: number };
  subscription: { is_subscribed: boolean; total_events_received: number };
  sink: { written: number; pending: number; dropped_by_reason: Record<string, number> };
  discovery: { devices: number; entities: number; areas: number };
}

/** A real InfluxDB with database (or bucket) `ha`: the service's variables for it, and InfluxQL reads. */
interface Backend {
  readonly env: Record<string, string>;
  select(q: string, db: string): Promise<Record<string, unknown>[]>;
  dispose(): Promise<void>;
}

const BACKENDS: Record<string, () => Promise<Backend>> = {
  'InfluxDB 2.8.0, v2 API': async () => {
    const influx = await startInfluxd2({ bucket: 'ha' });
    const env = {
      INFLUXDB_URL: influx.url,
      INFLUXDB_TOKEN: influx.writeToken,
      INFLUXDB_ORG: influx.org,
      INFLUXDB_BUCKET: 'ha',
    };
    return { env, select: (q, db) => influx.select(q, db), dispose: () => influx.dispose() };
  },
  'InfluxDB 1.8.10, v2 API': async () => {
    const admin = { username: 'homeiq', password: 'e2e-password' };
    const influx = await startInfluxd({ binary: influxServerBinary('1.8'), admin });
    await influx.query('CREATE DATABASE ha');
    const env = {
      INFLUXDB_URL: influx.url,
      INFLUXDB_TOKEN: 'homeiq:e2e-password',
      INFLUXDB_BUCKET: 'ha/autogen',
    };
    return { env, select: (q, db) => influx.select(q, db), dispose: () => influx.dispose() };
  },
  'InfluxDB 1.6.7, 1.x /write': async () => {
    const influx = await startInfluxd();
    await influx.query('CREATE DATABASE ha');
    const env = { INFLUXDB_URL: influx.url, INFLUXDB_API_VERSION: '1', INFLUXDB_DATABASE: 'ha' };
    return { env, select: (q, db) => influx.select(q, db), dispose: () => influx.dispose() };
  },
};

describe.each(Object.keys(BACKENDS))('the service end to end (%s)', (name) => {
  let influxd: Backend;
  let sim: HaSim;
  let service: ServiceProcess;
  let dataDir: string;
  let env: Record<string, string>;
  let port: number;

  const count = async (): Promise<number> => {
    const rows = await influxd.select('SELECT count(state) FROM home_assistant_events', 'ha');
    return Number(rows[0]?.['count'] ?? 0);
  };

  beforeAll(async () => {
    const start = BACKENDS[name];
    if (!start) throw new Error(`no backend ${name}`);
    influxd = await start();
    const sink = influxd.env;
    // HA's recorder commits every second here (HA's default is 5 s); the service is told so.
    sim = await startHaSim({ home: { entities: 80, seed: 11 }, recorder: { commitIntervalMs: 1000 } });
    dataDir = await mkdtemp(join(tmpdir(), 'homeiq-e2e-'));
    port = await getFreePort();
    env = {
      HOME_ASSISTANT_URL: sim.url,
      HOME_ASSISTANT_TOKEN: sim.token,
      ...sink,
      WEBSOCKET_INGESTION_PORT: String(port),
      DATA_DIR: dataDir,
      BATCH_TIMEOUT: '0.1',
      HA_RECORDER_COMMIT_INTERVAL: '1',
      LOG_LEVEL: 'warn',
    };
    service = await startService(env, port);
    await waitSubscribed(service);
  });

  afterAll(async () => {
    // Every step runs even when beforeAll failed part way and left some of these unset: a simulator still
    // listening or an influxd still running would keep jest from exiting (CI would hang instead of failing).
    const errors: unknown[] = [];
    const steps: (() => Promise<unknown> | undefined)[] = [
      () => service.stop('SIGKILL'),
      () => sim.close(),
      () => influxd.dispose(),
      () => rm(dataDir, { recursive: true, force: true }),
    ];
    for (const step of steps) {
      await Promise.resolve()
        .then(step)
        .catch((error: unknown) => errors.push(error));
    }
    if (errors.length > 0) throw errors[0];
  });

  it('writes every event HA sends, once, with its tags and fields', async () => {
    const sent = sim.emitStateChanges(500);
    expect(sent).toBe(500);
    await waitFor(async () => (await count()) >= 500, 15_000, service.output);
    expect(await count()).toBe(500);

    const entityId = sim.home.entityIds().find((id) => id.startsWith('sensor.'))!;
    expect(
      sim.setState(entityId, '1234.5', { unit_of_measurement: 'W', friendly_name: 'Probe "power"' }),
    ).toBe(true);
    await waitFor(async () => (await count()) === 501, 10_000);
    const [row] = await influxd.select(
      `SELECT * FROM home_assistant_events WHERE entity_id = '${entityId}' ORDER BY time DESC LIMIT 1`,
      'ha',
    );
    expect(row).toMatchObject({
      domain: 'sensor',
      entity_id: entityId,
      state: '1234.5',
      value: 1234.5,
      unit_of_measurement: 'W',
      friendly_name: 'Probe "power"',
    });
  });

  it("tags points with the registries' device and area (the entity's own area, else its device's)", async () => {
    const areaOf = (deviceId: string | null) =>
      sim.home.areas.find((a) => a.area_id === sim.home.devices.find((d) => d.id === deviceId)?.area_id);
    const entry = sim.home.entities.find(
      (e) => e.area_id === null && e.disabled_by === null && areaOf(e.device_id) !== undefined,
    );
    const area = areaOf(entry?.device_id ?? null);
    expect(area).toBeDefined();
    const entityId = entry!.entity_id;
    const before = await count();
    sim.setState(entityId, sim.home.getState(entityId)!.state === 'on' ? 'off' : 'on');
    await waitFor(async () => (await count()) === before + 1, 10_000, service.output);
    const [row] = await influxd.select(
      `SELECT * FROM home_assistant_events WHERE entity_id = '${entityId}' ORDER BY time DESC LIMIT 1`,
      'ha',
    );
    expect(row).toMatchObject({ device_id: entry!.device_id, area_id: area!.area_id, area: area!.name });
  });

  it('serves the registries discovered from HA on /api', async () => {
    const entities = await service.get<{ entities: { entity_id: string }[]; count: number }>(
      '/api/entities?limit=10000',
    );
    expect(entities.count).toBe(sim.home.entities.length);
    expect(entities.entities.map((e) => e.entity_id).sort()).toEqual(
      sim.home.entities.map((e) => e.entity_id).sort(),
    );
    const devices = await service.get<{ count: number }>('/api/devices?limit=1000');
    expect(devices.count).toBe(sim.home.devices.length);
    const areas = await service.get<{ areas: unknown[] }>('/api/areas');
    expect(areas.areas).toHaveLength(sim.home.areas.length);
  });

  it("fills a disconnect from HA's recorder: every change, chained, once, marked backfill", async () => {
    const before = await count();
    const entityId = sim.home.entityIds().find((id) => id.startsWith('light.'))!;
    const first = sim.home.getState(entityId)!.state;
    const other = first === 'on' ? 'off' : 'on';
    sim.pauseReading(true); // new connections are not served either: the service stays disconnected
    sim.terminateConnections();
    await waitFor(
      async () => (await service.get<Health>('/health')).connection.current_state !== 'connected',
      5000,
    );
    // Nobody is subscribed: these changes reach no one live; only the recorder keeps them.
    for (const value of [other, first, other]) sim.setState(entityId, value);
    sim.pauseReading(false);
    await waitFor(
      async () => (await service.get<Health>('/health')).connection.gaps_resynced >= 1,
      15_000,
      service.output,
    );
    await waitFor(async () => (await count()) === before + 3, 15_000, service.output);
    const rows = await influxd.select(
      `SELECT previous_state, state, backfill, resync, context_id FROM home_assistant_events WHERE entity_id = '${entityId}' ORDER BY time DESC LIMIT 3`,
      'ha',
    );
    expect(
      rows
        .reverse()
        .map((r) => [r['previous_state'], r['state'], r['backfill'], r['resync'], r['context_id']]),
    ).toEqual([
      [first, other, true, null, null],
      [other, first, true, null, null],
      [first, other, true, null, null],
    ]);
  });

  it('reports what happened on /health and /metrics', async () => {
    const health = await service.get<Health>('/health');
    const rows = await count();
    expect(health).toMatchObject({
      status: 'healthy',
      connection: { current_state: 'connected', successful_connections: 2 },
      sink: { written: rows, pending: 0, dropped_by_reason: {} },
      discovery: { entities: sim.home.entities.length, devices: sim.home.devices.length },
    });
    expect(health.subscription.total_events_received).toBe(rows - 3); // the recorded changes were not received live
    // A live-stream subscribe over a bound is refused and counted on /metrics.
    const refused = new WebSocket(`${service.url.replace(/^http/, 'ws')}/ws`);
    await new Promise((resolve) => refused.once('open', resolve));
    const closed = new Promise<number>((resolve) =>
      refused.once('close', (code) => {
        resolve(code);
      }),
    );
    refused.send(JSON.stringify({ type: 'subscribe', entity_globs: Array.from({ length: 17 }, () => 'x*') }));
    expect(await closed).toBe(1008);
    const metrics = await (await fetch(`${service.url}/metrics`)).text();
    expect(metrics).toContain('homeiq_ws_filters_refused_total{service="websocket-ingestion"} 1');
    expect(metrics).toContain(`homeiq_points_written_total{service="websocket-ingestion"} ${rows}`);
    expect(metrics).toContain('homeiq_ha_reconnects_total{service="websocket-ingestion"} 1');
    expect(metrics).toContain('homeiq_backfill_points_total{service="websocket-ingestion"} 3');
    expect(metrics).toContain('homeiq_resync_points_total{service="websocket-ingestion"} 0');
    expect(metrics).toMatch(
      /homeiq_influx_write_duration_seconds_count\{service="websocket-ingestion"\} [1-9]/,
    );
    // Both breakers report one set of state names, connected and writing: closed.
    for (const breaker of ['ha', 'influx']) {
      for (const [state, value] of [
        ['closed', 1],
        ['open', 0],
        ['half_open', 0],
      ] as const) {
        expect(metrics).toMatch(
          new RegExp(`homeiq_${breaker}_circuit_state\\{[^}]*state="${state}"[^}]*\\} ${value}\n`),
        );
      }
    }
    expect(JSON.stringify(health) + metrics).not.toContain(sim.token);
  });

  it('flushes a backlog to InfluxDB on SIGTERM and exits 0', async () => {
    const before = await count();
    const received = (await service.get<Health>('/health')).subscription.total_events_received;
    expect(sim.emitStateChanges(2000)).toBe(2000);
    let health: Health | undefined;
    await waitFor(
      async () => {
        health = await service.get<Health>('/health');
        return health.subscription.total_events_received >= received + 2000;
      },
      20_000,
      () => `${JSON.stringify(health)}\n${service.output()}`,
    );
    expect(await service.stop('SIGTERM')).toBe(0);
    expect(await count()).toBe(before + 2000);
  });

  it('after a restart, fills what changed and what was removed while it was stopped from the recorder', async () => {
    // The previous test stopped the service; what it last saw is in DATA_DIR/state-memory.json.
    const before = await count();
    const [changed, removed] = sim.home.entityIds().filter((id) => id.startsWith('light.'));
    const flipped = sim.home.getState(changed!)!.state === 'on' ? 'off' : 'on';
    sim.setState(changed!, flipped); // nobody is subscribed: these events reach no one
    sim.home.removeEntity(removed!);
    expect(service.running).toBe(false); // the previous test stopped it: it is not still subscribed
    service = await startService(env, port);
    await waitFor(
      async () => (await service.get<Health>('/health')).connection.gaps_resynced === 1,
      15_000,
      service.output,
    );
    await waitFor(async () => (await count()) === before + 2, 10_000, service.output);
    const rows = await influxd.select(
      `SELECT entity_id, state, backfill FROM home_assistant_events WHERE entity_id = '${changed!}' OR entity_id = '${removed!}' ORDER BY time DESC LIMIT 2`,
      'ha',
    );
    expect(rows.map((r) => [r['entity_id'], r['state'], r['backfill']]).sort()).toEqual(
      [
        [changed, flipped, true],
        [removed, '<removed>', true],
      ].sort(),
    );
  });
});

describe('bad configuration', () => {
  it('stops before connecting anywhere, listing every problem, with exit code 2', async () => {
    const { code, output } = await runService({ BATCH_SIZE: '0', INFLUXDB_OVERFLOW_STRATEGY: 'explode' });
    expect(code).toBe(2);
    expect(output).toContain('HOME_ASSISTANT_URL is required');
    expect(output).toContain('HOME_ASSISTANT_TOKEN is required');
    expect(output).toContain('BATCH_SIZE must be >= 1, got "0"');
    expect(output).toContain('INFLUXDB_OVERFLOW_STRATEGY must be one of spill, drop_oldest, drop_new');
  });
});
