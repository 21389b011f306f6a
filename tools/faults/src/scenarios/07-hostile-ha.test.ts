import type { HaSim } from '@homeiq/ha-sim';
import { waitFor, type Influxd2 } from '@homeiq/testing';
import { isoToEpochNs } from '../harness/ledger.js';
import { pick, scenarioTimeoutMs } from '../harness/mode.js';
import { seededRandom } from '../harness/random.js';
import { printReport } from '../harness/report.js';
import { MEASUREMENT, type Rig } from '../harness/rig.js';
import { settle } from '../harness/settle.js';
import { startWorld, type World } from '../harness/world.js';
import { sleep } from '../harness/time.js';
import { hostileMix, type ValidCase } from './hostile-cases.js';
import { expectedValue, storedField, storedTag } from './hostile-expect.js';

/**
 * Scenario 7, hostile Home Assistant: 10,000 frames of malformed JSON, unusable messages, events for unknown
 * subscriptions, `state_changed` events with wrong types, bad entity ids, bad times and oversized states, plus
 * valid changes whose strings try to inject line protocol (newlines, quotes, commas, `=`), unicode edge cases,
 * numeric-looking states (`NaN`, `Infinity`, `1e999`) and 10 MB attribute payloads. The service does not crash or
 * reconnect, counts every bad event by reason, writes every valid change exactly as sent (or by the documented
 * escaping), and InfluxDB holds no point HA did not send.
 */
const FRAMES = 10_000;
const BIG_PAYLOADS = pick(2, 6);
const BIG_BYTES = 10 * 1024 * 1024;
const SEED = 7;

jest.setTimeout(scenarioTimeoutMs(pick(30_000, 90_000)));

/** A valid change as sent: where it must land and what it must hold. */
interface SentChange {
  readonly entityId: string;
  readonly timeNs: string;
  readonly state: string;
  readonly attributes: Readonly<Record<string, unknown>>;
  readonly big: boolean;
}

describe('scenario 7: hostile Home Assistant', () => {
  let world: World;
  let influxd: Influxd2;
  let sim: HaSim;
  let rig: Rig;
  const expectedDrops: Record<string, number> = {};
  const expectedRejections: Record<string, number> = {};
  const sent: SentChange[] = [];
  let rawFrames = 0;
  let badEvents = 0;

  beforeAll(async () => {
    world = await startWorld({ sim: { home: { entities: 60, seed: SEED } } });
    ({ influxd, sim } = world);
    rig = await world.rig({ database: 'hostile' });

    const sensors = sim.home.entityIds().filter((id) => id.startsWith('sensor.'));
    const unsubscribe = sim.home.onEvent((event) => {
      if (event.event_type !== 'state_changed') return;
      const data = event.data as {
        entity_id: string;
        new_state: { state: string; attributes: object } | null;
      };
      if (!sensors.includes(data.entity_id) || data.new_state === null) return;
      const attributes = data.new_state.attributes as Record<string, unknown>;
      sent.push({
        entityId: data.entity_id,
        timeNs: isoToEpochNs(event.time_fired),
        state: data.new_state.state,
        attributes,
        big: typeof attributes['blob'] === 'string',
      });
    });
    const cases = hostileMix(FRAMES, seededRandom(SEED));
    const bigAt = new Set(
      Array.from({ length: BIG_PAYLOADS }, (_, i) => Math.floor(((i + 1) * FRAMES) / (BIG_PAYLOADS + 1))),
    );
    let turn = 0;
    for (const [i, hostile] of cases.entries()) {
      if (bigAt.has(i)) {
        const entityId = sensors[i % sensors.length] ?? '';
        sim.setState(entityId, `big ${i}`, { friendly_name: `big ${i}`, blob: 'x'.repeat(BIG_BYTES) });
        // Replace it at once, so later events of this entity do not carry 10 MB as their old_state.
        sim.setState(entityId, `small ${i}`, { friendly_name: `small ${i}` });
      }
      if (hostile.kind === 'raw') {
        rawFrames += sim.sendRaw(hostile.frame);
        for (const [reason, n] of Object.entries(hostile.drops))
          expectedDrops[reason] = (expectedDrops[reason] ?? 0) + n;
      } else if (hostile.kind === 'bad_event') {
        sim.fireEvent('state_changed', hostile.data);
        badEvents++;
        expectedRejections[hostile.reason] = (expectedRejections[hostile.reason] ?? 0) + 1;
      } else {
        change(sim, sensors[i % sensors.length] ?? '', hostile, i);
      }
      // Pace like a busy HA, not like a flood HA itself would cut off (its 4096-message writer limit).
      if (++turn % 50 === 0) await drained(sim);
    }
    sim.setState(sensors[0] ?? '', 'sentinel', { friendly_name: 'sentinel' });
    unsubscribe();
    await settle(rig, sent.length + badEvents, pick(30_000, 90_000));
  });

  afterAll(() => world.dispose());

  it('survives, rejects each bad event by reason, and stores exactly the valid changes', async () => {
    const health = await rig.health();
    const rows = await influxd.select(`SELECT * FROM "${MEASUREMENT}"`, 'hostile');
    const byKey = new Map(rows.map((row) => [`${String(row['entity_id'])} ${String(row['time'])}`, row]));
    const mismatches: string[] = [];
    for (const change of sent) {
      const row = byKey.get(`${change.entityId} ${change.timeNs}`);
      if (!row) {
        mismatches.push(`missing ${change.entityId}@${change.timeNs} ${JSON.stringify(change.state)}`);
        continue;
      }
      mismatches.push(...compareRow(change, row));
    }
    const measurements = await influxd.select('SHOW MEASUREMENTS', 'hostile');
    const entityTags = await influxd.select('SHOW TAG VALUES WITH KEY = "entity_id"', 'hostile');
    const sentIds = new Set(sent.map((c) => c.entityId));
    const strangers = entityTags.map((t) => String(t['value'])).filter((id) => !sentIds.has(id));
    printReport('scenario 7: hostile HA', [
      ['frames and events sent', `${FRAMES} (+${BIG_PAYLOADS * 2} around 10 MB payloads)`],
      ['  raw unusable frames', rawFrames],
      ['  bad state_changed events', badEvents],
      ['  valid hostile changes', sent.length],
      ['expected client drops', expectedDrops],
      ['rejected by reason', health.subscription.events_rejected_by_reason],
      ['expected rejections', expectedRejections],
      ['InfluxDB rows', rows.length],
      ['measurements', measurements.map((m) => String(m['name'])).join(', ')],
      ['entity_id tags not sent', strangers.join(', ') || 'none'],
      ['row mismatches', mismatches.length],
      [
        'connections',
        `${health.connection.successful_connections} (last error: ${health.connection.last_error?.code ?? 'none'})`,
      ],
      [
        'service memory',
        `RSS ${health.performance.memory_mb} MB, heap used ${health.performance.heap_used_mb} MB`,
      ],
      ['dropped by reason', health.sink.dropped_by_reason],
    ]);

    expect(rig.service.output()).not.toMatch(/FATAL|uncaught/i);
    expect(health.connection.successful_connections).toBe(1);
    expect(health.connection.current_state).toBe('connected');
    expect(health.subscription.events_rejected_by_reason).toEqual(expectedRejections);
    expect(health.subscription.total_events_received).toBe(sent.length + badEvents);
    expect(mismatches.slice(0, 20)).toEqual([]);
    expect(rows).toHaveLength(sent.length);
    expect(measurements.map((m) => m['name'])).toEqual([MEASUREMENT]);
    expect(strangers).toEqual([]);
    expect(health.sink.dropped_by_reason).toEqual({});
    expect(health.sink.written).toBe(sent.length);
  });

  it('treats a text frame of invalid UTF-8 as a broken connection: one reconnect, no crash', async () => {
    const before = await rig.health();
    expect(sim.sendRaw(Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]))).toBe(1);
    await waitFor(
      async () => {
        const health = await rig.health();
        return health.connection.successful_connections === 2 && health.subscription.is_subscribed;
      },
      15_000,
      () => rig.service.output().slice(-2000),
    );
    const after = await rig.health();
    printReport('scenario 7: invalid UTF-8 frame', [
      [
        'connections',
        `${before.connection.successful_connections} → ${after.connection.successful_connections}`,
      ],
      [
        'reported as',
        `${after.connection.last_error?.code ?? 'none'}: ${after.connection.last_error?.message ?? ''}`,
      ],
      ['state now', after.connection.current_state],
    ]);
    expect(after.connection.last_error?.code).toBe('ERR_CONNECTION_LOST');
    expect(after.subscription.is_subscribed).toBe(true);
  });

  it('counts the frames it could not use, by reason, on /metrics', async () => {
    const metrics = await rig.metrics();
    const counted = { ...metrics.byLabel('homeiq_ha_messages_dropped_total', 'reason') };
    // ha-client tells two kinds of event for an unknown subscription id apart: the first (it then unsubscribes
    // the id on HA) is `unknown_subscription`, those arriving while that unsubscribe is under way `unsubscribed`.
    counted['unknown_subscription'] = (counted['unknown_subscription'] ?? 0) + (counted['unsubscribed'] ?? 0);
    delete counted['unsubscribed'];
    expect(Object.fromEntries(Object.entries(counted).filter(([, n]) => n > 0))).toEqual(expectedDrops);
  });
});

