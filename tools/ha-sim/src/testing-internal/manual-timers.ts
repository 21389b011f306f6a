import type { SimTimers } from '../server/timers.js';

/** Virtual time for unit tests: timeouts fire on `advance`, immediates run one event-loop turn per `turn`. */
export class ManualTimers implements SimTimers {
  now = 0;
  #timeouts: { at: number; seq: number; callback: () => void }[] = [];
  #immediates: (() => void)[] = [];
  #seq = 0;

  setTimeout(callback: () => void, ms: number): unknown {
    const entry = { at: this.now + ms, seq: this.#seq++, callback };
    this.#timeouts.push(entry);
    return entry;
  }

  clearTimeout(handle: unknown): void {
    this.#timeouts = this.#timeouts.filter((entry) => entry !== handle);
  }

  setImmediate(callback: () => void): unknown {
    this.#immediates.push(callback);
    return callback;
  }

  get pendingImmediates(): number {
    return this.#immediates.length;
  }

  /** Runs the immediates queued before this turn (new ones wait for the next turn, as in Node). */
  turn(): void {
    const batch = this.#immediates;
    this.#immediates = [];
    for (const callback of batch) callback();
  }

  /** Turns until no immediates are left (bounded). */
  settle(maxTurns = 100): number {
    let turns = 0;
    while (this.#immediates.length > 0 && turns < maxTurns) {
      this.turn();
      turns++;
    }
    return turns;
  }

  advance(ms: number): void {
    const until = this.now + ms;
    for (;;) {
      const due = this.#timeouts
        .filter((entry) => entry.at <= until)
        .sort((a, b) => a.at - b.at || a.seq - b.seq)[0];
      if (due === undefined) break;
      this.#timeouts = this.#timeouts.filter((entry) => entry !== due);
      this.now = due.at;
      due.callback();
    }
    this.now = until;
  }
}
