import type { CircuitState } from '@homeiq/runtime';
import type { InfluxWriteError } from './errors.js';
import type { InfluxSinkStats, LastError, RejectCause } from './types.js';

/** Upper bounds of the latency buckets, ms (the last bucket is +Inf). */
const BOUNDS_MS = [5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10_000];

/** The sink's counters; plain numbers the app maps to prom-client. */
export class SinkCounters {
  pointsWritten = 0;
  batchesWritten = 0;
  bytesWritten = 0;
  requests = 0;
  retries = 0;
  rejectedLines = 0;
  batchesReturned = 0;
  lastWriteAtMs: number | undefined;
  lastError: LastError | undefined;
  lastRejection: { line: string; message: string } | undefined;
  readonly rejectedByCause: Partial<Record<RejectCause, number>> = {};
  readonly #latency = new Array<number>(BOUNDS_MS.length + 1).fill(0);
  #latencyCount = 0;
  #latencySum = 0;
  #latencyMax = 0;

  observeLatency(ms: number): void {
    let i = BOUNDS_MS.findIndex((b) => ms <= b);
    if (i === -1) i = BOUNDS_MS.length;
    this.#latency[i] = (this.#latency[i] ?? 0) + 1;
    this.#latencyCount++;
    this.#latencySum += ms;
    this.#latencyMax = Math.max(this.#latencyMax, ms);
  }

  recordError(error: InfluxWriteError, atMs: number): void {
    this.lastError = { code: error.code, message: error.message, status: error.status, atMs };
  }

  stats(circuit: CircuitState, circuitOpens: number): InfluxSinkStats {
    let cumulative = 0;
    return {
      pointsWritten: this.pointsWritten,
      batchesWritten: this.batchesWritten,
      bytesWritten: this.bytesWritten,
      requests: this.requests,
      retries: this.retries,
      rejectedLines: this.rejectedLines,
      dropped: { rejected: this.rejectedLines },
      rejectedByCause: { ...this.rejectedByCause },
      batchesReturned: this.batchesReturned,
      lastWriteAtMs: this.lastWriteAtMs,
      writeLatencyMs: {
        count: this.#latencyCount,
        sumMs: this.#latencySum,
        maxMs: this.#latencyMax,
        bucketBoundsMs: [...BOUNDS_MS, Number.POSITIVE_INFINITY],
        buckets: this.#latency.map((n) => (cumulative += n)),
      },
      circuit,
      circuitOpens,
      lastError: this.lastError,
      lastRejection: this.lastRejection,
    };
  }
}
