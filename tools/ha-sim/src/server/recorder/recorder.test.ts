import fc from 'fast-check';
import { createHomeModel, homeInternals } from '../../model/home-model.js';
import { ManualTimers } from '../../testing-internal/manual-timers.js';
import { significantStates, type PeriodQuery } from './history-query.js';
import { microsFromSeconds, parseHaDatetime, recordedSeconds } from './history-time.js';
import { Recorder } from './recorder.js';
import { resolveRecorderOptions, type RecorderOptions } from './recorder-options.js';

const T0 = Date.UTC(2026, 0, 15, 10, 0, 0);
const ANY_NUMBER = expect.any(Number) as number;

/** A home on a manual clock with a recorder; `step(ms)` moves both the clock and the timers. */
function setup(options: RecorderOptions = {}, entities = 30) {
  const timers = new ManualTimers();
  timers.now = T0;
  const home = createHomeModel({ entities, seed: 4, now: () => timers.now });
  const impl = homeInternals(home);
  const recorder = new Recorder(
    impl.machine,
    resolveRecorderOptions({ commitIntervalMs: 0, ...options }),
    () => timers.now,
    timers,
  );
  const first = (domain: string): string => {
    const id = home.entityIds().find((e) => e.startsWith(`${domain}.`));
    if (id === undefined) throw new Error(domain);
    return id;
  };
  const step = (ms = 1): void => {
    timers.advance(ms);
  };
  const nowMicros = (): number => timers.now * 1000;
  return { timers, home, impl, recorder, first, step, nowMicros };
}

type Rows = Record<string, { s: string | null; a?: Record<string, unknown>; lu: number; lc?: number }[]>;

function query(recorder: Recorder, partial: Partial<PeriodQuery> & Pick<PeriodQuery, 'entityIds'>): Rows {
  const full: PeriodQuery = {
    startMicros: T0 * 1000,
    endMicros: null,
    includeStartTimeState: false,
    significantChangesOnly: false,
    minimalResponse: false,
    noAttributes: false,
    ...partial,
  };
  return JSON.parse(significantStates(recorder, full).json) as Rows;
}

