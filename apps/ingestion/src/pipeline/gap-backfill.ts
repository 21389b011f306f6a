import type { EventSource, HaEventEnvelope, Precision } from '@homeiq/event-normalizer';
import type { HaClient, HaEvent } from '@homeiq/ha-client';
import { chainRecordedStates } from '../backfill/recorded-events.js';
import { readStatesAt } from '../backfill/start-states.js';
import {
  microsFromIso,
  readRecordedStates,
  type HistoryReadLimits,
  type RecordedState,
} from './recorder-history.js';
import type { GapEntity, HaStateLike } from './state-memory.js';

/**
 * Why an entity's gap was written as its final state only (a resync point) instead of every recorded change:
 * `not_recorded`, the recorder has no row of the entity in the gap (excluded from the recorder, or older than its
 * retention); `recorder_behind`, its newest rows were not committed yet when read; `history_unavailable`, HA has
 * no history API (no `recorder`/`history` integration, or a core older than 2022.6); `history_failed`, the read
 * failed (a timeout, a lost connection, an HA error).
 */
export type BackfillFallback = 'not_recorded' | 'recorder_behind' | 'history_unavailable' | 'history_failed';

/** One event to write for a gap, and what made it. */
export interface GapEvent {
  readonly event: HaEventEnvelope;
  readonly source: Extract<EventSource, 'resync' | 'recorder'>;
}

/** What the last filled gap was and what it cost. */
export interface LastBackfill {
  /** The gap: the connection was lost at `fromMs` (or the last run's memory was saved), back at `toMs`. */
  readonly fromMs: number;
  readonly toMs: number;
  /** Entities that changed in the gap. */
  readonly entities: number;
  /** Changes read back from the recorder and written. */
  readonly recovered: number;
  /** Entities written as their final state only, by why. */
  readonly fallbacks: Readonly<Partial<Record<BackfillFallback, number>>>;
  readonly requests: number;
  readonly durationMs: number;
  /** The read's error, when it failed. */
  readonly error: string | null;
}

/**
 * Points the queue dropped after they reached the service (its memory overflowed, the spool went over its disk
 * budget, a spool region was corrupt): a hole to read back from the recorder once InfluxDB accepts writes again.
 */
export interface LossHole {
  /**
   * The changes known lost (the queue still had the lines): per entity, each line's timestamp in the line
   * precision, so a recorded row is one of them when its `last_updated` in that precision is.
   */
  readonly changes: ReadonlyMap<string, ReadonlySet<string>>;
  /**
   * Lines dropped on disk, so unknown which (an evicted segment, a corrupt region): every recorded change of every
   * entity whose `last_updated` lies in `[fromUs, toUs]` is written again.
   */
  readonly window?: { readonly fromUs: number; readonly toUs: number };
  /** The entities the window applies to (every entity the service knows). */
  readonly windowEntities?: readonly string[];
}

/** Filling what the queue dropped (`/health` `backfill.lost`, `/metrics`). */
export interface LostRefillStats {
  /** Holes read back. */
  readonly holes: number;
  /** Changes read back from the recorder and queued again. */
  readonly recovered: number;
  /** Changes known lost that the recorder does not have (not recorded, purged, or never committed). */
  readonly unrecovered: number;
  /** Reads that failed; their hole stays, to be read again. */
  readonly failures: number;
  readonly last: LastRefill | null;
}

export interface LastRefill {
  /** When the hole was read back, epoch ms. */
  readonly atMs: number;
  /** The lost changes' times (first and last), epoch µs; the window's bounds when lines were lost on disk. */
  readonly fromUs: number;
  readonly toUs: number;
  readonly entities: number;
  /** Changes known lost; null when some were lost on disk (unknown which). */
  readonly lost: number | null;
  readonly recovered: number;
  readonly unrecovered: number;
  /** Up to five of them, `entity_id@line time`, for the log. */
  readonly unrecoveredSample: readonly string[];
  readonly requests: number;
  readonly error: string | null;
}

export interface GapBackfillStats {
  readonly gaps: number;
  /** Points read back from the recorder. */
  readonly recovered: number;
  /** Entities written as their final state only, by why. */
  readonly fallbacks: Readonly<Record<BackfillFallback, number>>;
  readonly invalidRows: number;
  readonly last: LastBackfill | null;
  readonly lost: LostRefillStats;
}

