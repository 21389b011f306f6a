import pino from 'pino';
import { createEventNormalizer, type EventSource, type HaEventEnvelope } from '@homeiq/event-normalizer';
import { createGapBackfill } from './gap-backfill.js';
import { createGapResync } from './gap-resync.js';
import type { Intake } from './intake.js';
import { isoFromMicros, microsFromIso } from './recorder-history.js';
import { createStateMemory } from './state-memory.js';

const state = (entityId: string, value: string, lastUpdated: string) => ({
  entity_id: entityId,
  state: value,
  attributes: {},
  last_changed: lastUpdated,
  last_updated: lastUpdated,
  context: { id: `ctx-${value}`, parent_id: null, user_id: null },
});
const T = (s: string) => `2025-01-15T10:00:${s}+00:00`;
const silent = pino({ level: 'silent' });

function setup(answers: (readonly unknown[] | Error)[], saved: readonly unknown[] = []) {
  const memory = createStateMemory(saved);
  const ingested: { event: HaEventEnvelope; resync: boolean }[] = [];
  const intake: Intake = {
    ingest: (event, source) => {
      ingested.push({ event, resync: source === 'resync' });
      return true;
    },
    close: () => undefined,
  };
  const ha = {
    sendCommand: () => {
      const answer = answers.shift();
      return answer instanceof Error ? Promise.reject(answer) : Promise.resolve(answer);
    },
  };
  const resync = createGapResync({
    ha,
    memory,
    intake,
    restored: saved.length > 0,
    log: silent,
    now: () => Date.parse('2025-01-15T10:01:00Z'),
  });
  return { resync, ingested };
}

describe('createGapResync', () => {
  it('takes the first answer as the baseline, then writes what a gap changed, marked resync', async () => {
    const { resync, ingested } = setup([
      [state('light.a', 'on', T('00'))],
      [state('light.a', 'off', T('20'))],
    ]);
    await resync.onFirstConnection(Date.parse('2025-01-15T10:00:01Z'));
    expect(ingested).toEqual([]);
    await resync.afterGap({
      fromMs: Date.parse('2025-01-15T10:00:10Z'),
      toMs: Date.parse('2025-01-15T10:00:30Z'),
    });
    expect(
      ingested.map(({ event, resync: marked }) => [(event.data as { entity_id: string }).entity_id, marked]),
    ).toEqual([['light.a', true]]);
    expect(resync.stats()).toEqual({
      gaps: 1,
      points: 1,
      failures: 0,
      backfill: null,
      lostPending: { changes: 0, asWindow: false },
      lostUntraceable: 0,
    });
  });

  it("after a restart, the first connection is a gap against the last run's memory", async () => {
    const { resync, ingested } = setup(
      [[state('light.a', 'off', T('20'))]],
      [state('light.a', 'on', T('00'))],
    );
    await resync.onFirstConnection(Date.parse('2025-01-15T10:00:30Z'));
    expect(ingested).toHaveLength(1);
    expect(resync.stats()).toEqual({
      gaps: 1,
      points: 1,
      failures: 0,
      backfill: null,
      lostPending: { changes: 0, asWindow: false },
      lostUntraceable: 0,
    });
  });

  it('counts a resync whose get_states failed, and writes nothing for it', async () => {
    const { resync, ingested } = setup([[state('light.a', 'on', T('00'))], new Error('connection lost')]);
    await resync.onFirstConnection(0);
    await resync.afterGap({
      fromMs: Date.parse('2025-01-15T10:00:10Z'),
      toMs: Date.parse('2025-01-15T10:00:30Z'),
    });
    expect(ingested).toEqual([]);
    expect(resync.stats()).toEqual({
      gaps: 1,
      points: 0,
      failures: 1,
      backfill: null,
      lostPending: { changes: 0, asWindow: false },
      lostUntraceable: 0,
    });
  });
});

