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
import { writersIdle } from '../harness/sim.js';
import { startWorld, type World } from '../harness/world.js';
import { sleep } from '../harness/time.js';

/**
 * Scenario 3, HA restarts and rejects the token (revoked) for a while, then accepts it again. The service waits
 * the maximum delay after the first `auth_invalid` (HA counts failed logins toward an IP ban), so it makes only
 * a handful of attempts, says why on `/health`, and reconnects by itself once the token is good again.
 */
const REJECT_MS = pick(8000, 60_000);
const MAX_RETRY_DELAY_S = pick(2, 20);
/** ha-client's default jitter takes up to 20 % off a delay, never adds. */
const JITTER = 0.2;
const SLACK_MS = 1500;

jest.setTimeout(scenarioTimeoutMs(REJECT_MS + MAX_RETRY_DELAY_S * 1000));

describe('scenario 3: Home Assistant restarts with a rejected token', () => {
  let world: World;
  let sim: HaSim;
  let rig: Rig;

  beforeAll(async () => {
    world = await startWorld({ sim: { home: { entities: 80, seed: 3 } } });
    sim = world.sim;
    rig = await world.rig({
      database: 'rejected_token',
      env: { WEBSOCKET_MAX_RETRY_DELAY: String(MAX_RETRY_DELAY_S) },
    });
  });

  afterAll(() => world.dispose());

  it('backs off to the maximum delay at once, reports the rejection and recovers by itself', async () => {
    const token = sim.token;
    const ledger = createLedger(sim);
    const driver = startDriver({ ledger, ratePerSecond: 100 });
    // Every auth attempt HA sees, with its time: the simulator runs in this process, so a 10 ms poll is exact enough.
    const rejectedAt: number[] = [];
    let lastInvalid = sim.stats().authInvalid;
    const watch = setInterval(() => {
      const invalid = sim.stats().authInvalid;
      for (; lastInvalid < invalid; lastInvalid++) rejectedAt.push(Date.now());
    }, 10);
    world.stopOnDispose(async () => {
      clearInterval(watch);
      await driver.stop();
    });

    await sleep(1000);
    sim.setToken(`${token}-revoked`);
    // A restart discards what HA's writer still holds: restart at a clean moment, as the flapper does, so every
    // event counted as delivered before it did reach the service.
    await waitFor(async () => Promise.resolve(writersIdle(sim)), 5_000);
    const restartedAt = Date.now();
    await sim.restart({ downMs: 1000 });
    const seen: Health[] = [];
    await waitFor(async () => {
      seen.push(await rig.health());
      return Date.now() - restartedAt >= REJECT_MS;
    }, REJECT_MS + 10_000);
    const rejectionsWhileRevoked = rejectedAt.length;
    sim.setToken(token);
    const acceptedAt = Date.now();
    await waitFor(
      async () => (await rig.health()).subscription.is_subscribed,
      MAX_RETRY_DELAY_S * 1000 + 15_000,
      () => rig.service.output(),
    );
    const recoveredAfterMs = Date.now() - acceptedAt;
    await sleep(1000);
    await driver.stop();
    ledger.dispose();
    clearInterval(watch);
    await settle(rig, ledger.totals().delivered);

    const report = compareDelivery(ledger, await rig.rows());
    const health = await rig.health();
    const spacings = rejectedAt.slice(1).map((at, i) => at - (rejectedAt[i] ?? 0));
    const rejectedHealth = seen.filter((h) => h.connection.current_state === 'auth_invalid');
    const minSpacingMs = MAX_RETRY_DELAY_S * 1000 * (1 - JITTER) - 100;
    printReport('scenario 3: rejected token', [
      ['rejected for', `${REJECT_MS / 1000} s (WEBSOCKET_MAX_RETRY_DELAY=${MAX_RETRY_DELAY_S})`],
      ['auth attempts rejected', rejectionsWhileRevoked],
      ['spacing between them', `${spacings.join(', ')} ms`],
      ['recovered after acceptance', `${recoveredAfterMs} ms`],
      [
        '/health while rejected',
        [...new Set(rejectedHealth.map((h) => `${h.status}: ${h.reasons.join('; ')}`))].join(' | '),
      ],
      ...deliveryLines(report),
      ['dropped by reason', health.sink.dropped_by_reason],
    ]);

    // The maximum delay from the first rejection on: never the 1, 2, 4 s of an ordinary backoff.
    expect(rejectionsWhileRevoked).toBeGreaterThanOrEqual(1);
    expect(spacings.every((ms) => ms >= minSpacingMs)).toBe(true);
    expect(rejectionsWhileRevoked).toBeLessThanOrEqual(Math.floor(REJECT_MS / minSpacingMs) + 1);
    expect(rejectedHealth.length).toBeGreaterThan(0);
    for (const h of rejectedHealth) {
      expect(h.status).toBe('unhealthy');
      expect(h.reasons.join(' ')).toContain('rejected the access token');
      expect(h.connection.last_error?.code).toBe('ERR_AUTH_INVALID');
    }
    expect(recoveredAfterMs).toBeLessThanOrEqual(MAX_RETRY_DELAY_S * 1000 + SLACK_MS);
    expect(deliveryProblems(report)).toEqual([]);
    // Every change of the gap read back from the recorder: the simulator's keeps every entity.
    expect(report.undelivered).toBeGreaterThan(0);
    expect(report.backfillRows).toBe(report.undelivered - report.unobservable.length);
    expect(report.fallbacks).toHaveLength(0);
    expect(health.status).toBe('healthy');
    expect(JSON.stringify(seen)).not.toContain(token);
  });
});
