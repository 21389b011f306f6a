const BUCKET_MS = 1_000;
const WINDOW_BUCKETS = 60;

/**
 * Events per minute over a sliding 60 s window, in 60 one-second buckets: O(1) per event and fixed memory,
 * whatever the event rate, not a scan of recent timestamps per event (docs/decisions.md#bugs-we-do-not-repeat).
 */
export class EventRate {
  readonly #counts = new Float64Array(WINDOW_BUCKETS);
  readonly #bucketIds = new Float64Array(WINDOW_BUCKETS).fill(-1);

  /** Counts one event at `nowMs`. */
  record(nowMs: number): void {
    const bucketId = Math.floor(nowMs / BUCKET_MS);
    const slot = bucketId % WINDOW_BUCKETS;
    if (this.#bucketIds[slot] !== bucketId) {
      this.#bucketIds[slot] = bucketId;
      this.#counts[slot] = 0;
    }
    this.#counts[slot] = (this.#counts[slot] ?? 0) + 1;
  }

  /** Events in the 60 s up to `nowMs` (the current, partial second included). */
  perMinute(nowMs: number): number {
    const current = Math.floor(nowMs / BUCKET_MS);
    let total = 0;
    for (let slot = 0; slot < WINDOW_BUCKETS; slot += 1) {
      const bucketId = this.#bucketIds[slot] ?? -1;
      if (bucketId > current - WINDOW_BUCKETS && bucketId <= current) total += this.#counts[slot] ?? 0;
    }
    return total;
  }
}
