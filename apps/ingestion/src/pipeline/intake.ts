import type { BackpressureQueue } from '@homeiq/backpressure-queue';
import type { EventNormalizer, EventSource, HaEventEnvelope } from '@homeiq/event-normalizer';
import type { LiveStream } from '../http/live-stream.js';
import type { DurableWatermark } from './durable-watermark.js';
import type { StateMemory } from './state-memory.js';

/** The hot path of one event: it runs on the socket's read path, so it only remembers, normalizes, enqueues, publishes. */
export interface Intake {
  /**
   * Takes one `state_changed` event: from HA live, made by a resync, or read back from the recorder (`source`,
   * default `live`); true when its point was queued.
   */
  ingest(event: HaEventEnvelope, source?: EventSource): boolean;
  /** Stops taking events: from here on `ingest` refuses everything (the service is closing). */
  close(): void;
}

/** What the hot path hands each event to, in order. */
export interface IntakeParts {
  readonly memory: StateMemory;
  readonly normalizer: EventNormalizer;
  readonly queue: BackpressureQueue;
  readonly liveStream: LiveStream;
  /** Told the time of every change queued, for the restart's backfill (durable-watermark.ts). */
  readonly watermark?: Pick<DurableWatermark, 'pushed'>;
}

export function createIntake({ memory, normalizer, queue, liveStream, watermark }: IntakeParts): Intake {
  let open = true;
  return {
    ingest(event, source = 'live') {
      if (!open) return false;
      // A recorded change is older than what the memory holds: the gap resync adopted HA's current states.
      if (source !== 'recorder') memory.observe(event.data, event.timeFired);
      const result = normalizer.process(event, { source });
      if (!result.ok) return false;
      // The live stream shows what HA sent even when the queue had to drop the point (counted there).
      liveStream.publish(result.event);
      if (!queue.push(result.line)) return false;
      watermark?.pushed(result.event.timeFiredUs);
      return true;
    },
    close() {
      open = false;
    },
  };
}
