import type { SimTimers } from './timers.js';

/** Why a connection was closed for being slow (HA `http.py`). */
export type OverflowReason = 'max_pending' | 'peak';

export interface WriterOptions {
  readonly maxPending: number;
  readonly peakMessages: number;
  readonly peakMs: number;
  /** HA `PENDING_MSG_MAX_FORCE_READY`: release the writer at once from this many queued. */
  readonly forceReadyAt: number;
  /** aiohttp's drain limit after auth (`writer._limit = 2**20`): past it the writer waits for the socket. */
  readonly drainLimitBytes: number;
  readonly timers: SimTimers;
  /**
   * Writes one TEXT frame (UTF-8 bytes); `done` runs once the socket took it: `null` or nothing on
   * success (`ws` passes `null`), an error otherwise.
   */
  send(frame: Buffer, done: (error?: Error | null) => void): void;
  /** Bytes written but not yet handed to the kernel (ws `bufferedAmount`). */
  bufferedAmount(): number;
  canCoalesce(): boolean;
  onOverflow(reason: OverflowReason, pending: number): void;
  onFrame(messages: number): void;
}

/**
 * HA's per-connection writer. Messages queue in a deque; the writer is released once the queue stops
 * growing across event-loop turns (or holds ≥ 256); it then sends everything queued as one JSON-array
 * frame when coalescing is on (a single message stays a bare object) and keeps going while the socket
 * accepts data. When aiohttp would block on drain, the writer waits and the queue grows: "pending" is
 * exactly this queue, so a client that stops reading fills the kernel buffers, then the drain limit,
 * then the queue, and is closed at 4096 — or after staying above 1024 for the peak time.
 */
export class CoalescingWriter {
  readonly #options: WriterOptions;
  /** Queued messages as wire text (UTF-8 bytes as latin1): a head and a tail (`,"id":N}` for events). */
  #heads: string[] = [];
  #tails: string[] = [];
  #closing = false;
  /** The writer awaits its ready future (HA `_ready_future` pending). */
  #waiting = true;
  #releaseQueueSize = 0;
  #readyCount = 0;
  #blocked = false;
  #sendSeq = 0;
  #blockedOnSeq = -1;
  #peakTimer: unknown = null;

  constructor(options: WriterOptions) {
    this.#options = options;
  }

  get pending(): number {
    return this.#heads.length;
  }

  get blocked(): boolean {
    return this.#blocked;
  }

  /**
   * HA `_send_message`. A message is wire text, given whole or as head + tail: an event's cached text
   * and its subscription's `,"id":N}`, so that queuing allocates nothing and the frame is one copy.
   */
  enqueue(head: string, tail = ''): void {
    if (this.#closing) return;
    this.#heads.push(head);
    this.#tails.push(tail);
    const size = this.#heads.length;
    const options = this.#options;
    if (size >= options.maxPending) {
      this.close();
      options.onOverflow('max_pending', size);
      return;
    }
    if (this.#releaseQueueSize === 0) {
      this.#releaseQueueSize = size;
      options.timers.setImmediate(this.#release);
    }
    if (size <= options.peakMessages) {
      this.#cancelPeak();
      return;
    }
    this.#peakTimer ??= options.timers.setTimeout(this.#checkPeak, options.peakMs);
  }

  /** Stops for good; queued messages are dropped (HA `_cancel`). Returns how many were dropped. */
  close(): number {
    const dropped = this.#heads.length;
    this.#closing = true;
    this.#heads = [];
    this.#tails = [];
    this.#cancelPeak();
    return dropped;
  }

  /** HA `_release_ready_future_or_reschedule`. */
  readonly #release = (): void => {
    const size = this.#heads.length;
    if (this.#closing || size === 0) {
      this.#releaseQueueSize = 0;
      return;
    }
    if (size > this.#releaseQueueSize && this.#releaseQueueSize < this.#options.forceReadyAt) {
      this.#releaseQueueSize = size;
      this.#options.timers.setImmediate(this.#release);
      return;
    }
    this.#releaseQueueSize = 0;
    if (!this.#waiting) return;
    this.#waiting = false;
    this.#readyCount = size;
    this.#run();
  };

  /** HA `_writer` loop body: runs until the queue is empty or the socket needs to drain. */
  #run(): void {
    const options = this.#options;
    while (this.#heads.length > 0) {
      if (this.#closing) return;
      let count: number;
      // The ready count is only refreshed when the writer waits: after a drain it may be stale, and a
      // stale 1 sends the backlog one message per frame, as HA does.
      if (!options.canCoalesce() || this.#readyCount === 1) count = 1;
      else count = this.#heads.length;
      const frame = this.#frame(count);
      const seq = ++this.#sendSeq;
      options.send(frame, this.#onSent.bind(this, seq));
      options.onFrame(count);
      if (options.bufferedAmount() > options.drainLimitBytes) {
        this.#blocked = true;
        this.#blockedOnSeq = seq;
        return;
      }
    }
    this.#waiting = true;
  }

  /** The first `count` messages as one frame: a bare message, or `[a,b,…]`; wire text copies as latin1. */
  #frame(count: number): Buffer {
    const heads = this.#heads;
    const tails = this.#tails;
    const array = count > 1;
    let bytes = array ? count + 1 : 0;
    for (let i = 0; i < count; i++) bytes += (heads[i] as string).length + (tails[i] as string).length;
    const frame = Buffer.allocUnsafe(bytes);
    let at = 0;
    if (array) frame[at++] = 0x5b; // [
    for (let i = 0; i < count; i++) {
      if (i > 0) frame[at++] = 0x2c; // ,
      at += frame.write(heads[i] as string, at, 'latin1');
      const tail = tails[i] as string;
      if (tail.length > 0) at += frame.write(tail, at, 'latin1');
    }
    if (array) frame[at++] = 0x5d; // ]
    if (count === heads.length) {
      this.#heads = [];
      this.#tails = [];
    } else {
      heads.splice(0, count);
      tails.splice(0, count);
    }
    return frame;
  }

  #onSent(seq: number, error?: Error | null): void {
    if ((error !== undefined && error !== null) || seq !== this.#blockedOnSeq || !this.#blocked) return;
    this.#blocked = false;
    this.#blockedOnSeq = -1;
    this.#run();
  }

  readonly #checkPeak = (): void => {
    this.#peakTimer = null;
    if (this.#closing || this.#heads.length < this.#options.peakMessages) return;
    const pending = this.#heads.length;
    this.close();
    this.#options.onOverflow('peak', pending);
  };

  #cancelPeak(): void {
    if (this.#peakTimer === null) return;
    this.#options.timers.clearTimeout(this.#peakTimer);
    this.#peakTimer = null;
  }
}