describe('recorder', () => {
  it('keeps every change per entity in order, answers in request order, strict on both ends', () => {
    const { home, recorder, first, step } = setup();
    const sensor = first('sensor');
    const light = first('light');
    for (const value of ['1', '2', '3']) {
      step(1000);
      home.setState(sensor, value);
      step(10);
      home.setState(light, value === '2' ? 'off' : 'on');
    }
    const rows = query(recorder, { entityIds: [sensor, light] });
    expect(Object.keys(rows)).toEqual([sensor, light]);
    expect(rows[sensor]?.map((r) => r.s)).toEqual(['1', '2', '3']);
    const lus = rows[sensor]?.map((r) => r.lu) ?? [];
    expect([...lus].sort((a, b) => a - b)).toEqual(lus);
    const row = recorder.rows(sensor)?.find((r) => r.state === '2');
    if (row === undefined) throw new Error('no row');
    const states = (startMicros: number, endMicros: number | null): (string | null)[] =>
      query(recorder, { entityIds: [sensor], startMicros, endMicros })[sensor]?.map((r) => r.s) ?? [];
    expect(states(row.luMicros - 1, row.luMicros + 1)).toEqual(['2']);
    // A bound at the row's own microsecond: in or out depending on the stored float's sub-µs digits.
    const above = row.lu > row.luMicros / 1e6;
    expect(states(row.luMicros, row.luMicros + 1)).toEqual(above ? ['2'] : []);
    expect(states(row.luMicros - 1, row.luMicros)).toEqual(above ? [] : ['2']);
  });

  it('stores lu as a float that rounds (as CPython does) to the event microsecond', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1_600_000_000_000_000, max: 2_000_000_000_000_000 }), (micros) => {
        expect(microsFromSeconds(recordedSeconds(micros))).toBe(micros);
      }),
    );
  });

  it('leaves out what the recorder never stores, and keeps attribute-only rows with lc', () => {
    const { home, recorder, first, step } = setup();
    const sensor = first('sensor');
    step(1000);
    home.setState(sensor, '5', {
      friendly_name: 'X',
      attribution: 'a',
      supported_features: 1,
      restored: true,
    });
    step(1000);
    home.setState(sensor, '5', { friendly_name: 'Y' });
    const rows = query(recorder, { entityIds: [sensor] })[sensor] ?? [];
    expect(rows.map((r) => r.a)).toEqual([{ friendly_name: 'X' }, { friendly_name: 'Y' }]);
    expect(rows[0]?.lc).toBeUndefined();
    expect(rows[1]?.lc).toBe((recorder.rows(sensor)?.at(-1)?.lcMicros ?? 0) / 1e6);
    expect(recorder.history(sensor).at(-1)?.attributes).toEqual({ friendly_name: 'Y' });
  });

  it('significant_changes_only drops attribute-only rows and lc, except in significant domains', () => {
    const { home, recorder, first, step } = setup({}, 80);
    const sensor = first('sensor');
    const climate = first('climate');
    step(1000);
    home.setState(sensor, '1', { a: 1 });
    home.setState(climate, 'heat', { t: 1 });
    step(1000);
    home.setState(sensor, '1', { a: 2 });
    home.setState(climate, 'heat', { t: 2 });
    const rows = query(recorder, { entityIds: [sensor, climate], significantChangesOnly: true });
    expect(rows[sensor]?.map((r) => r.a)).toEqual([{ a: 1 }]);
    expect(rows[climate]?.map((r) => r.a)).toEqual([{ t: 1 }, { t: 2 }]);
    expect(rows[climate]?.some((r) => 'lc' in r)).toBe(false);
  });

  it('minimal_response: the first row full, then {s, lu} where the state string changes', () => {
    const { home, recorder, first, step } = setup();
    const sensor = first('sensor');
    for (const [state, a] of [
      ['1', 1],
      ['1', 2],
      ['2', 2],
    ] as const) {
      step(1000);
      home.setState(sensor, state, { a });
    }
    const rows = query(recorder, { entityIds: [sensor], minimalResponse: true })[sensor];
    expect(rows).toEqual([
      { s: '1', a: { a: 1 }, lu: ANY_NUMBER },
      { s: '2', lu: ANY_NUMBER },
    ]);
  });

  it('include_start_time_state adds the last earlier row at start_time; no_attributes gives "a": {}', () => {
    const { home, recorder, first, step, nowMicros } = setup();
    const sensor = first('sensor');
    step(1000);
    home.setState(sensor, '1', { a: 1 });
    step(1000);
    const start = nowMicros();
    step(1000);
    home.setState(sensor, '2', { a: 2 });
    const withStart = query(recorder, {
      entityIds: [sensor],
      startMicros: start,
      includeStartTimeState: true,
    });
    expect(withStart[sensor]).toEqual([
      { s: '1', a: { a: 1 }, lu: start / 1e6 },
      { s: '2', a: { a: 2 }, lu: ANY_NUMBER },
    ]);
    const bare = query(recorder, { entityIds: [sensor], startMicros: start, noAttributes: true });
    expect(bare[sensor]).toEqual([{ s: '2', a: {}, lu: ANY_NUMBER }]);
  });

  it('keeps removals as rows with state null and leaves out entities it never recorded', () => {
    const { home, recorder, first, step } = setup();
    const sensor = first('sensor');
    step(1000);
    home.removeEntity(sensor);
    const rows = query(recorder, { entityIds: [sensor, 'sensor.never_there'] });
    expect(Object.keys(rows)).toEqual([sensor]);
    expect(rows[sensor]?.at(-1)).toEqual({ s: null, a: {}, lu: ANY_NUMBER });
  });

  it('makes writes visible only once committed, every commitIntervalMs on its timers', () => {
    const { home, recorder, first, step } = setup({ commitIntervalMs: 5000 });
    const sensor = first('sensor');
    step(1000);
    home.setState(sensor, '1');
    expect(recorder.pendingWrites()).toBe(1);
    expect(query(recorder, { entityIds: [sensor] })).toEqual({});
    step(4999);
    expect(query(recorder, { entityIds: [sensor] })).toEqual({});
    step(1);
    expect(query(recorder, { entityIds: [sensor] })[sensor]?.map((r) => r.s)).toEqual(['1']);
    home.setState(sensor, '2');
    recorder.commit();
    expect(recorder.pendingWrites()).toBe(0);
    expect(query(recorder, { entityIds: [sensor] })[sensor]?.map((r) => r.s)).toEqual(['1', '2']);
  });

  it('purges rows older than purgeKeepDays at each commit', () => {
    const { home, recorder, first, step } = setup({ purgeKeepDays: 10 });
    const sensor = first('sensor');
    step(1000);
    home.setState(sensor, 'old');
    step(9 * 86_400_000);
    home.setState(sensor, 'new');
    expect(recorder.history(sensor).map((r) => r.state)).toContain('old');
    step(2 * 86_400_000);
    expect(recorder.purge()).toBeGreaterThan(0);
    expect(recorder.history(sensor).map((r) => r.state)).toEqual(['new']);
  });

  it('does not keep excluded entities (domains, entity ids, globs)', () => {
    const { home, recorder, first, step } = setup({
      exclude: { domains: ['light'], entities: ['sun.sun'], entityGlobs: ['sensor.*'] },
    });
    const ids = [first('light'), 'sun.sun', first('sensor'), first('switch')];
    step(1000);
    for (const id of ids) home.setState(id, 'x');
    expect(ids.map((id) => recorder.history(id).length > 0)).toEqual([false, false, false, true]);
  });

  it('seeds days of history for every entity without firing an event', () => {
    const { home, recorder } = setup({}, 300);
    const events: unknown[] = [];
    home.onEvent((event) => events.push(event));
    const before = home.states();
    const started = performance.now();
    const added = recorder.seedHistory({ days: 10, meanIntervalMs: 600_000 });
    const tookMs = performance.now() - started;
    expect(events).toEqual([]);
    expect(home.states()).toEqual(before);
    expect(added).toBeGreaterThan(300 * 10 * 100);
    expect(tookMs).toBeLessThan(15_000);
    for (const id of home.entityIds().slice(0, 20)) {
      const lus = recorder.history(id).map((r) => r.lastUpdatedTs);
      expect([...lus].sort((a, b) => a - b)).toEqual(lus);
      expect(lus[0]).toBeGreaterThanOrEqual((T0 - 10 * 86_400_000) / 1000);
    }
  });

  it('returns exactly the changes with start < lu < end, in order, once each', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({ gapMs: fc.integer({ min: 0, max: 3000 }), value: fc.integer({ min: 0, max: 3 }) }),
          {
            maxLength: 40,
          },
        ),
        fc.integer({ min: 0, max: 130_000_000 }),
        fc.integer({ min: 0, max: 130_000_000 }),
        (changes, a, b) => {
          const { home, impl, recorder, first, step } = setup({}, 8);
          const sensor = first('sensor');
          const writes: { state: string; lu: number }[] = [];
          for (const change of changes) {
            step(change.gapMs);
            // Attribute-only changes (same value, other attributes) are changes too; exact repeats are not.
            const attributes = { v: change.value, parity: change.gapMs % 2 };
            if (home.setState(sensor, String(change.value), attributes)) {
              const record = impl.machine.records.get(sensor);
              writes.push({ state: String(change.value), lu: recordedSeconds(record?.lastUpdated ?? 0) });
            }
          }
          const startMicros = T0 * 1000 + Math.min(a, b);
          const endMicros = T0 * 1000 + Math.max(a, b);
          const expected = writes.filter((w) => w.lu > startMicros / 1e6 && w.lu < endMicros / 1e6);
          const got = query(recorder, { entityIds: [sensor], startMicros, endMicros })[sensor] ?? [];
          expect(got.map((r) => ({ state: r.s, lu: r.lu }))).toEqual(expected);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('parses start_time and end_time as HA does', () => {
    expect(parseHaDatetime('2026-01-15T10:00:00+00:00')).toBe(T0 * 1000);
    expect(parseHaDatetime('2026-01-15 11:00:00.5+01:00')).toBe(T0 * 1000 + 500_000);
    expect(parseHaDatetime('2026-01-15T10:00:00.123456Z')).toBe(T0 * 1000 + 123_456);
    expect(parseHaDatetime('yesterday')).toBeNull();
    expect(parseHaDatetime('2026-02-30T00:00:00')).toBeNull();
  });
});
