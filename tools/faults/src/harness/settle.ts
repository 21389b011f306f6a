import { waitFor } from '@homeiq/testing';
import type { Rig } from './rig.js';

/**
 * Waits until the service has received `received` events and holds nothing unwritten: the queue's `pending`
 * counts lent batches too, so 0 pending and 0 spooled means InfluxDB acknowledged every point. Bounded: a
 * timeout fails with the service's output.
 */
export async function settle(rig: Rig, received: number, timeoutMs = 30_000): Promise<void> {
  await waitFor(
    async () => {
      const health = await rig.health();
      return (
        health.subscription.total_events_received >= received &&
        health.sink.pending === 0 &&
        health.sink.spooled === 0
      );
    },
    timeoutMs,
    () => `waiting for ${received} events to be received and written\n${rig.service.output()}`,
  );
}
