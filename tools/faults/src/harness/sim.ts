import { startHaSim, type HaSim, type HaSimOptions } from '@homeiq/ha-sim';

/** HA's own drain limit (aiohttp's writer limit after auth): past it, HA's writer waits for the socket. */
export const HA_DRAIN_LIMIT_BYTES = 1_048_576;

/**
 * Starts the HA simulator for a scenario. Work-around for an ha-sim bug (see the README's findings): its writer
 * takes ws's successful send callback (`null`) for an error and stays blocked for good once a frame passes the
 * drain limit, so after any large burst HA would queue until it cuts the client off. The limit is raised above
 * any burst here; scenarios that care whether HA would have had to wait check {@link watchBuffered} against
 * {@link HA_DRAIN_LIMIT_BYTES} instead.
 */
export function startSim(options: HaSimOptions): Promise<HaSim> {
  return startHaSim({ drainLimitBytes: 256 * 1024 * 1024, ...options });
}

/** What HA's sockets held unsent, sampled: the peak, and the longest stretch above HA's drain limit. */
export interface BufferedWatch {
  readonly maxBytes: number;
  /**
   * Longest time the unsent bytes stayed above {@link HA_DRAIN_LIMIT_BYTES}. Real HA's writer would have waited
   * that long, queueing every message meanwhile; it closes a client whose queue stays above 1,024 messages for
   * 10 s or reaches 4,096, so stretch × event rate below 1,024 means real HA would not even have started to worry.
   */
  readonly longestAboveLimitMs: number;
  stop(): void;
}

export function watchBuffered(sim: HaSim, intervalMs = 20): BufferedWatch {
  let maxBytes = 0;
  let aboveSince: number | undefined;
  let longest = 0;
  const timer = setInterval(() => {
    const now = Date.now();
    let bytes = 0;
    for (const connection of sim.connections()) bytes = Math.max(bytes, connection.bufferedBytes);
    maxBytes = Math.max(maxBytes, bytes);
    if (bytes > HA_DRAIN_LIMIT_BYTES) aboveSince ??= now;
    else aboveSince = undefined;
    if (aboveSince !== undefined) longest = Math.max(longest, now - aboveSince + intervalMs);
  }, intervalMs);
  return {
    get maxBytes() {
      return maxBytes;
    },
    get longestAboveLimitMs() {
      return longest;
    },
    stop: () => {
      clearInterval(timer);
    },
  };
}
