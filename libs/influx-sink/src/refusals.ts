import type { TransportResponse } from './transport.js';

/**
 * A batch that InfluxDB answers with the same 5xx this many times is taken as refused for its content, not for the
 * server's state: it is split like a 400, and a single line refused so is dropped and counted. (InfluxDB 2.8
 * answers 500 "internal error" to a body it cannot decode, e.g. a gzip stream a middlebox broke; retrying such a
 * batch can never succeed and would stop every later batch behind it.)
 */
export const IDENTICAL_REFUSALS = 3;

/** Entries kept at most; the oldest goes first. A batch is keyed once, so this bounds memory, not correctness. */
const MAX_ENTRIES = 256;

/** What is known about one batch's 5xx refusals. */
export interface Refusal {
  /** How many times in a row this batch got this answer. */
  readonly count: number;
  /** The sink's `batchesWritten` at the first of them: a later write proves the server takes other data. */
  readonly writtenAt: number;
  /** When it was last refused, in refusals recorded by this memo. */
  readonly seenAt: number;
}

/**
 * Remembers how often a batch (by size, first and last line) got the same 5xx answer, across in-place retries and
 * across the batch being handed back and lent again.
 */
export class RefusalMemo {
  readonly #entries = new Map<string, Refusal & { readonly answer: string }>();
  #seen = 0;

  /** Counts one more refusal of `lines` with `response`; a different answer starts the count again. */
  record(lines: readonly string[], response: TransportResponse, batchesWritten: number): Refusal {
    const key = batchKey(lines);
    const answer = `${String(response.status)} ${response.body}`;
    const previous = this.#entries.get(key);
    const seenAt = ++this.#seen;
    const entry =
      previous?.answer === answer
        ? { count: previous.count + 1, writtenAt: previous.writtenAt, seenAt, answer }
        : { count: 1, writtenAt: batchesWritten, seenAt, answer };
    this.#entries.delete(key); // re-inserted last: the map's order is oldest first
    this.#entries.set(key, entry);
    for (const oldest of this.#entries.keys()) {
      if (this.#entries.size <= MAX_ENTRIES) break;
      this.#entries.delete(oldest);
    }
    return entry;
  }

  /**
   * Gives the halves of a split batch its history: their count starts at 0 for the same answer, but their
   * `writtenAt` stays the first refusal's, also when a half comes back alone after being handed back.
   */
  inherit(parent: readonly string[], halves: readonly (readonly string[])[]): void {
    const entry = this.#entries.get(batchKey(parent));
    if (!entry) return;
    for (const half of halves) {
      const key = batchKey(half);
      if (!this.#entries.has(key)) this.#entries.set(key, { ...entry, count: 0 });
    }
  }

  /** Whether `lines` was refused the same way `IDENTICAL_REFUSALS` times (a longer batch is split, not re-sent). */
  stuck(lines: readonly string[]): boolean {
    return (this.#entries.get(batchKey(lines))?.count ?? 0) >= IDENTICAL_REFUSALS;
  }

  /** Notes that `lines` had its turn (split again without a request): its halves' siblings go before it next. */
  touch(lines: readonly string[]): void {
    const key = batchKey(lines);
    const entry = this.#entries.get(key);
    if (entry) this.#entries.set(key, { ...entry, seenAt: ++this.#seen });
  }

  /**
   * The order to write two halves in: one not stuck first, else the one refused longest ago, so that every half
   * gets its turn and a good one can prove that InfluxDB takes data (which lets a stuck line be dropped).
   */
  order(a: readonly string[], b: readonly string[]): readonly [readonly string[], readonly string[]] {
    const ea = this.stuck(a) ? this.#entries.get(batchKey(a)) : undefined;
    const eb = this.stuck(b) ? this.#entries.get(batchKey(b)) : undefined;
    if (!ea) return [a, b];
    if (!eb) return [b, a];
    return ea.seenAt <= eb.seenAt ? [a, b] : [b, a];
  }

  /** Forgets `lines` (written or dropped). */
  forget(lines: readonly string[]): void {
    this.#entries.delete(batchKey(lines));
  }
}

function batchKey(lines: readonly string[]): string {
  return `${String(lines.length)}\n${lines[0] ?? ''}\n${lines[lines.length - 1] ?? ''}`;
}
