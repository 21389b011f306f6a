import type { LentBook } from './lent.js';
import type { ResolvedQueueOptions } from './options.js';
import type { QueueCounters } from './queue-stats.js';
import type { LineRing } from './ring-buffer.js';
import type { Spool } from './spool/spool.js';

/** The parts of the queue whose lines the close drains. */
export interface DrainSources {
  readonly options: ResolvedQueueOptions;
  readonly ring: LineRing;
  readonly book: LentBook;
  readonly spool: Spool | undefined;
  readonly counters: QueueCounters;
}

/**
 * The last step of `close()`, once consumers are done or the deadline passed. Every line memory still holds
 * (batches lent out or handed back, in lending order, then the ring) goes to the spool, which is then closed;
 * what the spool cannot write is counted as `spool_error`, and without a spool all of it as `closed`. Spooled
 * batches still lent out let go of their segments: those lines stay on disk for the next start.
 */
export function drainMemoryAtClose({ options, ring, book, spool, counters }: DrainSources): void {
  const { memory, spoolRefs } = book.detachAll();
  if (spool) {
    if (memory.length > 0 && spool.prepend(memory) === 'failed') {
      counters.drop(
        'spool_error',
        countLines(memory),
        memory.flatMap((m) => m.lines),
      );
    }
    spool.release(spoolRefs, false);
    while (ring.length > 0) {
      const timeMs = ring.headTimeMs() ?? options.clock.now();
      const lines = ring.shift(options.maxBatchSize);
      if (spool.append(lines, timeMs) === 'failed') counters.drop('spool_error', lines.length, lines);
    }
    spool.close();
  } else {
    if (memory.length > 0)
      counters.drop(
        'closed',
        countLines(memory),
        memory.flatMap((m) => m.lines),
      );
    const rest = ring.shift(ring.length);
    if (rest.length > 0) counters.drop('closed', rest.length, rest);
  }
}

function countLines(batches: readonly { readonly lines: readonly string[] }[]): number {
  return batches.reduce((sum, b) => sum + b.lines.length, 0);
}
