/**
 * Every event of a simulated home (the ha-sim model: sensors, lights, covers, locks, trackers, churn,
 * unavailable/unknown periods, user and parent contexts) goes through both schemas without a single validation
 * rejection, and the homeiq lines are the official client's.
 */
import { createHomeModel, type HaEvent } from '@homeiq/ha-sim';
import { createEventNormalizer } from './normalizer.js';
import type { RegistryLookup } from './registry-lookup.js';
import { fromWire } from './testing-internal/events.js';
import { officialLine } from './testing-internal/official-line.js';
import type { HaEventEnvelope } from './types.js';

function simulatedEvents(): { events: HaEventEnvelope[]; registry: RegistryLookup } {
  let nowMs = 1736935500000;
  const home = createHomeModel({ entities: 150, seed: 3, now: () => (nowMs += 0.37), churnRatio: 0.01 });
  const events: HaEventEnvelope[] = [];
  home.onEvent((event) => {
    // The simulator speaks HA's wire format; ha-client converts each frame's envelope once, as here.
    if (event.event_type === 'state_changed')
      events.push(fromWire(JSON.parse(JSON.stringify(event)) as HaEvent));
  });
  home.randomChanges(3000);
  // The simulator's own join of its registries (registry-discovery's live join is checked against it there).
  const registry: RegistryLookup = { lookup: (id) => home.entityContext(id) };
  return { events, registry };
}

describe('a simulated home', () => {
  const { events, registry } = simulatedEvents();

  it('normalizes every event, with every change kind, and writes the official lines', () => {
    const normalizer = createEventNormalizer({ registry });
    const kinds = new Set<string>();
    let enriched = 0;
    for (const event of events) {
      const result = normalizer.process(event);
      if (!result.ok) throw new Error(`${result.reason}: ${result.detail}`);
      kinds.add(result.event.changeKind);
      if (result.event.areaName !== null) enriched++;
      expect(result.line).toBe(officialLine(result.event));
    }
    expect(events.length).toBeGreaterThan(2000);
    expect([...kinds].sort()).toEqual(['added', 'attributes', 'removed', 'state']);
    expect(enriched).toBeGreaterThan(events.length / 2);
    expect(normalizer.stats().written).toBe(events.length);
  });

  it('writes HA-layout points for everything HA would write, and nothing else', () => {
    const normalizer = createEventNormalizer({ schema: 'ha' });
    for (const event of events) normalizer.process(event);
    const stats = normalizer.stats();
    const skippedByHa = events.filter((e) => {
      const data = e.data as { new_state: { state: string } | null };
      return data.new_state === null || ['unknown', 'unavailable', ''].includes(data.new_state.state);
    }).length;
    expect(skippedByHa).toBeGreaterThan(0);
    expect(stats.rejected.ha_state_not_written).toBe(skippedByHa);
    expect(stats.written).toBe(events.length - skippedByHa);
  });

  it('keeps every event of an entity at a distinct timestamp', () => {
    const normalizer = createEventNormalizer();
    const seen = new Set<string>();
    for (const event of events) {
      const result = normalizer.process(event);
      if (result.ok) seen.add(`${result.event.entityId} ${result.event.timeFiredUs}`);
    }
    expect(seen.size).toBe(events.length);
  });
});
