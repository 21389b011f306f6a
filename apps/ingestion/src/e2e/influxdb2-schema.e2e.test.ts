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
 * What the service stores in a real InfluxDB 2.8, read back with Flux, for both point layouts: the fields and their
 * types, and timestamps at the configured precision. A sensor whose state goes from a number to text and back must
 * not start a field type conflict (InfluxDB 2.8 answers 422 to a field whose type changes, for every later point of
 * the series): every point is stored and nothing is dropped.
 */
jest.setTimeout(60_000);

/** A sensor's states in order; `unavailable`/`unknown` are not written by the `ha` layout (as Home Assistant's). */
const STATES = ['21.5', 'unavailable', 'abc', '22.25', 'unknown', '23'];
const ALL_TIME = 'start: 1970-01-01T00:00:00Z, stop: 2262-01-01T00:00:00Z';

interface Health {
  sink: { written: number; dropped_by_reason: Record<string, number> };
}

describe.each([
  ['homeiq', 'us', 1000n, 'home_assistant_events'],
  ['ha', 'ms', 1_000_000n, undefined],
] as const)('INFLUXDB_SCHEMA=%s, INFLUXDB_PRECISION=%s', (schema, precision, unitNs, measurement) => {
  let influx: Influxd2;
  let sim: HaSim;
  let service: ServiceProcess;
  let dataDir: string;
  let entityId: string;

  beforeAll(async () => {
    influx = await startInfluxd2();
    sim = await startHaSim({ home: { entities: 30, seed: 7 } });
    dataDir = await mkdtemp(join(tmpdir(), 'homeiq-schema-'));
    const port = await getFreePort();
    service = await startService(
      {
        HOME_ASSISTANT_URL: sim.url,
        HOME_ASSISTANT_TOKEN: sim.token,
        INFLUXDB_URL: influx.url,
        INFLUXDB_TOKEN: influx.writeToken,
        INFLUXDB_ORG: influx.org,
        INFLUXDB_BUCKET: influx.bucket,
        INFLUXDB_SCHEMA: schema,
        INFLUXDB_PRECISION: precision,
        WEBSOCKET_INGESTION_PORT: String(port),
        DATA_DIR: dataDir,
        BATCH_TIMEOUT: '0.1',
        BATCH_SIZE: '1', // one point per request: a conflict would cost exactly the points that carry it
        LOG_LEVEL: 'warn',
      },
      port,
    );
    await waitSubscribed(service);
    entityId = sim.home.entityIds().find((id) => id.startsWith('sensor.')) ?? '';
    for (const state of STATES) {
      sim.setState(entityId, state, { unit_of_measurement: 'W', friendly_name: 'Probe' });
      await new Promise((resolve) => setTimeout(resolve, 30));
    }
  });

  afterAll(async () => {
    await service.stop('SIGKILL');
    await sim.close();
    await influx.dispose();
    await rm(dataDir, { recursive: true, force: true });
  });

  /** The probe's points: field, Flux type, value and epoch-ns time, in time order. */
  async function probe(): Promise<{ field: string; type: string; value: string; ns: bigint }[]> {
    const filter = measurement === undefined ? '' : `r._measurement == "${measurement}" and `;
    const tables = await influx.fluxTables(`from(bucket: "${influx.bucket}") |> range(${ALL_TIME})
      |> filter(fn: (r) => ${filter}r.entity_id == "${schema === 'ha' ? (entityId.split('.')[1] ?? '') : entityId}")
      |> filter(fn: (r) => r._field == "state" or r._field == "value")
      |> map(fn: (r) => ({ r with ns: string(v: int(v: r._time)) }))`);
    return tables
      .flatMap((t) => {
        const type = t.columns.find((c) => c.name === '_value')?.type ?? '';
        return t.rows.map((r) => ({
          field: r['_field'] ?? '',
          type,
          value: r['_value'] ?? '',
          ns: BigInt(r['ns'] ?? '0'),
        }));
      })
      .sort((a, b) => (a.ns < b.ns ? -1 : a.ns > b.ns ? 1 : a.field.localeCompare(b.field)));
  }

  it('stores every point with stable field types, at the configured precision, and drops nothing', async () => {
    const expected = schema === 'ha' ? 4 : STATES.length; // ha: unavailable and unknown are not written
    await waitFor(
      async () => new Set((await probe()).map((p) => p.ns)).size === expected,
      15_000,
      service.output,
    );
    const points = await probe();
    const fields = points.map((p) => `${p.field}:${p.type}=${p.value}`);
    if (schema === 'homeiq') {
      // `state` is always text; `value` is a float only for a numeric state.
      expect(fields).toEqual([
        'state:string=21.5',
        'value:double=21.5',
        'state:string=unavailable',
        'state:string=abc',
        'state:string=22.25',
        'value:double=22.25',
        'state:string=unknown',
        'state:string=23',
        'value:double=23',
      ]);
    } else {
      // Home Assistant's layout: `value` for a number, `state` for text.
      expect(fields).toEqual([
        'value:double=21.5',
        'state:string=abc',
        'value:double=22.25',
        'value:double=23',
      ]);
    }
    for (const p of points) {
      expect(p.ns % unitNs).toBe(0n);
      expect(Math.abs(Number(p.ns / 1_000_000n) - Date.now())).toBeLessThan(600_000);
    }
    const health = await service.get<Health>('/health');
    expect(health.sink.dropped_by_reason).toEqual({});
  });
});
