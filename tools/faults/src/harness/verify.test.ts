import { isoToEpochNs, type Ledger, type SentEvent } from './ledger.js';
import type { Row } from './rig.js';
import { parseMetrics } from './service-api.js';
import { compareDelivery, deliveryProblems } from './verify.js';

/** A ledger from a compact script: `[entity, state | null, delivered]` per event, times 1 µs apart. */
function ledgerOf(
  script: readonly (readonly [string, string | null, boolean])[],
  initial: string[] = [],
): Ledger {
  const events: SentEvent[] = script.map(([entityId, state, delivered], seq) => ({
    seq,
    entityId,
    timeNs: String(1_000_000 + seq * 1000),
    lastUpdatedNs: state === null ? null : String(1_000_000 + seq * 1000),
    state,
    delivered,
    emittedAtMs: seq,
  }));
  return {
    events,
    initialEntities: new Set(initial),
    overDelivered: 0,
    partlyDelivered: 0,
    emit: (mutation) => mutation(),
    randomChanges: () => 0,
    totals: () => ({ sent: events.length, delivered: events.filter((e) => e.delivered).length }),
    dispose: () => undefined,
  };
}

const live = (e: SentEvent): Row => ({
  time: e.timeNs,
  entity_id: e.entityId,
  state: e.state ?? '<removed>',
  resync: false,
  backfill: false,
});
const backfilled = (e: SentEvent): Row => ({ ...live(e), backfill: true });
const resynced = (e: SentEvent): Row => ({ ...live(e), resync: true });

