import type { HaSim } from '@homeiq/ha-sim';
import { waitFor, type Influxd2, type InfluxFault, type FaultProxy } from '@homeiq/testing';
import { startDriver } from '../harness/driver.js';
import { createLedger } from '../harness/ledger.js';
import { scenarioTimeoutMs } from '../harness/mode.js';
import { printReport } from '../harness/report.js';
import { MEASUREMENT, type Rig } from '../harness/rig.js';
import { settle } from '../harness/settle.js';
import { compareDelivery } from '../harness/verify.js';
import { sleep } from '../harness/time.js';
import { startWorld, type World } from '../harness/world.js';

/**
 * Scenario 5, InfluxDB misbehaves (a fault proxy in front of a real InfluxDB 2.8): 500, 503,
 * 429 with `Retry-After`, a slow answer that is still in time, one past the request timeout (INFLUXDB_TIMEOUT), a reset
 * connection, and a batch with one poison line (a real 422 "field type conflict" partial write from InfluxDB 2.8).
 * Every good line lands once; the poison line is counted as rejected, with InfluxDB's reason. The faults are the
 * same in both forms: they are single requests.
 */
const RATE = 200;
const RETRY_AFTER_S = 2;
const REQUEST_TIMEOUT_MS = 4000; // INFLUXDB_TIMEOUT, shorter than the 10 s default to keep the scenario short
const POISON_ENTITY = 'sensor.poison_seed';

jest.setTimeout(scenarioTimeoutMs(40_000));

