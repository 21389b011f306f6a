import type { HaEvent } from '@homeiq/ha-client';

/** The parts of an HA state object (`get_states`, `new_state`) that resync reads. */
export interface HaStateLike {
  readonly entity_id: string;
  readonly last_updated: string;
  readonly state?: unknown;
  readonly attributes?: unknown;
  readonly last_changed?: unknown;
  readonly context?: {
    readonly id?: unknown;
    readonly parent_id?: unknown;
    readonly user_id?: unknown;
  } | null;
}

/**
 * A state as a snapshot keeps it: what resync compares, what the normalizer needs of an old state, and only the
 * attributes a point's tags come from (the full attributes are HA's to keep).
 */
export interface RememberedState {
  readonly entity_id: string;
  readonly state: string;
  readonly attributes: Readonly<Record<string, unknown>>;
  readonly last_changed: string;
  readonly last_updated: string;
  readonly context: { readonly id: unknown; readonly parent_id: unknown; readonly user_id: unknown } | null;
}

const MAX_REMOVALS = 10_000;
const TAG_ATTRIBUTES = ['friendly_name', 'unit_of_measurement', 'device_class', 'state_class'] as const;

/**
 * Remembers the last state of every entity, so that after a gap (a reconnect) the states HA reports now can be
 * compared with what the service last saw: every entity that changed, appeared or disappeared meanwhile yields
 * one synthetic `state_changed` event, which the pipeline writes marked as a resync. A gap then leaves each
 * entity's final state in InfluxDB, though not the intermediate ones HA never sent us.
 *
 * HA's `last_updated` strings are all UTC `+00:00` isoformat, with or without microseconds, and compare
 * correctly as plain strings ('…:00+00:00' < '…:00.5+00:00'), so no parsing is needed here.
 */
/** An entity whose state moved during a gap: what the service saw before it, what it knows after it. */
export interface GapEntity {
  readonly entityId: string;
  /** Its state when the gap began; null when the service did not know it. */
  readonly before: HaStateLike | null;
  /**
   * Its changes after this time were not seen before the gap: `before.last_updated`, or for an entity the service
   * did not know, the newest change it had seen of any entity (HA sends in order, so nothing older was missed).
   * Undefined when the service had seen nothing yet.
   */
  readonly afterIso: string | undefined;
  /** Its state now, from HA's answer or a live event; null when it is gone. */
  readonly latest: HaStateLike | null;
  /** When it was last known: `latest.last_updated`, or for a removal when it was seen gone. */
  readonly untilIso: string;
  /** The times (`last_updated`, a removal's `time_fired`) of its changes that arrived live since the gap began. */
  readonly liveSince: ReadonlySet<string>;
}

export interface StateMemory {
  /**
   * Records a live `state_changed` event's new state (or the removal, at `timeFired`). Cheap: one Map operation,
   * plus one Set insert while a gap is open.
   */
  observe(data: unknown, timeFired?: string): void;
  /**
   * A gap begins (the connection was lost, or the last run's memory was restored): the states as they are now are
   * its base, and the live changes from here are noted. A gap already open keeps its older base.
   */
  beginGap(): void;
  /**
   * Ends the open gap after `resync` adopted HA's answer: every entity whose state moved since the base, with the
   * live changes seen meanwhile (a change that arrived live before HA answered must not hide the recorder's changes
   * before it). Empty when no gap was open.
   */
  takeGap(answeredAtIso: string): GapEntity[];
  /**
   * Takes a full `get_states` answer as the memory, without producing events (first connect). States the live
   * stream delivered before the answer was handled are newer than it (or of entities added since), and stay;
   * entities it removed stay removed.
   */
  reset(states: readonly unknown[]): void;
  /**
   * Compares a `get_states` answer taken after a reconnect with the memory, returns the synthetic events, and
   * adopts the answer as the new memory. States the live stream already delivered newer than the answer win.
   * A removal is stamped `answeredAtIso`, when the answer showed the entity gone: HA may remove it after the
   * reconnect and before its subscription takes effect, so the reconnect time can precede the removal.
   */
  resync(states: readonly unknown[], reconnectedAtIso: string, answeredAtIso?: string): HaEvent[];
  /** The memory as slim records, for a snapshot file (see state-snapshot.ts). */
  snapshot(): RememberedState[];
  readonly size: number;
  /** Grows with every change of the memory: a snapshot of the same version need not be written again. */
  readonly version: number;
}

