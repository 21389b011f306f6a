import type { Logger } from '@homeiq/runtime';
import type { LentBook } from './lent.js';
import type { DropEvent, DropReason, ResolvedQueueOptions } from './options.js';
import type { LineRing } from './ring-buffer.js';
import type { Spool } from './spool/spool.js';
import type { QueueStats } from './types.js';

/**
 * What the queue counts: lines accepted and delivered, batches nacked, lines dropped by reason. Every drop is
 * counted here and reported once through `onDrop`.
 */
export class QueueCounters {
  readonly #onDrop: (event: DropEvent) => void;
  readonly #logger: Logger;
  readonly #dropped: Record<DropReason, number> = {
    overflow: 0,
    spool_full: 0,
    spool_error: 0,
    spool_corrupt: 0,
    closed: 0,
  };
  #accepted = 0;
  #delivered = 0;
  #nacked = 0;

  constructor(onDrop: (event: DropEvent) => void, logger: Logger) {
    this.#onDrop = onDrop;
    this.#logger = logger;
  }

  accept(): void {
    this.#accepted++;
  }

  deliver(lines: number): void {
    this.#delivered += lines;
  }

  nack(): void {
    this.#nacked++;
  }

  drop(reason: DropReason, count: number, lines: readonly string[] | undefined): void {
    if (count === 0) return;
    this.#dropped[reason] += count;
    try {
      this.#onDrop({ reason, count, lines });
    } catch (error) {
      // A throwing hook must not fail the push (or the close) that dropped the lines: they are counted.
      this.#logger.error('onDrop hook threw', { error: String(error) });
    }
  }

  stats(): Pick<QueueStats, 'accepted' | 'delivered' | 'nacked' | 'dropped'> {
    return {
      accepted: this.#accepted,
      delivered: this.#delivered,
      nacked: this.#nacked,
      dropped: { ...this.#dropped },
    };
  }
}

/** Lines in memory, including batches lent out or handed back: what `maxPending` bounds. */
export function pendingLines(ring: LineRing, book: LentBook): number {
  return ring.length + book.memoryLines;
}

/** The parts of the queue {@link queueStats} reads. */
export interface StatsSources {
  readonly options: ResolvedQueueOptions;
  readonly ring: LineRing;
  readonly book: LentBook;
  readonly spool: Spool | undefined;
  readonly counters: QueueCounters;
  /** Read after the spool: its peek can report an I/O error through `onError`, whose handler may act on the queue. */
  readState(): Pick<QueueStats, 'available' | 'state'>;
}

/** The queue's stats: memory, lent batches, counters and the spool's gauges. */
export function queueStats(from: StatsSources): QueueStats {
  const { options: o, ring, book, spool } = from;
  const now = o.clock.now();
  const oldest = minDefined(ring.headTimeMs(), book.oldestMemoryMs());
  const spoolStats = spool?.stats();
  const spoolOldest = spool ? minDefined(book.oldestSpoolMs(), spool.peekUnreadTimeMs()) : undefined;
  const pending = pendingLines(ring, book);
  const counts = from.counters.stats();
  const { available, state } = from.readState();
  return {
    pending,
    maxPending: o.maxPending,
    overflow: o.overflow,
    oldestPendingAgeMs: oldest === undefined ? undefined : now - oldest,
    lentBatches: book.lentCount,
    accepted: counts.accepted,
    delivered: counts.delivered,
    nacked: counts.nacked,
    dropped: counts.dropped,
    available,
    state,
    spool:
      spoolStats && o.spool
        ? {
            bytes: spoolStats.bytes,
            maxBytes: o.spool.maxBytes,
            segments: spoolStats.segments,
            pendingLines: spoolStats.pendingLines,
            oldestAgeMs: spoolOldest === undefined ? undefined : Math.max(0, now - spoolOldest),
            writtenLines: spoolStats.writtenLines,
            readLines: spoolStats.readLines,
            corruptBytes: spoolStats.corruptBytes,
            ioErrors: spoolStats.ioErrors,
            evictedSegments: spoolStats.evictedSegments,
          }
        : undefined,
  };
}

function minDefined(a: number | undefined, b: number | undefined): number | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return Math.min(a, b);
}
