import { createEventNormalizer, type HaEventEnvelope, type Precision } from '@homeiq/event-normalizer';
import type { HaEvent } from '@homeiq/ha-client';
import fc from 'fast-check';
import {
  createGapBackfill,
  lineTimeOf,
  lostChangeOf,
  type Gap,
  type GapBackfill,
  type GapEvent,
} from './gap-backfill.js';
import type { GapEntity } from './state-memory.js';
import { historyMicros, isoFromMicros, microsFromIso } from './recorder-history.js';

const T0 = Date.parse('2025-01-15T10:00:00Z') * 1000; // epoch µs
const at = (seconds: number): number => T0 + Math.round(seconds * 1e6);
/** The float HA's recorder stores for a change at `micros` (time.time() before rounding). */
const recorded = (micros: number, offset = 0.2): number => (micros + offset) / 1e6;

const state = (entityId: string, value: string, micros: number, changedMicros = micros) => ({
  entity_id: entityId,
  state: value,
  attributes: { friendly_name: entityId },
  last_changed: isoFromMicros(changedMicros),
  last_updated: isoFromMicros(micros),
  context: { id: `ctx-${String(micros)}`, parent_id: null, user_id: null },
});

/** A resync event as StateMemory.resync makes it: what the service last saw → what HA has now. */
function resyncEvent(
  entityId: string,
  previous: ReturnType<typeof state> | null,
  current: ReturnType<typeof state> | null,
  answeredAtMicros = at(60),
): HaEvent {
  return {
    eventType: 'state_changed',
    data: { entity_id: entityId, old_state: previous, new_state: current },
    origin: 'LOCAL',
    timeFired: current?.last_updated ?? isoFromMicros(answeredAtMicros),
    context: { id: '', parentId: null, userId: null },
  };
}

/** The gap's entities as StateMemory.takeGap gives them for these resync events (nothing came live meanwhile). */
function fill(backfill: GapBackfill, resync: readonly HaEvent[], gap: Gap): Promise<GapEvent[]> {
  const entities: GapEntity[] = resync.map((event) => {
    const data = event.data as {
      entity_id: string;
      old_state: GapEntity['before'];
      new_state: GapEntity['latest'];
    };
    return {
      entityId: data.entity_id,
      before: data.old_state,
      afterIso: data.old_state?.last_updated,
      latest: data.new_state,
      untilIso: data.new_state?.last_updated ?? event.timeFired,
      liveSince: new Set(),
    };
  });
  return backfill.fill(entities, resync, gap);
}

type Rows = Record<string, { s: string | null; a: object; lu: number; lc?: number }[]>;

function setup(answer: Rows | Error, nowMs = at(120) / 1000) {
  const requests: Record<string, unknown>[] = [];
  const ha = {
    sendCommand: (type: string, payload?: Record<string, unknown>) => {
      requests.push({ type, ...payload });
      return answer instanceof Error ? Promise.reject(answer) : Promise.resolve(answer);
    },
  };
  const slept: number[] = [];
  const backfill = createGapBackfill({
    ha,
    now: () => nowMs,
    sleep: (ms) => {
      slept.push(ms);
      return Promise.resolve();
    },
  });
  return { backfill, requests, slept };
}

const gap = { fromMs: at(10) / 1000, toMs: at(50) / 1000 };
const data = (e: GapEvent) =>
  e.event.data as { old_state: { state: string } | null; new_state: { state: string } | null };
const summary = (events: readonly GapEvent[]) =>
  events.map((e) => [
    e.source,
    data(e).old_state?.state ?? null,
    data(e).new_state?.state ?? null,
    e.event.timeFired,
  ]);

