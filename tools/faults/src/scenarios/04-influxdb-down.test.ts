import type { HaSim } from '@homeiq/ha-sim';
import type { Influxd2 } from '@homeiq/testing';
import { startDriver } from '../harness/driver.js';
import { createLedger, type Ledger } from '../harness/ledger.js';
import { pick, scenarioTimeoutMs } from '../harness/mode.js';
import { printReport } from '../harness/report.js';
import type { Rig } from '../harness/rig.js';
import { maxRss, startSampler, type Sampler } from '../harness/sampler.js';
import { settle } from '../harness/settle.js';
import { compareDelivery, deliveryProblems } from '../harness/verify.js';
import { sleep } from '../harness/time.js';
import { startWorld, type World } from '../harness/world.js';

/**
 * Scenario 4, InfluxDB down at 1,000 events/s. Three services share one HA stream and one outage, one per
 * overflow strategy: `spill` loses nothing and its RSS stays flat (memory is bounded, the backlog goes to disk);
 * `drop_oldest` and `drop_new` keep memory bounded and drop exactly the points they count as `overflow`, the
 * oldest or the newest respectively, and once InfluxDB is back and their queue is empty they read every one of
 * them back from HA's recorder (gap-resync.ts `linesLost`): in the end nothing is missing, and the dropped
 * changes are exactly the rows marked `backfill=true`.
 */
const OUTAGE_MS = pick(5000, 120_000);
const RATE = 1000;
const MAX_PENDING = pick(2000, 20_000);
/** RSS may move with GC and the allocator; a queue that grew with the outage would add far more than this. */
const RSS_GROWTH_LIMIT_MB = 25;
const STRATEGIES = ['spill', 'drop_oldest', 'drop_new'] as const;
type Strategy = (typeof STRATEGIES)[number];

// The sink's circuit probes every 5 s doubling up to 60 s: recovery can take up to a minute after the outage.
jest.setTimeout(scenarioTimeoutMs(OUTAGE_MS + 60_000));

describe('scenario 4: InfluxDB down', () => {
  let world: World;
  let influxd: Influxd2;
  let sim: HaSim;
  const rigs = new Map<Strategy, Rig>();

  beforeAll(async () => {
    world = await startWorld({ sim: { home: { entities: 200, seed: 4 } } });
    ({ influxd, sim } = world);
    for (const strategy of STRATEGIES) {
      const env = { INFLUXDB_OVERFLOW_STRATEGY: strategy, INFLUXDB_MAX_PENDING_POINTS: String(MAX_PENDING) };
      rigs.set(strategy, await world.rig({ database: `down_${strategy}`, env }));
    }
  });

  afterAll(() => world.dispose());

  it('spill loses nothing with flat RSS; memory-only strategies drop what they count and read it all back', async () => {
    const ledger = createLedger(sim, { subscribers: STRATEGIES.length });
    const driver = startDriver({ ledger, ratePerSecond: RATE });
    const samplers = new Map<Strategy, Sampler>();
    for (const [strategy, rig] of rigs) samplers.set(strategy, startSampler(rig, pick(250, 1000)));
    world.stopOnDispose(async () => {
      for (const sampler of samplers.values()) sampler.stop();
      await driver.stop();
    });
    await sleep(1000);
    await influxd.stop();
    const downAt = Date.now();
    await sleep(OUTAGE_MS);
    const upAt = Date.now();
    await influxd.start();
    await sleep(2000);
    await driver.stop();
    ledger.dispose();
    for (const rig of rigs.values()) await settle(rig, ledger.totals().delivered, 120_000);
    for (const sampler of samplers.values()) sampler.stop();

    expect(ledger.totals().delivered).toBe(ledger.totals().sent); // HA reached all three throughout
    expect(sim.stats().slowClientCloses).toBe(0);
    const blocks = new Map<Strategy, Block>();
    for (const [strategy, rig] of rigs) {
      blocks.set(
        strategy,
        await check(strategy, rig, ledger, samplers.get(strategy), downAt, upAt, driver.achievedPerSecond),
      );
    }
    // Both memory strategies start dropping when memory is full: drop_new refuses the event arriving then,
    // drop_oldest evicts one about MAX_PENDING events older (the lent batch excepted).
    const oldest = blocks.get('drop_oldest');
    const newest = blocks.get('drop_new');
    expect((newest?.first ?? 0) - (oldest?.first ?? 0)).toBeGreaterThanOrEqual(MAX_PENDING / 2);
  });
});

/** The missing events as runs of stream positions (first, last). */
interface Block {
  readonly first: number;
  readonly runs: readonly (readonly [number, number])[];
}