export interface GapBackfillOptions extends HistoryReadLimits {
  readonly ha: Pick<HaClient, 'sendCommand'>;
  /**
   * How long after a change the recorder is sure to have committed it: HA commits every `commit_interval`
   * (5 s by default since 2023.2), so a read waits until the newest change of the gap is this old. @default 6000
   */
  readonly commitWaitMs?: number;
  /** @default Date.now */
  readonly now?: () => number;
  /** @default setTimeout */
  readonly sleep?: (ms: number) => Promise<void>;
}

/**
 * Fills a gap from HA's recorder: for every entity whose state changed while the live stream had a hole (the
 * resync events of `StateMemory.resync`, one per entity, `old_state` what the service last saw, `new_state` what
 * HA has now), every change the recorder kept after the old state up to the current one, chained (each change's
 * `old_state` is the change before it, so previous state and duration in state are right) and stamped with its
 * recorded `last_updated`, the same microsecond as the live event would have had. An entity whose recorded
 * changes do not reach its current state keeps its resync point for the last one, counted by why.
 */
export interface GapBackfill {
  /**
   * `entities`: every entity whose state moved during the gap (`StateMemory.takeGap`); `resync`: the final-state
   * events of `StateMemory.resync`, written for the entities the recorder cannot fill.
   */
  fill(entities: readonly GapEntity[], resync: readonly HaEvent[], gap: Gap): Promise<GapEvent[]>;
  /**
   * Reads a {@link LossHole} back: the lost changes (only those: a change that was written is not written again),
   * chained from the recorder's row before each (read from an hour before the hole, or HA's state then), marked as
   * recorder points. Rejects when the read fails (the caller keeps the hole for a later attempt).
   */
  refill(hole: LossHole, precision: Precision): Promise<GapEvent[]>;
  stats(): GapBackfillStats;
}

/** A hole in the live stream. */
export interface Gap {
  /** When the connection was lost (or, after a restart, the newest state the last run saw), epoch ms. */
  readonly fromMs: number;
  /** When the subscription was back, epoch ms. */
  readonly toMs: number;
  /**
   * After a restart: every live change up to this time (epoch µs) is known written or spooled (durable-watermark.ts),
   * so the recorder's rows up to it are not written again, even where the state memory is older.
   */
  readonly durableUntilUs?: number;
}

interface Change {
  readonly entityId: string;
  /** The final-state event of the entity, when the live stream has not brought its latest state. */
  readonly resync: HaEvent | undefined;
  readonly before: HaStateLike | null;
  /** Null: the entity is gone. */
  readonly latest: HaStateLike | null;
  /** The `last_updated` of the state the service last saw (or the gap's start): rows from here are read... */
  readonly seenUs: number;
  /** ...those after this (exclusive) are written: `seenUs`, or the durable watermark when it is newer... */
  readonly afterUs: number;
  /** ...up to this (inclusive): when the entity was last known (its latest state, or seen gone)... */
  readonly untilUs: number;
  /** ...except those that arrived live meanwhile (written already). */
  readonly liveUs: ReadonlySet<number>;
}

const HOUR_US = 3_600_000_000;
/** Microseconds per unit of a line's timestamp. */
const UNIT_US: Readonly<Record<Precision, number>> = { ns: 0.001, us: 1, ms: 1000, s: 1_000_000 };

/**
 * A `last_updated` (epoch µs) as the timestamp text of its line at `precision` (the normalizer truncates). Text:
 * nanoseconds since 1970 are beyond a double's exact integers.
 */
export function lineTimeOf(precision: Precision): (us: number) => string {
  if (precision === 'ns') return (us) => `${us}000`;
  const unit = UNIT_US[precision];
  return (us) => String(Math.floor(us / unit));
}

/** The first microsecond a line timestamp covers. */
export function microsOfLineTime(time: string, precision: Precision): number {
  return precision === 'ns' ? Number(time.slice(0, -3) || '0') : Number(time) * UNIT_US[precision];
}