describe('createGapBackfill', () => {
  it('writes every recorded change of the gap, chained from what the service last saw, at the live microseconds', async () => {
    const before = state('light.a', 'on', at(5));
    const now = state('light.a', 'on', at(40));
    const { backfill, requests } = setup({
      'light.a': [
        { s: 'on', a: {}, lu: recorded(at(5)) }, // what the service saw live: not written again
        { s: 'off', a: {}, lu: recorded(at(20), -0.4) },
        { s: 'on', a: {}, lu: recorded(at(30), 0.49) },
        { s: 'on', a: { brightness: 5 }, lu: recorded(at(40)), lc: recorded(at(30)) }, // attributes only
      ],
    });
    const events = await fill(backfill, [resyncEvent('light.a', before, now)], gap);
    expect(summary(events)).toEqual([
      ['recorder', 'on', 'off', isoFromMicros(at(20))],
      ['recorder', 'off', 'on', isoFromMicros(at(30))],
      ['recorder', 'on', 'on', isoFromMicros(at(40))],
    ]);
    const last = events[2]!.event.data as { new_state: { last_changed: string; attributes: object } };
    expect(last.new_state.last_changed).toBe(isoFromMicros(at(30)));
    expect(last.new_state.attributes).toEqual({ brightness: 5 });
    expect(events.every((e) => e.event.context === undefined)).toBe(true);
    expect(requests).toEqual([
      expect.objectContaining({
        type: 'history/history_during_period',
        entity_ids: ['light.a'],
        include_start_time_state: false,
        significant_changes_only: false,
        minimal_response: false,
        no_attributes: false,
      }),
    ]);
    expect(backfill.stats()).toMatchObject({ gaps: 1, recovered: 3, last: { recovered: 3, fallbacks: {} } });
  });

  it('after a crash, writes nothing up to the durable watermark again, and chains from the last change before it', async () => {
    const stale = state('light.a', 'on', at(5)); // the state memory is saved a minute behind
    const now = state('light.a', 'off', at(40));
    const { backfill } = setup({
      'light.a': [
        { s: 'off', a: {}, lu: recorded(at(10)) }, // landed before the crash
        { s: 'on', a: {}, lu: recorded(at(20)) }, // landed before the crash: the watermark is here
        { s: 'off', a: {}, lu: recorded(at(40)) }, // still in memory when the service was killed
      ],
    });
    const events = await fill(backfill, [resyncEvent('light.a', stale, now)], {
      ...gap,
      durableUntilUs: at(20),
    });
    expect(summary(events)).toEqual([['recorder', 'on', 'off', isoFromMicros(at(40))]]);
  });

  it("after a crash before any state memory was saved, chains the first change from HA's state at the gap's start", async () => {
    const now = state('light.a', 'off', at(40));
    const { backfill, requests } = setup({
      'light.a': [
        { s: 'on', a: {}, lu: recorded(at(5)) }, // before the gap: what HA's start-time row says
        { s: 'off', a: {}, lu: recorded(at(40)) }, // still in memory when the service was killed
      ],
    });
    // No memory: the entity is unknown, its gap starts at the durable watermark.
    const entity: GapEntity = {
      entityId: 'light.a',
      before: null,
      afterIso: undefined,
      latest: now,
      untilIso: now.last_updated,
      liveSince: new Set(),
    };
    const events = await backfill.fill([entity], [], {
      fromMs: at(20) / 1000,
      toMs: at(50) / 1000,
      durableUntilUs: at(20),
    });
    expect(summary(events)).toEqual([['recorder', 'on', 'off', isoFromMicros(at(40))]]);
    // The start-time row is read at the gap's start (HA stamps it there: the duration counts from it).
    const startRow = requests.find((r) => r['include_start_time_state'] === true);
    expect(microsFromIso(String(startRow?.['start_time']))).toBe(at(20));
    const old = events[0]?.event.data as { old_state: { last_changed: string } };
    expect(old.old_state.last_changed).toBe(isoFromMicros(at(20)));
  });

  it('writes the changes a live change after the reconnect would hide, and not that live change again', async () => {
    // The entity's first change after the reconnect came live before HA answered: the answer shows nothing new.
    const before = state('sensor.t', '20', at(5));
    const live = state('sensor.t', '23', at(45));
    const { backfill } = setup({
      'sensor.t': [
        { s: '21', a: {}, lu: recorded(at(20)) },
        { s: '22', a: {}, lu: recorded(at(30)) },
        { s: '23', a: {}, lu: recorded(at(45)) },
      ],
    });
    const entity: GapEntity = {
      entityId: 'sensor.t',
      before,
      afterIso: before.last_updated,
      latest: live,
      untilIso: live.last_updated,
      liveSince: new Set([live.last_updated]),
    };
    const events = await backfill.fill([entity], [], gap);
    expect(summary(events)).toEqual([
      ['recorder', '20', '21', isoFromMicros(at(20))],
      ['recorder', '21', '22', isoFromMicros(at(30))],
    ]);
    expect(backfill.stats().last).toMatchObject({ recovered: 2, fallbacks: {} });
  });

  it('ends a removed entity with its removal row', async () => {
    const before = state('switch.gone', 'off', at(5));
    const { backfill } = setup({
      'switch.gone': [
        { s: 'on', a: {}, lu: recorded(at(15)) },
        { s: null, a: {}, lu: recorded(at(25)) },
      ],
    });
    const events = await fill(backfill, [resyncEvent('switch.gone', before, null)], gap);
    expect(summary(events)).toEqual([
      ['recorder', 'off', 'on', isoFromMicros(at(15))],
      ['recorder', 'on', null, isoFromMicros(at(25))],
    ]);
  });

  it('keeps the resync point, chained after the recorded changes, where the recorder is behind', async () => {
    const before = state('sensor.t', '20', at(5));
    const now = state('sensor.t', '22', at(45));
    const { backfill } = setup({ 'sensor.t': [{ s: '21', a: {}, lu: recorded(at(25)) }] }, at(48) / 1000);
    const events = await fill(backfill, [resyncEvent('sensor.t', before, now)], gap);
    expect(summary(events)).toEqual([
      ['recorder', '20', '21', isoFromMicros(at(25))],
      ['resync', '21', '22', isoFromMicros(at(45))],
    ]);
    expect(backfill.stats().fallbacks).toMatchObject({ recorder_behind: 1 });
  });

  it('waits for the recorder to commit the newest change of the gap before reading', async () => {
    const now = state('sensor.t', '22', at(45));
    const { backfill, slept } = setup({}, at(47) / 1000);
    await fill(backfill, [resyncEvent('sensor.t', state('sensor.t', '20', at(5)), now)], gap);
    expect(slept).toEqual([4000]); // 45 s + 6 s commit wait − 47 s
  });

  it('falls back to the final state, counted by why, for entities the recorder does not keep or cannot answer', async () => {
    const events: HaEvent[] = [
      resyncEvent(
        'sensor.excluded',
        state('sensor.excluded', '1', at(5)),
        state('sensor.excluded', '2', at(20)),
      ),
    ];
    const notRecorded = setup({});
    expect((await fill(notRecorded.backfill, events, gap)).map((e) => e.source)).toEqual(['resync']);
    expect(notRecorded.backfill.stats().fallbacks).toMatchObject({ not_recorded: 1 });

    const noRecorder = setup(Object.assign(new Error('Unknown command.'), { haCode: 'unknown_command' }));
    expect((await fill(noRecorder.backfill, events, gap)).map((e) => e.source)).toEqual(['resync']);
    expect(noRecorder.backfill.stats()).toMatchObject({
      fallbacks: { history_unavailable: 1 },
      last: { error: 'Unknown command.' },
    });

    const failed = setup(new Error('connection lost'));
    expect((await fill(failed.backfill, events, gap)).map((e) => e.source)).toEqual(['resync']);
    expect(failed.backfill.stats().fallbacks).toMatchObject({ history_failed: 1 });
  });

  it('reads entities in chunks, one request at a time', async () => {
    const events = Array.from({ length: 40 }, (_, i) =>
      resyncEvent(`sensor.s${i}`, state(`sensor.s${i}`, '1', at(5)), state(`sensor.s${i}`, '2', at(20))),
    );
    const { backfill, requests } = setup({});
    await fill(backfill, events, gap);
    expect(requests.map((r) => (r['entity_ids'] as string[]).length)).toEqual([16, 16, 8]);
  });
});

