import { waitFor } from '@homeiq/testing';
import type { Rig } from './rig.js';
import type { Health } from './service-api.js';

/**
 * Waits until the service has received `received` events, filled every gap it resynced from the recorder, and
 * holds nothing unwritten: the queue's `pending` counts lent batches too, so 0 pending and 0 spooled means
 * InfluxDB acknowledged every point. Bounded: a timeout fails with the service's output.
 */
export async function settle(rig: Rig, received: number, timeoutMs = 30_000): Promise<void> {
  await waitFor(
    async () => {
      const health = await rig.health();
      return (
        health.subscription.total_events_received >= received &&
        gapsFilled(health) &&
        lostFilled(health) &&
        health.sink.pending === 0 &&
        health.sink.spooled === 0
      );
    },
    timeoutMs,
    () =>
      `waiting for ${received} events to be received, every gap filled and written\n${rig.service.output()}`,
  );
}

/** Every point the queue dropped has been read back from the recorder and queued again (or found missing there). */
export function lostFilled(health: Health): boolean {
  const backfill = health.backfill;
  return !backfill.enabled || (backfill.lost.pending_points === 0 && !backfill.lost.pending_window);
}

/**
 * Every gap the service resynced has been filled from the recorder, the last one included. `gaps_filled` counts
 * a fill when it starts (after `get_states`, before the commit wait); `last_gap` is set when it ends, and its `to`
 * is the reconnect (ha-client's `onGap` `toMs`, the same clock reading as `last_successful`, or later for the
 * first connection after a restart: gap-resync.ts `onFirstConnection`). True when backfill is off.
 */
export function gapsFilled(health: Health): boolean {
  const backfill = health.backfill;
  if (!backfill.enabled) return true;
  if (backfill.gaps_filled !== health.connection.gaps_resynced) return false;
  if (backfill.gaps_filled === 0) return true;
  const last = backfill.last_gap;
  const connected = health.connection.last_successful;
  return last !== null && connected !== null && Date.parse(last.to) >= Date.parse(connected);
}