async function check(
  strategy: Strategy,
  rig: Rig,
  ledger: Ledger,
  sampler: Sampler | undefined,
  downAt: number,
  upAt: number,
  achieved: number,
): Promise<Block> {
  const report = compareDelivery(ledger, await rig.rows());
  const health = await rig.health();
  const metrics = await rig.metrics();
  const counted = health.sink.dropped_by_reason['overflow'] ?? 0;
  const quarter = (upAt - downAt) / 4;
  const early = sampler?.between(downAt + quarter, downAt + 2 * quarter) ?? [];
  const late = sampler?.between(upAt - quarter, upAt) ?? [];
  const growthMb = maxRss(late) - maxRss(early);
  const outage = ledger.events.filter((e) => e.emittedAtMs >= downAt && e.emittedAtMs < upAt);
  // The changes dropped: the delivered ones stored with the backfill mark (read back from the recorder).
  const seqs = report.rewritten.map((e) => e.seq);
  const lost = health.backfill.enabled ? health.backfill.lost : undefined;
  const block = runsOf(seqs);
  printReport(`scenario 4: InfluxDB down ${OUTAGE_MS / 1000} s, ${strategy}`, [
    ['HA sent', `${report.sent} events at ${RATE}/s (${outage.length} during the outage)`],
    ['achieved rate', `${achieved}/s`],
    ['InfluxDB rows', report.rows],
    ['missing', report.sent - report.rows],
    ['dropped by reason', health.sink.dropped_by_reason],
    [
      'read back from the recorder',
      `${lost?.points_recovered ?? 0} (backfill rows ${report.backfillRows}${seqs.length > 0 ? `, stream positions ${block.runs.map(([a, b]) => `#${a}–#${b}`).join(', ')}` : ''}; not in the recorder ${lost?.points_unrecovered ?? 0})`,
    ],
    ['max pending / spool peak', `${max(sampler, 'pending')} / ${max(sampler, 'spooled')} points`],
    [
      'RSS (MB)',
      `2nd quarter max ${maxRss(early)}, last quarter max ${maxRss(late)}, growth ${growthMb.toFixed(1)}, overall max ${maxRss(sampler?.samples ?? [])}`,
    ],
    ['points written (sink)', health.sink.written],
    ['"points dropped" log lines', (rig.service.output().match(/points dropped/g) ?? []).length],
  ]);

  expect(report.unexpected).toEqual([]);
  expect(report.duplicates).toEqual([]);
  expect(report.wrong).toEqual([]);
  expect(growthMb).toBeLessThanOrEqual(RSS_GROWTH_LIMIT_MB);
  expect(early.length).toBeGreaterThan(0);
  expect(late.length).toBeGreaterThan(0);
  if (strategy === 'spill') {
    expect(deliveryProblems(report)).toEqual([]);
    expect(health.sink.dropped_by_reason).toEqual({});
    expect(max(sampler, 'spooled')).toBeGreaterThan(0);
    return block;
  }
  // Memory only: what was dropped is counted, and read back from the recorder, so nothing is missing. Each dropped
  // change is one row marked backfill. The one write in flight when InfluxDB stopped may have been committed by
  // InfluxDB without an answer reaching the sink; the sink keeps that batch as unwritten (a write is idempotent),
  // so when drop_oldest then evicts it, the read-back rewrites lines that did land, with the backfill mark: at most
  // one write's worth, counted like the others.
  expect(counted).toBeGreaterThan(0);
  expect(report.missingLive).toEqual([]);
  expect(report.rows).toBe(report.sent);
  expect(lost).toMatchObject({ points_recovered: counted, points_unrecovered: 0, pending_points: 0 });
  expect(report.rewritten).toHaveLength(counted);
  expect(metrics.value('homeiq_backfill_lost_recovered_total', {})).toBe(counted);
  expect(metrics.value('homeiq_points_dropped_total', { stage: 'queue', reason: 'overflow' })).toBe(counted);
  expect(health.sink.dropped_by_reason).toEqual({ overflow: counted });
  expect(max(sampler, 'pending')).toBeLessThanOrEqual(MAX_PENDING);
  // Refusing new lines while memory is full (drop_new) loses one run of the stream; evicting the oldest keeps the
  // newest MAX_PENDING of the outage after its first run. Either way a second, short run can follow: the lines that
  // arrived while the recovery write had all of memory lent out (maxBatchSize defaults to maxPending up to 5,000),
  // so that with nothing left to evict the new line is the one dropped.
  const [first, second] = block.runs;
  expect(block.runs.length).toBeLessThanOrEqual(2);
  if (first && second) {
    expect(second[1] - second[0] + 1).toBeLessThan(MAX_PENDING);
    if (strategy === 'drop_oldest') expect(second[0] - first[1] - 1).toBeGreaterThanOrEqual(MAX_PENDING / 2);
  }
  return block;
}

function max(sampler: Sampler | undefined, field: 'pending' | 'spooled'): number {
  return (sampler?.samples ?? []).reduce((m, s) => Math.max(m, s[field]), 0);
}

function runsOf(seqs: readonly number[]): Block {
  const runs: [number, number][] = [];
  for (const seq of seqs) {
    const last = runs[runs.length - 1];
    if (last && seq === last[1] + 1) last[1] = seq;
    else runs.push([seq, seq]);
  }
  return { first: seqs[0] ?? -1, runs };
}
