import type { EventSource, HaEventEnvelope } from '@homeiq/event-normalizer';
import type { HaClient, HaEvent } from '@homeiq/ha-client';
import { chainRecordedStates } from '../backfill/recorded-events.js';
import { microsFromIso, readRecordedStates, type HistoryReadLimits } from './recorder-history.js';
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

export interface GapBackfillStats {
  readonly gaps: number;
  /** Points read back from the recorder. */
  readonly recovered: number;
  /** Entities written as their final state only, by why. */
  readonly fallbacks: Readonly<Record<BackfillFallback, number>>;
  readonly invalidRows: number;
  readonly last: LastBackfill | null;
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

  return {
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
          for (const c of changes) {
            // Every recorded row since the state last seen chains; those up to the watermark or that came live are
            // written already and only pass their state on as the next one's previous state.
            const rows = (read.states.get(c.entityId) ?? []).filter(
              (row) => row.lastUpdatedUs > c.seenUs && row.lastUpdatedUs <= c.untilUs,
            );
            const { events, lastState } = chainRecordedStates(
              c.entityId,
              rows,
              c.before,
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
    stats: () => ({ ...totals, fallbacks: { ...totals.fallbacks }, last }),
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
