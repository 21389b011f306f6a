import type { HaSim } from '@homeiq/ha-sim';
import { waitFor } from '@homeiq/testing';
import { createFlapper } from '../harness/flapper.js';
import { startDriver } from '../harness/driver.js';
import { createLedger } from '../harness/ledger.js';
import { pick, scenarioTimeoutMs } from '../harness/mode.js';
import { seededRandom } from '../harness/random.js';
import { printReport } from '../harness/report.js';
import { SERVICE_SUBSCRIPTIONS, type Rig } from '../harness/rig.js';
import type { Health } from '../harness/service-api.js';
import { gapsFilled, settle } from '../harness/settle.js';
import { compareDelivery, deliveryLines, deliveryProblems } from '../harness/verify.js';
import { startWorld, type World } from '../harness/world.js';
import { sleep } from '../harness/time.js';

/**
 * Scenario 1, flapping HA: the connection drops every few seconds (seeded: close frames, cut TCP connections,
 * restarts that refuse connections) while HA streams 500 events/s. Every change HA fired is in InfluxDB exactly
 * once: what HA queued to the service as a live point, and after every reconnect everything that changed while
 * the service was away as a point read back from the recorder (gap-backfill.ts), none as a final state only.
 */
const RUN_MS = pick(20_000, 300_000);
const RATE = 500;
const FLAP_INTERVAL_MS = pick([1500, 4000] as const, [5000, 30_000] as const);
const RESTART_DOWN_MS = pick([0, 1000] as const, [0, 3000] as const);
const SEED = Number(process.env['HOMEIQ_FAULTS_SEED'] ?? 20_250_115);
// A flap every 5–30 s never lets a connection count as stable (60 s), so the client's backoff keeps growing;
// with the 300 s default cap the service would spend most of the run waiting. The cap is what bounds a gap.
const MAX_RETRY_DELAY_S = pick('1', '5');

jest.setTimeout(scenarioTimeoutMs(RUN_MS));

describe('scenario 1: flapping Home Assistant', () => {
  let world: World;
  let sim: HaSim;
  let rig: Rig;

  beforeAll(async () => {
    world = await startWorld({ sim: { home: { entities: 150, seed: 7 } } });
    sim = world.sim;
    rig = await world.rig({ database: 'flapping', env: { WEBSOCKET_MAX_RETRY_DELAY: MAX_RETRY_DELAY_S } });
  });

  afterAll(() => world.dispose());

  it('writes every change HA fired once: live, or read back from the recorder after each gap', async () => {
    const ledger = createLedger(sim);
    // The flapper's condition is synchronous: it reads the service's /health as last polled.
    let health: Health | undefined;
    const poll = setInterval(() => {
      rig.health().then(
        (h) => (health = h),
        () => undefined, // the next poll asks again; a wait below fails with the service's output
      );
    }, 100);
    world.stopOnDispose(() => {
      clearInterval(poll);
    });
    const random = seededRandom(SEED);
    const getStates = () => sim.stats().commandsByType['get_states'] ?? 0;
    const baselineGetStates = getStates();
    const flapper = createFlapper({
      sim,
      random,
      intervalMs: FLAP_INTERVAL_MS,
      restartDownMs: RESTART_DOWN_MS,
      // Flap only once the service resubscribed, asked for its resync snapshot and read the recorder back after
      // the last flap: a flap during the read makes that gap a fallback (`history_failed`, gap-backfill.ts).
      ready: () =>
        getStates() >= baselineGetStates + flapper.total &&
        sim.connections().some((c) => c.authenticated && c.subscriptions >= SERVICE_SUBSCRIPTIONS) &&
        health !== undefined &&
        health.backfill.enabled &&
        health.backfill.gaps_filled === flapper.total &&
        gapsFilled(health),
    });
    let flapping = true;
    const driver = startDriver({
      ledger,
      ratePerSecond: RATE,
      beforeTick: () => {
        if (flapping) flapper.tick();
      },
    });
    world.stopOnDispose(() => driver.stop());
    await sleep(RUN_MS);
    flapping = false;
    await flapper.idle();
    // End connected, with the last gap resynced, so the run's last window is closed like the others.
    await waitFor(
      async () => {
        const now = await rig.health();
        return (
          now.subscription.is_subscribed &&
          now.connection.gaps_resynced === flapper.total &&
          getStates() >= baselineGetStates + flapper.total
        );
      },
      30_000,
      () => rig.service.output(),
    );
    await sleep(500);
    await driver.stop();
    clearInterval(poll);
    ledger.dispose();
    const { delivered } = ledger.totals();
    await settle(rig, delivered);

    const report = compareDelivery(ledger, await rig.rows());
    const end = await rig.health();
    const metrics = await rig.metrics();
    const backfill = end.backfill.enabled ? end.backfill : undefined;
    const written = metrics.value('homeiq_points_written_total');
    printReport('scenario 1: flapping HA', [
      ['seed', SEED],
      ['flaps', flapper.counts],
      [
        'HA fired',
        `${report.sent} state_changed events at ${RATE}/s (achieved ${driver.achievedPerSecond}/s) for ${RUN_MS / 1000} s`,
      ],
      ['service received', end.subscription.total_events_received],
      ...deliveryLines(report),
      ['points written (sink)', written],
      ['dropped by reason', { ...end.sink.dropped_by_reason, ...end.subscription.events_rejected_by_reason }],
      ['duplicate subscriptions', ledger.overDelivered],
      [
        'gaps resynced / filled',
        `${end.connection.gaps_resynced} / ${backfill?.gaps_filled ?? 'backfill off'} (${backfill?.points_recovered ?? 0} points recovered)`,
      ],
      ['fallbacks by reason', backfill?.fallbacks_by_reason ?? {}],
    ]);

    expect(deliveryProblems(report)).toEqual([]);
    expect(report.missing).toBe(0);
    expect(report.duplicates).toHaveLength(0);
    // The simulator's recorder keeps every entity, and no flap falls inside a read: no fallback.
    expect(report.fallbacks).toHaveLength(0);
    expect(backfill?.fallbacks_by_reason).toEqual({});
    expect(metrics.value('homeiq_backfill_fallbacks_total')).toBe(0);
    expect(report.windows).toBeGreaterThan(0);
    expect(report.backfillRows).toBeGreaterThan(0);
    expect(ledger.overDelivered).toBe(0);
    expect(end.subscription.total_events_received).toBe(report.delivered);
    // Written once each: the sink wrote exactly the rows there are (a duplicate write would count twice).
    expect(written).toBe(report.rows);
    expect(metrics.value('homeiq_backfill_points_total')).toBe(report.backfillRows);
    expect(backfill?.points_recovered).toBe(report.backfillRows);
    expect(metrics.value('homeiq_resync_points_total')).toBe(report.resyncRows);
    expect(metrics.value('homeiq_ha_reconnects_total')).toBe(flapper.total);
    expect(backfill?.gaps_filled).toBe(flapper.total);
    expect(end.sink.dropped_by_reason).toEqual({});
    expect(end.subscription.events_rejected_by_reason).toEqual({});
    expect(rig.service.output()).not.toContain('gap resync failed');
  });
});
