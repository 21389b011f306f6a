import { startHaSim, type HaSim, type HaSimOptions } from '@homeiq/ha-sim';

/** HA's own drain limit (aiohttp's writer limit after auth): past it, HA's writer waits for the socket. */
export const HA_DRAIN_LIMIT_BYTES = 1_048_576;

/** HA's `PENDING_MSG_PEAK`: a client whose queue stays above this for 10 s is cut off (4,096 at once). */
export const HA_PEAK_MESSAGES = 1024;

/**
 * The recorder's commit interval in the scenarios. HA's is 5 s, and the service reads a gap back only once its
 * newest change is that old plus a second (gap-backfill.ts `commitWaitMs`): a short one keeps every gap's fill,
 * and the waits for it, short. The rig tells the service the simulator's interval (HA_RECORDER_COMMIT_INTERVAL).
 */
export const RECORDER_COMMIT_INTERVAL_MS = 500;

/**
 * Starts the HA simulator for a scenario, with HA's own limits and a recorder committing every
 * {@link RECORDER_COMMIT_INTERVAL_MS} unless `options.recorder` says otherwise (the one place to change them).
 */
export function startSim(options: HaSimOptions): Promise<HaSim> {
  return startHaSim({ recorder: { commitIntervalMs: RECORDER_COMMIT_INTERVAL_MS }, ...options });
}

/**
 * Every writer of the simulator is empty (nothing queued, nothing buffered in user space): everything HA queued
 * was handed to the kernel and reaches the client. A restart or a cut at any other moment discards what HA still
 * holds, as HA itself does, so the events "HA delivered" would include some the client never could receive.
 */
export function writersIdle(sim: HaSim): boolean {
  return sim.connections().every((c) => c.pendingMessages === 0 && !c.writerBlocked && c.bufferedBytes === 0);
}

/** What HA held for its clients, sampled: the most messages queued and the most bytes unsent. */
export interface BufferedWatch {
  /** Most messages one connection's writer held: HA starts counting down to a cut at {@link HA_PEAK_MESSAGES}. */
  readonly maxPendingMessages: number;
  /** Most bytes one socket held unsent; above {@link HA_DRAIN_LIMIT_BYTES} HA's writer waits. */
  readonly maxBytes: number;
  stop(): void;
}

export function watchBuffered(sim: HaSim, intervalMs = 20): BufferedWatch {
  let maxBytes = 0;
  let maxPendingMessages = 0;
  const timer = setInterval(() => {
    for (const connection of sim.connections()) {
      maxBytes = Math.max(maxBytes, connection.bufferedBytes);
      maxPendingMessages = Math.max(maxPendingMessages, connection.pendingMessages);
    }
  }, intervalMs);
  return {
    get maxBytes() {
      return maxBytes;
    },
    get maxPendingMessages() {
      return maxPendingMessages;
    },
    stop: () => {
      clearInterval(timer);
    },
  };
}
