import type { HaClient } from '@homeiq/ha-client';
import type { Logger } from 'pino';
import type { Intake } from './intake.js';
import type { StateMemory } from './state-memory.js';

/** Resyncs after gaps, and the points they wrote (`/health` `gaps_resynced`, `/metrics`). */
export interface GapResyncStats {
  readonly gaps: number;
  readonly points: number;
  readonly failures: number;
}

/**
 * What changed while the live stream had a hole: after every reconnect, and on the first connection after a
 * restart when the last run's state memory was restored, the current states are read (`get_states`) and compared
 * with what the service last saw; each difference becomes one point marked `resync`.
 */
export interface GapResync {
  /** The first connection: resync against the restored memory, or take HA's states as the baseline. */
  onFirstConnection(connectedAtMs: number): Promise<void>;
  /** A reconnect after a gap that ended at `reconnectedAtMs`. */
  afterGap(reconnectedAtMs: number): Promise<void>;
  stats(): GapResyncStats;
}

export interface GapResyncParts {
  readonly ha: Pick<HaClient, 'sendCommand'>;
  readonly memory: StateMemory;
  readonly intake: Intake;
  /** Whether the memory holds the last run's states (then the first connection is a gap too). */
  readonly restored: boolean;
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
  log,
  now = Date.now,
}: GapResyncParts): GapResync {
  const stats = { gaps: 0, points: 0, failures: 0 };
  let pendingRestore = restored;

  async function afterGap(reconnectedAtMs: number): Promise<void> {
    stats.gaps++;
    try {
      const states = (await ha.sendCommand('get_states')) as unknown[];
      // One millisecond past now: Date.now() floors, and HA's µs removal time may lie in the current millisecond.
      const events = memory.resync(states, haIso(reconnectedAtMs), haIso(now() + 1));
      for (const event of events) if (intake.ingest(event, { resync: true })) stats.points++;
      log.info({ changed: events.length }, 'resynced the states that changed while disconnected');
    } catch (error) {
      stats.failures++;
      log.warn(
        { error: String(error) },
        'gap resync failed; states changed while disconnected are not written',
      );
    }
  }

  return {
    async onFirstConnection(connectedAtMs) {
      if (pendingRestore) {
        pendingRestore = false;
        await afterGap(connectedAtMs);
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
    afterGap,
    stats: () => ({ ...stats }),
  };
}
