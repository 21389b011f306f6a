import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startHaSim, type HaSim } from '@homeiq/ha-sim';
import {
  getFreePort,
  startInfluxd2,
  startService,
  waitFor,
  waitSubscribed,
  type Influxd2,
  type ServiceProcess,
} from '@homeiq/testing';
import { MARKER_FILE, readImportMarker } from '../backfill/import-marker.js';

/**
 * `HA_RECORDER_IMPORT_DAYS` through the running service, as a new install uses it: the built service starts with
 * an empty DATA_DIR against the simulator (two days of recorded history) and a real InfluxDB 2.8; 10 s after it
 * connected it imports the last day up to that connection in the background, while live events keep flowing, and
 * marks it done. InfluxDB then holds exactly the recorder's rows of that day (backfill=true) and the live changes.
 * A restart imports nothing again.
 */
jest.setTimeout(120_000);

let influx: Influxd2;
let sim: HaSim;
let service: ServiceProcess;
let dataDir: string;
let env: Record<string, string>;

beforeAll(async () => {
  [influx, sim] = await Promise.all([
    startInfluxd2({ bucket: 'ha' }),
    startHaSim({ home: { entities: 30, seed: 21 }, recorder: { commitIntervalMs: 1000 } }),
  ]);
  sim.recorder?.seedHistory({ days: 2, meanIntervalMs: 600_000, seed: 5 });
  dataDir = await mkdtemp(join(tmpdir(), 'homeiq-first-import-'));
  const port = await getFreePort();
  env = {
    HOME_ASSISTANT_URL: sim.url,
    HOME_ASSISTANT_TOKEN: sim.token,
    INFLUXDB_URL: influx.url,
    INFLUXDB_TOKEN: influx.writeToken,
    INFLUXDB_ORG: influx.org,
    INFLUXDB_BUCKET: 'ha',
    INFLUXDB_PRECISION: 'us',
    HA_RECORDER_IMPORT_DAYS: '1',
    HA_RECORDER_COMMIT_INTERVAL: '1',
    BATCH_TIMEOUT: '0.1',
    WEBSOCKET_INGESTION_PORT: String(port),
    DATA_DIR: dataDir,
    LOG_LEVEL: 'info',
  };
  service = await startService(env, port);
  await waitSubscribed(service);
});

afterAll(async () => {
  const steps: (() => Promise<unknown>)[] = [
    () => service.stop('SIGKILL'),
    () => sim.close(),
    () => influx.dispose(),
    () => rm(dataDir, { recursive: true, force: true }),
  ];
  for (const step of steps)
    await Promise.resolve()
      .then(step)
      .catch(() => undefined);
});

/** `entity µs` of every `state` point, and whether it is marked backfill. */
async function points(): Promise<{ key: string; backfill: boolean }[]> {
  const rows = await influx.flux(
    `from(bucket: "ha") |> range(start: 0) |> filter(fn: (r) => r._field == "state" or r._field == "backfill") |> pivot(rowKey: ["_time", "entity_id"], columnKey: ["_field"], valueColumn: "_value") |> group() |> keep(columns: ["_time", "entity_id", "backfill"])`,
  );
  return rows.map((r) => {
    const [base, fraction = ''] = (r['_time'] ?? '').replace('Z', '').split('.');
    const us = Date.parse(`${base ?? ''}Z`) * 1000 + Number(fraction.padEnd(6, '0').slice(0, 6));
    return { key: `${r['entity_id'] ?? ''} ${us}`, backfill: r['backfill'] === 'true' };
  });
}

it('imports the last day up to its first connection once, in the background, beside the live stream', async () => {
  // Live changes before and while the import runs: they are written live, not held up.
  expect(sim.emitStateChanges(100)).toBe(100);
  await waitFor(async () => (await points()).length >= 100, 15_000, service.output);
  await waitFor(() => existsSync(join(dataDir, MARKER_FILE)), 60_000, service.output);
  const marker = await readImportMarker(dataDir);
  expect(marker).toBeDefined();
  const sinceUs = marker?.sinceUs ?? 0;
  const untilUs = marker?.untilUs ?? 0;
  expect(untilUs - sinceUs).toBe(86_400_000_000);
  const recorded = sim.home
    .entityIds()
    .flatMap((id) => (sim.recorder?.history(id) ?? []).map((row) => ({ id, us: row.lastUpdatedMicros })));
  const expectedImport = recorded
    .filter(({ us }) => us > sinceUs && us < untilUs)
    .map(({ id, us }) => `${id} ${us}`)
    .sort();
  expect(marker?.rowsWritten).toBe(expectedImport.length);
  expect(expectedImport.length).toBeGreaterThan(1000);
  const stored = await points();
  const imported = stored.filter((p) => p.backfill).map((p) => p.key);
  expect([...imported].sort()).toEqual(expectedImport);
  // After the first connection: every live change, none marked.
  const live = stored.filter((p) => !p.backfill);
  expect(live).toHaveLength(recorded.filter(({ us }) => us > untilUs).length);

  // A restart of the same install imports nothing again.
  await service.stop('SIGTERM');
  const port = await getFreePort();
  service = await startService({ ...env, WEBSOCKET_INGESTION_PORT: String(port) }, port);
  await waitSubscribed(service);
  await new Promise((done) => setTimeout(done, 12_000));
  expect(service.output()).not.toMatch(/import/i);
  expect((await points()).filter((p) => p.backfill)).toHaveLength(expectedImport.length);
});
