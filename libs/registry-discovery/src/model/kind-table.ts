/** One stored entry: the record and when its registry list last contained it. */
export interface Entry<R> {
  readonly record: R;
  readonly seenAtMs: number;
}

/** What a table operation changed. */
export interface TableChange<R> {
  readonly upserted: R[];
  readonly removed: R[];
}

/**
 * The entries of one registry, keyed by id, in HA's list order. `replace` swaps in a complete list and reports
 * what was added, changed (by fingerprint) or removed, never only growing (docs/decisions.md#bugs-we-do-not-repeat).
 */
export class KindTable<R extends { readonly fingerprint: string }> {
  #entries = new Map<string, Entry<R>>();
  readonly #idOf: (record: R) => string;

  constructor(idOf: (record: R) => string) {
    this.#idOf = idOf;
  }

  get size(): number {
    return this.#entries.size;
  }

  get(id: string): R | undefined {
    return this.#entries.get(id)?.record;
  }

  entry(id: string): Entry<R> | undefined {
    return this.#entries.get(id);
  }

  entries(): IterableIterator<Entry<R>> {
    return this.#entries.values();
  }

  /** Replaces every entry with `records` (a complete list seen at `atMs`). */
  replace(records: readonly R[], atMs: number): TableChange<R> {
    const previous = this.#entries;
    const next = new Map<string, Entry<R>>();
    const upserted: R[] = [];
    for (const record of records) {
      const id = this.#idOf(record);
      const old = previous.get(id);
      if (old?.record.fingerprint !== record.fingerprint) upserted.push(record);
      next.set(id, { record, seenAtMs: atMs });
    }
    const removed: R[] = [];
    for (const [id, old] of previous) if (!next.has(id)) removed.push(old.record);
    this.#entries = next;
    return { upserted, removed };
  }

  /** Puts one record in (replacing any with its id), keeping the seen time of the one it replaces. */
  put(record: R, seenAtMs: number): void {
    const id = this.#idOf(record);
    this.#entries.set(id, { record, seenAtMs: this.#entries.get(id)?.seenAtMs ?? seenAtMs });
  }

  /** Removes one entry; returns its record, or undefined when there was none. */
  remove(id: string): R | undefined {
    const old = this.#entries.get(id);
    if (old === undefined) return undefined;
    this.#entries.delete(id);
    return old.record;
  }

  /** Loads entries read back from a store, replacing everything. */
  load(entries: readonly Entry<R>[]): void {
    this.#entries = new Map(entries.map((entry) => [this.#idOf(entry.record), entry]));
  }
}