describe('recorder times', () => {
  it('rounds a recorded float back to the microsecond of the live event, as CPython does', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1_500_000_000_000_000, max: 2_000_000_000_000_000 }),
        // A double near 1.7e9 s resolves 0.24 µs: a sub-µs part within ±0.3 µs stays on its microsecond.
        fc.double({ min: -0.3, max: 0.3, noNaN: true }),
        (micros, offset) => {
          expect(historyMicros((micros + offset) / 1e6)).toBe(micros);
        },
      ),
    );
    // Recorded from real HA 2025.1.4 (tools/real-ha/fixtures/history-backfill.json): lu and the live time_fired.
    expect(isoFromMicros(historyMicros(1796411352.4359422))).toBe('2026-12-04T19:09:12.435942+00:00');
  });

  it('writes and reads microsecond ISO times as HA does', () => {
    expect(isoFromMicros(at(5.5))).toBe('2025-01-15T10:00:05.500000+00:00');
    expect(isoFromMicros(at(5))).toBe('2025-01-15T10:00:05+00:00');
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 4_000_000_000_000_000 }), (micros) => {
        expect(microsFromIso(isoFromMicros(micros))).toBe(micros);
      }),
    );
    expect(microsFromIso('2025-01-15T10:00:05.5Z')).toBe(at(5.5));
    expect(microsFromIso('not a time')).toBeNaN();
  });
});

