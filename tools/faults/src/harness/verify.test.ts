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
});
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
  const [a1, a2, , b8, a3] = ledger.events as [SentEvent, SentEvent, SentEvent, SentEvent, SentEvent];

  it('accepts live rows plus the final state of each entity that changed during the gap', () => {
    const report = compareDelivery(ledger, [live(a1), resynced(a2), resynced(b8), live(a3)]);
    expect(deliveryProblems(report)).toEqual([]);
    expect(report).toMatchObject({ windows: 1, resyncRequired: 1, resyncOptional: 1, undelivered: 3 });
  });

  it('lets a live event that came before the next gap supersede the resync', () => {
    expect(deliveryProblems(compareDelivery(ledger, [live(a1), resynced(b8), live(a3)]))).toEqual([]);
  });

  it('reports a lost live event, a missing final state, a row HA never sent and a wrong resync mark', () => {
    const stranger: Row = { time: '5', entity_id: 's.z', state: 'x', resync: false };
    const report = compareDelivery(ledger, [live(a1), { ...live(a2), resync: false }, stranger]);
    expect(report.missingLive).toEqual([a3]);
    expect(report.missingResync).toEqual([b8]);
    expect(report.unexpected).toEqual([stranger]);
    expect(report.wrong.map((w) => w.row)).toEqual([{ ...live(a2), resync: false }]);
    expect(deliveryProblems(report)).toHaveLength(4);
  });

  it('reports an (entity, time) stored twice in two series', () => {
    const report = compareDelivery(ledger, [live(a1), live(a1), resynced(b8), live(a3)]);
    expect(report.duplicates).toEqual([`s.a ${a1.timeNs}`]);
  });

  it('expects a removal resync only for an entity the service knew', () => {
    const removal = ledgerOf(
      [
        ['s.k', null, false],
        ['s.u', '1', false],
        ['s.u', null, false],
        ['s.x', '1', true],
      ],
      ['s.k'],
    );
    const [k] = removal.events as [SentEvent];
    const marker: Row = {
      time: String(BigInt(k.timeNs) + 500n),
      entity_id: 's.k',
      state: '<removed>',
      resync: true,
    };
    expect(
      deliveryProblems(compareDelivery(removal, [marker, live(removal.events[3] as SentEvent)])),
    ).toEqual([]);
    const without = compareDelivery(removal, [live(removal.events[3] as SentEvent)]);
    expect(without.missingResync).toEqual([k]);
    expect(without.unobservable).toBe(1);
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
