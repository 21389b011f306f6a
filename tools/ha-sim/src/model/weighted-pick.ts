import type { RandomFn } from '../util/random.js';

/**
 * Picks items with probability proportional to their weight (busy sensors change more often than
 * locks), by binary search over cumulative weights. The item list is rebuilt lazily after changes.
 */
export class WeightedPick<T> {
  #items: T[] = [];
  #cumulative: number[] = [];
  #dirty = true;

  constructor(
    readonly source: () => Iterable<T>,
    readonly weight: (item: T) => number,
  ) {}

  /** The set of items changed: rebuild before the next pick. */
  invalidate(): void {
    this.#dirty = true;
  }

  pick(random: RandomFn): T | undefined {
    if (this.#dirty) {
      this.#items = [...this.source()];
      let sum = 0;
      this.#cumulative = this.#items.map((item) => (sum += this.weight(item)));
      this.#dirty = false;
    }
    const cumulative = this.#cumulative;
    const total = cumulative[cumulative.length - 1] ?? 0;
    if (total === 0) return undefined;
    const target = random() * total;
    let lo = 0;
    let hi = cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((cumulative[mid] ?? 0) > target) hi = mid;
      else lo = mid + 1;
    }
    return this.#items[lo];
  }
}
