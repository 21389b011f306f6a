import type { SpoolRead, SpoolRef } from './spool/spool-types.js';
import type { QueueBatch } from './types.js';

/** A batch cut from memory or read from the spool, lent to a consumer or waiting to be lent again. */
export interface Lent {
  /** Delivery order; a handed-back batch keeps its place by it. */
  readonly seq: number;
  readonly lines: string[];
  readonly timeMs: number;
  /** Set for lines read from the spool: they stay on disk until acknowledged. */
  readonly refs: SpoolRef[] | undefined;
}

/**
 * The bookkeeping of lent and handed-back batches: which are out, which come back first, and how many lines
 * of memory they hold (the queue's `pending` counts them, so a nack never pushes memory past its bound).
 */
export class LentBook {
  readonly #lent = new Set<Lent>();
  /** Handed-back batches, oldest first (by `seq`). Short: at most one per consumer. */
  readonly #retry: Lent[] = [];
  readonly #onSettle: (lent: Lent, ok: boolean) => void;
  readonly #onRetrying: () => void;
  #seq = 0;
  #memoryLines = 0;
  #retryMemoryLines = 0;

  constructor(onSettle: (lent: Lent, ok: boolean) => void, onRetrying: () => void) {
    this.#onSettle = onSettle;
    this.#onRetrying = onRetrying;
  }

  get lentCount(): number {
    return this.#lent.size;
  }

  /** Lines of memory batches that are lent out or handed back. */
  get memoryLines(): number {
    return this.#memoryLines;
  }

  get retryMemoryLines(): number {
    return this.#retryMemoryLines;
  }

  fromMemory(lines: string[], timeMs: number): Lent {
    this.#memoryLines += lines.length;
    return { seq: this.#seq++, lines, timeMs, refs: undefined };
  }

  fromSpool(read: SpoolRead): Lent {
    return { seq: this.#seq++, lines: read.lines, timeMs: read.timeMs, refs: read.refs };
  }

  /** Lends a batch out; its first `ack()`/`nack()` settles it, later calls (and `retrying()` after it) are ignored. */
  lend(lent: Lent): QueueBatch {
    this.#lent.add(lent);
    const settle = (ok: boolean): void => {
      // Deleted already: settled before, or detached by close (the lines were spilled or counted).
      if (!this.#lent.delete(lent)) return;
      if (ok) {
        if (!lent.refs) this.#memoryLines -= lent.lines.length;
      } else {
        this.#insertRetry(lent);
      }
      this.#onSettle(lent, ok);
    };
    return {
      lines: lent.lines,
      source: lent.refs ? 'spool' : 'memory',
      oldestMs: lent.timeMs,
      ack: () => {
        settle(true);
      },
      nack: () => {
        settle(false);
      },
      retrying: () => {
        if (this.#lent.has(lent)) this.#onRetrying();
      },
    };
  }

  /** The oldest handed-back batch; while closing only memory ones (spooled lines are safe where they are). */
  nextRetry(memoryOnly: boolean): Lent | undefined {
    const index = memoryOnly ? this.#retry.findIndex((l) => !l.refs) : 0;
    const lent = index === -1 ? undefined : this.#retry[index];
    if (!lent) return undefined;
    this.#retry.splice(index, 1);
    if (!lent.refs) this.#retryMemoryLines -= lent.lines.length;
    return lent;
  }

  /** `drop_oldest` at the memory bound: the oldest line not lent out is the head of a handed-back batch. */
  dropOldestRetryLine(): string | undefined {
    const index = this.#retry.findIndex((l) => !l.refs);
    const lent = this.#retry[index];
    if (!lent) return undefined;
    const line = lent.lines.shift();
    this.#memoryLines--;
    this.#retryMemoryLines--;
    if (lent.lines.length === 0) this.#retry.splice(index, 1);
    return line;
  }

  /** Removes the handed-back memory batches (to spill them); their lines leave memory. */
  takeRetryMemory(): Lent[] {
    const taken = this.#retry.filter((l) => !l.refs);
    if (taken.length === 0) return taken;
    for (const lent of taken) this.#retry.splice(this.#retry.indexOf(lent), 1);
    this.#retryMemoryLines = 0;
    this.#memoryLines -= countLines(taken);
    return taken;
  }

  /** Puts back batches whose spill failed. */
  restoreRetry(batches: readonly Lent[]): void {
    for (const lent of batches) {
      this.#memoryLines += lent.lines.length;
      this.#insertRetry(lent);
    }
  }

  oldestMemoryMs(): number | undefined {
    return this.#oldest((l) => !l.refs);
  }

  oldestSpoolMs(): number | undefined {
    return this.#oldest((l) => l.refs !== undefined);
  }

  /** Nothing in memory is lent out or waiting to be lent again. */
  idleForClose(): boolean {
    return this.#lent.size === 0 && this.#retryMemoryLines === 0 && !this.#retry.some((l) => !l.refs);
  }

  /**
   * Forgets every batch at close: memory ones are returned in order for the queue to spill, spooled ones give
   * back their segment references (the lines stay on disk for the next start). Late settles are ignored.
   */
  detachAll(): { memory: Lent[]; spoolRefs: SpoolRef[] } {
    const all = [...this.#lent, ...this.#retry].sort((a, b) => a.seq - b.seq);
    this.#lent.clear();
    this.#retry.length = 0;
    this.#memoryLines = 0;
    this.#retryMemoryLines = 0;
    return {
      memory: all.filter((l) => !l.refs && l.lines.length > 0),
      spoolRefs: all.flatMap((l) => l.refs ?? []),
    };
  }

  #insertRetry(lent: Lent): void {
    let index = this.#retry.length;
    while (index > 0 && (this.#retry[index - 1]?.seq ?? 0) > lent.seq) index--;
    this.#retry.splice(index, 0, lent);
    if (!lent.refs) this.#retryMemoryLines += lent.lines.length;
  }

  #oldest(match: (lent: Lent) => boolean): number | undefined {
    let oldest: number | undefined;
    for (const lent of [...this.#lent, ...this.#retry]) {
      if (match(lent) && (oldest === undefined || lent.timeMs < oldest)) oldest = lent.timeMs;
    }
    return oldest;
  }
}

function countLines(batches: readonly Lent[]): number {
  return batches.reduce((sum, l) => sum + l.lines.length, 0);
}
