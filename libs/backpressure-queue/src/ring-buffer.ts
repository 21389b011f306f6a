/**
 * A fixed-capacity FIFO of lines with the time each was pushed. Every operation is O(1) per line moved and
 * allocates nothing per push: the queue's memory bound is this capacity, decided once at construction.
 */
export class LineRing {
  readonly #lines: (string | undefined)[];
  readonly #times: Float64Array;
  #head = 0;
  #size = 0;

  constructor(capacity: number) {
    this.#lines = new Array<string | undefined>(capacity).fill(undefined);
    this.#times = new Float64Array(capacity);
  }

  get length(): number {
    return this.#size;
  }

  get capacity(): number {
    return this.#lines.length;
  }

  /** Push time of the oldest line, or `undefined` when empty. */
  headTimeMs(): number | undefined {
    return this.#size === 0 ? undefined : this.#times[this.#head];
  }

  /** Appends a line; the caller checks the capacity first (the queue applies its overflow policy there). */
  push(line: string, timeMs: number): void {
    const capacity = this.#lines.length;
    if (this.#size === capacity) throw new RangeError('LineRing is full');
    const index = (this.#head + this.#size) % capacity;
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
}
