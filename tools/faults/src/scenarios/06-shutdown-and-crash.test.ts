import type { HaSim } from '@homeiq/ha-sim';
import { waitFor, type Influxd2, type FaultProxy } from '@homeiq/testing';
import { startDriver } from '../harness/driver.js';
import { createLedger, type Ledger } from '../harness/ledger.js';
import { pick, scenarioTimeoutMs } from '../harness/mode.js';
import { printReport } from '../harness/report.js';
import type { Rig } from '../harness/rig.js';
import { settle } from '../harness/settle.js';
import { compareDelivery, deliveryLines, deliveryProblems } from '../harness/verify.js';
import { sleep } from '../harness/time.js';
import { startWorld, type World } from '../harness/world.js';

/**
 * Scenario 6, shutdown and crash with a backlog.
 * - SIGTERM while InfluxDB answers slower than SHUTDOWN_TIMEOUT: the service writes what it can, spills the
 *   rest (the batch in flight included), exits 0, and the next start replays the spool: every event lands once.
 * - SIGKILL during an InfluxDB outage: spilled lines survive (they were handed to write(2)); what is lost is
 *   exactly the batch being formed in memory, at most BATCH_SIZE lines, as backpressure-queue's README documents.
 *   Memory goes to disk at the first failed write; the sink retries its batch in place until its circuit opens
 *   (that batch too is only in memory until then), so the kill comes once the circuit is open.
 */
const RATE = 1000;
const BACKLOG_MS = pick(3000, 60_000);
const BATCH_SIZE = 100;

jest.setTimeout(scenarioTimeoutMs(2 * BACKLOG_MS + 30_000));

describe('scenario 6: shutdown and crash during a backlog', () => {
  let world: World;
  let influxd: Influxd2;
  let proxy: FaultProxy;
  let sim: HaSim;

  beforeAll(async () => {
    world = await startWorld({ sim: { home: { entities: 150, seed: 6 } }, proxy: true });
    ({ influxd, sim } = world);
    proxy = world.proxy!;
  });

  afterAll(() => world.dispose());

  /** Streams for BACKLOG_MS (while the caller's fault holds), then waits until the service received every event. */
  async function backlog(rig: Rig, ledger: Ledger): Promise<number> {
    const driver = startDriver({ ledger, ratePerSecond: RATE });
    await sleep(BACKLOG_MS);
    await driver.stop();
    const { delivered } = ledger.totals();
    await waitFor(async () => (await rig.health()).subscription.total_events_received >= delivered, 10_000);
    return delivered;
  }

  it('SIGTERM writes or spills everything, exits 0, and the restart replays the spool', async () => {
    const rig = await world.rig({
      proxy,
      database: 'sigterm',
      env: { SHUTDOWN_TIMEOUT: '1', BATCH_SIZE: String(BATCH_SIZE) },
    });
    const ledger = createLedger(sim);
    try {
      // Every write takes 2 s: more than the shutdown deadline, so a batch is in flight when it passes.
      proxy.inject({ delayMs: 2000, times: 1_000_000 });
      const received = await backlog(rig, ledger);
      const before = await rig.health();
      const code = await rig.stop('SIGTERM');
      proxy.clearFaults();
      await sleep(2500); // the proxy still forwards the write the service gave up on: let it land first
      const rowsAtExit = await rig.count();
      // Restart with every write refused, to read the spool the first run left before it drains.
      proxy.inject({ status: 503, times: 1_000_000 });
      await rig.restart();
      const spooledAtStart = (await rig.health()).sink.spooled;
      proxy.clearFaults();
      await settle(rig, 0, 90_000);
      ledger.dispose();

      const report = compareDelivery(ledger, await rig.rows());
      printReport('scenario 6a: SIGTERM during a backlog (InfluxDB answering in 2 s)', [
        ['HA sent / service received', `${report.sent} / ${received}`],
        ['backlog at SIGTERM', `${before.sink.pending} in memory, ${before.sink.spooled} spooled`],
        ['exit code', String(code)],
        ['rows after exit', rowsAtExit],
        ['spooled at restart', spooledAtStart],
        ['rows after the replay', report.rows],
        ...deliveryLines(report),
        ['dropped by reason', (await rig.health()).sink.dropped_by_reason],
      ]);

      expect(code).toBe(0);
      expect(report.undelivered).toBe(0);
      expect(before.sink.pending + before.sink.spooled).toBeGreaterThan(BATCH_SIZE);
      expect(spooledAtStart).toBeGreaterThan(0);
      // Written or spilled: nothing else. (A batch in flight at the deadline is both: at-least-once.)
      expect(rowsAtExit + spooledAtStart).toBeGreaterThanOrEqual(received);
      expect(deliveryProblems(report)).toEqual([]);
      expect((await rig.health()).sink.dropped_by_reason).toEqual({});
    } finally {
      proxy.clearFaults();
      await rig.dispose();
    }
  });

  it('SIGKILL during an outage: the restart reads the batch that was only in memory back from the recorder', async () => {
    const rig = await world.rig({
      database: 'sigkill',
      // A long batch timeout keeps the forming batch in memory until the kill, so the loss can be predicted.
      env: { BATCH_SIZE: String(BATCH_SIZE), BATCH_TIMEOUT: '30' },
    });
    const ledger = createLedger(sim);
    try {
      await influxd.stop();
      const received = await backlog(rig, ledger);
      await waitFor(
        async () => (await rig.metrics()).value('homeiq_influx_circuit_state', { state: 'closed' }) === 0,
        30_000,
      );
      const metrics = await rig.metrics();
      const inMemory = metrics.value('homeiq_queue_pending_points');
      const spooled = metrics.value('homeiq_spool_points');
      await rig.stop('SIGKILL');
      await influxd.start();
      await rig.restart();
      await settle(rig, 0, 90_000);
      ledger.dispose();

      const report = compareDelivery(ledger, await rig.rows());
      const lost = received - report.rows;
      printReport('scenario 6b: SIGKILL during an InfluxDB outage', [
        ['HA sent / service received', `${report.sent} / ${received}`],
        ['at the kill', `${inMemory} in memory (the forming batch), ${spooled} spooled`],
        ['rows after restart', report.rows],
        ['lost', lost],
        ...deliveryLines(report),
        [
          'backfilled after the crash',
          `${report.rewritten.length} (the ${inMemory} only in memory, the rest written again)`,
        ],
      ]);

      expect(report.undelivered).toBe(0);
      expect(spooled).toBeGreaterThan(0);
      expect(inMemory).toBeGreaterThan(0);
      // The forming batch died with the process; the restart reads it back from the recorder, from the durable
      // watermark on (apps/ingestion/src/pipeline/durable-watermark.ts): nothing is lost.
      expect(lost).toBe(0);
      expect(report.missing).toBe(0);
      expect(report.unexpected).toEqual([]);
      expect(report.duplicates).toEqual([]);
      expect(report.wrong).toEqual([]);
      // A backfilled row of a delivered change is either one that was only in memory (lost, now recovered) or one
      // written again after the watermark: it became durable (spooled) too shortly before the kill for the
      // watermark to pass it. Both land on the same row; the report shows how many. How tight that second number
      // can be made is open (issue 15).
      expect(report.rewritten.length).toBeGreaterThanOrEqual(inMemory);
      expect(report.backfillRows).toBe(report.rewritten.length);
      expect(report.resyncRows).toBe(0);
    } finally {
      if (!influxd.running) await influxd.start();
      await rig.dispose();
    }
  });
});
