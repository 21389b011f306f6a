import { systemClock, type Clock } from '@homeiq/runtime';
import { chartSample, parseMetrics, type ChartSample, type MetricTotals } from './status-page-model.js';

/** Options of {@link createStatusHistory}. */
export interface StatusHistoryOptions {
  /** The `/metrics` text, read once per sample (the same text the status page parses). */
  readonly readMetrics: () => Promise<string>;
  /** Time between samples. @default 1000 */
  readonly intervalMs?: number;
  /** Samples kept: 300 at one a second is the last five minutes. @default 300 */
  readonly size?: number;
  /** @default systemClock */
  readonly clock?: Clock;
}

/** The status page's chart samples of the last minutes, kept by the service so a page opened late starts full. */
export interface StatusHistory {
  /** The kept samples, oldest first (a copy). */
  samples(): ChartSample[];
  /** Stops sampling; idempotent. */
  close(): void;
}

/**
 * Samples `/metrics` every `intervalMs` into a ring of `size` chart samples (status-page-model.ts's
 * `chartSample`, as the page computes its own). A failed read leaves a gap and sampling goes on; the timer does not
 * keep the process alive.
 */
export function createStatusHistory(options: StatusHistoryOptions): StatusHistory {
  const intervalMs = options.intervalMs ?? 1000;
  const size = options.size ?? 300;
  const clock = options.clock ?? systemClock;
  if (!(Number.isInteger(intervalMs) && intervalMs >= 100))
    throw new RangeError(
      `Expected \`intervalMs\` to be a whole number from 100 up, got ${String(intervalMs)}`,
    );
  if (!(Number.isInteger(size) && size >= 1 && size <= 100_000))
    throw new RangeError(`Expected \`size\` to be a whole number from 1 to 100000, got ${String(size)}`);
  const ring: ChartSample[] = [];
  let previous: { readonly atMs: number; readonly totals: MetricTotals } | undefined;
  let closed = false;
  let timer: ReturnType<Clock['setTimeout']> | undefined;

  const tick = async (): Promise<void> => {
    try {
      const text = await options.readMetrics();
      const atMs = clock.now();
      const totals = parseMetrics(text);
      ring.push(chartSample(previous, atMs, totals));
      if (ring.length > size) ring.shift();
      previous = { atMs, totals };
    } catch {
      // A read that failed is a missing sample; the next rate spans the longer interval.
    }
    if (!closed) timer = clock.setTimeout(() => void tick(), intervalMs, { keepAlive: false });
  };
  void tick();

  return {
    samples: () => [...ring],
    close() {
      closed = true;
      if (timer !== undefined) clock.clearTimeout(timer);
    },
  };
}
