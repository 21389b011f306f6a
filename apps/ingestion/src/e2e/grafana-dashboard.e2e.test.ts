import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
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
 * Every Flux query of the provisioned Grafana dashboard (deploy/grafana/dashboards/homeiq.json), its variables'
 * included, run against a real InfluxDB 2.8 that the service filled from the simulator, with a gap filled from the
 * recorder: each returns rows. No Grafana runs here (no Docker), so the test does what Grafana does with a query:
 * it sets the `v` record Grafana's Flux datasource provides (timeRangeStart, timeRangeStop, windowPeriod,
 * defaultBucket, organization) and interpolates the dashboard variables with values their own queries returned.
 */
jest.setTimeout(90_000);

const root = resolve(__dirname, '../../../..');

interface Target {
  readonly query: string;
}
interface Dashboard {
  readonly panels: readonly {
    readonly title: string;
    readonly targets: readonly Target[];
    readonly datasource: { uid: string };
  }[];
  readonly templating: { readonly list: readonly { readonly name: string; readonly query: string }[] };
}

/** The `v` record after a query's imports (Flux wants imports first), as Grafana's datasource supplies it. */
function withGrafanaOptions(query: string, bucket: string, org: string): string {
  const lines = query.split('\n');
  const imports = lines.filter((line) => line.startsWith('import '));
  const rest = lines.filter((line) => !line.startsWith('import '));
  const v = `option v = {timeRangeStart: -1h, timeRangeStop: now(), windowPeriod: 10s, defaultBucket: "${bucket}", organization: "${org}"}`;
  return [...imports, v, ...rest].join('\n');
}

/** Grafana's `${name}` and `${name:regex}` (a multi-value variable as `(a|b)`, each value regex-escaped). */
function interpolate(query: string, values: Readonly<Record<string, readonly string[]>>): string {
  return query.replace(/\$\{(\w+)(?::(\w+))?\}/g, (_all, name: string, format: string | undefined) => {
    const chosen = values[name];
    if (chosen === undefined || chosen.length === 0)
      throw new Error(`no value for dashboard variable ${name}`);
    if (format === 'regex')
      return `(${chosen.map((s) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')).join('|')})`;
    return chosen[0] ?? '';
  });
}

describe('the Grafana dashboard', () => {
  let influx: Influxd2;
  let sim: HaSim;
  let service: ServiceProcess;
  let dataDir: string;
  let dashboard: Dashboard;

  beforeAll(async () => {
    dashboard = JSON.parse(
      await readFile(join(root, 'deploy/grafana/dashboards/homeiq.json'), 'utf8'),
    ) as Dashboard;
    influx = await startInfluxd2();
    sim = await startHaSim({ home: { entities: 80, seed: 5 } });
    dataDir = await mkdtemp(join(tmpdir(), 'homeiq-grafana-'));
    const port = await getFreePort();
    service = await startService(
      {
        HOME_ASSISTANT_URL: sim.url,
        HOME_ASSISTANT_TOKEN: sim.token,
        WEBSOCKET_INGESTION_PORT: String(port),
        DATA_DIR: dataDir,
        LOG_LEVEL: 'warn',
        INFLUXDB_URL: influx.url,
        INFLUXDB_TOKEN: influx.writeToken,
        INFLUXDB_ORG: influx.org,
        INFLUXDB_BUCKET: influx.bucket,
        BATCH_TIMEOUT: '0.1',
      },
      port,
    );
    await waitSubscribed(service);
    sim.emitStateChanges(300);
    // Everything live is stored, and the service has its baseline of every entity's state (get_states).
    await waitFor(
      async () => (await service.get<{ sink: { written: number } }>('/health')).sink.written >= 300,
      20_000,
      service.output,
    );
    // A gap: the connection dies, HA's state changes meanwhile, the service reads them back from the recorder.
    sim.pauseReading(true); // new connections are not served either: the service stays disconnected
    sim.terminateConnections();
    await waitFor(
      async () =>
        (await service.get<{ connection: { current_state: string } }>('/health')).connection.current_state !==
        'connected',
      5000,
    );
    const sensors = sim.home
      .entityIds()
      .filter((id) => id.startsWith('sensor.'))
      .slice(0, 5);
    for (const [i, id] of sensors.entries())
      for (const step of [1, 2]) sim.setState(id, String(100 + i * 10 + step));
    sim.pauseReading(false);
    const filled = (): Promise<Record<string, string>[]> =>
      influx.flux(`from(bucket: "${influx.bucket}") |> range(start: -1h)
        |> filter(fn: (r) => r._field == "backfill" and r._value == true)`);
    await waitFor(async () => (await filled()).length >= 10, 30_000, service.output);
  });

  afterAll(async () => {
    await service.stop('SIGKILL');
    await sim.close();
    await influx.dispose();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('uses the provisioned datasource in every panel, and the provisioning files name it', async () => {
    const datasource = await readFile(
      join(root, 'deploy/grafana/provisioning/datasources/influxdb.yaml'),
      'utf8',
    );
    expect(datasource).toContain('uid: homeiq-influxdb');
    expect(datasource).toContain('version: Flux');
    expect(dashboard.panels.length).toBeGreaterThanOrEqual(8);
    for (const panel of dashboard.panels)
      expect([panel.title, panel.datasource.uid]).toEqual([panel.title, 'homeiq-influxdb']);
  });

  it('every variable query and every panel query returns rows', async () => {
    const values: Record<string, string[]> = {};
    for (const variable of dashboard.templating.list) {
      const rows = await influx.flux(withGrafanaOptions(variable.query, influx.bucket, influx.org));
      expect([variable.name, rows.length > 0]).toEqual([variable.name, true]);
      values[variable.name] = rows.map((row) => row['_value'] ?? '');
    }
    // As a user would pick: a few entities, and the temperature sensors.
    values['entity'] = (values['entity'] ?? []).slice(0, 5);
    if (values['device_class']?.includes('temperature')) values['device_class'] = ['temperature'];

    const empty: string[] = [];
    for (const panel of dashboard.panels) {
      for (const target of panel.targets) {
        const query = withGrafanaOptions(interpolate(target.query, values), influx.bucket, influx.org);
        const rows = await influx.flux(query);
        if (rows.length === 0) empty.push(panel.title);
      }
    }
    expect(empty).toEqual([]);
  });

  it('counts what the service wrote: the gap-filled points are those with backfill=true or resync=true', async () => {
    const panel = dashboard.panels.find((p) => p.title === 'Gap-filled points');
    const query = withGrafanaOptions(panel?.targets[0]?.query ?? '', influx.bucket, influx.org);
    const shown = Number((await influx.flux(query))[0]?.['_value']);
    const direct = await influx.flux(`from(bucket: "${influx.bucket}") |> range(start: -1h)
      |> filter(fn: (r) => (r._field == "backfill" or r._field == "resync") and r._value == true)`);
    expect(shown).toBe(direct.length);
    expect(shown).toBeGreaterThan(0);
  });
});
