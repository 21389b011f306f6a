/** Slots a ring starts with: small enough that an idle queue costs nothing, large enough to skip tiny growths. */
export const INITIAL_RING_CAPACITY = 1024;

/**
 * A FIFO of lines with the time each was pushed, bounded by `limit` lines. Memory is taken as lines arrive, not
 * up front: the slots double (up to `limit`) when a push finds them full, so a queue allowed 100 million lines
 * costs a few kilobytes until it holds them. A growth copies the lines once; over any run of pushes the copies
 * add up to fewer than two moves per line pushed (1 + 1/2 + 1/4 …), so every operation stays O(1) per line,
 * amortized.
 */
export class LineRing {
  readonly #limit: number;
  #lines: (string | undefined)[];
  #times: Float64Array;
  #head = 0;
  #size = 0;
  #slotsCopied = 0;

  constructor(limit: number, initialCapacity = INITIAL_RING_CAPACITY) {
    this.#limit = limit;
    const capacity = Math.max(1, Math.min(limit, initialCapacity));
    this.#lines = new Array<string | undefined>(capacity).fill(undefined);
    this.#times = new Float64Array(capacity);
  }

  get length(): number {
    return this.#size;
  }

  /** Slots allocated now (grows towards `limit` as lines arrive). */
  get capacity(): number {
    return this.#lines.length;
  }

  /** Lines moved by growths so far: the amortized cost of allocating on demand. */
  get slotsCopied(): number {
    return this.#slotsCopied;
  }

  /** Push time of the oldest line, or `undefined` when empty. */
  headTimeMs(): number | undefined {
    return this.#size === 0 ? undefined : this.#times[this.#head];
  }

  /** Appends a line; the caller checks the limit first (the queue applies its overflow policy there). */
  push(line: string, timeMs: number): void {
    if (this.#size === this.#lines.length) this.#grow();
    let index = this.#head + this.#size;
    if (index >= this.#lines.length) index -= this.#lines.length;
    this.#lines[index] = line;
    this.#times[index] = timeMs;
    this.#size++;
  }

  /** Returns the `count` oldest lines (fewer if the ring holds fewer) without removing them. */
  peek(count: number): string[] {
    const n = Math.min(count, this.#size);
    const out = new Array<string>(n);
    const capacity = this.#lines.length;
    for (let i = 0; i < n; i++) out[i] = this.#lines[(this.#head + i) % capacity] as string;
    return out;
  }

  /** Removes and returns the `count` oldest lines (fewer if the ring holds fewer), oldest first. */
  shift(count: number): string[] {
    const n = Math.min(count, this.#size);
    const out = new Array<string>(n);
    const capacity = this.#lines.length;
    for (let i = 0; i < n; i++) {
      const index = (this.#head + i) % capacity;
      out[i] = this.#lines[index] as string;
      // Release the string so a drained ring holds no memory beyond its slots.
      this.#lines[index] = undefined;
    }
    this.#head = (this.#head + n) % capacity;
    this.#size -= n;
    return out;
  }

  /** Doubles the slots (up to the limit), unwrapping the lines to the front of the new arrays. */
  #grow(): void {
    const capacity = this.#lines.length;
    if (capacity >= this.#limit) throw new RangeError(`LineRing is full (${this.#limit} lines)`);
    const next = Math.min(this.#limit, capacity * 2);
    const lines = new Array<string | undefined>(next).fill(undefined);
    const times = new Float64Array(next);
    for (let i = 0; i < this.#size; i++) {
      const from = (this.#head + i) % capacity;
      lines[i] = this.#lines[from];
      times[i] = this.#times[from] ?? 0;
    }
    this.#slotsCopied += this.#size;
    this.#lines = lines;
    this.#times = times;
    this.#head = 0;
  }
}
