import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startHaSim, type HaSim } from '@homeiq/ha-sim';
import {
  getFreePort,
  startFaultProxy,
  startInfluxd2,
  startService,
  waitFor,
  waitSubscribed,
  type FaultProxy,
  type Influxd2,
  type ServiceProcess,
} from '@homeiq/testing';

/**
 * Points the queue dropped after they reached the service become a hole the recorder fills (gap-resync.ts
 * `linesLost`): the built service, the HA simulator with its recorder and a real InfluxDB 2.8 behind a proxy
 * that answers 503 for a while. Memory holds 200 points and no spool (`drop_oldest`), so a burst of 1,500
 * changes during the outage loses most of them to `overflow`; once InfluxDB accepts writes again and the queue
 * is empty, every dropped change is read back, marked `backfill=true`, and InfluxDB holds exactly the recorder's
 * rows of the burst, once each.
 */
jest.setTimeout(120_000);

interface Health {
  sink: { dropped_by_reason: Record<string, number> };
  backfill: {
    lost: {
      holes_filled: number;
      points_recovered: number;
      points_unrecovered: number;
      pending_points: number;
      last_hole: { points_lost: number | null; points_recovered: number } | null;
    };
  };
}

let influx: Influxd2;
let proxy: FaultProxy;
let sim: HaSim;
let service: ServiceProcess;
let dataDir: string;

beforeAll(async () => {
  influx = await startInfluxd2({ bucket: 'ha' });
  proxy = await startFaultProxy({ target: influx.url });
  sim = await startHaSim({ home: { entities: 60, seed: 15 }, recorder: { commitIntervalMs: 1000 } });
  dataDir = await mkdtemp(join(tmpdir(), 'homeiq-dropped-'));
  const port = await getFreePort();
  service = await startService(
    {
      HOME_ASSISTANT_URL: sim.url,
      HOME_ASSISTANT_TOKEN: sim.token,
      INFLUXDB_URL: proxy.url,
      INFLUXDB_TOKEN: influx.writeToken,
      INFLUXDB_ORG: influx.org,
      INFLUXDB_BUCKET: 'ha',
      INFLUXDB_PRECISION: 'us',
      INFLUXDB_OVERFLOW_STRATEGY: 'drop_oldest',
      INFLUXDB_MAX_PENDING_POINTS: '200',
      BATCH_SIZE: '100',
      BATCH_TIMEOUT: '0.1',
      HA_RECORDER_COMMIT_INTERVAL: '1',
      WEBSOCKET_INGESTION_PORT: String(port),
      DATA_DIR: dataDir,
      LOG_LEVEL: 'info',
    },
    port,
  );
  await waitSubscribed(service);
});

afterAll(async () => {
  const steps: (() => Promise<unknown>)[] = [
    // Each step runs even when beforeAll failed part way (an unset one throws, caught below).
    () => service.stop('SIGKILL'),
    () => sim.close(),
    () => proxy.close(),
    () => influx.dispose(),
    () => rm(dataDir, { recursive: true, force: true }),
  ];
  for (const step of steps)
    await Promise.resolve()
      .then(step)
      .catch(() => undefined);
});

/** Every `state` InfluxDB holds from `sinceMs`: `entity µs backfill` per point. */
async function stored(sinceMs: number): Promise<{ key: string; backfill: boolean }[]> {
  const rows = await influx.flux(
    `from(bucket: "ha") |> range(start: ${new Date(sinceMs).toISOString()}) |> filter(fn: (r) => r._field == "state" or r._field == "backfill") |> pivot(rowKey: ["_time", "entity_id"], columnKey: ["_field"], valueColumn: "_value") |> group() |> keep(columns: ["_time", "entity_id", "backfill"])`,
  );
  return rows.map((r) => {
    const [base, fraction = ''] = (r['_time'] ?? '').replace('Z', '').split('.');
    const us = Date.parse(`${base ?? ''}Z`) * 1000 + Number(fraction.padEnd(6, '0').slice(0, 6));
    return { key: `${r['entity_id'] ?? ''} ${us}`, backfill: r['backfill'] === 'true' };
  });
}

it('reads the points dropped during an InfluxDB outage back from the recorder, once each', async () => {
  const startMs = Date.now();
  proxy.inject({ status: 503, times: 1_000_000 });
  // The burst: memory (200 points) overflows, the oldest are dropped and counted.
  expect(sim.emitStateChanges(1500)).toBe(1500);
  await waitFor(
    async () => ((await service.get<Health>('/health')).sink.dropped_by_reason['overflow'] ?? 0) > 1000,
    20_000,
    service.output,
  );
  const during = await service.get<Health>('/health');
  expect(during.backfill.lost.pending_points).toBeGreaterThan(1000);
  expect(during.backfill.lost.holes_filled).toBe(0);
  proxy.clearFaults();
  await waitFor(
    async () => {
      const health = await service.get<Health>('/health');
      return health.backfill.lost.holes_filled >= 1 && health.backfill.lost.pending_points === 0;
    },
    90_000,
    service.output,
  );
  const endMs = Date.now();
  const health = await service.get<Health>('/health');
  const dropped = health.sink.dropped_by_reason['overflow'] ?? 0;
  const rows = await stored(startMs);
  // Everything the recorder kept of the burst (entities it removed included), each change once; the dropped
  // ones marked backfill.
  const ids = new Set([...sim.home.entityIds(), ...rows.map((r) => r.key.split(' ')[0] ?? '')]);
  const expected = [...ids]
    .flatMap((id) => (sim.recorder?.history(id) ?? []).map((row) => ({ id, us: row.lastUpdatedMicros })))
    .filter(({ us }) => us >= startMs * 1000 && us <= endMs * 1000)
    .map(({ id, us }) => `${id} ${us}`)
    .sort();
  expect(health.backfill.lost).toMatchObject({ points_recovered: dropped, points_unrecovered: 0 });
  expect(expected.length).toBeGreaterThanOrEqual(1500);
  expect(rows.map((r) => r.key).sort()).toEqual(expected);
  expect(rows.filter((r) => r.backfill)).toHaveLength(dropped);
  const metrics = await (await fetch(`${service.url}/metrics`)).text();
  expect(metrics).toMatch(new RegExp(`^homeiq_backfill_lost_recovered_total(\\{[^}]*\\})? ${dropped}$`, 'm'));
  expect(metrics).toMatch(/^homeiq_backfill_lost_pending(\{[^}]*\})? 0$/m);
  expect(service.output()).toMatch(/read \d+ dropped points back from the recorder/);
});