/** Applies a valid hostile change; a change that equals the current state fires nothing, so vary it. */
function change(sim: HaSim, entityId: string, hostile: ValidCase, i: number): void {
  if (!sim.setState(entityId, hostile.state, hostile.attributes)) {
    sim.setState(entityId, hostile.state, { ...hostile.attributes, n: i });
  }
}

/** Waits for the simulator's writers to empty (bounded), so a burst never trips HA's own slow-client limit. */
async function drained(sim: HaSim): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (sim.connections().some((c) => c.pendingMessages > 0 || c.writerBlocked) && Date.now() < deadline) {
    await sleep(2);
  }
  if (Date.now() >= deadline)
    throw new Error(`HA's writer did not drain: ${JSON.stringify(sim.connections())}`);
}

function compareRow(change: SentChange, row: Record<string, unknown>): string[] {
  const out: string[] = [];
  const where = `${change.entityId}@${change.timeNs}`;
  const check = (what: string, actual: unknown, expected: unknown) => {
    if (actual !== expected)
      out.push(`${where} ${what}: got ${JSON.stringify(actual)}, expected ${JSON.stringify(expected)}`);
  };
  check('state', row['state'], storedField(change.state));
  check('value', row['value'] ?? null, expectedValue(change.state));
  const friendly = change.attributes['friendly_name'];
  check(
    'friendly_name',
    row['friendly_name'] ?? null,
    typeof friendly === 'string' ? storedField(friendly) : null,
  );
  const unit = change.attributes['unit_of_measurement'];
  check(
    'unit_of_measurement',
    row['unit_of_measurement'] ?? null,
    typeof unit === 'string' ? storedTag(unit) : null,
  );
  if (change.big) {
    check('attributes (10 MB, omitted)', row['attributes'] ?? null, null);
  } else if (typeof row['attributes'] !== 'string') {
    out.push(`${where} attributes missing`);
  } else if (JSON.stringify(JSON.parse(row['attributes'])) !== JSON.stringify(change.attributes)) {
    out.push(`${where} attributes differ: ${row['attributes'].slice(0, 200)}`);
  }
  return out;
}