describe('refilling what the queue dropped', () => {
  const rows: Rows = {
    'sensor.t': [
      { s: '20.5', a: {}, lu: recorded(at(-4000)) }, // HA's state an hour before the hole (the start-time row)
      { s: '21', a: {}, lu: recorded(at(10)) },
      { s: '22', a: {}, lu: recorded(at(20)) },
      { s: '23', a: {}, lu: recorded(at(30)) },
      { s: '24', a: {}, lu: recorded(at(40)) },
    ],
  };
  const lost = (...seconds: number[]) => new Set(seconds.map((sec) => lineTimeOf('us')(at(sec))));

  it('writes exactly the lost changes, chained from the recorded row before each', async () => {
    const { backfill, requests } = setup(rows);
    const events = await backfill.refill({ changes: new Map([['sensor.t', lost(20, 40, 45)]]) }, 'us');
    // 20 s and 40 s come back; 10 s and 30 s were written and only pass their state on; 45 s is not recorded.
    expect(summary(events)).toEqual([
      ['recorder', '21', '22', isoFromMicros(at(20))],
      ['recorder', '23', '24', isoFromMicros(at(40))],
    ]);
    expect(backfill.stats().lost).toMatchObject({ holes: 1, recovered: 2, unrecovered: 1, failures: 0 });
    expect(backfill.stats().lost.last).toMatchObject({ entities: 1, lost: 3, recovered: 2, unrecovered: 1 });
    // Read from an hour before the first lost change, without the start-time row; then HA's state at that time.
    const period = requests.filter((r) => r['include_start_time_state'] === false);
    expect(microsFromIso(String(period[0]?.['start_time']))).toBe(at(20) - 3_601_000_000);
    expect(requests.filter((r) => r['include_start_time_state'] === true)).toHaveLength(1);
  });

  it('matches a line to its row at the line precision', async () => {
    const { backfill } = setup(rows);
    // At second precision the line of the change at 30.x s has timestamp 30 s: the row is found.
    const seconds = new Set([lineTimeOf('s')(at(30))]);
    const events = await backfill.refill({ changes: new Map([['sensor.t', seconds]]) }, 's');
    expect(summary(events)).toEqual([['recorder', '22', '23', isoFromMicros(at(30))]]);
  });

  it('writes every change of every entity in a window lost on disk', async () => {
    const { backfill } = setup(rows);
    const events = await backfill.refill(
      { changes: new Map(), window: { fromUs: at(15), toUs: at(35) }, windowEntities: ['sensor.t'] },
      'us',
    );
    expect(summary(events).map((e) => e[2])).toEqual(['22', '23']);
    expect(backfill.stats().lost.last?.lost).toBeNull();
  });

  it('rejects when the recorder cannot be read, counted, so the caller keeps the hole', async () => {
    const { backfill } = setup(new Error('timeout'));
    await expect(backfill.refill({ changes: new Map([['sensor.t', lost(20)]]) }, 'us')).rejects.toThrow(
      'timeout',
    );
    expect(backfill.stats().lost).toMatchObject({ holes: 0, failures: 1 });
    expect(backfill.stats().lost.last?.error).toBe('timeout');
  });

  it('reads the entity and time back from any state line the normalizer writes, in both schemas', () => {
    const entityId = fc
      .tuple(
        fc.constantFrom('sensor', 'light', 'binary_sensor'),
        fc.stringMatching(/^[a-z0-9][a-z0-9_]{0,30}$/),
      )
      .map(([domain, object]) => `${domain}.${object}`);
    let checked = 0;
    fc.assert(
      fc.property(
        entityId,
        fc.constantFrom<'homeiq' | 'ha'>('homeiq', 'ha'),
        fc.constantFrom<Precision>('ns', 'us', 'ms', 's'),
        fc.integer({ min: 1_500_000_000_000_000, max: 2_000_000_000_000_000 }),
        fc.string({ maxLength: 20 }),
        (id, schema, precision, micros, value) => {
          const normalizer = createEventNormalizer({ schema, precision });
          const result = normalizer.process({
            eventType: 'state_changed',
            data: {
              entity_id: id,
              old_state: null,
              new_state: {
                ...state(id, value === '' ? 'x' : value, micros),
                attributes: { note: 'a b=c,d' },
              },
            },
            origin: 'LOCAL',
            timeFired: isoFromMicros(micros),
          });
          if (!result.ok) return;
          checked++;
          expect(lostChangeOf(result.line)).toEqual({ entityId: id, time: lineTimeOf(precision)(micros) });
        },
      ),
    );
    expect(checked).toBeGreaterThan(50);
    expect(lostChangeOf('device_history,device_id=abc name="x" 1700000000000000')).toBeUndefined();
    expect(lostChangeOf('garbage')).toBeUndefined();
  });
});

// Keeps the envelope type in view: what the backfill hands the intake must be what the normalizer takes.
export type _Checked = GapEvent['event'] extends HaEventEnvelope ? true : never;
