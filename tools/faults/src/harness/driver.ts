import type { Ledger } from './ledger.js';

/** Options of {@link startDriver}. */
export interface DriverOptions {
  readonly ledger: Ledger;
  /** Random state changes per second (events may be fewer: a change can be invisible, as in HA). */
  readonly ratePerSecond: number;
  /** Stop after this many changes. @default unlimited */
  readonly total?: number;
  /** Runs at the start of every tick, before the tick's changes: where scenarios inject faults. */
  readonly beforeTick?: () => void;
  /** @default 10 */
  readonly tickMs?: number;
}

/** A running emitter. */
export interface Driver {
  /** Changes applied so far. */
  readonly changes: number;
  /** Stops emitting; resolves once the current tick is over. */
  stop(): Promise<void>;
  /** Resolves when `total` changes were applied (never without `total`). */
  readonly done: Promise<void>;
}

/**
 * Emits random state changes into the simulated home at a steady rate, catching up after timer jitter
 * (due = rate × elapsed − applied), one change at a time through the ledger so each event's delivery is known.
 * Faults are injected between ticks by `beforeTick`, so they fall between events, never inside one.
 */
export function startDriver(options: DriverOptions): Driver {
  const { ledger, ratePerSecond } = options;
  const total = options.total ?? Number.POSITIVE_INFINITY;
  const startedAt = performance.now();
  let changes = 0;
  let stopped = false;
  let finish: () => void = () => undefined;
  const done = new Promise<void>((resolve) => (finish = resolve));
  const timer = setInterval(() => {
    if (stopped) return;
    options.beforeTick?.();
    const due = Math.min(total, Math.floor(((performance.now() - startedAt) * ratePerSecond) / 1000));
    if (due > changes) {
      ledger.randomChanges(due - changes);
      changes = due;
    }
    if (changes >= total) {
      stopped = true;
      clearInterval(timer);
      finish();
    }
  }, options.tickMs ?? 10);
  return {
    get changes() {
      return changes;
    },
    stop() {
      stopped = true;
      clearInterval(timer);
      finish();
      return Promise.resolve();
    },
    done,
  };
}