/**
 * The entity and timestamp of a dropped state line, for the recorder to give it back; undefined for a line that
 * is not one entity's state (a device-history line, a line whose tags HA's `tags` option replaced). Both schemas
 * tag `domain` and `entity_id` (the full id in `homeiq`, the object id in HA's), and the timestamp ends the line.
 */
export function lostChangeOf(line: string): { entityId: string; time: string } | undefined {
  const space = tagsEnd(line);
  if (space < 0) return undefined;
  const tags = line.slice(0, space);
  const entity = /,entity_id=([a-z0-9_.]+)(?:,|$)/.exec(tags)?.[1];
  const domain = /,domain=([a-z0-9_]+)(?:,|$)/.exec(tags)?.[1];
  const time = /\s([1-9]\d{0,18})\s*$/.exec(line)?.[1];
  if (entity === undefined || time === undefined) return undefined;
  const entityId = entity.includes('.') ? entity : domain === undefined ? undefined : `${domain}.${entity}`;
  return entityId === undefined ? undefined : { entityId, time };
}

/** The first space of a line not escaped by a backslash: where the measurement and its tags end. */
function tagsEnd(line: string): number {
  for (let i = 0; i < line.length; i++) {
    const c = line.charCodeAt(i);
    if (c === 92) i++;
    else if (c === 32) return i;
  }
  return -1;
}

const FALLBACKS: readonly BackfillFallback[] = [
  'not_recorded',
  'recorder_behind',
  'history_unavailable',
  'history_failed',
];

