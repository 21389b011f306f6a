import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startHaSim, type HaSim, type StreamHandle } from '@homeiq/ha-sim';
import {
  getFreePort,
  startInfluxd2,
  startService,
  waitFor,
  waitSubscribed,
  type Influxd2,
  type ServiceProcess,
} from '@homeiq/testing';
import { chromium, type Browser, type Page } from 'playwright-core';

/**
 * The status page in a real headless Chromium (Debian's `chromium`; `.ci/run` installs it), with the API guarded
 * by INGESTION_API_TOKEN and the page opened as `/?token=…`: it shows the connection, renders events from `/ws`
 * while the service writes them to a real InfluxDB 2.8 (what the page shows is what InfluxDB holds), draws its
 * charts from `/metrics` with data, charts a picked entity's live values, browses the registry through `/api/*`,
 * and a screenshot of it is not blank (checked by its pixels, against a blank page that the same check refuses).
 */
jest.setTimeout(90_000);

const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
const TOKEN = 'page-test-token';

describe('status page', () => {
  let sim: HaSim;
  let stream: StreamHandle | undefined;
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
        INGESTION_API_TOKEN: TOKEN,
      },
      port,
    );
    // The page's "connected" comes before HA confirmed the subscription; events are only sent after it.
    await waitSubscribed(service);
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  });

  afterEach(() => {
    stream?.stop();
    stream = undefined;
  });

  afterAll(async () => {
    await browser.close();
    await service.stop('SIGKILL');
    await sim.close();
    await influx.dispose();
    await rm(dataDir, { recursive: true, force: true });
  });

  async function open(path: string): Promise<{ page: Page; errors: string[] }> {
    const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(service.url + path);
    return { page, errors };
  }

  /** The `L` segments of an SVG path's `d`: how many lines it draws. */
  async function segments(page: Page, selector: string): Promise<number> {
    const d = (await page.locator(selector).getAttribute('d')) ?? '';
    return (d.match(/L/g) ?? []).length;
  }

  it('shows the connection and renders live events as the simulator emits them', async () => {
    const { page, errors } = await open(`/?token=${TOKEN}`);
    await page.locator('#connection', { hasText: 'connected' }).waitFor({ timeout: 10_000 });
    await page.locator('#live', { hasText: 'live' }).waitFor({ timeout: 10_000 });
    // No gap yet: the recorder card says so, with the total it has filled.
    await page.locator('#backfill', { hasText: '0 changes' }).waitFor({ timeout: 10_000 });
    expect(await page.locator('#lastgap').textContent()).toBe('no gap yet');
    expect(await page.locator('#influx-hint').isHidden()).toBe(true);

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
    expect(errors).toEqual([]);
    await page.close();
  });

  it('draws every chart with data from its first seconds', async () => {
    stream = sim.stream({ ratePerSecond: 20 });
    const { page, errors } = await open(`/?token=${TOKEN}`);
    // One reading a second: by the fourth, every series has three segments (a rate needs two readings).
    for (const chart of ['chart-rate', 'chart-queue', 'chart-reconnects', 'chart-gaps']) {
      await waitFor(async () => (await segments(page, `#${chart} path.s0`)) >= 3, 15_000);
    }
    expect(await segments(page, '#chart-rate path.s1')).toBeGreaterThanOrEqual(3);
    // The simulator sends 20 events/s, and the service writes them: both lines are above the floor.
    await waitFor(async () => {
      const legend = (await page.locator('#chart-rate .legend').textContent()) ?? '';
      const [received, written] = [...legend.matchAll(/(\d+\.\d)/g)].map((m) => Number(m[1]));
      return (received ?? 0) > 0 && (written ?? 0) > 0;
    }, 10_000);
    // Writes of 0.1 s batches finish every second, so the mean write time has points.
    await waitFor(async () => (await segments(page, '#chart-latency path.s0')) >= 1, 10_000);
    expect(await page.locator('#chart-rate .span').textContent()).toMatch(/^last \d+ s$/);
    expect(errors).toEqual([]);
    await page.close();

    // A page opened now starts with the service's samples of the last seconds (/status/history), not empty: more
    // segments than its own one-a-second readings could draw in the first second and a half.
    const history = (await (await fetch(service.url + '/status/history')).json()) as { samples: unknown[] };
    const kept = history.samples.length;
    expect(kept).toBeGreaterThanOrEqual(4);
    const late = await open(`/?token=${TOKEN}`);
    const opened = Date.now();
    await waitFor(async () => (await segments(late.page, '#chart-queue path.s0')) >= kept, 1_500);
    expect(Date.now() - opened).toBeLessThan(1_500);
    await late.page.close();
  });

  it('charts the live values of an entity picked from the searchable list', async () => {
    const { page, errors } = await open(`/?token=${TOKEN}`);
    // The registry lists every entity; the list offers the numeric ones (sensor, number, …) before any value.
    await page.locator('#registry-summary', { hasText: 'entities' }).waitFor({ timeout: 10_000 });
    const entityId = sim.home.entityIds().find((id) => id.startsWith('sensor.'))!;
    await page.locator('#entity-search').fill(entityId.slice('sensor.'.length));
    const choice = page.locator(`#entity-results li[data-entity-id="${entityId}"]`);
    await choice.waitFor({ timeout: 10_000 });
    await choice.click();
    await page.locator('#value-title', { hasText: entityId }).waitFor();
    for (const value of ['10', '12.5', '11']) {
      sim.setState(entityId, value);
      await page.locator('#value-last', { hasText: `now ${value}` }).waitFor({ timeout: 10_000 });
    }
    expect(await segments(page, '#value-path')).toBeGreaterThanOrEqual(2);
    expect(await page.locator('#value-range').textContent()).toMatch(/^min 10 · max 12\.5 · \d+ changes$/);
    // Another word narrows the list: only ids and names containing both words are offered.
    await page.locator('#entity-search').fill('zzz-no-such-entity');
    await waitFor(async () => (await page.locator('#entity-results li').count()) === 0, 5_000);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('browses the registry: areas, their devices, their entities', async () => {
    const { page, errors } = await open(`/?token=${TOKEN}`);
    const api = (await (
      await fetch(service.url + '/api/areas', { headers: { authorization: `Bearer ${TOKEN}` } })
    ).json()) as { areas: { name: string }[]; count: number };
    await page.locator('#registry-summary', { hasText: `${api.count} areas` }).waitFor({ timeout: 10_000 });
    const first = page.locator('#registry > details').first();
    expect(await first.locator('summary b').textContent()).toBe(api.areas[0]?.name);
    await first.locator('summary').first().click();
    const device = first.locator('details').first();
    await device.locator('summary').click();
    const entity = device.locator('.entity').first();
    const entityId = await entity.getAttribute('data-entity-id');
    expect(entityId).toMatch(/^[a-z_]+\.[a-z0-9_]+$/);
    // Every entity shown is one the API lists, in the area the API gives it.
    const listed = (await (
      await fetch(service.url + `/api/entities?limit=10000`, {
        headers: { authorization: `Bearer ${TOKEN}` },
      })
    ).json()) as { entities: { entity_id: string }[] };
    const shown = await page
      .locator('#registry .entity')
      .evaluateAll((els) =>
        els.map((el) => (el as unknown as { dataset: { entityId: string } }).dataset.entityId),
      );
    expect(new Set(shown)).toEqual(new Set(listed.entities.map((e) => e.entity_id)));
    expect(errors).toEqual([]);
    await page.close();
  });

  it('without ?token= says the API needs it (the guard holds), and still shows health and charts', async () => {
    const { page, errors } = await open('/');
    await page.locator('#registry-summary', { hasText: 'needs the token' }).waitFor({ timeout: 10_000 });
    await page.locator('#connection', { hasText: 'connected' }).waitFor({ timeout: 10_000 });
    await waitFor(async () => (await segments(page, '#chart-rate path.s0')) >= 2, 10_000);
    // No events without the token: /ws refuses the upgrade.
    expect(await page.locator('#live').textContent()).not.toBe('live');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('without InfluxDB says so and how to get one, and that the service is degraded', async () => {
    const spoolDir = await mkdtemp(join(tmpdir(), 'homeiq-page-spool-'));
    const port = await getFreePort();
    const spooling = await startService(
      {
        HOME_ASSISTANT_URL: sim.url,
        HOME_ASSISTANT_TOKEN: sim.token,
        WEBSOCKET_INGESTION_PORT: String(port),
        DATA_DIR: spoolDir,
        LOG_LEVEL: 'warn',
      },
      port,
    );
    try {
      const page = await browser.newPage();
      await page.goto(spooling.url + '/');
      const hint = page.locator('#influx-hint');
      await hint.waitFor({ state: 'visible', timeout: 10_000 });
      expect(await hint.textContent()).toMatch(
        /No InfluxDB is configured[\s\S]*npm run influx:install[\s\S]*apt-get install influxdb/,
      );
      await page.locator('#status', { hasText: 'degraded' }).waitFor({ timeout: 10_000 });
      expect(await page.locator('#reasons').textContent()).toContain('INFLUXDB_URL is not set');
      await page.close();
    } finally {
      await spooling.stop('SIGKILL');
      await rm(spoolDir, { recursive: true, force: true });
    }
  });

  it('is not blank: a screenshot has varied pixels, where a blank page has none', async () => {
    stream = sim.stream({ ratePerSecond: 20 });
    const { page } = await open(`/?token=${TOKEN}`);
    await waitFor(async () => (await segments(page, '#chart-rate path.s0')) >= 3, 15_000);
    await page.locator('#registry > details').first().waitFor({ timeout: 10_000 });
    const shot = await page.screenshot({ fullPage: true });
    await page.screenshot({ path: join(tmpdir(), 'homeiq-status-page.png'), fullPage: true });
    const blank = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    await blank.setContent('<html><body style="background:#f5f6f8"></body></html>');
    const blankShot = await blank.screenshot();
    const page_ = await pixels(blank, shot);
    const empty = await pixels(blank, blankShot);
    expect(empty.colours).toBeLessThanOrEqual(2);
    expect(empty.deviation).toBeLessThan(1);
    // Text, cards and coloured chart lines: many colours, and far from one flat grey.
    expect(page_.colours).toBeGreaterThan(50);
    expect(page_.deviation).toBeGreaterThan(10);
    expect(page_.blueOrGreen).toBeGreaterThan(200);
    await blank.close();
    await page.close();
  });
});

/**
 * Decodes a PNG in the browser (a canvas) and measures it: distinct colours, the standard deviation of the
 * luminance, and the pixels of the chart lines' blue or green (strongly blue or green, little red).
 */
async function pixels(
  page: Page,
  png: Buffer,
): Promise<{ colours: number; deviation: number; blueOrGreen: number }> {
  const src = `data:image/png;base64,${png.toString('base64')}`;
  return page.evaluate(`(async () => {
    const img = new Image();
    img.src = ${JSON.stringify(src)};
    await img.decode();
    const canvas = document.createElement('canvas');
    canvas.width = img.width; canvas.height = img.height;
    const ctx = canvas.getContext('2d');
    ctx.drawImage(img, 0, 0);
    const data = ctx.getImageData(0, 0, img.width, img.height).data;
    const colours = new Set();
    let sum = 0, sumSq = 0, blueOrGreen = 0;
    const n = data.length / 4;
    for (let i = 0; i < data.length; i += 4) {
      const r = data[i], g = data[i + 1], b = data[i + 2];
      colours.add((r << 16) | (g << 8) | b);
      const y = 0.299 * r + 0.587 * g + 0.114 * b;
      sum += y; sumSq += y * y;
      if (r < 90 && (b > 180 || g > 130) && Math.abs(b - g) > 40) blueOrGreen++;
    }
    const mean = sum / n;
    return { colours: colours.size, deviation: Math.sqrt(Math.max(0, sumSq / n - mean * mean)), blueOrGreen };
  })()`);
}
