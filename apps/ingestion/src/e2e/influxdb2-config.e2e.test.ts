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

/**
 * A token real InfluxDB 2.8 refuses to write with (read-only: 403): `/health` says what to fix, the points wait in
 * the spool, and a restart with the right token writes every one of them.
 */
jest.setTimeout(60_000);

interface Health {
  status: string;
  reasons?: string[];
  sink: { spooled: number; written: number; last_error: { code: string; fix: string | null } | null };
}

let influx: Influxd2;
let sim: HaSim;
let service: ServiceProcess;
let dataDir: string;

beforeAll(async () => {
  influx = await startInfluxd2();
  sim = await startHaSim({ home: { entities: 30, seed: 5 } });
  dataDir = await mkdtemp(join(tmpdir(), 'homeiq-config-'));
});
afterAll(async () => {
  await service.stop('SIGKILL');
  await sim.close();
  await influx.dispose();
  await rm(dataDir, { recursive: true, force: true });
});

const count = async (): Promise<number> =>
  (
    await influx.flux(`from(bucket: "${influx.bucket}") |> range(start: 0)
      |> filter(fn: (r) => r._field == "state") |> group() |> count()`)
  ).reduce((n, r) => n + Number(r['_value']), 0);

it('a read-only token: /health names the fix, points are spooled, the right token writes them after a restart', async () => {
  const readOnly = await influx.createToken({ read: [influx.bucket] });
  const port = await getFreePort();
  const env = {
    HOME_ASSISTANT_URL: sim.url,
    HOME_ASSISTANT_TOKEN: sim.token,
    INFLUXDB_URL: influx.url,
    INFLUXDB_TOKEN: readOnly,
    INFLUXDB_ORG: influx.org,
    INFLUXDB_BUCKET: influx.bucket,
    WEBSOCKET_INGESTION_PORT: String(port),
    DATA_DIR: dataDir,
    BATCH_TIMEOUT: '0.1',
    LOG_LEVEL: 'error',
  };
  service = await startService(env, port);
  await waitSubscribed(service);
  sim.emitStateChanges(200);
  await waitFor(async () => (await service.get<Health>('/health')).sink.spooled > 0, 15_000, service.output);
  const health = await service.get<Health>('/health');
  expect(health.sink.last_error).toMatchObject({
    code: 'ERR_INFLUX_AUTH',
    fix: 'INFLUXDB_TOKEN may not write to INFLUXDB_BUCKET: give the token write access to that bucket',
  });
  expect(health.reasons?.join(' ')).toContain('to fix: INFLUXDB_TOKEN may not write');
  expect(await count()).toBe(0);
  expect(await service.stop('SIGTERM')).toBe(0);

  service = await startService({ ...env, INFLUXDB_TOKEN: influx.writeToken }, port);
  await waitFor(async () => (await count()) >= 200, 20_000, service.output);
  expect(await count()).toBe(200);
  expect((await service.get<Health>('/health')).sink.written).toBe(200);
});
