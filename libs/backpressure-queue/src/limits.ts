/**
 * The bounds the queue checks its sizing options against, exported so that a configuration layer can refuse
 * exactly what {@link createBackpressureQueue} would refuse, before anything is built. Relations between options
 * (`batchSize` <= `maxBatchSize` <= `maxPending`) are checked at construction as well; see `options.ts`.
 */
export const QUEUE_LIMITS = {
  /** Smallest `maxPending`: one line. */
  minPending: 1,
  /**
   * Largest `maxPending`. The lines sit in one JavaScript array, and V8 cannot grow an array's backing store past
   * about 134 million slots (`FixedArray::kMaxLength`, v8/src/objects/fixed-array.h) — it aborts the process
   * instead of throwing. 100 million lines is also far past any memory budget (a line is 100 bytes and up).
   */
  maxPending: 100_000_000,
  /** Smallest `batchSize` and `maxBatchSize`: one line. */
  minBatchSize: 1,
  /**
   * `maxBatchSize` when not set is the smaller of this and `maxPending`, and `batchSize` may not exceed it.
   * 5,000 lines is InfluxDB's recommended batch size
   * (https://docs.influxdata.com/influxdb/v2/write-data/best-practices/optimize-writes/#batch-writes).
   */
  defaultMaxBatchSize: 5000,
} as const;
