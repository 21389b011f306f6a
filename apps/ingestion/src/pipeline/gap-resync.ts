import type { HaClient } from '@homeiq/ha-client';
import type { Logger } from 'pino';
import type { Gap, GapBackfill, GapBackfillStats, GapEvent } from './gap-backfill.js';
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
  stats(): GapResyncStats;
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
  readonly log: Logger;
  /** @default Date.now */
  readonly now?: () => number;
}

/** An epoch-ms time as HA writes `last_updated` (UTC isoformat, `+00:00`), which compares as a plain string. */
const haIso = (ms: number): string => new Date(ms).toISOString().replace('Z', '+00:00');

export function createGapResync({
  ha,
  memory,
  intake,
  restored,
  durableUntilUs,
  backfill,
  log,
  now = Date.now,
}: GapResyncParts): GapResync {
  const stats = { gaps: 0, points: 0, failures: 0 };
  let pendingRestore = restored;
  // The last run's memory is the base of the gap its first connection closes.
  if (restored) memory.beginGap();

  async function afterGap(gap: Gap): Promise<void> {
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
        memory.reset((await ha.sendCommand('get_states')) as unknown[]);
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
    stats: () => ({ ...stats, backfill: backfill?.stats() ?? null }),
  };
}
