import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startHaSim, type HaSim } from '@homeiq/ha-sim';
import {
  getFreePort,
  startInfluxDb3Fake,
  startService,
  waitFor,
  waitSubscribed,
  type InfluxDb3Fake,
  type ServiceProcess,
} from '@homeiq/testing';

/**
 * `INFLUXDB_API_VERSION=3` end to end, against the contract fake of InfluxDB 3's `/api/v3/write_lp` (written from
 * its documentation: no InfluxDB 3 server can be installed here, so this is not a test against a real server).
 */
jest.setTimeout(60_000);

let fake: InfluxDb3Fake;
let sim: HaSim;
let service: ServiceProcess;
let dataDir: string;

beforeAll(async () => {
  fake = await startInfluxDb3Fake();
  sim = await startHaSim({ home: { entities: 30, seed: 9 } });
  dataDir = await mkdtemp(join(tmpdir(), 'homeiq-v3-'));
  const port = await getFreePort();
  service = await startService(
    {
      HOME_ASSISTANT_URL: sim.url,
      HOME_ASSISTANT_TOKEN: sim.token,
      INFLUXDB_URL: fake.url,
      INFLUXDB_API_VERSION: '3',
      INFLUXDB_TOKEN: fake.token,
      INFLUXDB_DATABASE: 'home',
      WEBSOCKET_INGESTION_PORT: String(port),
      DATA_DIR: dataDir,
      BATCH_TIMEOUT: '0.1',
      LOG_LEVEL: 'warn',
    },
    port,
  );
  await waitSubscribed(service);
});
afterAll(async () => {
  await service.stop('SIGKILL');
  await sim.close();
  await fake.close();
  await rm(dataDir, { recursive: true, force: true });
});

it('writes every event through /api/v3/write_lp, each line once', async () => {
  expect(sim.emitStateChanges(300)).toBe(300);
  const total = (): number => [...fake.stored.values()].reduce((a, b) => a + b, 0);
  await waitFor(() => total() >= 300, 15_000, service.output);
  expect(total()).toBe(300);
  expect([...fake.stored.values()].every((n) => n === 1)).toBe(true);
  expect([...fake.stored.keys()].every((l) => l.startsWith('home_assistant_events,'))).toBe(true);
});