describe('scenario 5: InfluxDB misbehaves', () => {
  let world: World;
  let influxd: Influxd2;
  let proxy: FaultProxy;
  let sim: HaSim;
  let rig: Rig;

  beforeAll(async () => {
    // No random parent contexts: the one event with a parent id is the poison line (see below).
    world = await startWorld({
      sim: { home: { entities: 100, seed: 5, parentContextRatio: 0 } },
      proxy: true,
    });
    ({ influxd, sim } = world);
    proxy = world.proxy!;
    rig = await world.rig({
      proxy,
      database: 'misbehaves',
      env: { INFLUXDB_TIMEOUT: String(REQUEST_TIMEOUT_MS / 1000) },
    });
  });

  afterAll(() => world.dispose());

  it('retries what can be retried, honours Retry-After, and drops only the poison line, counted', async () => {
    const ledger = createLedger(sim);
    const driver = startDriver({ ledger, ratePerSecond: RATE });
    world.stopOnDispose(() => driver.stop());
    const outcomes: [string, string][] = [];

    /** Injects a fault, waits until a later write succeeded, and notes what the sink reported. */
    async function play(label: string, fault: InfluxFault): Promise<number> {
      const from = proxy.writes.length;
      proxy.inject(fault);
      await waitFor(
        () => proxy.writes.length >= from + 2 && proxy.writes.slice(from + 1).includes(204),
        REQUEST_TIMEOUT_MS + 20_000,
        () => `${label}: writes ${proxy.writes.slice(from).join(',')}\n${rig.service.output()}`,
      );
      const error = (await rig.health()).sink.last_error;
      outcomes.push([label, `${proxy.writes.slice(from).join(' → ')}; last error ${error?.code ?? 'none'}`]);
      return from;
    }

    await sleep(1000);
    await play('500', { status: 500 });
    await play('503', { status: 503 });
    const limited = await play(`429, Retry-After ${RETRY_AFTER_S}`, {
      status: 429,
      retryAfter: String(RETRY_AFTER_S),
    });
    // A write in flight when the fault was queued may finish first: measure from the 429 itself.
    const at429 = proxy.writes.indexOf(429, limited);
    const retryAfterGapMs = (proxy.writeTimes[at429 + 1] ?? NaN) - (proxy.writeTimes[at429] ?? NaN);
    await play('slow, in time (3 s)', { delayMs: REQUEST_TIMEOUT_MS - 1000 });
    const slow = await play(`slow, past the timeout (${REQUEST_TIMEOUT_MS / 1000 + 1} s)`, {
      delayMs: REQUEST_TIMEOUT_MS + 1000,
    });
    // With two writes in flight (INFLUXDB_CONCURRENT_WRITES) the other one can succeed before the slow one times
    // out: wait for the sink to report the timeout itself.
    await waitFor(
      async () => /timed out/.test((await rig.health()).sink.last_error?.message ?? ''),
      REQUEST_TIMEOUT_MS + 5000,
      () => `the sink reported no timeout:\n${rig.service.output()}`,
    );
    const timedOutError = (await rig.health()).sink.last_error;
    await play('connection reset', { reset: true });

    // A poison line: the field type of context_parent_id is integer in this shard, so InfluxDB 2.8 refuses the one
    // event that carries a parent id (422 partial write: field type conflict) and stores the rest of its batch.
    await influxd.write(
      `${MEASUREMENT},entity_id=${POISON_ENTITY} context_parent_id=1i ${Date.now()}000000`,
      'misbehaves',
    );
    const target = sim.home.entityIds().find((id) => id.startsWith('sensor.')) ?? '';
    ledger.emit(() =>
      sim.home.setState(target, '42.5', undefined, { parentId: '01JHKQ0000000000000000POIS' }),
    );
    const poison = ledger.events[ledger.events.length - 1];
    await sleep(2000);
    await driver.stop();
    ledger.dispose();
    await settle(rig, ledger.totals().delivered, 60_000);

    const rows = (await rig.rows()).filter((r) => r.entity_id !== POISON_ENTITY);
    const report = compareDelivery(ledger, rows);
    const health = await rig.health();
    const metrics = await rig.metrics();
    const rejectedLog = /^.*InfluxDB rejected lines.*$/m.exec(rig.service.output())?.[0] ?? '';
    printReport('scenario 5: InfluxDB misbehaves', [
      ...outcomes.map(([label, outcome]): [string, string] => [`fault: ${label}`, outcome]),
      ['Retry-After honoured', `next write ${retryAfterGapMs} ms after the 429`],
      ['timeout reported as', `${timedOutError?.code ?? 'none'}: ${timedOutError?.message ?? ''}`],
      ['HA sent', `${report.sent} events (1 poison: ${poison?.entityId ?? '?'} with a parent context)`],
      ['InfluxDB rows', report.rows],
      ['missing', report.missingLive.map((e) => `${e.entityId}@${e.timeNs}`).join(', ') || 'none'],
      ['dropped by reason', health.sink.dropped_by_reason],
      ['retries (sink)', metrics.value('homeiq_influx_retries_total')],
      ['points written (sink)', health.sink.written],
      ['rejection logged', rejectedLog.slice(0, 300)],
      ['proxy write statuses', countStatuses(proxy.writes.slice(slow))],
    ]);

    expect(report.missingLive).toEqual([poison]);
    expect(report.unexpected).toEqual([]);
    expect(report.wrong).toEqual([]);
    expect(report.undelivered).toBe(0);
    expect(health.sink.dropped_by_reason).toEqual({ rejected_by_influxdb: 1 });
    expect(metrics.value('homeiq_points_dropped_total', { stage: 'influxdb', reason: 'rejected' })).toBe(1);
    expect(metrics.value('homeiq_points_rejected_total', { cause: 'field_type_conflict' })).toBe(1);
    expect(rejectedLog).toContain('field type conflict');
    expect(retryAfterGapMs).toBeGreaterThanOrEqual(RETRY_AFTER_S * 1000 - 50);
    expect(timedOutError?.code).toBe('ERR_INFLUX_UNAVAILABLE');
    expect(metrics.value('homeiq_influx_retries_total')).toBeGreaterThanOrEqual(5);
    expect(health.sink.written).toBe(report.rows);
  });
});

function countStatuses(statuses: readonly number[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const status of statuses) out[String(status)] = (out[String(status)] ?? 0) + 1;
  return out;
}