describe('points the queue dropped', () => {
  const NOW_MS = Date.parse('2025-01-15T10:05:00Z');
  const us = (iso: string): number => microsFromIso(iso);
  /** HA's recorder: these rows whatever is asked (the backfill keeps what it needs). */
  const history = {
    'light.a': [
      { s: 'on', a: {}, lu: us(T('00')) / 1e6 },
      { s: 'off', a: {}, lu: us(T('20')) / 1e6 },
      { s: 'on', a: {}, lu: us(T('40')) / 1e6 },
      { s: 'off', a: {}, lu: Date.parse('2025-01-15T10:05:30Z') / 1000 },
    ],
  };
  const normalizer = createEventNormalizer({ precision: 'us' });
  /** The line the live stream queued for this change. */
  const line = (value: string, iso: string, previous: string) => {
    const result = normalizer.process({
      eventType: 'state_changed',
      data: {
        entity_id: 'light.a',
        old_state: state('light.a', previous, T('00')),
        new_state: state('light.a', value, iso),
      },
      origin: 'LOCAL',
      timeFired: iso,
    });
    if (!result.ok) throw new Error('not a point');
    return result.line;
  };

  function setupLost(fail = 0, queueEmptyAtStart = false) {
    let clock = NOW_MS;
    let failures = fail;
    const requests: Record<string, unknown>[] = [];
    const ha = {
      sendCommand: (type: string, payload?: Record<string, unknown>) => {
        requests.push({ type, ...payload });
        if (type === 'history/history_during_period' && failures-- > 0)
          return Promise.reject(new Error('timeout'));
        return Promise.resolve(type === 'get_states' ? [] : history);
      },
    };
    const ingested: { state: unknown; previous: unknown; source: EventSource | undefined; at: string }[] = [];
    const intake: Intake = {
      ingest: (event, source) => {
        const data = event.data as {
          new_state: { state: string } | null;
          old_state: { state: string } | null;
        };
        ingested.push({
          state: data.new_state?.state,
          previous: data.old_state?.state,
          source,
          at: event.timeFired,
        });
        return true;
      },
      close: () => undefined,
    };
    const memory = createStateMemory([state('light.a', 'on', T('40'))]);
    const now = () => clock;
    const resync = createGapResync({
      ha,
      memory,
      intake,
      restored: false,
      backfill: createGapBackfill({ ha, now, sleep: () => Promise.resolve() }),
      queueEmptyAtStart,
      log: silent,
      now,
    });
    return { resync, ingested, requests, advance: (ms: number) => (clock += ms) };
  }

  it('reads the dropped changes back once the queue is empty, and only those', async () => {
    const { resync, ingested, requests } = setupLost();
    resync.linesLost({ reason: 'overflow', count: 1, lines: [line('off', T('20'), 'on')] });
    expect(resync.stats().lostPending).toEqual({ changes: 1, asWindow: false });
    // InfluxDB is still down: the queue holds lines, nothing is read.
    await resync.lostTick({ empty: false, oldestPushedAtMs: NOW_MS - 1000 });
    expect(requests).toEqual([]);
    await resync.lostTick({ empty: true, oldestPushedAtMs: undefined });
    expect(ingested).toEqual([
      { state: 'off', previous: 'on', source: 'recorder', at: isoFromMicros(us(T('20'))) },
    ]);
    expect(resync.stats().lostPending).toEqual({ changes: 0, asWindow: false });
    expect(resync.stats().backfill?.lost).toMatchObject({ holes: 1, recovered: 1, unrecovered: 0 });
    // Read back once: the next empty queue reads nothing.
    const asked = requests.length;
    await resync.lostTick({ empty: true, oldestPushedAtMs: undefined });
    expect(requests).toHaveLength(asked);
  });

  it('reads every change since the queue was last empty when lines were lost on disk', async () => {
    const { resync, ingested, advance } = setupLost();
    await resync.lostTick({ empty: true, oldestPushedAtMs: undefined });
    // Empty at 10:05:00; lines arrive and a spool segment is evicted a minute later.
    advance(60_000);
    await resync.lostTick({ empty: false, oldestPushedAtMs: NOW_MS + 1000 });
    resync.linesLost({ reason: 'spool_full', count: 500, lines: undefined });
    expect(resync.stats().lostPending).toEqual({ changes: 0, asWindow: true });
    await resync.lostTick({ empty: true, oldestPushedAtMs: undefined });
    // The rows of 10:00 lie before the window (10:04:55 on) and are not written again; the one in it is.
    expect(ingested).toEqual([
      { state: 'off', previous: 'on', source: 'recorder', at: '2025-01-15T10:05:30+00:00' },
    ]);
    expect(resync.stats().backfill?.lost.last).toMatchObject({
      lost: null,
      fromUs: (NOW_MS - 5000) * 1000,
      entities: 1,
    });
  });

  it('keeps a hole whose read failed and reads it at the next empty queue', async () => {
    const { resync, ingested } = setupLost(1);
    resync.linesLost({ reason: 'spool_full', count: 1, lines: [line('on', T('40'), 'off')] });
    await resync.lostTick({ empty: true, oldestPushedAtMs: undefined });
    expect(ingested).toEqual([]);
    expect(resync.stats().lostPending.changes).toBe(1);
    expect(resync.stats().backfill?.lost.failures).toBe(1);
    await resync.lostTick({ empty: true, oldestPushedAtMs: undefined });
    expect(ingested.map((e) => [e.previous, e.state, e.source])).toEqual([['off', 'on', 'recorder']]);
  });

  it('queues a hole at most half the room in memory at a time, so that reading it back drops nothing', async () => {
    const { resync, ingested } = setupLost();
    resync.linesLost({
      reason: 'overflow',
      count: 2,
      lines: [line('off', T('20'), 'on'), line('on', T('40'), 'off')],
    });
    await resync.lostTick({ empty: true, oldestPushedAtMs: undefined, room: 2 });
    expect(ingested.map((e) => e.state)).toEqual(['off']);
    expect(resync.stats().lostPending.changes).toBe(1);
    await resync.lostTick({ empty: false, oldestPushedAtMs: NOW_MS, room: 1 });
    expect(ingested).toHaveLength(1);
    await resync.lostTick({ empty: false, oldestPushedAtMs: NOW_MS, room: 3 });
    expect(ingested.map((e) => e.state)).toEqual(['off', 'on']);
    expect(resync.stats().lostPending.changes).toBe(0);
  });

  it('keeps a hole of more than 200,000 changes as their time span, so that memory stays bounded', async () => {
    const { resync } = setupLost();
    const firstUs = us(T('10'));
    const lines = Array.from(
      { length: 200_001 },
      (_, i) => `home_assistant_events,domain=light,entity_id=light.a state="on" ${firstUs + i}`,
    );
    resync.linesLost({ reason: 'overflow', count: lines.length, lines });
    expect(resync.stats().lostPending).toEqual({ changes: 0, asWindow: true });
    await resync.lostTick({ empty: true, oldestPushedAtMs: undefined });
    expect(resync.stats().backfill?.lost.last).toMatchObject({ lost: null, fromUs: firstUs });
    expect(resync.stats().lostPending).toEqual({ changes: 0, asWindow: false });
  });

  it('cannot place lines lost on disk before this run saw its queue empty (a previous run may have spooled them)', async () => {
    const { resync, requests } = setupLost();
    resync.linesLost({ reason: 'spool_corrupt', count: 7, lines: undefined });
    expect(resync.stats()).toMatchObject({
      lostUntraceable: 7,
      lostPending: { changes: 0, asWindow: false },
    });
    await resync.lostTick({ empty: true, oldestPushedAtMs: undefined });
    expect(requests).toEqual([]);
  });

  it('places lines lost on disk after its start when the queue opened empty (an outage from the first seconds)', async () => {
    const { resync, requests } = setupLost(0, true);
    resync.linesLost({ reason: 'spool_full', count: 7, lines: undefined });
    expect(resync.stats()).toMatchObject({
      lostUntraceable: 0,
      lostPending: { changes: 0, asWindow: true },
    });
    await resync.lostTick({ empty: true, oldestPushedAtMs: undefined });
    expect(requests.filter((r) => r['type'] === 'history/history_during_period')).not.toEqual([]);
    expect(resync.stats().lostPending).toEqual({ changes: 0, asWindow: false });
  });

  it('leaves lines dropped at shutdown to the restart, and drops without the recorder as they were', () => {
    const { resync } = setupLost();
    resync.linesLost({ reason: 'closed', count: 1, lines: [line('off', T('20'), 'on')] });
    expect(resync.stats().lostPending).toEqual({ changes: 0, asWindow: false });
    const { resync: plain } = setup([]);
    plain.linesLost({ reason: 'overflow', count: 1, lines: [line('off', T('20'), 'on')] });
    expect(plain.stats().lostPending).toEqual({ changes: 0, asWindow: false });
  });
});
