import type { BackpressureQueue } from '@homeiq/backpressure-queue';
import type { EventNormalizer } from '@homeiq/event-normalizer';
import type { HaEvent } from '@homeiq/ha-client';
import type { LiveStream } from '../http/live-stream.js';
import type { StateMemory } from './state-memory.js';

/** The hot path of one event: it runs on the socket's read path, so it only remembers, normalizes, enqueues, publishes. */
export interface Intake {
  /** Takes one `state_changed` event (from HA live, or made by a resync); true when its point was queued. */
  ingest(event: HaEvent, origin?: { readonly resync: boolean }): boolean;
  /** Stops taking events: from here on `ingest` refuses everything (the service is closing). */
  close(): void;
}

/** What the hot path hands each event to, in order. */
export interface IntakeParts {
  readonly memory: StateMemory;
  readonly normalizer: EventNormalizer;
  readonly queue: BackpressureQueue;
  readonly liveStream: LiveStream;
}

export function createIntake({ memory, normalizer, queue, liveStream }: IntakeParts): Intake {
  let open = true;
  return {
    ingest(event, origin = { resync: false }) {
      if (!open) return false;
      memory.observe(event.data);
      const result = normalizer.process(event, origin);
      if (!result.ok) return false;
      // The live stream shows what HA sent even when the queue had to drop the point (counted there).
      liveStream.publish(result.event);
      return queue.push(result.line);
    },
    close() {
      open = false;
    },
  };
}
