import type { CircuitState } from '@homeiq/runtime';

/**
 * One batch lent by a {@link BatchSource}. `@homeiq/backpressure-queue`'s `QueueBatch` has this shape; the
 * sink declares it itself so that it depends on no queue, only on the contract.
 */
export interface SourceBatch {
  readonly lines: readonly string[];
  /** Written (rejected lines, counted by the sink, included): the source forgets the batch. */
  ack(): void;
  /** Not written (InfluxDB unreachable, auth, closing): the source keeps the batch and lends it again first. */
  nack(reason?: unknown): void;
  /** Not written yet; the sink retries it in place (InfluxDB failing). Called before each retry. */
  retrying?(reason?: unknown): void;
}

/** Where the sink's write loops take batches from; `@homeiq/backpressure-queue` is one. */
export interface BatchSource {
  /** The next batch in order; `undefined` once the source is closed and drained. Rejects when aborted. */
  take(signal?: AbortSignal): Promise<SourceBatch | undefined>;
  /** Stops input, drains memory through `take()` until the deadline, then keeps (spills) or drops the rest. */
  close(options?: { readonly timeoutMs?: number }): Promise<void>;
}

/**
 * Why InfluxDB refused a line, read from its status and message: a line it cannot parse (400), a field whose type
 * differs from the stored one (2.x: 422, 1.x: 400), a point outside the retention period (2.x: 422, 1.x: 400), a
 * body too large (413), the same 5xx again and again (`IDENTICAL_REFUSALS`), or another refusal.
 */
export type RejectCause =
  | 'unparsable'
  | 'field_type_conflict'
  | 'outside_retention'
  | 'too_large'
  | 'repeated_server_error'
  | 'other';

/** Lines InfluxDB refused, one event per line, with InfluxDB's reason. */
export interface RejectEvent {
  readonly reason: 'rejected';
  /** What InfluxDB's answer says is wrong with the line. */
  readonly cause: RejectCause;
  readonly count: number;
  readonly lines: readonly string[];
  /** InfluxDB's error message for the line. */
  readonly message: string;
  /** The HTTP status of the rejection (400, 413, 422, or a repeated 5xx). */
  readonly status: number;
}

/** The result of writing one batch. */
export interface WriteResult {
  /** Lines InfluxDB accepted. */
  readonly written: number;
  /** Lines InfluxDB refused (each counted and reported through `onDrop`). */
  readonly rejected: number;
}

/** Write latency distribution, per HTTP request, in ms. `buckets[i]` counts requests <= `bucketBoundsMs[i]`. */
export interface LatencyHistogram {
  readonly count: number;
  readonly sumMs: number;
  readonly maxMs: number;
  readonly bucketBoundsMs: readonly number[];
  /** Cumulative counts, like Prometheus `le` buckets; the last bound is +Inf. */
  readonly buckets: readonly number[];
}

/** The most recent failure, for logs and `/health`. */
export interface LastError {
  readonly code: string;
  readonly message: string;
  readonly status: number | undefined;
  readonly atMs: number;
}

/** A snapshot of the sink's counters, cheap to take. The spool's size and age are the queue's. */
export interface InfluxSinkStats {
  /** Lines InfluxDB accepted. */
  readonly pointsWritten: number;
  /** Successful write requests. */
  readonly batchesWritten: number;
  /** Uncompressed body bytes of successful write requests. */
  readonly bytesWritten: number;
  /** Write requests made, successful or not. */
  readonly requests: number;
  /** Requests repeated after a retryable failure. */
  readonly retries: number;
  /** Lines refused by InfluxDB and dropped (also in `dropped.rejected`). */
  readonly rejectedLines: number;
  /** Lines dropped by the sink, by reason. Only InfluxDB's rejections drop lines here. */
  readonly dropped: { readonly rejected: number };
  /** The rejected lines by cause (causes with none left out). */
  readonly rejectedByCause: Partial<Readonly<Record<RejectCause, number>>>;
  /** Batches handed back to the source (kept, not dropped). */
  readonly batchesReturned: number;
  /** When InfluxDB last accepted a write, epoch ms. */
  readonly lastWriteAtMs: number | undefined;
  readonly writeLatencyMs: LatencyHistogram;
  /** The breaker's state; an open circuit whose cool-down has passed reads `half_open`. */
  readonly circuit: CircuitState;
  /** Times the circuit opened. */
  readonly circuitOpens: number;
  readonly lastError: LastError | undefined;
  /** Most recent rejection: the line (first 200 characters) and InfluxDB's reason. */
  readonly lastRejection: { readonly line: string; readonly message: string } | undefined;
}

/** Options of {@link InfluxSink.close}. */
export interface SinkCloseOptions {
  /** How long the source may keep draining memory through the sink before it spills the rest. */
  readonly timeoutMs?: number;
}

/** Writes line-protocol batches to InfluxDB: ordered, retried, circuit-broken, never dropping a batch. */
export interface InfluxSink {
  /**
   * Writes one batch now (through the same retries, breaker and rejection handling as the loops). Resolves with
   * what was written and rejected; rejects with an {@link InfluxWriteError} when it must be kept for later.
   */
  write(lines: readonly string[], signal?: AbortSignal): Promise<WriteResult>;
  /** The sink's counters now. */
  stats(): InfluxSinkStats;
  /**
   * Closes the source (which drains memory through the sink until the deadline, then spills the rest), then
   * aborts what is still in flight and stops the loops. A clean shutdown loses nothing. Idempotent.
   */
  close(options?: SinkCloseOptions): Promise<void>;
}
