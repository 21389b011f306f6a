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
import { chromium, type Browser } from 'playwright-core';

/**
 * The status page in a real headless Chromium (Debian's `chromium`; `.ci/run` installs it): it loads, shows the
 * connection as connected, and renders events from `/ws` as the simulator emits them, while the service writes
 * them to a real InfluxDB 2.8 (what the page shows is what InfluxDB holds).
 */
jest.setTimeout(60_000);

const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';

describe('status page', () => {
  let sim: HaSim;
  let influx: Influxd2;
  let service: ServiceProcess;
  let browser: Browser;
  let dataDir: string;

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) {
      throw new Error(`No Chromium at ${CHROMIUM}: apt-get install chromium, or set CHROMIUM_PATH`);
    }
    influx = await startInfluxd2();
    sim = await startHaSim({ home: { entities: 40, seed: 3 } });
    dataDir = await mkdtemp(join(tmpdir(), 'homeiq-page-'));
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
    // The page's "connected" comes before HA confirmed the subscription; events are only sent after it.
    await waitSubscribed(service);
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  });

  afterAll(async () => {
    await browser.close();
    await service.stop('SIGKILL');
    await sim.close();
    await influx.dispose();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('shows the connection and renders live events as the simulator emits them', async () => {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(service.url + '/');
    await page.locator('#connection', { hasText: 'connected' }).waitFor({ timeout: 10_000 });
    await page.locator('#live', { hasText: 'live' }).waitFor({ timeout: 10_000 });
    // No gap yet: the recorder card says so, with the total it has filled.
    await page.locator('#backfill', { hasText: '0 changes' }).waitFor({ timeout: 10_000 });
    expect(await page.locator('#lastgap').textContent()).toBe('no gap yet');

    const entityId = sim.home.entityIds().find((id) => id.startsWith('sensor.'))!;
    sim.setState(entityId, '42.25');
    const row = page.locator('#events tr', { hasText: entityId }).first();
    await row.waitFor({ timeout: 10_000 });
    expect(await row.locator('td').nth(2).textContent()).toBe('42.25');
    const stored = (): Promise<Record<string, string>[]> =>
      influx.flux(`from(bucket: "${influx.bucket}") |> range(start: 0)
        |> filter(fn: (r) => r.entity_id == "${entityId}" and r._field == "state" and r._value == "42.25")`);
    await waitFor(async () => (await stored()).length === 1, 10_000, service.output);

    sim.emitStateChanges(30);
    // A string: it runs in the page, whose DOM types this Node project does not load.
    await page.waitForFunction("document.querySelectorAll('#events tr').length >= 20", undefined, {
      timeout: 10_000,
    });
    await page.screenshot({ path: join(tmpdir(), 'homeiq-status-page.png'), fullPage: true });
    expect(errors).toEqual([]);
  });
});
