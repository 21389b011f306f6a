import type { HaSim } from '@homeiq/ha-sim';
import { startDriver } from '../harness/driver.js';
import { createLedger } from '../harness/ledger.js';
import { pick, scenarioTimeoutMs } from '../harness/mode.js';
import { printReport } from '../harness/report.js';
import type { Rig } from '../harness/rig.js';
import { settle } from '../harness/settle.js';
import { compareDelivery, deliveryProblems } from '../harness/verify.js';
import { sleep } from '../harness/time.js';
import { startWorld, type World } from '../harness/world.js';

/**
 * Scenario 9, registry storm: 1,000 registry update events within a second (entities and devices moved between
 * areas, areas renamed) while HA streams state changes. Discovery refetches each registry a bounded number of
 * times (its debounce coalesces the storm), no state event waits in the service longer than the batch timeout,
 * and afterwards the service's registry picture equals HA's.
 */
const STORMS = pick(1, 6);
const STORM_EVENTS = 1000;
const STORM_MS = 1000;
const BETWEEN_STORMS_MS = 10_000;
const RATE = 200;
const BATCH_TIMEOUT_MS = 1000;
/** Write time, the 100 ms poll of InfluxDB, and scheduling on a loaded 2-core machine. */
const SLACK_MS = 1000;
/** Per registry and storm: one fetch for the storm, and one more for events that arrived during it. */
const MAX_FETCHES_PER_STORM = 2;
const LISTS = ['config/entity_registry/list', 'config/device_registry/list', 'config/area_registry/list'];

jest.setTimeout(scenarioTimeoutMs(STORMS * BETWEEN_STORMS_MS + 20_000));

describe('scenario 9: registry storm', () => {
  let world: World;
  let sim: HaSim;
  let rig: Rig;

  beforeAll(async () => {
    world = await startWorld({ sim: { home: { entities: 200, seed: 9 } } });
    sim = world.sim;
    rig = await world.rig({
      database: 'storm',
      // The timeout, not the size, closes batches at this rate: it is the bound an event's wait is held to.
      env: { BATCH_TIMEOUT: String(BATCH_TIMEOUT_MS / 1000), BATCH_SIZE: '5000' },
    });
  });

  afterAll(() => world.dispose());

  it('refetches a bounded number of times and delays no event past the batch timeout', async () => {
    const fetches = () => LISTS.map((type) => sim.stats().commandsByType[type] ?? 0);
    const before = fetches();
    const ledger = createLedger(sim);
    // Rows over time: writes land in order, so event i arrived with the first poll that counted more than i.
    const arrivals: { atMs: number; count: number }[] = [];
    const polling = { on: true };
    const poll = (async () => {
      while (polling.on) {
        arrivals.push({ atMs: Date.now(), count: await rig.count() });
        await sleep(100);
      }
    })();
    const driver = startDriver({ ledger, ratePerSecond: RATE });
    world.stopOnDispose(async () => {
      polling.on = false;
      await driver.stop();
      await Promise.allSettled([poll]);
    });
    const storms: { fromMs: number; toMs: number }[] = [];
    await sleep(3000);
    for (let s = 0; s < STORMS; s++) {
      const fromMs = Date.now();
      await storm(sim, s);
      storms.push({ fromMs, toMs: Date.now() });
      await sleep(s === STORMS - 1 ? 3000 : BETWEEN_STORMS_MS);
    }
    await driver.stop();
    ledger.dispose();
    await settle(rig, ledger.totals().delivered);
    // Refetches done: the lists are not asked for again over more than discovery's 500 ms debounce.
    for (let last = '', i = 0; i < 10; i++) {
      const now = JSON.stringify(fetches());
      if (now === last) break;
      last = now;
      await sleep(1500);
    }
    polling.on = false;
    await poll;

    const delays = ledger.events.map((event, i) => {
      const arrival = arrivals.find((a) => a.count > i);
      return { event, delayMs: arrival ? arrival.atMs - event.emittedAtMs : Infinity };
    });
    const inStorm = (at: number) => storms.some((w) => at >= w.fromMs && at <= w.toMs + 2000);
    const stormDelays = delays.filter((d) => inStorm(d.event.emittedAtMs)).map((d) => d.delayMs);
    const calmDelays = delays.filter((d) => !inStorm(d.event.emittedAtMs)).map((d) => d.delayMs);
    const refetches = fetches().map((n, i) => n - (before[i] ?? 0));
    const picture = await registryMismatches(rig, sim);
    const report = compareDelivery(ledger, await rig.rows());
    printReport('scenario 9: registry storm', [
      ['storms', `${STORMS} × ${STORM_EVENTS} registry events in ${STORM_MS} ms, while HA streams ${RATE}/s`],
      [
        'refetches',
        Object.fromEntries(LISTS.map((type, i) => [type.split('/')[1] ?? type, refetches[i] ?? 0])),
      ],
      ['max event delay in a storm', `${Math.max(...stormDelays)} ms (${stormDelays.length} events)`],
      ['max event delay otherwise', `${Math.max(...calmDelays)} ms (${calmDelays.length} events)`],
      ['batch timeout', `${BATCH_TIMEOUT_MS} ms (+${SLACK_MS} ms slack for the write and the poll)`],
      ['registry picture vs HA', picture.length === 0 ? 'equal' : picture.slice(0, 5).join('; ')],
      ['HA sent / InfluxDB rows', `${report.sent} / ${report.rows}`],
    ]);

    for (const n of refetches) expect(n).toBeLessThanOrEqual(MAX_FETCHES_PER_STORM * STORMS);
    expect(refetches.every((n) => n >= STORMS)).toBe(true);
    expect(Math.max(...stormDelays)).toBeLessThanOrEqual(BATCH_TIMEOUT_MS + SLACK_MS);
    expect(picture).toEqual([]);
    expect(deliveryProblems(report)).toEqual([]);
  });
});

