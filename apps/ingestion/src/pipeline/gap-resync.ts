import type { DropEvent } from '@homeiq/backpressure-queue';
import type { Precision } from '@homeiq/event-normalizer';
import type { HaClient } from '@homeiq/ha-client';
import type { Logger } from 'pino';
import {
  lostChangeOf,
  microsOfLineTime,
  type Gap,
  type GapBackfill,
  type GapBackfillStats,
  type GapEvent,
  type LossHole,
} from './gap-backfill.js';
import type { Intake } from './intake.js';
import { microsFromIso } from './recorder-history.js';
import type { StateMemory } from './state-memory.js';

/** Gaps resynced, and the points they wrote (`/health` `gaps_resynced`, `/metrics`). */
export interface GapResyncStats {
  readonly gaps: number;
  /** Final-state points (`resync=true`): entities the recorder could not fill. */
  readonly points: number;
  readonly failures: number;
  /** What the recorder filled; null when backfill is off. */
  readonly backfill: GapBackfillStats | null;
  /**
   * Lines the queue dropped, not read back yet: changes known lost one by one, and whether some are known only by
   * their time span (lost on disk, or too many to keep one by one).
   */
  readonly lostPending: { readonly changes: number; readonly asWindow: boolean };
  /**
   * Dropped lines the recorder cannot give back, so they stay lost (and counted by the queue): lines that are no
   * entity's state (device history), and lines dropped on disk before this run saw its queue empty when it opened
   * with a previous run's lines, which may be of any time, so that no window of the recorder is known to hold them.
   */
  readonly lostUntraceable: number;
}

/**
 * What changed while the live stream had a hole: after every reconnect, and on the first connection after a
 * restart when the last run's state memory was restored, the current states are read (`get_states`) and compared
 * with what the service last saw. Every entity that changed gets its recorded changes from HA's recorder
 * (gap-backfill.ts, marked `backfill`), or, where the recorder cannot fill it, one point of its current state
 * (marked `resync`).
 */
export interface GapResync {
  /** The first connection: resync against the restored memory, or take HA's states as the baseline. */
  onFirstConnection(connectedAtMs: number): Promise<void>;
  /** The connection was lost: the gap begins (what the service knows now is its base). */
  connectionLost(): void;
  /** A reconnect after the connection was lost at `fromMs` and came back at `toMs`. */
  afterGap(gap: Gap): Promise<void>;
  /**
   * The queue dropped lines after they reached the service (its `onDrop`): they become a hole, read back from the
   * recorder by a later {@link lostTick} once the queue is empty again (InfluxDB accepts writes).
   */
  linesLost(drop: Pick<DropEvent, 'reason' | 'count' | 'lines'>): void;
  /**
   * Called a few times a second with whether the queue is empty (nothing in memory or on disk: every line pushed
   * so far is written or dropped) and, when not, the push time of its oldest line (epoch ms). Reads the pending
   * hole back when the queue is empty; resolves when that read is done (tests await it).
   */
  lostTick(queue: LostTickQueue): Promise<void>;
  stats(): GapResyncStats;
}

/** What {@link GapResync.lostTick} is told of the queue. */
export interface LostTickQueue {
  /** Nothing in memory or on disk: every line pushed so far is written (or dropped). */
  readonly empty: boolean;
  /** When not empty, the push time of its oldest line, epoch ms. */
  readonly oldestPushedAtMs: number | undefined;
  /**
   * Lines memory takes now without overflowing: a hole is queued again at most this many at a time, so that
   * reading it back never drops (or spills) lines itself. @default unbounded
   */
  readonly room?: number;
}

export interface GapResyncParts {
  readonly ha: Pick<HaClient, 'sendCommand'>;
  readonly memory: StateMemory;
  readonly intake: Intake;
  /** Whether the memory holds the last run's states (then the first connection is a gap too). */
  readonly restored: boolean;
  /** The last run's durable watermark (epoch µs): its changes up to it are written. */
  readonly durableUntilUs?: number;
  /** Fills gaps from the recorder; without it every changed entity gets its final state only. */
  readonly backfill?: GapBackfill;
  /**
   * The queue held nothing when it opened (no previous run's spool): every line it will drop was pushed by this
   * run, so a line lost on disk before the queue is first seen empty still lies after this run's start.
   * @default false
   */
  readonly queueEmptyAtStart?: boolean;
  /** The line precision (INFLUXDB_PRECISION): a dropped line's timestamp is matched to its row in it. */
  readonly precision?: Precision;
  readonly log: Logger;
  /** @default Date.now */
  readonly now?: () => number;
}

/** How long before it was pushed a lost line's change may have fired (HA's clock, the socket, a burst's backlog). */
const LOST_WINDOW_MARGIN_MS = 5000;
/** Changes known lost one by one before a hole is kept as a time span instead (about 100 bytes each). */
const MAX_EXACT_LOST = 200_000;
const done = Promise.resolve();