/** `saved`: the records of a snapshot (the last run's memory); invalid ones are skipped. */
export function createStateMemory(saved: readonly unknown[] = []): StateMemory {
  let known = new Map<string, HaStateLike>(saved.filter(isRemembered).map((s) => [s.entity_id, s]));
  let version = 0;
  // Removals seen live since the last answer, by the removed state's `last_updated`: an answer HA produced
  // before the removal (handled after it, from the same read) still lists the entity, and must not revive it.
  let removed = new Map<string, string>();
  // The open gap: its base (the states when it began) and the live change times since, per entity.
  let gapBase: Map<string, HaStateLike> | undefined;
  // The newest change seen live (a `last_updated`, which compares as a plain string), and its value at the gap.
  let newestSeen: string | undefined;
  let gapNewestSeen: string | undefined;
  const seen = (lastUpdated: string): void => {
    if (newestSeen === undefined || lastUpdated > newestSeen) newestSeen = lastUpdated;
  };
  for (const state of known.values()) seen(state.last_updated);
  let liveSince = new Map<string, Set<string>>();
  let liveNoted = 0;
  const noteLive = (entityId: string, time: unknown): void => {
    if (gapBase === undefined || typeof time !== 'string') return;
    // A gap whose resync never comes (HA unreachable for long) must not grow without bound: forget it.
    if (++liveNoted > 1_000_000) {
      gapBase = undefined;
      liveSince = new Map();
      return;
    }
    let times = liveSince.get(entityId);
    if (times === undefined) liveSince.set(entityId, (times = new Set()));
    times.add(time);
  };
  const removedBefore = (state: HaStateLike): boolean => {
    const removedAt = removed.get(state.entity_id);
    return removedAt !== undefined && state.last_updated <= removedAt;
  };

  return {
    get size() {
      return known.size;
    },
    get version() {
      return version;
    },
    observe(data, timeFired) {
      if (typeof data !== 'object' || data === null) return;
      const { entity_id: entityId, new_state: next } = data as { entity_id?: unknown; new_state?: unknown };
      if (typeof entityId !== 'string') return;
      if (isState(next)) {
        known.set(entityId, next);
        removed.delete(entityId);
        seen(next.last_updated);
        noteLive(entityId, next.last_updated);
      } else if (next === null) {
        noteLive(entityId, timeFired);
        known.delete(entityId);
        const last = (data as { old_state?: { last_updated?: unknown } | null }).old_state?.last_updated;
        // Bounded: answers clear it; a flood of removals without one only loses this guard.
        if (removed.size >= MAX_REMOVALS) removed.clear();
        removed.set(entityId, typeof last === 'string' ? last : '');
      } else return;
      version++;
    },
    reset(states) {
      const answer = states.filter((s): s is HaStateLike => isState(s) && !removedBefore(s));
      const next = new Map(answer.map((s) => [s.entity_id, s]));
      removed = new Map();
      for (const [entityId, seen] of known) {
        const listed = next.get(entityId);
        if (listed === undefined || seen.last_updated >= listed.last_updated) next.set(entityId, seen);
      }
      known = next;
      for (const state of answer) seen(state.last_updated);
      version++;
    },
    beginGap() {
      if (gapBase !== undefined) return;
      gapBase = new Map(known);
      gapNewestSeen = newestSeen;
      liveSince = new Map();
      liveNoted = 0;
    },
    takeGap(answeredAtIso) {
      const base = gapBase;
      if (base === undefined) return [];
      gapBase = undefined;
      const since = liveSince;
      liveSince = new Map();
      const entities: GapEntity[] = [];
      for (const entityId of new Set([...base.keys(), ...known.keys(), ...since.keys()])) {
        const before = base.get(entityId) ?? null;
        const latest = known.get(entityId) ?? null;
        const live = since.get(entityId) ?? new Set<string>();
        if (before?.last_updated === latest?.last_updated && live.size === 0) continue;
        // Seen gone: live (its removal's time), or by the answer.
        const liveRemoval = latest === null ? [...live].sort().at(-1) : undefined;
        const untilIso = latest?.last_updated ?? liveRemoval ?? answeredAtIso;
        const afterIso = before?.last_updated ?? gapNewestSeen;
        entities.push({ entityId, before, afterIso, latest, untilIso, liveSince: live });
      }
      return entities;
    },
    snapshot() {
      const records: RememberedState[] = [];
      for (const state of known.values()) {
        const record = remember(state);
        if (record) records.push(record);
      }
      return records;
    },
    resync(states, reconnectedAtIso, answeredAtIso = reconnectedAtIso) {
      const events: HaEvent[] = [];
      const next = new Map<string, HaStateLike>();
      for (const state of states) {
        if (!isState(state) || removedBefore(state)) continue;
        const previous = known.get(state.entity_id);
        if (previous && previous.last_updated >= state.last_updated) {
          next.set(state.entity_id, previous); // unchanged, or the live stream already has something newer
          continue;
        }
        next.set(state.entity_id, state);
        events.push(synthetic(state.entity_id, previous ?? null, state, state.last_updated));
      }
      for (const [entityId, previous] of known) {
        if (next.has(entityId)) continue;
        // Seen live after the reconnect but not in the answer: newer than it, keep it.
        if (previous.last_updated >= reconnectedAtIso) next.set(entityId, previous);
        else events.push(synthetic(entityId, previous, null, answeredAtIso));
      }
      for (const state of next.values()) seen(state.last_updated);
      known = next;
      removed = new Map();
      version++;
      return events;
    },
  };
}

