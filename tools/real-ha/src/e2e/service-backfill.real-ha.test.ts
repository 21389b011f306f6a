import { waitFor } from '@homeiq/testing';
import { isoToEpochNs, microsFromHaSeconds } from '../testing-internal/ha-time.js';
import {
  changesOf,
  startServiceStack,
  type Row,
  type ServiceStack,
  type StateChanged,
} from '../testing-internal/service-stack.js';

/** What one change sets: a helper's service call, or a REST state with its attributes. */
type Step =
  | {
      readonly kind: 'call';
      readonly domain: string;
      readonly service: string;
      readonly data?: Record<string, unknown>;
    }
  | { readonly kind: 'state'; readonly state: string; readonly attributes: Record<string, unknown> };

/** One entity the test drives: where it stands before the cut, then one change per round. */
interface Driven {
  readonly entityId: string;
  readonly before: Step;
  readonly rounds: readonly Step[];
}

const ROUNDS = 10;
const CHANGE_EVERY_MS = 150; // 20 entities × 10 rounds: 200 changes in 30 s

const value = (v: number | string): Step => ({
  kind: 'call',
  domain: 'input_number',
  service: 'set_value',
  data: { value: v },
});

/**
 * Five helpers of ha-config.ts (none driven by the automation; setpoint and house_mode drive template sensors,
 * which change too but are not among the twenty) and fifteen REST sensors. Several end where they began (a flip
 * back), and a third of the sensor changes leave the state as it was and change only attributes.
 */
function drivenEntities(): Driven[] {
  const helpers: Driven[] = [
    {
      entityId: 'input_boolean.away_mode',
      before: { kind: 'call', domain: 'input_boolean', service: 'turn_on' },
      rounds: Array.from({ length: ROUNDS }, () => ({
        kind: 'call',
        domain: 'input_boolean',
        service: 'toggle',
      })),
    },
    {
      entityId: 'input_number.setpoint',
      before: value(19.5),
      rounds: [20, 20.5, 21, 20.5, 21, 21.5, 22, 21.5, 20, 19.5].map(value),
    },
    {
      entityId: 'input_number.fan_speed',
      before: value(10),
      rounds: [20, 10, 20, 10, 30, 40, 30, 20, 50, 10].map(value),
    },
    {
      entityId: 'input_select.house_mode',
      before: { kind: 'call', domain: 'input_select', service: 'select_option', data: { option: 'night' } },
      rounds: [
        'home',
        'away',
        'home',
        'vacances à la mer',
        'night',
        'away',
        'night',
        'home',
        'away',
        'night',
      ].map((option) => ({
        kind: 'call',
        domain: 'input_select',
        service: 'select_option',
        data: { option },
      })),
    },
    {
      entityId: 'input_text.note',
      before: { kind: 'call', domain: 'input_text', service: 'set_value', data: { value: 'before' } },
      rounds: Array.from({ length: ROUNDS }, (_, r) => ({
        kind: 'call',
        domain: 'input_text',
        service: 'set_value',
        data: { value: r === ROUNDS - 1 ? 'before' : `note ${r} ✓` },
      })),
    },
  ];
  const sensors = Array.from({ length: 15 }, (_, i): Driven => {
    const n = String(i + 1).padStart(2, '0');
    const state = (s: string, attributes: Record<string, unknown>): Step => ({
      kind: 'state',
      state: s,
      attributes,
    });
    if (i % 3 === 0) {
      // Temperature: a step on even rounds, only the battery attribute on odd ones; back to the start at the end.
      const attrs = (battery: number) => ({
        unit_of_measurement: '°C',
        device_class: 'temperature',
        battery,
      });
      const temps = [20.5, 20.5, 21, 21, 20.5, 20.5, 19.5, 19.5, 20, 20];
      return {
        entityId: `sensor.homeiq_bf_temp_${n}`,
        before: state('20.0', attrs(100)),
        rounds: temps.map((t, r) => state((t + i / 10).toFixed(1), attrs(100 - Math.ceil(r / 2)))),
      };
    }
    if (i % 3 === 1) {
      // On/off flips, with two attribute-only changes between them.
      let on = false;
      return {
        entityId: `sensor.homeiq_bf_switch_${n}`,
        before: state('off', { rssi: -60 }),
        rounds: Array.from({ length: ROUNDS }, (_, r) => {
          if (r !== 3 && r !== 7) on = !on;
          return state(on ? 'on' : 'off', { rssi: -60 - r });
        }),
      };
    }
    // Mostly attribute-only: the state moves twice (away and back), the counter every round.
    return {
      entityId: `sensor.homeiq_bf_counter_${n}`,
      before: state('idle', { counter: 0 }),
      rounds: Array.from({ length: ROUNDS }, (_, r) =>
        state(r === 4 || r === 5 ? 'busy' : 'idle', { counter: r + 1 }),
      ),
    };
  });
  return [...helpers, ...sensors];
}

