import type { DropReason, OverflowStrategy } from './options.js';

/**
 * A batch lent to a consumer. Exactly one of `ack()` or `nack()` settles it; later calls are ignored.
 * Until it is settled its lines stay owned by the queue (counted in `pending`, kept on disk if spooled).
 */
export interface QueueBatch {
  /** The lines, oldest first. */
  readonly lines: readonly string[];
  /** Where the lines came from: memory, or the spool (replayed after an outage or a restart). */
  readonly source: 'memory' | 'spool';
  /** When the oldest line was pushed (memory) or its record was spilled (spool), epoch ms. */
  readonly oldestMs: number;
  /** The lines are written: forget them (a spooled segment is deleted once all of it is acknowledged). */
  ack(): void;
  /**
   * The consumer cannot write them now: the batch goes back to the head of the queue and is lent again first.
   * The queue then treats the consumer as unavailable until the next `ack()`: with a spool it spills what
   * memory holds, so an outage costs disk, not memory.
   */
  nack(reason?: unknown): void;
  /**
   * The consumer keeps the batch and retries it in place: it is failing. The queue treats it as unavailable at
   * once, as after a `nack()`, so a spooling queue spills memory now instead of when the consumer gives up.
   */
  retrying(reason?: unknown): void;
}

/** Options of {@link BackpressureQueue.close}. */
export interface QueueCloseOptions {
  /** Overrides the queue's `closeTimeoutMs` for this close. */
  readonly timeoutMs?: number;
}

/** Gauges and counters of the spool, as {@link QueueStats} shows them. */
export interface QueueSpoolStats {
  /** Bytes of segment files on disk. */
  readonly bytes: number;
  readonly maxBytes: number;
  readonly segments: number;
  /** Lines on disk not yet acknowledged. */
  readonly pendingLines: number;
  /** Age of the oldest line on disk not yet acknowledged, ms; `undefined` when there is none. */
  readonly oldestAgeMs: number | undefined;
  /** Lines ever written to the spool. */
  readonly writtenLines: number;
  /** Lines ever read back from the spool. */
  readonly readLines: number;
  /** Bytes of corrupt spool regions: unreadable, torn or duplicated (lost lines are dropped `spool_corrupt`). */
  readonly corruptBytes: number;
  /** Failed spool I/O calls (each reported through `onError`). */
  readonly ioErrors: number;
  /** Segments evicted to stay inside `maxBytes` (their lines are counted as dropped `spool_full`). */
  readonly evictedSegments: number;
}

/** A snapshot of the queue's state, cheap to take; what `/health` and `/metrics` show. */
export interface QueueStats {
  /** Lines in memory, including those lent to consumers: never above `maxPending`. */
  readonly pending: number;
  readonly maxPending: number;
  readonly overflow: OverflowStrategy;
  /** Age of the oldest line in memory, ms; `undefined` when memory is empty. */
  readonly oldestPendingAgeMs: number | undefined;
  /** Batches lent to consumers and not yet settled. */
  readonly lentBatches: number;
  /** Lines accepted by `push()`. */
  readonly accepted: number;
  /** Lines acknowledged by consumers. */
  readonly delivered: number;
  /** Batches handed back with `nack()`. */
  readonly nacked: number;
  /** Lines dropped, by reason. */
  readonly dropped: Readonly<Record<DropReason, number>>;
  /** False from a `nack()` until the next `ack()`: the consumer is failing and memory is spilled. */
  readonly available: boolean;
  readonly state: 'open' | 'closing' | 'closed';
  /** `undefined` without a spool. */
  readonly spool: QueueSpoolStats | undefined;
}

/**
 * A bounded queue of lines that forms batches by size or age and lends them to consumers, with counted drops
 * and an optional durable spill. Producers call `push()`; consumers loop on `take()` and settle each batch.
 */
export interface BackpressureQueue {
  /**
   * Adds one line. Returns `true` when the queue holds it (in memory or on disk), `false` when it was dropped
   * (counted and reported through `onDrop`). O(1); never waits.
   */
  push(line: string): boolean;
  /**
   * The next batch, in order: batches handed back first, then the spool, then memory. Waits until one is
   * ready; resolves `undefined` once the queue is closed. Rejects with the signal's reason when aborted.
   */
  take(signal?: AbortSignal): Promise<QueueBatch | undefined>;
  /** Makes every line in memory ready now, whatever the batch size and age. */
  flush(): void;
  /** Counters and gauges of the queue and its spool, cheap to take. */
  stats(): QueueStats;
  /**
   * Stops accepting lines, keeps lending memory batches to consumers until they are written or the deadline
   * passes, then spills what is left (or drops it, counted as `closed`, without a spool), syncs and closes the
   * spool. Idempotent: every call returns the same promise.
   */
  close(options?: QueueCloseOptions): Promise<void>;
}