export function createGapBackfill(options: GapBackfillOptions): GapBackfill {
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const commitWaitMs = options.commitWaitMs ?? 6000;
  const totals = {
    gaps: 0,
    recovered: 0,
    invalidRows: 0,
    fallbacks: Object.fromEntries(FALLBACKS.map((reason) => [reason, 0])) as Record<BackfillFallback, number>,
  };
  let last: LastBackfill | null = null;
  const lost = { holes: 0, recovered: 0, unrecovered: 0, failures: 0 };
  let lastRefill: LastRefill | null = null;

  return {
    async refill(hole, precision) {
      const toLineTime = lineTimeOf(precision);
      const times = [...hole.changes.values()].flatMap((set) => [...set]);
      const entityIds = [
        ...new Set([...hole.changes.keys(), ...(hole.window ? (hole.windowEntities ?? []) : [])]),
      ];
      // A line's time is its row's `last_updated` cut to the line precision: the row lies within one unit after.
      let fromUs = hole.window?.fromUs ?? Infinity;
      let toUs = hole.window?.toUs ?? -Infinity;
      for (const t of times) {
        const us = microsOfLineTime(t, precision);
        fromUs = Math.min(fromUs, us);
        toUs = Math.max(toUs, us + UNIT_US[precision]);
      }
      const record = (part: Partial<LastRefill>): void => {
        lastRefill = {
          atMs: now(),
          fromUs,
          toUs,
          entities: entityIds.length,
          lost: hole.window ? null : times.length,
          recovered: 0,
          unrecovered: 0,
          unrecoveredSample: [],
          requests: 0,
          error: null,
          ...part,
        };
      };
      if (entityIds.length === 0 || !Number.isFinite(fromUs) || !Number.isFinite(toUs)) {
        record({});
        return [];
      }
      // The recorder commits in intervals: read once the newest lost change is surely committed.
      const waitMs = Math.ceil(toUs / 1000) + commitWaitMs - now();
      if (waitMs > 0) await sleep(Math.min(waitMs, commitWaitMs));
      // An hour before the hole gives most entities their row before it (previous state, duration in state); one
      // that did not change in that hour starts from HA's state then (its duration counts from there). One second
      // more, so that the hour's slice does not end on the first lost change: HA's bounds are strict on the
      // unrounded float, and a row on the bound's microsecond can fall outside both slices
      // (docs/ha-history.md#the-window).
      const readFromUs = fromUs - HOUR_US - 1_000_000;
      let requests = 0;
      let states: ReadonlyMap<string, readonly RecordedState[]>;
      let before: Map<string, Record<string, unknown>>;
      try {
        const read = await readRecordedStates(
          options.ha,
          { entityIds, startUs: readFromUs, endUs: toUs + 1_000_000 },
          options,
        );
        requests += read.requests;
        totals.invalidRows += read.invalidRows;
        states = read.states;
        before = new Map();
        const perRequest = options.entitiesPerRequest ?? 16;
        for (let i = 0; i < entityIds.length; i += perRequest) {
          requests++;
          for (const [id, state] of await readStatesAt(
            options.ha,
            entityIds.slice(i, i + perRequest),
            readFromUs,
          ))
            before.set(id, state);
        }
      } catch (caught) {
        lost.failures++;
        record({ requests, error: caught instanceof Error ? caught.message : String(caught) });
        throw caught;
      }
      const out: GapEvent[] = [];
      let unrecovered = 0;
      const unrecoveredSample: string[] = [];
      for (const entityId of entityIds) {
        const wanted = hole.changes.get(entityId);
        const rows = states.get(entityId) ?? [];
        const isLost = (row: RecordedState): boolean =>
          (wanted?.has(toLineTime(row.lastUpdatedUs)) ?? false) ||
          (hole.window !== undefined &&
            row.lastUpdatedUs >= hole.window.fromUs &&
            row.lastUpdatedUs <= hole.window.toUs);
        const { events } = chainRecordedStates(
          entityId,
          rows,
          before.get(entityId) ?? null,
          (row) => !isLost(row),
        );
        for (const event of events) out.push({ event, source: 'recorder' });
        if (wanted !== undefined) {
          const found = new Set(rows.map((row) => toLineTime(row.lastUpdatedUs)));
          for (const t of wanted) {
            if (found.has(t)) continue;
            unrecovered++;
            if (unrecoveredSample.length < 5) unrecoveredSample.push(`${entityId}@${t}`);
          }
        }
      }
      lost.holes++;
      lost.recovered += out.length;
      lost.unrecovered += unrecovered;
      record({ recovered: out.length, unrecovered, unrecoveredSample, requests });
      return out;
    },
    async fill(entities, resync, gap) {
      const startedMs = now();
      totals.gaps++;
      const resyncOf = new Map<string, HaEvent>();
      for (const event of resync) {
        const entityId = (event.data as { entity_id?: unknown }).entity_id;
        if (typeof entityId === 'string') resyncOf.set(entityId, event);
      }
      const parsed: Change[] = [];
      for (const entity of entities) {
        const c = change(entity, resyncOf.get(entity.entityId), gap.fromMs * 1000, gap.durableUntilUs);
        if (c !== undefined) parsed.push(c);
      }
      // An entity whose latest state is older than the durable watermark was written: nothing to fill or resync.
      const durable = new Set(parsed.filter((c) => c.untilUs <= c.afterUs).map((c) => c.resync));
      const changes = parsed.filter((c) => c.untilUs > c.afterUs);
      const fallbacks: Partial<Record<BackfillFallback, number>> = {};
      const fallBack = (reason: BackfillFallback): void => {
        fallbacks[reason] = (fallbacks[reason] ?? 0) + 1;
        totals.fallbacks[reason]++;
      };
      // A final-state event no entity of the gap accounts for is written as it is.
      const covered = new Set([...changes.map((c) => c.resync), ...durable]);
      const out: GapEvent[] = resync
        .filter((event) => !covered.has(event))
        .map((event) => ({ event, source: 'resync' }));
      let recovered = 0;
      let requests = 0;
      let error: string | null = null;
      if (changes.length > 0) {
        const untilUs = Math.max(...changes.map((c) => c.untilUs));
        // The recorder commits in intervals: read once the newest change of the gap is surely committed.
        const waitMs = Math.ceil(untilUs / 1000) + commitWaitMs - now();
        if (waitMs > 0) await sleep(Math.min(waitMs, commitWaitMs));
        const readAtUs = now() * 1000;
        try {
          const read = await readRecordedStates(
            options.ha,
            {
              entityIds: changes.map((c) => c.entityId),
              // One second of margin on each side: HA's window is strict on the unrounded float, so a bound on
              // the exact microsecond of a change may fall either side of it (docs/ha-history.md#the-window).
              startUs: Math.min(...changes.map((c) => c.seenUs)) - 1_000_000,
              endUs: untilUs + 1_000_000,
            },
            options,
          );
          requests = read.requests;
          totals.invalidRows += read.invalidRows;
          // An entity the service did not know (a crash before any state memory was saved): its first recovered
          // change gets HA's state at the gap's start as its previous state (the start-time row); that row does
          // not say when the state began, so the change's duration in state counts from there (a lower bound).
          const startStates = new Map<string, unknown>();
          const unknown = changes.filter((c) => c.before === null);
          for (const seenUs of new Set(unknown.map((c) => c.seenUs))) {
            const ids = unknown.filter((c) => c.seenUs === seenUs).map((c) => c.entityId);
            const perRequest = options.entitiesPerRequest ?? 16;
            for (let i = 0; i < ids.length; i += perRequest) {
              requests++;
              for (const [id, state] of await readStatesAt(options.ha, ids.slice(i, i + perRequest), seenUs))
                startStates.set(id, state);
            }
          }
          for (const c of changes) {
            // Every recorded row since the state last seen chains; those up to the watermark or that came live are
            // written already and only pass their state on as the next one's previous state.
            const rows = (read.states.get(c.entityId) ?? []).filter(
              (row) => row.lastUpdatedUs > c.seenUs && row.lastUpdatedUs <= c.untilUs,
            );
            const { events, lastState } = chainRecordedStates(
              c.entityId,
              rows,
              c.before ?? startStates.get(c.entityId) ?? null,
              (row) => row.lastUpdatedUs <= c.afterUs || c.liveUs.has(row.lastUpdatedUs),
            );
            for (const event of events) out.push({ event, source: 'recorder' });
            recovered += events.length;
            const newest = rows.at(-1);
            const complete =
              newest !== undefined &&
              (c.latest === null
                ? newest.state === null || c.liveUs.has(c.untilUs)
                : newest.lastUpdatedUs === c.untilUs);
            if (complete) continue;
            if (c.resync !== undefined) {
              // The current state as a resync point, after the last recorded change (its previous state).
              const data = c.resync.data as Record<string, unknown>;
              out.push({
                event:
                  rows.length === 0 ? c.resync : { ...c.resync, data: { ...data, old_state: lastState } },
                source: 'resync',
              });
            }
            // Nothing recorded of a change long committed: the recorder does not keep this entity (or that long).
            const committed = c.untilUs < readAtUs - commitWaitMs * 1000;
            fallBack(rows.length === 0 && committed ? 'not_recorded' : 'recorder_behind');
          }
        } catch (caught) {
          error = caught instanceof Error ? caught.message : String(caught);
          const reason: BackfillFallback =
            (caught as { haCode?: unknown }).haCode === 'unknown_command'
              ? 'history_unavailable'
              : 'history_failed';
          for (const c of changes) {
            if (c.resync !== undefined) out.push({ event: c.resync, source: 'resync' });
            fallBack(reason);
          }
        }
      }
      totals.recovered += recovered;
      last = {
        fromMs: gap.fromMs,
        toMs: gap.toMs,
        entities: entities.length,
        recovered,
        fallbacks,
        requests,
        durationMs: now() - startedMs,
        error,
      };
      return out;
    },
    stats: () => ({
      ...totals,
      fallbacks: { ...totals.fallbacks },
      last,
      lost: { ...lost, last: lastRefill },
    }),
  };
}

/** The gap of one entity, or undefined when its times cannot be read. */
function change(
  entity: GapEntity,
  resync: HaEvent | undefined,
  gapStartUs: number,
  durableUntilUs = -Infinity,
): Change | undefined {
  const { entityId, before, latest } = entity;
  // An entity the service never saw: its rows from the newest change seen before the gap (or the gap's start).
  const seenUs = entity.afterIso === undefined ? gapStartUs : microsFromIso(entity.afterIso);
  const untilUs = microsFromIso(entity.untilIso);
  if (!Number.isFinite(seenUs) || !Number.isFinite(untilUs)) return undefined;
  const liveUs = new Set([...entity.liveSince].map(microsFromIso));
  const afterUs = Math.max(seenUs, durableUntilUs);
  return { entityId, resync, before, latest, seenUs, afterUs, untilUs, liveUs };
}
