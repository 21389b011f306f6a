/**
 * @homeiq/influx-sink: ordered, retried, circuit-broken batch writes to InfluxDB 2.x (`/api/v2/write`), 1.8+
 * (the same API with `user:password` tokens) and 1.x (`/write`). See README.md for options and guarantees.
 * Clock, logger and circuit state types come from `@homeiq/runtime`.
 */
import { resolveSinkOptions, type InfluxSinkOptions } from './options.js';
import { Sink } from './sink.js';
import type { InfluxSink } from './types.js';

/**
 * Creates a sink. With `source`, starts `maxConcurrentWrites` loops that write its batches until `close()`.
 * Throws an {@link InfluxSinkError} with code `ERR_INVALID_OPTION` on a bad option.
 */
export function createInfluxSink(options: InfluxSinkOptions): InfluxSink {
  return new Sink(resolveSinkOptions(options));
}

export { InfluxSinkError, InfluxWriteError } from './errors.js';
export { INFLUX_SINK_LIMITS } from './limits.js';
export { createHttpTransport } from './transport.js';
export type { HttpTransportOptions, InfluxTransport } from './transport.js';
export type { InfluxSinkOptions } from './options.js';
export type { BatchSource, InfluxSink, InfluxSinkStats, SourceBatch } from './types.js';
