import { MAX_DURATION_MS, describeDurationRange, isDurationMs, type TimerHandle } from '@homeiq/runtime';
import { BatchTimer } from './batch-timer.js';
import { drainMemoryAtClose } from './close-drain.js';
import { invalidOption, QueueError } from './errors.js';
import { LentBook, type Lent } from './lent.js';
import type { ResolvedQueueOptions } from './options.js';
import { QueueCounters, pendingLines, queueStats } from './queue-stats.js';
import { LineRing } from './ring-buffer.js';
import { Spool } from './spool/spool.js';
import type { BackpressureQueue, QueueBatch, QueueCloseOptions, QueueStats } from './types.js';
import { Waiters } from './waiters.js';

/**
 * The queue: memory ring → (consumers | spool) in one order. Invariant that keeps the order without sorting:
 * every line in the ring is newer than every record in the spool, because the ring is only ever moved to the
 * spool's tail, and lines go to a consumer straight from the ring only while the spool has nothing unread.
 */
/** `close({ timeoutMs })`: like `closeTimeoutMs`, 0 to one day. */
const CLOSE_DEADLINE = { min: 0, max: MAX_DURATION_MS };

export class Queue implements BackpressureQueue {
  readonly #o: ResolvedQueueOptions;
  readonly #ring: LineRing;
  readonly #spool: Spool | undefined;
  readonly #book: LentBook;
  readonly #waiters = new Waiters();
  readonly #counters: QueueCounters;
  readonly #timer: BatchTimer;
  #available = true;
  #flushing = false;
  #state: 'open' | 'closing' | 'closed' = 'open';
  #deadline: TimerHandle | undefined = undefined;
  #closed: Promise<void> | undefined;
  #resolveClosed: (() => void) | undefined;