/** One change as (entity, microsecond, state). */
const key = (entityId: string, micros: bigint, state: string | null): string =>
  `${entityId}@${String(micros)}=${state ?? '<removed>'}`;
const microsOfIso = (iso: string): bigint => BigInt(isoToEpochNs(iso)) / 1000n;

interface HistoryRow {
  s: string | null;
  a: Record<string, unknown>;
  lu: number;
  lc?: number;
}

/**
 * Issue 15 against a real Home Assistant 2025.1: the service cut off from HA for 30 s while 200 changes happen on
 * 20 entities, then reconnected. InfluxDB holds exactly what HA's recorder holds for that window, once each, at
 * the live event's microsecond, marked backfill, with the previous state chained across the gap.
 */
describe('the service against a real Home Assistant', () => {
  let stack: ServiceStack;
  beforeAll(async () => {
    stack = await startServiceStack({ cuttableHaLink: true });
  }, 600_000);
  afterAll(async () => {
    await stack.dispose();
  }, 120_000);

  const apply = (entityId: string, step: Step): Promise<unknown> =>
    step.kind === 'call'
      ? stack.call(step.domain, step.service, entityId, step.data)
      : stack.setState(entityId, step.state, step.attributes);
  const backfillPoints = async (): Promise<number> => {
    const text = await (await fetch(`${stack.service.url}/metrics`)).text();
    const match = /^homeiq_backfill_points_total(?:\{[^}]*\})? (\d+)$/m.exec(text);
    if (!match) throw new Error(`no homeiq_backfill_points_total in /metrics:\n${text}`);
    return Number(match[1]);
  };

  it('fills a 30 s cut of 200 changes on 20 entities from the recorder: the same changes, once, chained', async () => {
    const driven = drivenEntities();
    const ids = new Set(driven.map((d) => d.entityId));
    const eventsOf = (from: number, to = stack.watcher.messages.length): StateChanged[] =>
      changesOf(stack.watcher.messages.slice(from, to));

    // Before the cut: every entity at a known state, seen by the service (its row is in InfluxDB).
    const setupIndex = stack.watcher.messages.length;
    for (const d of driven) await apply(d.entityId, d.before);
    const seenBefore = (): StateChanged[] => eventsOf(setupIndex).filter((c) => ids.has(c.entity_id));
    await waitFor(() => new Set(seenBefore().map((c) => c.entity_id)).size === ids.size, 10_000);
    const lastBefore = new Map(seenBefore().map((c) => [c.entity_id, c.new_state] as const));
    const liveKeys = [...lastBefore].map(([id, s]) => `${id}@${isoToEpochNs(s?.last_updated ?? '')}`);
    await waitFor(
      async () => {
        const have = new Set(
          (await stack.pointsSince('0')).map((p) => `${String(p['entity_id'])}@${String(p['time'])}`),
        );
        return liveKeys.every((k) => have.has(k));
      },
      15_000,
      stack.service.output,
    );
    const healthBefore = await stack.health();
    const metricBefore = await backfillPoints();

    // The cut, and 200 changes while the service is away.
    const cutUs = BigInt(Date.now()) * 1000n;
    const cutIndex = stack.watcher.messages.length;
    stack.haLink.cut();
    await waitFor(
      async () => (await stack.health()).connection.current_state !== 'connected',
      10_000,
      stack.service.output,
    );
    const startedMs = Date.now();
    let made = 0;
    for (let round = 0; round < ROUNDS; round++) {
      for (const d of driven) {
        const step = d.rounds[round];
        if (step === undefined) continue;
        const dueMs = startedMs + made * CHANGE_EVERY_MS;
        if (dueMs > Date.now()) await new Promise((done) => setTimeout(done, dueMs - Date.now()));
        await apply(d.entityId, step);
        made++;
      }
    }
    const firedOfDriven = (): StateChanged[] => eventsOf(cutIndex).filter((c) => ids.has(c.entity_id));
    await waitFor(() => firedOfDriven().length >= made, 10_000);
    const restoreUs = BigInt(Date.now()) * 1000n;
    const restoreIndex = stack.watcher.messages.length;
    expect((await stack.health()).connection.current_state).not.toBe('connected');
    stack.haLink.restore();

    // HA fired exactly one event per change (each step differs from the one before).
    const fired = eventsOf(cutIndex, restoreIndex);
    const firedDriven = fired.filter((c) => ids.has(c.entity_id));
    expect(firedDriven).toHaveLength(made);
    const firedKeys = firedDriven.map((c) =>
      key(c.entity_id, microsOfIso(c.new_state?.last_updated ?? ''), c.new_state?.state ?? null),
    );

    // Back: the gap is filled once the recorder committed (commit_interval + 1 s after the newest change).
    await waitFor(
      async () => {
        const h = await stack.health();
        return (
          h.connection.current_state === 'connected' &&
          h.backfill.gaps_filled > healthBefore.backfill.gaps_filled
        );
      },
      30_000,
      stack.service.output,
    );
    const windowRows = async (): Promise<Row[]> =>
      (await stack.pointsSince(cutUs * 1000n)).filter((r) => BigInt(String(r['time'])) <= restoreUs * 1000n);
    // Rows settle: at least the changes fired, and the sink holds nothing more (bounded; a shortfall is reported).
    await waitFor(
      async () =>
        (await windowRows()).filter((r) => ids.has(String(r['entity_id']))).length >= made &&
        (await stack.health()).sink.pending === 0,
      20_000,
    ).catch(() => undefined);

    // HA's own history of the window, over a session of our own: the reference.
    const session = await stack.ha.session();
    const answer = await session.command({
      id: 1,
      type: 'history/history_during_period',
      start_time: new Date(Number(cutUs / 1000n)).toISOString(),
      end_time: new Date(Number(restoreUs / 1000n)).toISOString(),
      entity_ids: [...ids],
      include_start_time_state: false,
      significant_changes_only: false,
      minimal_response: false,
      no_attributes: false,
    });
    // A second read from the setup on: the state each entity had before the cut, as the recorder kept it.
    const before = await session.command({
      id: 2,
      type: 'history/history_during_period',
      start_time: new Date(Number(cutUs / 1000n) - 60_000).toISOString(),
      end_time: new Date(Number(cutUs / 1000n)).toISOString(),
      entity_ids: [...ids],
      include_start_time_state: false,
      significant_changes_only: false,
      minimal_response: false,
    });
    await session.close();
    const history = answer['result'] as Record<string, HistoryRow[]>;
    const historyBefore = before['result'] as Record<string, HistoryRow[]>;
    const historyKeys = Object.entries(history).flatMap(([id, rows]) =>
      rows.map((row) => key(id, BigInt(microsFromHaSeconds(row.lu)), row.s)),
    );
    // What HA fired is what its recorder holds: every change, attribute-only ones included, at the same µs.
    expect([...historyKeys].sort()).toEqual([...firedKeys].sort());

    const rows = await windowRows();
    const driveRows = rows.filter((r) => ids.has(String(r['entity_id'])));
    const rowKeys = driveRows.map((r) =>
      key(String(r['entity_id']), BigInt(String(r['time'])) / 1000n, r['state'] as string | null),
    );
    const duplicates = rowKeys.filter((k, i) => rowKeys.indexOf(k) !== i);
    // Exactly HA's history: the same (entity, µs, state) set, once each.
    expect(duplicates).toEqual([]);
    expect([...rowKeys].sort()).toEqual([...historyKeys].sort());

    // Every one written from the recorder (the service was cut off: none live), without context, chained.
    const wrongPrevious: string[] = [];
    const byKey = new Map(driveRows.map((r, i) => [rowKeys[i] ?? '', r]));
    for (const [id, list] of Object.entries(history)) {
      let previous = historyBefore[id]?.at(-1)?.s ?? null;
      expect(previous).toBe(lastBefore.get(id)?.state);
      for (const row of list) {
        const point = byKey.get(key(id, BigInt(microsFromHaSeconds(row.lu)), row.s));
        expect(point).toMatchObject({ backfill: true, context_id: null });
        expect(point?.['resync']).not.toBe(true);
        if (point?.['previous_state'] !== previous)
          wrongPrevious.push(
            `${id}@${row.lu}: ${String(point?.['previous_state'])}, HA: ${String(previous)}`,
          );
        previous = row.s;
      }
    }
    expect(wrongPrevious).toEqual([]);
    // Attribute-only changes carry the attributes the recorder kept.
    const battery = driveRows
      .filter((r) => String(r['entity_id']) === 'sensor.homeiq_bf_temp_01')
      .map((r) => (JSON.parse(String(r['attributes'])) as { battery?: unknown }).battery);
    expect(battery).toEqual([100, 99, 99, 98, 98, 97, 97, 96, 96, 95]);

    // The whole gap came from the recorder: no fallback, and one backfilled point per change HA fired in the
    // window, for every entity (the template sensors that followed the helpers too).
    const health = await stack.health();
    expect(health.connection.successful_connections).toBe(healthBefore.connection.successful_connections + 1);
    // Back within seconds of the link (WEBSOCKET_MAX_RETRY_DELAY=1, service-stack.ts).
    expect(Date.parse(health.backfill.last_gap?.to ?? '') - Number(restoreUs / 1000n)).toBeLessThan(5_000);
    expect(health.backfill.last_gap?.fallbacks_by_reason).toEqual({});
    expect(health.backfill.last_gap?.error).toBeNull();
    const allFired = fired.filter((c) => c.new_state !== null).length;
    expect(rows.filter((r) => r['backfill'] === true)).toHaveLength(allFired);
    expect((await backfillPoints()) - metricBefore).toBe(allFired);
  });
});
