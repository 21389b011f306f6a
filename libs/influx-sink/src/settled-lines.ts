/** Lines kept at most; past it the memory is cleared (re-sending a stored line is harmless, only counted twice). */
const MAX_LINES = 200_000;

/**
 * The lines of a split batch already written or counted as rejected when a later part of it had to be handed back
 * (InfluxDB went down half way): the source lends the whole batch again, and these lines are not sent or counted a
 * second time. InfluxDB would store a re-sent line onto the same series and time (no new row), but the sink's
 * `pointsWritten` and the drop counts must say what happened once.
 */
export class SettledLines {
  readonly #lines = new Set<string>();

  /** Marks `lines` settled. */
  add(lines: readonly string[]): void {
    if (this.#lines.size + lines.length > MAX_LINES) this.#lines.clear();
    for (const line of lines) this.#lines.add(line);
  }

  /** `lines` without the settled ones. */
  skip(lines: readonly string[]): readonly string[] {
    if (this.#lines.size === 0) return lines;
    return lines.filter((line) => !this.#lines.has(line));
  }

  /** Forgets `lines`: their batch is settled for good. */
  forget(lines: readonly string[]): void {
    if (this.#lines.size === 0) return;
    for (const line of lines) this.#lines.delete(line);
  }
}
