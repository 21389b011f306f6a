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
  /** Changes per second achieved so far (below the rate when the machine could not keep up). */
  readonly achievedPerSecond: number;
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
  const tickMs = options.tickMs ?? 10;
  const maxBurst = Math.max(1, Math.ceil((ratePerSecond * tickMs * 5) / 1000));
  let changes = 0;
  let stopped = false;
  let stoppedAt: number | undefined;
  let finish: () => void = () => undefined;
  const done = new Promise<void>((resolve) => (finish = resolve));
  const timer = setInterval(() => {
    if (stopped) return;
    options.beforeTick?.();
    const due = Math.min(total, Math.floor(((performance.now() - startedAt) * ratePerSecond) / 1000));
    // A late tick catches up over several ticks, never in one burst: real HA fires events as they happen, and
    // thousands queued in one turn would trip HA's own 4096-message limit on a slow test machine.
    const burst = Math.min(due - changes, maxBurst);
    if (burst > 0) {
      ledger.randomChanges(burst);
      changes += burst;
    }
    if (changes >= total) {
      stopped = true;
      stoppedAt = performance.now();
      clearInterval(timer);
      finish();
    }
  }, tickMs);
  return {
    get changes() {
      return changes;
    },
    get achievedPerSecond() {
      return Math.round((changes * 1000) / Math.max(1, (stoppedAt ?? performance.now()) - startedAt));
    },
    stop() {
      stopped = true;
      stoppedAt ??= performance.now();
      clearInterval(timer);
      finish();
      return Promise.resolve();
    },
    done,
  };
}