/** 1,000 registry events in a second: entities and devices moved between areas, areas renamed. */
async function storm(sim: HaSim, round: number): Promise<void> {
  const home = sim.home;
  const areas = home.areas.map((a) => a.area_id);
  const entities = home.entities.filter((e) => e.disabled_by === null).map((e) => e.entity_id);
  const devices = home.devices.map((d) => d.id);
  const ticks = 10;
  for (let t = 0; t < ticks; t++) {
    for (let i = 0; i < STORM_EVENTS / ticks; i++) {
      const n = t * (STORM_EVENTS / ticks) + i;
      const area = areas[(n + round) % areas.length] ?? null;
      if (n % 3 === 0) home.moveEntityToArea(entities[n % entities.length] ?? '', n % 2 === 0 ? area : null);
      else if (n % 3 === 1) home.moveDeviceToArea(devices[n % devices.length] ?? '', area);
      else home.updateArea(areas[n % areas.length] ?? '', { name: `Area ${round}-${n}` });
    }
    await sleep(STORM_MS / ticks);
  }
}

/** Where the service's /api/entities disagrees with HA's registries (the effective area of each entity). */
async function registryMismatches(rig: Rig, sim: HaSim): Promise<string[]> {
  const served = await rig.service.get<{ entities: { entity_id: string; area_id: string | null }[] }>(
    '/api/entities?limit=10000',
  );
  const devices = new Map(sim.home.devices.map((d) => [d.id, d.area_id]));
  const out: string[] = [];
  for (const entry of sim.home.entities) {
    const want = entry.area_id ?? (entry.device_id === null ? null : (devices.get(entry.device_id) ?? null));
    const got = served.entities.find((e) => e.entity_id === entry.entity_id);
    if (got?.area_id !== want) out.push(`${entry.entity_id}: ${String(got?.area_id)} ≠ ${String(want)}`);
  }
  return out;
}
