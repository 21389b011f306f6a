import type { HaSim, HaState, HaStateChangedData } from '@homeiq/ha-sim';

/** One `state_changed` event the simulated HA fired, and whether it went to the service. */
export interface SentEvent {
  /** Position in the ledger (emission order). */
  readonly seq: number;
  readonly entityId: string;
  /** `time_fired` as exact epoch nanoseconds (the service writes µs precision by default: ns = µs·1000). */
  readonly timeNs: string;
  /** `new_state.last_updated` as epoch ns: what a gap resync writes as the point's time. Null when removed. */
  readonly lastUpdatedNs: string | null;
  /** The new state string; null for a removal (the service writes `<removed>`). */
  readonly state: string | null;
  /**
   * The simulator queued it to the service's `state_changed` subscription. False while the service was not
   * subscribed (disconnected, reconnecting, or between auth and the subscription).
   */
  delivered: boolean;
  /** Wall-clock time (ms) of the emission in this process. */
  readonly emittedAtMs: number;
}

/**
 * Records every `state_changed` event of the simulated home, in emission order, and which ones the simulator
 * queued to a subscriber. Mutations go through {@link Ledger.emit}, which reads the simulator's counters around
 * each one (`eventsSent`, less the messages a half-open or closing connection dropped at once): 1 queued message
 * per event means it went to the service's one subscription, 0 means nobody was listening, and more means a
 * duplicate subscription (counted in `overDelivered`).
 */
export interface Ledger {
  readonly events: readonly SentEvent[];
  /** Entities with a state when the ledger started (what the service's first `get_states` saw). */
  readonly initialEntities: ReadonlySet<string>;
  /** Event messages queued beyond one per event and subscriber: a duplicate `state_changed` subscription. */
  readonly overDelivered: number;
  /** Events queued to some subscribers but not all (several services, one of them away): not `delivered`. */
  readonly partlyDelivered: number;
  /** Runs a state mutation of the simulated home (one event at most) and records what it fired; returns its result. */
  emit<T>(mutation: () => T): T;
  /** `emit(() => sim.home.randomChanges(1))`, `count` times; returns how many events fired. */
  randomChanges(count: number): number;
  /** Events fired so far, and how many of them were delivered. */
  totals(): { readonly sent: number; readonly delivered: number };
  dispose(): void;
}

/** Options of {@link createLedger}. */
export interface LedgerOptions {
  /** Services subscribed to the simulator (several can share one event stream). @default 1 */
  readonly subscribers?: number;
  /** @default Date.now */
  readonly now?: () => number;
}

export function createLedger(sim: HaSim, options: LedgerOptions = {}): Ledger {
  const subscribers = options.subscribers ?? 1;
  const now = options.now ?? Date.now;
  const events: SentEvent[] = [];
  const initialEntities = new Set(sim.home.entityIds());
  let overDelivered = 0;
  let partlyDelivered = 0;
  let delivered = 0;
  const unsubscribe = sim.home.onEvent((event) => {
    if (event.event_type !== 'state_changed') return;
    const data = event.data as HaStateChangedData;
    const next: HaState | null = data.new_state;
    events.push({
      seq: events.length,
      entityId: data.entity_id,
      timeNs: isoToEpochNs(event.time_fired),
      lastUpdatedNs: next === null ? null : isoToEpochNs(next.last_updated),
      state: next === null ? null : next.state,
      delivered: false,
      emittedAtMs: now(),
    });
  });

  /** Messages queued to a live connection's writer: `eventsSent` minus those a frozen or closing one dropped. */
  function queuedSoFar(): number {
    const stats = sim.stats();
    return stats.eventsSent - (stats.dropped['half_open'] ?? 0) - (stats.dropped['closed'] ?? 0);
  }

  function emit<T>(mutation: () => T): T {
    const first = events.length;
    const before = queuedSoFar();
    const result = mutation();
    const queued = queuedSoFar() - before;
    const fired = events.length - first;
    // A state mutation fires at most one state_changed event, and nothing else the service subscribes to.
    const expected = fired * subscribers;
    if (queued >= expected && fired > 0) {
      for (let i = first; i < events.length; i++) {
        const event = events[i];
        if (event) event.delivered = true;
      }
      delivered += fired;
      overDelivered += queued - expected;
    } else if (queued > 0) {
      partlyDelivered += fired;
    }
    return result;
  }

  return {
    events,
    initialEntities,
    get overDelivered() {
      return overDelivered;
    },
    get partlyDelivered() {
      return partlyDelivered;
    },
    emit,
    randomChanges(count) {
      const first = events.length;
      for (let i = 0; i < count; i++) emit(() => sim.home.randomChanges(1));
      return events.length - first;
    },
    totals: () => ({ sent: events.length, delivered }),
    dispose: () => {
      unsubscribe();
    },
  };
}

const ISO = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d{1,6}))?(Z|[+-]\d\d:\d\d)$/;

/** HA's isoformat (`2025-01-15T10:05:00.654321+00:00`) to exact epoch nanoseconds, as text. */
export function isoToEpochNs(iso: string): string {
  const match = ISO.exec(iso);
  if (!match) throw new Error(`not an HA timestamp: ${iso}`);
  const seconds = Date.parse(`${match[1] ?? ''}${match[3] ?? ''}`) / 1000;
  const micros = Number((match[2] ?? '').padEnd(6, '0'));
  return (BigInt(seconds) * 1_000_000_000n + BigInt(micros) * 1000n).toString();
}