/** The slim copy of a state, or undefined when it lacks what the normalizer needs of an old state. */
function remember(state: HaStateLike): RememberedState | undefined {
  const { state: value, attributes, last_changed: lastChanged } = state;
  if (typeof value !== 'string' || typeof lastChanged !== 'string') return undefined;
  const kept: Record<string, unknown> = {};
  if (typeof attributes === 'object' && attributes !== null) {
    for (const name of TAG_ATTRIBUTES) {
      const attribute = (attributes as Record<string, unknown>)[name];
      if (attribute !== undefined) kept[name] = attribute;
    }
  }
  const context = state.context;
  return {
    entity_id: state.entity_id,
    state: value,
    attributes: kept,
    last_changed: lastChanged,
    last_updated: state.last_updated,
    context: context ? { id: context.id, parent_id: context.parent_id, user_id: context.user_id } : null,
  };
}

function isRemembered(value: unknown): value is RememberedState {
  if (!isState(value)) return false;
  const { state, attributes, last_changed: lastChanged } = value;
  return (
    typeof state === 'string' &&
    typeof lastChanged === 'string' &&
    typeof attributes === 'object' &&
    attributes !== null
  );
}

function isState(value: unknown): value is HaStateLike {
  if (typeof value !== 'object' || value === null) return false;
  const { entity_id: entityId, last_updated: lastUpdated } = value as Record<string, unknown>;
  return typeof entityId === 'string' && typeof lastUpdated === 'string';
}

function synthetic(
  entityId: string,
  oldState: HaStateLike | null,
  newState: HaStateLike | null,
  timeFired: string,
): HaEvent {
  const context = (newState ?? oldState)?.context;
  const text = (value: unknown) => (typeof value === 'string' ? value : null);
  return {
    eventType: 'state_changed',
    data: { entity_id: entityId, old_state: oldState, new_state: newState },
    origin: 'LOCAL',
    timeFired,
    context: {
      id: text(context?.id) ?? '',
      parentId: text(context?.parent_id),
      userId: text(context?.user_id),
    },
  };
}