describe('compareDelivery', () => {
  // a changes while connected, then a and b change during a gap, then a changes again (live).
  const ledger = ledgerOf([
    ['s.a', '1', true],
    ['s.a', '2', false],
    ['s.b', '7', false],
    ['s.b', '8', false],
    ['s.a', '3', true],
  ]);
  const [a1, a2, b7, b8, a3] = ledger.events as [SentEvent, SentEvent, SentEvent, SentEvent, SentEvent];

  it('accepts live rows plus a backfill row of every change of the gap', () => {
    const report = compareDelivery(ledger, [
      live(a1),
      backfilled(a2),
      backfilled(b7),
      backfilled(b8),
      live(a3),
    ]);
    expect(deliveryProblems(report)).toEqual([]);
    expect(report).toMatchObject({
      sent: 5,
      undelivered: 3,
      windows: 1,
      stored: 5,
      missing: 0,
      liveRows: 2,
      backfillRows: 3,
      resyncRows: 0,
    });
    expect(report.fallbacks).toEqual([]);
  });

  it('accepts a fallback to the final state, and counts the changes before it as lost to it', () => {
    const report = compareDelivery(ledger, [live(a1), backfilled(a2), resynced(b8), live(a3)]);
    expect(report.fallbacks).toEqual([b8]);
    expect(report.lostToFallback).toEqual([b7]);
    expect(report.missing).toBe(1);
    expect(deliveryProblems(report)).toEqual([
      expect.stringContaining('1 changes while not subscribed lost to a fallback: #2 s.b'),
    ]);
  });

  it('fails the old contract: final states only', () => {
    const report = compareDelivery(ledger, [live(a1), resynced(a2), resynced(b8), live(a3)]);
    expect(report.fallbacks).toEqual([a2, b8]);
    expect(deliveryProblems(report)).not.toEqual([]);
  });

  it('reports a lost live change, a change never backfilled, a row HA never fired and wrong marks', () => {
    const stranger: Row = { time: '5', entity_id: 's.z', state: 'x', resync: false, backfill: false };
    const wrongState: Row = { ...backfilled(b7), state: '9' };
    const report = compareDelivery(ledger, [live(a1), live(a2), wrongState, stranger, backfilled(b8)]);
    expect(report.missingLive).toEqual([a3]);
    expect(report.wrong.map((w) => w.row)).toEqual([live(a2), wrongState]);
    expect(report.unexpected).toEqual([stranger]);
    expect(report.missing).toBe(1);
    expect(deliveryProblems(report)).toHaveLength(3);

    const superseded = compareDelivery(ledger, [live(a1), backfilled(b7), backfilled(b8), live(a3)]);
    expect(superseded.missingBackfill).toEqual([a2]);
    expect(deliveryProblems(superseded)).toEqual([
      expect.stringContaining(
        '#1 s.a@1001000 2 (undelivered) (its first change after the gap, #4, came live (gap end + 1))',
      ),
    ]);
  });

  it('reports an (entity, time) stored twice in two series', () => {
    const rows = [live(a1), live(a1), backfilled(a2), backfilled(b7), backfilled(b8), live(a3)];
    const report = compareDelivery(ledger, rows);
    expect(report.duplicates).toEqual([`s.a ${a1.timeNs}`]);
    expect(report.unexpected).toEqual([live(a1)]);
  });

  it('reports a delivered change stored with a gap mark as rewritten, apart from the wrong ones', () => {
    const report = compareDelivery(ledger, [
      backfilled(a1),
      backfilled(a2),
      backfilled(b7),
      backfilled(b8),
      live(a3),
    ]);
    expect(report.rewritten).toEqual([a1]);
    expect(report.wrong).toEqual([]);
    expect(deliveryProblems(report)).toEqual([
      expect.stringContaining('1 delivered changes stored with a gap mark'),
    ]);
  });

  it('expects removals backfilled or resynced, and sets apart entities born and gone within a gap', () => {
    const removal = ledgerOf(
      [
        ['s.k', null, false],
        ['s.u', '1', false],
        ['s.u', null, false],
        ['s.r', null, false],
        ['s.x', '1', true],
        ['s.r', '5', true],
      ],
      ['s.k', 's.r'],
    );
    const [k, u1, u2, r, x, r5] = removal.events as [
      SentEvent,
      SentEvent,
      SentEvent,
      SentEvent,
      SentEvent,
      SentEvent,
    ];
    // The fallback's removal point is stamped when HA answered without the entity: after it, before its return.
    const marker: Row = { ...resynced(r), time: String(BigInt(r.timeNs) + 500n) };
    const report = compareDelivery(removal, [backfilled(k), marker, live(x), live(r5)]);
    expect(deliveryProblems(report)).toEqual([]);
    expect(report.unobservable).toEqual([u1, u2]);
    expect(report.fallbacks).toEqual([r]);
    expect(report.sent).toBe(report.stored + report.missing + report.unobservable.length);

    // A removal point at the entity's return is not the removal's: it stands where the return's live row should.
    const late: Row = { ...marker, time: r5.timeNs };
    const without = compareDelivery(removal, [late, live(x)]);
    expect(without.missingBackfill).toEqual([k, r]);
    expect(without.wrong).toEqual([{ row: late, why: 'live change to 5' }]);
    expect(without.unobservable).toHaveLength(2);
  });
});

describe('isoToEpochNs', () => {
  it('keeps HA microseconds exactly, with and without a fraction', () => {
    expect(isoToEpochNs('2025-01-15T10:05:00.654321+00:00')).toBe('1736935500654321000');
    expect(isoToEpochNs('2025-01-15T10:05:00+00:00')).toBe('1736935500000000000');
    expect(isoToEpochNs('2025-01-15T10:05:00.5+01:00')).toBe('1736931900500000000');
    expect(() => isoToEpochNs('yesterday')).toThrow('not an HA timestamp');
  });
});

describe('parseMetrics', () => {
  it('sums samples by name and labels, and groups by a label', () => {
    const metrics = parseMetrics(
      [
        '# HELP x_total help',
        'x_total{service="s",stage="queue",reason="overflow"} 3',
        'x_total{service="s",stage="influxdb",reason="rejected"} 1',
        'x_total{service="s",stage="queue",reason="closed"} 0',
        'y 2.5',
      ].join('\n'),
    );
    expect(metrics.value('x_total')).toBe(4);
    expect(metrics.value('x_total', { stage: 'queue' })).toBe(3);
    expect(metrics.value('y')).toBe(2.5);
    expect(metrics.value('missing')).toBe(0);
    expect(metrics.byLabel('x_total', 'reason')).toEqual({ overflow: 3, rejected: 1 });
  });
});
