import type { HaSim } from '@homeiq/ha-sim';
import { waitFor } from '@homeiq/testing';
import { startDriver } from '../harness/driver.js';
import { createLedger } from '../harness/ledger.js';
import { pick, scenarioTimeoutMs } from '../harness/mode.js';
import { printReport } from '../harness/report.js';
import type { Rig } from '../harness/rig.js';
import type { Health } from '../harness/service-api.js';
import { settle } from '../harness/settle.js';
import { compareDelivery, deliveryLines, deliveryProblems } from '../harness/verify.js';
import { startWorld, type World } from '../harness/world.js';
import { sleep } from '../harness/time.js';

/**
 * Scenario 2, half-open HA: the TCP connection stays up and HA goes silent (no frame, no pong, nothing read).
 * The service notices within its heartbeat interval + pong timeout, reconnects, shows it on `/health`, and the
 * gap resync covers what it missed. Short form: 1 s + 1 s; long form: the defaults, 30 s + 10 s.
 */
const HEARTBEAT_S = pick(1, 30);
const PONG_TIMEOUT_S = pick(1, 10);
/** Timer and scheduling slack on a loaded 2-core machine; detection is also checked from below. */
const SLACK_MS = 1500;
const RATE = 200;

jest.setTimeout(scenarioTimeoutMs((HEARTBEAT_S + PONG_TIMEOUT_S) * 1000 + 10_000));

describe('scenario 2: half-open Home Assistant', () => {
  let world: World;
  let sim: HaSim;
  let rig: Rig;

  beforeAll(async () => {
    world = await startWorld({ sim: { home: { entities: 100, seed: 2 } } });
    sim = world.sim;
    rig = await world.rig({
      database: 'half_open',
      env: pick({ HA_HEARTBEAT_INTERVAL: String(HEARTBEAT_S), HA_PONG_TIMEOUT: String(PONG_TIMEOUT_S) }, {}),
    });
  });

  afterAll(() => world.dispose());

  it('detects the silent connection within heartbeat + pong timeout, reconnects and resyncs', async () => {
    const ledger = createLedger(sim);
    let frozeAtMs: number | undefined;
    let freeze = false;
    const driver = startDriver({
      ledger,
      ratePerSecond: RATE,
      beforeTick: () => {
        // Freeze between events, with nothing left in HA's writers: from here on the service hears nothing.
        const idle = sim.connections().every((c) => c.pendingMessages === 0 && c.bufferedBytes === 0);
        if (freeze && frozeAtMs === undefined && idle) {
          sim.setHalfOpen(true);
          frozeAtMs = Date.now();
        }
      },
    });
    world.stopOnDispose(() => driver.stop());
    await sleep(2000);
    freeze = true;

    // Watch /health while the service finds out, as an operator's dashboard would.
    const seen: Health[] = [];
    await waitFor(
      async () => {
        const health = await rig.health();
        seen.push(health);
        return health.connection.successful_connections === 2 && health.subscription.is_subscribed;
      },
      (HEARTBEAT_S + PONG_TIMEOUT_S) * 1000 + 20_000,
      () => rig.service.output(),
    );
    await sleep(1000);
    await driver.stop();
    ledger.dispose();
    sim.setHalfOpen(false);
    await settle(rig, ledger.totals().delivered);

    const health = await rig.health();
    const lastError = health.connection.last_error;
    const detectedAfterMs = lastError ? Date.parse(lastError.at) - (frozeAtMs ?? 0) : NaN;
    const whileDown = seen.filter((h) => h.connection.current_state !== 'connected');
    const report = compareDelivery(ledger, await rig.rows());
    const boundMs = (HEARTBEAT_S + PONG_TIMEOUT_S) * 1000;
    printReport('scenario 2: half-open HA', [
      ['heartbeat + pong timeout', `${HEARTBEAT_S} s + ${PONG_TIMEOUT_S} s`],
      ['detected after', `${detectedAfterMs} ms (${lastError?.code ?? 'no error'})`],
      [
        '/health while down',
        [...new Set(whileDown.map((h) => `${h.status}/${h.connection.current_state}`))].join(', '),
      ],
      ['lost in the frozen link', `${sim.stats().dropped['half_open'] ?? 0} messages (HA side)`],
      ...deliveryLines(report),
      ['points written (sink)', health.sink.written],
      ['dropped by reason', health.sink.dropped_by_reason],
    ]);

    expect(lastError?.code).toBe('ERR_HEARTBEAT_TIMEOUT');
    expect(detectedAfterMs).toBeGreaterThanOrEqual(boundMs - 100);
    expect(detectedAfterMs).toBeLessThanOrEqual(boundMs + SLACK_MS);
    expect(whileDown.length).toBeGreaterThan(0);
    expect(whileDown.every((h) => h.status !== 'healthy')).toBe(true);
    expect(deliveryProblems(report)).toEqual([]);
    // Every change of the gap read back from the recorder: the simulator's keeps every entity.
    expect(report.undelivered).toBeGreaterThan(0);
    expect(report.backfillRows).toBe(report.undelivered - report.unobservable.length);
    expect(report.fallbacks).toHaveLength(0);
    expect(health.sink.written).toBe(report.rows);
    expect(health.connection.gaps_resynced).toBe(1);
    expect(health.backfill.enabled && health.backfill.gaps_filled).toBe(1);
  });
});