  constructor(options: ResolvedQueueOptions, pid: number) {
    this.#o = options;
    this.#counters = new QueueCounters(options.onDrop, options.logger);
    this.#ring = new LineRing(options.maxPending);
    this.#book = new LentBook(
      (lent, ok) => {
        this.#settle(lent, ok);
      },
      () => {
        this.#consumerFailing();
      },
    );
    this.#timer = new BatchTimer(options.clock, options.batchTimeoutMs, () => {
      if (this.#ringReady()) this.#onReady();
      // Still not due (its head was dropped or taken): wait for the new head.
      else this.#armTimer();
    });
    const spool = options.spool;
    this.#spool = spool
      ? new Spool(
          { ...spool, clock: options.clock, pid },
          {
            drop: (reason, count, lines) => {
              this.#counters.drop(reason, count, lines);
            },
            error: (error) => {
              options.onError(error);
            },
            corrupt: (event) => {
              options.onSpoolCorrupt(event);
            },
          },
        )
      : undefined;
  }

  push(line: string): boolean {
    if (this.#state !== 'open') {
      this.#counters.drop('closed', 1, [line]);
      return false;
    }
    const now = this.#o.clock.now();
    if (this.#pending() >= this.#o.maxPending) {
      const room = this.#makeRoom(line, now);
      if (room !== 'ring') return room === 'stored';
    }
    this.#ring.push(line, now);
    this.#counters.accept();
    if (this.#ring.length === 1) this.#armTimer();
    if (this.#ring.length >= this.#o.batchSize) this.#onReady();
    return true;
  }

  take(signal?: AbortSignal): Promise<QueueBatch | undefined> {
    if (signal?.aborted) return Promise.reject(signal.reason as Error);
    const lent = this.#state === 'closed' ? undefined : this.#next();
    if (lent) return Promise.resolve(this.#book.lend(lent));
    if (this.#state === 'closing') this.#maybeFinishClose();
    if (this.#state === 'closed') return Promise.resolve(undefined);
    return new Promise((resolve, reject) => {
      this.#waiters.add(resolve, reject, signal);
      this.#armTimer();
    });
  }

  flush(): void {
    if (this.#ring.length === 0) return;
    this.#flushing = true;
    this.#onReady();
  }

  stats(): QueueStats {
    return queueStats({
      options: this.#o,
      ring: this.#ring,
      book: this.#book,
      spool: this.#spool,
      counters: this.#counters,
      readState: () => ({ available: this.#available, state: this.#state }),
    });
  }

  close(options?: QueueCloseOptions): Promise<void> {
    if (this.#closed) return this.#closed;
    // A bad deadline is refused before anything changes, so that a correct close() can follow.
    const deadline = options?.timeoutMs;
    if (deadline !== undefined && !isDurationMs(deadline, CLOSE_DEADLINE)) {
      return Promise.reject(invalidOption('timeoutMs', describeDurationRange(CLOSE_DEADLINE), deadline));
    }
    this.#closed = new Promise((resolve) => {
      this.#resolveClosed = resolve;
    });
    this.#state = 'closing';
    this.#timer.clear();
    // With the consumer down or a backlog on disk, writing memory first would only wait for the deadline or
    // break the order: spill it now.
    if (this.#spool && (!this.#available || this.#spool.hasUnread)) this.#spillMemory();
    const timeoutMs = options?.timeoutMs ?? this.#o.closeTimeoutMs;
    this.#deadline = this.#o.clock.setTimeout(() => {
      this.#finishClose();
    }, timeoutMs);
    this.#dispatch();
    return this.#closed;
  }

  #pending(): number {
    return pendingLines(this.#ring, this.#book);
  }

  /** Applies the overflow policy to a push at the memory bound; 'ring' means the line still goes in. */
  #makeRoom(line: string, now: number): 'ring' | 'stored' | 'dropped' {
    const strategy = this.#o.overflow;
    if (strategy === 'spill') {
      this.#spillMemory();
      if (this.#pending() < this.#o.maxPending) return 'ring';
      if (this.#ring.length === 0 && this.#book.retryMemoryLines === 0 && this.#spool) {
        // Everything in memory is lent out and older than this line: it can follow them straight to disk.
        const result = this.#spool.append([line], now);
        if (result === 'stored') this.#counters.accept();
        if (result !== 'failed') return result;
      }
    }
    if (strategy === 'drop_new') {
      this.#counters.drop('overflow', 1, [line]);
      return 'dropped';
    }
    const oldest = this.#book.dropOldestRetryLine() ?? this.#ring.shift(1)[0];
    const reason = strategy === 'spill' ? 'spool_error' : 'overflow';
    if (oldest === undefined) {
      this.#counters.drop(reason, 1, [line]);
      return 'dropped';
    }
    this.#counters.drop(reason, 1, [oldest]);
    return 'ring';
  }

  /** The ring reached a batch size, aged out, or a flush/close asked for it. */
  #onReady(): void {
    if (this.#mustSpill()) this.#spillMemory();
    this.#dispatch();
  }

  #mustSpill(): boolean {
    return this.#spool !== undefined && this.#state === 'open' && (!this.#available || this.#spool.hasUnread);
  }

  /** Moves all of memory that is not lent out to the spool, keeping the order; failures leave it in memory. */
  #spillMemory(): void {
    const spool = this.#spool;
    if (!spool) return;
    const retry = this.#book.takeRetryMemory();
    if (retry.length > 0) {
      const result = spool.prepend(retry.map((l) => ({ lines: l.lines, timeMs: l.timeMs })));
      if (result === 'failed') this.#book.restoreRetry(retry);
    }
    while (this.#ring.length > 0) {
      const lines = this.#ring.peek(this.#o.maxBatchSize);
      if (spool.append(lines, this.#ring.headTimeMs() ?? this.#o.clock.now()) === 'failed') return;
      this.#ring.shift(lines.length);
    }
    this.#flushing = false;
    this.#timer.clear();
  }

  /** Hands ready batches to waiting consumers. */
  #dispatch(): void {
    while (this.#waiters.length > 0) {
      const lent = this.#next();
      if (!lent) break;
      if (!this.#waiters.serveFirst(() => this.#book.lend(lent))) break;
    }
    if (this.#state === 'closing') this.#maybeFinishClose();
  }

  /** The next batch to lend, in order: handed-back batches, then the spool, then a ready batch of the ring. */
  #next(): Lent | undefined {
    const closing = this.#state === 'closing';
    const retry = this.#book.nextRetry(closing);
    if (retry) return retry;
    const spool = this.#spool;
    if (spool?.hasUnread && !closing) {
      try {
        const read = spool.read(this.#o.maxBatchSize);
        if (read) return this.#book.fromSpool(read);
      } catch (error) {
        this.#o.onError(new QueueError('ERR_SPOOL_IO', 'Cannot read the spool', { cause: error }));
        return undefined;
      }
    }
    if (!this.#ringReady()) return undefined;
    if (this.#mustSpill()) {
      this.#spillMemory();
      return this.#spool?.hasUnread ? this.#next() : undefined;
    }
    const timeMs = this.#ring.headTimeMs() ?? this.#o.clock.now();
    const lines = this.#ring.shift(this.#o.maxBatchSize);
    if (this.#ring.length === 0) this.#flushing = false;
    this.#timer.clear();
    this.#armTimer();
    return this.#book.fromMemory(lines, timeMs);
  }

  #ringReady(): boolean {
    const ring = this.#ring;
    const head = ring.headTimeMs();
    if (head === undefined) return false;
    return (
      ring.length >= this.#o.batchSize ||
      this.#flushing ||
      this.#state === 'closing' ||
      this.#o.clock.now() - head >= this.#o.batchTimeoutMs
    );
  }

  #settle(lent: Lent, ok: boolean): void {
    if (ok) {
      this.#counters.deliver(lent.lines.length);
      this.#available = true;
      if (lent.refs) this.#spool?.release(lent.refs, true);
    } else {
      this.#counters.nack();
      this.#consumerFailing();
    }
    this.#dispatch();
  }

  /** A nack, or a batch retried in place: memory goes to disk now rather than when it fills. */
  #consumerFailing(): void {
    this.#available = false;
    if (this.#spool && this.#state === 'open') this.#spillMemory();
  }

  #armTimer(): void {
    if (this.#state === 'open') this.#timer.arm(this.#ring.headTimeMs());
  }

  #maybeFinishClose(): void {
    if (this.#ring.length === 0 && this.#book.idleForClose()) this.#finishClose();
  }

  /** Ends the close: drains memory to the spool (or counts it, without one) and wakes every waiting `take()`. */
  #finishClose(): void {
    if (this.#state === 'closed') return;
    this.#state = 'closed';
    this.#timer.clear();
    if (this.#deadline !== undefined) this.#o.clock.clearTimeout(this.#deadline);
    drainMemoryAtClose({
      options: this.#o,
      ring: this.#ring,
      book: this.#book,
      spool: this.#spool,
      counters: this.#counters,
    });
    this.#waiters.endAll();
    this.#resolveClosed?.();
  }
}