/** An epoch-ms time as HA writes `last_updated` (UTC isoformat, `+00:00`), which compares as a plain string. */
const haIso = (ms: number): string => new Date(ms).toISOString().replace('Z', '+00:00');

export function createGapResync({
  ha,
  memory,
  intake,
  restored,
  durableUntilUs,
  backfill,
  queueEmptyAtStart = false,
  precision = 'us',
  log,
  now = Date.now,
}: GapResyncParts): GapResync {
  const stats = { gaps: 0, points: 0, failures: 0 };
  // The hole left by dropped lines, until it is read back.
  let lostChanges = new Map<string, Set<string>>();
  let lostCount = 0;
  let lostWindow: { fromUs: number; toUs: number } | undefined;
  let lostFromUs = Infinity;
  let lostToUs = -Infinity;
  // When every line pushed before was known written (the queue was empty; undefined until this run saw it so),
  // and the oldest line it held since.
  let emptyAtMs: number | undefined = queueEmptyAtStart ? now() : undefined;
  let untraceable = 0;
  let oldestHeldMs: number | undefined;
  let refilling: Promise<void> | undefined;
  let gapsRunning = 0;
  // A hole read back but not all queued yet: the rest waits for room in memory, tick by tick.
  let queuing: { events: readonly GapEvent[]; next: number; queued: number } | undefined;
  // The hole being read: still pending until its points are queued.
  let reading: { changes: number; asWindow: boolean } | undefined;
  let roomNow = Infinity;
  let pendingRestore = restored;
  // The last run's memory is the base of the gap its first connection closes.
  if (restored) memory.beginGap();

  async function afterGap(gap: Gap): Promise<void> {
    gapsRunning++;
    try {
      await closeGap(gap);
    } finally {
      gapsRunning--;
    }
  }

  /** Queues what fits of the hole being read back; logs once it is all queued. */
  function queueSome(): void {
    if (queuing === undefined) return;
    const { events } = queuing;
    // Half the room the last tick saw: live events keep arriving until the next one.
    const end = Math.min(events.length, queuing.next + Math.max(0, Math.floor(roomNow / 2)));
    for (; queuing.next < end; queuing.next++) {
      const { event, source } = events[queuing.next] as GapEvent;
      if (intake.ingest(event, source)) queuing.queued++;
    }
    if (queuing.next < events.length) return;
    const last = backfill?.stats().lost.last;
    log.info(
      { recovered: queuing.queued, unrecovered: last?.unrecovered, lost: last?.lost ?? undefined },
      `read ${queuing.queued} dropped points back from the recorder`,
    );
    queuing = undefined;
    if (last !== null && last !== undefined && last.unrecovered > 0)
      log.warn(
        { unrecovered: last.unrecovered, sample: last.unrecoveredSample },
        'dropped points the recorder does not have (not recorded, purged, or not committed): lost',
      );
  }

  async function refill(hole: LossHole): Promise<void> {
    if (backfill === undefined) return;
    let events: GapEvent[];
    try {
      events = await backfill.refill(hole, precision);
    } catch (error) {
      // Kept for the next empty queue: merged back into whatever was lost meanwhile.
      for (const [entityId, times] of hole.changes) for (const time of times) addLost(entityId, time);
      if (hole.window) widenWindow(hole.window.fromUs, hole.window.toUs);
      log.warn(
        { error: String(error) },
        'could not read the dropped points back from the recorder; trying again later',
      );
      return;
    }
    queuing = { events, next: 0, queued: 0 };
    queueSome();
  }

  function addLost(entityId: string, time: string): void {
    let times = lostChanges.get(entityId);
    if (times === undefined) lostChanges.set(entityId, (times = new Set()));
    if (times.has(time)) return;
    times.add(time);
    lostCount++;
    const us = microsOfLineTime(time, precision);
    lostFromUs = Math.min(lostFromUs, us);
    lostToUs = Math.max(lostToUs, us);
    if (lostCount <= MAX_EXACT_LOST) return;
    // Bounded memory through a long outage: past this many, the hole becomes their time span, every change of it
    // read back (those that had landed are written again as the same points).
    widenWindow(lostFromUs, lostToUs + 1_000_000);
    lostChanges = new Map();
    lostCount = 0;
  }

  function widenWindow(fromUs: number, toUs: number): void {
    lostWindow = {
      fromUs: Math.min(fromUs, lostWindow?.fromUs ?? fromUs),
      toUs: Math.max(toUs, lostWindow?.toUs ?? toUs),
    };
  }

  async function closeGap(gap: Gap): Promise<void> {
    stats.gaps++;
    let resync;
    let entities;
    try {
      const states = (await ha.sendCommand('get_states')) as unknown[];
      // One millisecond past now: Date.now() floors, and HA's µs removal time may lie in the current millisecond.
      const answeredAtIso = haIso(now() + 1);
      resync = memory.resync(states, haIso(gap.toMs), answeredAtIso);
      // The gap stays open when the answer fails: the next resync then covers both.
      entities = memory.takeGap(answeredAtIso);
    } catch (error) {
      stats.failures++;
      log.warn(
        { error: String(error) },
        'gap resync failed; states changed while disconnected are not written',
      );
      return;
    }
    const events: readonly GapEvent[] = backfill
      ? await backfill.fill(entities, resync, gap)
      : resync.map((event) => ({ event, source: 'resync' }));
    let resynced = 0;
    let recovered = 0;
    for (const { event, source } of events) {
      if (!intake.ingest(event, source)) continue;
      if (source === 'resync') resynced++;
      else recovered++;
    }
    stats.points += resynced;
    const last = backfill?.stats().last;
    log.info(
      {
        changed: resync.length,
        recovered,
        resynced,
        ...(last && { fallbacks: last.fallbacks, requests: last.requests, durationMs: last.durationMs }),
      },
      backfill
        ? `filled the gap: ${recovered} recorded changes, ${resynced} entities at their final state only`
        : 'resynced the states that changed while disconnected',
    );
    if (last?.error)
      log.warn({ error: last.error }, 'could not read the recorder; the gap has final states only');
  }

  return {
    async onFirstConnection(connectedAtMs) {
      if (pendingRestore) {
        pendingRestore = false;
        // The last run's gap starts at the newest state it saw.
        const newestUs = memory
          .snapshot()
          .reduce((newest, state) => Math.max(newest, microsFromIso(state.last_updated) || 0), 0);
        await afterGap({
          fromMs: Math.floor(Math.max(newestUs, durableUntilUs ?? 0) / 1000),
          toMs: connectedAtMs,
          ...(durableUntilUs !== undefined && { durableUntilUs }),
        });
        return;
      }
      try {
        memory.reset(await ha.sendCommand('get_states'));
      } catch (error) {
        log.warn(
          { error: String(error) },
          'could not read the initial states; the next gap resync compares with live events only',
        );
      }
    },
    connectionLost: () => {
      memory.beginGap();
    },
    afterGap,
    linesLost(drop) {
      // Without the recorder (or backfill off) a drop stays what it was: counted by the queue, and lost.
      if (backfill === undefined || drop.reason === 'closed') return;
      let unknown = drop.lines === undefined ? drop.count : 0;
      for (const line of drop.lines ?? []) {
        const change = lostChangeOf(line);
        if (change !== undefined) addLost(change.entityId, change.time);
        // Not an entity's state (device history): the recorder has nothing to give back.
        else if (!line.includes(',entity_id=')) untraceable++;
        else unknown++;
      }
      if (unknown === 0) return;
      // Lost on disk, or lines that name no entity: which changes is unknown, but every line the queue held was
      // pushed after it was last empty, and fired up to a few seconds before. Before this run saw it empty, the
      // spool may hold a previous run's lines, of any age.
      if (emptyAtMs === undefined) {
        // Counted (/health `points_untraceable`); the drop itself is logged where the queue reports it.
        untraceable += unknown;
        return;
      }
      const fromMs = Math.min(emptyAtMs, oldestHeldMs ?? emptyAtMs) - LOST_WINDOW_MARGIN_MS;
      widenWindow(fromMs * 1000, now() * 1000);
    },
    lostTick(queue) {
      roomNow = queue.room ?? Infinity;
      if (queuing !== undefined) {
        queueSome();
        return done;
      }
      if (queue.empty) emptyAtMs = now();
      else if (queue.oldestPushedAtMs !== undefined)
        oldestHeldMs = Math.min(oldestHeldMs ?? Infinity, queue.oldestPushedAtMs);
      if (queue.empty) oldestHeldMs = undefined;
      const pending = lostCount > 0 || lostWindow !== undefined;
      if (!queue.empty || !pending || refilling !== undefined || gapsRunning > 0) return refilling ?? done;
      const hole: LossHole = {
        changes: lostChanges,
        ...(lostWindow && {
          window: lostWindow,
          windowEntities: memory.snapshot().map((state) => state.entity_id),
        }),
      };
      const count = lostCount;
      lostChanges = new Map();
      lostCount = 0;
      lostWindow = undefined;
      lostFromUs = Infinity;
      lostToUs = -Infinity;
      reading = { changes: count, asWindow: hole.window !== undefined };
      refilling = refill(hole).finally(() => {
        reading = undefined;
        refilling = undefined;
      });
      return refilling;
    },
    stats: () => ({
      ...stats,
      backfill: backfill?.stats() ?? null,
      lostPending: {
        changes:
          lostCount +
          (reading?.changes ?? 0) +
          (queuing === undefined ? 0 : queuing.events.length - queuing.next),
        asWindow: lostWindow !== undefined || (reading?.asWindow ?? false),
      },
      lostUntraceable: untraceable,
    }),
  };
}
